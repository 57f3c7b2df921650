"""/projects/<id>/zines and /zines/<id>: draft a zine from the project, or send one, then edit it."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, url_for

from labdocs import deletion, projects, zines
from labdocs.http.auth import caller
from labdocs.http.body import request_json, timestamp
from labdocs.infra.models import Zine
from labdocs.schemas.zine import load_zine

bp = Blueprint("zines", __name__)


@bp.post("/projects/<project_id>/zines")
def create(project_id: str) -> tuple[Response, int, dict[str, str]]:
    """A zine as sent, or with {"generate": true, …choices} a first draft made from the project."""
    project = projects.get_project(caller().org_id, project_id)
    body = request_json()
    wants_draft = isinstance(body, dict) and body.get("generate") is True
    data = zines.draft_for(project, body) if wants_draft else load_zine(body)
    zine = zines.create_zine(project, data)
    return jsonify(zine_json(zine)), 201, {"Location": url_for(".show", zine_id=zine.id)}


@bp.get("/projects/<project_id>/zines")
def index(project_id: str) -> Response:
    project = projects.get_project(caller().org_id, project_id)
    return jsonify({"zines": [zine_json(zine) for zine in zines.list_zines(project.id)]})


@bp.get("/zines/<zine_id>")
def show(zine_id: str) -> Response:
    return jsonify(zine_json(zines.get_zine(caller().org_id, zine_id)))


@bp.put("/zines/<zine_id>")
def update(zine_id: str) -> Response:
    zine = zines.get_zine(caller().org_id, zine_id)
    project = projects.get_project(caller().org_id, zine.project_id)
    return jsonify(zine_json(zines.update_zine(zine, project, load_zine(request_json()))))


def zine_json(zine: Zine) -> dict[str, Any]:
    return {"id": zine.id, "project_id": zine.project_id, "title": zine.title, "zine": zine.data,
            "created_at": timestamp(zine.created_at), "updated_at": timestamp(zine.updated_at),
            "links": {"self": url_for("api.zines.show", zine_id=zine.id),
                      "documents": url_for("api.documents.create", project_id=zine.project_id)}}


@bp.delete("/zines/<zine_id>")
def remove(zine_id: str) -> tuple[str, int]:
    """Delete a zine."""
    deletion.delete_zine(caller().org_id, zine_id)
    return "", 204
