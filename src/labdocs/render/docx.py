"""render_docx(template, context) -> bytes, through docxtpl and the sandboxed environment."""

from __future__ import annotations

import copy
import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache
from pathlib import Path
from typing import Any

from docx.document import Document as DocxDocument
from docx.oxml import parse_xml
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage

from labdocs.render import file_bytes
from labdocs.render.jinja import sandbox


@dataclass(frozen=True)
class Picture:
    """An image for a DOCX context: bytes, its text alternative, and its width on the page."""

    data: bytes
    alt: str
    width_mm: float


class DescribedImage(InlineImage):
    """docxtpl's inline image, with alt text where Word and screen readers look for it (docPr/@descr)."""

    def __init__(self, template: DocxTemplate, picture: Picture) -> None:
        super().__init__(template, io.BytesIO(picture.data), width=Mm(picture.width_mm))
        self.alt = picture.alt

    def _insert_image(self) -> str:
        inline = parse_xml(self.tpl.current_rendering_part.new_pic_inline(
            self.image_descriptor, self.width, self.height).xml)
        for properties in inline.xpath(".//wp:docPr"):
            properties.set("descr", self.alt)
        return f'</w:t></w:r><w:r><w:drawing>{inline.xml}</w:drawing></w:r><w:r><w:t xml:space="preserve">'


@dataclass(frozen=True)
class Prepared:
    """A template parsed and its body made ready for Jinja once: docxtpl would redo both on every render."""

    document: DocxDocument  # pristine: copied for each render, never rendered itself
    body: str  # the body XML after docxtpl's patch_xml


@lru_cache(maxsize=16)
def prepared(path: Path, mtime_ns: int) -> Prepared:
    template = DocxTemplate(io.BytesIO(file_bytes(path)))
    template.init_docx()
    return Prepared(template.docx, template.patch_xml(template.get_xml()))


class PreparedTemplate(DocxTemplate):
    """docxtpl, starting each render from a copy of the parsed template and its prepared body XML.

    Overrides the two docxtpl steps that re-read the template (init_docx) and re-patch its XML (build_xml);
    rendering, tables, pictures and saving are docxtpl's own. Pinned to docxtpl 0.20 in pyproject.toml.
    """

    docx: Any  # docxtpl's own attributes, untyped there
    is_rendered: bool

    def __init__(self, ready: Prepared) -> None:
        super().__init__(io.BytesIO())
        self.ready = ready

    def init_docx(self, reload: bool = True) -> None:
        if not self.docx or (self.is_rendered and reload):
            self.docx = copy.deepcopy(self.ready.document)
            self.is_rendered = False

    def build_xml(self, context: Mapping[str, Any], jinja_env: Any = None) -> str:
        return str(self.render_xml_part(self.ready.body, self.docx._part, context, jinja_env))


def place_pictures(value: Any, template: DocxTemplate) -> Any:
    """Replace every Picture in a context (at any depth) with an image docxtpl can insert."""
    if isinstance(value, Picture):
        return DescribedImage(template, value)
    if isinstance(value, Mapping):
        return {key: place_pictures(item, template) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [place_pictures(item, template) for item in value]
    return value


def render_docx(template: Path, context: Mapping[str, Any], made_on: date, title: str = "", subject: str = "",
                author: str = "") -> bytes:
    """Fill a docxtpl template; user text is escaped, never interpreted as Jinja or XML.

    Title, subject and author go into the document's metadata as plain text; its created and modified times are
    midnight (UTC) of made_on, the date the document shows, so the same input always gives the same bytes and one
    stored file. (docxtpl would template core properties through the autoescaping environment and python-docx
    would escape them again.)
    """
    document = PreparedTemplate(prepared(template, template.stat().st_mtime_ns))
    document.render(place_pictures(context, document), sandbox())
    properties = document.core_properties
    made = datetime.combine(made_on, time())  # python-docx writes naive times as UTC
    properties.title, properties.subject = title, subject
    properties.author = properties.last_modified_by = author or "labdocs"
    properties.created = properties.modified = made
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()
