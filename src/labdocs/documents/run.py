"""Running a queued document: render it, store its files, and record how it went in the database."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from flask import current_app
from jinja2 import TemplateNotFound
from rq.timeouts import BaseTimeoutException
from sqlalchemy.exc import DBAPIError

from labdocs.documents.turns import pass_turn_quietly
from labdocs.infra.db import session
from labdocs.infra.models import Document, Status, utcnow
from labdocs.infra.queue import announce
from labdocs.infra.storage import file_store
from labdocs.render import Rendered, RenderError, RenderFault, bundled_sources
from labdocs.render.kinds import find_kind, media_type, render
from labdocs.webhooks import announce_quietly

log = logging.getLogger(__name__)

# Faults the queue deals with: the database or the disk was briefly unavailable (may pass if tried again), or
# the render ran over its time limit (the queue stops it, retries it, and says so in plain words).
TRANSIENT = (DBAPIError, OSError)
# OSErrors that will not pass: a template or stored file that is not there will not be there next time either.
PERMANENT = (FileNotFoundError, TemplateNotFound)


def perform_render(document_id: str) -> dict[str, Any]:
    """The worker's job: render a queued document, store the file, record the outcome.

    Bad data or a template fault fails the document at once with a plain reason; transient faults
    (database, disk) are raised so the queue retries them.
    """
    db = session()
    document = db.get(Document, document_id)
    if document is None or document.status == Status.FINISHED:
        return {"status": document.status if document else "missing"}
    document.status, document.started_at, document.error = Status.STARTED, utcnow(), None
    document.attempts += 1
    db.commit()
    started = time.perf_counter()
    try:
        rendered = render(bundled_sources(file_store().read), document.kind, document.format, document.input)
    except RenderError as exc:
        return fail(document, str(exc))
    except BaseTimeoutException:  # the same document would take as long again: trying again only queues others
        return fail(document, too_slow(document))
    except RenderFault as exc:
        log.error("document %s failed its own checks: %s", document_id, exc)
        return fail(document, f"{labdocs_fault(document)} {exc}")
    except Exception as exc:
        if isinstance(exc, TRANSIENT) and not isinstance(exc, PERMANENT):
            raise
        log.exception("render of document %s failed", document_id)
        return fail(document, labdocs_fault(document))
    finish(document, rendered, time.perf_counter() - started)
    return {"status": Status.FINISHED.value, "file_key": document.file_key}


def too_slow(document: Document) -> str:
    """The reason given when a render ran past the job time limit: its size, which retrying would not change."""
    limit = current_app.config["JOB_TIMEOUT"]
    seconds = f"{limit} second{'' if limit == 1 else 's'}"
    return (f"This {document.kind} took longer than {seconds} to make, so it was stopped and not tried again: "
            "it would take as long the next time. Make it smaller (fewer or shorter activities, case studies or "
            "budget lines), or ask for the Word or web page version, which are quicker to make.")


def labdocs_fault(document: Document) -> str:
    """The reason given when labdocs itself, not the data, made the render fail."""
    return (f"labdocs could not render this {document.kind}: the problem is in labdocs, not in your data. "
            f"Quote reference {document.id} if you contact us.")


def finish(document: Document, rendered: Rendered, seconds: float) -> None:
    """Store the document and its further files, and record it finished."""
    document.file_key = file_store().put(rendered.data, find_kind(document.kind, document.format).suffix)
    document.file_size, document.render_ms = len(rendered.data), round(seconds * 1000)
    document.findings = rendered.findings
    document.files = {name: {"key": file_store().put(data, Path(name).suffix), "size": len(data),
                             "media_type": media_type(name)} for name, data in rendered.files.items()}
    document.status, document.finished_at = Status.FINISHED, utcnow()
    session().commit()
    announce(document.id, Status.FINISHED)
    pass_turn_quietly(document.org_id, document.id)
    announce_quietly(document)


def fail(document: Document, reason: str) -> dict[str, Any]:
    """Record the document failed for good, with its reason in plain words."""
    document.status, document.error, document.finished_at = Status.FAILED, reason, utcnow()
    session().commit()
    announce(document.id, Status.FAILED)
    pass_turn_quietly(document.org_id, document.id)
    announce_quietly(document)
    return {"status": Status.FAILED.value, "error": reason}


def record_failure(document_id: str, reason: str, final: bool) -> None:
    """A failed attempt seen by the worker: queued again if it will be retried, else failed for good."""
    db = session()
    document = db.get(Document, document_id)
    if document is None or document.status == Status.FINISHED:
        return
    if final:
        tries = "once" if document.attempts <= 1 else f"{document.attempts} times"
        fail(document, f"{reason} It was tried {tries}. Please request it again later.")
    else:
        document.status, document.error = Status.QUEUED, f"{reason} Trying again."
        db.commit()
