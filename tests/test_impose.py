"""service/render/impose.py: each sheet holds the right pages, in the right place, the right way up,
read back from the imposed PDF itself (pdfium: character positions and angles in sheet space)."""

from __future__ import annotations

import io
import json
import math
from collections.abc import Iterator
from typing import Any

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import pytest

from labdocs.render import bundled_sources
from labdocs.render.geometry import FOLIO_ROOM_MM, SAFE_MM, mm
from labdocs.render.impose import booklet_sides, impose_booklet, padded, printed_numbers
from labdocs.render.zine import render_zine, zine_geometry
from labdocs.schemas.zine import load_zine

SOURCES = bundled_sources(lambda key: b"")


def numbered_zine(count: int, fmt: str = "booklet-a5", mode: str = "home", **extra: Any) -> dict[str, Any]:
    """A zine whose pages carry their numbers as headings: P01 on the cover … the last on the back."""
    pages = [{"layout": "text", "heading": f"P{n:02d}", "body": f"This is page {n}."} for n in range(1, count + 1)]
    pages[0] = {"layout": "cover", "heading": "P01"}
    pages[-1] = {"layout": "back", "heading": f"P{count:02d}", "body": "The back cover."}
    return load_zine({"title": "Numbered", "format": fmt, "print": {"mode": mode, **extra}, "pages": pages})


def render(zine: dict[str, Any]) -> dict[str, bytes]:
    return render_zine(SOURCES, {"zine": zine, "images": {}, "generated_on": "2026-11-24"}).files


def labels(pdf: bytes, page_index: int) -> dict[str, tuple[float, float, int]]:
    """Every P-number on one page: its first character's centre (mm from the bottom left) and angle."""
    document = pdfium.PdfDocument(pdf)
    try:
        text = document[page_index].get_textpage()
        found = {}
        for index in range(text.count_chars()):
            if text.get_text_range(index, 3).startswith("P") and text.get_text_range(index, 3)[1:].isdigit():
                left, bottom, right, top = text.get_charbox(index)
                angle = round(math.degrees(pdfium_raw.FPDFText_GetCharAngle(text.raw, index))) % 360
                found[text.get_text_range(index, 3)] = (mm((left + right) / 2), mm((bottom + top) / 2), angle)
        return found
    finally:
        document.close()


def sheet_halves(pdf: bytes, side: int, width_mm: float) -> tuple[list[str], list[str], set[int]]:
    found = labels(pdf, side)
    left = sorted(label for label, (x, _, _) in found.items() if x < width_mm / 2)
    right = sorted(label for label, (x, _, _) in found.items() if x >= width_mm / 2)
    return left, right, {angle for _, _, angle in found.values()}


def test_the_order_rule() -> None:
    assert booklet_sides(8) == [(8, 1), (2, 7), (6, 3), (4, 5)]
    assert booklet_sides(12) == [(12, 1), (2, 11), (10, 3), (4, 9), (8, 5), (6, 7)]


@pytest.mark.parametrize("count", [8, 12])
def test_booklet_sheets_hold_the_right_pages_upright(count: int) -> None:
    imposed = render(numbered_zine(count))["imposed.pdf"]
    with pikepdf.open(io.BytesIO(imposed)) as pdf:
        assert len(pdf.pages) == count // 2
    for side, (left, right) in enumerate(booklet_sides(count)):
        assert sheet_halves(imposed, side, 297) == ([f"P{left:02d}"], [f"P{right:02d}"], {0})


def test_ten_pages_are_padded_with_blanks_before_the_back_cover() -> None:
    files = render(numbered_zine(10))
    reader_labels = [sorted(labels(files["reader.pdf"], i)) for i in range(12)]
    assert reader_labels == [[f"P{n:02d}"] for n in range(1, 10)] + [[], [], ["P10"]]
    expected = {12: "P10", 10: None, 11: None} | {n: f"P{n:02d}" for n in range(1, 10)}
    for side, (left, right) in enumerate(booklet_sides(12)):
        got_left, got_right, _ = sheet_halves(files["imposed.pdf"], side, 297)
        assert got_left == ([expected[left]] if expected[left] else [])
        assert got_right == ([expected[right]] if expected[right] else [])


def test_a_one_page_booklet_keeps_its_page_first() -> None:
    zine = load_zine({"title": "Card", "format": "booklet-a5", "print": {"mode": "home"},
                      "pages": [{"layout": "cover", "heading": "P01"}]})
    files = render(zine)
    assert [sorted(labels(files["reader.pdf"], i)) for i in range(4)] == [["P01"], [], [], []]


def test_long_edge_variant_turns_every_back_round() -> None:
    files = render(numbered_zine(8))
    long_edge = files["imposed-long-edge.pdf"]
    for side, (left, right) in enumerate(booklet_sides(8)):
        if side % 2 == 0:  # fronts as in the short-edge file
            assert sheet_halves(long_edge, side, 297) == ([f"P{left:02d}"], [f"P{right:02d}"], {0})
        else:  # backs turned 180°: the right page of the side is now on the left, upside down
            assert sheet_halves(long_edge, side, 297) == ([f"P{right:02d}"], [f"P{left:02d}"], {180})


MINIZINE_GRID = [[5, 4, 3, 2], [6, 7, 8, 1]]


@pytest.mark.parametrize(("fmt", "sheet"), [("minizine-a4", (297.0, 210.0)), ("minizine-letter", (279.4, 215.9))])
def test_minizine_grid_and_rotation(fmt: str, sheet: tuple[float, float]) -> None:
    imposed = render(numbered_zine(8, fmt))["imposed.pdf"]
    width, height = sheet
    found = labels(imposed, 0)
    assert len(found) == 8
    for row, pages in enumerate(MINIZINE_GRID):
        for column, page in enumerate(pages):
            x, y, angle = found[f"P{page:02d}"]
            assert int(x // (width / 4)) == column, (page, x)
            assert (y >= height / 2) == (row == 0), (page, y)
            assert angle == (180 if row == 0 else 0), (page, angle)
    with pikepdf.open(io.BytesIO(imposed)) as pdf:
        assert len(pdf.pages) == 2  # the sheet, then the folding instructions
        size = [round(mm(float(v)), 1) for v in pdf.pages[0].obj.MediaBox[2:]]
        assert size == [width, height]


def guide_lines(imposed: bytes) -> Iterator[tuple[float, float, float, float, bool]]:
    """The sheet's own straight lines (fold and cut guides) in mm, and whether each is dashed."""
    with pikepdf.open(io.BytesIO(imposed)) as pdf:
        start, dashed = None, False
        for instruction in pikepdf.parse_content_stream(pdf.pages[0]):
            operator = str(instruction.operator)
            if operator == "d":
                dashed = len(instruction.operands[0]) > 0
            elif operator == "m":
                start = tuple(mm(float(v)) for v in instruction.operands)
            elif operator == "l" and start is not None:
                x1, y1 = (mm(float(v)) for v in instruction.operands)
                yield round(start[0], 2), round(start[1], 2), round(x1, 2), round(y1, 2), dashed


def test_minizine_guides_fold_everywhere_and_cut_only_the_middle_columns() -> None:
    lines = list(guide_lines(render(numbered_zine(8, "minizine-a4"))["imposed.pdf"]))
    cuts = [line[:4] for line in lines if not line[4]]
    assert cuts == [(74.25, 105.0, 222.75, 105.0)]  # the centre line, through the middle two columns only
    folds = sorted(line[:4] for line in lines if line[4])
    assert folds == [(5.0, 105.0, 74.25, 105.0), (74.25, 5.0, 74.25, 205.0), (148.5, 5.0, 148.5, 205.0),
                     (222.75, 5.0, 222.75, 205.0), (222.75, 105.0, 292.0, 105.0)]


@pytest.mark.parametrize("fmt", ["booklet-a5", "minizine-a4"])
def test_print_shop_sheets_carry_the_bleed(fmt: str) -> None:
    """A full-bleed cover colour reaches 3 mm past the sheet's trim on the imposed sheet, as on the reader."""
    zine = numbered_zine(8, fmt=fmt, mode="print-shop")
    imposed = render(zine)["imposed.pdf"]
    with pikepdf.open(io.BytesIO(imposed)) as pdf:
        trim = [float(v) for v in pdf.pages[0].obj["/TrimBox"]]
        bleed = [float(v) for v in pdf.pages[0].obj["/BleedBox"]]
    assert round(mm(trim[0] - bleed[0]), 1) == 3.0
    document = pdfium.PdfDocument(imposed)
    try:
        scale = 150 / 72
        image = document[0].render(scale=scale).to_pil().convert("RGB")
    finally:
        document.close()
    # The cover (page 1) sits bottom right on both sheets; look 1.5 mm outside its trim, below and to the right.
    outside = (round((trim[2] + 1.5 / 25.4 * 72) * scale), image.height - round((trim[1] - 1.5 / 25.4 * 72) * scale))
    inside = (round((trim[2] - 3 / 25.4 * 72) * scale), image.height - round((trim[1] + 3 / 25.4 * 72) * scale))
    assert image.getpixel(inside) != (255, 255, 255), "the cover should be coloured to its edge"
    assert image.getpixel(outside) == image.getpixel(inside)


def test_ten_pages_without_a_back_cover_keep_their_order_and_end_blank() -> None:
    """No back cover to tuck the blanks before: they go at the end, and the tenth page stays page 10."""
    zine = numbered_zine(10)
    zine["pages"][-1] = {**zine["pages"][-1], "layout": "text"}
    files = render(zine)
    reader_labels = [sorted(labels(files["reader.pdf"], i)) for i in range(12)]
    assert reader_labels == [[f"P{n:02d}"] for n in range(1, 11)] + [[], []]
    page_count = next(check for check in json.loads(files["preflight.json"])["checks"] if check["code"] == "page_count")
    assert "2 blank pages added at the end" in page_count["message"]
    assert "make the last page a Back cover" in page_count["message"]


def test_the_cover_prints_the_zine_title_and_its_own_heading_under_it() -> None:
    zine = numbered_zine(8)
    zine["pages"][0]["heading"] = "P99 what we learned"
    text = page_text(render(zine)["reader.pdf"], 0)
    assert text.index("Numbered") < text.index("P99 what we learned")


def test_a_cover_heading_that_repeats_the_title_is_printed_once() -> None:
    zine = numbered_zine(8)
    zine["pages"][0]["heading"] = "numbered "
    assert page_text(render(zine)["reader.pdf"], 0).count("Numbered") == 1


def page_text(pdf: bytes, page_index: int) -> str:
    document = pdfium.PdfDocument(pdf)
    try:
        return document[page_index].get_textpage().get_text_range()
    finally:
        document.close()


@pytest.mark.parametrize("fmt", ["booklet-a5", "minizine-a4"])
def test_short_text_sits_at_the_optical_centre_and_long_text_starts_at_the_top(fmt: str) -> None:
    """A heading and a line are centred in the text box, a little above its middle; a page of text too long for
    the box still starts at the box's top (and preflight says the end is cut off)."""
    zine = numbered_zine(8, fmt=fmt)
    zine["pages"][2]["body"] = "A long page. " * 230
    files = render(zine)
    geo = zine_geometry(zine)
    top, floor = geo.page_mm[1] - SAFE_MM, SAFE_MM + FOLIO_ROOM_MM[geo.scale]
    _, short_y, _ = labels(files["reader.pdf"], 1)["P02"]
    _, long_y, _ = labels(files["reader.pdf"], 2)["P03"]
    middle = (top + floor) / 2
    assert middle < short_y < middle + (top - floor) * 0.2
    assert top - 12 < long_y < top
    assert any(check["code"] == "text_fits" and check["status"] == "fail"
               for check in json.loads(files["preflight.json"])["checks"])


def drawn_streams(pdf: pikepdf.Pdf) -> Iterator[tuple[str, Any, Any]]:
    """Every page of the file and every form XObject and tiling pattern drawn from it, however deeply
    nested: a label, the page or stream, and its resources' /Properties (None without)."""
    seen: set[tuple[int, int]] = set()
    stack: list[tuple[str, Any]] = [(f"page {n}", page.obj) for n, page in enumerate(pdf.pages, start=1)]
    while stack:
        label, holder = stack.pop()
        resources = holder.get("/Resources")
        resources = resources if isinstance(resources, pikepdf.Dictionary) else pikepdf.Dictionary()
        yield label, holder, resources.get("/Properties")
        for group in ("/XObject", "/Pattern"):
            for name, child in (resources.get(group) or pikepdf.Dictionary()).items():
                drawn = child.get("/Subtype") == "/Form" or child.get("/PatternType") == 1
                if isinstance(child, pikepdf.Stream) and drawn and child.objgen not in seen:
                    seen.add(child.objgen)
                    stack.append((f"{label} {name}", child))


def marked_content(holder: Any, properties: Any) -> tuple[list[int], bool]:
    """The MCIDs a content stream's marked content carries (inline or named in /Properties), and whether its
    BMC/BDC and EMC operators are balanced (never closing more than is open, all closed at the end)."""
    mcids, depth, balanced = [], 0, True
    target = pikepdf.Page(holder) if holder.get("/Type") == "/Page" else holder
    for instruction in pikepdf.parse_content_stream(target):
        operator = str(instruction.operator)
        if operator in ("BDC", "DP"):
            found = instruction.operands[1]
            if isinstance(found, pikepdf.Name) and properties is not None:
                found = properties.get(found)
            if isinstance(found, pikepdf.Dictionary) and "/MCID" in found:
                mcids.append(int(found.MCID))
        if operator in ("BMC", "BDC"):
            depth += 1
        elif operator == "EMC":
            depth -= 1
            balanced = balanced and depth >= 0
    return mcids, balanced and depth == 0


def assert_untagged(sheets: bytes) -> None:
    """A print file that says nothing about a structure it does not have: no MCIDs, balanced marked content,
    no struct parents, no structure tree, not marked, no PDF/UA identification."""
    with pikepdf.open(io.BytesIO(sheets)) as pdf:
        assert "/StructTreeRoot" not in pdf.Root
        assert "/MarkInfo" not in pdf.Root or not pdf.Root.MarkInfo.get("/Marked", False)
        if "/Metadata" in pdf.Root:
            assert b"pdfuaid" not in pdf.Root.Metadata.read_bytes()
        streams = list(drawn_streams(pdf))
        assert any(label.startswith("page 1 /") for label, _, _ in streams), "the sheet should draw the pages"
        for label, holder, properties in streams:
            mcids, balanced = marked_content(holder, properties)
            assert mcids == [], label
            assert balanced, label
            assert "/StructParents" not in holder and "/StructParent" not in holder, label


def inked(pdf: bytes, page_index: int = 0) -> float:
    """The share of a rendered page's pixels that are dark (text, not paper or pale colour)."""
    document = pdfium.PdfDocument(pdf)
    try:
        image = document[page_index].render(scale=50 / 72).to_pil().convert("L")
    finally:
        document.close()
    histogram = image.histogram()
    return sum(histogram[:100]) / (image.width * image.height)


@pytest.mark.parametrize(("fmt", "mode"), [("booklet-a5", "home"), ("minizine-a4", "home"),
                                           ("booklet-a5", "print-shop"), ("minizine-a4", "print-shop")])
def test_imposed_sheets_carry_no_tags_of_the_reader(fmt: str, mode: str) -> None:
    """The tagged reader's MCIDs would be orphans on the sheets, which have no structure tree: the placed pages
    are untagged (their artifacts kept balanced), and the sheets still print every page's ink."""
    files = render(numbered_zine(8, fmt=fmt, mode=mode))
    with pikepdf.open(io.BytesIO(files["reader.pdf"])) as reader:  # the reader is tagged, so this means something
        assert "/StructTreeRoot" in reader.Root
        assert marked_content(reader.pages[0].obj, None)[0]
    sheets = [name for name in ("imposed.pdf", "imposed-long-edge.pdf", "print-imposed.pdf") if name in files]
    assert len(sheets) == (2 if fmt.startswith("booklet") else 1) + (mode == "print-shop")
    for name in sheets:
        assert_untagged(files[name])
        labelled = labels(files[name], 0)
        assert len(labelled) == (8 if fmt.startswith("minizine") else 2), name
        assert inked(files[name]) > 0.0005, f"{name} should print the pages' text"


def test_nested_and_named_marked_content_is_untagged_too() -> None:
    """A reader that tags content inside a nested form, by a named /Properties entry, or leaves an EMC stray:
    none of it reaches the sheet, artifacts stay, and what was marked is still drawn."""
    geo = zine_geometry(numbered_zine(8))
    with pikepdf.new() as reader:
        for number in range(1, 9):
            inner = reader.make_stream(b"/P <</MCID 1>> BDC 0 0 0 rg 20 20 100 100 re f EMC",
                                       Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form,
                                       BBox=[0, 0, 200, 200], StructParent=number * 10)
            page = pikepdf.Dictionary(Type=pikepdf.Name.Page, MediaBox=[0, 0, 437, 612], StructParents=number,
                                      Resources=pikepdf.Dictionary(
                                          XObject=pikepdf.Dictionary(Inner=inner),
                                          Properties=pikepdf.Dictionary(MC0=pikepdf.Dictionary(MCID=0))))
            page.Contents = reader.make_stream(
                b"/Artifact <</Type /Pagination>> BDC 0.5 g 0 0 10 10 re f EMC "
                b"/Span /MC0 BDC /Artifact BMC q 1 0 0 1 50 200 cm /Inner Do Q EMC EMC EMC "
                b"/P <</MCID 2 /Lang (en)>> BDC 0 0 0 rg 300 300 50 50 re f")
            reader.pages.append(pikepdf.Page(page))
        reader.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
        tagged = io.BytesIO()
        reader.save(tagged)
    sheets = impose_booklet(tagged.getvalue(), geo)
    assert_untagged(sheets)
    with pikepdf.open(io.BytesIO(sheets)) as pdf:
        form = pdf.pages[0].Resources.XObject["/P1"]
        operators = [str(instruction.operator) for instruction in pikepdf.parse_content_stream(form)]
        assert operators.count("BDC") == 1 and operators.count("BMC") == 1 and operators.count("EMC") == 2
        assert operators.count("Do") == 1 and operators.count("f") == 2
        assert "/Inner" in form.Resources.XObject
    assert inked(sheets) > 0.005


@pytest.mark.parametrize(("layouts", "booklet", "expected"), [
    (["cover", "text", "back"], True, [1, 2, 4]),  # the blank goes before the back cover
    (["cover", "text", "quote"], True, [1, 2, 3]),  # no back cover: the blank comes last
    (["cover"], True, [1]),
    (["cover", *["text"] * 6, "back"], False, list(range(1, 9))),
    (["cover", *["text"] * 8, "back"], True, [*range(1, 10), 12]),
])
def test_printed_numbers_follow_the_padding(layouts: list[str], booklet: bool, expected: list[int]) -> None:
    pages = [{"layout": layout} for layout in layouts]
    assert printed_numbers(pages, booklet) == expected
    printed = padded(pages, booklet)
    assert [next(n for n, each in enumerate(printed, 1) if each is page) for page in pages] == expected  # as rendered
