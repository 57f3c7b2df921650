"""Accessibility checks on a finished PDF, read the way assistive technology reads it, in plain words."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from itertools import pairwise
from typing import Any

import pikepdf

from labdocs.render.palette import COLOURS, PAIRS, contrast
from labdocs.render.tagging import orphaned_mcids


@dataclass(frozen=True)
class Finding:
    """One accessibility check: a stable code, whether it passed, and what it found."""

    code: str
    passed: bool
    message: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def check_pdf(data: bytes, colours: dict[str, str] | None = COLOURS) -> list[Finding]:
    """Every check, passing or failing, so the person downloading sees what was verified.

    `colours`: the fixed colour scheme whose contrast is checked (the report's); None for a document whose
    colours are the designer's, measured on its rendered pages instead (a zine's preflight).
    """
    with pikepdf.open(io.BytesIO(data)) as pdf:
        elements = list(walk(pdf.Root.get("/StructTreeRoot")))
        findings = [
            check_tagged(pdf),
            check_untagged(pdf),
            check_language(pdf),
            check_title(pdf),
            check_headings(elements),
            check_bookmarks(pdf, elements),
            check_figures(elements),
            check_tables(elements),
            check_fonts(pdf),
        ]
    return findings + ([check_contrast(colours)] if colours is not None else [])


def walk(node: Any) -> Iterator[pikepdf.Dictionary]:
    """Structure elements depth first, which is reading order."""
    if node is None:
        return
    kids = node.get("/K")
    if isinstance(node, pikepdf.Dictionary) and "/S" in node:
        yield node
    if isinstance(kids, pikepdf.Array):
        for kid in kids:
            if isinstance(kid, pikepdf.Dictionary):
                yield from walk(kid)
    elif isinstance(kids, pikepdf.Dictionary):
        yield from walk(kids)


def role(element: pikepdf.Dictionary) -> str:
    return str(element.get("/S", "")).lstrip("/")


def check_tagged(pdf: pikepdf.Pdf) -> Finding:
    mark_info = pdf.Root.get("/MarkInfo")
    marked = mark_info is not None and bool(mark_info.get("/Marked", False))
    if marked and "/StructTreeRoot" in pdf.Root:
        return Finding("tagged", True, "Tagged: the PDF has a structure tree, so screen readers can follow "
                                       "headings, lists and tables.")
    return Finding("tagged", False, "Not tagged: the PDF has no structure tree, so a screen reader gets one "
                                    "unstructured stream of text.")


def check_untagged(pdf: pikepdf.Pdf) -> Finding:
    """Marked content must belong to the structure tree or be an artifact, not float outside both."""
    orphans = orphaned_mcids(pdf)
    if orphans:
        pages = ", ".join(str(number) for number in sorted(orphans))
        count = sum(len(mcids) for mcids in orphans.values())
        return Finding("untagged_content", False,
                       f"{count} pieces of content on page(s) {pages} are marked but outside the document "
                       "structure; screen readers may skip them or read them out of order.")
    return Finding("untagged_content", True, "Structure: all content is in the structure tree or marked as "
                                             "page furniture (running footers), which screen readers skip.")


def check_language(pdf: pikepdf.Pdf) -> Finding:
    language = str(pdf.Root.get("/Lang", "")).strip()
    if language:
        return Finding("language", True, f"Language: set to {language}, so text is read with the right voice.")
    return Finding("language", False, "No document language: screen readers may pronounce the text wrongly.")


def check_title(pdf: pikepdf.Pdf) -> Finding:
    title = str(pdf.docinfo.get("/Title", "")).strip()
    preferences = pdf.Root.get("/ViewerPreferences")
    shown = preferences is not None and bool(preferences.get("/DisplayDocTitle", False))
    if title and shown:
        return Finding("title", True, f"Title: “{title}”, shown instead of the file name.")
    if title:
        return Finding("title", False, f"The title “{title}” is set but viewers show the file name instead.")
    return Finding("title", False, "No document title: people hear the file name instead.")


def check_headings(elements: list[pikepdf.Dictionary]) -> Finding:
    levels = [int(role(e)[1]) for e in elements if role(e) in {f"H{n}" for n in range(1, 7)}]
    if not levels:
        return Finding("heading_order", False, "No headings: people cannot jump between sections.")
    if levels[0] != 1:
        return Finding("heading_order", False, f"The first heading is level {levels[0]}, not level 1.")
    for position, (before, after) in enumerate(pairwise(levels), start=2):
        if after > before + 1:
            return Finding("heading_order", False,
                           f"Heading {position} jumps from level {before} to level {after}, skipping a level.")
    return Finding("heading_order", True, f"Headings: {len(levels)} headings in order, none skipping a level.")


def count_outline(item: Any) -> int:
    """Outline (bookmark) entries under an item, counted by walking First/Next."""
    total, child = 0, item.get("/First")
    while child is not None:
        total += 1 + count_outline(child)
        child = child.get("/Next")
    return total


def check_bookmarks(pdf: pikepdf.Pdf, elements: list[pikepdf.Dictionary]) -> Finding:
    headings = sum(role(e) in {f"H{n}" for n in range(1, 7)} for e in elements)
    outline = pdf.Root.get("/Outlines")
    bookmarks = count_outline(outline) if outline is not None else 0
    if headings and not bookmarks:
        return Finding("bookmarks", False, "No bookmarks: people cannot jump to a section from the viewer's "
                                           "side panel.")
    return Finding("bookmarks", True, f"Bookmarks: {bookmarks} bookmarks from the headings.")


def check_figures(elements: list[pikepdf.Dictionary]) -> Finding:
    figures = [e for e in elements if role(e) == "Figure"]
    missing = [e for e in figures if not str(e.get("/Alt", "")).strip()]
    if missing:
        return Finding("figures_alt", False,
                       f"{len(missing)} of {len(figures)} figures have no text alternative; people who cannot "
                       "see them miss what they show.")
    if len(figures) < 2:
        return Finding("figures_alt", True, "Figures: 1 figure, with a text alternative." if figures else
                       "Figures: none.")
    return Finding("figures_alt", True, f"Figures: {len(figures)} figures, each with a text alternative.")


def check_tables(elements: list[pikepdf.Dictionary]) -> Finding:
    tables = [e for e in elements if role(e) == "Table"]
    bare = [number for number, table in enumerate(tables, start=1)
            if not any(role(cell) == "TH" for cell in walk(table))]
    if bare:
        listed = ", ".join(str(number) for number in bare)
        return Finding("table_headers", False,
                       f"Table {listed} has no header cells, so a screen reader cannot say what each cell means.")
    return Finding("table_headers", True, f"Tables: {len(tables)} tables, each with header cells.")


def fonts_in(resources: Any, seen: set[Any]) -> Iterator[pikepdf.Dictionary]:
    """Every font in a resource dictionary, including inside form XObjects (where SVG text lives)."""
    if resources is None or (resources.objgen != (0, 0) and resources.objgen in seen):
        return
    seen.add(resources.objgen)
    yield from (resources.get("/Font") or {}).values()
    for xobject in (resources.get("/XObject") or {}).values():
        if xobject.get("/Subtype") == "/Form":
            yield from fonts_in(xobject.get("/Resources"), seen)


def font_problem(font: pikepdf.Dictionary) -> str | None:
    """What is wrong with one font for accessibility and faithful display, if anything."""
    descriptor_font = font.DescendantFonts[0] if font.get("/Subtype") == "/Type0" else font
    descriptor = descriptor_font.get("/FontDescriptor")
    if font.get("/Subtype") != "/Type3" and (descriptor is None or not any(
            key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))):
        return "not embedded"
    if "/ToUnicode" not in font:
        return "no Unicode map (text cannot be copied or read aloud)"
    return None


def font_problems(*pdfs: pikepdf.Pdf) -> dict[str, str | None]:
    """Every font used, by name (subset prefix dropped), with the first problem seen for it, if any."""
    fonts: dict[str, str | None] = {}
    for pdf in pdfs:
        seen: set[Any] = set()  # object numbers are per file
        for page in pdf.pages:
            for font in fonts_in(page.get("/Resources"), seen):
                name = str(font.get("/BaseFont", "unnamed")).lstrip("/").split("+")[-1]
                if fonts.get(name) is None:
                    fonts[name] = font_problem(font)
    return fonts


def check_fonts(pdf: pikepdf.Pdf) -> Finding:
    fonts = font_problems(pdf)
    problems = {name: problem for name, problem in fonts.items() if problem}
    if problems:
        listed = "; ".join(f"{name}: {problem}" for name, problem in sorted(problems.items()))
        return Finding("fonts", False, f"Fonts with problems: {listed}.")
    names = ", ".join(sorted(fonts)) or "none"
    return Finding("fonts", True, f"Fonts: {len(fonts)} fonts ({names}), all embedded with Unicode maps.")


def check_contrast(colours: dict[str, str]) -> Finding:
    """The report's colour scheme against WCAG 2.2 AA: 4.5:1 for text, 3:1 for chart bars."""
    ratios = [(pair, contrast(colours[pair.text], colours[pair.background])) for pair in PAIRS]
    failing = [(pair, ratio) for pair, ratio in ratios if ratio < pair.minimum]
    if failing:
        listed = "; ".join(f"{pair.name} {ratio:.1f}:1 (needs {pair.minimum:g}:1)" for pair, ratio in failing)
        return Finding("contrast", False, f"Contrast too low: {listed}.")
    lowest_text = min((ratio, pair.name) for pair, ratio in ratios if pair.minimum == 4.5)
    return Finding("contrast", True, f"Contrast: every text colour is at least 4.5:1 against its background "
                                     f"(lowest: {lowest_text[1]}, {lowest_text[0]:.1f}:1).")
