"""/projects/<id>/award: what the funder awarded, when, and for where."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from labdocs import awards, projects
from labdocs.http.auth import caller
from labdocs.http.body import request_json
from labdocs.schemas.award import load_award

bp = Blueprint("awards", __name__)


@bp.put("/projects/<project_id>/award")
def save(project_id: str) -> tuple[Response, int]:
    project = projects.get_project(caller().org_id, project_id)
    new = awards.save_award(project, load_award(request_json()))
    return jsonify({"project_id": project.id, "award": project.award}), 201 if new else 200


@bp.get("/projects/<project_id>/award")
def show(project_id: str) -> Response:
    project = projects.get_project(caller().org_id, project_id)
    return jsonify({"project_id": project.id, "award": awards.require_award(project)})


@bp.delete("/projects/<project_id>/award")
def remove(project_id: str) -> tuple[str, int]:
    awards.remove_award(projects.get_project(caller().org_id, project_id))
    return "", 204
