"""Unsaved drafts: what someone typed into a page that did not validate, kept on the project until fixed."""

from __future__ import annotations

import json
from typing import Any

from labdocs.errors import TooLarge
from labdocs.infra.db import session
from labdocs.infra.models import Project


def get_draft(project: Project, key: str) -> dict[str, Any] | None:
    """{"values", "errors"} as last typed on the page `key` names, or None."""
    draft: dict[str, Any] | None = (project.drafts or {}).get(key)
    return draft


# What a page may keep of a rejected form: a draft is for coming back to mistakes, not a store of any size.
MAX_DRAFT_BYTES = 256 * 1024


def keep_draft(project: Project, key: str, values: dict[str, Any], errors: dict[str, list[str]]) -> None:
    """Keep what was typed on a page with its errors; one too large to keep is refused in words."""
    size = len(json.dumps({"values": values, "errors": errors}, ensure_ascii=False).encode("utf-8", "replace"))
    if size > MAX_DRAFT_BYTES:
        raise TooLarge(f"This page holds {size // 1024} KB, more than the {MAX_DRAFT_BYTES // 1024} KB a page can "
                       "keep while it has mistakes. Fix the mistakes shown, or send it in smaller parts.")
    project.drafts = {**(project.drafts or {}), key: {"values": values, "errors": errors}}
    session().commit()


def drop_draft(project: Project, key: str) -> None:
    """Forget the page's draft (it was saved), committing whatever else changed with it."""
    project.drafts = {k: v for k, v in (project.drafts or {}).items() if k != key}
    session().commit()
