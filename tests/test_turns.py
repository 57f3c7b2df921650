"""documents/turns: an organisation's burst waits its turn in the database; another's document goes straight in.

Real Redis and real `labdocs worker` processes; the load test also runs a real `labdocs serve` on loopback.
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from labdocs.infra.db import session
from labdocs.infra.models import Document
from labdocs.infra.queue import job_queue

from .conftest import ROOT, new_key, stop_process, wait_for_document


def request_bids(app: Flask, auth: dict[str, str], project_id: str, count: int) -> list[str]:
    client = app.test_client()
    locations = []
    for _ in range(count):
        response = client.post(f"/api/v1/projects/{project_id}/documents", json={"kind": "bid"}, headers=auth)
        assert response.status_code == 202, response.get_json()
        locations.append(response.headers["Location"])
    return locations


def new_org(app: Flask, name: str, bid: dict[str, Any]) -> tuple[dict[str, str], str]:
    auth = {"Authorization": f"Bearer {new_key(app, name)}"}
    project = app.test_client().post("/api/v1/projects", json=bid, headers=auth).get_json()
    return auth, project["id"]


def in_queue(app: Flask, locations: list[str]) -> list[bool]:
    with app.app_context():
        return [job_queue().has_job(location.rsplit("/", 1)[-1]) for location in locations]


def test_a_burst_waits_its_turn_and_another_organisation_goes_first(make_app: Callable[..., Flask],
                                                                   queued_config: dict[str, Any],
                                                                   start_worker: Callable[..., Any],
                                                                   bid: dict[str, Any]) -> None:
    app = make_app(JOBS_PER_ORG=2)
    burst_auth, burst_project = new_org(app, "Busy council", bid)
    other_auth, other_project = new_org(app, "Quiet council", bid)
    burst = request_bids(app, burst_auth, burst_project, 6)
    assert in_queue(app, burst) == [True, True, False, False, False, False]  # the rest wait in the database
    other = request_bids(app, other_auth, other_project, 1)
    assert in_queue(app, other) == [True]
    start_worker()
    client = app.test_client()
    for location in burst:
        assert wait_for_document(client, burst_auth, location, timeout=90)["status"] == "finished"
    assert wait_for_document(client, other_auth, other[0])["status"] == "finished"
    with app.app_context():
        order = [d.id for d in session().scalars(select(Document).order_by(Document.finished_at))]
    # One worker: the two burst documents in the queue first, then the other organisation's, then the rest.
    assert order.index(other[0].rsplit("/", 1)[-1]) == 2


def test_polling_a_waiting_document_does_not_jump_the_turns(make_app: Callable[..., Flask],
                                                            queued_config: dict[str, Any],
                                                            bid: dict[str, Any]) -> None:
    """A document waiting its turn looks lost (queued, no job): recovery must queue it only in turn."""
    app = make_app(JOBS_PER_ORG=1)
    auth, project_id = new_org(app, "Busy council", bid)
    first, waiting = request_bids(app, auth, project_id, 2)
    with app.app_context():
        document = session().get(Document, waiting.rsplit("/", 1)[-1])
        assert document is not None
        document.requested_at = document.requested_at.replace(year=2020)  # long past the grace period
        session().commit()
    assert app.test_client().get(waiting, headers=auth).get_json()["status"] == "queued"
    assert in_queue(app, [first, waiting]) == [True, False]


# --- the load test: a real server and workers on loopback, bounded in count and time --------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def serve(queued_config: dict[str, Any]) -> Iterator[str]:
    """`labdocs serve` on this test's database, queue and file store; yields its URL."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for key, value in queued_config.items():
        if value is not None and key != "TESTING":
            env[f"LABDOCS_{key}"] = value if isinstance(value, str) else json.dumps(value)
    process = subprocess.Popen([sys.executable, "-m", "labdocs.cli", "serve", "--port", str(port)], cwd=ROOT,
                               env=env, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(f"{url}/sign-in", timeout=2)
            break
        except OSError:
            time.sleep(0.1)
    yield url
    stop_process(process, timeout=30)


def call(url: str, auth: dict[str, str], method: str = "GET", body: Any = None) -> tuple[int, Any, float]:
    """One API call: (status, JSON body, seconds taken)."""
    status, document, seconds, _ = call_with_headers(url, auth, method, body)
    return status, document, seconds


def call_with_headers(url: str, auth: dict[str, str], method: str = "GET",
                      body: Any = None) -> tuple[int, Any, float, Any]:
    """One API call: (status, JSON body, seconds taken, headers)."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={**auth, "Content-Type": "application/json"})
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read()), time.monotonic() - started, response.headers
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}"), time.monotonic() - started, error.headers


REPORT_PDF = {"kind": "report", "format": "pdf"}


def finish_time(url: str, auth: dict[str, str], project_id: str) -> float:
    """Seconds from asking for a report PDF to its being finished, waiting with ?wait= as a client would."""
    started = time.monotonic()
    status, document, _ = call(f"{url}/api/v1/projects/{project_id}/documents", auth, "POST", REPORT_PDF)
    assert status == 202
    while document["status"] not in ("finished", "failed"):
        _, document, _ = call(f"{url}/api/v1/documents/{document['id']}?wait=30", auth)
    assert document["status"] == "finished", document
    return time.monotonic() - started


def fresh(app: Flask, auth: dict[str, str], project_id: str, report: dict[str, Any], number: int) -> str:
    """The project with a report changed a little, so its next PDF is rendered rather than reused."""
    changed = {**report, "notice": f"Version {number}"}
    assert app.test_client().put(f"/api/v1/projects/{project_id}/report", json=changed, headers=auth).status_code == 200
    return project_id


@pytest.mark.slow
def test_one_organisations_load_does_not_slow_another(make_app: Callable[..., Flask], queued_config: dict[str, Any],
                                                      start_worker: Callable[..., Any], serve: str,
                                                      bid: dict[str, Any], report: dict[str, Any]) -> None:
    """One organisation holds 40 waits and queues 50 report PDFs on two workers; another's listing stays quick
    and its report PDF finishes within twice its unloaded time.

    With one turn per organisation (the default), one of the two workers is always free for the others; with
    two (JOBS_PER_ORG=2) on a two-core machine the other's PDF took 3.2 to 4 times its unloaded time.
    """
    app = make_app()
    busy_auth, busy_project = new_org(app, "Busy council", bid)
    quiet_auth, quiet_project = new_org(app, "Quiet council", bid)
    client = app.test_client()
    for auth, project_id in ((busy_auth, busy_project), (quiet_auth, quiet_project)):
        assert client.put(f"/api/v1/projects/{project_id}/report", json=report, headers=auth).status_code == 201
    start_worker()
    start_worker()
    for _ in range(2):  # warm the server and both workers
        finish_time(serve, quiet_auth, quiet_project)
    unloaded = statistics.median(finish_time(serve, quiet_auth, fresh(app, quiet_auth, quiet_project, report, n))
                                 for n in range(3))

    burst = [call(f"{serve}/api/v1/projects/{busy_project}/documents", busy_auth, "POST", REPORT_PDF)[1]["id"]
             for _ in range(50)]
    waits: list[int] = []
    stop = threading.Event()

    def hold() -> None:
        while not stop.is_set():
            status, _, _, headers = call_with_headers(f"{serve}/api/v1/documents/{burst[-1]}?wait=30", busy_auth)
            waits.append(status)
            stop.wait(float(headers.get("Retry-After") or 0))  # told to ask again later: does, as clients do
    holders = [threading.Thread(target=hold) for _ in range(40)]
    for thread in holders:
        thread.start()
    time.sleep(1)
    try:
        listing = [call(f"{serve}/api/v1/projects", quiet_auth)[2] for _ in range(40)]
        loaded = finish_time(serve, quiet_auth, fresh(app, quiet_auth, quiet_project, report, 99))
    finally:
        stop.set()
        for thread in holders:
            thread.join()
    p95 = statistics.quantiles(listing, n=20)[-1]
    print(f"unloaded {unloaded:.2f} s, loaded {loaded:.2f} s, listing p95 {p95 * 1000:.0f} ms, "
          f"waits {len(waits)} ({waits.count(429)} refused with 429)")
    assert p95 < 0.5, f"listing projects took {p95:.2f} s at p95 under another organisation's load"
    assert loaded < 2 * unloaded, f"{loaded:.2f} s under load against {unloaded:.2f} s unloaded"
    # No 500s: beyond its share of waits a wait answers at once to ask again (200 with Retry-After), and a
    # client asking 40 times a second is past its organisation's REQUESTS_PER_MINUTE (429, also with Retry-After).
    assert set(waits) <= {200, 429} and 200 in waits
