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
from labdocs.schemas.bid import BID_PARTS, load_bid, load_bid_part
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


def part_problems(project: Project, fields: tuple[str, ...]) -> dict[str, list[str]]:
    """What one part of the bid (its fields) lacks or gets wrong, judged as finished; {} when it validates."""
    try:
        load_bid_part({key: project.bid[key] for key in fields if key in project.bid}, fields, partial=False)
    except ValidationError as exc:
        return flatten_messages(exc.messages)
    return {}


def completed_parts(project: Project, form: str) -> dict[str, bool]:
    """The lab lead's answers to "Have you completed this section?" for one form ("bid"), by part."""
    answers: dict[str, bool] = (project.completed or {}).get(form, {})
    return answers


def set_completed(project: Project, form: str, part: str, done: bool) -> None:
    """Keep the lab lead's answer for one part (whether it shows as Completed also depends on it validating)."""
    answers = project.completed or {}
    project.completed = {**answers, form: {**answers.get(form, {}), part: done}}
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


def paste_sheet(project: Project) -> list[Any]:
    """The bid's answers ready for the funder's form, box by box; a 422 listing what is missing if unfinished."""
    from labdocs.render.paste import paste_answers

    return list(paste_answers(require_complete(project).bid))


MAX_ENTRY_CHARS = 512 * 1024  # an entry export is a few pages of text

def import_entry(org_id: str, text: str) -> Project:
    """A new project from an entry already made on the network's form; what could not be read is kept with it."""
    from labdocs.domain.entry import read_entry
    from labdocs.errors import Invalid, TooLarge

    if len(text) > MAX_ENTRY_CHARS:
        raise TooLarge(f"This is over {MAX_ENTRY_CHARS // 1024} KB of text, far more than an entry export.")
    if not text.strip():
        raise Invalid("Paste the entry's text, or choose its .txt file.", {"entry": ["The entry is empty."]})
    result = read_entry(text)
    bid, problems = readable_parts(result["bid"])
    report = {"recognised": result["recognised"], "needs_person": result["needs_person"] + problems}
    project = Project(org_id=org_id, title=bid.get("title") or "Imported bid", bid=bid,
                      drafts={"import": {"values": report, "errors": {}}})
    db = session()
    db.add(project)
    db.commit()
    return project


def readable_parts(bid: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The parts of an imported bid that validate, and a line for each field of the parts that do not."""
    kept: dict[str, Any] = {}
    problems: list[str] = []
    for fields in BID_PARTS.values():
        values = {key: bid[key] for key in fields if key in bid}
        try:
            kept.update(load_bid_part(values, fields))
        except ValidationError as exc:
            problems += [f"{path}: {' '.join(texts)}" for path, texts in flatten_messages(exc.messages).items()]
    return kept, problems
