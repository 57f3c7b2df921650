"""render/report.py's web page: one self-contained HTML file, axe-clean in Chromium, with the PDF's figures."""

from __future__ import annotations

import copy
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, sync_playwright

from labdocs.render import ASSETS, bundled_sources
from labdocs.render.report import render_report_docx, render_report_html, render_report_pdf
from labdocs.schemas.bid import load_bid
from labdocs.schemas.report import load_report

from .conftest import ROOT
from .docx_reading import open_docx, paragraphs, rows

pytestmark = pytest.mark.slow
SOURCES = bundled_sources(lambda key: (ASSETS / "images" / key).read_bytes())
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def overspent(bid: dict[str, Any], report: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A lab unlike the example: spent more than its grant, no case-study pictures, no principles chosen."""
    bid, report = copy.deepcopy(bid), copy.deepcopy(report)
    bid["funding_requested"] = "18234.56"
    report["spend"] = [{"budget_line": n, "spent": spent} for n, spent in
                       ((1, "6000.00"), (2, "2500.00"), (3, "5000.00"), (4, "5525.50"))]
    report["principles_met"], report["introduction"] = [], ""
    for study in report["case_studies"]:
        study["image"], study["alt"] = None, ""
    return bid, report


@pytest.fixture(scope="module", params=["example", "overspent"])
def payload(request: pytest.FixtureRequest, _example_bid: dict[str, Any],
            _example_report: dict[str, Any]) -> dict[str, Any]:
    bid, report = (_example_bid, _example_report) if request.param == "example" else \
        overspent(_example_bid, _example_report)
    return {"bid": load_bid(bid), "report": load_report(report), "images": {}, "generated_on": "2026-12-02"}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--headless", "--no-sandbox", "--disable-gpu",
                                                   "--disable-background-networking"])
        yield browser
        browser.close()


def test_the_page_is_self_contained(payload: dict[str, Any]) -> None:
    html = render_report_html(SOURCES, payload).data.decode()
    assert re.findall(r'(?:src|href)="(?!data:|#|mailto:)[^"]*"', html) == []  # nothing to fetch from anywhere
    assert "labdocs:" not in html and "@import" not in html and "url(" not in html
    assert html.count("<svg") == 2 and "<title>" in html
    assert re.search(r"<style>.+--accent", html, re.S)


def test_the_page_passes_axe_with_no_violations_at_either_width(browser: Browser, payload: dict[str, Any],
                                                               tmp_path: Path) -> None:
    assert AXE.exists(), "axe-core is missing: run `npm ci` (make test does)"
    page_file = tmp_path / "report.html"
    page_file.write_bytes(render_report_html(SOURCES, payload).data)
    for name, viewport in WIDTHS.items():
        context = browser.new_context(viewport=viewport)  # type: ignore[arg-type]
        page = context.new_page()
        page.goto(page_file.as_uri())
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("""() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa',
            'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})""")
        assert [(v["id"], v["impact"], v["nodes"][0]["target"]) for v in result["violations"]] == [], name
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], f"{name}: scrolls sideways"
        page.keyboard.press("Tab")  # the first thing a keyboard reaches is the skip link, and it shows
        assert page.evaluate("document.activeElement.textContent") == "Skip to the report"
        assert page.evaluate("document.activeElement.getBoundingClientRect().left") >= 0
        page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)
        context.close()


def figures(text: str) -> list[str]:
    """Every amount of money and every "N of M" in a text, in order of first appearance, once each."""
    found = re.findall(r"£[\d,]+\.\d\d|\b\d+ of \d+\b", " ".join(text.split()))
    return list(dict.fromkeys(found))


def test_pdf_docx_and_web_page_carry_the_same_figures(payload: dict[str, Any], tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(render_report_pdf(SOURCES, payload).data)
    pdf_text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pdf_text = re.sub(r"Page \d+ of \d+", "", pdf_text)  # the running footers
    doc = open_docx(render_report_docx(SOURCES, payload).data)
    docx_text = " ".join([text for _, text in paragraphs(doc)] +
                         [cell for table in doc.tables for row in rows(table) for cell in row])
    html = render_report_html(SOURCES, payload).data.decode()
    web_text = re.sub(r"<[^>]+>", " ", re.sub(r"<(style|svg)\b.*?</\1>", " ", html, flags=re.S))
    expected = set(figures(pdf_text))
    assert expected, "the PDF shows no figures at all"
    assert set(figures(web_text)) == expected
    assert set(figures(docx_text)) == expected
