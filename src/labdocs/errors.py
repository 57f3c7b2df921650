"""Named errors the use cases raise, in plain words for the person who caused them.

They say what went wrong, never how to answer it: `labdocs.http.errors` holds the one table from these
classes to HTTP statuses, and the command line prints the message.
"""

from __future__ import annotations

from typing import Any


class LabdocsError(Exception):
    """An error meant for the user, already in plain words; `errors` maps field paths to their problems."""

    code = "error"

    def __init__(self, message: str, errors: dict[str, Any] | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or {}
        if code:
            self.code = code


class BadRequest(LabdocsError):
    """The request itself could not be understood (not JSON, not a document labdocs makes)."""

    code = "bad_request"


class NotFound(LabdocsError):
    """No such thing, or it belongs to another organisation: the two are never told apart."""

    code = "not_found"


class Conflict(LabdocsError):
    """The thing exists, but not in a state that allows this (a duplicate name, a file not made yet)."""

    code = "conflict"


class NotReady(Conflict):
    """A document that has no file yet."""

    code = "not_ready"


class FileMissing(Conflict):
    """A finished document whose stored file has gone from the store: it can be asked for again."""

    code = "file_missing"


class NoReport(Conflict):
    """A report document asked for before the project has a report."""

    code = "no_report"


class Invalid(LabdocsError):
    """The data breaks a rule; `errors` names each field."""

    code = "validation_failed"


class ChecksFailed(Invalid):
    """strict=true, and the funder checks or cross-checks found something."""

    code = "checks_failed"


class BidIncomplete(Invalid):
    """A document asked for from a bid still being written."""

    code = "bid_incomplete"


class BadImage(Invalid):
    """An upload that is not a readable JPEG, PNG or WebP image."""

    code = "bad_image"


class TooLarge(LabdocsError):
    """An upload over the size or pixel limits."""

    code = "image_too_large"


class Unavailable(LabdocsError):
    """labdocs cannot answer now (a part of it is down or every slot is busy): nobody's fault, ask again soon.

    `retry_after` is the seconds to wait before asking again, sent as Retry-After.
    """

    code = "unavailable"

    def __init__(self, message: str, retry_after: int = 5, code: str | None = None) -> None:
        super().__init__(message, code=code)
        self.retry_after = retry_after


class TooManyRequests(LabdocsError):
    """One organisation sent more requests this minute than its share (REQUESTS_PER_MINUTE): its own fault, and
    only its own requests wait; `retry_after` says when the next minute's share starts."""

    code = "too_many_requests"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Busy(Unavailable):
    """One organisation's share of the service is in use (waits, queued documents): the others are not slowed."""

    code = "busy"


class FileRefused(Invalid):
    """An upload that is not a file labdocs can read back (not a DOCX labdocs made, damaged, or hostile)."""

    code = "file_refused"


class ChoiceNeeded(Invalid):
    """The request leaves a choice to labdocs that only the person may make (tracked changes: accept or reject)."""

    code = "choice_needed"


class Stale(Conflict):
    """What was reviewed no longer matches what is stored (the bid changed since the file was read)."""

    code = "stale"
