"""The draft bid DOCX carries only the bid: tool notes in the checklist, clean file details, rows and "CCIN says"
kept whole across pages (checked in LibreOffice's own layout)."""

from __future__ import annotations

import copy
import io
import re
import subprocess
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from labdocs.domain.funder_form import AIMS
from labdocs.render import bundled_sources
from labdocs.render.bid import render_bid_docx
from labdocs.schemas.bid import load_bid

from .docx_reading import libreoffice_pdf, open_docx, paragraphs

SOURCES = bundled_sources(lambda key: b"")


def render(bid: dict[str, Any]) -> bytes:
    return render_bid_docx(SOURCES, {"bid": load_bid(bid), "generated_on": "2026-11-24"}).data


def body_text(data: bytes) -> list[str]:
    """The draft's paragraphs and table cells before the appendix and checklist: the bid itself."""
    doc = open_docx(data)
    found = [text for _, text in paragraphs(doc)]
    cut = found.index("Appendix: the budget and outputs as tables")
    return found[:cut] + [cell.text for row in doc.tables[0].rows for cell in row.cells]


@pytest.mark.parametrize("text", ["words.", "They differ", "Draft prepared", "see the checklist", "(council)",
                                  "(affiliate)", "☒", "☐", "None", "No target set", "Workstreams", "DRAFT"])
def test_the_bid_part_carries_no_tool_notes(bid: dict[str, Any], text: str) -> None:
    assert not [line for line in body_text(render(bid)) if text in line]


def test_no_header_on_every_page(bid: dict[str, Any]) -> None:
    parts = zipfile.ZipFile(io.BytesIO(render(bid))).namelist()
    assert not [name for name in parts if "header" in name]
    assert all(not section.header.paragraphs or not section.header.paragraphs[0].text
               for section in open_docx(render(bid)).sections)


def test_the_same_bid_gives_the_same_bytes(bid: dict[str, Any]) -> None:
    first = render(bid)
    assert render(bid) == first  # one stored file however often, and by whichever organisation, it is made


def test_clean_file_details(bid: dict[str, Any]) -> None:
    data = render(bid)
    properties = open_docx(data).core_properties
    assert properties.title == "Co-operative Governance: draft bid"
    assert properties.subject == "CCIN Innovation Funding 2024 - Policy Lab: application"
    assert properties.author == properties.last_modified_by == "Rochdale Borough Council"
    assert properties.language == "en-GB"
    made = datetime(2026, 11, 24, tzinfo=UTC)  # the date the draft shows, so the same input gives the same bytes
    assert properties.created == properties.modified == made
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()
    assert not [name for name in names if "bibliograph" in name.lower() or "customXml" in name]
    every_part = b"".join(archive.read(name) for name in names if name.endswith((".xml", ".rels")))
    for leftover in (b"python-docx", b"Macintosh", b"Normal.dotm", b"proofState", b"2024-01-01"):
        assert leftover not in every_part, leftover
    assert b'<w:lang w:val="en-GB"' in archive.read("word/styles.xml")


def test_rows_never_split_and_ccin_says_keeps_with_its_answer(bid: dict[str, Any]) -> None:
    data = render(bid)
    doc = open_docx(data)
    for table in doc.tables:
        assert all(row._tr.find(".//{*}cantSplit") is not None for row in table.rows)
    styles = zipfile.ZipFile(io.BytesIO(data)).read("word/styles.xml").decode()
    for style in ("CCINSays", "Label", "Heading2"):
        block = re.search(rf'<w:style [^>]*w:styleId="{style}".*?</w:style>', styles, re.S)
        assert block and "<w:keepNext/>" in block[0], style


def long_bid(bid: dict[str, Any], lines: int, words: int) -> dict[str, Any]:
    """A bid with many long budget lines and long aim answers, each marked so its page can be found."""
    data = copy.deepcopy(bid)
    filler = " ".join(["co-operative governance in practice"] * words)
    data["budget"] = [{"description": f"Bstart{n:03d} {filler} Bend{n:03d}", "amount": "100.00", "quantity": 1}
                      for n in range(lines)]
    data["funding_requested"] = f"{100 * lines}.00"
    for index, aim in enumerate(AIMS):
        data["aims"][aim.key] = f"Astart{index} " + " ".join(["We will work together."] * (40 + 37 * index))
    return data


def word_pages(pdf: Path) -> list[tuple[int, str]]:
    """Every word of a PDF with its page number, in reading order (poppler's pdftotext -bbox)."""
    xhtml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout
    found = []
    for number, page in enumerate(xhtml.split("<page ")[1:], start=1):
        found += [(number, word) for word in re.findall(r"<word [^>]*>([^<]*)</word>", page)]
    return found


@pytest.mark.slow
@pytest.mark.parametrize(("lines", "words"), [(60, 9), (25, 30)])
def test_libreoffice_splits_no_budget_row_and_keeps_ccin_says_with_its_answer(bid: dict[str, Any], tmp_path: Path,
                                                                            lines: int, words: int) -> None:
    source = tmp_path / "bid.docx"
    source.write_bytes(render(long_bid(bid, lines, words)))
    words_on = word_pages(libreoffice_pdf(source, tmp_path))
    pages = {word: page for page, word in words_on}
    starts = [(page, word) for page, word in words_on if word.startswith(("Bstart", "Bend"))]
    table = starts[len(starts) // 2:]  # each line is in the prose first, then in the appendix's table
    assert len(table) == 2 * lines
    for n in range(lines):
        first, last = table[2 * n], table[2 * n + 1]
        assert first[1] == f"Bstart{n:03d}" and last[1] == f"Bend{n:03d}"
        assert first[0] == last[0], f"budget row {n + 1} is split across pages {first[0]} and {last[0]}"
    says = [page for page, word in words_on if word == "says:"]
    assert len(says) == len(AIMS)
    for index, page in enumerate(says):
        assert pages[f"Astart{index}"] == page, f"“CCIN says” for aim {index + 1} is not on its answer's page"
    assert max(page for page, _ in words_on) > 8
