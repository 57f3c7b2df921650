"""Request body limits: the app's small default, and larger ones for the views that take uploads."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, current_app, request
from redis.exceptions import RedisError

from labdocs.errors import TooManyRequests
from labdocs.infra.queue import job_queue

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


def check_request_rate(org_id: str) -> None:
    """Refuse an organisation's request past its share of the minute (429): a client that ignores Retry-After
    slows only itself. The count lives in Redis, so every web process shares it; if Redis does not answer,
    the request goes ahead (a page that needs no queue should not fail because the queue is down)."""
    limit = current_app.config["REQUESTS_PER_MINUTE"]
    if not limit:
        return
    try:
        count, seconds_left = job_queue().count_request(org_id)
    except RedisError:
        return
    if count > limit:
        raise TooManyRequests(f"Your organisation has made more than {limit} requests this minute, so labdocs is "
                              f"pausing them: ask again in {seconds_left} seconds. Other organisations are not "
                              "affected.", retry_after=seconds_left)


def init_limits(app: Flask) -> None:
    app.before_request(apply_body_limit)
