"""service/zines.py: a first draft from the project, sized to the format."""

from __future__ import annotations

from typing import Any

import pytest

from labdocs.schemas.bid import load_bid
from labdocs.schemas.report import load_report
from labdocs.schemas.zine import load_zine
from labdocs.zines import draft, fit


def test_fit_keeps_whole_sentences() -> None:
    text = "One two three. Four five six. Seven eight nine ten."
    assert fit(text, 6) == "One two three. Four five six."
    assert fit(text, 4) == "One two three."
    assert fit("A single very long sentence without an end", 3) == "A single very…"


@pytest.mark.parametrize("fmt", ["booklet-a5", "minizine-a4", "minizine-letter"])
def test_draft_from_bid_and_report(fmt: str, bid: dict[str, Any], report: dict[str, Any]) -> None:
    zine = load_zine(draft(load_bid(bid), load_report(report), fmt))
    assert [page["layout"] for page in zine["pages"]] == ["cover", "text", "text", "text", "quote", "text", "text",
                                                          "back"]
    assert zine["pages"][0]["heading"] == "Co-operative Governance"
    assert zine["pages"][4]["quote"].startswith("For the first time the people")
    assert zine["pages"][5]["image"] == "asset:round-table.png"  # the report's pictured case study
    assert "- Action Together" in zine["pages"][7]["body"]
    budget = 42 if fmt.startswith("minizine") else 150
    assert all(len(page["body"].split()) <= budget + 1 for page in zine["pages"][1:3])


def test_draft_from_a_bid_alone(bid: dict[str, Any]) -> None:
    zine = load_zine(draft(load_bid(bid), None, "minizine-a4"))
    assert zine["pages"][4]["layout"] == "text" and zine["pages"][4]["heading"] == "And also"
    assert zine["pages"][4]["body"].startswith("- Supporting the VCS to influence systems change")
    assert zine["pages"][5]["body"].startswith("We will demonstrate how CCIN")
