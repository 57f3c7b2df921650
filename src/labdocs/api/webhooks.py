"""/webhooks: URLs labdocs calls when the organisation's documents finish or fail; the secret is shown once."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, url_for

from labdocs import webhooks
from labdocs.http.auth import caller
from labdocs.http.body import request_json, timestamp
from labdocs.infra.models import Webhook

bp = Blueprint("webhooks", __name__)


@bp.post("/webhooks")
def create() -> tuple[Response, int, dict[str, str]]:
    body = request_json()
    body = body if isinstance(body, dict) else {}
    webhook, secret = webhooks.register_webhook(caller().org_id, body.get("url"), body.get("events"))
    return jsonify({**webhook_json(webhook), "secret": secret}), 201, {"Location": url_for(".index")}


@bp.get("/webhooks")
def index() -> Response:
    return jsonify({"webhooks": [webhook_json(hook) for hook in webhooks.list_webhooks(caller().org_id)]})


@bp.delete("/webhooks/<webhook_id>")
def remove(webhook_id: str) -> tuple[str, int]:
    webhooks.remove_webhook(caller().org_id, webhook_id)
    return "", 204


def webhook_json(hook: Webhook) -> dict[str, Any]:
    return {"id": hook.id, "url": hook.url, "events": hook.events, "created_at": timestamp(hook.created_at),
            "last_status": hook.last_status, "last_attempt_at": timestamp(hook.last_attempt_at)}
