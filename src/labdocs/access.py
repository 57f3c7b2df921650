"""Everything belongs to an organisation: look things up within it, and answer 404 for anyone else's."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import select

from labdocs.errors import NotFound
from labdocs.infra.db import session

Row = TypeVar("Row")


def owned(model: type[Row], org_id: str, object_id: str, what: str) -> Row:
    """The organisation's `what` with this id; another organisation's is as absent as a missing one (404)."""
    table: Any = model
    found = session().scalar(select(model).where(table.id == object_id, table.org_id == org_id))
    if found is None:
        raise NotFound(f"There is no such {what} in your organisation.")
    return found
