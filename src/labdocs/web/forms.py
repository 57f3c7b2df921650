"""Reading HTML forms into the shapes the schemas expect, and errors back onto the fields."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any, Protocol, TypeVar

from flask import abort
from werkzeug.datastructures import MultiDict

# Row numbers are ASCII and short: int() of thousands of digits is slow, then refused.
ROW = re.compile(r"^(?P<prefix>[a-z_]+)-(?P<index>[0-9]{1,4})-(?P<field>[a-z_]+)$")
WHOLE = re.compile(r"^[0-9]{1,9}$")


class FormPart(Protocol):
    """One page of a multi-page form (a bid section, a report part): its URL slug and the fields it asks."""

    @property
    def slug(self) -> str: ...

    @property
    def fields(self) -> tuple[str, ...]: ...


PartT = TypeVar("PartT", bound=FormPart)


def find_part(parts: Sequence[PartT], slug: str) -> PartT:
    """The part a URL names; any other slug is a page that does not exist (404)."""
    found = next((part for part in parts if part.slug == slug), None)
    if found is None:
        abort(404)
    return found


def part_asking(parts: Sequence[PartT], path: str) -> PartT:
    """Which part asks for the field at `path` (for "change" links from the check pages), else the first."""
    top = path.split(".")[0]
    return next((part for part in parts if top in part.fields), parts[0])


def with_row_change(values: dict[str, Any], pressed: str, index: int | None,
                    row_lists: Mapping[str, tuple[str, ...]]) -> dict[str, Any]:
    """Apply an "Add another" or "Remove" button to the repeated rows it names (they work without JavaScript).

    `row_lists` maps a button's list name to where the rows live in the values; only the pressed list is touched,
    since creating the others would add fields the page does not have.
    """
    name = pressed.split("-", 1)[-1]
    if name not in row_lists:
        return values
    *parents, leaf = row_lists[name]
    target: Any = values
    for key in parents:
        target = target.setdefault(key, {})
    items = list(target.get(leaf, []))
    if pressed.startswith("add-"):
        items.append({})
    elif index is not None and 0 <= index < len(items):
        items.pop(index)
    target[leaf] = items
    return values


def text(form: MultiDict[str, str], name: str) -> str | None:
    """A trimmed value, or None when the field was left empty (missing, not blank)."""
    value = form.get(name, "").strip()
    return value or None


def number(value: str | None) -> Any:
    """A whole or decimal number if it reads as one; otherwise the text, for the schema to explain."""
    if value is None:
        return None
    try:
        parsed = float(value.replace(",", ""))
    except ValueError:
        return value
    if not math.isfinite(parsed):  # "nan", "inf": text, which the schema refuses in words
        return value
    return int(parsed) if parsed.is_integer() and "." not in value else parsed


def whole(value: str | None) -> Any:
    """A count typed as plain digits; anything else ("²", "1e3", "twelve") stays text for the schema to explain."""
    if value is None:
        return None
    return int(value) if WHOLE.match(value) else value


def lines(form: MultiDict[str, str], name: str) -> list[str]:
    return [line.strip() for line in form.get(name, "").splitlines() if line.strip()]


def rows(form: MultiDict[str, str], prefix: str) -> list[dict[str, str]]:
    """Repeated fields named prefix-N-field, in order of N, keeping rows that have any value."""
    found: dict[int, dict[str, str]] = {}
    for key in form:
        match = ROW.match(key)
        if match and match["prefix"] == prefix:
            found.setdefault(int(match["index"]), {})[match["field"]] = form.get(key, "").strip()
    return [row for _, row in sorted(found.items()) if any(row.values())]


def compact(data: Mapping[str, Any]) -> dict[str, Any]:
    """Drop empty values, so an untouched field is missing (saved later) rather than wrong."""
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def field_id(path: str) -> str:
    """The HTML id for a data path: budget.2.amount → budget-2-amount."""
    return path.replace(".", "-")


def action(form: MultiDict[str, str]) -> tuple[str, int | None]:
    """Which button was pressed: ("save", None), ("add-budget", None), ("remove-budget", 2), ("upload-…", 0)…"""
    pressed = form.get("action", "save")
    match = re.match(r"^((?:remove|upload)-[a-z_]+)-([0-9]{1,4})$", pressed)
    return (match[1], int(match[2])) if match else (pressed, None)
