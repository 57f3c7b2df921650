"""Warm the engines in a worker's parent, so every forked work horse starts with them ready.

A render fills the caches that matter: the parsed DOCX templates and their compiled Jinja, the HTML templates,
the stylesheets with their fonts loaded, the chart font, and the imports (WeasyPrint, pikepdf, pdfium). Done in
the horse instead, all of it would be thrown away when the horse exits, and paid for again by the next job.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from flask import Flask

from labdocs.render import BidPayload, PagePayload, Payload, ReportPayload, ZinePayload, bundled_sources
from labdocs.render.kinds import KINDS
from labdocs.schemas.bid import load_bid
from labdocs.schemas.report import load_report
from labdocs.schemas.zine import load_zine

log = logging.getLogger(__name__)

WARM_BID: dict[str, Any] = {
    "title": "Warm-up", "funding_round": "Warm-up", "lead_organisation": "labdocs",
    "contact": {"name": "labdocs", "job_title": "Engine", "phone": "01632 960000", "email": "warm@example.org"},
    "funding_requested": "1.00", "summary": "Warm-up.", "budget": [{"description": "Warm-up", "amount": "1.00"}],
    "idea": "- Warm-up", "outcomes": {"outputs": [{"description": "Warm-up", "target": 1}]},
    "co_operative_difference_agreed": True,
}
WARM_REPORT: dict[str, Any] = {
    "period": {"start": "2024-01-01", "end": "2024-12-31"}, "co_operative_difference": "Warm-up.",
    "outputs_achieved": [{"output": 1, "achieved": 1}], "spend": [{"budget_line": 1, "spent": "1.00"}],
    "case_studies": [{"title": "Warm-up", "story": "Warm-up.", "quote": "Warm.", "quote_by": "labdocs"}],
}
WARM_ZINE: dict[str, Any] = {"title": "Warm-up", "format": "minizine-a4", "print": {"mode": "home"},
                             "pages": [{"layout": "text", "heading": "Warm-up", "body": "- Warm"}] * 8}


def warm_payloads() -> dict[str, Payload]:
    """Throwaway data for each kind, validated as real requests are."""
    bid, day, report = load_bid(WARM_BID), "2024-01-01", load_report(WARM_REPORT)
    return {"bid": BidPayload(bid=bid, generated_on=day),
            "report": ReportPayload(bid=bid, report=report, images={}, generated_on=day),
            "page": PagePayload(bid=bid, report=report, names={}, generated_on=day),
            "zine": ZinePayload(zine=load_zine(WARM_ZINE), images={}, generated_on=day)}


def warm_engines(app: Flask) -> None:
    """Render every kind of document once with throwaway data, in this (the parent) process."""
    started = time.perf_counter()
    sources = bundled_sources(lambda key: b"")
    payloads = warm_payloads()
    for row in KINDS:
        row.render(sources, payloads[row.kind])
    log.info("engines warmed in %.2f s", time.perf_counter() - started)
