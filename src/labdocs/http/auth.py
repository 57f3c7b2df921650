"""Who is calling: an API key names an organisation, and everything is scoped to it."""

from __future__ import annotations

from dataclasses import dataclass

from flask import g, request
from werkzeug.exceptions import Unauthorized

from labdocs.http.limits import check_request_rate
from labdocs.keys import note_use
from labdocs.orgs import org_for_key


@dataclass(frozen=True)
class Caller:
    """The organisation a request acts for, and a label for the record of who asked."""

    org_id: str
    label: str
    key_id: str = ""


def require_api_key() -> None:
    """before_request for the API: 401 without a live bearer key."""
    scheme, _, key = request.headers.get("Authorization", "").partition(" ")
    found = org_for_key(key.strip()) if scheme.lower() == "bearer" and key.strip() else None
    if found is None:
        raise Unauthorized()
    org, api_key = found
    g.caller = Caller(org.id, f"api key {api_key.prefix}… ({api_key.name})", api_key.id)
    check_request_rate(org.id)
    note_use(api_key)


def caller() -> Caller:
    return g.caller
