"""Which renderer makes which document, from which templates; and a fingerprint of those templates."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from . import Rendered, Sources, file_bytes
from .bid import render_bid_docx
from .docx import DOCX_TYPE
from .pdf import PDF_TYPE
from .report import render_report_docx, render_report_pdf
from .zine import render_zine

# Bump when a renderer changes its output for the same data and templates.
RENDERER_VERSION = "3"


class Renderer(NamedTuple):
    render: Callable[[Sources, Mapping[str, Any]], Rendered]
    templates: tuple[str, ...]
    media_type: str
    suffix: str


RENDERERS: dict[tuple[str, str], Renderer] = {
    ("bid", "docx"): Renderer(render_bid_docx, ("docx/bid.docx",), DOCX_TYPE, ".docx"),
    ("report", "docx"): Renderer(render_report_docx, ("docx/report.docx",), DOCX_TYPE, ".docx"),
    ("report", "pdf"): Renderer(render_report_pdf, ("html/report.html", "html/blocks.html", "html/report.css"),
                                PDF_TYPE, ".pdf"),
    ("zine", "zip"): Renderer(render_zine, ("html/zine.html", "html/blocks.html", "html/zine.css",
                                            "html/zine-instructions.html"), "application/zip", ".zip"),
}

MEDIA_TYPES = {".pdf": PDF_TYPE, ".png": "image/png", ".json": "application/json",
               ".txt": "text/plain; charset=utf-8", ".docx": DOCX_TYPE, ".zip": "application/zip"}


def media_type(name: str) -> str:
    """The media type of an output file, by its extension."""
    return MEDIA_TYPES.get(Path(name).suffix, "application/octet-stream")


def renderer(kind: str, fmt: str) -> Renderer:
    return RENDERERS[(kind, fmt)]


def template_version(template_dir: Path, kind: str, fmt: str) -> str:
    """A hash of the templates a document uses, so a changed template never serves a stale cached file."""
    digest = hashlib.sha256(RENDERER_VERSION.encode())
    for name in renderer(kind, fmt).templates:
        digest.update(file_bytes(template_dir / name))
    return digest.hexdigest()


def render(sources: Sources, kind: str, fmt: str, payload: Mapping[str, Any]) -> Rendered:
    return renderer(kind, fmt).render(sources, payload)
