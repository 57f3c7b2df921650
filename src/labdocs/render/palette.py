"""The report's colours, in one place: the stylesheet is generated from them and the contrast check reads them."""

from __future__ import annotations

from typing import NamedTuple

COLOURS = {
    "ink": "#1A1A1A",  # body text
    "accent": "#0B4F6C",  # headings, achieved and spent bars
    "muted": "#4A4A4A",  # notes, captions
    "paper": "#FFFFFF",
    "tint": "#E6EFF4",  # table headers, callouts
    "met": "#17663A",
    "unmet": "#A31F1F",
    "promised": "#5F87A3",  # promised and budgeted bars (graphics need 3:1)
    "rule": "#8FA9BA",  # table borders (graphics need 3:1 only where they carry meaning; these do not)
}


class Pair(NamedTuple):
    """Text in one colour on a background in another, and the contrast it needs."""

    name: str
    text: str
    background: str
    minimum: float


PAIRS = (
    Pair("body text", "ink", "paper", 4.5),
    Pair("headings", "accent", "paper", 4.5),
    Pair("notes and captions", "muted", "paper", 4.5),
    Pair("table header text", "ink", "tint", 4.5),
    Pair("“met” labels", "met", "paper", 4.5),
    Pair("“not met” labels", "unmet", "paper", 4.5),
    Pair("title page text", "paper", "accent", 4.5),
    Pair("callout text", "ink", "tint", 4.5),
    Pair("chart bars (promised)", "promised", "paper", 3.0),
    Pair("chart bars (achieved)", "accent", "paper", 3.0),
)


def luminance(hex_colour: str) -> float:
    """Relative luminance, as WCAG 2 defines it."""
    channels = [int(hex_colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two colours, from 1 to 21."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def css_variables(colours: dict[str, str] = COLOURS) -> str:
    """The palette as CSS custom properties, for the report stylesheet."""
    return ":root {" + " ".join(f"--{name}: {value};" for name, value in colours.items()) + "}"
