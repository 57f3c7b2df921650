"""User text as a document sees it: paragraphs, bulleted items, word counts."""

from __future__ import annotations

import re
from typing import TypedDict

BULLET = re.compile(r"^\s*[-*•●▪]\s+")


class Block(TypedDict):
    bullet: bool
    text: str


def to_blocks(text: str) -> list[Block]:
    """Each non-empty line is a paragraph; lines starting '- ', '* ' or '•' become bulleted items."""
    blocks: list[Block] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        marker = BULLET.match(line)
        blocks.append({"bullet": bool(marker), "text": line[marker.end() :].strip() if marker else line.strip()})
    return blocks


def figure(value: float) -> str:
    """30, 2.5, 1,200, 1,500,000: a count as people read it (never 1.5e+06)."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")


def count_words(text: str) -> int:
    """Words as Word counts them: runs of non-space characters (so 'co-operative' is one word)."""
    return len(text.split())
