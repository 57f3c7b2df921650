"""Bar charts, laid out once as shapes, written as SVG (vector, for the PDF) or painted as PNG (for Word),
each with a text alternative that states every number."""

from __future__ import annotations

import io
import math
import textwrap
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from labdocs.render.palette import COLOURS

WIDTH = 680
LABEL_WIDTH = 200
VALUE_ROOM = 96
BAR = 15
GAP = 4
GROUP_GAP = 16
FONT = "Lato, 'DejaVu Sans', sans-serif"
SERIES_COLOURS = (COLOURS["promised"], COLOURS["accent"])


@dataclass(frozen=True)
class Group:
    """One category (an output, a budget line): a label and a value for each series (None: no value)."""

    label: str
    values: tuple[float | None, ...]
    texts: tuple[str, ...]


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float
    colour: str


@dataclass(frozen=True)
class Label:
    x: float
    y: float  # the baseline, as SVG has it
    text: str
    size: int
    anchor: str = "start"


@dataclass(frozen=True)
class Layout:
    width: int
    height: int
    boxes: tuple[Box, ...]
    labels: tuple[Label, ...]
    axis: tuple[float, float, float]  # x, top, bottom


@dataclass(frozen=True)
class Chart:
    title: str
    alt: str  # states every number, for people who cannot see the chart
    series: tuple[str, ...]
    groups: tuple[Group, ...]

    def svg(self) -> str:
        return draw_svg(self.title, self.alt, lay_out(self))

    def png(self, font: Path, width: int = 1200) -> bytes:
        return paint_png(lay_out(self), font, width)


def nice_maximum(value: float) -> float:
    """A round number at or above the largest value, so the axis reads easily."""
    if value <= 0:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    return next(step * magnitude for step in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10) if step * magnitude >= value)


def label_lines(label: str, width: int = 30, most: int = 8) -> list[str]:
    """A label wrapped whole, as the table beside it prints it; only past eight lines (a paragraph, not a
    label: the text alternative and the table still give it in full) is it cut, with an ellipsis."""
    lines = textwrap.wrap(label, width) or [""]
    if len(lines) > most:
        lines = lines[:most]
        lines[-1] = textwrap.shorten(lines[-1] + " …", width, placeholder=" …").rstrip(" …") + "…"
    return lines


def lay_out(chart: Chart) -> Layout:
    """Horizontal grouped bars: long labels stay readable and each bar carries its value."""
    values = [v for group in chart.groups for v in group.values if v is not None]
    scale = (WIDTH - LABEL_WIDTH - VALUE_ROOM) / nice_maximum(max(values, default=0))
    boxes: list[Box] = []
    labels: list[Label] = []
    x = LABEL_WIDTH
    for colour, name in zip(SERIES_COLOURS, chart.series, strict=False):  # the legend
        boxes.append(Box(x, 8, 14, 14, colour))
        labels.append(Label(x + 20, 20, name, 12))
        x += 30 + len(name) * 7
    y = 38
    for group in chart.groups:
        lines = label_lines(group.label)
        for number, line in enumerate(lines):
            labels.append(Label(LABEL_WIDTH - 10, y + 12 + number * 14, line, 12, "end"))
        for index, (value, text) in enumerate(zip(group.values, group.texts, strict=True)):
            top = y + index * (BAR + GAP)
            length = (value or 0) * scale
            if value is not None:
                boxes.append(Box(LABEL_WIDTH, top, length, BAR, SERIES_COLOURS[index]))
            labels.append(Label(LABEL_WIDTH + length + 6, top + BAR - 3, text, 11))
        y += max(len(chart.series) * (BAR + GAP), len(lines) * 14) + GROUP_GAP
    return Layout(WIDTH, y + 4, tuple(boxes), tuple(labels), (LABEL_WIDTH, 30, y - GROUP_GAP + 4))


def draw_svg(title: str, alt: str, layout: Layout) -> str:
    """The chart as SVG: vector in the PDF, its <title> the text alternative."""
    parts = [f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{box.width:.1f}" height="{box.height}" '
             f'fill="{box.colour}"/>' for box in layout.boxes]
    parts += [f'<text x="{label.x:.1f}" y="{label.y:.1f}" font-family="{FONT}" font-size="{label.size}" '
              f'fill="{COLOURS["ink"]}" text-anchor="{label.anchor}">{escape(label.text)}</text>'
              for label in layout.labels]
    x, top, bottom = layout.axis
    parts.append(f'<line x1="{x}" y1="{top}" x2="{x}" y2="{bottom}" stroke="{COLOURS["ink"]}" stroke-width="1"/>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{layout.width}" height="{layout.height}" '
            f'viewBox="0 0 {layout.width} {layout.height}" role="img">'
            f"<title>{escape(alt)}</title>"
            f'<rect width="{layout.width}" height="{layout.height}" fill="{COLOURS["paper"]}"/>' + "".join(parts)
            + "</svg>")


@lru_cache(maxsize=32)
def font_at(path: Path, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size)


@lru_cache(maxsize=64)
def paint_png(layout: Layout, font: Path, width: int) -> bytes:
    """The same chart painted with Pillow in the bundled font: about 180 ppi across a 17 cm figure.

    Cached by layout, so a report rendered again with the same figures reuses its charts.
    """
    scale = width / layout.width
    image = Image.new("RGB", (width, round(layout.height * scale)), COLOURS["paper"])
    draw = ImageDraw.Draw(image)
    for box in layout.boxes:
        draw.rectangle((box.x * scale, box.y * scale, (box.x + box.width) * scale, (box.y + box.height) * scale),
                       fill=box.colour)
    for label in layout.labels:
        draw.text((label.x * scale, label.y * scale), label.text, font=font_at(font, round(label.size * scale)),
                  fill=COLOURS["ink"], anchor="rs" if label.anchor == "end" else "ls")
    x, top, bottom = layout.axis
    draw.line((x * scale, top * scale, x * scale, bottom * scale), fill=COLOURS["ink"], width=max(1, round(scale)))
    output = io.BytesIO()
    image.save(output, "PNG", compress_level=1)  # flat colours: quick to encode at any level
    return output.getvalue()
