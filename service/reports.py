"""A project's final report data: stored beside its bid, checked against it."""

from __future__ import annotations

from typing import Any

from .db import session
from .errors import ApiError
from .images import project_images
from .models import Project, Report


def uploaded_refs(report: dict[str, Any]) -> set[str]:
    """The uploaded image ids a report uses (bundled assets are asset:NAME and need no upload)."""
    return {study["image"] for study in report["case_studies"]
            if study["image"] and not study["image"].startswith("asset:")}


def check_images(project: Project, report: dict[str, Any]) -> dict[str, str]:
    """Every uploaded image the report names must be this project's; returns id → stored file key."""
    wanted = uploaded_refs(report)
    found = project_images(project.id, wanted)
    errors = {f"case_studies.{number}.image": ["There is no uploaded image with this id in this project."]
              for number, study in enumerate(report["case_studies"])
              if study["image"] in wanted - set(found)}
    if errors:
        raise ApiError(422, "validation_failed", f"The data has {len(errors)} problem(s).", errors)
    return {image_id: image.file_key for image_id, image in found.items()}


def get_report(project: Project) -> Report | None:
    return session().get(Report, project.id)


def require_report(project: Project) -> Report:
    report = get_report(project)
    if report is None:
        raise ApiError(409, "no_report", "This project has no report yet. "
                                         f"Add it first: PUT /api/v1/projects/{project.id}/report.")
    return report


def save_report(project: Project, data: dict[str, Any]) -> tuple[Report, bool]:
    """Store (or replace) the report; returns it and whether it is new."""
    check_images(project, data)
    report = get_report(project)
    created = report is None
    if report is None:
        report = Report(project_id=project.id, org_id=project.org_id, data=data)
        session().add(report)
    else:
        report.data = data
    session().commit()
    return report, created
