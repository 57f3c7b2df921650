"""/audit: the organisation's audit trail, newest first."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from labdocs import audit
from labdocs.errors import Invalid
from labdocs.http.auth import caller
from labdocs.http.body import timestamp

bp = Blueprint("audit", __name__)


@bp.get("/audit")
def index() -> Response:
    limit, before = whole("limit", 100), whole("before", None)
    events = audit.trail(caller().org_id, limit or 100, before)
    return jsonify({"events": [{"id": e.id, "at": timestamp(e.at), "actor": e.actor, "action": e.action,
                                "subject": e.subject, "status": e.status} for e in events]})


def whole(name: str, default: int | None) -> int | None:
    """A whole-number query parameter, or a 422 naming it."""
    value = request.args.get(name)
    if value is None:
        return default
    if not value.isdigit() or len(value) > 12 or (name == "limit" and not 1 <= int(value) <= 500):
        raise Invalid(f"{name} must be a whole number" + (" from 1 to 500." if name == "limit" else "."),
                      {name: ["Give a whole number."]})
    return int(value)
