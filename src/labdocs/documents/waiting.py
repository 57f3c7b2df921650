"""Waiting for a document: held until it finishes or fails, so clients need not poll."""

from __future__ import annotations

from labdocs.documents.recovery import requeue_if_orphaned
from labdocs.infra.db import session
from labdocs.infra.models import Document, Status
from labdocs.infra.queue import wait_for


def await_document(document: Document, seconds: float) -> bool:
    """Wait (up to `seconds`) for a queued or started document to finish or fail, refreshing it.

    False when the server had no waiting slot free: the document is as it was, and the caller asks again later.
    """
    requeue_if_orphaned(document)
    if Status(document.status).settled or seconds <= 0:
        return True
    db = session()

    def settled() -> bool:
        db.rollback()  # a new transaction for each look: SQLite would otherwise keep showing one snapshot
        db.refresh(document)
        return Status(document.status).settled

    waited = wait_for(document.id, seconds, settled)
    settled()
    return waited
