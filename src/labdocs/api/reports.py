"""/projects/<id>/report: what actually happened, checked against the bid."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify

from labdocs import projects, reports
from labdocs.domain.rules import Check
from labdocs.errors import NotFound
from labdocs.http.auth import caller
from labdocs.http.body import flag, request_json, timestamp
from labdocs.infra.models import Project, Report
from labdocs.schemas.report import load_report

bp = Blueprint("reports", __name__)


@bp.put("/projects/<project_id>/report")
def save(project_id: str) -> tuple[Response, int]:
    project = projects.get_project(caller().org_id, project_id)
    data = load_report(request_json())
    report, created, checks = reports.save_report(project, data, strict=flag("strict"))
    return jsonify(report_json(project, report, checks)), 201 if created else 200


@bp.get("/projects/<project_id>/report")
def show(project_id: str) -> Response:
    project = projects.get_project(caller().org_id, project_id)
    report = reports.get_report(project)
    if report is None:
        raise NotFound("This project has no report yet.")
    return jsonify(report_json(project, report))


def report_json(project: Project, report: Report, checks: list[Check] | None = None) -> dict[str, Any]:
    """The report and its cross-checks (worked out here unless the caller already has them)."""
    found = reports.check_against_bid(project, report.data) if checks is None else checks
    return {"project_id": project.id, "updated_at": timestamp(report.updated_at), "report": report.data,
            "checks": [check.as_dict() for check in found]}
