"""A project's final report data: stored beside its bid, checked against it."""

from __future__ import annotations

from typing import Any

from labdocs.domain.crosscheck import check_report
from labdocs.domain.rules import WARNING, Check
from labdocs.errors import NoReport
from labdocs.images import resolve_uploads
from labdocs.infra.db import session
from labdocs.infra.models import Project, Report
from labdocs.projects import assess, enforce_strict


def check_images(project: Project, report: dict[str, Any]) -> dict[str, str]:
    """Every uploaded image the report names must be this project's; returns id → stored file key."""
    return resolve_uploads(project.id, {f"case_studies.{number}.image": study["image"]
                                        for number, study in enumerate(report["case_studies"])})


def check_against_bid(project: Project, report: dict[str, Any], publishing: bool = True) -> list[Check]:
    """The report's cross-checks; a bid still being written on the web cannot be checked against yet."""
    assessment = assess(project.bid)
    if not assessment.complete:
        count = len(assessment.missing)
        return [Check("bid_incomplete", "bid", f"The bid is not finished ({count} thing(s) still to do), so the "
                      "report cannot be checked against it yet. Finish the bid, then check again.", WARNING)]
    return check_report(assessment.bid, report, publishing)


def get_report(project: Project) -> Report | None:
    return session().get(Report, project.id)


def require_report(project: Project) -> Report:
    report = get_report(project)
    if report is None:
        raise NoReport("This project has no report yet. "
                                         f"Add it first: PUT /api/v1/projects/{project.id}/report.")
    return report


def save_report(project: Project, data: dict[str, Any], strict: bool = False) -> tuple[Report, bool, list[Check]]:
    """Store (or replace) the report; returns it, whether it is new, and its cross-checks.

    With strict, a report whose cross-checks find anything is refused (422) and nothing is stored.
    """
    checks = check_against_bid(project, data)
    if strict:
        enforce_strict(checks, "report")
    check_images(project, data)
    report = get_report(project)
    created = report is None
    if report is None:
        report = Report(project_id=project.id, org_id=project.org_id, data=data)
        session().add(report)
    else:
        report.data = data
    session().commit()
    return report, created, checks
