"""Characters no font printed: which page they are on, and which bundled font (if any) has them."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TypedDict

FONT_NAMES = {"lato": "Lato", "inter": "Inter", "roboto-slab": "Roboto Slab", "liberation-sans": "Liberation Sans"}


class Missing(TypedDict):
    """One character printed as an empty box: where, and what could print it."""

    character: str
    codepoint: str  # U+1F600
    pages: list[int]
    fonts: list[str]  # bundled fonts that have it; empty if none does


@lru_cache(maxsize=1)
def bundled_coverage(fonts: Path) -> dict[str, frozenset[int]]:
    """Every code point each bundled font family covers (in all of its files), read once per process."""
    from fontTools.ttLib import TTFont

    coverage: dict[str, set[int]] = {}
    for path in sorted(fonts.glob("*/*.[ot]tf")):
        with TTFont(path, lazy=True) as font:
            coverage.setdefault(path.parent.name, set()).update(font.getBestCmap() or {})
    return {family: frozenset(points) for family, points in coverage.items()}


def fonts_with(character: str, fonts: Path) -> list[str]:
    return [FONT_NAMES.get(family, family) for family, points in bundled_coverage(fonts).items()
            if all(ord(c) in points for c in character)]


def locate_missing(characters: list[str], pages: list[list[str]], fonts: Path) -> list[Missing]:
    """Each missing character with the pages (numbered as printed) whose text holds it."""
    return [{"character": character, "codepoint": " ".join(f"U+{ord(c):04X}" for c in character),
             "pages": [number for number, pieces in enumerate(pages, start=1) if any(character in p for p in pieces)],
             "fonts": fonts_with(character, fonts)} for character in characters]
