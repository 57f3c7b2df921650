"""Request body limits: the app's small default, and larger ones for the views that take uploads."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, current_app, request

View = TypeVar("View", bound=Callable[..., Any])


def accepts_upload(limit: int) -> Callable[[View], View]:
    """Let one view's body be up to `limit` bytes; checked before anything (even the CSRF check) parses it."""
    def mark(view: View) -> View:
        view.max_content_length = limit  # type: ignore[attr-defined]
        return view
    return mark


def apply_body_limit() -> None:
    """before_request (app-wide, so it runs before any blueprint's hook reads the form)."""
    view = current_app.view_functions.get(request.endpoint or "")
    limit = getattr(view, "max_content_length", None)
    if limit is not None:
        request.max_content_length = limit


def init_limits(app: Flask) -> None:
    app.before_request(apply_body_limit)
