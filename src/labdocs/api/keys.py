"""/keys: the organisation's API keys; a new one is shown once, a revoked one answers 401 from its next request."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, url_for

from labdocs import keys
from labdocs.http.auth import caller
from labdocs.http.body import flag, request_json, timestamp
from labdocs.infra.models import ApiKey

bp = Blueprint("keys", __name__)


@bp.get("/keys")
def index() -> Response:
    return jsonify({"keys": [key_json(key) for key in keys.list_keys(caller().org_id)]})


@bp.post("/keys")
def create() -> tuple[Response, int, dict[str, str]]:
    """A new named key; the answer is the only time the key itself is shown."""
    body = request_json()
    name = body.get("name") if isinstance(body, dict) else None
    row, key = keys.create_key(caller().org_id, name if isinstance(name, str) else "")
    return jsonify({**key_json(row), "key": key}), 201, {"Location": url_for(".index")}


@bp.delete("/keys/<key_id>")
def revoke(key_id: str) -> tuple[str, int]:
    """Revoke a key; the one making the request only with ?confirm=true."""
    keys.revoke_key(caller().org_id, key_id, using=caller().key_id, confirmed=flag("confirm"))
    return "", 204


def key_json(key: ApiKey) -> dict[str, Any]:
    return {"id": key.id, "name": key.name, "prefix": key.prefix, "created_at": timestamp(key.created_at),
            "last_used_at": timestamp(key.last_used_at), "revoked_at": timestamp(key.revoked_at),
            "current": key.id == caller().key_id}
