"""The structure tree made whole again across page breaks.

WeasyPrint 70 builds the structure tree page by page: an element that runs over a page break becomes one
structure element per page (a long table is two /Table elements, one perhaps holding only its caption), and
the header rows it repeats on each page are tagged again as real content. Its /Headers point at /ID values
that no /IDTree resolves, and no header cell says its /Scope.

While WeasyPrint builds the tree, `mark_sources` notes on each structure element which HTML element it came
from (and, on header cells, their scope). After writing, `repair_structure` merges the pieces of each HTML
element back into one, turns repeated header and footer rows into artifacts, replaces /Headers with /Scope,
and removes the notes. The tree then reads as the HTML does, whatever the page breaks.

An HTML element marked `data-labdocs-artifact` (a page number drawn in the page's body, say) is page furniture:
`repair_structure` takes it out of the tree and marks its content as an artifact, which screen readers skip.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pikepdf

from labdocs.render.marked import ARTIFACT, MARKED, content

SOURCE = "/LabdocsSource"
FURNITURE = "/LabdocsArtifact"
_installed = threading.Lock()
_counter = itertools.count(1)


def mark_sources() -> None:
    """Wrap WeasyPrint's tree builder (once per process) so each element names its HTML source."""
    from weasyprint.layout.absolute import AbsolutePlaceholder
    from weasyprint.pdf import tags

    with _installed:
        if getattr(tags._build_box_tree, "labdocs", False):
            return
        build = tags._build_box_tree

        def build_marked(box: Any, *args: Any) -> Iterator[Any]:
            source = box._box.element if isinstance(box, AbsolutePlaceholder) else box.element
            for element in build(box, *args):
                # html and body pass their children's elements up: the innermost box that made one names it.
                if source is not None and SOURCE[1:] not in element:
                    element[SOURCE[1:]] = source_number(source)
                    if source.get("data-labdocs-artifact") is not None:
                        element[FURNITURE[1:]] = "true"
                    if element["S"] == "/TH" and "A" in element:
                        element["A"]["Scope"] = "/Row" if source.get("scope") == "row" else "/Column"
                yield element

        build_marked.labdocs = True  # type: ignore[attr-defined]
        tags._build_box_tree = build_marked


def source_number(source: Any) -> int:
    """A number for an HTML element, the same for every box (and so every page) it makes."""
    number = source.get("data-labdocs-source")
    if number is None:
        number = str(next(_counter))
        source.set("data-labdocs-source", number)
    return int(number)


def kids_of(element: Any) -> list[Any]:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def same_page(one: pikepdf.Dictionary, other: pikepdf.Dictionary) -> bool:
    return "/Pg" in one and "/Pg" in other and one.Pg.objgen == other.Pg.objgen


def is_element(kid: Any) -> bool:
    return isinstance(kid, pikepdf.Dictionary) and "/S" in kid


class Repair:
    """One pass over a PDF's structure tree; `artifacts` collects the MCIDs (per page) that become artifacts."""

    def __init__(self, pdf: pikepdf.Pdf) -> None:
        self.pdf = pdf
        self.owners: dict[tuple[Any, int], pikepdf.Dictionary] = {}  # (page, MCID) → new owning element
        self.artifacts: dict[Any, set[int]] = {}

    def merge(self, element: pikepdf.Dictionary) -> None:
        """Merge pieces of the same HTML element among `element`'s kids, then do the same inside each."""
        kept: list[Any] = []
        by_source: dict[int, pikepdf.Dictionary] = {}
        for kid in kids_of(element):
            source = int(kid[SOURCE]) if is_element(kid) and SOURCE in kid else None
            first = by_source.get(source) if source is not None else None
            if first is not None and (kid.get("/S") != first.get("/S") or same_page(kid, first)):
                first = None  # a continuation is the same kind of element, on a later page
            if is_element(kid) and FURNITURE in kid:
                self.make_artifact(kid)  # page furniture drawn in the body, such as a page number
            elif first is None:
                if source is not None:
                    by_source[source] = kid
                kept.append(kid)
            elif str(kid.get("/S")) in ("/THead", "/TFoot"):
                self.make_artifact(kid)  # a header or footer repeated on a new page
            else:
                self.move_kids(kid, first)
        element.K = pikepdf.Array(kept)
        for kid in kept:
            if is_element(kid):
                self.merge(kid)

    def move_kids(self, piece: pikepdf.Dictionary, into: pikepdf.Dictionary) -> None:
        """Append a later page's piece to the element it continues."""
        page, target_page = piece.get("/Pg"), into.get("/Pg")
        moved = list(kids_of(into))
        for kid in kids_of(piece):
            if isinstance(kid, int) and page is not None:
                if target_page is None or page.objgen != target_page.objgen:
                    kid = self.pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.MCR, Pg=page, MCID=kid))
                self.owners[(page.objgen, int(kid if isinstance(kid, int) else kid.MCID))] = into
            elif is_element(kid):
                kid.P = into
            moved.append(kid)
        into.K = pikepdf.Array(moved)

    def make_artifact(self, element: pikepdf.Dictionary) -> None:
        """Take a repeated header or footer out of the tree; its content becomes page furniture."""
        stack: list[tuple[Any, Any]] = [(element, element.get("/Pg"))]
        while stack:
            node, page = stack.pop()
            page = node.get("/Pg", page)
            for kid in kids_of(node):
                if isinstance(kid, int) and page is not None:
                    self.artifacts.setdefault(page.objgen, set()).add(int(kid))
                elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                    self.artifacts.setdefault(kid.get("/Pg", page).objgen, set()).add(int(kid.MCID))
                elif is_element(kid):
                    stack.append((kid, page))


def tidy(element: pikepdf.Dictionary) -> None:
    """Drop the source notes, and table cell /ID and /Headers (scope says it, and no /IDTree resolves them)."""
    stack = [element]
    while stack:
        node = stack.pop()
        if SOURCE in node:
            del node[SOURCE]
        if str(node.get("/S")) in ("/TH", "/TD"):
            if "/ID" in node:
                del node["/ID"]
            attributes = node.get("/A")
            if isinstance(attributes, pikepdf.Dictionary) and "/Headers" in attributes:
                del attributes["/Headers"]
        stack.extend(kid for kid in kids_of(node) if is_element(kid))


def update_parent_tree(pdf: pikepdf.Pdf, repair: Repair) -> None:
    """Point each MCID's parent-tree entry at its element after merging; artifacts point nowhere."""
    nums = pdf.Root.StructTreeRoot.ParentTree.get("/Nums")
    if nums is None:
        return
    pages = {number: page.obj.objgen for number, page in enumerate(pdf.pages)}
    for index in range(0, len(nums) - 1, 2):
        key, refs = int(nums[index]), nums[index + 1]
        page = pages.get(key)
        if page is None or not isinstance(refs, pikepdf.Array):
            continue
        for mcid in range(len(refs)):
            if mcid in repair.artifacts.get(page, set()):
                refs[mcid] = None
            elif (page, mcid) in repair.owners:
                refs[mcid] = repair.owners[(page, mcid)]




def artifact_content(mcids: set[int]) -> Callable[[re.Match[bytes]], bytes]:
    def replace(match: re.Match[bytes]) -> bytes:
        return ARTIFACT if int(match[2]) in mcids else match[0]
    return replace


def repair_structure(pdf: pikepdf.Pdf) -> bool:
    """Make the tree whole across page breaks (see the module's docstring); whether anything changed."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return False
    repair = Repair(pdf)
    for top in kids_of(root):
        if is_element(top):
            repair.merge(top)
            tidy(top)
    update_parent_tree(pdf, repair)
    for page in pdf.pages:
        mcids = repair.artifacts.get(page.obj.objgen)
        if mcids:
            page.obj.Contents = pdf.make_stream(MARKED.sub(artifact_content(mcids), content(page)))
    return True
