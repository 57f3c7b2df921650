"""A form's task list, after the GOV.UK Design System's pattern: each part with its status in words.

The bid and the report both show one (templates/macros.html `task_list`); what makes a part started or
finished is theirs to say, the statuses and their words are shared here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from labdocs.infra.models import Project

NOT_STARTED = "Not yet started"
IN_PROGRESS = "In progress"
COMPLETED = "Completed"
CANNOT_START = "Cannot start yet"
UNSAVED = "Not saved: has errors"


@dataclass(frozen=True)
class Task:
    """One row of a task list: a link to the part (none while it cannot start), its status, and a hint."""

    key: str  # unique on the page: the ids of the status and the hint are made from it
    name: str
    status: str
    href: str | None = None
    hint: str = ""


def task_status(started: bool, finished: bool, blocked: bool = False) -> str:
    """The pattern's four statuses: Cannot start yet, Not yet started, In progress, Completed."""
    if blocked:
        return CANNOT_START
    if finished:
        return COMPLETED
    return IN_PROGRESS if started else NOT_STARTED


def unsaved_parts(project: Project, form: str) -> set[str]:
    """The parts of `form` ("bid", "report") with typing kept as a draft because it did not validate."""
    return {key.split(":", 1)[1] for key in (project.drafts or {}) if key.startswith(f"{form}:")}


def lacking(fields: Iterable[str], paths: Iterable[str]) -> bool:
    """Whether any of the error paths (budget.2.amount) belongs to one of a part's fields."""
    tops = set(fields)
    return any(path.split(".")[0] in tops for path in paths)
