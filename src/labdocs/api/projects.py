"""/projects: create, read, update and list a lab's bid."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, url_for

from labdocs import deletion, projects
from labdocs.http.auth import caller
from labdocs.http.body import flag, request_json, timestamp
from labdocs.infra.models import Project
from labdocs.schemas.bid import load_bid

bp = Blueprint("projects", __name__)


@bp.post("/projects")
def create() -> tuple[Response, int, dict[str, str]]:
    project = projects.create_project(caller().org_id, load_bid(request_json()), strict=flag("strict"))
    return jsonify(project_json(project)), 201, {"Location": url_for(".show", project_id=project.id)}


@bp.get("/projects")
def index() -> Response:
    return jsonify({"projects": [project_summary(p) for p in projects.list_projects(caller().org_id)]})


@bp.get("/projects/<project_id>")
def show(project_id: str) -> Response:
    return jsonify(project_json(projects.get_project(caller().org_id, project_id)))


@bp.put("/projects/<project_id>")
def update(project_id: str) -> Response:
    project = projects.get_project(caller().org_id, project_id)
    return jsonify(project_json(projects.update_project(project, load_bid(request_json()), strict=flag("strict"))))


def project_summary(project: Project) -> dict[str, Any]:
    return {
        "id": project.id,
        "title": project.title,
        "created_at": timestamp(project.created_at),
        "updated_at": timestamp(project.updated_at),
        "links": {"self": url_for("api.projects.show", project_id=project.id),
                  "documents": url_for("api.documents.index", project_id=project.id)},
    }


def project_json(project: Project) -> dict[str, Any]:
    assessment = projects.assess(project.bid)
    return {**project_summary(project), "bid": project.bid, "complete": assessment.complete,
            "missing": assessment.missing, "checks": [check.as_dict() for check in assessment.checks]}


@bp.delete("/projects/<project_id>")
def remove(project_id: str) -> tuple[str, int]:
    """Delete the project with its report, documents, photos and zines, and the files only they used."""
    deletion.delete_project(caller().org_id, project_id)
    return "", 204
