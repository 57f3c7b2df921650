"""Default settings, before LABDOCS_* environment variables and create_app() overrides."""

from __future__ import annotations

from pathlib import Path
from typing import Any

# The bundled examples travel inside the installed package (found from it, never from a checkout).
EXAMPLES = Path(__file__).resolve().parent / "examples"


def default_config(instance_path: str) -> dict[str, Any]:
    """Settings that work on a fresh machine: SQLite and files under the instance folder, no Redis."""
    instance = Path(instance_path)
    return {
        "DATABASE_URL": f"sqlite:///{instance / 'labdocs.sqlite3'}",
        # Apply any migrations the database has not had when the app starts (`labdocs db upgrade` does it alone).
        "UPGRADE_DATABASE": True,
        # No Redis URL means the embedded in-process queue (fakeredis and a worker thread).
        "REDIS_URL": None,
        "QUEUE_NAME": "labdocs",
        # The job function, by import path (JSON arguments only); tests point it at a slow wrapper.
        "RENDER_JOB": "labdocs.jobs.functions.render_document",
        "FILE_STORE": str(instance / "files"),
        "JOB_TIMEOUT": 120,
        # The most text a report PDF may have (its layout time grows with it: see documents/requests.py); more is
        # refused with a 422 before queueing. The Word and web versions have no such limit.
        "REPORT_PDF_MAX_CHARS": 800_000,
        # simple: jobs run in the warm worker process (quickest; see bench/); fork: a fresh work horse per
        # job, for the most isolation. Either way a killed job is retried at once.
        "WORKER_MODE": "simple",
        "WORKER_MAX_JOBS": 1000,  # an in-process worker is replaced after this many jobs
        "WORKER_MAX_MEMORY_MB": 768,  # or after a job that left it holding more than this
        # Retries cover transient faults and killed workers; bad data fails at once.
        "JOB_RETRIES": 2,
        "RETRY_INTERVALS": [2, 10],
        # Status requests that may wait for their document at once; the rest answer straight away with
        # Retry-After, so waiting can never take every request thread (labdocs serve has 32).
        "WAIT_SLOTS": 24,
        # One organisation's share: waits held at once, and documents in the job queue at once (the rest wait
        # their turn in the database, so a burst from one organisation never queues others behind it). One
        # turn each leaves the other workers free for the other organisations; with two, on a two-core machine,
        # another organisation's report waited 3 to 4 times as long behind a burst (tests/test_turns.py).
        # Raise it where one organisation's batches should use more workers at once.
        "WAIT_SLOTS_PER_ORG": 8,
        "JOBS_PER_ORG": 1,
        # Requests one organisation may make in a minute, over the API and the web pages together (0: no
        # limit). Past it, its requests answer 429 with Retry-After until the minute is over; others are
        # not slowed. 1,200 is 20 a second: far above what people or a polling client need.
        "REQUESTS_PER_MINUTE": 1200,
        # How often the workers compare unfinished documents with the queue and repair them (and at start).
        "RECONCILE_SECONDS": 5,
        # Days a rendered document is kept before the workers remove it (0: kept until deleted); an
        # organisation may have its own (labdocs org retention). The data stays, so it can be made again.
        "DOCUMENT_RETENTION_DAYS": 0,
        "PURGE_SECONDS": 3600,  # how often the workers remove expired documents (and old audit events)
        "AUDIT_RETENTION_DAYS": 365,  # days the audit trail keeps an event (0: kept)
        # Webhooks: hosts or networks (e.g. "10.1.2.0/24") labdocs may call although they are not public, and
        # then over plain http too; how long a receiver has to answer; the waits between retries (seconds).
        "WEBHOOK_ALLOW": [],
        "WEBHOOK_TIMEOUT": 10,
        "WEBHOOK_RETRY_INTERVALS": [10, 60, 300, 1800, 7200],
        # PostgreSQL connections per process. A waiting status request holds none while it waits, so the
        # pool serves the other request threads and the embedded worker; a request that cannot get one within
        # the timeout answers 503 with Retry-After rather than queueing forever.
        "DATABASE_POOL_SIZE": 10,
        "DATABASE_MAX_OVERFLOW": 20,
        "DATABASE_POOL_TIMEOUT": 5,
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        # Photos decoded at once per process (each may take hundreds of MB), and how long an upload waits for
        # one before it is refused with 503 and Retry-After.
        "IMAGE_DECODES": 2,
        "IMAGE_DECODE_WAIT": 10,
        # Web sessions: a secret from LABDOCS_SECRET_KEY (else one kept in the instance folder), cookies
        # sent only over HTTPS (browsers count http://127.0.0.1 and localhost as secure for this).
        "SECRET_KEY": None,
        "SESSION_COOKIE_SECURE": True,
        # Wrong passwords allowed per email before sign-in is refused for the rest of the window.
        "SIGN_IN_ATTEMPTS": 5,
        "SIGN_IN_LOCK_MINUTES": 15,
        "JSON_SORT_KEYS": False,
    }
