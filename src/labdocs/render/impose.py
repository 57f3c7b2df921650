"""Imposition: reader pages placed on printer's sheets, in the order folding and stapling need."""

from __future__ import annotations

import io
from typing import Any, NamedTuple

import pikepdf

from labdocs.render.cmyk import keep_intent, saved
from labdocs.render.geometry import HOME_EDGE_MM, MARK_GAP_MM, MARK_LENGTH_MM, Geometry, Rect, finish_page, pt
from labdocs.render.marked import untag_content
from labdocs.render.tagging import drop_pdfua_claim

# A mini-zine sheet, 4 columns × 2 rows: top row 5 4 3 2 upside down, bottom row 6 7 8 1 upright.
MINIZINE = ((5, 0, 1, True), (4, 1, 1, True), (3, 2, 1, True), (2, 3, 1, True),
            (6, 0, 0, False), (7, 1, 0, False), (8, 2, 0, False), (1, 3, 0, False))


class Placement(NamedTuple):
    """A reader page (1-based) placed into a cell of the sheet, upright or turned 180°."""

    page: int
    cell: Rect
    rotated: bool
    clip: Rect


def padded(pages: list[dict[str, Any]], booklet: bool) -> list[dict[str, Any]]:
    """A saddle-stitched booklet needs a multiple of 4 pages. Blanks go inside, before the back cover, when the
    last page is one; otherwise after the last page (which keeps its place and number), so the outside back
    is blank rather than a text page moved there."""
    where, count = padding(pages, booklet)
    blanks = [{"layout": "blank", "heading": "", "body": "", "quote": "", "quote_by": "", "image": None,
               "alt": "", "background": None}] * count
    return [*pages[:where], *blanks, *pages[where:]]


def padding(pages: list[dict[str, Any]], booklet: bool) -> tuple[int, int]:
    """Where a booklet's blank pages go (the index they are inserted at) and how many it needs."""
    count = -len(pages) % 4 if booklet else 0
    return (len(pages) - 1 if count and blanks_inside(pages) else len(pages)), count


def blanks_inside(pages: list[dict[str, Any]]) -> bool:
    """Whether a booklet's padding goes before its last page: only when that page is a back cover."""
    return len(pages) > 1 and pages[-1]["layout"] == "back"


def printed_numbers(pages: list[dict[str, Any]], booklet: bool) -> list[int]:
    """Where each of the zine's pages comes in the printed zine, 1-based, once `padded` has added its blanks."""
    where, count = padding(pages, booklet)
    return [index + 1 + (count if index >= where else 0) for index in range(len(pages))]


def booklet_sides(count: int) -> list[tuple[int, int]]:
    """Left and right page of each sheet side, front then back: for sheet i of N/4, front
    [N−2i | 2i+1] and back [2i+2 | N−2i−1]. Eight pages: [8|1], [2|7], [6|3], [4|5]."""
    sides = []
    for i in range(count // 4):
        sides.append((count - 2 * i, 2 * i + 1))
        sides.append((2 * i + 2, count - 2 * i - 1))
    return sides


def bleed_clip(cell: Rect, sheet: Rect, bleed: float) -> Rect:
    """The cell, grown by the bleed only where it meets the sheet's edge (inner edges meet other pages)."""
    def grow(edge: float, sheet_edge: float, sign: int) -> float:
        return edge + sign * bleed if abs(edge - sheet_edge) < 0.01 else edge
    return Rect(grow(cell.x0, sheet.x0, -1), grow(cell.y0, sheet.y0, -1),
                grow(cell.x1, sheet.x1, 1), grow(cell.y1, sheet.y1, 1))


def placement_content(placement: Placement, form: str, source_trim: Rect) -> str:
    """Clip, then draw the page's form so that its trim box lands exactly on the cell."""
    cell, clip = placement.cell, placement.clip
    if placement.rotated:
        matrix = f"-1 0 0 -1 {cell.x1 + source_trim.x0:.4f} {cell.y1 + source_trim.y0:.4f}"
    else:
        matrix = f"1 0 0 1 {cell.x0 - source_trim.x0:.4f} {cell.y0 - source_trim.y0:.4f}"
    return (f"q {clip.x0:.4f} {clip.y0:.4f} {clip.width:.4f} {clip.height:.4f} re W n "
            f"{matrix} cm {form} Do Q\n")


def keep_intent_untagged(reader: pikepdf.Pdf, target: pikepdf.Pdf) -> None:
    """The reader's intent carried over (`keep_intent`), less any claim to tags: the sheets are print files,
    not tagged documents (a tagged reader's structure stays behind, and `new_sheet` untags its pages), so they
    carry no structure tree, are not marked, and do not identify as PDF/UA."""
    keep_intent(reader, target)
    if "/Metadata" in target.Root and b"pdfuaid" in target.Root.Metadata.read_bytes():
        drop_pdfua_claim(target)
    for key in ("/StructTreeRoot", "/MarkInfo"):
        if key in target.Root:
            del target.Root[key]


def new_sheet(target: pikepdf.Pdf, reader: pikepdf.Pdf, geo: Geometry, placements: list[Placement],
              extra: str = "", turned: bool = False, untagged: set[tuple[int, int]] | None = None) -> None:
    """Add one sheet side to `target`: pages placed, then guides and marks; turned 180° if asked.

    Each page's form is untagged first (`marked.untag_content`): its marked content would point into a
    structure tree the sheets do not have. `untagged`: the reader's nested forms already done, for all sheets."""
    media = geo.media(geo.sheet_mm)
    source_trim, source_bleed = geo.trim(geo.page_mm), geo.bleed(geo.page_mm)
    forms, content = pikepdf.Dictionary(), []
    for placement in placements:
        name = f"/P{placement.page}"
        form = reader.pages[placement.page - 1].as_form_xobject()
        # QPDF bounds the form by the page's trim box, which would cut the bleed off; the cell's clip decides.
        form.BBox = source_bleed.as_array()
        untag_content(reader, form, set() if untagged is None else untagged)
        forms[name] = target.copy_foreign(form)
        content.append(placement_content(placement, name, source_trim))
    body = "".join(content) + extra
    if turned:  # the long-edge variant: the back of each sheet is upside down relative to the front
        body = f"q -1 0 0 -1 {media.x1:.4f} {media.y1:.4f} cm\n{body}Q\n"
    page = pikepdf.Page(pikepdf.Dictionary(Type=pikepdf.Name.Page, MediaBox=media.as_array(),
                                           Resources=pikepdf.Dictionary(XObject=forms),
                                           Contents=target.make_stream(body.encode())))
    target.pages.append(page)
    finish_page(target, target.pages[-1], geo, geo.sheet_mm)


def impose_booklet(reader_pdf: bytes, geo: Geometry, long_edge: bool = False) -> bytes:
    """A5 pages, two to an A4 landscape side, in saddle-stitch order (the reader is already padded to 4s).

    Print double-sided, flipping on the short edge; the long-edge variant turns every back 180°.
    """
    with pikepdf.open(io.BytesIO(reader_pdf)) as reader, pikepdf.new() as target:
        keep_intent_untagged(reader, target)
        untagged: set[tuple[int, int]] = set()
        sheet = geo.trim(geo.sheet_mm)
        width = pt(geo.page_mm[0])
        cells = (Rect(sheet.x0, sheet.y0, sheet.x0 + width, sheet.y1), Rect(sheet.x0 + width, sheet.y0,
                                                                           sheet.x1, sheet.y1))
        bleed = pt(geo.bleed_mm)
        for side, pages in enumerate(booklet_sides(len(reader.pages))):
            placements = [Placement(page, cell, False, bleed_clip(cell, sheet, bleed))
                          for page, cell in zip(pages, cells, strict=True)]
            new_sheet(target, reader, geo, placements, turned=long_edge and side % 2 == 1, untagged=untagged)
        return saved(target)


def minizine_guides(sheet: Rect, columns: int = 4) -> str:
    """Faint fold lines (dashed) and the cut line (solid, through the middle two columns only),
    kept 5 mm inside the sheet edge so that home printers print all of them."""
    inset = pt(HOME_EDGE_MM)
    column = sheet.width / columns
    middle = sheet.y0 + sheet.height / 2
    left, right, bottom, top = sheet.x0 + inset, sheet.x1 - inset, sheet.y0 + inset, sheet.y1 - inset
    folds = [f"{sheet.x0 + k * column:.3f} {bottom:.3f} m {sheet.x0 + k * column:.3f} {top:.3f} l"
             for k in range(1, columns)]
    folds += [f"{left:.3f} {middle:.3f} m {sheet.x0 + column:.3f} {middle:.3f} l",
              f"{sheet.x1 - column:.3f} {middle:.3f} m {right:.3f} {middle:.3f} l"]
    cut = f"{sheet.x0 + column:.3f} {middle:.3f} m {sheet.x1 - column:.3f} {middle:.3f} l"
    return (f"q 0.62 G 0.4 w [2 2] 0 d {' '.join(folds)} S Q\n"
            f"q 0.45 G 0.6 w [] 0 d {cut} S Q\n")


def slug_guides(sheet: Rect, geo: Geometry, columns: int = 4) -> str:
    """Print-shop fold marks: dashed ticks in the slug, beyond the bleed like crop marks, where each fold
    meets the sheet's edge (the cut runs along the middle fold, between the first and third vertical folds).
    None without a slug: nothing may print in the bleed or inside the trim."""
    if not geo.slug_mm:
        return ""
    start, end = pt(geo.bleed_mm + MARK_GAP_MM), pt(geo.bleed_mm + MARK_GAP_MM + MARK_LENGTH_MM)
    column, middle = sheet.width / columns, sheet.y0 + sheet.height / 2
    ticks = [f"{x:.3f} {edge + sign * start:.3f} m {x:.3f} {edge + sign * end:.3f} l"
             for x in (sheet.x0 + k * column for k in range(1, columns))
             for edge, sign in ((sheet.y0, -1), (sheet.y1, 1))]
    ticks += [f"{edge + sign * start:.3f} {middle:.3f} m {edge + sign * end:.3f} {middle:.3f} l"
              for edge, sign in ((sheet.x0, -1), (sheet.x1, 1))]
    return f"q 0 G 0.25 w [1.5 1] 0 d {' '.join(ticks)} S Q\n"


def impose_minizine(reader_pdf: bytes, geo: Geometry, instructions_pdf: bytes | None, home: bool = True) -> bytes:
    """Eight pages on one landscape sheet, with fold and cut guides on the sheet for home printing (in the slug,
    outside the trim, for a print shop); the folding instructions follow when given."""
    with pikepdf.open(io.BytesIO(reader_pdf)) as reader, pikepdf.new() as target:
        keep_intent_untagged(reader, target)
        untagged: set[tuple[int, int]] = set()
        sheet = geo.trim(geo.sheet_mm)
        column, row = sheet.width / 4, sheet.height / 2
        bleed = pt(geo.bleed_mm)
        placements = []
        for page, col, line, rotated in MINIZINE:
            cell = Rect(sheet.x0 + col * column, sheet.y0 + line * row,
                        sheet.x0 + (col + 1) * column, sheet.y0 + (line + 1) * row)
            placements.append(Placement(page, cell, rotated, bleed_clip(cell, sheet, bleed)))
        new_sheet(target, reader, geo, placements, extra=minizine_guides(sheet) if home else slug_guides(sheet, geo),
                  untagged=untagged)
        if instructions_pdf is not None:
            with pikepdf.open(io.BytesIO(instructions_pdf)) as instructions:
                for instruction_page in instructions.pages:
                    untag_content(instructions, instruction_page.obj, set())
                target.pages.extend(instructions.pages)
        return saved(target)
