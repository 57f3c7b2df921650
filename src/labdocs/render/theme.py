"""A zine page's colours: its background, the theme colour that reads best on it, and its headings' colour."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from labdocs.render.palette import contrast

FAMILIES = {"lato": "Lato", "inter": "Inter", "roboto-slab": "RobotoSlab"}  # each theme font's CSS family

ACCENT_LAYOUTS = ("cover", "quote")
NORMAL_TEXT, LARGE_TEXT = 4.5, 3.0  # WCAG 2 AA contrast minimums
LARGE_PT, LARGE_BOLD_PT = 18.0, 14.0  # large text: 18 pt, or 14 pt bold


def page_background(page: Mapping[str, Any], theme: Mapping[str, str]) -> str:
    """The page's own colour, else the accent for covers and quotes, else the paper."""
    return page["background"] or (theme["accent"] if page["layout"] in ACCENT_LAYOUTS else theme["paper"])


def readable_on(background: str, theme: Mapping[str, str]) -> str:
    """The theme's ink or paper, whichever reads better on `background`."""
    return max((theme["ink"], theme["paper"]), key=lambda colour: contrast(colour, background))


def text_colour(background: str, theme: Mapping[str, str], minimum: float = NORMAL_TEXT) -> str:
    """The ink or paper that reads better on `background`; black or white when neither reads well enough
    (a mid-tone page colour), since one of the two always reaches 4.5:1."""
    themed = readable_on(background, theme)
    if contrast(themed, background) >= minimum:
        return themed
    return max(("#000000", "#FFFFFF"), key=lambda colour: contrast(colour, background))


def minimum_contrast(size_pt: float, bold: bool) -> float:
    """WCAG's threshold for text of this size: 3:1 for large text, 4.5:1 for the rest."""
    return LARGE_TEXT if size_pt >= LARGE_PT or (bold and size_pt >= LARGE_BOLD_PT) else NORMAL_TEXT


def heading_colour(background: str, theme: Mapping[str, Any], minimum: float) -> str:
    """The designer's heading colour if set; else the accent where it meets `minimum` on this background,
    else the ink or paper that reads better (the accent on a dark page would all but vanish), else black or
    white."""
    if theme.get("heading"):
        return str(theme["heading"])
    if contrast(theme["accent"], background) >= minimum:
        return str(theme["accent"])
    return text_colour(background, theme, minimum)
