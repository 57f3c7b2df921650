"""In-process renders of the bundled examples, beside the same engine called raw on the same template and
context: docxtpl reading the file and compiling its XML every time; WeasyPrint parsing the stylesheet and
loading fonts every time. The ratio ours/raw is labdocs' overhead (or, below 1, its saving)."""

from __future__ import annotations

import io
import json
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2.sandbox import ImmutableSandboxedEnvironment

from labdocs.config import EXAMPLES
from labdocs.domain.rules import check_bid
from labdocs.render import ASSETS, TEMPLATES, bundled_sources
from labdocs.render.bid import bid_context, render_bid_docx
from labdocs.render.charts import paint_png
from labdocs.render.docx import Picture
from labdocs.render.palette import css_variables
from labdocs.render.pdf import make_fetcher, render_html
from labdocs.render.report import CHART_FONT, render_report_docx, render_report_pdf, report_context
from labdocs.render.zine import (
    accessible_reader,
    reader_html,
    render_reader,
    render_zine,
    zine_geometry,
)
from labdocs.schemas.bid import load_bid
from labdocs.schemas.report import load_report
from labdocs.schemas.zine import load_zine

from .chromium import WarmChromium

SOURCES = bundled_sources(lambda key: b"")
TODAY = "2026-11-24"


@dataclass
class Timing:
    name: str
    ours: list[float]
    raw: list[float] | None
    chromium: list[float] | None = None

    @staticmethod
    def summary(samples: list[float]) -> dict[str, float]:
        ordered = sorted(samples)
        return {"median_ms": round(statistics.median(ordered) * 1000, 1),
                "p95_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000, 1)}

    def as_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {"kind": self.name, "runs": len(self.ours), "ours": self.summary(self.ours)}
        if self.raw:
            result["raw"] = self.summary(self.raw)
            result["ratio"] = round(result["ours"]["median_ms"] / result["raw"]["median_ms"], 2)
        if self.chromium:
            result["chromium"] = self.summary(self.chromium)
            result["chromium_ratio"] = round(result["ours"]["median_ms"] / result["chromium"]["median_ms"], 2)
        return result


def timed(function: Callable[[], Any], runs: int) -> list[float]:
    function()  # warm: imports, caches, fonts
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return samples


def examples() -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    bid = load_bid(json.loads((EXAMPLES / "bid.json").read_text("utf-8")))
    report = load_report(json.loads((EXAMPLES / "report.json").read_text("utf-8")))
    zine = load_zine(json.loads((EXAMPLES / "zine.json").read_text("utf-8")))
    return bid, report, zine


def as_inline_images(value: Any, document: DocxTemplate) -> Any:
    """The same pictures as docxtpl's own InlineImage objects, wherever they sit in the context."""
    if isinstance(value, Picture):
        return InlineImage(document, io.BytesIO(value.data), width=Mm(value.width_mm))
    if isinstance(value, dict):
        return {key: as_inline_images(item, document) for key, item in value.items()}
    if isinstance(value, list):
        return [as_inline_images(item, document) for item in value]
    return value


def raw_docx(template: Path, context: dict[str, Any]) -> bytes:
    """docxtpl as its documentation uses it: open the file, render with an environment, save."""
    document = DocxTemplate(template)
    document.render(as_inline_images(context, document), ImmutableSandboxedEnvironment(autoescape=True))
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def raw_pdf(html: str, css_path: Path, resources: dict[str, tuple[bytes, str]], variant: str | None) -> bytes:
    """WeasyPrint as its documentation uses it: parse the stylesheet (and load its fonts) for each document."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    fetcher = make_fetcher(ASSETS, resources)
    css = CSS(string=css_variables() + "\n" + css_path.read_text("utf-8"), base_url="labdocs:", url_fetcher=fetcher,
              font_config=fonts)
    pdf: bytes = HTML(string=html, base_url="labdocs:", url_fetcher=fetcher).write_pdf(
        stylesheets=[css], font_config=fonts, pdf_variant=variant, pdf_tags=variant is not None)
    return pdf


def report_html_inputs(bid: dict[str, Any], report: dict[str, Any]) -> tuple[str, dict[str, tuple[bytes, str]]]:
    """The report's HTML and resources exactly as labdocs makes them, for the raw WeasyPrint call."""
    context = report_context(bid, report, date.fromisoformat(TODAY))
    resources = {f"labdocs:chart/{name}.svg": (context[f"{name}_chart"].svg().encode(), "image/svg+xml")
                 for name in ("outputs", "budget") if context[f"{name}_chart"]}
    for number, study in enumerate(context["case_studies"]):
        if study["image"]:
            study["image"]["src"] = f"labdocs:image/case-study-{number}"
            resources[study["image"]["src"]] = (SOURCES.image(study["image"]["ref"], {}), "image/*")
    return render_html(TEMPLATES, "report.html", context), resources


def report_docx_context(bid: dict[str, Any], report: dict[str, Any]) -> dict[str, Any]:
    context = report_context(bid, report, date.fromisoformat(TODAY))
    for name in ("outputs", "budget"):
        chart = context[f"{name}_chart"]
        context[f"{name}_chart"] = Picture(chart.png(ASSETS / CHART_FONT), chart.alt, 160) if chart else None
        context[f"{name}_caption"] = chart.title if chart else ""
    context["summary_blocks"] = context.pop("summary_text")
    for study in context["case_studies"]:
        if study["image"]:
            study["image"] = Picture(SOURCES.image(study["image"]["ref"], {}), study["image"]["alt"], 150)
    return context


def zine_html_inputs(zine: dict[str, Any]) -> tuple[str, dict[str, tuple[bytes, str]]]:
    """The reader's HTML and images exactly as labdocs makes them (screen colours), for the raw engines."""
    html, resources, _ = reader_html(SOURCES, {"zine": zine, "images": {}}, zine_geometry(zine), cmyk=False)
    return html, resources


def checked_reader(payload: dict[str, Any], geo: Any) -> Any:
    """The zine's screen edition as labdocs ships it: tagged, then through its accessibility check."""
    pdf, _, missing = render_reader(SOURCES, payload, geo)
    return accessible_reader(pdf, missing)


def uncached_charts(payload: dict[str, Any]) -> Any:
    """The report DOCX with its chart cache emptied first: the cost for a report with new figures."""
    paint_png.cache_clear()
    return render_report_docx(SOURCES, payload)


def run(runs: int = 30) -> list[dict[str, Any]]:
    """Every kind, ours beside the raw engine; the PDFs beside warm Chromium printing the same HTML too."""
    bid, report, zine = examples()
    bid_payload = {"bid": bid, "generated_on": TODAY}
    report_payload = {"bid": bid, "report": report, "images": {}, "generated_on": TODAY}
    zine_payload = {"zine": zine, "images": {}, "generated_on": TODAY}
    bid_ctx = bid_context(bid, check_bid(bid), date.fromisoformat(TODAY))
    report_html, report_resources = report_html_inputs(bid, report)
    report_css, zine_css = TEMPLATES / "html" / "report.css", TEMPLATES / "html" / "zine.css"
    docx_ctx = report_docx_context(bid, report)
    zine_html, zine_resources = zine_html_inputs(zine)
    geo = zine_geometry(zine)
    pdf_runs = max(5, runs // 3)
    raw_report_docx = timed(lambda: raw_docx(TEMPLATES / "docx" / "report.docx", docx_ctx), runs)
    browser = WarmChromium()
    try:
        chromium_report = timed(lambda: browser.print_pdf(report_html, report_css, ASSETS, report_resources), pdf_runs)
        chromium_zine = timed(lambda: browser.print_pdf(zine_html, zine_css, ASSETS, zine_resources), pdf_runs)
    finally:
        browser.close()
    return [timing.as_dict() for timing in (
        Timing("bid DOCX", timed(lambda: render_bid_docx(SOURCES, bid_payload), runs),
               timed(lambda: raw_docx(TEMPLATES / "docx" / "bid.docx", bid_ctx), runs)),
        Timing("report DOCX", timed(lambda: render_report_docx(SOURCES, report_payload), runs), raw_report_docx),
        Timing("report DOCX, charts painted afresh", timed(lambda: uncached_charts(report_payload), runs),
               raw_report_docx),
        Timing("report PDF (with accessibility check)", timed(lambda: render_report_pdf(SOURCES, report_payload),
                                                               pdf_runs),
               timed(lambda: raw_pdf(report_html, report_css, report_resources, "pdf/ua-1"), pdf_runs),
               chromium_report),
        Timing("zine reader PDF (tagged, with its check)", timed(lambda: checked_reader(zine_payload, geo), pdf_runs),
               timed(lambda: raw_pdf(zine_html, zine_css, zine_resources, "pdf/ua-1"), pdf_runs), chromium_zine),
        Timing("zine, every output", timed(lambda: render_zine(SOURCES, zine_payload), pdf_runs), None),
    )]
