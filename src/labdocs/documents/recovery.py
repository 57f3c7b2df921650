"""Recovery: the database is the record of what was asked, so a job the queue has lost is queued again."""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from labdocs.documents.turns import queue_in_turn
from labdocs.infra.db import session
from labdocs.infra.models import Document, Status, as_utc, utcnow
from labdocs.infra.queue import job_queue

log = logging.getLogger(__name__)

# A document this new may simply not be queued yet (the request that made it is still finishing).
ORPHAN_GRACE = timedelta(seconds=30)


def is_orphaned(document: Document) -> bool:
    """Unsettled in the database but unknown to the queue: the job was lost (an in-process queue restarted,
    Redis was emptied, or the service stopped between recording the request and queueing it)."""
    if document.status == Status.QUEUED:
        since = document.requested_at
    elif document.status == Status.STARTED and document.started_at is not None:
        since = document.started_at + timedelta(seconds=current_app.config["JOB_TIMEOUT"])
    else:
        return False
    age = utcnow() - as_utc(since)
    return age > ORPHAN_GRACE and not job_queue().has_job(document.id)


def requeue_if_orphaned(document: Document) -> bool:
    """Queue a lost document's job again; the database, not the queue, is the record of what was asked."""
    if not is_orphaned(document):
        return False
    was = document.status
    if was == Status.STARTED:  # its job was lost mid-render: it is waiting again
        document.status, document.error = Status.QUEUED, None
        session().commit()
    if not queue_in_turn(document):
        return False  # its organisation's turns are taken: it waits in the database for the next
    log.warning("document %s was %s with no job in the queue; queued it again", document.id, was)
    return True


def requeue_orphans() -> int:
    """At worker start: queue again every unsettled document whose job the queue has lost; returns how many."""
    unsettled = session().scalars(select(Document).where(Document.status.in_((Status.QUEUED, Status.STARTED))))
    return sum(requeue_if_orphaned(document) for document in unsettled)
