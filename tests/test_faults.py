"""Fault drills with real processes: a private PostgreSQL cluster stopped under load, real Redis, real workers.

Each drill asserts what the database says afterwards and how long recovery took, with nobody polling.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from redis import Redis
from sqlalchemy import select

from labdocs.infra.db import session
from labdocs.infra.models import Document
from labdocs.infra.queue import job_queue
from labdocs.jobs.worker import JSONQueue

from .conftest import new_key
from .pgcluster import Cluster, private_postgres, wait_until_answers
from .test_outages import assert_unavailable
from .test_worker import PAUSING_JOB, Flow

pytestmark = pytest.mark.slow

OUTAGE_SECONDS = 20
BACKLOG = 30


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    with private_postgres() as running:
        yield running


def settled(app: Flask, ids: list[str]) -> list[Document]:
    """Every document's row as the database has it now, read afresh."""
    with app.app_context():
        rows = list(session().scalars(select(Document).where(Document.id.in_(ids))))
        session().expunge_all()
    return rows


def await_settled(app: Flask, ids: list[str], timeout: float) -> float:
    """Seconds until every document is finished or failed in the database (nobody asks the API)."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            if all(row.status in ("finished", "failed") for row in settled(app, ids)):
                return time.monotonic() - started
        except Exception:  # the database may still be coming back
            pass
        time.sleep(0.25)
    statuses = sorted(row.status for row in settled(app, ids))
    raise AssertionError(f"not settled after {timeout} s: {statuses}")


def request_reports(run: Flow, report: dict[str, Any], bid: dict[str, Any], count: int) -> list[str]:
    """`count` report PDFs, each of a project of its own (so none is served from another's cache)."""
    ids = []
    for number in range(count):
        project = run.client.post("/api/v1/projects", json={**bid, "title": f"Outage lab {number}"},
                                  headers=run.auth).get_json()
        assert run.client.put(f"/api/v1/projects/{project['id']}/report", json=report,
                              headers=run.auth).status_code == 201
        response = run.client.post(f"/api/v1/projects/{project['id']}/documents",
                                   json={"kind": "report", "format": "pdf"}, headers=run.auth)
        assert response.status_code == 202, response.get_json()
        ids.append(response.get_json()["id"])
    return ids


def await_progress(app: Flask, ids: list[str], timeout: float = 60) -> float:
    """Seconds until one more document finishes than had when this was called: the workers are taking jobs."""
    started = time.monotonic()
    before = sum(row.status == "finished" for row in settled(app, ids))
    while sum(row.status == "finished" for row in settled(app, ids)) == before:
        assert time.monotonic() - started < timeout, "nothing finished after the database came back"
        time.sleep(0.1)
    return time.monotonic() - started


def await_started(app: Flask, ids: list[str], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not any(row.status == "started" for row in settled(app, ids)):
        assert time.monotonic() < deadline, "no document started"
        time.sleep(0.05)


def test_a_database_outage_costs_no_attempts_and_the_backlog_recovers(
        cluster: Cluster, make_app: Callable[..., Flask], start_worker: Callable[..., Any], bid: dict[str, Any],
        report: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    """30 report PDFs queued, PostgreSQL stopped for 20 s mid-render: the API answers 503 meanwhile, workers
    take no jobs while it is down, no attempt is spent on it, and every document finishes after it is back."""
    settings = {"DATABASE_URL": cluster.url, "JOBS_PER_ORG": BACKLOG, "RECONCILE_SECONDS": 2}
    app = make_app(**settings)
    client = app.test_client()
    run = Flow(app, client, {"Authorization": f"Bearer {new_key(app, 'Outage council')}"}, {})
    ids = request_reports(run, report, bid, BACKLOG)
    for _ in range(2):
        start_worker(**settings)
    await_started(app, ids)
    cluster.stop()
    down_at = time.monotonic()
    assert_unavailable(client.get("/api/v1/projects", headers=run.auth))
    assert_unavailable(client.get(f"/api/v1/documents/{ids[0]}", headers=run.auth))
    time.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - down_at)))  # the outage itself, not a wait for luck
    cluster.start()
    wait_until_answers(cluster.url)
    resumed = await_progress(app, ids)
    took = await_settled(app, ids, timeout=240)
    rows = settled(app, ids)
    assert {row.status for row in rows} == {"finished"}, [(row.status, row.error) for row in rows]
    assert all(row.error is None for row in rows)
    # At most the one attempt a render was in when the database went away (it is counted when it starts).
    assert max(row.attempts for row in rows) <= 2
    with capsys.disabled():
        print(f"\n{BACKLOG} PDFs, {OUTAGE_SECONDS} s outage: the next finished {resumed:.1f} s and all {took:.1f} s "
              f"after the database came back; attempts {sorted(row.attempts for row in rows)}")
    assert resumed < 15  # a worker checks every 5 s at most, then one render


def test_the_service_answers_503_while_postgresql_restarts_and_commits_nothing_half(
        cluster: Cluster, make_app: Callable[..., Flask], bid: dict[str, Any]) -> None:
    """Requests during a restart get the one error shape with Retry-After (never a 500 or a plain-text page);
    after it, everything the service said it stored is there, and nothing it refused is."""
    app = make_app(DATABASE_URL=cluster.url)
    client, auth = app.test_client(), {"Authorization": f"Bearer {new_key(app, 'Restart council')}"}
    stored = client.post("/api/v1/projects", json=bid, headers=auth)
    assert stored.status_code == 201
    cluster.stop()
    refused = [client.post("/api/v1/projects", json={**bid, "title": f"During {n}"}, headers=auth) for n in range(3)]
    refused += [client.get("/api/v1/projects", headers=auth), client.get("/", headers=auth)]
    cluster.start()
    for response in refused[:4]:
        assert_unavailable(response)
    assert refused[4].status_code in (302, 503)  # the web page: sign-in redirect needs no database, or 503
    wait_until_answers(cluster.url)
    listed = client.get("/api/v1/projects", headers=auth).get_json()
    assert [item["title"] for item in listed["projects"]] == [bid["title"]]


def test_a_whole_pool_killed_on_the_last_attempt_is_recorded_by_the_next_pools_clean_up(
        make_app: Callable[..., Flask], queued_config: dict[str, Any], start_worker: Callable[..., Any],
        bid: dict[str, Any], tmp_path: Any) -> None:
    """RQ's pool builds its workers' queues by name; their registry clean-up must read labdocs' JSON jobs, so
    the failure callback records the death (it used to raise UnpicklingError and record nothing)."""
    settings = {"RENDER_JOB": PAUSING_JOB, "JOB_RETRIES": 0}
    app = make_app(**settings)
    client, auth = app.test_client(), {"Authorization": f"Bearer {new_key(app, 'Pool council')}"}
    project = client.post("/api/v1/projects", json=bid, headers=auth).get_json()
    location = client.post(f"/api/v1/projects/{project['id']}/documents", json={"kind": "bid"},
                           headers=auth).headers["Location"]
    pause = tmp_path / "paused.pid"
    worker = start_worker(env={"LABDOCS_TEST_PAUSE_FILE": str(pause)}, **settings)
    deadline = time.monotonic() + 30
    while not (pause.exists() and pause.read_text()):
        assert time.monotonic() < deadline, "the job never started"
        time.sleep(0.05)
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait()
    connection = Redis.from_url(queued_config["REDIS_URL"])
    pool_queue = JSONQueue(job_queue(app).queue.name, connection=connection)  # as RQ's pool builds it
    with app.app_context():
        pool_queue.started_job_registry.cleanup(timestamp=time.time() + 3600)
    recorded = client.get(location, headers=auth).get_json()
    assert recorded["status"] == "failed"
    assert recorded["error"].startswith("The worker rendering this document went away before it finished.")
