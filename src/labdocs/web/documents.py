"""Asking for a document from a page, watching it being made, and downloading it."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, redirect, render_template, request, url_for

from labdocs import documents
from labdocs.errors import BadRequest
from labdocs.http.body import RETRY_AFTER, wait_seconds
from labdocs.infra.models import Status
from labdocs.render.kinds import BY_KEY, find_kind
from labdocs.web.projects import project_for
from labdocs.web.session import person, signed_in

bp = Blueprint("documents", __name__)


@bp.post("/projects/<project_id>/documents")
@signed_in
def create(project_id: str) -> Any:
    """Ask for a document; a bid that is not finished, or a report not yet written, comes back as a page."""
    project = project_for(project_id)
    kind, fmt = request.form.get("kind", ""), request.form.get("format", "")
    if (kind, fmt) not in BY_KEY:
        raise BadRequest("That is not a document labdocs can make.")
    document = documents.dispatch(documents.request_document(project, kind, fmt, False, person().label,
                                                             request.form.get("zine")))
    return redirect(url_for(".show", document_id=document.id), 303)


@bp.get("/documents/<document_id>")
@signed_in
def show(document_id: str) -> str:
    document = documents.get_document(person().org_id, document_id)
    row = find_kind(document.kind, document.format)
    return render_template("document.html", document=document, label=row.label, download=row.download,
                           status=Status(document.status).label, project=project_for(document.project_id),
                           steps=documents.how_to_print(document))


@bp.get("/documents/<document_id>/status")
@signed_in
def status(document_id: str) -> Response:
    """What the status page's script asks: the status in words, held up to ?wait= seconds (10 at most)."""
    document = documents.get_document(person().org_id, document_id)
    waited = documents.await_document(document, wait_seconds(10))
    response = jsonify({"status": document.status, "label": Status(document.status).label, "error": document.error})
    if not waited:
        response.headers["Retry-After"] = RETRY_AFTER
    return response


@bp.get("/documents/<document_id>/download")
@signed_in
def download(document_id: str) -> Response:
    document = documents.get_document(person().org_id, document_id)
    return documents.document_file(document, mimetype=find_kind(document.kind, document.format).media_type,
                                   as_attachment=True, download_name=documents.download_name(document), max_age=0)


@bp.get("/documents/<document_id>/files/<path:name>")
@signed_in
def part(document_id: str, name: str) -> Response:
    document = documents.get_document(person().org_id, document_id)
    inline = name.startswith("thumbnails/")  # previews show in the page; print files download
    return documents.document_file(document, name,
                                   as_attachment=not inline, download_name=documents.download_name(document, name),
                                   max_age=0)
