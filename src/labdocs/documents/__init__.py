"""Documents, the use cases: asked for (requests), made (run), waited for (waiting), and recovered (recovery)."""

from labdocs.documents.previews import page_previews, request_preview, zine_previews
from labdocs.documents.recovery import requeue_orphans
from labdocs.documents.requests import (
    dispatch,
    document_file,
    download_name,
    get_document,
    how_to_print,
    list_documents,
    recent_documents,
    request_document,
)
from labdocs.documents.run import perform_render, record_failure
from labdocs.documents.waiting import await_document

__all__ = ["await_document", "dispatch", "document_file", "download_name", "get_document", "how_to_print",
           "list_documents", "page_previews",
           "perform_render", "recent_documents", "record_failure", "request_document", "request_preview",
           "requeue_orphans", "zine_previews"]
