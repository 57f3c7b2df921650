"""Unsaved drafts: what someone typed into a page that did not validate, kept on the project until fixed."""

from __future__ import annotations

from typing import Any

from labdocs.infra.db import session
from labdocs.infra.models import Project


def get_draft(project: Project, key: str) -> dict[str, Any] | None:
    """{"values", "errors"} as last typed on the page `key` names, or None."""
    draft: dict[str, Any] | None = (project.drafts or {}).get(key)
    return draft


def keep_draft(project: Project, key: str, values: dict[str, Any], errors: dict[str, list[str]]) -> None:
    project.drafts = {**(project.drafts or {}), key: {"values": values, "errors": errors}}
    session().commit()


def drop_draft(project: Project, key: str) -> None:
    """Forget the page's draft (it was saved), committing whatever else changed with it."""
    project.drafts = {k: v for k, v in (project.drafts or {}).items() if k != key}
    session().commit()
