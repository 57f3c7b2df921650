"""The JSON API under /api/v1: one blueprint per resource, all behind an API key."""

from __future__ import annotations

from flask import Blueprint

from labdocs.api.audit import bp as audit
from labdocs.api.awards import bp as awards
from labdocs.api.documents import bp as documents
from labdocs.api.images import bp as images
from labdocs.api.imports import bp as imports
from labdocs.api.keys import bp as keys
from labdocs.api.projects import bp as projects
from labdocs.api.register import bp as register
from labdocs.api.reports import bp as reports
from labdocs.api.webhooks import bp as webhooks
from labdocs.api.zines import bp as zines
from labdocs.http.auth import require_api_key
from labdocs.http.trail import note_request


def create_api() -> Blueprint:
    api = Blueprint("api", __name__, url_prefix="/api/v1")
    api.before_request(require_api_key)
    api.after_request(note_request)
    api.register_blueprint(projects)
    api.register_blueprint(documents)
    api.register_blueprint(reports)
    api.register_blueprint(images)
    api.register_blueprint(zines)
    api.register_blueprint(register)
    api.register_blueprint(keys)
    api.register_blueprint(webhooks)
    api.register_blueprint(audit)
    api.register_blueprint(awards)
    api.register_blueprint(imports)
    return api
