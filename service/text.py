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


def count_words(text: str) -> int:
    """Words as Word counts them: runs of non-space characters (so 'co-operative' is one word)."""
    return len(text.split())
