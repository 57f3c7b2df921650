"""render/page.py: the network's project page, checked section by section against the record, and axe-clean."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, sync_playwright

from labdocs.domain.principles import BY_KEY
from labdocs.render import ASSETS, bundled_sources
from labdocs.render.page import md, render_page_html, render_page_md
from labdocs.schemas.bid import load_bid
from labdocs.schemas.report import load_report

from .conftest import ROOT

SOURCES = bundled_sources(lambda key: (ASSETS / "images" / key).read_bytes())
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
NAMES = {"Action Together": "Action Together CIO", "Co-operative and Mutual Solutions":
         "Co-operative and Mutual Solutions Ltd"}  # as the example register resolves them


class Sections(HTMLParser):
    """The page's text by section heading, and its facts (dt → dd)."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: dict[str, str] = {}
        self.facts: dict[str, str] = {}
        self.current, self.tag, self.term = "", "", ""

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self.tag = tag

    def handle_endtag(self, tag: str) -> None:
        self.tag = ""

    def handle_data(self, data: str) -> None:
        if self.tag in ("h1", "h2") and data.strip():
            self.current = data.strip()
            self.sections.setdefault(self.current, "")
        elif self.tag == "dt":
            self.term = data.strip()
        elif self.tag == "dd":
            self.facts[self.term] = self.facts.get(self.term, "") + data
        elif self.current:
            self.sections[self.current] += data


def read(html: bytes) -> Sections:
    parser = Sections()
    parser.feed(html.decode())
    return parser


def payload(bid: dict[str, Any], report: dict[str, Any] | None) -> dict[str, Any]:
    return {"bid": load_bid(bid), "report": load_report(report) if report else None, "names": NAMES,
            "generated_on": "2026-12-02"}


def test_the_example_lists_all_six_members_under_their_register_names_and_each_principle_in_full(
        bid: dict[str, Any], report: dict[str, Any]) -> None:
    made = render_page_html(SOURCES, payload(bid, report))
    page = read(made.data)
    assert page.facts["Lead Member"] == "Rochdale Borough Council"
    assert page.facts["Participating Members"].split(", ") == [
        "Action Together CIO", "Anthony Collins Solicitors", "Cheshire West and Chester Council",
        "Co-operative and Mutual Solutions Ltd", "Hackney Council", "Rochdale Borough Council"]
    assert (page.facts["Year"], page.facts["Type"]) == ("2024", "Policy Labs")
    principles = " ".join(page.sections["Principles met"].split())
    for key in report["principles_met"]:
        assert " ".join(BY_KEY[key].text.split()) in principles
    assert "staff and users. in" not in principles  # the network page's slip, mended
    assert " ".join(bid["summary"].split())[:200] in " ".join(page.sections["About the project"].split())
    assert "For further information contact the project lead" in page.sections["Contact"]
    fragment = made.files["page-fragment.html"].decode()
    assert "<html" not in fragment and "<h1" not in fragment and fragment.strip() in made.data.decode()


def lab(number: int, bid: dict[str, Any], report: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """Generated variety: no report, a report with nothing optional, a public contact, long names, other scripts."""
    bid, report = copy.deepcopy(bid), copy.deepcopy(report)
    bid["title"] = ["Ysgol Gydweithredol", "Lab <script>alert(1)</script> & co", "Ω" * 300, "Short"][number % 4]
    bid["partners"] = [{"name": f"Partner {n} “quoted” & *starred*", "kind": "other"} for n in range(number % 7)]
    bid["funding_round"] = ["Round without a year", "CCIN Innovation Funding 2025"][number % 2]
    if number % 3 == 0:
        return bid, None
    report["principles_met"] = list(BY_KEY)[: number % 11]
    report["contact"] = None if number % 2 else {"name": "Jo Public", "role": "", "organisation": "",
                                                 "email": "lab@example.org", "phone": ""}
    if number % 3 == 1:
        report["participants"], report["activities"], report["spend"] = {"total": 0, "by_partner": {}}, [], []
        report["outputs_achieved"], report["results_summary"] = [], ""
    return bid, report


@pytest.mark.parametrize("number", range(12))
def test_generated_pages_show_each_section_from_the_record(number: int, bid: dict[str, Any],
                                                          report: dict[str, Any]) -> None:
    lab_bid, lab_report = lab(number, bid, report)
    html = render_page_html(SOURCES, payload(lab_bid, lab_report)).data
    page = read(html)
    assert page.facts["Participating Members"].count("Partner") == number % 7
    assert page.facts["Year"] == ("2025" if number % 2 else "2026")  # the round's year, else the page's
    assert "<script>" not in html.decode()  # escaped, never markup
    assert ("Principles met" in page.sections) == bool(lab_report and lab_report["principles_met"])
    assert ("What happened" in page.sections) == (number % 3 == 2)
    contact = page.sections["Contact"]
    if lab_report and lab_report.get("contact"):
        assert "lab@example.org" in contact
    else:
        assert "@" not in contact and bid["contact"]["email"] not in html.decode()  # never the private contact
    text = render_page_md(SOURCES, payload(lab_bid, lab_report)).data.decode()
    assert text.startswith("# ") and "<script>" not in text
    assert ("\\*starred\\*" in text) == bool(number % 7)  # user text is never read as Markdown


@pytest.mark.parametrize(("text", "escaped"), [
    ("# not a heading *or* [a link](x)", r"\# not a heading \*or\* \[a link\](x)"),
    ("- not a bullet", r"\- not a bullet"),
    ("1. not a list", r"1\. not a list"),
    ("Co-operative Governance, 2024. Done!", "Co-operative Governance, 2024. Done!"),  # nothing to escape
    ("<b>tag</b> | pipe `code` _under_", r"\<b\>tag\</b\> \| pipe \`code\` \_under\_"),
])
def test_markdown_escapes_what_it_could_read_as_markup(text: str, escaped: str) -> None:
    assert md(text) == escaped


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--headless", "--no-sandbox", "--disable-gpu",
                                                   "--disable-background-networking"])
        yield browser
        browser.close()


@pytest.mark.slow
@pytest.mark.parametrize("number", [0, 2, 4])
def test_the_page_passes_axe_at_both_widths(browser: Browser, number: int, bid: dict[str, Any],
                                           report: dict[str, Any], tmp_path: Path) -> None:
    assert AXE.exists(), "axe-core is missing: run `npm ci` (make test does)"
    page_file = tmp_path / "page.html"
    page_file.write_bytes(render_page_html(SOURCES, payload(*lab(number, bid, report))).data)
    assert re.findall(r'(?:src|href)="(?!#|mailto:)[^"]*"', page_file.read_text()) == []  # nothing fetched
    for viewport in ({"width": 1280, "height": 900}, {"width": 390, "height": 844}):
        page = browser.new_context(viewport=viewport).new_page()  # type: ignore[arg-type]
        page.goto(page_file.as_uri())
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("""() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa',
            'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})""")
        assert [(v["id"], v["nodes"][0]["target"]) for v in result["violations"]] == [], viewport
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


AWARD = {"amount": "17500.00", "date": "2024-03-15", "reference": "CCIN-IF-2024-07", "start": "2024-04-01",
         "end": "2025-03-31", "funder": {"name": "Oldham Council", "org_id": "GB-LAE-OLD"},
         "recipient_org_id": "GB-LAE-RCH", "locations": [{"name": "Rochdale", "code": "E08000005"},
                                                         {"name": "Hackney", "code": "E09000012"}]}


@pytest.mark.parametrize(("change", "facts"), [
    ({}, {"Grant awarded": "£17,500.00 on 15 March 2024", "Grant reference": "CCIN-IF-2024-07",
          "Funded by": "Oldham Council", "Project dates": "1 April 2024 to 31 March 2025",
          "Where": "Rochdale, Hackney"}),
    ({"start": None, "end": None, "locations": []}, {"Grant awarded": "£17,500.00 on 15 March 2024"}),
    ({"end": None}, {"Project dates": "From 1 April 2024"}),
    ({"start": None}, {"Project dates": "Until 31 March 2025"}),
    ({"reference": "<b>ref</b> *x*", "amount": "0.50"}, {"Grant reference": "<b>ref</b> *x*",
                                                        "Grant awarded": "£0.50 on 15 March 2024"}),
])
def test_an_award_shows_as_the_pages_facts(bid: dict[str, Any], change: dict[str, Any],
                                           facts: dict[str, str]) -> None:
    award = {**AWARD, **change}
    page = read(render_page_html(SOURCES, {**payload(bid, None), "award": award}).data)
    assert {term: page.facts[term] for term in facts} == facts
    shown = set(page.facts) - {"Lead Member", "Participating Members", "Year", "Type"}
    assert ("Project dates" in shown) == bool(award["start"] or award["end"])
    assert ("Where" in shown) == bool(award["locations"])
    text = render_page_md(SOURCES, {**payload(bid, None), "award": award}).data.decode()
    assert f"- **Grant awarded:** {md(page.facts['Grant awarded'])}" in text
    assert "<b>" not in text and "GB-LAE-RCH" not in text  # identifiers are for grant data, not readers


def test_a_page_without_an_award_has_no_award_facts(bid: dict[str, Any]) -> None:
    for made in ({**payload(bid, None), "award": None}, payload(bid, None)):  # pages asked for before awards
        page = read(render_page_html(SOURCES, made).data)
        assert set(page.facts) == {"Lead Member", "Participating Members", "Year", "Type"}
