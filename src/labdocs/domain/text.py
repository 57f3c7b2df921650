"""User text as a document sees it: paragraphs, bulleted items, word counts."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any, TypedDict

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


def blocks_text(blocks: list[Block]) -> str:
    """Blocks as plain text: a blank line between paragraphs; a list's items on lines of their own, each "- "
    (what to_blocks reads back into the same blocks)."""
    out: list[str] = []
    for index, block in enumerate(blocks):
        joined = index > 0 and block["bullet"] and blocks[index - 1]["bullet"]
        out.append(("\n" if joined else "\n\n" if out else "") + ("- " if block["bullet"] else "") + block["text"])
    return "".join(out)


def figure(value: float) -> str:
    """30, 2.5, 1,200, 1,500,000: a count as people read it (never 1.5e+06)."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")


def count_words(text: str) -> int:
    """Words as Word counts them: runs of non-space characters (so 'co-operative' is one word)."""
    return len(text.split())


def strings_in(data: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every string in nested JSON-like data, with its dotted path (case_studies.0.story)."""
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from strings_in(value, f"{path}.{key}" if path else str(key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from strings_in(value, f"{path}.{index}" if path else str(index))


def describe_field(path: str) -> str:
    """A data path as a person would say it: case_studies.0.story → "case studies 1: story"."""
    words = [str(int(part) + 1) if part.isdigit() else part.replace("_", " ") for part in path.split(".")]
    named = " ".join(words[:2]) if len(words) > 1 and words[1].isdigit() else words[0]
    rest = words[2:] if len(words) > 1 and words[1].isdigit() else words[1:]
    return f"{named}: {' '.join(rest)}" if rest else named


def where_characters(characters: list[str], *sources: Any) -> list[str]:
    """For each character, its name and the fields of the sources it appears in, for a message: "😀 (U+1F600,
    GRINNING FACE) in case studies 1: story"."""
    found = []
    for character in characters:
        places = [describe_field(path) for data in sources for path, text in strings_in(data) if character in text]
        name = unicodedata.name(character, "")
        label = f"{character} (U+{ord(character):04X}{', ' + name if name else ''})"
        found.append(label + (" in " + "; ".join(places[:3]) + ("…" if len(places) > 3 else "") if places else ""))
    return found
