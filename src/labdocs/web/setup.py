"""What the web pages need from the app: a sandboxed template environment, cookies, headers, error pages."""

from __future__ import annotations

import secrets
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import Flask, Response
from jinja2.sandbox import ImmutableSandboxedEnvironment

from labdocs.infra.models import Status, as_utc
from labdocs.render.kinds import BY_KEY
from labdocs.web.forms import field_id
from labdocs.web.labels import describe_path
from labdocs.web.session import csrf_token

# Self-only scripts and styles: the pages carry no inline script, so injected markup cannot run any.
POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")


class WebEnvironment(ImmutableSandboxedEnvironment):
    """Flask's template environment, sandboxed: the pages show user data, so they get the same sandbox.

    (Flask's own Environment calls jinja2.Environment.__init__ directly, which would skip the sandbox's.)
    """

    def __init__(self, app: Flask, **options: Any) -> None:
        options.setdefault("loader", app.create_global_jinja_loader())
        super().__init__(**options)
        self.app = app


def secret_key(app: Flask) -> str:
    """LABDOCS_SECRET_KEY if set; otherwise one made once and kept in the instance folder."""
    path = Path(app.instance_path) / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if "Cache-Control" not in response.headers:  # every answer is one organisation's: no shared cache keeps it
        response.headers["Cache-Control"] = "private, no-cache"
    return response


def when(moment: datetime | None) -> str:
    """24 November 2026, 14:03 (UTC), as people read dates."""
    if moment is None:
        return ""
    moment = as_utc(moment)
    return f"{moment.day} {moment:%B %Y, %H:%M}"


def document_label(document: Any) -> str:
    """How a page names a document: "Final report (PDF)"."""
    row = BY_KEY.get((document.kind, document.format))
    return row.label if row else document.kind


def document_status(document: Any) -> str:
    """A document's status as a page says it: "Being made"."""
    return Status(document.status).label


def setup_web(app: Flask) -> None:
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = secret_key(app)
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax", SESSION_COOKIE_NAME="labdocs")
    app.jinja_env.filters.update(fieldid=field_id, when=when)
    app.jinja_env.globals.update(describe_path=describe_path, csrf_token=csrf_token, document_label=document_label,
                                 document_status=document_status)
    app.after_request(security_headers)


class LabdocsFlask(Flask):
    """Flask with the sandboxed template environment."""

    jinja_environment = WebEnvironment  # type: ignore[assignment]
