"""The organisation's API keys on a page: list (made, last used, revoked), make one (shown once), revoke one after
a confirmation; the same use cases as the API and `labdocs key`."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for

from labdocs import keys
from labdocs.errors import Invalid
from labdocs.web.session import person, signed_in

bp = Blueprint("keys", __name__)


@bp.get("/keys")
@signed_in
def index() -> str:
    return page()


@bp.post("/keys")
@signed_in
def create() -> Any:
    name = request.form.get("name", "")
    try:
        key, secret = keys.create_key(person().org_id, name)
    except Invalid as exc:
        return page(errors=exc.errors, name=name), 422
    return page(made=key.name, secret=secret)


@bp.get("/keys/<key_id>/revoke")
@signed_in
def confirm(key_id: str) -> str:
    return render_template("revoke_key.html", key=keys.get_key(person().org_id, key_id))


@bp.post("/keys/<key_id>/revoke")
@signed_in
def revoke(key_id: str) -> Any:
    keys.revoke_key(person().org_id, key_id)
    return redirect(url_for(".index", revoked=1), 303)


def page(errors: dict[str, list[str]] | None = None, **shown: Any) -> str:
    return render_template("keys.html", keys=keys.list_keys(person().org_id), errors=errors or {}, **shown)
