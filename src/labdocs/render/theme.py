"""A zine page's colours: its background, and the theme colour that reads best on it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from labdocs.render.palette import contrast

ACCENT_LAYOUTS = ("cover", "quote")


def page_background(page: Mapping[str, Any], theme: Mapping[str, str]) -> str:
    """The page's own colour, else the accent for covers and quotes, else the paper."""
    return page["background"] or (theme["accent"] if page["layout"] in ACCENT_LAYOUTS else theme["paper"])


def readable_on(background: str, theme: Mapping[str, str]) -> str:
    """The theme's ink or paper, whichever reads better on `background`."""
    return max((theme["ink"], theme["paper"]), key=lambda colour: contrast(colour, background))
