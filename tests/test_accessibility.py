"""service/render/accessibility.py: each check on real PDFs, passing and deliberately broken."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest

from labdocs.render import ASSETS
from labdocs.render.accessibility import check_contrast, check_pdf
from labdocs.render.palette import COLOURS, contrast
from labdocs.render.pdf import make_fetcher, render_pdf
from labdocs.render.tagging import mark_page_artifacts, orphaned_mcids

ASSETS = ASSETS
CSS = """
@font-face { font-family: Lato; src: url(labdocs:asset/fonts/lato/Lato-Regular.ttf); }
@page { size: A5; margin: 15mm; @bottom-right { content: "Page " counter(page); font-family: Lato; } }
html { font-family: Lato; }
"""
GOOD = """<!DOCTYPE html><html lang="en-GB"><head><title>A good document</title></head><body>
<h1>A good document</h1><h2>Figures</h2>
<img src="labdocs:asset/images/round-table.png" alt="People around a table." style="width: 40mm">
<h2>Table</h2>
<table><thead><tr><th scope="col">Output</th><th scope="col">Achieved</th></tr></thead>
<tbody><tr><td>People</td><td>47</td></tr></tbody></table>
<h3>Detail</h3><p>Text.</p></body></html>"""


@pytest.fixture(scope="module")
def css_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("css") / "test.css"
    path.write_text(CSS)
    return path


def results(html: str, css_path: Path, variant: str | None = "pdf/ua-1") -> dict[str, bool]:
    return {f.code: f.passed for f in check_pdf(render_pdf(html, css_path, ASSETS, {}, variant))}


def test_a_good_document_passes_every_check(css_path: Path) -> None:
    assert results(GOOD, css_path) == {
        "tagged": True, "untagged_content": True, "language": True, "title": True, "heading_order": True,
        "bookmarks": True, "figures_alt": True, "table_headers": True, "fonts": True, "contrast": True,
    }


@pytest.mark.parametrize(("code", "broken", "message_start"), [
    ("language", GOOD.replace(' lang="en-GB"', ""), "No document language"),
    ("title", GOOD.replace("<title>A good document</title>", ""), "No document title"),
    ("figures_alt", GOOD.replace(' alt="People around a table."', ""), "1 of 1 figures have no text alternative"),
    ("heading_order", GOOD.replace("<h2>Table</h2>", "<h4>Table</h4>"),
     "Heading 3 jumps from level 2 to level 4"),
    ("heading_order", GOOD.replace("<h1>A good document</h1>", ""), "The first heading is level 2"),
    ("table_headers", GOOD.replace("<th scope=\"col\">", "<td>").replace("</th>", "</td>"),
     "Table 1 has no header cells"),
    ("bookmarks", GOOD.replace("<body>", "<body><style>h1, h2, h3 { bookmark-level: none }</style>"),
     "No bookmarks"),
])
def test_each_broken_document_fails_its_check(css_path: Path, code: str, broken: str, message_start: str) -> None:
    findings = {f.code: f for f in check_pdf(render_pdf(broken, css_path, ASSETS, {}))}
    assert findings[code].passed is False
    assert findings[code].message.startswith(message_start), findings[code].message
    others = [name for name, finding in findings.items() if name != code and not finding.passed]
    assert others == [], f"only {code} should fail, but so did {others}"


def test_an_untagged_pdf_fails(css_path: Path) -> None:
    found = results(GOOD, css_path, variant=None)
    assert found["tagged"] is False
    assert found["figures_alt"] is True  # nothing tagged, so nothing to describe; "tagged" carries the failure


def test_orphaned_footer_content_fails_until_marked_as_artifact() -> None:
    """WeasyPrint alone leaves the running footer outside the structure tree; labdocs marks it an artifact."""
    from weasyprint import CSS as Stylesheet
    from weasyprint import HTML

    footer = Stylesheet(string='@page { size: A5; @bottom-right { content: "Page " counter(page) } }')
    raw = HTML(string=GOOD.replace('<img src="labdocs:asset/images/round-table.png" alt="People around a '
                                   'table." style="width: 40mm">', "")).write_pdf(
        pdf_variant="pdf/ua-1", stylesheets=[footer])
    before = {f.code: f for f in check_pdf(raw)}
    assert before["untagged_content"].passed is False
    assert "on page(s) 1 are marked but outside the document structure" in before["untagged_content"].message
    fixed = mark_page_artifacts(raw)
    assert {f.code: f.passed for f in check_pdf(fixed)}["untagged_content"] is True
    with pikepdf.open(io.BytesIO(fixed)) as pdf:
        assert orphaned_mcids(pdf) == {}
        operators = [(str(i.operator), i.operands) for i in pikepdf.parse_content_stream(pdf.pages[0])]
        assert any(op == "BDC" and ops[0] == "/Artifact" for op, ops in operators)



def detach_first_mcid(data: bytes) -> bytes:
    """The PDF with the structure element of page 1's first marked content cut loose from the tree."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        stack = [pdf.Root.StructTreeRoot]
        while stack:
            node = stack.pop()
            kids = node.get("/K")
            items = list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
            if 0 in [kid for kid in items if isinstance(kid, int)]:
                node.K = pikepdf.Array([kid for kid in items if kid != 0])
                break
            stack.extend(kid for kid in items if isinstance(kid, pikepdf.Dictionary))
        output = io.BytesIO()
        pdf.save(output)
        return output.getvalue()


def test_orphaned_body_content_is_not_waved_through_as_page_furniture(css_path: Path) -> None:
    """Only orphans drawn after the body (WeasyPrint's margin boxes) become artifacts; one in the body fails."""
    from weasyprint import CSS as Stylesheet
    from weasyprint import HTML

    footer = Stylesheet(string='@page { size: A5; @bottom-right { content: "Page " counter(page) } }')
    raw = HTML(string=GOOD, base_url="labdocs:", url_fetcher=make_fetcher(ASSETS, {})).write_pdf(
        pdf_variant="pdf/ua-1", stylesheets=[footer])
    marked = mark_page_artifacts(detach_first_mcid(raw))
    assert {f.code: f.passed for f in check_pdf(mark_page_artifacts(raw))}["untagged_content"] is True
    finding = {f.code: f for f in check_pdf(marked)}["untagged_content"]
    assert finding.passed is False and "on page(s) 1 are marked but outside" in finding.message
    with pikepdf.open(io.BytesIO(marked)) as pdf:
        assert orphaned_mcids(pdf) == {1: {0}}  # the footer became an artifact; the body's orphan did not

def unembedded_font_pdf() -> bytes:
    """A one-page PDF whose text uses Helvetica by name only: not embedded, no Unicode map."""
    pdf = pikepdf.new()
    font = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica)
    page = pikepdf.Page(pikepdf.Dictionary(
        Type=pikepdf.Name.Page, MediaBox=[0, 0, 200, 200],
        Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)),
        Contents=pdf.make_stream(b"BT /F1 12 Tf 20 100 Td (Hello) Tj ET")))
    pdf.pages.append(page)
    output = io.BytesIO()
    pdf.save(output)
    return output.getvalue()


def test_an_unembedded_font_fails() -> None:
    fonts = {f.code: f for f in check_pdf(unembedded_font_pdf())}["fonts"]
    assert fonts.passed is False
    assert fonts.message == "Fonts with problems: Helvetica: not embedded."


def test_low_contrast_colours_fail() -> None:
    grey_text = {**COLOURS, "muted": "#999999"}
    finding = check_contrast(grey_text)
    assert finding.passed is False
    assert finding.message == "Contrast too low: notes and captions 2.8:1 (needs 4.5:1)."


@pytest.mark.parametrize(("first", "second", "ratio"), [
    ("#000000", "#FFFFFF", 21.0), ("#FFFFFF", "#FFFFFF", 1.0), ("#767676", "#FFFFFF", 4.54),
])
def test_contrast_matches_wcag(first: str, second: str, ratio: float) -> None:
    assert contrast(first, second) == pytest.approx(ratio, abs=0.01)
