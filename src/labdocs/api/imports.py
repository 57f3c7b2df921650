"""/projects/<id>/imports: a draft DOCX partners edited in Word (or an entry export) read against the bid; the
changes are kept for review, then the lab lead applies the ones accepted."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request, url_for
from werkzeug.exceptions import RequestEntityTooLarge

from labdocs import imports, projects
from labdocs.api.projects import project_json
from labdocs.domain.docx_bid import MAX_BYTES
from labdocs.errors import Invalid, TooLarge
from labdocs.http.auth import caller
from labdocs.http.body import flag, request_json
from labdocs.http.limits import accepts_upload
from labdocs.schemas.responses import ImportApplySchema

bp = Blueprint("imports", __name__)


@bp.post("/projects/<project_id>/imports")
@accepts_upload(MAX_BYTES + 64 * 1024)
def create(project_id: str) -> tuple[Response, int, dict[str, str]]:
    project = projects.get_project(caller().org_id, project_id)
    try:
        upload = request.files.get("file")
        choice = request.form.get("tracked_changes") or None
    except RequestEntityTooLarge:
        raise TooLarge(f"The file must be at most {MAX_BYTES // 2**20} MB.", code="file_too_large") from None
    if upload is None or not upload.filename:
        raise Invalid("Send the file as a multipart form field called 'file'.", {"file": ["This is required."]})
    record = imports.start_import(project, upload.filename, upload.read(MAX_BYTES + 1), choice)
    return jsonify(import_json(record)), 201, {"Location": url_for(".show", project_id=project.id,
                                                                    import_id=record["id"])}


@bp.get("/projects/<project_id>/imports/<import_id>")
def show(project_id: str, import_id: str) -> Response:
    project = projects.get_project(caller().org_id, project_id)
    return jsonify(import_json(imports.get_import(project, import_id)))


@bp.post("/projects/<project_id>/imports/<import_id>/apply")
def apply(project_id: str, import_id: str) -> Response:
    project = projects.get_project(caller().org_id, project_id)
    accepted = ImportApplySchema().load(request_json())["accept"]
    project = imports.apply_import(project, import_id, accepted, strict=flag("strict"))
    return jsonify({**project_json(project), "applied": list(dict.fromkeys(accepted))})


@bp.delete("/projects/<project_id>/imports/<import_id>")
def reject(project_id: str, import_id: str) -> tuple[str, int]:
    """Reject every change: the import is forgotten and the bid stays as it is."""
    project = projects.get_project(caller().org_id, project_id)
    imports.get_import(project, import_id)
    imports.drop_import(project)
    return "", 204


def import_json(record: dict[str, Any]) -> dict[str, Any]:
    links = {"self": url_for("api.imports.show", project_id=record["project_id"], import_id=record["id"]),
             "apply": url_for("api.imports.apply", project_id=record["project_id"], import_id=record["id"]),
             "project": url_for("api.projects.show", project_id=record["project_id"])}
    return {**{key: value for key, value in record.items() if key != "base"}, "links": links}
