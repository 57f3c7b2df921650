"""Turns: each organisation has a few documents in the job queue at a time; the rest wait in the database.

So a burst from one organisation (a year-end run of every report) never queues another's document behind
it: the other's goes in at once and is next for a worker. When one of an organisation's documents settles,
its turn passes to that organisation's oldest waiting document.
"""

from __future__ import annotations

import logging

from flask import current_app
from sqlalchemy import select

from labdocs.infra.db import session
from labdocs.infra.models import Document, Status
from labdocs.infra.queue import job_queue

log = logging.getLogger(__name__)


def queue_in_turn(document: Document) -> bool:
    """Queue the document's job if its organisation has a turn free; otherwise it waits in the database."""
    queue = job_queue()
    if not queue.take_turn(document.org_id, document.id, current_app.config["JOBS_PER_ORG"]):
        return False
    queue.enqueue_render(document.id)
    return True


def pass_turn(org_id: str, document_id: str) -> int:
    """A document settled: give its turn to the organisation's oldest waiting documents; returns how many."""
    queue = job_queue()
    queue.end_turn(org_id, document_id)
    waiting = session().scalars(select(Document).where(Document.org_id == org_id, Document.status == Status.QUEUED)
                                .order_by(Document.requested_at).limit(200))
    queued = 0
    for document in waiting:
        if queue.has_job(document.id):
            continue
        if not queue_in_turn(document):
            break
        queued += 1
    return queued


def pass_turn_quietly(org_id: str, document_id: str) -> None:
    """pass_turn after a settled render: a fault here must not undo the render (polling and restarts recover)."""
    try:
        pass_turn(org_id, document_id)
    except Exception:
        log.warning("could not pass on the turn of document %s", document_id, exc_info=True)
