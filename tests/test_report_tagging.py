"""render/structure.py: a report's tagging survives any page break, checked by labdocs and by `pdfua`.

Reports are generated so that their tables break at many positions on the page: the budget grows a line at a
time and the text before it grows, so each table starts and breaks at a different place each time.
"""

from __future__ import annotations

import copy
import itertools
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient
from pdfua import validate

from labdocs.cli import main
from labdocs.render import ASSETS, RenderFault, bundled_sources
from labdocs.render import report as report_renderer
from labdocs.render.accessibility import Finding
from labdocs.render.report import render_report_pdf
from labdocs.schemas.bid import load_bid
from labdocs.schemas.report import load_report

from .conftest import wait_for_document

pytestmark = pytest.mark.slow
SOURCES = bundled_sources(lambda key: (ASSETS / "images" / key).read_bytes())
HTML_TABLES = 4  # outputs, budget, participants, activities


def varied(bid: dict[str, Any], report: dict[str, Any], lines: int, preamble: int) -> dict[str, Any]:
    """The example with `lines` budget lines (all spent) and `preamble` extra sentences before the tables."""
    bid, report = copy.deepcopy(bid), copy.deepcopy(report)
    bid["budget"] = [{"description": f"Line {n}: workshops, venue hire and materials for the lab's sessions",
                      "amount": "250.00", "quantity": 1} for n in range(1, lines + 1)]
    bid["funding_requested"] = f"{250 * lines}.00"
    report["spend"] = [{"budget_line": n, "spent": "240.00"} for n in range(1, lines + 1)]
    report["co_operative_difference"] += " The lab kept meeting in the open." * preamble
    return {"bid": load_bid(bid), "report": load_report(report), "images": {}, "generated_on": "2026-12-02"}


def elements(node: Any) -> list[pikepdf.Dictionary]:
    """Every structure element below `node`, in reading (document) order."""
    found = []
    kids = node.get("/K")
    for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            found.append(kid)
            found.extend(elements(kid))
    return found


def role(element: pikepdf.Dictionary) -> str:
    return str(element.get("/S")).lstrip("/")


CASES = [(lines, preamble) for lines in (1, 5, 12, 20, 28, 33, 36, 39, 45, 60) for preamble in (0, 7)]


@pytest.mark.parametrize(("lines", "preamble"), CASES)
def test_tables_stay_whole_across_any_page_break(lines: int, preamble: int, _example_bid: dict[str, Any],
                                                 _example_report: dict[str, Any], tmp_path: Path) -> None:
    rendered = render_report_pdf(SOURCES, varied(_example_bid, _example_report, lines, preamble))
    assert all(finding["passed"] for finding in rendered.findings)
    path = tmp_path / "report.pdf"
    path.write_bytes(rendered.data)
    outside = validate(str(path))
    assert [(f.rule_id, f.message) for f in outside.findings] == []

    with pikepdf.open(path) as pdf:
        tree = elements(pdf.Root.StructTreeRoot)
        tables = [e for e in tree if role(e) == "Table"]
        assert len(tables) == HTML_TABLES
        for table in tables:
            parts = [role(kid) for kid in table.K if isinstance(kid, pikepdf.Dictionary)]
            assert parts[0] == "Caption" and parts.count("Caption") == 1 and parts.count("THead") == 1, parts
            assert parts.count("TBody") == 1, parts
            cells = [e for e in elements(table) if role(e) in ("TH", "TD")]
            assert all(str(e.A.get("/Scope")) in ("/Row", "/Column") for e in cells if role(e) == "TH")
            assert not any("/ID" in e or "/Headers" in e.get("/A", {}) for e in cells)
        assert not any("/LabdocsSource" in e for e in tree)
        budget = tables[1]  # in reading order: outputs, budget, participants, activities
        assert len([e for e in elements(budget) if role(e) == "TR"]) == lines + 2  # header, lines, total

        for table in tables:  # a caption is never left at the foot of a page with its table on the next
            caption, head = (next(kid for kid in table.K if str(kid.get("/S")) == f"/{name}")
                             for name in ("Caption", "THead"))
            assert caption.Pg.objgen == head.Pg.objgen, f"caption {pages(pdf)[caption.Pg.objgen]} alone"
        for parent in tree:  # nor is a heading: what it introduces starts on the same page
            kids = [kid for kid in (parent.get("/K") or []) if isinstance(kid, pikepdf.Dictionary) and "/S" in kid]
            for heading, following in itertools.pairwise(kids):
                if role(heading) in ("H2", "H3") and "/Pg" in following:
                    assert heading.Pg.objgen == following.Pg.objgen, \
                        f"a heading alone at the foot of page {pages(pdf)[heading.Pg.objgen]}"


def pages(pdf: pikepdf.Pdf) -> dict[Any, int]:
    return {page.obj.objgen: number for number, page in enumerate(pdf.pages, start=1)}


def failing_check(data: bytes) -> list[Finding]:
    return [Finding("table_headers", False, "Table 2 has no header cells.")]


def test_a_report_failing_its_own_check_is_not_shipped(monkeypatch: pytest.MonkeyPatch,
                                                       _example_bid: dict[str, Any],
                                                       _example_report: dict[str, Any]) -> None:
    monkeypatch.setattr(report_renderer, "check_pdf", failing_check)
    with pytest.raises(RenderFault, match="no file claiming PDF/UA was made"):
        render_report_pdf(SOURCES, varied(_example_bid, _example_report, 3, 0))


def test_the_cli_exits_1_and_blames_labdocs_when_the_check_fails(monkeypatch: pytest.MonkeyPatch,
                                                                 tmp_path: Path) -> None:
    from labdocs.config import EXAMPLES

    monkeypatch.setattr(report_renderer, "check_pdf", failing_check)
    data = tmp_path / "both.json"
    data.write_text('{"bid": ' + (EXAMPLES / "bid.json").read_text() + ', "report": '
                    + (EXAMPLES / "report.json").read_text() + "}")
    result = CliRunner().invoke(main, ["render", "report", str(data), "-o", str(tmp_path / "report.pdf")])
    assert result.exit_code == 1
    assert "the problem is in labdocs, not in your data" in result.output
    assert not (tmp_path / "report.pdf").exists()


def test_the_service_fails_such_a_report_as_its_own_fault(monkeypatch: pytest.MonkeyPatch, client: FlaskClient,
                                                          auth: dict[str, str], report_project: dict[str, Any]) -> None:
    monkeypatch.setattr(report_renderer, "check_pdf", failing_check)
    asked = client.post(f"/api/v1/projects/{report_project['id']}/documents", json={"kind": "report"}, headers=auth)
    done = wait_for_document(client, auth, asked.headers["Location"])
    assert done["status"] == "failed" and "file" not in done["links"]
    assert "the problem is in labdocs, not in your data" in done["error"]
    assert "no file claiming PDF/UA was made" in done["error"]
    assert client.get(f"{asked.headers['Location']}/file", headers=auth).status_code == 409
