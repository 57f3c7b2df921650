"""Bar charts as SVG (vector in the PDF) and PNG (an image in the DOCX), each with a text alternative."""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass
from html import escape

from .palette import COLOURS

WIDTH = 680
LABEL_WIDTH = 200
VALUE_ROOM = 96
BAR = 15
GAP = 4
GROUP_GAP = 16
FONT = "Lato, 'DejaVu Sans', sans-serif"


@dataclass(frozen=True)
class Group:
    """One category (an output, a budget line): a label and a value for each series (None: no value)."""

    label: str
    values: tuple[float | None, ...]
    texts: tuple[str, ...]


@dataclass(frozen=True)
class Chart:
    title: str
    alt: str  # states every number, for people who cannot see the chart
    series: tuple[str, ...]
    groups: tuple[Group, ...]

    def svg(self) -> str:
        return draw_svg(self)


SERIES_COLOURS = (COLOURS["promised"], COLOURS["accent"])


def nice_maximum(value: float) -> float:
    """A round number at or above the largest value, so the axis reads easily."""
    if value <= 0:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    return next(step * magnitude for step in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10) if step * magnitude >= value)


def draw_svg(chart: Chart) -> str:
    """Horizontal grouped bars: long labels stay readable and each bar carries its value."""
    values = [v for group in chart.groups for v in group.values if v is not None]
    scale = (WIDTH - LABEL_WIDTH - VALUE_ROOM) / nice_maximum(max(values, default=0))
    parts: list[str] = []
    y = 38
    parts.extend(legend(chart.series))
    for group in chart.groups:
        lines = label_lines(group.label)
        height = max(len(chart.series) * (BAR + GAP), len(lines) * 14)
        for number, line in enumerate(lines):
            parts.append(text(LABEL_WIDTH - 10, y + 12 + number * 14, line, anchor="end"))
        for index, (value, label) in enumerate(zip(group.values, group.texts, strict=True)):
            top = y + index * (BAR + GAP)
            length = (value or 0) * scale
            if value is not None:
                parts.append(f'<rect x="{LABEL_WIDTH}" y="{top}" width="{length:.1f}" height="{BAR}" '
                             f'fill="{SERIES_COLOURS[index]}"/>')
            parts.append(text(LABEL_WIDTH + length + 6, top + BAR - 3, label, size=11))
        y += height + GROUP_GAP
    parts.append(f'<line x1="{LABEL_WIDTH}" y1="30" x2="{LABEL_WIDTH}" y2="{y - GROUP_GAP + 4}" '
                 f'stroke="{COLOURS["ink"]}" stroke-width="1"/>')
    height = y + 4
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
            f'viewBox="0 0 {WIDTH} {height}" role="img">'
            f"<title>{escape(chart.alt)}</title>"
            f'<rect width="{WIDTH}" height="{height}" fill="{COLOURS["paper"]}"/>' + "".join(parts) + "</svg>")


def label_lines(label: str, width: int = 30, most: int = 3) -> list[str]:
    """A label wrapped to at most three lines, with an ellipsis when it had to be cut."""
    lines = textwrap.wrap(label, width) or [""]
    if len(lines) > most:
        lines = lines[:most]
        lines[-1] = textwrap.shorten(lines[-1] + " …", width, placeholder=" …").rstrip(" …") + "…"
    return lines


def legend(series: tuple[str, ...]) -> list[str]:
    parts, x = [], LABEL_WIDTH
    for colour, name in zip(SERIES_COLOURS, series, strict=False):
        parts.append(f'<rect x="{x}" y="8" width="14" height="14" fill="{colour}"/>')
        parts.append(text(x + 20, 20, name, size=12))
        x += 30 + len(name) * 7
    return parts


def text(x: float, y: float, content: str, anchor: str = "start", size: int = 12) -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-family="{FONT}" font-size="{size}" '
            f'fill="{COLOURS["ink"]}" text-anchor="{anchor}">{escape(content)}</text>')


def svg_to_png(svg: str, width: int = 1600) -> bytes:
    """Rasterise for Word, at about 230 ppi across a 17 cm wide figure."""
    import cairosvg

    return cairosvg.svg2png(bytestring=svg.encode("utf-8"), output_width=width)
