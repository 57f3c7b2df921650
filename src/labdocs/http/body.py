"""Reading request bodies and query parameters, and writing response fields, for the API and the pages."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import request

from labdocs.errors import BadRequest
from labdocs.infra.models import as_utc

# Seconds a client is told to wait (Retry-After) when the server is holding as many waits as it allows.
RETRY_AFTER = "1"


def request_json() -> Any:
    """The request's JSON body, or a 400 that says what to send."""
    try:
        data = request.get_json(silent=True)
    except RecursionError:  # nested thousands deep: not a project record, and not worth a traceback
        data = None
    if data is None:
        raise BadRequest("Send the data as JSON with Content-Type: application/json.")
    return data


def flag(name: str) -> bool:
    """A true/false query parameter such as ?strict=true."""
    return request.args.get(name, "").lower() in ("1", "true", "yes")


def wait_seconds(limit: float) -> float:
    """?wait=N as seconds between 0 and `limit` (anything else, "nan" included, is 0)."""
    wait = request.args.get("wait", type=float) or 0.0
    return min(wait, limit) if wait > 0 else 0.0


def timestamp(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC."""
    if moment is None:
        return None
    return as_utc(moment).astimezone(UTC).isoformat().replace("+00:00", "Z")
