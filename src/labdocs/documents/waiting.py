"""Waiting for a document: held until it finishes or fails, so clients need not poll."""

from __future__ import annotations

from sqlalchemy import select

from labdocs.documents.recovery import requeue_if_orphaned
from labdocs.infra.db import release_connection, session
from labdocs.infra.models import Document, Status
from labdocs.infra.queue import wait_for


def await_document(document: Document, seconds: float) -> bool:
    """Wait (up to `seconds`) for a queued or started document to finish or fail, refreshing it.

    While it waits it holds no database connection (each look takes one for a moment), so waiting requests
    cannot use up the pool the other requests need. False when there was no waiting slot free (the server's,
    or this organisation's share): the document is as it was, and the caller asks again later.
    """
    requeue_if_orphaned(document)
    if Status(document.status).settled or seconds <= 0:
        return True
    release_connection()
    waited = wait_for(document.id, document.org_id, seconds, lambda: status_now(document.id).settled)
    session().refresh(document)
    return waited


def status_now(document_id: str) -> Status:
    """The document's status as the database has it this moment, in a transaction of its own."""
    db = session()
    try:
        found = db.scalar(select(Document.status).where(Document.id == document_id))
        return Status(found) if found else Status.FAILED  # deleted meanwhile: nothing more to wait for
    finally:
        db.rollback()  # gives the connection back; SQLite would otherwise keep showing one snapshot
