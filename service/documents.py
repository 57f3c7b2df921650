"""Documents: what was asked for, the render that answers it, and the record of how it went."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from flask import current_app
from jinja2 import TemplateNotFound
from rq.timeouts import BaseTimeoutException
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from .access import owned
from .crosscheck import check_report
from .db import session
from .errors import ApiError
from .models import Document, Project, as_utc, utcnow
from .projects import enforce_strict, require_complete
from .queue import announce, job_queue, wait_for
from .render import Rendered, RenderError, Sources
from .render.registry import media_type, render, renderer, template_version
from .reports import check_images, require_report
from .rules import Check
from .storage import file_store
from .zines import check_images as zine_images
from .zines import get_zine

log = logging.getLogger(__name__)

QUEUED, STARTED, FINISHED, FAILED = "queued", "started", "finished", "failed"

STRICT_WORDING = {"bid": ("bid", "funder check"), "report": ("report", "cross-check"), "zine": ("zine", "check")}

# A document this new may simply not be queued yet (the request that made it is still finishing).
ORPHAN_GRACE = timedelta(seconds=30)

# Faults the queue deals with: the database or the disk was briefly unavailable (may pass if tried again), or
# the render ran over its time limit (the queue stops it, retries it, and says so in plain words).
TRANSIENT = (DBAPIError, OSError, BaseTimeoutException)
# OSErrors that will not pass: a template or stored file that is not there will not be there next time either.
PERMANENT = (FileNotFoundError, TemplateNotFound)


def template_dir() -> Path:
    return Path(current_app.config["TEMPLATE_DIR"])


def sources() -> Sources:
    """What a render may read: templates, bundled assets, and this app's stored files."""
    return Sources(template_dir(), Path(current_app.config["ASSET_DIR"]), file_store().read)


def prepare(project: Project, kind: str, zine_id: str | None) -> tuple[dict[str, Any], list[Check]]:
    """The data a document of this kind is made from, as it is now, and the findings about it."""
    today = date.today().isoformat()
    if kind == "zine":
        zine = get_zine(project.org_id, zine_id or "")
        if zine.project_id != project.id:
            raise ApiError(404, "not_found", "There is no such zine in this project.")
        return {"zine": zine.data, "images": zine_images(project, zine.data), "generated_on": today}, []
    bid = require_complete(project)
    if kind == "report":
        report = require_report(project).data
        images = check_images(project, report)
        payload = {"bid": bid.bid, "report": report, "images": images, "generated_on": today}
        return payload, check_report(bid.bid, report)
    return {"bid": bid.bid, "generated_on": today}, bid.checks


def request_document(project: Project, kind: str, fmt: str, strict: bool, requested_by: str,
                     zine_id: str | None = None) -> Document:
    """Record a request; reuse an identical finished document, or leave a queued one for a worker."""
    payload, checks = prepare(project, kind, zine_id)
    if strict:
        enforce_strict(checks, *STRICT_WORDING[kind])
    document = Document(
        org_id=project.org_id,
        project_id=project.id,
        kind=kind,
        format=fmt,
        input=payload,
        input_hash=fingerprint(kind, fmt, payload),
        requested_by=requested_by,
        checks=[check.as_dict() for check in checks],
    )
    reuse_identical(document)
    db = session()
    db.add(document)
    db.commit()
    return document


def fingerprint(kind: str, fmt: str, payload: dict[str, Any]) -> str:
    """Same kind, format, templates and data: same fingerprint, so the same file."""
    canonical = json.dumps(
        {"kind": kind, "format": fmt, "templates": template_version(template_dir(), kind, fmt), "input": payload},
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def reuse_identical(document: Document) -> None:
    """Point a request at the file of an identical finished document in the same organisation."""
    earlier = session().scalar(
        select(Document)
        .where(Document.org_id == document.org_id, Document.input_hash == document.input_hash,
               Document.status == FINISHED)
        .order_by(Document.finished_at.desc())
        .limit(1)
    )
    if earlier is None or not earlier.file_key or not file_store().path(earlier.file_key).exists():
        return
    now = utcnow()
    document.status, document.started_at, document.finished_at = FINISHED, now, now
    document.file_key, document.file_size = earlier.file_key, earlier.file_size
    document.findings, document.files = earlier.findings, earlier.files
    document.reused_from, document.render_ms = earlier.id, 0


def perform_render(document_id: str) -> dict[str, Any]:
    """The worker's job: render a queued document, store the file, record the outcome.

    Bad data or a template fault fails the document at once with a plain reason; transient faults
    (database, disk) are raised so the queue retries them.
    """
    db = session()
    document = db.get(Document, document_id)
    if document is None or document.status == FINISHED:
        return {"status": document.status if document else "missing"}
    document.status, document.started_at, document.error = STARTED, utcnow(), None
    document.attempts += 1
    db.commit()
    started = time.perf_counter()
    try:
        rendered = render(sources(), document.kind, document.format, document.input)
    except RenderError as exc:
        return fail(document, str(exc))
    except Exception as exc:
        if isinstance(exc, TRANSIENT) and not isinstance(exc, PERMANENT):
            raise
        log.exception("render of document %s failed", document_id)
        return fail(document, labdocs_fault(document))
    finish(document, rendered, time.perf_counter() - started)
    return {"status": FINISHED, "file_key": document.file_key}


def labdocs_fault(document: Document) -> str:
    return (f"labdocs could not render this {document.kind}: the problem is in labdocs, not in your data. "
            f"Quote reference {document.id} if you contact us.")


def finish(document: Document, rendered: Rendered, seconds: float) -> None:
    document.file_key = file_store().put(rendered.data, renderer(document.kind, document.format).suffix)
    document.file_size, document.render_ms = len(rendered.data), round(seconds * 1000)
    document.findings = rendered.findings
    document.files = {name: {"key": file_store().put(data, Path(name).suffix), "size": len(data),
                             "media_type": media_type(name)} for name, data in rendered.files.items()}
    document.status, document.finished_at = FINISHED, utcnow()
    session().commit()
    announce(document.id, FINISHED)


def fail(document: Document, reason: str) -> dict[str, Any]:
    document.status, document.error, document.finished_at = FAILED, reason, utcnow()
    session().commit()
    announce(document.id, FAILED)
    return {"status": FAILED, "error": reason}


def await_document(document: Document, seconds: float) -> bool:
    """Wait (up to `seconds`) for a queued or started document to finish or fail, refreshing it.

    False when the server had no waiting slot free: the document is as it was, and the caller asks again later.
    """
    requeue_if_orphaned(document)
    if document.status in (FINISHED, FAILED) or seconds <= 0:
        return True
    db = session()

    def settled() -> bool:
        db.rollback()  # a new transaction for each look: SQLite would otherwise keep showing one snapshot
        db.refresh(document)
        return document.status in (FINISHED, FAILED)

    waited = wait_for(document.id, seconds, settled)
    settled()
    return waited


def is_orphaned(document: Document) -> bool:
    """Unsettled in the database but unknown to the queue: the job was lost (an in-process queue restarted,
    Redis was emptied, or the service stopped between recording the request and queueing it)."""
    if document.status == QUEUED:
        since = document.requested_at
    elif document.status == STARTED and document.started_at is not None:
        since = document.started_at + timedelta(seconds=current_app.config["JOB_TIMEOUT"])
    else:
        return False
    age = utcnow() - as_utc(since)
    return age > ORPHAN_GRACE and not job_queue().has_job(document.id)


def requeue_if_orphaned(document: Document) -> bool:
    """Queue a lost document's job again; the database, not the queue, is the record of what was asked."""
    if not is_orphaned(document):
        return False
    log.warning("document %s was %s with no job in the queue; queueing it again", document.id, document.status)
    document.status, document.error = QUEUED, None
    session().commit()
    job_queue().enqueue_render(document.id)
    return True


def requeue_orphans() -> int:
    """At worker start: queue again every unsettled document whose job the queue has lost; returns how many."""
    unsettled = session().scalars(select(Document).where(Document.status.in_((QUEUED, STARTED))))
    return sum(requeue_if_orphaned(document) for document in unsettled)


def record_failure(document_id: str, reason: str, final: bool) -> None:
    """A failed attempt seen by the worker: queued again if it will be retried, else failed for good."""
    db = session()
    document = db.get(Document, document_id)
    if document is None or document.status == FINISHED:
        return
    if final:
        tries = "once" if document.attempts <= 1 else f"{document.attempts} times"
        fail(document, f"{reason} It was tried {tries}. Please request it again later.")
    else:
        document.status, document.error = QUEUED, f"{reason} Trying again."
        db.commit()


def dispatch(document: Document) -> Document:
    """Queue a newly requested document for a worker (a reused one is already finished).

    If the queue refuses the job, the record says so, rather than waiting for a render that never comes.
    """
    if document.status != QUEUED:
        return document
    try:
        job_queue().enqueue_render(document.id)
    except Exception:
        fail(document, "The job queue could not be reached, so nothing was rendered. Please try again shortly.")
        raise
    return document


def get_document(org_id: str, document_id: str) -> Document:
    """The organisation's document; another organisation's is as absent as a missing one (404)."""
    return owned(Document, org_id, document_id, "document")


def list_documents(org_id: str, project_id: str) -> list[Document]:
    query = (select(Document).where(Document.org_id == org_id, Document.project_id == project_id)
             .order_by(Document.requested_at.desc()))
    return list(session().scalars(query))


def document_file(document: Document, name: str | None = None) -> Path:
    """The stored file of a finished document (or one of its further files); 409 while it is being made."""
    if document.status != FINISHED or not document.file_key:
        raise ApiError(409, "not_ready", f"This document is {document.status}; there is no file yet.")
    if name is None:
        return file_store().path(document.file_key)
    entry = (document.files or {}).get(name)
    if entry is None:
        raise ApiError(404, "not_found", f"This document has no file called {name!r}.")
    return file_store().path(entry["key"])
