"""Which renderer makes which document, from which templates; and a fingerprint of those templates."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from .bid import render_bid_docx
from .docx import DOCX_TYPE, read_template

# Bump when a renderer changes its output for the same data and templates.
RENDERER_VERSION = "1"


class Renderer(NamedTuple):
    render: Callable[[Path, Mapping[str, Any]], bytes]
    templates: tuple[str, ...]
    media_type: str
    suffix: str


RENDERERS: dict[tuple[str, str], Renderer] = {
    ("bid", "docx"): Renderer(render_bid_docx, ("docx/bid.docx",), DOCX_TYPE, ".docx"),
}


def renderer(kind: str, fmt: str) -> Renderer:
    return RENDERERS[(kind, fmt)]


def template_version(template_dir: Path, kind: str, fmt: str) -> str:
    """A hash of the templates a document uses, so a changed template never serves a stale cached file."""
    digest = hashlib.sha256(RENDERER_VERSION.encode())
    for name in renderer(kind, fmt).templates:
        digest.update(read_template(template_dir / name))
    return digest.hexdigest()


def render(template_dir: Path, kind: str, fmt: str, payload: Mapping[str, Any]) -> bytes:
    return renderer(kind, fmt).render(template_dir, payload)
