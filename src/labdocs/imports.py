"""Imports into a project's bid: a draft DOCX partners edited in Word (or an entry export), read, compared with
the bid field by field, and kept on the project until the lab lead accepts or rejects each change.

An import is kept (one at a time, the latest, in the project's drafts) rather than handed back for the client
to send again, so that what is applied is exactly what was read and reviewed, the client names only the fields
it accepts, and a bid changed since the file was read is noticed (409) instead of overwritten.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from labdocs.domain.docx_bid import read_bid_docx
from labdocs.domain.funder_form import FORM
from labdocs.errors import Invalid, NotFound, Stale, TooLarge
from labdocs.images import clean_filename
from labdocs.infra.db import session
from labdocs.infra.models import Project, new_id, utcnow
from labdocs.projects import MAX_ENTRY_CHARS, assess, save_part, update_project
from labdocs.render.bid_changes import (
    differences,
    question_of,
    shown_texts,
    total_edited,
    with_changes,
    with_values,
)
from labdocs.schemas.bid import load_bid

# What one import may keep for review: a whole bid changed, before and after with its diff, is ~200 KB.
MAX_RECORD_BYTES = 2 * 1024 * 1024
DRAFT = "word-import"  # the project's drafts key holding the import under review
STALE = "The bid has changed since this file was read: upload the file again to see its changes against the bid " \
    "as it is now."


def fingerprint(bid: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(bid, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def is_entry(filename: str) -> bool:
    """An entry export comes as text (.txt); anything else is read as a Word document."""
    return filename.lower().endswith(".txt")


def read_file(bid: dict[str, Any], filename: str, data: bytes,
              tracked_changes: str | None = None) -> dict[str, Any]:
    """What a file holds for this bid: its per-field changes and what it reports, nothing stored."""
    if is_entry(filename):
        return read_entry_file(bid, data)
    reading = read_bid_docx(data, tracked_changes)
    return {"source": "docx", "changes": differences(bid, reading["answers"]),
            "found": sorted(reading["answers"]), "tracked_changes": reading["tracked_changes"],
            "tracked_changes_taken": reading["tracked_changes_taken"], "comments": reading["comments"],
            "needs_person": [*missing(reading["answers"]), *total_edited(bid, reading["answers"])]}


def missing(answers: dict[str, str]) -> list[str]:
    """The form's boxes whose heading is no longer in the draft (their answers were not read)."""
    return [f"Not found in the draft, so not read: “{question_of(item.key)}” (its heading may have been deleted or "
            "retyped; its text then counts as part of the answer above it)." for item in FORM
            if item.key not in answers]


def read_entry_file(bid: dict[str, Any], data: bytes) -> dict[str, Any]:
    """An entry export, read by the entry importer, compared box by box with the bid."""
    from labdocs.domain.entry import read_entry

    if len(data) > MAX_ENTRY_CHARS:
        raise TooLarge(f"This is over {MAX_ENTRY_CHARS // 1024} KB of text, far more than an entry export.",
                       code="file_too_large")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        message = "The file is not UTF-8 text: save the entry as text (.txt) and try again."
        raise Invalid(message, {"file": [message]}) from None
    result = read_entry(text)
    present = [item.key for item in FORM if has_field(result["bid"], item.key)]
    merged, _ = with_values(bid, {key: lookup(result["bid"], key) for key in present})
    shown = shown_texts(merged)
    changes = differences(bid, {key: shown[key] for key in present}, {key: lookup(merged, key) for key in present})
    return {"source": "entry", "changes": changes, "found": present, "tracked_changes": [],
            "tracked_changes_taken": None, "comments": [], "needs_person": result["needs_person"]}


def lookup(data: dict[str, Any], key: str) -> Any:
    value: Any = data
    for part in key.split("."):
        value = value[part]
    return value


def has_field(data: dict[str, Any], key: str) -> bool:
    try:
        lookup(data, key)
    except (KeyError, TypeError):
        return False
    return True


def start_import(project: Project, filename: str, data: bytes, tracked_changes: str | None = None) -> dict[str, Any]:
    """Read a file against the project's bid and keep what it would change for review (replacing any earlier)."""
    record = {"id": new_id(), "project_id": project.id,
              "filename": clean_filename(filename, ".txt" if is_entry(filename) else ".docx", "draft"),
              "created_at": utcnow().isoformat().replace("+00:00", "Z"), "base": fingerprint(project.bid),
              **read_file(project.bid, filename, data, tracked_changes)}
    size = len(json.dumps(record, ensure_ascii=False).encode("utf-8"))
    if size > MAX_RECORD_BYTES:
        message = f"This file's changes come to {size // 1024:,} KB of text, far more than a bid holds, so labdocs " \
            "has not kept them. Check it is the draft bid, or bring the answers in a few at a time."
        raise TooLarge(message, {"file": [message]}, code="file_too_large")
    project.drafts = {**(project.drafts or {}), DRAFT: record}
    session().commit()
    return record


def get_import(project: Project, import_id: str) -> dict[str, Any]:
    """The project's import under review; an old one (replaced or applied) is gone (404)."""
    record: dict[str, Any] | None = (project.drafts or {}).get(DRAFT)
    if not record or record.get("id") != import_id:
        raise NotFound("There is no such import for this project: it was applied, or a newer file replaced it.")
    return record


def apply_import(project: Project, import_id: str, accepted: list[str], strict: bool = False) -> Project:
    """Make the accepted changes, through the same validation and funder checks as a bid typed or sent whole.

    Every field named must be one the import changes, and readable; nothing is saved unless all of them are.
    """
    record = get_import(project, import_id)
    if record["base"] != fingerprint(project.bid):
        raise Stale(STALE)
    by_field = {change["field"]: change for change in record["changes"]}
    errors: dict[str, list[str]] = {}
    for index, field in enumerate(accepted):
        if field not in by_field:
            errors[f"accept.{index}"] = [f"The import does not change “{field}”."]
        elif by_field[field]["problems"]:
            errors[field] = by_field[field]["problems"]
    if errors:
        raise Invalid(f"{len(errors)} of the accepted changes cannot be made.", errors)
    chosen = [by_field[field] for field in dict.fromkeys(accepted)]
    changed, fields = with_changes(project.bid, chosen)
    if assess(project.bid).complete:
        update_project(project, load_bid(changed), strict=strict)  # a ValidationError names each field (422)
    elif fields:
        save_part(project, fields, {field: changed[field] for field in fields if field in changed})
    project.drafts = {key: value for key, value in (project.drafts or {}).items() if key != DRAFT}
    session().commit()
    return project


def drop_import(project: Project) -> None:
    """Reject every change: forget the import."""
    project.drafts = {key: value for key, value in (project.drafts or {}).items() if key != DRAFT}
    session().commit()
