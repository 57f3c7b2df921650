"""RQ's failure strings, said in plain words for the person waiting for their document."""

from __future__ import annotations

REASONS = (
    ("JobTimeoutException", "Rendering took longer than the time limit and was stopped."),
    ("Work-horse terminated unexpectedly",
     "The worker rendering this document stopped unexpectedly (it may have run out of memory)."),
    ("AbandonedJobError", "The worker rendering this document went away before it finished."),
    ("Job stopped by user", "Rendering was stopped by an administrator."),
    ("OperationalError", "The database was unavailable while rendering."),
    ("StoreFull", "labdocs' file store is full, so the document could not be kept. This is labdocs' problem, not "
                  "your data's: it has been retried, and can be asked for again once space is freed."),
    ("StoreUnavailable", "labdocs' file store could not be reached, so the document could not be kept. This is "
                         "labdocs' problem, not your data's."),
    ("OSError", "The file store was unavailable while rendering."),
)


def plain_reason(exc_string: str) -> str:
    """The first known cause found in RQ's failure text, else a general one; never a traceback."""
    for marker, reason in REASONS:
        if marker in exc_string:
            return reason
    return "Rendering failed because a service labdocs depends on was briefly unavailable."


# What RQ's failure text says when the database, not the document, was at fault (connection lost or refused).
OUTAGE_MARKERS = ("OperationalError", "InterfaceError", "DisconnectionError")


def is_database_outage(exc_string: str) -> bool:
    """Whether a job failed because the database was unreachable (its attempt should not count)."""
    return any(marker in exc_string for marker in OUTAGE_MARKERS)
