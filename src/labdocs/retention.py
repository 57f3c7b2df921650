"""Retention: rendered documents are removed after DOCUMENT_RETENTION_DAYS (or the organisation's own number);
the data they were made from stays until the project is deleted, so any of them can be made again."""

from __future__ import annotations

from datetime import timedelta
from typing import TypedDict

from flask import current_app
from sqlalchemy import select

from labdocs.audit import forget_old
from labdocs.deletion import document_keys, remove_unreferenced
from labdocs.infra.db import session
from labdocs.infra.models import Document, Organisation, Status, utcnow


class Expired(TypedDict):
    """A document past its organisation's retention, as `labdocs purge --dry-run` lists it."""

    id: str
    organisation: str
    kind: str
    format: str
    finished_at: str


def retention_days(org: Organisation) -> int:
    """Days this organisation's documents are kept: its own number, else the installation's (0: kept)."""
    return org.retention_days if org.retention_days is not None else current_app.config["DOCUMENT_RETENTION_DAYS"]


def expired() -> list[tuple[Document, Organisation]]:
    """Every settled document older than its organisation's retention, oldest first."""
    found = []
    for org in session().scalars(select(Organisation)):
        days = retention_days(org)
        if days <= 0:
            continue
        cutoff = utcnow() - timedelta(days=days)
        rows = session().scalars(select(Document).where(
            Document.org_id == org.id, Document.status.in_((Status.FINISHED, Status.FAILED)),
            Document.finished_at < cutoff).order_by(Document.finished_at))
        found += [(document, org) for document in rows]
    return found


def purge(dry_run: bool = False) -> list[Expired]:
    """Remove expired documents and the stored files only they used; with dry_run, only say what would go."""
    gone = [Expired(id=d.id, organisation=o.name, kind=d.kind, format=d.format,
                    finished_at=f"{d.finished_at:%Y-%m-%d}") for d, o in expired()]
    if dry_run:
        return gone
    forget_old()  # the audit trail's own retention
    if not gone:
        return gone
    keys: set[str] = set()
    for document, _ in expired():
        keys |= document_keys(document)
        session().delete(document)
    session().commit()
    remove_unreferenced(keys)
    return gone


def set_retention(org: Organisation, days: int | None) -> None:
    """The organisation's own retention in days (0: kept), or None for the installation's."""
    org.retention_days = days
    session().commit()
