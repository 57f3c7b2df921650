"""A project's award: recorded when the bid is funded, replaced when it changes, removed if it was a mistake."""

from __future__ import annotations

from typing import Any

from labdocs.errors import NotFound
from labdocs.infra.db import session
from labdocs.infra.models import Project
from labdocs.register import with_identifiers


def save_award(project: Project, award: dict[str, Any]) -> bool:
    """Store the (validated) award, the recipient's org-id from the register if left out; True if it is the first."""
    new = project.award is None
    project.award = with_identifiers(award, (project.bid or {}).get("lead_organisation") or "")
    session().commit()
    return new


def require_award(project: Project) -> dict[str, Any]:
    if project.award is None:
        raise NotFound("This project has no award recorded yet: PUT /api/v1/projects/<id>/award when it is funded.")
    return project.award


def remove_award(project: Project) -> None:
    require_award(project)
    project.award = None
    session().commit()
