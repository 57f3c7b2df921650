"""The web pages: server-rendered forms for lab leads, coordinators and designers, behind sign-in."""

from __future__ import annotations

from flask import Blueprint

from labdocs.http.trail import note_request
from labdocs.web import auth, award, bid, deletion, documents, imports, keys, projects, register, report, webhooks, zine
from labdocs.web.session import check_csrf, load_person


def create_web() -> Blueprint:
    web = Blueprint("web", __name__)
    web.before_request(load_person)
    web.before_request(check_csrf)
    web.after_request(note_request)
    for module in (auth, projects, bid, imports, report, award, register, zine, documents, deletion, webhooks, keys):
        web.register_blueprint(module.bp)
    return web
