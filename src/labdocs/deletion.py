"""Deleting: a project (with its report, documents, photos and zines), a document, a photo or a zine.

Deleted means gone: the rows, so no URL or listing finds them and the content-hash cache cannot hand them out
again, and the stored files, once nothing else refers to them. Files are named by their content and may be shared
(two organisations can make identical files), so a file is removed only when no row anywhere still names it;
one organisation's delete can never take a file another still has.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from sqlalchemy import String, cast, delete, or_, select

from labdocs.access import owned
from labdocs.errors import Conflict
from labdocs.infra.db import session
from labdocs.infra.models import Document, ImageFile, Project, Report, Zine
from labdocs.infra.storage import file_store

log = logging.getLogger(__name__)


def delete_project(org_id: str, project_id: str) -> int:
    """Delete a project and everything made from it; returns how many stored files were removed."""
    project = owned(Project, org_id, project_id, "project")
    db = session()
    documents = list(db.scalars(select(Document).where(Document.project_id == project.id)))
    images = list(db.scalars(select(ImageFile).where(ImageFile.project_id == project.id)))
    keys = {key for document in documents for key in document_keys(document)} | {i.file_key for i in images}
    for model in (Document, ImageFile, Zine, Report):
        db.execute(delete(model).where(model.project_id == project.id))
    db.delete(project)
    db.commit()
    return remove_unreferenced(keys)


def delete_document(org_id: str, document_id: str) -> int:
    """Delete one document and its files (those nothing else names)."""
    document = owned(Document, org_id, document_id, "document")
    keys = document_keys(document)
    session().delete(document)
    session().commit()
    return remove_unreferenced(keys)


def delete_image(org_id: str, image_id: str) -> int:
    """Delete an uploaded photo, unless the report or a zine still shows it (say where, so it can be removed)."""
    image = owned(ImageFile, org_id, image_id, "image")
    used = image_uses(image)
    if used:
        raise Conflict(f"This photo is still used in {' and '.join(used)}: choose another photo (or none) there, "
                       "then delete it.")
    key = image.file_key
    session().delete(image)
    session().commit()
    return remove_unreferenced({key})


def delete_zine(org_id: str, zine_id: str) -> None:
    """Delete a zine (documents already made from it stay until they are deleted, or their retention ends)."""
    zine = owned(Zine, org_id, zine_id, "zine")
    session().delete(zine)
    session().commit()


def image_uses(image: ImageFile) -> list[str]:
    """Where the project's report and zines show this photo, in words."""
    used = []
    report = session().get(Report, image.project_id)
    studies = (report.data.get("case_studies") or []) if report else []
    used += [f"case study {n} of the report" for n, study in enumerate(studies, 1) if study.get("image") == image.id]
    for zine in session().scalars(select(Zine).where(Zine.project_id == image.project_id)):
        pages = [n for n, page in enumerate(zine.data.get("pages") or [], 1) if page.get("image") == image.id]
        used += [f"page {n} of the zine “{zine.title}”" for n in pages]
    return used


def document_keys(document: Document) -> set[str]:
    """Every stored file a document names: its own, its further files, and the photos its input names."""
    keys = {document.file_key} if document.file_key else set()
    keys |= {entry["key"] for entry in (document.files or {}).values() if isinstance(entry, dict) and "key" in entry}
    images = (document.input or {}).get("images") or {}
    return keys | {key for key in images.values() if isinstance(key, str)}


def is_referenced(key: str) -> bool:
    """Whether any row still names this stored file (a document, its further files or input, or a photo)."""
    db = session()
    if db.scalar(select(ImageFile.id).where(ImageFile.file_key == key).limit(1)):
        return True
    mentions = or_(Document.file_key == key, cast(Document.files, String).contains(key),
                   cast(Document.input, String).contains(key))
    return db.scalar(select(Document.id).where(mentions).limit(1)) is not None


def remove_unreferenced(keys: Iterable[str]) -> int:
    """Remove each stored file that nothing names any more; returns how many were removed."""
    removed = 0
    for key in sorted(set(keys)):
        if not is_referenced(key) and file_store().delete(key):
            removed += 1
    if removed:
        log.info("removed %d stored file(s) no longer named by anything", removed)
    return removed
