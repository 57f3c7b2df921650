"""Marked content outside the structure tree (WeasyPrint's running headers and footers) made into artifacts.

WeasyPrint tags page-margin content with MCIDs but leaves its structure elements out of the tree (PDF 1.7
cannot hold artifacts there). PDF/UA-1 wants such content marked /Artifact in the content stream instead,
so page numbers are skipped by screen readers rather than being orphaned text.

WeasyPrint draws a page's margin boxes after its body, so only orphans after the last marked content the
tree reaches are margin content. Orphans among the body are left alone, for the accessibility check to fail:
they would be real content hidden from screen readers, and must not be waved through as page furniture.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import pikepdf

from labdocs.render import pdf_bytes
from labdocs.render.marked import ARTIFACT, MARKED, content
from labdocs.render.structure import repair_structure


def reachable_mcids(pdf: pikepdf.Pdf) -> dict[Any, set[int]]:
    """MCIDs reachable from the structure tree root, per page (by object id)."""
    found: dict[Any, set[int]] = defaultdict(set)
    root = pdf.Root.get("/StructTreeRoot")
    stack: list[tuple[Any, Any]] = [(root, None)] if root is not None else []
    while stack:
        node, page = stack.pop()
        page = node.get("/Pg", page) if isinstance(node, pikepdf.Dictionary) else page
        kids = node.get("/K") if isinstance(node, pikepdf.Dictionary) else None
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
            if isinstance(kid, int) and page is not None:
                found[page.objgen].add(int(kid))
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                owner = kid.get("/Pg", page)
                if owner is not None:
                    found[owner.objgen].add(int(kid.MCID))
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") != "/OBJR":
                stack.append((kid, page))
    return found


def marked_mcids(data: bytes) -> set[int]:
    return {int(match[2]) for match in MARKED.finditer(data)}


def orphaned_mcids(pdf: pikepdf.Pdf) -> dict[int, set[int]]:
    """Per page number (1-based), the marked content no structure element in the tree points to."""
    reachable = reachable_mcids(pdf)
    orphans = {}
    for number, page in enumerate(pdf.pages, start=1):
        lost = marked_mcids(content(page)) - reachable.get(page.obj.objgen, set())
        if lost:
            orphans[number] = lost
    return orphans


def artifact_trailing(keep: set[int], body_end: int) -> Callable[[re.Match[bytes]], bytes]:
    """A substitution that turns orphans drawn after the body (at offset `body_end` on) into artifacts."""
    def replace(match: re.Match[bytes]) -> bytes:
        return match[0] if int(match[2]) in keep or match.start() < body_end else ARTIFACT
    return replace


def body_end(stream: bytes, keep: set[int]) -> int:
    """Where the last marked content the tree reaches begins (0 on a page with none)."""
    return max((match.start() for match in MARKED.finditer(stream) if int(match[2]) in keep), default=0)


def mark_artifacts_in(pdf: pikepdf.Pdf) -> bool:
    """Rewrite orphaned page-margin content as pagination artifacts; whether anything changed."""
    reachable = reachable_mcids(pdf)
    changed = False
    for page in pdf.pages:
        stream = content(page)
        keep = reachable.get(page.obj.objgen, set())
        if not marked_mcids(stream) - keep:
            continue
        rewritten = MARKED.sub(artifact_trailing(keep, body_end(stream, keep)), stream)
        page.obj.Contents = pdf.make_stream(rewritten)
        changed = True
    return changed


def finish_tagged(data: bytes) -> bytes:
    """A tagged PDF from WeasyPrint, opened once: its structure made whole across pages, its page furniture
    marked as artifacts."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        repaired = repair_structure(pdf)
        if not mark_artifacts_in(pdf) and not repaired:
            return data
        return pdf_bytes(pdf)


def mark_page_artifacts(data: bytes) -> bytes:
    """Rewrite orphaned page-margin content as pagination artifacts; the PDF unchanged if there is none."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return pdf_bytes(pdf) if mark_artifacts_in(pdf) else data


def without_pdfua_claim(data: bytes) -> bytes:
    """The PDF with its tags but without the PDF/UA identification in its metadata: for a file that fails its
    own accessibility check, which must not claim a standard it does not meet."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        if "/Metadata" not in pdf.Root:
            return data
        drop_pdfua_claim(pdf)
        return pdf_bytes(pdf)


def drop_pdfua_claim(pdf: pikepdf.Pdf) -> None:
    """The PDF/UA identification taken out of an open file's XMP metadata (if it has any)."""
    if "/Metadata" not in pdf.Root:
        return
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
        for key in ("pdfuaid:part", "pdfuaid:rev", "pdfuaid:conformance"):
            if key in xmp:
                del xmp[key]


def claims_pdfua(data: bytes) -> bool:
    """Whether the PDF's metadata identifies it as PDF/UA."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return "/Metadata" in pdf.Root and "pdfuaid:part" in pdf.open_metadata()
