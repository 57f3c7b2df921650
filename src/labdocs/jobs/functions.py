"""RQ job functions. Arguments are JSON (ids only); the worker supplies the app context."""

from __future__ import annotations

from contextlib import nullcontext
from typing import Any

from flask import has_app_context
from flask.ctx import AppContext
from rq.exceptions import AbandonedJobError
from rq.job import Job

from labdocs.documents import perform_render, record_failure
from labdocs.jobs.reasons import plain_reason


def render_document(document_id: str) -> dict[str, Any]:
    """Render one requested document; the database, not Redis, records the outcome."""
    return perform_render(document_id)


def deliver_webhook(delivery_id: str) -> str:
    """Call one webhook once; raising lets RQ retry it with backoff."""
    from labdocs.webhooks import deliver

    return deliver(delivery_id)


def record_abandoned(job: Job, connection: Any, exc_type: type, exc: BaseException, tb: Any) -> None:
    """RQ's failure callback. Only a job whose whole worker died reaches it unrecorded.

    Such jobs are found by a later worker cleaning its registries; every other failure is recorded
    by the worker's handle_job_failure.
    """
    if exc_type is not AbandonedJobError:
        return
    final = not (job.retries_left and job.retries_left > 0)
    with nullcontext() if has_app_context() else own_app_context():
        record_failure(job.args[0], plain_reason("AbandonedJobError"), final)


def own_app_context() -> AppContext:
    """Registry clean-up can run outside a worker (`rq info` does it): record failures in an app of our own."""
    from labdocs import create_app

    return create_app().app_context()
