"""Marked content in page content streams: found and rewritten as bytes, or taken out of content that is
placed where no structure tree is (the imposed sheets)."""

from __future__ import annotations

import re
from typing import Any

import pikepdf

# WeasyPrint writes marked content as "/Span <</MCID 43>> BDC" and its text as hex strings, so the pattern
# cannot match inside text. Matching bytes is some twenty times quicker than walking every instruction.
MARKED = re.compile(rb"/(\w+)\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC")
ARTIFACT = b"/Artifact <</Type /Pagination>> BDC"


def content(page: pikepdf.Page) -> bytes:
    """A page's content stream(s), decompressed and joined."""
    contents = page.obj.get("/Contents")
    if contents is None:
        return b""
    streams = contents if isinstance(contents, pikepdf.Array) else [contents]
    return b"\n".join(stream.read_bytes() for stream in streams)


def carries_mcid(operands: list[Any], properties: Any) -> bool:
    """Whether a BDC's (or DP's) properties, inline or named in the resources' /Properties, hold an /MCID."""
    if len(operands) < 2:
        return False
    found = operands[1]
    if isinstance(found, pikepdf.Name) and isinstance(properties, pikepdf.Dictionary):
        found = properties.get(found)
    return isinstance(found, pikepdf.Dictionary) and "/MCID" in found


def without_mcids(holder: Any, properties: Any) -> bytes | None:
    """A content stream without its structure-bound marked content: each BDC whose properties carry an MCID
    (and each such DP) dropped with its matching EMC, what it marks kept; other marked content (artifacts) kept,
    balanced. None when there is nothing to drop."""
    kept, open_marks, changed = [], [], False  # open_marks: per open BMC/BDC, whether it was dropped
    for instruction in pikepdf.parse_content_stream(holder):
        name = str(instruction.operator)
        if name in ("BDC", "DP") and carries_mcid(list(instruction.operands), properties):
            changed = True
            if name == "BDC":
                open_marks.append(True)
            continue
        if name in ("BMC", "BDC"):
            open_marks.append(False)
        elif name == "EMC" and (not open_marks or open_marks.pop()):  # stray, or closing a dropped BDC
            changed = True
            continue
        kept.append(instruction)
    unclosed = open_marks.count(False)
    kept += [pikepdf.ContentStreamInstruction([], pikepdf.Operator("EMC"))] * unclosed
    return pikepdf.unparse_content_stream(kept) if changed or unclosed else None


def untag_content(pdf: pikepdf.Pdf, holder: Any, done: set[tuple[int, int]]) -> None:
    """A page or form XObject of `pdf`, and every form (and tiling pattern) it draws, made untagged in place:
    no MCID-bearing marked content, no /StructParents or /StructParent. Objects in `done` are skipped."""
    resources = holder.get("/Resources")
    properties = resources.get("/Properties") if isinstance(resources, pikepdf.Dictionary) else None
    page = holder.get("/Type") == "/Page"
    data = content(pikepdf.Page(holder)) if page else holder.read_bytes()
    if b"MCID" in data or properties is not None:  # else nothing can refer to the structure tree: left as it is
        rewritten = without_mcids(pikepdf.Page(holder) if page else holder, properties)
        if rewritten is not None:
            if page:
                holder.Contents = pdf.make_stream(rewritten)
            else:
                holder.write(rewritten)
    for key in ("/StructParents", "/StructParent"):
        if key in holder:
            del holder[key]
    if not isinstance(resources, pikepdf.Dictionary):
        return
    for group, kind in (("/XObject", "/Form"), ("/Pattern", None)):
        children = resources.get(group)
        for child in children.values() if isinstance(children, pikepdf.Dictionary) else []:
            drawn = child.get("/Subtype") == "/Form" if kind else child.get("/PatternType") == 1
            if not isinstance(child, pikepdf.Stream) or not drawn or child.objgen in done:
                continue
            if child.is_indirect:
                done.add(child.objgen)
            untag_content(pdf, child, done)
