"""One error shape everywhere: {"code", "status", "message", "errors"}; no traceback reaches a user."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, Response, jsonify, render_template, request
from marshmallow import ValidationError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy.exc import DisconnectionError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from labdocs.errors import (
    BadRequest,
    Conflict,
    Invalid,
    LabdocsError,
    NotFound,
    TooLarge,
    TooManyRequests,
    Unavailable,
)
from labdocs.images import MAX_BYTES
from labdocs.infra.storage import StoreUnavailable
from labdocs.schemas.errors import flatten_messages

PLAIN_HTTP_MESSAGES = {
    400: "The request could not be understood. Send JSON with Content-Type: application/json.",
    401: "Sign in first: send your API key as 'Authorization: Bearer <key>'.",
    403: "You cannot do that.",
    404: "There is nothing here, or it belongs to another organisation.",
    405: "That method is not allowed on this address.",
    413: "The request is too large.",
    415: "Send JSON with Content-Type: application/json.",
}


# The one table from the use cases' named errors to HTTP statuses; a subclass takes its nearest ancestor's.
STATUSES: dict[type[LabdocsError], int] = {
    BadRequest: 400,
    NotFound: 404,
    Conflict: 409,
    TooLarge: 413,
    Invalid: 422,
    TooManyRequests: 429,
    Unavailable: 503,
}
OUTAGE = "A part of labdocs is unavailable for a moment (its database, job queue or file store). Nothing you sent " \
    "is wrong: ask again in a few seconds."


# Exceptions that mean a service labdocs depends on is down or saturated, whatever the request was.
OUTAGES: tuple[type[Exception], ...] = (OperationalError, DisconnectionError, PoolTimeout, RedisConnectionError,
                                        RedisTimeoutError, StoreUnavailable)


def http_status(exc: LabdocsError) -> int:
    """The status a named error answers with: the first class in its ancestry that the table names."""
    return next((STATUSES[cls] for cls in type(exc).__mro__ if cls in STATUSES), 400)


def wants_html() -> bool:
    """Pages get pages; the API (under /api/) gets the JSON error shape."""
    return not request.path.startswith("/api/")


def error_page(status: int, message: str) -> Response:
    return Response(render_template("error.html", status=status, message=message), status=status,
                    mimetype="text/html")


def error_response(status: int, code: str, message: str, errors: dict[str, Any] | None = None) -> Response:
    """Build the shared error body."""
    response = jsonify({"code": code, "status": status, "message": message, "errors": errors or {}})
    response.status_code = status
    return response


def handle_labdocs_error(exc: LabdocsError) -> Response:
    status = http_status(exc)
    response = error_page(status, exc.message) if wants_html() else \
        error_response(status, exc.code, exc.message, exc.errors)
    if isinstance(exc, Unavailable | TooManyRequests):
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


def handle_outage(exc: Exception) -> Response:
    """The database or Redis did not answer (down, restarting, every pooled connection busy): a 503, not a 500."""
    from flask import current_app

    current_app.logger.warning("a service labdocs needs did not answer: %s", exc.__class__.__name__)
    return handle_labdocs_error(Unavailable(OUTAGE))


def handle_validation_error(exc: ValidationError) -> Response:
    errors = flatten_messages(exc.messages)
    if wants_html():
        return error_page(422, "Some of the data was not valid: " + "; ".join(
            f"{path}: {' '.join(texts)}" for path, texts in errors.items()))
    noun = "problem" if len(errors) == 1 else "problems"
    return error_response(422, "validation_failed", f"The data has {len(errors)} {noun}.", errors)


def page_message(status: int) -> str | None:
    """A person on a page cannot change headers or bodies; tell them what to do instead."""
    if status == 413:
        return f"That was too large to send. Photos can be up to {MAX_BYTES // 2**20} MB: go back and choose a " \
               "smaller one."
    return None


def handle_http_error(exc: HTTPException) -> Response:
    status = exc.code or 500
    if wants_html():
        return error_page(status, exc.description if status == 400 and exc.description else
                          page_message(status) or PLAIN_HTTP_MESSAGES.get(status, exc.name))
    code = re.sub(r"\W+", "_", (exc.name or "error").lower()).strip("_")
    response = error_response(status, code, PLAIN_HTTP_MESSAGES.get(status, exc.description or exc.name))
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="labdocs"'
    return response


def handle_unexpected(exc: Exception) -> Response:
    """Log the traceback for us; tell the user only that it was our fault."""
    from flask import current_app

    current_app.logger.exception("unhandled error")
    if wants_html():
        return error_page(500, "Something went wrong on our side. Please try again.")
    return error_response(500, "internal_error", "Something went wrong on our side. Please try again.")


def register_errors(app: Flask) -> None:
    app.register_error_handler(LabdocsError, handle_labdocs_error)
    app.register_error_handler(ValidationError, handle_validation_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)
    for outage in OUTAGES:
        app.register_error_handler(outage, handle_outage)
