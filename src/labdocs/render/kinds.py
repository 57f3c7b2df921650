"""The one table of document kinds: what each is made by, from which templates, and how people see it.

The API, the web pages, the command line, the engine warm-up and the request schema all read this table,
so a new kind of document is a row here and its renderer, nothing else.
"""

from __future__ import annotations

import hashlib
import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from labdocs.render import Rendered, Sources, file_bytes

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_TYPE = "application/pdf"

# Bump when a renderer changes its output for the same data and templates.
RENDERER_VERSION = "5"


@dataclass(frozen=True)
class Kind:
    """One kind of document in one format; the first row of a kind is its default format."""

    kind: str
    format: str
    renderer: str  # "module:function", imported on first use so reading the table stays cheap
    templates: tuple[str, ...]
    media_type: str
    suffix: str
    label: str  # how a page names it
    download: str  # the download link's words
    subject: str  # strict=true wording: "The <subject> fails 2 <checks>."
    checks: str

    def render(self, sources: Sources, payload: Mapping[str, Any]) -> Rendered:
        """Make this document from its payload with its renderer."""
        return load_renderer(self.renderer)(sources, payload)


KINDS = (
    Kind("bid", "docx", "labdocs.render.bid:render_bid_docx", ("docx/bid.docx",), DOCX_TYPE, ".docx",
         "Draft bid (Word)", "Download the draft bid (Word)", "bid", "funder check"),
    Kind("bid", "txt", "labdocs.render.paste:render_bid_txt", (), "text/plain; charset=utf-8", ".txt",
         "Ready for the funder's form (text)", "Download the answers to paste (text)", "bid", "funder check"),
    Kind("bid", "md", "labdocs.render.paste:render_bid_md", (), "text/markdown; charset=utf-8", ".md",
         "Ready for the funder's form (Markdown)", "Download the answers to paste (Markdown)", "bid",
         "funder check"),
    Kind("report", "pdf", "labdocs.render.report:render_report_pdf",
         ("html/report.html", "html/report-body.html", "html/blocks.html", "html/report.css"), PDF_TYPE, ".pdf",
         "Final report (PDF)", "Download the report (PDF)", "report", "cross-check"),
    Kind("report", "docx", "labdocs.render.report:render_report_docx", ("docx/report.docx",), DOCX_TYPE, ".docx",
         "Final report (Word)", "Download the report (Word)", "report", "cross-check"),
    Kind("report", "html", "labdocs.render.report:render_report_html",
         ("html/report-web.html", "html/report-body.html", "html/blocks.html", "html/report-web.css"),
         "text/html; charset=utf-8", ".html", "Final report (web page)", "Download the report (web page)", "report",
         "cross-check"),
    Kind("page", "html", "labdocs.render.page:render_page_html",
         ("html/page.html", "html/page-body.html", "html/blocks.html", "html/page.css"), "text/html; charset=utf-8",
         ".html", "Project page (web page)", "Download the project page", "project page", "name check"),
    Kind("page", "md", "labdocs.render.page:render_page_md", ("html/page-body.html",), "text/markdown; charset=utf-8",
         ".md", "Project page (Markdown)", "Download the project page (Markdown)", "project page", "name check"),
    Kind("zine", "zip", "labdocs.render.zine:render_zine",
         ("html/zine.html", "html/blocks.html", "html/zine.css", "html/zine-instructions.html"),
         "application/zip", ".zip", "Zine (print files)", "Download every print file (zip)", "zine", "check"),
    Kind("zine", "png", "labdocs.render.zine:render_zine_pages",
         ("html/zine.html", "html/blocks.html", "html/zine.css"), "image/png", ".png",
         "Zine (page previews)", "Download the first page's preview (PNG)", "zine", "check"),
)
BY_KEY = {(row.kind, row.format): row for row in KINDS}

# Each kind's formats, the default first.
FORMATS: dict[str, tuple[str, ...]] = {kind: tuple(row.format for row in KINDS if row.kind == kind)
                                       for kind in dict.fromkeys(row.kind for row in KINDS)}

MEDIA_TYPES = {".pdf": PDF_TYPE, ".png": "image/png", ".json": "application/json",
               ".txt": "text/plain; charset=utf-8", ".docx": DOCX_TYPE, ".zip": "application/zip",
               ".html": "text/html; charset=utf-8", ".md": "text/markdown; charset=utf-8"}


@cache
def load_renderer(path: str) -> Callable[[Sources, Mapping[str, Any]], Rendered]:
    """The renderer function a "module:function" path names."""
    module, name = path.split(":")
    renderer: Callable[[Sources, Mapping[str, Any]], Rendered] = getattr(importlib.import_module(module), name)
    return renderer


def find_kind(kind: str, fmt: str) -> Kind:
    """The row for this kind and format; KeyError for one labdocs does not make."""
    return BY_KEY[(kind, fmt)]


def media_type(name: str) -> str:
    """The media type of an output file, by its extension."""
    return MEDIA_TYPES.get(Path(name).suffix, "application/octet-stream")


def template_version(template_dir: Path, kind: str, fmt: str) -> str:
    """A hash of the templates a document uses, so a changed template never serves a stale cached file."""
    digest = hashlib.sha256(RENDERER_VERSION.encode())
    for name in find_kind(kind, fmt).templates:
        digest.update(file_bytes(template_dir / name))
    return digest.hexdigest()


def render(sources: Sources, kind: str, fmt: str, payload: Mapping[str, Any]) -> Rendered:
    """Make one document of this kind and format from its payload."""
    return find_kind(kind, fmt).render(sources, payload)
