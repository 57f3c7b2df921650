"""Webhooks: an organisation's URLs called when its documents finish or fail, signed, retried, logged.

A delivery is its own job on the queue (retried with backoff by the workers), so a slow or broken receiver never
holds up a render. Each call carries `Labdocs-Signature: t=<unix time>,v1=<hex>`, where the hex is
HMAC-SHA256(secret, f"{t}.{body}"): a receiver recomputes it over the raw body and refuses old timestamps.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import time
from typing import Any

from flask import current_app
from sqlalchemy import select

from labdocs.errors import Invalid, NotFound
from labdocs.infra.db import session
from labdocs.infra.models import Delivery, Document, Webhook, utcnow
from labdocs.infra.outbound import Refused, check_url, post
from labdocs.infra.queue import job_queue

log = logging.getLogger(__name__)

EVENTS = ("document.finished", "document.failed")
MAX_WEBHOOKS = 10


class DeliveryFailed(Exception):
    """The receiver did not take the call (an error status, or no answer): the queue tries again later."""


def register_webhook(org_id: str, url: Any, events: Any) -> tuple[Webhook, str]:
    """A new webhook after checking its URL; returns it and its signing secret (shown this once)."""
    problems = url_problems(url) | event_problems(events)
    if problems:
        raise Invalid("The webhook cannot be registered.", problems)
    if len(list_webhooks(org_id)) >= MAX_WEBHOOKS:
        raise Invalid(f"An organisation can have up to {MAX_WEBHOOKS} webhooks.", {"url": ["Remove one first."]})
    secret = "whsec_" + secrets.token_urlsafe(32)
    webhook = Webhook(org_id=org_id, url=url.strip(), events=list(dict.fromkeys(events)), secret=secret)
    session().add(webhook)
    session().commit()
    return webhook, secret


def url_problems(url: Any) -> dict[str, list[str]]:
    if not isinstance(url, str) or not url.strip() or len(url) > 2000:
        return {"url": ["Give the https:// address to call (up to 2,000 characters)."]}
    try:
        check_url(url, current_app.config["WEBHOOK_ALLOW"])
    except Refused as exc:
        return {"url": [str(exc)]}
    return {}


def event_problems(events: Any) -> dict[str, list[str]]:
    if not isinstance(events, list) or not events or any(event not in EVENTS for event in events):
        return {"events": [f"Give one or more of: {', '.join(EVENTS)}."]}
    return {}


def list_webhooks(org_id: str) -> list[Webhook]:
    return list(session().scalars(select(Webhook).where(Webhook.org_id == org_id).order_by(Webhook.created_at)))


def remove_webhook(org_id: str, webhook_id: str) -> None:
    webhook = session().scalar(select(Webhook).where(Webhook.id == webhook_id, Webhook.org_id == org_id))
    if webhook is None:
        raise NotFound("There is no such webhook in your organisation.")
    session().delete(webhook)
    session().commit()


def announce(document: Document) -> int:
    """Queue a delivery to each of the organisation's webhooks that asked for this document's event."""
    event = f"document.{document.status}"
    hooks = [hook for hook in list_webhooks(document.org_id) if event in hook.events]
    body = json.dumps({"event": event, "document": {"id": document.id, "project_id": document.project_id,
                       "kind": document.kind, "format": document.format, "status": document.status,
                       "error": document.error}, "sent_at": utcnow().isoformat()}, separators=(",", ":"))
    deliveries = [Delivery(webhook_id=hook.id, event=event, body=body) for hook in hooks]
    session().add_all(deliveries)
    session().commit()
    for delivery in deliveries:
        job_queue().enqueue_delivery(delivery.id)
    return len(deliveries)


def announce_quietly(document: Document) -> None:
    """announce after a render settled: a fault here is logged, never undoes the render."""
    try:
        announce(document)
    except Exception:
        log.warning("could not queue the webhooks for document %s", document.id, exc_info=True)


def signature(secret: str, timestamp: int, body: str) -> str:
    """The v1 signature: HMAC-SHA256 of "<timestamp>.<body>" with the webhook's secret, in hex."""
    return hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()


def deliver(delivery_id: str) -> str:
    """Call the webhook once; DeliveryFailed (so the queue retries) unless it answered 2xx."""
    delivery = session().get(Delivery, delivery_id)
    webhook = session().get(Webhook, delivery.webhook_id) if delivery else None
    if delivery is None or webhook is None or delivery.delivered_at is not None:
        return "nothing to deliver"
    status = call(webhook, delivery)
    delivery.attempts += 1
    delivery.last_status = webhook.last_status = status
    webhook.last_attempt_at = utcnow()
    if status.isdigit() and 200 <= int(status) < 300:
        delivery.delivered_at = utcnow()
    session().commit()
    if delivery.delivered_at is None:
        raise DeliveryFailed(f"webhook {webhook.id} answered {status}")
    return status


def call(webhook: Webhook, delivery: Delivery) -> str:
    """POST the delivery, signed; the status as text, or why the call could not be made."""
    stamp = int(time.time())
    headers = {"Content-Type": "application/json", "User-Agent": "labdocs-webhooks", "Labdocs-Event": delivery.event,
               "Labdocs-Delivery": delivery.id,
               "Labdocs-Signature": f"t={stamp},v1={signature(webhook.secret, stamp, delivery.body)}"}
    try:
        target = check_url(webhook.url, current_app.config["WEBHOOK_ALLOW"])  # again: names can change
        return str(post(target, delivery.body.encode(), headers, current_app.config["WEBHOOK_TIMEOUT"]))
    except Refused as exc:
        return f"refused: {exc}"[:200]
    except OSError as exc:
        return f"no answer: {exc.__class__.__name__}"[:200]
