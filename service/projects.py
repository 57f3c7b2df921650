"""Projects: a lab's bid, stored as validated JSON and always read within its organisation."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from marshmallow import ValidationError
from sqlalchemy import select

from schemas.bid import load_bid
from schemas.errors import flatten_messages

from .access import owned
from .db import session
from .errors import ApiError
from .models import Project
from .rules import Check, check_bid


def create_project(org_id: str, bid: dict[str, Any]) -> Project:
    project = Project(org_id=org_id, title=bid["title"], bid=bid)
    db = session()
    db.add(project)
    db.commit()
    return project


def get_project(org_id: str, project_id: str) -> Project:
    """The organisation's project; another organisation's is as absent as a missing one (404)."""
    return owned(Project, org_id, project_id, "project")


def update_project(project: Project, bid: dict[str, Any]) -> Project:
    project.bid = bid
    project.title = bid["title"]
    session().commit()
    return project


def list_projects(org_id: str) -> list[Project]:
    """The organisation's projects, most recently changed first."""
    query = select(Project).where(Project.org_id == org_id).order_by(Project.updated_at.desc())
    return list(session().scalars(query))


def enforce_strict(checks: list[Check], subject: str = "bid", noun: str = "funder check") -> None:
    """strict=true: any finding rejects the request with a 422 naming each field."""
    if not checks:
        return
    errors: dict[str, list[str]] = {}
    for check in checks:
        errors.setdefault(check.field, []).append(check.message)
    plural = "" if len(checks) == 1 else "s"
    raise ApiError(422, "checks_failed", f"The {subject} fails {len(checks)} {noun}{plural}.", errors)


@dataclass(frozen=True)
class Assessment:
    """Where a bid stands: complete (then its funder checks), or what is still missing or wrong."""

    bid: dict[str, Any]
    complete: bool
    missing: dict[str, list[str]] = field(default_factory=dict)
    checks: list[Check] = field(default_factory=list)


def assess(bid: dict[str, Any]) -> Assessment:
    """A bid saved section by section from the web may be partial; the API only ever stores whole ones."""
    try:
        whole = load_bid(bid)
    except ValidationError as exc:
        return Assessment(bid, False, flatten_messages(exc.messages))
    return Assessment(whole, True, checks=check_bid(whole))


def require_complete(project: Project) -> Assessment:
    """The project's bid, complete, or a 422 that lists what is still to do."""
    assessment = assess(project.bid)
    if not assessment.complete:
        count = len(assessment.missing)
        raise ApiError(422, "bid_incomplete", f"The bid is not finished: {count} thing(s) still to do.",
                       assessment.missing)
    return assessment
