"""A render job that pauses on its first attempt, so a test can kill the worker mid-render."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from rq import get_current_job

from labdocs.jobs.functions import render_document


def render_after_pause(document_id: str) -> dict[str, Any]:
    """First attempt: write this process's pid to $LABDOCS_TEST_PAUSE_FILE and sleep; later attempts render."""
    job = get_current_job()
    retries = int(os.environ["LABDOCS_JOB_RETRIES"])
    first_attempt = job is not None and (job.retries_left or 0) == retries
    if first_attempt:
        Path(os.environ["LABDOCS_TEST_PAUSE_FILE"]).write_text(str(os.getpid()))
        time.sleep(float(os.environ.get("LABDOCS_TEST_PAUSE_SECONDS", "60")))
    return render_document(document_id)


def render_noting_connection(document_id: str) -> dict[str, Any]:
    """Note which process ran the job on which PostgreSQL backend, then render (slowly, so both workers work)."""
    from sqlalchemy import text

    from labdocs.infra.db import session

    backend = session().execute(text("SELECT pg_backend_pid()")).scalar()
    with Path(os.environ["LABDOCS_TEST_CONNECTIONS_FILE"]).open("a") as notes:
        notes.write(f"{os.getpid()} {backend}\n")
    time.sleep(0.3)
    return render_document(document_id)


def render_slowly_at_first(document_id: str) -> dict[str, Any]:
    """First attempt: the render itself (not the job around it) takes longer than the job's time limit."""

    job = get_current_job()
    if job is not None and (job.retries_left or 0) == int(os.environ["LABDOCS_JOB_RETRIES"]):
        import labdocs.documents.run as run

        engine = run.render

        def slow(*args: Any) -> Any:
            time.sleep(5)
            return engine(*args)
        run.render = slow  # type: ignore[assignment]
    return render_document(document_id)


def render_noting_host(document_id: str) -> dict[str, Any]:
    """Note in Redis which worker host ($LABDOCS_TEST_HOST) started and rendered each document; the first job a host
    starts after one it finished pauses mid-render (said in Redis, as the hosts share no disk), so a test can kill
    the host while the document is being made."""
    from redis import Redis

    import labdocs.documents.run as run

    job = get_current_job()
    redis = Redis.from_url(os.environ["LABDOCS_REDIS_URL"], decode_responses=True)
    notes = f"labdocs-test-hosts:{os.environ['LABDOCS_QUEUE_NAME']}"
    host = os.environ["LABDOCS_TEST_HOST"]
    redis.rpush(f"{notes}:started", f"{host} {document_id}")
    (Path(os.environ["TMPDIR"]) / f"labdocs-test-host-{host}").touch()  # the host's own disk (a private tmpfs)
    first_attempt = job is not None and (job.retries_left or 0) == int(os.environ["LABDOCS_JOB_RETRIES"])
    done_here = any(str(entry).split()[0] == host for entry in redis.lrange(notes, 0, -1))
    engine = run.render
    if first_attempt and done_here and redis.set(f"{notes}:paused", f"{host} {document_id}", nx=True):
        def paused(*args: Any) -> Any:
            time.sleep(60)
            return engine(*args)
        run.render = paused  # type: ignore[assignment]
    try:
        result = render_document(document_id)
    finally:
        run.render = engine
    redis.rpush(notes, f"{host} {document_id}")
    return result
