"""Rendering: plain functions from data to document bytes; they know nothing of Flask or RQ."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class RenderError(Exception):
    """A render that cannot succeed with this input; the message is for the person who asked."""


@dataclass(frozen=True)
class Sources:
    """Where a renderer may read from: the templates, the bundled assets, and stored files by key."""

    templates: Path
    assets: Path
    read_file: Callable[[str], bytes]

    def image(self, reference: str, payload: Mapping[str, Any]) -> bytes:
        """An image by reference: a bundled asset (asset:NAME) or an uploaded image id named in the payload."""
        if reference.startswith("asset:"):
            path = (self.assets / "images" / reference.removeprefix("asset:")).resolve()
            if (self.assets / "images").resolve() not in path.parents or not path.is_file():
                raise RenderError(f"There is no bundled image called {reference.removeprefix('asset:')!r}.")
            return path.read_bytes()
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
