"""reader.pdf, the zine's screen edition, tagged as PDF/UA-1: checked by labdocs' own accessibility checks and by
`pdfua`, and its structure read back with pikepdf (the text of each element with pdfium, by marked content).

Zines are generated for variety: the bundled example, 1, 2, 8 and 40 pages, booklets and both mini-zines, light
and dark themes, pages with pictures and without, optional fields left empty, a zine without a cover. Each is
rendered once (module fixtures) and every test reads the same files.
"""

from __future__ import annotations

import ctypes
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pikepdf
import pytest
from pdfua import validate

from labdocs.config import EXAMPLES
from labdocs.render import ASSETS, Rendered, bundled_sources
from labdocs.render.accessibility import check_pdf, role, walk
from labdocs.render.impose import padded
from labdocs.render.structure import kids_of
from labdocs.render.tagging import claims_pdfua, without_pdfua_claim
from labdocs.render.zine import render_zine
from labdocs.schemas.zine import load_zine

pytestmark = pytest.mark.slow
PHOTO = "0" * 31 + "1"
SOURCES = bundled_sources(lambda key: (ASSETS / "images" / "round-table.png").read_bytes())
PDFUA_BROKEN = {"UA-14-001"}  # pdfua 0.1.3 raises on it for every file, so it never runs
THEMES = {"light": ("#FFFDF7", "#1A1A1A", "#0B4F6C"), "dark": ("#14213D", "#F5F0E6", "#FCA311")}
BACKGROUNDS = [None, "#0B2545", "#F2E8CF", "#A31F1F", "#FFFFFF"]


def page(layout: str, number: int, pictured: bool, empty: bool) -> dict[str, Any]:
    """One page of a generated zine; `empty` leaves its optional fields empty (no heading, no attribution)."""
    heading = "" if empty else f"Heading {number}"
    body = "" if empty and layout != "text" else f"Page {number} says what the lab found.\n- a first point\n- a second"
    base = {"layout": layout, "heading": heading, "body": body,
            "background": BACKGROUNDS[number % len(BACKGROUNDS)]}
    if layout == "quote":
        return {**base, "quote": f"We changed how decisions are made ({number}).",
                "quote_by": "" if empty else "A resident"}
    if layout == "image-full":
        return {**base, "image": "asset:garden.jpg", "alt": f"A drawing of a community garden, page {number}."}
    if layout == "text" and pictured:
        return {**base, "image": PHOTO, "alt": f"People round a table, page {number}."}
    return base


MIDDLE = ("text", "quote", "image-full", "text")


def generated(count: int, fmt: str = "booklet-a5", theme: str = "light", mode: str = "print-shop",
              pictures: bool = True, cover: bool = True, subtitle: str = "Generated") -> dict[str, Any]:
    """`count` pages: a cover (with a picture if `pictures`), every layout in turn, and a back page."""
    paper, ink, accent = THEMES[theme]
    layouts = [MIDDLE[n % len(MIDDLE)] for n in range(count)]
    if not pictures:
        layouts = ["text" if layout == "image-full" else layout for layout in layouts]
    pages = [page(layout, n + 1, pictures, empty=n % 3 == 2) for n, layout in enumerate(layouts)]
    if cover:
        street = {"image": "asset:street.jpg", "alt": "A drawing of a street and its community hall."}
        pages[0] = {"layout": "cover", "heading": "", "body": "" if count > 2 else "A policy lab",
                    **(street if pictures else {})}
    if count > 1:
        pages[-1] = {"layout": "back", "heading": "Who made this", "body": "- Us\n- Them"}
    return load_zine({"title": f"A zine of {count} pages", "subtitle": subtitle, "format": fmt,
                      "print": {"mode": mode, "crop_marks": mode == "print-shop"},
                      "theme": {"paper": paper, "ink": ink, "accent": accent}, "pages": pages})


CASES = {
    "example": lambda: load_zine(json.loads((EXAMPLES / "zine.json").read_text("utf-8"))),
    "1-page": lambda: generated(1, theme="dark", mode="home", pictures=False, subtitle=""),
    "2-page-welsh": lambda: {**generated(2, theme="dark"), "language": "cy"},
    "8-page": lambda: generated(8, theme="light", mode="home"),
    "40-page": lambda: generated(40, theme="dark"),
    "mini-a4": lambda: generated(8, "minizine-a4", theme="dark", mode="home"),
    "mini-letter-no-cover": lambda: generated(8, "minizine-letter", pictures=False, cover=False),
    "decorative-pictures": lambda: decorated(generated(8, theme="dark")),
}


def decorated(zine: dict[str, Any]) -> dict[str, Any]:
    """The cover's and the text pages' pictures marked decorative, with no alt text; full-page ones keep theirs."""
    pages = [{**page, "alt": "", "decorative": True} if page["image"] and page["layout"] != "image-full" else page
             for page in zine["pages"]]
    return load_zine({**zine, "pages": pages})


class Made(NamedTuple):
    zine: dict[str, Any]
    rendered: Rendered
    path: Path

    @property
    def reader(self) -> bytes:
        return self.rendered.files["reader.pdf"]


@pytest.fixture(scope="module", params=list(CASES))
def made(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Made:
    zine = CASES[request.param]()
    rendered = render_zine(SOURCES, {"zine": zine, "images": {PHOTO: PHOTO}, "generated_on": "2026-12-03"})
    path = tmp_path_factory.mktemp("reader") / "reader.pdf"
    path.write_bytes(rendered.files["reader.pdf"])
    return Made(zine, rendered, path)


# --- reading the structure back --------------------------------------------------------------------


class Element(NamedTuple):
    role: str
    page: int | None  # 1-based, of the element's own content
    text: str  # every piece of text under it, in order
    alt: str | None
    kids: list[str]  # the roles of its child elements


def marked_text(data: bytes) -> dict[tuple[int, int], str]:
    """The text of each piece of marked content, by (page index, MCID), as pdfium reads it."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    document = pdfium.PdfDocument(data)
    found: dict[tuple[int, int], str] = {}
    try:
        for index, pdf_page in enumerate(document):
            text_page = pdf_page.get_textpage()
            for item in pdf_page.get_objects(max_depth=1):
                if item.type != raw.FPDF_PAGEOBJ_TEXT:
                    continue
                mcid = raw.FPDFPageObj_GetMarkedContentID(item.raw)
                size = raw.FPDFTextObj_GetText(item.raw, text_page.raw, None, 0)
                buffer = (ctypes.c_ushort * max(size // 2, 1))()
                raw.FPDFTextObj_GetText(item.raw, text_page.raw, buffer, size)
                piece = bytes(buffer)[:max(size - 2, 0)].decode("utf-16-le")
                if mcid >= 0:
                    found[(index, mcid)] = found.get((index, mcid), "") + piece
    finally:
        document.close()
    return found


def structure(data: bytes) -> list[Element]:
    """Every structure element in reading (depth-first) order."""
    texts = marked_text(data)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        numbers = {pdf_page.obj.objgen: index for index, pdf_page in enumerate(pdf.pages)}

        def content(node: pikepdf.Dictionary, page: Any) -> Iterator[tuple[int, int]]:
            page = node.get("/Pg", page)
            for kid in kids_of(node):
                if isinstance(kid, int):
                    yield numbers[page.objgen], int(kid)
                elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                    yield numbers[kid.get("/Pg", page).objgen], int(kid.MCID)
                elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    yield from content(kid, page)

        def element(node: pikepdf.Dictionary) -> Element:
            pieces = list(content(node, None))
            return Element(role(node), pieces[0][0] + 1 if pieces else None,
                           " ".join(" ".join(texts.get(piece, "") for piece in pieces).split()),
                           str(node.Alt) if "/Alt" in node else None,
                           [role(kid) for kid in kids_of(node) if isinstance(kid, pikepdf.Dictionary) and "/S" in kid])

        return [element(node) for node in walk(pdf.Root.StructTreeRoot)]


def shown_pages(made: Made) -> list[dict[str, Any]]:
    """The zine's pages as the reader prints them: a booklet padded with blanks to a multiple of 4."""
    return padded(list(made.zine["pages"]), made.zine["format"] == "booklet-a5")


# --- the tests ---------------------------------------------------------------------------------------


def test_passes_labdocs_checks_and_claims_pdfua(made: Made) -> None:
    findings = check_pdf(made.reader, colours=None)
    assert [finding.message for finding in findings if not finding.passed] == []
    screen = next(item for item in made.rendered.findings if item["code"] == "screen_edition")
    assert screen["status"] == "pass" and "accessible PDF (PDF/UA-1)" in screen["message"]
    assert claims_pdfua(made.reader)
    others = [name for name in ("imposed.pdf", "print.pdf", "print-imposed.pdf") if name in made.rendered.files]
    assert not [name for name in others if claims_pdfua(made.rendered.files[name])]  # sheets and PDF/X: untagged
    with pikepdf.open(made.path) as pdf:
        assert str(pdf.open_metadata()["pdfuaid:part"]) == "1"


def test_pdfua_finds_nothing(made: Made) -> None:
    report = validate(str(made.path))
    assert [(finding.rule_id, finding.message) for finding in report.findings] == []
    assert {outcome.rule_id for outcome in report.skipped} <= PDFUA_BROKEN


def test_language_and_title(made: Made) -> None:
    with pikepdf.open(made.path) as pdf:
        assert str(pdf.Root.Lang) == made.zine["language"]
        assert str(pdf.docinfo.Title) == made.zine["title"]
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle) is True
        assert pdf.open_metadata()["dc:title"] == made.zine["title"]


def test_reading_order_follows_the_pages(made: Made) -> None:
    """One section per page, in page order, and nothing in the tree read before something on an earlier page."""
    tree = structure(made.reader)
    document = tree[0]
    assert document.role == "Document" and set(document.kids) <= {"Sect"}
    pages = [element.page for element in tree[1:] if element.page is not None]
    assert pages == sorted(pages)
    sections = [element.page for element in tree if element.role == "Sect"]
    shown = [n for n, item in enumerate(shown_pages(made), start=1) if item["layout"] != "blank"]
    assert sections == shown  # a blank padding page has nothing to read, so no section


def expected_headings(made: Made) -> list[tuple[int, str, str]]:
    """(page, level, text) of every heading the reader should have: the cover's title, then each page's."""
    found: list[tuple[int, str, str]] = []
    for number, item in enumerate(shown_pages(made), start=1):
        text = item["heading"] or (made.zine["title"] if item["layout"] == "cover" else "")
        if text and item["layout"] != "blank":
            level = "H1" if item["layout"] == "cover" or not found else "H2"
            found.append((number, level, text))
    return found


def test_headings_are_each_pages_heading_in_order(made: Made) -> None:
    headings = [(e.page, e.role, e.text) for e in structure(made.reader) if e.role in ("H1", "H2", "H3")]
    assert headings == expected_headings(made)
    assert headings[0][1] == "H1"


def test_every_picture_is_a_figure_with_its_alt_text(made: Made) -> None:
    figures = [(e.page, e.alt) for e in structure(made.reader) if e.role == "Figure"]
    expected = [(number, item["alt"]) for number, item in enumerate(shown_pages(made), start=1)
                if item["image"] and not item["decorative"]]
    assert figures == expected


def test_a_decorative_picture_is_drawn_as_an_artifact(made: Made) -> None:
    """A picture marked decorative is skipped by screen readers: no figure, its drawing inside an artifact."""
    decorative = [number for number, item in enumerate(shown_pages(made), start=1)
                  if item["image"] and item.get("decorative")]
    figures = {e.page for e in structure(made.reader) if e.role == "Figure"}
    with pikepdf.open(made.path) as pdf:
        for number in decorative:
            assert number not in figures
            assert pictures_drawn(pdf.pages[number - 1]) == [True], f"page {number}"


def pictures_drawn(pdf_page: pikepdf.Page) -> list[bool]:
    """For each image the page draws (a Do of an image XObject), whether it is drawn inside an artifact."""
    marks: list[bool] = []
    drawn = []
    images = {name for name, xobject in pdf_page.Resources.get("/XObject", {}).items()
              if xobject.get("/Subtype") == "/Image"}
    for instruction in pikepdf.parse_content_stream(pdf_page):
        operator = str(instruction.operator)
        if operator in ("BDC", "BMC"):
            marks.append(str(instruction.operands[0]) == "/Artifact")
        elif operator == "EMC" and marks:
            marks.pop()
        elif operator == "Do" and str(instruction.operands[0]) in images:
            drawn.append(any(marks))
    return drawn


def test_lists_and_quotes_are_tagged_as_such(made: Made) -> None:
    tree = structure(made.reader)
    bullets = sum(text.startswith("- ") for item in shown_pages(made) if item["layout"] in ("cover", "text", "back")
                  for text in item["body"].splitlines())
    items = [e for e in tree if e.role == "LI"]
    assert len(items) == bullets
    assert all(e.kids == ["Lbl", "LBody"] for e in items)
    assert all(set(e.kids) == {"LI"} for e in tree if e.role == "L")
    quotes = [e.text for e in tree if e.role == "BlockQuote"]
    expected = [f"“{item['quote']}”" + (f" {item['quote_by']}" if item["quote_by"] else "")
                for item in shown_pages(made) if item["layout"] == "quote"]
    assert quotes == expected


def test_page_numbers_and_marks_are_artifacts(made: Made) -> None:
    """No page number in the tree; every text, picture and line on every page inside marked content."""
    tree = structure(made.reader)
    assert not [e for e in tree if e.role == "P" and e.text.isdigit()]
    with pikepdf.open(made.path) as pdf:
        for number, pdf_page in enumerate(pdf.pages, start=1):
            assert unmarked_drawing(pdf_page) == [], f"page {number}"
            artifacts = artifact_kinds(pdf_page)
            if made.zine["print"]["crop_marks"]:
                assert "/Page" in artifacts  # the crop marks


PAINTING = {"Tj", "TJ", "'", '"', "Do", "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "BI"}


def unmarked_drawing(pdf_page: pikepdf.Page) -> list[str]:
    """Operators that paint something outside any marked content (neither tagged nor an artifact)."""
    depth, found = 0, []
    for instruction in pikepdf.parse_content_stream(pdf_page):
        operator = str(instruction.operator)
        if operator in ("BDC", "BMC"):
            depth += 1
        elif operator == "EMC":
            depth -= 1
        elif operator in PAINTING and depth == 0:
            found.append(operator)
    return found


def artifact_kinds(pdf_page: pikepdf.Page) -> set[str]:
    kinds = set()
    for instruction in pikepdf.parse_content_stream(pdf_page):
        if str(instruction.operator) == "BDC" and str(instruction.operands[0]) == "/Artifact":
            properties = instruction.operands[1]
            kinds.add(str(properties.get("/Type", "")) if isinstance(properties, pikepdf.Dictionary) else "")
    return kinds


# --- a reader that fails its own check claims nothing ------------------------------------------------


def unclaimed(zine: dict[str, Any]) -> tuple[Rendered, dict[str, Any]]:
    rendered = render_zine(SOURCES, {"zine": load_zine(zine), "images": {}, "generated_on": "2026-12-03"})
    return rendered, next(item for item in rendered.findings if item["code"] == "screen_edition")


def test_a_reader_without_headings_is_shipped_but_claims_no_pdfua() -> None:
    rendered, screen = unclaimed({"title": "Untitled pages", "format": "booklet-a5", "print": {"mode": "home"},
                                  "pages": [{"layout": "text", "body": "Words without a heading."}]})
    assert not claims_pdfua(rendered.files["reader.pdf"])
    with pikepdf.open(io.BytesIO(rendered.files["reader.pdf"])) as pdf:
        assert "/StructTreeRoot" in pdf.Root  # still tagged, for what the tags are worth
    assert screen["status"] == "warn"
    assert screen["message"].startswith("Screen edition: reader.pdf is not marked as an accessible PDF (PDF/UA-1)")
    assert "No headings: people cannot jump between sections." in screen["message"]
    assert "give the first page one" in screen["message"]
    preflight = json.loads(rendered.files["preflight.json"])
    assert preflight["accessibility"]["pdfua"] is False
    assert "✗" not in rendered.files["preflight.txt"].decode()  # a warning: the print files are unaffected


def test_a_reader_with_a_character_no_font_has_claims_no_pdfua() -> None:
    rendered, screen = unclaimed({"title": "Party", "format": "booklet-a5", "print": {"mode": "home"},
                                  "pages": [{"layout": "cover", "heading": "Party \N{PARTY POPPER}"}]})
    assert not claims_pdfua(rendered.files["reader.pdf"])
    assert screen["status"] == "warn"
    assert "1 character no font has (\N{PARTY POPPER}) would be read out as empty boxes" in screen["message"]
    glyphs = next(item for item in rendered.findings if item["code"] == "glyphs")
    assert glyphs["status"] == "fail" and "U+1F389" in glyphs["message"]


def test_the_claim_can_be_taken_off_and_nothing_else_changes() -> None:
    rendered = render_zine(SOURCES, {"zine": generated(1, mode="home", pictures=False), "images": {},
                                     "generated_on": "2026-12-03"})
    reader = rendered.files["reader.pdf"]
    assert claims_pdfua(reader)
    bare = without_pdfua_claim(reader)
    assert not claims_pdfua(bare)
    assert check_pdf(bare, colours=None) == check_pdf(reader, colours=None)
