"""The organisation's webhooks on a page: list, add (the secret shown once), remove; the API's use cases."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for

from labdocs import webhooks
from labdocs.errors import Invalid
from labdocs.web.session import person, signed_in

bp = Blueprint("webhooks", __name__)


@bp.get("/webhooks")
@signed_in
def index() -> str:
    return page()


@bp.post("/webhooks")
@signed_in
def create() -> Any:
    events = [event for event in webhooks.EVENTS if request.form.get(event.replace(".", "-"))]
    url = request.form.get("url", "")
    try:
        webhook, secret = webhooks.register_webhook(person().org_id, url, events)
    except Invalid as exc:
        return page(errors=exc.errors, url=url, events=events), 422
    return page(made=webhook.url, secret=secret)


@bp.post("/webhooks/<webhook_id>/delete")
@signed_in
def remove(webhook_id: str) -> Any:
    webhooks.remove_webhook(person().org_id, webhook_id)
    return redirect(url_for(".index"), 303)


def page(errors: dict[str, list[str]] | None = None, **shown: Any) -> str:
    return render_template("webhooks.html", hooks=webhooks.list_webhooks(person().org_id), errors=errors or {},
                           all_events=webhooks.EVENTS, **shown)
