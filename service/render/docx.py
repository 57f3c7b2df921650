"""render_docx(template, context) -> bytes, through docxtpl and the sandboxed environment."""

from __future__ import annotations

import io
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate

from .jinja import sandbox

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@lru_cache(maxsize=16)
def template_bytes(path: Path, mtime_ns: int) -> bytes:
    """A template file's bytes, read once per version of the file."""
    return path.read_bytes()


def read_template(path: Path) -> bytes:
    return template_bytes(path, path.stat().st_mtime_ns)


def render_docx(template: Path, context: Mapping[str, Any], title: str = "") -> bytes:
    """Fill a docxtpl template; user text is escaped, never interpreted as Jinja or XML.

    The title goes into the document's metadata as plain text. (docxtpl would template core
    properties through the autoescaping environment and python-docx would escape them again.)
    """
    document = DocxTemplate(io.BytesIO(read_template(template)))
    document.render(dict(context), sandbox())
    document.core_properties.title = title
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()
