"""Recovery: the database is the record of what was asked, so a job the queue has lost is queued again."""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from labdocs.documents.run import record_failure
from labdocs.documents.turns import queue_in_turn
from labdocs.infra.db import session
from labdocs.infra.models import Document, Status, as_utc, utcnow
from labdocs.infra.queue import OVER, job_queue

log = logging.getLogger(__name__)

# A document this new may simply not be queued yet (the request that made it is still finishing).
ORPHAN_GRACE = timedelta(seconds=10)
LOST_REASON = "The worker rendering this document went away before it finished."


def is_orphaned(document: Document) -> bool:
    """Unsettled in the database but with no live job: the job was lost (an in-process queue restarted, Redis
    was emptied, the service stopped between recording the request and queueing it) or it ended without the
    database hearing (the database was down when the worker tried to record the outcome)."""
    if document.status not in (Status.QUEUED, Status.STARTED):
        return False
    state = job_queue().job_state(document.id)
    if state is not None and state not in OVER:
        return False  # queued, started, scheduled for a retry, or deferred: RQ still has it in hand
    since = max(as_utc(document.requested_at), as_utc(document.started_at or document.requested_at))
    return utcnow() - since > ORPHAN_GRACE


def requeue_if_orphaned(document: Document) -> bool:
    """Queue a lost document's job again; the database, not the queue, is the record of what was asked."""
    if not is_orphaned(document):
        return False
    was = document.status
    if was == Status.STARTED and document.attempts > current_app.config["JOB_RETRIES"]:
        # Its last attempt ended with nobody left to record it (the whole worker died): say so, don't loop.
        record_failure(document.id, LOST_REASON, final=True)
        return False
    if was == Status.STARTED:  # its job was lost mid-render: it is waiting again
        document.status, document.error = Status.QUEUED, None
        session().commit()
    if not queue_in_turn(document):
        return False  # its organisation's turns are taken: it waits in the database for the next
    log.warning("document %s was %s with no job in the queue; queued it again", document.id, was)
    return True


def requeue_orphans() -> int:
    """The reconciler (at worker start and every few seconds after): queue again every unsettled document
    whose job is lost or ended unrecorded; returns how many."""
    unsettled = session().scalars(select(Document).where(Document.status.in_((Status.QUEUED, Status.STARTED))))
    return sum(requeue_if_orphaned(document) for document in unsettled)
