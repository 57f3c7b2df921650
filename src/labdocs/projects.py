"""Projects: a lab's bid, stored as validated JSON and always read within its organisation."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from marshmallow import ValidationError
from sqlalchemy import select

from labdocs.access import owned
from labdocs.domain.rules import Check, check_bid
from labdocs.errors import BidIncomplete, ChecksFailed
from labdocs.infra.db import session
from labdocs.infra.models import Project
from labdocs.register import check_names
from labdocs.render.kinds import FORMATS, find_kind
from labdocs.schemas.bid import load_bid, load_bid_part
from labdocs.schemas.errors import flatten_messages


def create_project(org_id: str, bid: dict[str, Any], strict: bool = False) -> Project:
    """Store a validated bid as a new project; with strict, only if the funder checks find nothing."""
    if strict:
        enforce_strict(check_bid(bid), "bid")
    project = Project(org_id=org_id, title=bid["title"], bid=bid)
    db = session()
    db.add(project)
    db.commit()
    return project


def get_project(org_id: str, project_id: str) -> Project:
    """The organisation's project; another organisation's is as absent as a missing one (404)."""
    return owned(Project, org_id, project_id, "project")


def start_project(org_id: str) -> Project:
    """A new, empty bid to fill in part by part on the web pages."""
    project = Project(org_id=org_id, title="Untitled bid", bid={}, drafts={})
    db = session()
    db.add(project)
    db.commit()
    return project


def update_project(project: Project, bid: dict[str, Any], strict: bool = False) -> Project:
    """Replace the project's bid with a validated one; with strict, only if the funder checks find nothing."""
    if strict:
        enforce_strict(check_bid(bid), "bid")
    project.bid = bid
    project.title = bid["title"]
    session().commit()
    return project


def list_projects(org_id: str) -> list[Project]:
    """The organisation's projects, most recently changed first."""
    query = select(Project).where(Project.org_id == org_id).order_by(Project.updated_at.desc())
    return list(session().scalars(query))


def save_part(project: Project, fields: tuple[str, ...], values: dict[str, Any]) -> None:
    """Validate some of a bid (one part of the web form) and merge it in; raises ValidationError if wrong."""
    saved = load_bid_part(values, fields)
    project.bid = {**{key: value for key, value in project.bid.items() if key not in fields}, **saved}
    project.title = project.bid.get("title") or project.title
    session().commit()


def enforce_strict(checks: list[Check], kind: str) -> None:
    """strict=true: any finding rejects the request with a 422 naming each field, in the kind's own words."""
    if not checks:
        return
    wording = find_kind(kind, FORMATS[kind][0])
    subject, noun = wording.subject, wording.checks
    errors: dict[str, list[str]] = {}
    for check in checks:
        errors.setdefault(check.field, []).append(check.message)
    plural = "" if len(checks) == 1 else "s"
    raise ChecksFailed(f"The {subject} fails {len(checks)} {noun}{plural}.", errors)


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
    return Assessment(whole, True, checks=check_bid(whole) + check_names(whole))  # names: the register's warnings


def require_complete(project: Project) -> Assessment:
    """The project's bid, complete, or a 422 that lists what is still to do."""
    assessment = assess(project.bid)
    if not assessment.complete:
        count = len(assessment.missing)
        raise BidIncomplete(f"The bid is not finished: {count} thing(s) still to do.",
                       assessment.missing)
    return assessment
