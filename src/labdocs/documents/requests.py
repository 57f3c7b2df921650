"""Asking for a document: the data it is made from, reuse of an identical one, queueing, and its files."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date
from typing import Any, cast

from flask import Response, current_app
from sqlalchemy import select

from labdocs.access import owned
from labdocs.documents.run import fail
from labdocs.documents.turns import queue_in_turn
from labdocs.domain.crosscheck import check_report
from labdocs.domain.rules import Check
from labdocs.domain.text import strings_in
from labdocs.errors import FileMissing, Invalid, NotFound, NotReady, Unavailable
from labdocs.infra.db import session
from labdocs.infra.models import Document, Project, Status, utcnow
from labdocs.infra.storage import file_store
from labdocs.projects import enforce_strict, require_complete
from labdocs.register import canonical_names, check_names
from labdocs.render import TEMPLATES, BidPayload, PagePayload, Payload, ReportPayload, ZinePayload
from labdocs.render.kinds import find_kind, template_version
from labdocs.reports import check_images, get_report, require_report
from labdocs.webhooks import announce_quietly
from labdocs.zines import check_images as zine_images
from labdocs.zines import get_zine
from labdocs.zines import how_to_print as zine_steps


def prepare(project: Project, kind: str, zine_id: str | None) -> tuple[Payload, list[Check]]:
    """The data a document of this kind is made from, as it is now, and the findings about it."""
    today = date.today().isoformat()
    if kind == "zine":
        zine = get_zine(project.org_id, zine_id or "")
        if zine.project_id != project.id:
            raise NotFound("There is no such zine in this project.")
        return ZinePayload(zine=zine.data, images=zine_images(project, zine.data), generated_on=today,
                           zine_id=zine.id), []
    bid = require_complete(project)
    if kind == "report":
        report = require_report(project).data
        images = check_images(project, report)
        payload = ReportPayload(bid=bid.bid, report=report, images=images, generated_on=today)
        return payload, check_report(bid.bid, report)
    if kind == "page":
        stored = get_report(project)
        names = canonical_names([bid.bid["lead_organisation"], *(p["name"] for p in bid.bid["partners"])])
        return PagePayload(bid=bid.bid, report=stored.data if stored else None, names=names,
                           generated_on=today, award=project.award), check_names(bid.bid)
    return BidPayload(bid=bid.bid, generated_on=today), bid.checks


def request_document(project: Project, kind: str, fmt: str, strict: bool, requested_by: str,
                     zine_id: str | None = None) -> Document:
    """Record a request; reuse an identical finished document, or leave a queued one for a worker."""
    payload, checks = prepare(project, kind, zine_id)
    if kind == "report" and fmt == "pdf":
        check_pdf_size(cast(ReportPayload, payload)["report"])
    if strict:
        enforce_strict(checks, kind)
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


def check_pdf_size(report: dict[str, Any]) -> None:
    """Refuse, before queueing, a report PDF too large to lay out within the time limit, naming what makes it so.

    Layout time grows with the text: on the two-core test machine about 56 µs a character (200 activities of
    2,000 characters: 22 s), so REPORT_PDF_MAX_CHARS (800,000) keeps the largest well inside 120 s under load.
    """
    limit = current_app.config["REPORT_PDF_MAX_CHARS"]
    sizes = {key: sum(len(text) for _, text in strings_in(value)) for key, value in report.items()}
    total = sum(sizes.values())
    if total <= limit:
        return
    biggest = max(sizes, key=lambda key: sizes[key])
    raise Invalid(f"This report has {total:,} characters of text; a PDF can be made from up to {limit:,} within the "
                  "time limit. Shorten it, or ask for the Word or web page version, which have no such limit.",
                  {biggest: [f"{sizes[biggest]:,} characters: the largest part of the report. Shorten it."]})


def fingerprint(kind: str, fmt: str, payload: Payload) -> str:
    """Same kind, format, templates and data: same fingerprint, so the same file."""
    canonical = json.dumps(
        {"kind": kind, "format": fmt, "templates": template_version(TEMPLATES, kind, fmt), "input": payload},
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def reuse_identical(document: Document) -> None:
    """Point a request at the file of an identical finished document in the same organisation."""
    earlier = session().scalar(
        select(Document)
        .where(Document.org_id == document.org_id, Document.input_hash == document.input_hash,
               Document.status == Status.FINISHED)
        .order_by(Document.finished_at.desc())
        .limit(1)
    )
    if earlier is None or not earlier.file_key or not file_store().exists(earlier.file_key):
        return
    now = utcnow()
    document.status, document.started_at, document.finished_at = Status.FINISHED, now, now
    document.file_key, document.file_size = earlier.file_key, earlier.file_size
    document.findings, document.files = earlier.findings, earlier.files
    document.reused_from, document.render_ms = earlier.id, 0


def dispatch(document: Document) -> Document:
    """Queue a newly requested document for a worker in its organisation's turn (a reused one is already
    finished; one beyond its organisation's turns waits in the database for the next).

    If the queue refuses the job, the record says so, rather than waiting for a render that never comes.
    """
    if document.status != Status.QUEUED:
        announce_quietly(document)  # reused: finished at once, and webhooks hear of it as of any other
        return document
    try:
        queue_in_turn(document)
    except Exception as exc:
        fail(document, "The job queue could not be reached, so nothing was rendered. Please try again shortly.")
        raise Unavailable("The job queue could not be reached, so the document was not started. Nothing you "
                          "sent is wrong: ask again in a few seconds.") from exc
    return document


def get_document(org_id: str, document_id: str) -> Document:
    """The organisation's document; another organisation's is as absent as a missing one (404)."""
    return owned(Document, org_id, document_id, "document")


def list_documents(org_id: str, project_id: str) -> list[Document]:
    """A project's documents, newest first."""
    query = (select(Document).where(Document.org_id == org_id, Document.project_id == project_id)
             .order_by(Document.requested_at.desc()))
    return list(session().scalars(query))


def recent_documents(org_id: str, limit: int = 20) -> list[Document]:
    """The organisation's latest documents across its projects, newest first."""
    query = select(Document).where(Document.org_id == org_id).order_by(Document.requested_at.desc()).limit(limit)
    return list(session().scalars(query))


def document_file(document: Document, name: str | None = None, **options: Any) -> Response:
    """A response with the stored file of a finished document (or one of its further files, as the media type
    recorded for it), sent with send_file's options; 409 while it is being made, 404 for a name it lacks."""
    if document.status != Status.FINISHED or not document.file_key:
        raise NotReady(f"This document is {document.status}; there is no file yet.")
    if name is None:
        return existing(document, document.file_key, options)
    entry = (document.files or {}).get(name)
    if entry is None:
        raise NotFound(f"This document has no file called {name!r}.")
    return existing(document, entry["key"], {"mimetype": entry["media_type"], **options})


def existing(document: Document, key: str, options: dict[str, Any]) -> Response:
    """The file if it is in the store; a file removed from the store behind labdocs' back fails the document
    (so nothing lists it as ready) and says to ask for it again, which makes it anew."""
    try:
        return file_store().send(key, **options)
    except FileNotFoundError:
        pass
    document.status, document.error = Status.FAILED, MISSING
    session().commit()
    raise FileMissing(MISSING)


MISSING = "The stored file of this document is missing (it was removed from labdocs' file store). Ask for the " \
    "document again to make it anew."


def slug(document: Document) -> str:
    """The document's title in ASCII letters, digits and hyphens, for safe filenames."""
    source = document.input.get("bid") or document.input.get("zine") or {}
    title = str(source.get("title", ""))
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60].strip("-") or "labdocs"


def download_name(document: Document, name: str | None = None) -> str:
    """The filename a download is saved as: the title, then the kind, or the further file's own name."""
    if name is None:
        return f"{slug(document)}-{document.kind}{find_kind(document.kind, document.format).suffix}"
    return f"{slug(document)}-{name.replace('/', '-')}"


def how_to_print(document: Document) -> list[str]:
    """A made zine's print instructions: the editor's for the data it was made from (zines.how_to_print), the
    same steps its zip's preflight.txt gives; empty for other documents (a zine's page previews included)."""
    if (document.kind, document.format) != ("zine", "zip") or document.status != Status.FINISHED:
        return []
    return zine_steps((document.input or {}).get("zine") or {})
