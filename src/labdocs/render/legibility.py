"""Text as it is printed: every run of text on every page, its size and colour, and the contrast it has
against what is actually under it (the page rendered without its text, sampled under each run)."""

from __future__ import annotations

import ctypes
import math
from collections.abc import Iterator
from typing import Any, NamedTuple

from labdocs.render.palette import contrast
from labdocs.render.theme import minimum_contrast

BOLD_NAMES = ("Bold", "Black", "Heavy", "Semibold", "SemiBold", "ExtraBold")
BUNDLED_FONTS = ("Lato", "Inter", "RobotoSlab", "LiberationSans")
SAMPLE_SCALE = 1.0  # pixels per point for the background render: 72 dpi, enough for the smallest run


class Run(NamedTuple):
    """Consecutive characters on one line in one font, size and colour."""

    page: int
    text: str
    box: tuple[float, float, float, float]  # PDF points: left, bottom, right, top
    size_pt: float
    bold: bool
    colour: str  # #RRGGBB
    font: str  # as embedded, without the subset tag: Lato-Heavy

    @property
    def bundled(self) -> bool:
        """Printed in one of labdocs' own fonts, not one the machine happened to have (a fallback)."""
        return self.font.startswith(BUNDLED_FONTS)


class Measured(NamedTuple):
    """A run, the worst contrast found under it, the background colour that gave it, and what it needs."""

    run: Run
    ratio: float
    background: str
    minimum: float

    @property
    def passed(self) -> bool:
        return self.ratio >= self.minimum - 0.005  # ratios are shown to 2 decimals; no false failure at 4.499…


def hex_of(red: int, green: int, blue: int) -> str:
    return f"#{red:02X}{green:02X}{blue:02X}"


def char_style(text: Any, index: int) -> tuple[float, bool, str, float, str]:
    """One character's size in points (font size × its matrix's scale), boldness, colour, baseline and font."""
    import pypdfium2.raw as raw

    matrix = raw.FS_MATRIX()
    raw.FPDFText_GetMatrix(text.raw, index, matrix)
    size = raw.FPDFText_GetFontSize(text.raw, index) * math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c))
    name = ctypes.create_string_buffer(256)
    raw.FPDFText_GetFontInfo(text.raw, index, name, 256, None)
    red, green, blue, alpha = (ctypes.c_uint() for _ in range(4))
    raw.FPDFText_GetFillColor(text.raw, index, red, green, blue, alpha)
    font = name.value.decode("latin-1").rpartition("+")[2]
    bold = any(word in font for word in BOLD_NAMES)
    return round(size, 2), bold, hex_of(red.value, green.value, blue.value), round(matrix.f, 1), font


def characters(text: Any) -> Iterator[tuple[int, str]]:
    """Each character's index and the character, surrogate pairs (emoji, rare scripts) joined into one; on a
    line pdfium reads right to left (one holding Arabic or Hebrew) a pair comes low half first."""
    import pypdfium2.raw as raw

    count, index = text.count_chars(), 0
    while index < count:
        unit = raw.FPDFText_GetUnicode(text.raw, index)
        after = raw.FPDFText_GetUnicode(text.raw, index + 1) if index + 1 < count else 0
        pair = paired(unit, after)
        yield index, pair or (chr(unit) if unit and not 0xD800 <= unit < 0xE000 else "")
        index += 2 if pair else 1


def paired(first: int, second: int) -> str:
    """The character two UTF-16 halves make, in either order; empty if they are not a surrogate pair."""
    high, low = (first, second) if first < second else (second, first)
    if 0xD800 <= high < 0xDC00 and 0xDC00 <= low < 0xE000:
        return chr(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
    return ""


def page_runs(page: Any, number: int) -> Iterator[Run]:
    """The page's text in runs: a new run starts where the line, font size, boldness or colour changes."""
    text = page.get_textpage()
    current: list[Any] = []
    for index, character in characters(text):
        if not character.strip():
            if current and current[-1][1] != " ":
                current.append((current[0][0], " ", None))  # the space is kept in the text, not in the box
            continue
        left, bottom, right, top = text.get_charbox(index)
        style = char_style(text, index)
        if current and current[0][0] != style:
            yield make_run(number, current)
            current = []
        current.append((style, character, (left, bottom, right, top)))
    if current:
        yield make_run(number, current)


def make_run(number: int, chars: list[Any]) -> Run:
    (size, bold, colour, _, font), boxes = chars[0][0], [box for _, _, box in chars if box is not None]
    box = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
    return Run(number, "".join(character for _, character, _ in chars).strip(), box, size, bold, colour, font)


def background(document: Any, index: int) -> Any:
    """Page `index` rendered with its text objects removed: what each run of text is printed on."""
    import pypdfium2.raw as raw

    page = document[index]
    for item in list(page.get_objects(max_depth=1)):
        if item.type == raw.FPDF_PAGEOBJ_TEXT:
            page.remove_obj(item)
    page.gen_content()
    return page.render(scale=SAMPLE_SCALE).to_pil().convert("RGB"), page.get_mediabox()


def measure_run(run: Run, image: Any, media: tuple[float, float, float, float]) -> Measured:
    """The lowest contrast between the run's colour and any pixel under its box (shrunk by half a point,
    so neighbouring colours at the box's edge are not counted)."""
    left = max(0, math.floor((run.box[0] - media[0] + 0.5) * SAMPLE_SCALE))
    right = min(image.width, max(left + 1, math.ceil((run.box[2] - media[0] - 0.5) * SAMPLE_SCALE)))
    top = max(0, math.floor((media[3] - run.box[3] + 0.5) * SAMPLE_SCALE))
    bottom = min(image.height, max(top + 1, math.ceil((media[3] - run.box[1] - 0.5) * SAMPLE_SCALE)))
    area = image.crop((left, top, right, bottom))
    # At most one colour per pixel: a larger limit makes Pillow allocate (and clear) a table that size each time.
    colours = {hex_of(*pixel) for _, pixel in area.getcolors(area.width * area.height)}
    worst = min(colours or {"#FFFFFF"}, key=lambda colour: contrast(run.colour, colour))
    return Measured(run, contrast(run.colour, worst), worst, minimum_contrast(run.size_pt, run.bold))


def measure_text(data: bytes) -> list[Measured]:
    """Every run of text in a PDF, measured against what is under it."""
    import pypdfium2 as pdfium

    text_document, plain_document = pdfium.PdfDocument(data), pdfium.PdfDocument(data)
    try:
        measured = []
        for index, page in enumerate(text_document):
            runs = list(page_runs(page, index + 1))
            if runs:
                image, media = background(plain_document, index)
                measured += [measure_run(run, image, media) for run in runs]
        return measured
    finally:
        text_document.close()
        plain_document.close()
