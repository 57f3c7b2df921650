"""after_request: each successful change, and each download, goes into the organisation's audit trail."""

from __future__ import annotations

import logging

from flask import Response, g, request

from labdocs.audit import record

log = logging.getLogger(__name__)

CHANGES = ("POST", "PUT", "PATCH", "DELETE")
# Reads that hand out a file: who downloaded what is part of the trail; other reads are not.
DOWNLOADS = frozenset({"api.documents.download", "api.documents.download_part", "api.images.download",
                       "web.documents.download", "web.documents.part"})


def note_request(response: Response) -> Response:
    """Record the request if it changed something or downloaded a file, and succeeded; never fails the request."""
    who = g.get("caller") or g.get("person")
    changed = request.method in CHANGES or request.endpoint in DOWNLOADS
    signing = (request.endpoint or "").startswith("web.auth.")  # signing in and out is not a change to data
    if who is None or not changed or response.status_code >= 400 or signing:
        return response
    try:
        record(who.org_id, who.label, request.method, request.path, response.status_code)
    except Exception:
        log.warning("could not write the audit trail for %s %s", request.method, request.path, exc_info=True)
    return response
