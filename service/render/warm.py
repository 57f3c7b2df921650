"""Load the rendering engines and templates once, in a worker's parent, so forked work horses inherit them."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from .docx import read_template
from .jinja import sandbox
from .registry import RENDERERS


def warm_engines(app: Flask) -> None:
    """Import the engines, build the sandbox and read every template before any job is forked."""
    template_dir = Path(app.config["TEMPLATE_DIR"])
    sandbox()
    for entry in RENDERERS.values():
        for name in entry.templates:
            read_template(template_dir / name)
