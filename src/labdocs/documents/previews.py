"""A zine's page previews: PNGs of its pages as they will print, asked for and made as a document like any other
(kind "zine", format "png"), and found again by the editor, which says whether they show the zine as it is."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypedDict

from sqlalchemy import String, cast, select

from labdocs.documents.requests import dispatch, request_document
from labdocs.infra.db import session
from labdocs.infra.models import Document, Project, Status, Zine
from labdocs.render.geometry import SIZES, geometry
from labdocs.render.impose import printed_numbers
from labdocs.schemas.zine import LAYOUT_NAMES

PREVIEW_FORMAT = "png"
LOOK_BACK = 50  # the zine's latest preview requests looked through: more than a day's worth of presses


class PagePreview(TypedDict):
    """One page's preview: its file among the document's files, its alt text, and whether the page (and the
    whole zine's settings) are unchanged since it was made."""

    name: str
    alt: str
    current: bool


class Previews(TypedDict):
    """The zine's latest preview request (perhaps still being made) and the latest one finished."""

    latest: Document | None
    finished: Document | None


def request_preview(project: Project, zine: Zine, requested_by: str) -> Document:
    """Ask for previews of the zine's pages as saved; a worker makes them, as it makes any document."""
    return dispatch(request_document(project, "zine", PREVIEW_FORMAT, False, requested_by, zine.id))


def zine_previews(zine: Zine) -> Previews:
    """The zine's latest preview request and latest finished preview, newest first of this zine's own."""
    query = (select(Document)
             .where(Document.org_id == zine.org_id, Document.project_id == zine.project_id,
                    Document.kind == "zine", Document.format == PREVIEW_FORMAT,
                    cast(Document.input, String).contains(zine.id))
             .order_by(Document.requested_at.desc()).limit(LOOK_BACK))
    mine = [document for document in session().scalars(query) if (document.input or {}).get("zine_id") == zine.id]
    finished = next((document for document in mine if document.status == Status.FINISHED), None)
    return {"latest": mine[0] if mine else None, "finished": finished}


def preview_alt(number: int, page: Mapping[str, Any], title: str) -> str:
    """A page preview's alt text: "Page 3 as it will print: Text layout, heading “Who took part”" (a cover's
    heading is the zine's title, which every cover prints)."""
    layout = LAYOUT_NAMES.get(page.get("layout", ""), "Text")
    heading = title if page.get("layout") == "cover" else page.get("heading") or ""
    return f"Page {number} as it will print: {layout} layout" + (f", heading “{heading}”" if heading else "")


def settings_of(data: Mapping[str, Any]) -> dict[str, Any]:
    """What the whole zine's look depends on besides its pages' own fields (a change repaints every page)."""
    return {key: value for key, value in data.items() if key != "pages"} | {"count": len(data.get("pages") or [])}


def page_previews(document: Document, data: Mapping[str, Any]) -> list[PagePreview | None]:
    """For each page of the zine as it is now (`data`), the page the finished preview `document` shows in its
    place, or None for a page added since; current only if neither the page nor the zine's settings changed."""
    made = (document.input or {}).get("zine") or {}
    pages, before = list(data.get("pages") or []), list(made.get("pages") or [])
    same_settings = settings_of(made) == settings_of(data)
    booklet = made.get("format") in SIZES and geometry(made["format"], "home", False).booklet
    numbers = printed_numbers(before, booklet)
    shown: list[PagePreview | None] = []
    for index, page in enumerate(pages):
        name = f"thumbnails/reader-{numbers[index]:02d}.png" if index < len(before) else ""
        if name not in (document.files or {}):
            shown.append(None)
            continue
        shown.append({"name": name, "alt": preview_alt(index + 1, before[index], made.get("title", "")),
                      "current": same_settings and dict(before[index]) == dict(page)})
    return shown
