"""/documents: ask for a document (202), poll it, download it."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, url_for

from labdocs import deletion, documents, projects
from labdocs.http.auth import caller
from labdocs.http.body import RETRY_AFTER, request_json, timestamp, wait_seconds
from labdocs.infra.models import Document, Status
from labdocs.render.kinds import find_kind
from labdocs.schemas.document import DocumentRequestSchema

bp = Blueprint("documents", __name__)


@bp.post("/projects/<project_id>/documents")
def create(project_id: str) -> tuple[Response, int, dict[str, str]]:
    project = projects.get_project(caller().org_id, project_id)
    ask = DocumentRequestSchema().load(request_json())
    document = documents.dispatch(documents.request_document(project, ask["kind"], ask["format"], ask["strict"],
                                                             caller().label, ask["zine"]))
    return jsonify(document_json(document)), 202, {"Location": url_for(".show", document_id=document.id)}


@bp.get("/projects/<project_id>/documents")
def index(project_id: str) -> Response:
    project = projects.get_project(caller().org_id, project_id)
    rows = documents.list_documents(caller().org_id, project.id)
    return jsonify({"documents": [document_json(d) for d in rows]})


MAX_WAIT_SECONDS = 30


@bp.get("/documents/<document_id>")
def show(document_id: str) -> Response:
    """The document's status; with ?wait=N, held up to N seconds (at most 30) until it finishes or fails."""
    document = documents.get_document(caller().org_id, document_id)
    waited = documents.await_document(document, wait_seconds(MAX_WAIT_SECONDS))
    response = jsonify(document_json(document))
    if not waited:  # the server is holding as many waits as it allows
        response.headers["Retry-After"] = RETRY_AFTER
    return response


@bp.get("/documents/<document_id>/file")
def download(document_id: str) -> Response:
    document = documents.get_document(caller().org_id, document_id)
    response = documents.document_file(document, mimetype=find_kind(document.kind, document.format).media_type,
                                       as_attachment=True, download_name=documents.download_name(document),
                                       max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/documents/<document_id>/files/<path:name>")
def download_part(document_id: str, name: str) -> Response:
    """One further output of a job, such as a zine's imposed.pdf or thumbnails/reader-01.png."""
    document = documents.get_document(caller().org_id, document_id)
    response = documents.document_file(document, name,
                                       as_attachment=True, download_name=documents.download_name(document, name),
                                       max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def document_json(document: Document) -> dict[str, Any]:
    links = {"self": url_for("api.documents.show", document_id=document.id),
             "project": url_for("api.projects.show", project_id=document.project_id)}
    files = []
    if document.status == Status.FINISHED:
        links["file"] = url_for("api.documents.download", document_id=document.id)
        files = [{"name": name, "size": entry["size"], "media_type": entry["media_type"],
                  "url": url_for("api.documents.download_part", document_id=document.id, name=name)}
                 for name, entry in (document.files or {}).items()]
    return {
        "id": document.id,
        "project_id": document.project_id,
        "kind": document.kind,
        "format": document.format,
        "status": document.status,
        "error": document.error,
        "checks": document.checks,
        "findings": document.findings,
        "attempts": document.attempts,
        "reused": document.reused_from is not None,
        "requested_by": document.requested_by,
        "requested_at": timestamp(document.requested_at),
        "started_at": timestamp(document.started_at),
        "finished_at": timestamp(document.finished_at),
        "file_size": document.file_size,
        "files": files,
        "links": links,
    }


@bp.delete("/documents/<document_id>")
def remove(document_id: str) -> tuple[str, int]:
    """Delete a document and the files only it used."""
    deletion.delete_document(caller().org_id, document_id)
    return "", 204
