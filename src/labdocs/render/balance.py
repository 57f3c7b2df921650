"""Where a zine text page's words start: low enough that a short group sits at the page's optical centre.

Measured before layout in the bundled fonts (render/fitting.py), because WeasyPrint 70 makes every page with
flexbox centring about four times slower to lay out (3.6 s against 0.95 s for the 8-page example). A
measurement that runs short can only push words down, so the group is lowered by part of the room left
after a margin kept for error: a page that would fit with its words at the top still fits.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from labdocs.render.fitting import Frame, frame
from labdocs.render.geometry import POINTS_PER_MM

BALANCED = ("text", "back")  # covers sit at the foot, full-page pictures fill the page, quotes: quote_space
ABOVE = 0.42  # the share of the free room above the group: a little less than half, so it sits above the middle
KEPT = 0.12  # the share of the text box never given away, for what the measurement may miss
CREDIT = "Made with labdocs for the Co-operative Councils' Innovation Network."  # the back cover's last line


def top_space(page: Mapping[str, Any], fmt: str, family: str) -> float:
    """How far below the text box's top a page's words start, in mm (0: at the top)."""
    if page["layout"] not in BALANCED or page["image"]:
        return 0.0  # a picture's height follows its shape, which is not measured here
    space = frame(fmt, family)
    free = space.height * (1 - KEPT) - group_height(space, page)
    return round(max(free, 0.0) * ABOVE / POINTS_PER_MM, 2)


def quote_space(page: Mapping[str, Any], fmt: str, family: str) -> float:
    """How far below the heading a quote page's quote starts, in mm: the layout's own gap (zine.css), more when
    the quote is short, so it sits a little above the page's middle rather than near its top."""
    if page["layout"] != "quote":
        return 0.0
    space = frame(fmt, family)
    quote = space.height_of(f"“{page['quote']}”", "quote") + space.gap("quote")
    heading = space.height_of(page["heading"], "heading") + space.gap("heading") if page["heading"] else 0.0
    by = space.height_of(page["quote_by"], "by") if page["quote_by"] else 0.0
    free = space.height * (1 - KEPT) - heading - space.gap("quote", "before") - quote - by
    return round((space.gap("quote", "before") + max(free, 0.0) * ABOVE) / POINTS_PER_MM, 2)


def group_height(space: Frame, page: Mapping[str, Any]) -> float:
    """The height of a text page's heading, paragraphs and list items (and a back cover's credit), in points."""
    height = space.height_of(page["heading"], "heading") + space.gap("heading") if page["heading"] else 0.0
    for block in page["blocks"]:
        height += space.height_of(block["text"], "body", block["bullet"]) + space.gap("body")
    if page["layout"] == "back":
        height += space.gap("credit", "before") + space.height_of(CREDIT, "credit")
    return height
