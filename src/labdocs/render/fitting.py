"""Measuring zine text before it is laid out: how many lines a text takes in a page's text box, from the bundled
fonts' real advance widths, so the drafter can fill each page to its space and never past it.

Every size the measurement assumes is in TYPE below, each with the zine.css rule it comes from: when the pages
are redesigned, update that one table (tests/test_fitting.py renders drafted zines and fails on a mismatch).
"""

from __future__ import annotations

import bisect
import math
import re
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from fontTools.ttLib import TTFont, TTLibError

from labdocs.render import ASSETS
from labdocs.render.geometry import INLINE_IMAGE, POINTS_PER_MM, geometry, size_context
from labdocs.render.theme import FAMILIES


class Style(NamedTuple):
    """One kind of text: its face, size (pt), line height (× size), and the space above and below it (mm)."""

    face: str
    size: float
    leading: float
    after: float = 0.0
    before: float = 0.0
    spacing: float = 0.0  # letter-spacing, em
    upper: bool = False


# Every size the measurement assumes, by the page's scale (the <body> class): from zine.css.
TYPE: dict[str, dict[str, Style]] = {
    "booklet": {
        "body": Style("regular", 12.5, 1.35, 2.5),  # .booklet .content font-size; p, li line-height; .booklet p, li
        "heading": Style("black", 21.0, 1.1, 6.0),  # .booklet .heading; .heading line-height
        "title": Style("black", 30.0, 1.05, 5.0, 3.0),  # .booklet .cover h1; h1 line-height
        "kicker": Style("bold", 9.0, 1.35, 2.5, spacing=0.08, upper=True),  # .booklet .kicker; .kicker; p, li
        "quote": Style("bold-italic", 20.0, 1.25, 5.0, 30.0),  # .booklet blockquote p; .booklet .quote blockquote
        "by": Style("regular", 11.0, 1.25),  # .booklet blockquote .by; blockquote p line-height
        "credit": Style("regular", 8.5, 1.35, 0.0, 8.0),  # .booklet .credit; p, li line-height
    },
    "mini": {
        "body": Style("regular", 8.0, 1.35, 1.4),  # .mini .content font-size; p, li line-height; .mini p, li
        "heading": Style("black", 12.0, 1.1, 2.0),  # .mini .heading; .heading line-height
        "title": Style("black", 16.0, 1.05, 2.5, 1.5),  # .mini .cover h1; h1 line-height
        "kicker": Style("bold", 8.0, 1.35, 1.4, spacing=0.08, upper=True),  # .mini .kicker; .kicker; p, li
        "quote": Style("bold-italic", 11.0, 1.25, 2.5, 12.0),  # .mini blockquote p; .mini .quote blockquote
        "by": Style("regular", 8.0, 1.25),  # .mini blockquote .by; blockquote p line-height
        "credit": Style("regular", 8.0, 1.35, 0.0, 3.0),  # .mini .credit; p, li line-height
    },
}
LIST_INDENT_EM = 1.1  # ul padding-left, in the body's em
# INLINE_IMAGE: img.inline's max-height (--image-max), a share of the text box; its margin-top is 1em of the body
# The bundled faces of each theme font (zine.css @font-face; Roboto Slab has no italic, so WeasyPrint slants it).
FACES = {
    "lato": {"regular": "lato/Lato-Regular.ttf", "bold": "lato/Lato-Bold.ttf", "black": "lato/Lato-Black.ttf",
             "bold-italic": "lato/Lato-BoldItalic.ttf"},
    "inter": {"regular": "inter/Inter-Regular.otf", "bold": "inter/Inter-Bold.otf",
              "black": "inter/Inter-Black.otf", "bold-italic": "inter/Inter-BoldItalic.otf"},
    "roboto-slab": {"regular": "roboto-slab/RobotoSlab-Regular.otf", "bold": "roboto-slab/RobotoSlab-Bold.otf",
                    "black": "roboto-slab/RobotoSlab-Bold.otf", "bold-italic": "roboto-slab/RobotoSlab-Bold.otf"},
}
# A character the theme font lacks is one no bundled font has (they share their scripts: Latin, Greek, Cyrillic):
# it prints in the machine's own stand-in font (fontconfig's fallback, as WeasyPrint's Pango picks it), measured
# here in that font; one no font on the machine has prints as an empty box, whose width can only be guessed, as
# an em (wider than most). Preflight's Characters check names both; its fit checks name them as the cause.
MISSING_EM = 1.0
STAND_IN_FACES = {"regular": "", "bold": ":weight=bold", "black": ":weight=black",
                  "bold-italic": ":weight=bold:slant=italic"}  # the fontconfig pattern of each face
SLACK = 0.995  # measure lines a hair narrower than the box, for rounding (kerning is left out of the widths)
# Characters a line may break before or after without a space (CJK ideographs, kana, hangul, emoji).
UNSPACED = ("\u1100-\u11ff\u2e80-\u9fff\ua000-\ua4cf\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
            "\U0001f000-\U0010ffff")
PIECE = re.compile(rf"(\s*)([{UNSPACED}]|[^\s{UNSPACED}]+)")


@lru_cache(maxsize=16)
def advances(family: str, face: str) -> tuple[dict[int, float], float]:
    """Each character's advance width in em in one bundled face, and the face's space width (loaded once)."""
    font = TTFont(ASSETS / "fonts" / FACES[family][face], lazy=True)
    metrics, per_em = font["hmtx"].metrics, font["head"].unitsPerEm
    widths = {code: metrics[glyph][0] / per_em for code, glyph in font.getBestCmap().items()}
    return widths, widths.get(32, 0.25)


class StandIn(NamedTuple):
    """One of the machine's fonts, as fontconfig lists it: its file, its number in the file, and the characters
    it has (fontconfig's ranges, so a font is opened only when it is the one that prints a character)."""

    path: str
    number: int
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def has(self, code: int) -> bool:
        """Whether the font has the character."""
        at = bisect.bisect_right(self.starts, code) - 1
        return at >= 0 and code <= self.ends[at]


def stand_in(line: str) -> StandIn | None:
    """One line of fc-match's listing (file, index, charset), or None for a font fontTools cannot measure."""
    path, index, charset = [*line.split("\t"), "", ""][:3]
    if not path.lower().endswith((".ttf", ".otf", ".ttc", ".otc")):
        return None
    ranges = [[int(end, 16) for end in (part.split("-") * 2)[:2]] for part in charset.split()]
    return StandIn(path, int(index or 0), tuple(start for start, _ in ranges), tuple(end for _, end in ranges))


@lru_cache(maxsize=8)
def stand_ins(family: str, face: str) -> tuple[StandIn, ...]:
    """The machine's fonts fontconfig falls back to for a face, best first; none without its fc-match."""
    pattern = FAMILIES.get(family, family) + STAND_IN_FACES[face]
    try:
        listed = subprocess.run(["fc-match", "--sort", "--format=%{file}\t%{index}\t%{charset}\n", pattern],
                                capture_output=True, text=True, timeout=20, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    return tuple(font for line in listed.splitlines() if (font := stand_in(line)))


@lru_cache(maxsize=16)
def file_advances(path: str, number: int) -> dict[int, float]:
    """Each character's advance width in em in one font on the machine (empty if it cannot be read)."""
    try:
        font = TTFont(path, lazy=True, fontNumber=number)
        metrics, per_em = font["hmtx"].metrics, font["head"].unitsPerEm
        return {code: metrics[glyph][0] / per_em for code, glyph in (font.getBestCmap() or {}).items()}
    except (OSError, KeyError, TTLibError):  # a font fontTools cannot read is one the measurement passes over
        return {}


@lru_cache(maxsize=8192)
def stand_in_width(code: int, family: str, face: str) -> float:
    """A character the theme font lacks, in em: its advance in the first stand-in font that has it, else
    MISSING_EM (no font has it: it prints as an empty box)."""
    font = next((font for font in stand_ins(family, face) if font.has(code)), None)
    return file_advances(font.path, font.number).get(code, MISSING_EM) if font else MISSING_EM


@lru_cache(maxsize=65536)
def text_width(text: str, style: Style, family: str) -> float:
    """The width of `text` on one line in points, as the face's advance widths add up (remembered: the same
    words come back as a page is filled and refilled)."""
    widths, _ = advances(family, style.face)
    shown = text.upper() if style.upper else text
    return sum((widths[code] if (code := ord(char)) in widths else stand_in_width(code, family, style.face))
               + style.spacing for char in shown) * style.size


def line_count(text: str, width: float, style: Style, family: str) -> int:
    """How many lines `text` wraps to in a box `width` points wide, breaking at spaces (and between CJK
    characters and emoji) as a browser does; a word wider than the box counts the lines it would need."""
    space = advances(family, style.face)[1] * style.size
    lines, used, room = 0, 0.0, width * SLACK
    for gap, word in PIECE.findall(text):
        advance = text_width(word, style, family)
        joined = used + (space if gap and used else 0.0) + advance
        if used and joined <= room:
            used = joined
            continue
        lines += max(1, math.ceil(advance / room))
        used = advance - (math.ceil(advance / room) - 1) * room if advance > room else advance
    return max(lines, 1) if text.strip() else 0


@dataclass(frozen=True)
class Frame:
    """A zine format's text box (points) and type, in one theme font: what every page's words are measured in."""

    scale: str
    family: str
    width: float
    height: float

    def style(self, role: str) -> Style:
        """One kind of text (body, heading, title, kicker, quote, by, credit) at this format's scale."""
        return TYPE[self.scale][role]

    def indent(self) -> float:
        """How far a list item's text is indented, in points (so its lines are that much shorter)."""
        return LIST_INDENT_EM * self.style("body").size

    def height_of(self, text: str, role: str = "body", bullet: bool = False) -> float:
        """The height of one block of text (its lines, not the space around it), in points."""
        style = self.style(role)
        width = self.width - (self.indent() if bullet else 0.0)
        return line_count(text, width, style, self.family) * style.size * style.leading

    def gap(self, role: str, edge: str = "after") -> float:
        """The space below (or above) one kind of text, in points."""
        style = self.style(role)
        return (style.after if edge == "after" else style.before) * POINTS_PER_MM

    def fits_line(self, word: str, role: str = "body", bullet: bool = True) -> bool:
        """Whether one unbreakable word fits on a line (in a list item, by default, the narrower case)."""
        width = self.width - (self.indent() if bullet else 0.0)
        return text_width(word, self.style(role), self.family) <= width * SLACK

    def image_room(self) -> float:
        """What an inline picture below the text may take: its largest height and its margin above."""
        return INLINE_IMAGE * self.height + self.style("body").size


@lru_cache(maxsize=32)
def frame(fmt: str, family: str = "lato") -> Frame:
    """The text box of one format's pages (the same for every print mode: the bleed is outside it)."""
    size = size_context(geometry(fmt, "home", False))
    width_mm = size["page_w"] - 2 * size["safe"]
    height_mm = size["page_h"] - size["safe"] - size["content_bottom"]
    family = family if family in FACES else "lato"
    return Frame(size["scale"], family, width_mm * POINTS_PER_MM, height_mm * POINTS_PER_MM)
