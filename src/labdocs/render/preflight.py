"""Preflight: what a print shop would check, read from the PDFs themselves, said plainly."""

from __future__ import annotations

import ctypes
import io
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple, TypedDict

import pikepdf

from labdocs.render import ASSETS
from labdocs.render.accessibility import font_problems
from labdocs.render.cmyk import CONDITION, INK_LIMIT
from labdocs.render.geometry import HOME_EDGE_MM, NAMES, SAFE_MM, Geometry, Rect, mm, pt
from labdocs.render.glyphs import locate_missing
from labdocs.render.impose import blanks_inside
from labdocs.render.inks import Inks, read_inks
from labdocs.render.instructions import print_steps
from labdocs.render.legibility import Measured, characters, measure_text

BODY_MIN_PT, FOLIO_MIN_PT = 8.0, 7.0

PPI_GOOD, PPI_FLOOR = 300, 150
Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1, 0, 0, 1, 0, 0)
RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")  # Hebrew, Arabic, Syriac, Thaana, N'Ko
UNSPACED = "\u2e80-\u9fff\ua000-\ua4cf\uac00-\ud7af\uf900-\ufaff"  # CJK, kana, Yi, hangul (as fitting.UNSPACED)
UNSPACED_TOKEN = re.compile(rf"[{UNSPACED}]|[^{UNSPACED}]+")


class Accessibility(TypedDict):
    """What labdocs' accessibility checks found in the tagged reader, and whether it claims PDF/UA-1."""

    pdfua: bool
    findings: list[dict[str, Any]]


class Made(TypedDict):
    """The files preflight reads: the reader and its sheets, the print-shop files (None for home printing),
    the characters no font could print in the reader, and the reader's accessibility findings."""

    reader: bytes
    imposed: bytes
    print: bytes | None
    print_imposed: bytes | None
    missing: list[str]
    accessibility: Accessibility


@dataclass(frozen=True)
class PlacedImage:
    page: int
    pixels: tuple[int, int]
    placed_pt: tuple[float, float]

    @property
    def ppi(self) -> float:
        """Effective resolution at the placed size: the lower of the two directions."""
        return min(self.pixels[0] / (self.placed_pt[0] / 72), self.pixels[1] / (self.placed_pt[1] / 72))


def check(code: str, status: str, message: str) -> dict[str, Any]:
    return {"code": code, "status": status, "passed": status != "fail", "message": message}


def multiply(m: Matrix, n: Matrix) -> Matrix:
    """m then n, as PDF concatenates: the cm operator's matrix comes first."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u)


def box(page: pikepdf.Page, name: str) -> Rect | None:
    value = page.obj.get(name)
    return Rect(*(float(v) for v in value)) if value is not None else None


# --- reading the PDF ------------------------------------------------------------------------------


def instructions_with_ctm(holder: Any) -> Iterator[tuple[Any, Matrix]]:
    """A content stream's instructions, each with the transformation matrix in force (q, Q and cm tracked)."""
    stack: list[Matrix] = []
    ctm = IDENTITY
    for instruction in pikepdf.parse_content_stream(holder):
        operator = str(instruction.operator)
        if operator == "q":
            stack.append(ctm)
        elif operator == "Q" and stack:
            ctm = stack.pop()
        elif operator == "cm":
            ctm = multiply(tuple(float(v) for v in instruction.operands), ctm)  # type: ignore[arg-type]
        yield instruction, ctm


def placed_images(page: pikepdf.Page, number: int) -> Iterator[PlacedImage]:
    """Every image drawn on a page, at the size the current transformation matrix gives it."""
    yield from walk_images(page.obj, page.obj.get("/Resources"), IDENTITY, number, depth=0)


def walk_images(holder: Any, resources: Any, outer: Matrix, number: int, depth: int) -> Iterator[PlacedImage]:
    xobjects = resources.get("/XObject", {}) if resources is not None else {}
    for instruction, ctm in instructions_with_ctm(holder):
        if str(instruction.operator) != "Do" or (xobject := xobjects.get(instruction.operands[0])) is None:
            continue
        placed = multiply(ctm, outer)
        size = (math.hypot(placed[0], placed[1]), math.hypot(placed[2], placed[3]))
        if xobject.get("/Subtype") == "/Image" and min(size) > 0:  # one drawn at no size is never seen
            yield PlacedImage(number, (int(xobject.Width), int(xobject.Height)), size)
        elif xobject.get("/Subtype") == "/Form" and depth < 8:
            form_matrix = tuple(float(v) for v in xobject.get("/Matrix", IDENTITY))
            yield from walk_images(xobject, xobject.get("/Resources"), multiply(form_matrix, placed),  # type: ignore[arg-type]
                                   number, depth + 1)


class PageText(NamedTuple):
    """A page's text as a PDF reader extracts it: the rectangles its ink covers (PDF points), the words, and
    where each printed character is set (see `set_boxes`)."""

    rects: list[Rect]
    text: str
    placed: list[Rect]


def read_text(data: bytes, placed: bool = True) -> list[PageText]:
    """Each page's text as pdfium reads it (where each character is set only if `placed`: it takes longer)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        pages = []
        for page in document:
            text = page.get_textpage()
            pages.append(PageText([Rect(*text.get_rect(i)) for i in range(text.count_rects())],
                                  text.get_text_range(), set_boxes(text) if placed else []))
        return pages
    finally:
        document.close()


def advance(text: Any, index: int, character: str) -> float | None:
    """How far one character moves the pen, in PDF points (its font's width for it, scaled as it is drawn);
    None when pdfium cannot say."""
    import pypdfium2.raw as raw

    item = raw.FPDFText_GetTextObject(text.raw, index)
    size, width, matrix = ctypes.c_float(), ctypes.c_float(), raw.FS_MATRIX()
    if not item or not raw.FPDFTextObj_GetFontSize(item, size) or not raw.FPDFText_GetMatrix(text.raw, index, matrix):
        return None
    font = raw.FPDFTextObj_GetFont(item)
    if not font or not raw.FPDFFont_GetGlyphWidth(font, ord(character), size.value, width):
        return None
    return width.value * math.hypot(matrix.a, matrix.b)


def set_boxes(text: Any) -> list[Rect]:
    """Each printed character's ink within where the layout set it (from its origin across its advance).

    A glyph's ink may reach past that by its own side bearing (an italic j or g hooks left of where it starts,
    an italic f leans right of where it ends): that is the typeface's design, not text outside its box. The
    characters of a ligature share an origin, so their advances add up from it; a character whose advance
    pdfium cannot give keeps its ink box.
    """
    import pypdfium2.raw as raw

    x, y = ctypes.c_double(), ctypes.c_double()
    placed: list[Rect] = []
    spans: list[tuple[float, float, float]] = []  # each placed character's origin (x, y) and where it ends
    for index, character in characters(text):
        if not character.strip() or raw.FPDFText_IsGenerated(text.raw, index) == 1:
            continue
        ink, width = Rect(*text.get_charbox(index)), advance(text, index, character)
        if width is None or not raw.FPDFText_GetCharOrigin(text.raw, index, x, y):
            placed.append(ink)
            spans.append((math.nan, math.nan, math.nan))
            continue
        if spans and math.dist(spans[-1][:2], (x.value, y.value)) < 0.01:  # the next part of a ligature
            end = spans.pop()[2] + width
            placed.pop()
        else:
            end = x.value + width
        placed.append(clipped(ink, x.value, end))
        spans.append((x.value, y.value, end))
    return placed


def clipped(ink: Rect, start: float, end: float) -> Rect:
    """An ink box cut, left and right, to the span from `start` to `end` (a zero-width box in it if none)."""
    left = min(max(ink.x0, start), end)
    return Rect(left, ink.y0, max(min(ink.x1, end), left), ink.y1)


def text_rects(data: bytes) -> list[list[Rect]]:
    """Per page, the rectangles pdfium finds text in (PDF points, origin bottom left)."""
    return [page.rects for page in read_text(data, placed=False)]


def words(text: str) -> list[str]:
    """Words as letters and digits only, so quotes, dashes, line breaks and ligatures do not matter."""
    return re.findall(r"\w+", unicodedata.normalize("NFKC", text).casefold())


def first_missing(piece: str, found: str) -> str | None:
    """The first word of `piece` not found, in order, in the page's run-together words; None if all are."""
    position = 0
    for word in words(piece):
        position = found.find(word, position)
        if position < 0:
            return word
        position += len(word)
    return None


def tokens(text: str) -> list[str]:
    """Words as `words` finds them, with each Chinese, Japanese or Korean character a word of its own (those
    scripts have no spaces, so a line may break between any two)."""
    return [token for word in words(text) for token in UNSPACED_TOKEN.findall(word)]


def first_uncounted(pieces: list[str], found: str) -> str | None:
    """The first word of the pieces printed fewer times than they hold it, in any order; None if none is."""
    left = Counter(tokens(found))
    for token in (token for piece in pieces for token in tokens(piece)):
        left[token] -= 1
        if left[token] < 0:
            return token
    return None


def missing_word(pieces: list[str], text: str) -> str | None:
    """The first word of a page's pieces not printed on it. pdfium reads a line holding right-to-left text
    (Arabic, Hebrew) in its own order, words reversed, so on such a page words are counted, not followed."""
    if RIGHT_TO_LEFT.search(text):
        return first_uncounted(pieces, text)
    found = "".join(words(text))
    return next((word for piece in pieces if (word := first_missing(piece, found))), None)


def drawn_lines(page: pikepdf.Page) -> list[tuple[float, float]]:
    """Where the paths a sheet draws itself (guides, marks) go, on the sheet; placed pages are not entered."""
    return [(ctm[0] * x + ctm[2] * y + ctm[4], ctm[1] * x + ctm[3] * y + ctm[5])
            for instruction, ctm in instructions_with_ctm(page)
            if str(instruction.operator) in ("m", "l")
            for x, y in [(float(instruction.operands[0]), float(instruction.operands[1]))]]


COLOUR_OPERATORS = {"rg": "RGB", "RG": "RGB", "g": "grey", "G": "grey", "k": "CMYK", "K": "CMYK"}
SPACES = {"/DeviceRGB": "RGB", "/DeviceGray": "grey", "/DeviceCMYK": "CMYK"}


def colour_spaces(pdf: pikepdf.Pdf) -> set[str]:
    found: set[str] = set()
    for page in pdf.pages:
        for instruction in pikepdf.parse_content_stream(page):
            found.add(COLOUR_OPERATORS.get(str(instruction.operator), ""))
        resources = page.obj.get("/Resources")
        for xobject in ((resources.get("/XObject") if resources is not None else None) or {}).values():
            space = xobject.get("/ColorSpace")
            if isinstance(space, pikepdf.Name):
                found.add(SPACES.get(str(space), str(space)))
            elif isinstance(space, pikepdf.Array) and str(space[0]) == "/ICCBased":
                found.add({1: "grey", 3: "RGB", 4: "CMYK"}.get(int(space[1].get("/N", 3)), "ICC"))
    return found - {""}


# --- the checks -----------------------------------------------------------------------------------


def preflight(made: Made, geo: Geometry, zine: Mapping[str, Any], context: Mapping[str, Any]) -> dict[str, Any]:
    """Every check, with an overall status: fail if any fails, warn if any warns.

    `context` is what the reader's pages were made from: their text (to find any cut off by the end of its box,
    and where a missing character is). `print_file` says whether the PDF/X files may be sent: never when their
    colour or ink check fails, so no file claims PDF/X-4 that is not.
    """
    reader, imposed = made["reader"], made["imposed"]
    inks = read_inks(made["print"]) if made["print"] else None
    with pikepdf.open(io.BytesIO(reader)) as pdf, pikepdf.open(io.BytesIO(imposed)) as sheets:
        images = [image for number, page in enumerate(pdf.pages, start=1) for image in placed_images(page, number)]
        texts, measured = read_text(reader), measure_text(reader)
        expected = expected_text(context)
        unbundled = missing_characters(made["missing"], measured)
        checks = [
            check_trim(pdf, geo),
            check_bleed(pdf, geo),
            check_boxes(pdf),
            check_page_count(pdf, geo, zine["pages"]),
            check_fonts(pdf, sheets),
            check_glyphs(unbundled, expected),
            check_images(images),
            check_text_fits(texts, geo, expected, holding(unbundled, expected)),
            check_safe_area(texts, pdf, holding(unbundled, expected)),
            check_sheet_edges(imposed, sheets, geo, zine),
            check_guides([data for data in (imposed, made["print_imposed"]) if data], zine),
            check_colour(inks, zine),
            check_ink(inks),
            check_contrast(measured),
            check_type_size(measured, geo),
            check_screen_edition(made["accessibility"], made["missing"]),
        ]
        pages = len(pdf.pages)
    statuses = {item["status"] for item in checks}
    return {
        "status": "fail" if "fail" in statuses else "warn" if "warn" in statuses else "pass",
        "title": zine["title"],
        "format": geo.format,
        "mode": zine["print"]["mode"],
        "crop_marks": zine["print"]["crop_marks"],
        "trim_mm": [round(side, 2) for side in geo.page_mm],
        "bleed_mm": geo.bleed_mm,
        "pages": pages,
        "blank_pages_added": pages - len(zine["pages"]),
        "print_file": inks is not None and not inks.rgb and inks.coverage <= INK_LIMIT,
        "ink_coverage": inks.coverage if inks else None,
        "images": [{"page": image.page, "pixels": list(image.pixels), "placed_mm":
                    [round(mm(side), 1) for side in image.placed_pt], "ppi": round(image.ppi)}
                   for image in images],
        "text_runs": [{"page": m.run.page, "text": m.run.text[:60], "size_pt": m.run.size_pt, "bold": m.run.bold,
                       "colour": m.run.colour, "background": m.background, "contrast": round(m.ratio, 2),
                       "minimum": m.minimum} for m in measured],
        "accessibility": made["accessibility"],
        "checks": checks,
    }


def check_trim(pdf: pikepdf.Pdf, geo: Geometry) -> dict[str, Any]:
    width, height = geo.page_mm
    wrong = [number for number, page in enumerate(pdf.pages, start=1)
             if (trim := box(page, "/TrimBox")) is None
             or abs(mm(trim.width) - width) > 0.1 or abs(mm(trim.height) - height) > 0.1]
    if wrong:
        return check("trim", "fail", f"Pages {listing(wrong)} are not {width:g} × {height:g} mm at the trim.")
    return check("trim", "pass", f"Trim: {width:g} × {height:g} mm ({NAMES[geo.format]}) on every page.")


def check_bleed(pdf: pikepdf.Pdf, geo: Geometry) -> dict[str, Any]:
    wrong = []
    for number, page in enumerate(pdf.pages, start=1):
        trim, bleed = box(page, "/TrimBox"), box(page, "/BleedBox")
        margins = [] if trim is None or bleed is None else [trim.x0 - bleed.x0, trim.y0 - bleed.y0,
                                                          bleed.x1 - trim.x1, bleed.y1 - trim.y1]
        if not margins or any(abs(mm(margin) - geo.bleed_mm) > 0.05 for margin in margins):
            wrong.append(number)
    if wrong:
        return check("bleed", "fail", f"Pages {listing(wrong)} do not have {geo.bleed_mm:g} mm bleed on every side.")
    if geo.bleed_mm:
        return check("bleed", "pass", f"Bleed: {geo.bleed_mm:g} mm on every side; backgrounds reach the edge.")
    return check("bleed", "pass", "No bleed (home printing): the trim is the page.")


def check_boxes(pdf: pikepdf.Pdf) -> dict[str, Any]:
    problems = []
    for number, page in enumerate(pdf.pages, start=1):
        media, trim, bleed = (box(page, name) for name in ("/MediaBox", "/TrimBox", "/BleedBox"))
        if media is None or trim is None or bleed is None:
            problems.append(f"page {number} lacks a box")
        elif not (media.contains(bleed, 0.01) and bleed.contains(trim, 0.01)):
            problems.append(f"page {number}'s boxes are not nested (media ⊇ bleed ⊇ trim)")
        if "/ArtBox" in page.obj:
            problems.append(f"page {number} has an ArtBox")
    if problems:
        return check("page_boxes", "fail", "Page boxes: " + "; ".join(problems) + ".")
    return check("page_boxes", "pass", "Page boxes: MediaBox, BleedBox and TrimBox on every page, nested; no ArtBox.")


def check_page_count(pdf: pikepdf.Pdf, geo: Geometry, pages: list[dict[str, Any]]) -> dict[str, Any]:
    count, given = len(pdf.pages), len(pages)
    if geo.booklet:
        if count % 4:
            return check("page_count", "fail", f"{count} pages: a saddle-stitched booklet needs a multiple of 4.")
        return check("page_count", "pass", f"Pages: {count}, a multiple of 4 for saddle stitching"
                     f"{padding_note(pages, count - given)}.")
    if count != 8:
        return check("page_count", "fail", f"{count} pages: a mini-zine has exactly 8.")
    return check("page_count", "pass", "Pages: 8, one sheet.")


def padding_note(pages: list[dict[str, Any]], added: int) -> str:
    """Where the blank pages a booklet needed went, and how a designer would place them otherwise."""
    if not added:
        return ""
    blanks = f"{added} blank page{'s' if added != 1 else ''}"
    if blanks_inside(pages):
        return f" ({len(pages)} given, {blanks} added before the back cover)"
    if len(pages) == 1:
        return f" (1 given, {blanks} added after it)"
    return (f" ({len(pages)} given, {blanks} added at the end, so the outside back cover is blank; make the last "
            f"page a Back cover to have the blanks inside instead, or add {added} page{'s' if added != 1 else ''})")


def check_fonts(*pdfs: pikepdf.Pdf) -> dict[str, Any]:
    fonts = font_problems(*pdfs)
    problems = {name: problem for name, problem in fonts.items() if problem}
    if problems:
        listed = "; ".join(f"{name}: {problem}" for name, problem in sorted(problems.items()))
        return check("fonts", "fail", f"Fonts with problems: {listed}.")
    return check("fonts", "pass", f"Fonts: {', '.join(sorted(fonts)) or 'none'}, all embedded.")


def check_images(images: list[PlacedImage]) -> dict[str, Any]:
    if not images:
        return check("image_resolution", "pass", "Images: none.")
    low = [i for i in images if i.ppi < PPI_FLOOR]
    soft = [i for i in images if PPI_FLOOR <= i.ppi < PPI_GOOD]
    def describe(image: PlacedImage) -> str:
        w, h = (mm(side) for side in image.placed_pt)
        pixels = f"{image.pixels[0]} × {image.pixels[1]} px"
        return f"page {image.page}: {pixels} at {w:.0f} × {h:.0f} mm = {image.ppi:.0f} ppi"
    if low:
        return check("image_resolution", "fail",
                     f"Images too coarse to print (under {PPI_FLOOR} ppi): {'; '.join(map(describe, low))}. "
                     "Use a larger original or place it smaller.")
    if soft:
        return check("image_resolution", "warn",
                     f"Images under {PPI_GOOD} ppi will print soft: {'; '.join(map(describe, soft))}. "
                     "Fine for photocopying; for a print shop use a larger original.")
    return check("image_resolution", "pass", f"Images: {len(images)}, all at least {PPI_GOOD} ppi as placed.")


def expected_text(context: Mapping[str, Any]) -> list[list[str]]:
    """Per reader page, each piece of text the template prints on it, so preflight can find every word."""
    pages = []
    for page in context["pages"]:
        layout, pieces = page["layout"], [page["heading"]]
        if layout in ("cover", "text", "back"):
            pieces += [block["text"] for block in page["blocks"]]
        if layout == "cover":
            pieces[:1] = [context["subtitle"], page["heading"], page["standfirst"]]
        elif layout == "quote":
            pieces += [page["quote"], page["quote_by"]]
        elif layout == "blank":
            pieces = []
        pages.append([piece for piece in pieces if piece])
    return pages


def check_text_fits(pages: list[PageText], geo: Geometry, expected: list[list[str]],
                    guessed: list[int]) -> dict[str, Any]:
    """Text past the end of a page's text box is cut off (a line halved) or not printed at all. `guessed`: the
    pages holding characters no bundled font has, whose widths were guessed."""
    floor, cut, numbers = geo.content_floor(), [], []
    for number, (page, pieces) in enumerate(zip(pages, expected, strict=True), start=1):
        halved = any(rect.y0 < floor - 0.5 < floor + 0.5 < rect.y1 for rect in page.rects)
        missing = missing_word(pieces, page.text)
        if halved or missing:
            cut.append(f"page {number}" + (f" (from “{missing}”)" if missing else ""))
            numbers.append(number)
    if cut:
        return check("text_fits", "fail", f"More text than fits, so the end is cut off: {'; '.join(cut)}. "
                                          "Shorten the text, or move some of it to another page." +
                     unmeasured(numbers, guessed))
    return check("text_fits", "pass", "Text: every word of every page is printed in full.")


def check_safe_area(pages: list[PageText], pdf: pikepdf.Pdf, guessed: list[int]) -> dict[str, Any]:
    """Text set outside the safe area may be cut off (measured where each character is set, see set_boxes).
    `guessed`: the pages holding characters no bundled font has."""
    outside = []
    for number, (page, text) in enumerate(zip(pdf.pages, pages, strict=True), start=1):
        trim = box(page, "/TrimBox")
        if trim is not None and any(not trim.inset(pt(SAFE_MM)).contains(rect) for rect in text.placed):
            outside.append(number)
    if outside:
        return check("safe_area", "fail",
                     f"Text on page(s) {listing(outside)} runs outside the safe area ({SAFE_MM:g} mm inside the "
                     "trim) and may be cut off: shorten it." + unmeasured(outside, guessed))
    return check("safe_area", "pass", f"Text: all of it at least {SAFE_MM:g} mm inside the trim.")


def holding(characters: list[str], expected: list[list[str]]) -> list[int]:
    """The pages (numbered as printed) whose text holds any of `characters`."""
    return [number for number, pieces in enumerate(expected, start=1)
            if any(character in piece for piece in pieces for character in characters)]


def unmeasured(pages: list[int], guessed: list[int]) -> str:
    """What to say when text that does not fit holds characters no bundled font has: the cause, plainly."""
    both = [number for number in pages if number in guessed]
    if not both:
        return ""
    return (f" Page(s) {listing(both)} hold characters no bundled font has (see Characters): they print as empty "
            "boxes or in a stand-in font, so their widths were guessed, not measured, and the text may need more "
            "room than it was given: replace them first.")


def check_sheet_edges(imposed: bytes, sheets: pikepdf.Pdf, geo: Geometry, zine: Mapping[str, Any]) -> dict[str, Any]:
    if zine["print"]["mode"] != "home":
        return check("sheet_edges", "pass", "Sheet edges: not checked for print-shop files (the shop trims).")
    limit = pt(HOME_EDGE_MM)
    close = []
    zine_sheets = len(sheets.pages) if geo.booklet else 1  # a mini-zine's second page is its instructions
    pages = list(zip(sheets.pages, text_rects(imposed), strict=True))[:zine_sheets]
    for number, (page, rects) in enumerate(pages, start=1):
        sheet = box(page, "/TrimBox")
        if sheet is None:
            continue
        safe = sheet.inset(limit)
        points = [Rect(x, y, x, y) for x, y in drawn_lines(page)]
        if any(not safe.contains(rect) for rect in rects + points):
            close.append(number)
    if close:
        return check("sheet_edges", "fail", f"Sheet(s) {listing(close)} print text or marks nearer than "
                                            f"{HOME_EDGE_MM:g} mm to the edge, where home printers cannot print.")
    return check("sheet_edges", "pass", f"Sheet edges: every mark and word at least {HOME_EDGE_MM:g} mm inside, "
                                        "so home printers print all of it.")


def missing_characters(notdef: list[str], measured: list[Measured]) -> list[str]:
    """Characters printed as .notdef boxes, and those printed in a font the machine had but labdocs does not
    bundle (another machine, or the print shop's, would print them as boxes)."""
    fallback = [character for item in measured if not item.run.bundled for character in item.run.text
                if character.strip()]
    return list(dict.fromkeys([*notdef, *fallback]))


def check_glyphs(characters: list[str], pages: list[list[str]]) -> dict[str, Any]:
    """A character no font has prints as an empty box: name it, its page, and a bundled font that has it."""
    if not characters:
        return check("glyphs", "pass", "Characters: every one printed in a bundled font.")
    found = []
    for item in locate_missing(characters, pages, ASSETS / "fonts"):
        where = (f"page{'s' if len(item['pages']) > 1 else ''} {listing(item['pages'])}" if item["pages"]
                 else "a page")
        fonts = f"{', '.join(item['fonts'])} has it: choose that font" if item["fonts"] else "no bundled font has it"
        found.append(f"“{item['character']}” ({item['codepoint']}) on {where}: {fonts}")
    return check("glyphs", "fail", "Characters the zine's fonts do not have (they print as empty boxes, or in a "
                                   "stand-in font the print shop may not have): " + "; ".join(found) +
                 ". Replace each with words or a character the zine's font has (emoji cannot be printed).")


def check_guides(sheets: list[bytes], zine: Mapping[str, Any]) -> dict[str, Any]:
    """Print-shop sheets carry marks only outside the trim, where the shop cuts them away."""
    if zine["print"]["mode"] == "home":
        return check("guides", "pass", "Guides: fold and cut lines on the sheet, for home printing.")
    inside = []
    for number, data in enumerate(sheets, start=1):
        with pikepdf.open(io.BytesIO(data)) as pdf:
            for side, page in enumerate(pdf.pages, start=1):
                trim = box(page, "/TrimBox")
                if trim and any(trim.inset(0.5).contains(Rect(x, y, x, y), 0) for x, y in drawn_lines(page)):
                    inside.append(f"file {number} side {side}")
    if inside:
        return check("guides", "fail", f"Marks inside the trim would print on the finished zine ({'; '.join(inside)}).")
    return check("guides", "pass", "Guides: crop and fold marks only outside the trim, none on the pages.")


def check_colour(inks: Inks | None, zine: Mapping[str, Any]) -> dict[str, Any]:
    if zine["print"]["mode"] == "home":
        return check("colour", "pass", "Colour: RGB, as home printers expect.")
    if inks is None:
        return check("colour", "warn", "Colour: RGB only. A print shop has to convert it; ask for its PDF/X file.")
    if inks.rgb:
        return check("colour", "fail", f"print.pdf still has RGB colour ({'; '.join(inks.rgb[:5])}), so it is not "
                                       "PDF/X-4 and is left out. Use photos (JPEG or PNG) rather than drawings.")
    return check("colour", "pass", f"Colour: print.pdf is PDF/X-4, all CMYK, for {CONDITION['condition']}; send it "
                                   "(reader.pdf is RGB, for screens: do not send that one).")


def check_ink(inks: Inks | None) -> dict[str, Any]:
    """Total area coverage: the most of the four inks at any point, against what the press can take."""
    if inks is None:
        return check("ink", "pass", "Ink: not measured (no print-shop file for home printing).")
    if inks.coverage > INK_LIMIT:
        return check("ink", "fail", f"Ink: up to {inks.coverage:.0f}% at {inks.where}, over the {INK_LIMIT}% a press "
                                    "can dry: use a lighter or less saturated colour or photo there.")
    return check("ink", "pass", f"Ink: at most {inks.coverage:.0f}% anywhere (limit {INK_LIMIT}%).")


def describe_run(item: Measured) -> str:
    run = item.run
    text = run.text if len(run.text) <= 40 else run.text[:39] + "…"
    return (f"page {run.page}: “{text}” ({run.size_pt:g} pt{' bold' if run.bold else ''}, {run.colour} on "
            f"{item.background}) {item.ratio:.2f}:1, needs {item.minimum:g}:1")


def check_contrast(measured: list[Measured]) -> dict[str, Any]:
    """Every run of text, headings and page numbers included, against what is printed under it."""
    weak = [item for item in measured if not item.passed]
    if weak:
        listed = "; ".join(describe_run(item) for item in weak[:8]) + (f"; and {len(weak) - 8} more" if len(weak) > 8
                                                                       else "")
        return check("contrast", "fail", f"Text too faint against what it is printed on: {listed}. Choose a darker "
                                         "ink or lighter background (or the reverse), or leave the heading colour "
                                         "automatic.")
    return check("contrast", "pass", f"Contrast: all {len(measured)} runs of text at least 4.5:1 (3:1 for large "
                                     "text) against what is under them.")


def check_type_size(measured: list[Measured], geo: Geometry) -> dict[str, Any]:
    """Text under 8 pt (page numbers under 7 pt) is hard to read in print."""
    floor = geo.content_floor()
    folio = [m for m in measured if m.run.text.isdigit() and m.run.box[3] <= floor]
    small = sorted({m.run.size_pt for m in measured if m not in folio and m.run.size_pt < BODY_MIN_PT - 0.05})
    tiny_folios = sorted({m.run.size_pt for m in folio if m.run.size_pt < FOLIO_MIN_PT - 0.05})
    problems = ([f"text at {', '.join(f'{s:g}' for s in small)} pt (under {BODY_MIN_PT:g})"] if small else []) + \
        ([f"page numbers at {', '.join(f'{s:g}' for s in tiny_folios)} pt (under {FOLIO_MIN_PT:g})"] if tiny_folios
         else [])
    if problems:
        return check("type_size", "warn", f"Small type: {'; '.join(problems)}. The layout sets these sizes, "
                                          "not the length of the text: choose the A5 booklet, whose type is larger.")
    return check("type_size", "pass", f"Type: body text at least {BODY_MIN_PT:g} pt, page numbers at least "
                                      f"{FOLIO_MIN_PT:g} pt.")


def check_screen_edition(accessibility: Accessibility, missing: list[str]) -> dict[str, Any]:
    """reader.pdf, the screen edition, is tagged PDF/UA-1 only when labdocs' own accessibility checks pass."""
    if accessibility["pdfua"]:
        figures = next(f["message"] for f in accessibility["findings"] if f["code"] == "figures_alt")
        return check("screen_edition", "pass", "Screen edition: reader.pdf is an accessible PDF (PDF/UA-1): its "
                                               "language, title and headings are set, it reads in page order, "
                                               "page numbers and marks are skipped by screen readers. " + figures)
    reasons = [f["message"] for f in accessibility["findings"] if not f["passed"]]
    if missing:
        reasons.append(f"{len(missing)} character{'s' if len(missing) != 1 else ''} no font has "
                       f"({', '.join(missing)}) would be read out as empty boxes (see Characters)")
    return check("screen_edition", "warn",
                 "Screen edition: reader.pdf is not marked as an accessible PDF (PDF/UA-1), because labdocs' own "
                 "check found: " + " ".join(reason.rstrip(".") + "." for reason in reasons) + " It still reads on "
                 "screen, but people using screen readers may miss things. Fix what is named (a missing heading: "
                 "give the first page one), then make the files again.")


def listing(numbers: list[int]) -> str:
    return ", ".join(str(n) for n in numbers)


# --- the readable summary ------------------------------------------------------------------------

MARKS = {"pass": "✓", "warn": "!", "fail": "✗"}


def summary_text(report: Mapping[str, Any]) -> str:
    """preflight.txt: the checks, then how to print this particular file."""
    warnings = sum(item["status"] == "warn" for item in report["checks"])
    lines = [f"Preflight for “{report['title']}”: {report['format']}, {report['mode']}"
             f"{', crop marks' if report['crop_marks'] else ''}",
             f"Result: {report['status'].upper()}" + (f" ({warnings} warning{'s' if warnings != 1 else ''})"
                                                      if warnings else ""), ""]
    lines += [f"{MARKS[item['status']]} {item['message']}" for item in report["checks"]]
    lines += ["", "How to print", *how_to_print(report)]
    return "\n".join(lines) + "\n"


def how_to_print(report: Mapping[str, Any]) -> list[str]:
    return [f"- {step}" for step in print_steps(report["format"], report["mode"], report["crop_marks"],
                                                  report["pages"])]
