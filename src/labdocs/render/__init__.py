"""Rendering: plain functions from data to document bytes; they know nothing of Flask or RQ."""

from __future__ import annotations

import io
import mimetypes
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, NotRequired, TypedDict

# What every render reads, shipped inside the package beside the renderers.
TEMPLATES = Path(__file__).resolve().parent / "templates"
ASSETS = Path(__file__).resolve().parent / "assets"


class BidPayload(TypedDict):
    """What a bid document is made from: the validated bid, and the day it is dated."""

    bid: dict[str, Any]
    generated_on: str


class ReportPayload(TypedDict):
    """A final report: the bid it reports on, the report, and the uploaded images it names (id → file key)."""

    bid: dict[str, Any]
    report: dict[str, Any]
    images: dict[str, str]
    generated_on: str


class ZinePayload(TypedDict):
    """A zine: its pages, the uploaded images they name (id → file key), and which stored zine it is (so the
    editor finds its previews; a zine rendered from a file has none)."""

    zine: dict[str, Any]
    images: dict[str, str]
    generated_on: str
    zine_id: NotRequired[str]


class PagePayload(TypedDict):
    """The network's project page: the bid, its report if there is one, and the register's name for each
    organisation the bid names (given name → canonical name), resolved when the page was asked for."""

    bid: dict[str, Any]
    report: dict[str, Any] | None
    names: dict[str, str]
    generated_on: str
    award: NotRequired[dict[str, Any] | None]  # the project's award once funded (not in pages made before awards)


# A job's whole input, stored with the document request and handed to its renderer as it is.
Payload = BidPayload | ReportPayload | ZinePayload | PagePayload


class RenderError(Exception):
    """A render that cannot succeed with this input; the message is for the person who asked."""


class RenderFault(Exception):
    """labdocs made a document that fails its own checks: labdocs' fault, not the data's, so it is not shipped.

    A file that claimed a standard (PDF/UA) its own check says it fails would mislead everyone who relies on it.
    """


def pdf_bytes(pdf: Any) -> bytes:
    """A pikepdf.Pdf saved to bytes."""
    output = io.BytesIO()
    pdf.save(output)
    return output.getvalue()


@lru_cache(maxsize=64)
def versioned_bytes(path: Path, mtime_ns: int) -> bytes:
    return path.read_bytes()


def file_bytes(path: Path) -> bytes:
    """A template or asset file, read once per version of the file."""
    return versioned_bytes(path, path.stat().st_mtime_ns)


def read_asset(root: Path, relative: str) -> tuple[bytes, str]:
    """A file under `root` (never outside it) and its media type."""
    path = (root / relative).resolve()
    if root.resolve() not in path.parents or not path.is_file():
        raise ValueError(f"no such asset: {relative}")
    return file_bytes(path), mimetypes.guess_type(path.name)[0] or "application/octet-stream"


@dataclass(frozen=True)
class Sources:
    """Where a renderer may read from: the templates, the bundled assets, and stored files by key."""

    templates: Path
    assets: Path
    read_file: Callable[[str], bytes]

    def image(self, reference: str, payload: Mapping[str, Any]) -> bytes:
        """An image by reference: a bundled asset (asset:NAME) or an uploaded image id named in the payload."""
        if reference.startswith("asset:"):
            name = reference.removeprefix("asset:")
            try:
                return read_asset(self.assets / "images", name)[0]
            except ValueError:
                raise RenderError(f"There is no bundled image called {name!r}.") from None
        key = payload.get("images", {}).get(reference)
        if key is None:
            raise RenderError(f"The image {reference} is not one of this project's uploaded images.")
        return self.read_file(key)


@dataclass(frozen=True)
class Rendered:
    """A render's output: the document, and what labdocs found in it (accessibility, preflight)."""

    data: bytes
    findings: list[dict[str, Any]] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)


def bundled_sources(read_file: Callable[[str], bytes]) -> Sources:
    """The package's own templates and assets, with stored files read through `read_file`."""
    return Sources(TEMPLATES, ASSETS, read_file)
