"""A project's final report data: stored beside its bid, checked against it."""

from __future__ import annotations

from typing import Any

from .crosscheck import check_report
from .db import session
from .errors import ApiError
from .images import resolve_uploads
from .models import Project, Report
from .projects import assess
from .rules import WARNING, Check


def check_images(project: Project, report: dict[str, Any]) -> dict[str, str]:
    """Every uploaded image the report names must be this project's; returns id → stored file key."""
    return resolve_uploads(project.id, {f"case_studies.{number}.image": study["image"]
                                        for number, study in enumerate(report["case_studies"])})


def check_against_bid(project: Project, report: dict[str, Any]) -> list[Check]:
    """The report's cross-checks; a bid still being written on the web cannot be checked against yet."""
    assessment = assess(project.bid)
    if not assessment.complete:
        count = len(assessment.missing)
        return [Check("bid_incomplete", "bid", f"The bid is not finished ({count} thing(s) still to do), so the "
                      "report cannot be checked against it yet. Finish the bid, then check again.", WARNING)]
    return check_report(assessment.bid, report)


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
