"""A project's final report data: stored beside its bid, checked against it."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError

from labdocs.domain.crosscheck import check_report
from labdocs.domain.rules import WARNING, Check
from labdocs.drafts import drop_draft, get_draft, keep_draft
from labdocs.errors import NoReport
from labdocs.images import resolve_uploads
from labdocs.infra.db import session
from labdocs.infra.models import Project, Report
from labdocs.projects import assess, enforce_strict
from labdocs.schemas.report import load_report, load_report_part, report_missing

# A report written part by part on the web is kept here until it is whole: a stored Report is always complete.
IN_PROGRESS = "report-progress"


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


def report_so_far(project: Project) -> dict[str, Any]:
    """The report as it stands: the stored one, else what the web form's parts have saved so far."""
    report = get_report(project)
    if report is not None:
        return dict(report.data)
    progress = get_draft(project, IN_PROGRESS)
    return dict(progress["values"]) if progress else {}


def save_report_part(project: Project, fields: tuple[str, ...], values: dict[str, Any]) -> bool:
    """Validate one part of the report and merge it in; returns whether the report is now complete.

    A report is stored (and can be made into documents) once every part it needs is there; until then the
    parts wait as the report in progress. Raises ValidationError for this part's mistakes.
    """
    part = load_report_part(values, fields)
    merged = {**{key: value for key, value in report_so_far(project).items() if key not in fields}, **part}
    check_images(project, {"case_studies": merged.get("case_studies", [])})
    missing = report_missing(merged)
    if missing and get_report(project) is not None:  # a stored report stays whole: emptying a needed field is wrong
        raise ValidationError({path: messages for path, messages in missing.items()
                               if path.split(".")[0] in fields} or missing)
    if missing:
        keep_draft(project, IN_PROGRESS, merged, {})
        return False
    save_report(project, load_report(merged))
    drop_draft(project, IN_PROGRESS)
    return True
