"""Marked content outside the structure tree (WeasyPrint's running headers and footers) made into artifacts.

WeasyPrint tags page-margin content with MCIDs but leaves its structure elements out of the tree (PDF 1.7
cannot hold artifacts there). PDF/UA-1 wants such content marked /Artifact in the content stream instead,
so page numbers are skipped by screen readers rather than being orphaned text.
"""

from __future__ import annotations

import io
from collections import defaultdict
from typing import Any

import pikepdf


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
                found[kid.get("/Pg", page).objgen].add(int(kid.MCID))
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") != "/OBJR":
                stack.append((kid, page))
    return found


def mcid(instruction: Any) -> int | None:
    """The MCID a BDC instruction opens, if it opens one."""
    if str(instruction.operator) != "BDC" or len(instruction.operands) < 2:
        return None
    properties = instruction.operands[1]
    return int(properties.MCID) if isinstance(properties, pikepdf.Dictionary) and "/MCID" in properties else None


def orphaned_mcids(pdf: pikepdf.Pdf) -> dict[int, set[int]]:
    """Per page number (1-based), the marked content no structure element in the tree points to."""
    reachable = reachable_mcids(pdf)
    orphans = {}
    for number, page in enumerate(pdf.pages, start=1):
        used = {m for instruction in pikepdf.parse_content_stream(page) if (m := mcid(instruction)) is not None}
        lost = used - reachable.get(page.obj.objgen, set())
        if lost:
            orphans[number] = lost
    return orphans


def mark_page_artifacts(data: bytes) -> bytes:
    """Rewrite orphaned marked content as pagination artifacts, parsing each page's content once."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        reachable = reachable_mcids(pdf)
        changed = False
        for page in pdf.pages:
            instructions = pikepdf.parse_content_stream(page)
            keep = reachable.get(page.obj.objgen, set())
            lost = [i for i, instruction in enumerate(instructions)
                    if (m := mcid(instruction)) is not None and m not in keep]
            if not lost:
                continue
            for index in lost:
                instructions[index] = pikepdf.ContentStreamInstruction(
                    [pikepdf.Name.Artifact, pikepdf.Dictionary(Type=pikepdf.Name.Pagination)], pikepdf.Operator("BDC"))
            page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))
            changed = True
        if not changed:
            return data
        output = io.BytesIO()
        pdf.save(output)
        return output.getvalue()
