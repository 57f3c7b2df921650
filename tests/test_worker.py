"""workers/: the whole API flow on real Redis with real `labdocs worker` processes, and what happens when
a worker is killed, a job times out, or a worker disappears mid-render."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from redis import Redis
from rq.job import JobStatus

from labdocs.infra.db import session
from labdocs.infra.models import Document, utcnow
from labdocs.infra.queue import job_queue

from .conftest import BACKENDS, new_key, wait_for_document
from .docx_reading import open_docx, rows

pytestmark = pytest.mark.slow

PAUSING_JOB = "tests.jobs.render_after_pause"


@dataclass
class Flow:
    """An app on the real Redis queue, a signed-in organisation, and its stored example bid."""

    app: Flask
    client: FlaskClient
    auth: dict[str, str]
    project: dict[str, Any]

    def request_bid(self) -> str:
        response = self.client.post(f"/api/v1/projects/{self.project['id']}/documents", json={"kind": "bid"},
                                    headers=self.auth)
        assert response.status_code == 202, response.get_json()
        return response.headers["Location"]

    def wait(self, location: str) -> dict[str, Any]:
        return wait_for_document(self.client, self.auth, location, timeout=90)


@pytest.fixture
def flow(make_app: Callable[..., Flask], queued_config: dict[str, Any],
         bid: dict[str, Any]) -> Callable[..., Flow]:
    def build(**settings: Any) -> Flow:
        app = make_app(**settings)
        client = app.test_client()
        auth = {"Authorization": f"Bearer {new_key(app, 'Queue council')}"}
        project = client.post("/api/v1/projects", json=bid, headers=auth).get_json()
        return Flow(app, client, auth, project)
    return build


@pytest.fixture
def pausing_worker(start_worker: Callable[..., Any], tmp_path: Path) -> Callable[..., tuple[Any, int]]:
    """Start a worker, wait for the pausing job's first attempt, and return (worker, work horse pid)."""
    pause_file = tmp_path / "paused.pid"

    def start(**settings: Any) -> tuple[Any, int]:
        worker = start_worker(env={"LABDOCS_TEST_PAUSE_FILE": str(pause_file)}, **settings)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if pause_file.exists() and pause_file.read_text():
                return worker, int(pause_file.read_text())
            time.sleep(0.05)
        raise AssertionError("the pausing job never started")
    return start


@pytest.mark.parametrize("backend", BACKENDS, indirect=True)
def test_whole_flow_with_a_real_worker(flow: Callable[..., Flow], start_worker: Callable[..., Any]) -> None:
    run = flow()
    assert job_queue(run.app).embedded is False
    location = run.request_bid()
    assert run.client.get(location, headers=run.auth).get_json()["status"] == "queued"  # nothing in-process
    start_worker()
    done = run.wait(location)
    assert done["status"] == "finished", done
    data = run.client.get(done["links"]["file"], headers=run.auth).data
    assert rows(open_docx(data).tables[1])[5][3] == "£22,500.00"
    job = job_queue(run.app).queue.fetch_job(done["id"])
    assert job is not None and job.get_status() == "finished" and job.args == [done["id"]]


@pytest.mark.parametrize("backend", BACKENDS, indirect=True)
def test_two_workers_drain_a_burst(flow: Callable[..., Flow], start_worker: Callable[..., Any],
                                   bid: dict[str, Any]) -> None:
    run = flow(JOBS_PER_ORG=8)  # one organisation's burst, all in the queue at once
    locations = []
    for number in range(8):
        project = run.client.post("/api/v1/projects", json={**bid, "title": f"Lab {number}"},
                                  headers=run.auth).get_json()
        locations.append(Flow(run.app, run.client, run.auth, project).request_bid())
    start_worker("--count", "2")
    done = [run.wait(url) for url in locations]
    assert {document["status"] for document in done} == {"finished"}
    # Each rendered at the first try: a retry here would mean the workers tripped over each other.
    assert [document["attempts"] for document in done] == [1] * len(done)


def blocked_signals(pid: int, thread: int) -> set[int]:
    """The signals a thread of another process blocks, from its SigBlk mask in /proc."""
    status = Path(f"/proc/{pid}/task/{thread}/status").read_text()
    mask = int(next(line.split()[1] for line in status.splitlines() if line.startswith("SigBlk:")), 16)
    return {number for number in range(1, 65) if mask & (1 << (number - 1))}


def child_pids(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


@pytest.mark.parametrize("mode", ["simple", "fork"])
def test_a_stop_reaches_idle_workers_at_once(flow: Callable[..., Flow], start_worker: Callable[..., Any],
                                             mode: str) -> None:
    """SIGTERM to a pool of idle workers stops it in seconds, not when the queue's blocking pop times out.

    Each worker's helper threads block every signal, so the kernel can only hand one to the main thread.
    """
    run = flow()
    pool = start_worker("--count", "2", WORKER_MODE=mode)
    assert run.wait(run.request_bid())["status"] == "finished"  # the workers are up and listening
    workers = child_pids(pool.pid)
    threads = {pid: [int(t.name) for t in Path(f"/proc/{pid}/task").iterdir() if int(t.name) != pid]
               for pid in workers}
    assert all(threads.values()), f"each worker should have its command listener thread: {threads}"
    wanted = {signal.SIGTERM, signal.SIGINT, signal.SIGALRM}
    assert all(wanted <= blocked_signals(pid, t) for pid, ts in threads.items() for t in ts)
    os.killpg(pool.pid, signal.SIGTERM)  # as a service manager stopping the whole group would
    started = time.monotonic()
    assert pool.wait(timeout=10) == 0
    assert time.monotonic() - started < 5


def test_killed_work_horse_is_retried(flow: Callable[..., Flow], pausing_worker: Callable[..., Any]) -> None:
    settings = {"RENDER_JOB": PAUSING_JOB, "JOB_RETRIES": 2, "RETRY_INTERVALS": [0], "WORKER_MODE": "fork"}
    run = flow(**settings)
    location = run.request_bid()
    _, horse = pausing_worker(**settings)
    os.kill(horse, signal.SIGKILL)  # as the kernel's OOM killer would
    done = run.wait(location)
    assert done["status"] == "finished" and done["error"] is None
    job = job_queue(run.app).queue.fetch_job(done["id"])
    assert job is not None and job.retries_left == 1


def test_killed_work_horse_without_retries_fails_in_plain_words(flow: Callable[..., Flow],
                                                                pausing_worker: Callable[..., Any]) -> None:
    run = flow(RENDER_JOB=PAUSING_JOB, JOB_RETRIES=0)
    location = run.request_bid()
    _, horse = pausing_worker(JOB_RETRIES=0, WORKER_MODE="fork")
    os.kill(horse, signal.SIGKILL)
    failed = run.wait(location)
    assert failed["status"] == "failed"
    assert failed["error"] == ("The worker rendering this document stopped unexpectedly (it may have run out of "
                               "memory). It was tried once. Please request it again later.")


def test_killed_in_process_worker_is_replaced_and_its_job_retried_at_once(
        flow: Callable[..., Flow], pausing_worker: Callable[..., Any]) -> None:
    """The default worker runs jobs in its own process; if that process is killed mid-job, the pool notices
    within a second, hands the job back (recording why) and starts a new worker, which renders it."""
    settings = {"RENDER_JOB": PAUSING_JOB, "JOB_RETRIES": 1, "RETRY_INTERVALS": [0], "WORKER_MODE": "simple"}
    run = flow(**settings)
    location = run.request_bid()
    pool, worker_pid = pausing_worker(**settings)
    assert worker_pid != pool.pid  # the job ran in a pool worker, not in a forked horse of it
    os.kill(worker_pid, signal.SIGKILL)
    started = time.monotonic()
    done = run.wait(location)
    assert done["status"] == "finished" and done["error"] is None
    assert time.monotonic() - started < 20, "recovered by the pool, not by a heartbeat expiring minutes later"


def test_job_over_its_time_limit_is_stopped(flow: Callable[..., Flow], pausing_worker: Callable[..., Any]) -> None:
    run = flow(RENDER_JOB=PAUSING_JOB, JOB_RETRIES=0, JOB_TIMEOUT=1)
    location = run.request_bid()
    pausing_worker(JOB_RETRIES=0)
    failed = run.wait(location)
    assert failed["status"] == "failed"
    assert failed["error"] == ("Rendering took longer than the time limit and was stopped. It was tried once. "
                               "Please request it again later.")


def test_render_over_its_time_limit_fails_at_once_saying_why(flow: Callable[..., Flow],
                                                             start_worker: Callable[..., Any]) -> None:
    """The time limit strikes inside the render engine. The same document would take as long again, so it is
    not retried (the largest report once held the only worker for 6.5 minutes over three attempts)."""
    settings = {"RENDER_JOB": "tests.jobs.render_slowly_at_first", "JOB_RETRIES": 1, "RETRY_INTERVALS": [0],
                "JOB_TIMEOUT": 1, "WORKER_MODE": "fork"}
    run = flow(**settings)
    location = run.request_bid()
    start_worker(**settings)
    done = run.wait(location)
    assert done["status"] == "failed" and done["attempts"] == 1
    assert "took longer than 1 second to make, so it was stopped and not tried again" in done["error"]


def test_job_of_a_vanished_worker_is_recovered(flow: Callable[..., Flow], pausing_worker: Callable[..., Any],
                                               start_worker: Callable[..., Any]) -> None:
    """The whole worker dies (SIGKILL to parent and horse). RQ finds the job abandoned when cleaning its
    registries; the failure callback records it, and the retry renders it on a new worker."""
    settings = {"RENDER_JOB": PAUSING_JOB, "JOB_RETRIES": 1, "RETRY_INTERVALS": [0]}
    run = flow(**settings)
    location = run.request_bid()
    worker, _ = pausing_worker(**settings)
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait()
    with run.app.app_context():
        # A dead worker's heartbeat expires after about 70 s; clean up as if that time had passed.
        job_queue(run.app).queue.started_job_registry.cleanup(timestamp=time.time() + 3600)
    recorded = run.client.get(location, headers=run.auth).get_json()
    assert recorded["status"] == "queued"
    assert recorded["error"] == "The worker rendering this document went away before it finished. Trying again."
    start_worker(**settings)
    done = run.wait(location)
    assert done["status"] == "finished" and done["error"] is None


@pytest.mark.parametrize("backend", BACKENDS, indirect=True)
def test_report_pdf_with_a_real_worker(flow: Callable[..., Flow], start_worker: Callable[..., Any],
                                       report: dict[str, Any]) -> None:
    run = flow()
    saved = run.client.put(f"/api/v1/projects/{run.project['id']}/report", json=report, headers=run.auth)
    assert saved.status_code == 201
    start_worker()
    location = run.client.post(f"/api/v1/projects/{run.project['id']}/documents", json={"kind": "report"},
                               headers=run.auth).headers["Location"]
    done = run.wait(location)
    assert done["status"] == "finished", done
    assert all(finding["passed"] for finding in done["findings"])
    assert run.client.get(done["links"]["file"], headers=run.auth).data.startswith(b"%PDF-1.7")


def test_zine_with_a_real_worker(flow: Callable[..., Flow], start_worker: Callable[..., Any]) -> None:
    run = flow()
    zine = run.client.post(f"/api/v1/projects/{run.project['id']}/zines", headers=run.auth,
                           json={"generate": True, "format": "booklet-a5"}).get_json()
    start_worker()
    location = run.client.post(f"/api/v1/projects/{run.project['id']}/documents", headers=run.auth,
                               json={"kind": "zine", "zine": zine["id"]}).headers["Location"]
    done = run.wait(location)
    assert done["status"] == "finished", done
    names = {entry["name"] for entry in done["files"]}
    assert {"reader.pdf", "imposed.pdf", "imposed-long-edge.pdf", "preflight.json"} <= names


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
@pytest.mark.parametrize("mode", ["simple", "fork"])
def test_each_worker_process_has_its_own_database_connection(flow: Callable[..., Flow], bid: dict[str, Any],
                                                             start_worker: Callable[..., Any], tmp_path: Path,
                                                             mode: str) -> None:
    """Workers are forked from a process that has used the database; sharing its connection corrupts both."""
    notes = tmp_path / "connections.txt"
    run = flow(RENDER_JOB="tests.jobs.render_noting_connection", JOBS_PER_ORG=6)  # all six in the queue at once
    locations = []
    for number in range(6):
        project = run.client.post("/api/v1/projects", json={**bid, "title": f"Lab {number}"},
                                  headers=run.auth).get_json()
        locations.append(Flow(run.app, run.client, run.auth, project).request_bid())
    start_worker("--count", "2", WORKER_MODE=mode, env={"LABDOCS_TEST_CONNECTIONS_FILE": str(notes)})
    done = [run.wait(url) for url in locations]
    assert {document["status"] for document in done} == {"finished"}
    jobs = {d["id"]: job_queue(run.app).queue.fetch_job(d["id"]) for d in done}
    retried = [key for key, job in jobs.items() if job is None or job.retries_left != 2]
    assert retried == [], "a job failed and was retried: workers tripping over a shared connection do that"
    pairs = {tuple(line.split()) for line in notes.read_text().splitlines()}
    backends_of = {pid: {b for p, b in pairs if p == pid} for pid, _ in pairs}
    assert len(backends_of) >= 2, "both workers should have run jobs"
    shared = [b for b in {b for _, b in pairs} if len({p for p, bb in pairs if bb == b}) > 1]
    assert shared == [], f"processes shared a database connection: {pairs}"


def lose_job(run: Flow, location: str, minutes_ago: int = 5) -> str:
    """As if the queue had forgotten a document's job (Redis emptied) some minutes after it was asked for."""
    document_id = location.rsplit("/", 1)[1]
    queue = job_queue(run.app)
    queue.queue.remove(document_id)
    queue.connection.delete(f"rq:job:{document_id}")
    for key in queue.connection.scan_iter("labdocs:org:*"):  # and the organisations' turns with it
        queue.connection.delete(key)
    with run.app.app_context():
        document = session().get(Document, document_id)
        assert document is not None
        document.requested_at = utcnow() - timedelta(minutes=minutes_ago)
        session().commit()
    return document_id


def test_a_worker_starting_queues_again_what_the_queue_lost(flow: Callable[..., Flow],
                                                            start_worker: Callable[..., Any]) -> None:
    run = flow()
    location = run.request_bid()
    document_id = lose_job(run, location)
    assert not job_queue(run.app).has_job(document_id)
    start_worker()
    done = run.wait(location)
    assert done["status"] == "finished" and done["attempts"] == 1


@pytest.mark.parametrize(("minutes_ago", "requeued"), [(5, True), (0, False)])
def test_asking_about_a_lost_document_queues_it_again(flow: Callable[..., Flow], minutes_ago: int,
                                                      requeued: bool) -> None:
    """A document just asked for may not be queued yet (its request is still finishing); an older one is lost."""
    run = flow()
    location = run.request_bid()
    document_id = lose_job(run, location, minutes_ago)
    assert run.client.get(location, headers=run.auth).get_json()["status"] == "queued"
    assert job_queue(run.app).has_job(document_id) is requeued


def test_waiting_is_refused_with_retry_after_when_every_slot_is_taken(flow: Callable[..., Flow]) -> None:
    run = flow(WAIT_SLOTS=1)
    location = run.request_bid()  # no worker: it stays queued
    queue = job_queue(run.app)
    assert queue.claim_wait("another organisation")  # another request is already waiting
    try:
        started = time.monotonic()
        response = run.client.get(f"{location}?wait=5", headers=run.auth)
        assert time.monotonic() - started < 1 and response.headers["Retry-After"] == "1"
        assert response.get_json()["status"] == "queued"
    finally:
        queue.release_wait("another organisation")
    started = time.monotonic()
    response = run.client.get(f"{location}?wait=1", headers=run.auth)
    assert time.monotonic() - started >= 1 and "Retry-After" not in response.headers


def test_jobs_queued_under_the_old_paths_still_run(flow: Callable[..., Flow], start_worker: Callable[..., Any]) -> None:
    """A job queued by labdocs 0.1 names `workers.jobs.render_document`; after the move it must still render."""
    run = flow(RENDER_JOB="workers.jobs.render_document")
    location = run.request_bid()
    job = job_queue(run.app).queue.fetch_job(location.rsplit("/", 1)[-1])
    assert job is not None and job.func_name == "workers.jobs.render_document"
    start_worker()
    assert run.wait(location)["status"] == "finished"


def test_an_old_failure_callback_path_resolves_to_the_new_function(queued_config: dict[str, Any]) -> None:
    from rq import Callback, Queue
    from rq.serializers import JSONSerializer

    from labdocs.jobs import functions
    from labdocs.jobs.legacy import RenamedJob

    connection = Redis.from_url(queued_config["REDIS_URL"])
    queue = Queue(queued_config["QUEUE_NAME"], connection=connection, serializer=JSONSerializer)
    job = queue.enqueue("workers.jobs.render_document", "0" * 32, on_failure=Callback("workers.jobs.record_abandoned"))
    try:
        again = RenamedJob.fetch(job.id, connection=connection, serializer=JSONSerializer)
        assert again.failure_callback is functions.record_abandoned
        assert again.func is functions.render_document
    finally:
        job.delete()


def hold_waits(run: Flow, location: str, count: int, seconds: int) -> tuple[list[threading.Thread], list[Any]]:
    """Start `count` status requests that each wait up to `seconds` for a document nobody is rendering."""
    answers: list[Any] = []

    def wait() -> None:
        response = run.app.test_client().get(f"{location}?wait={seconds}", headers=run.auth)
        answers.append((response.status_code, response.headers.get("Retry-After")))
    threads = [threading.Thread(target=wait) for _ in range(count)]
    for thread in threads:
        thread.start()
    return threads, answers


@pytest.mark.parametrize("backend", BACKENDS, indirect=True)
def test_waiting_requests_hold_no_database_connection(flow: Callable[..., Flow]) -> None:
    """20 waits on a pool of 2 connections: before, they took the pool and other requests got 500s after 28 s."""
    run = flow(DATABASE_POOL_SIZE=2, DATABASE_MAX_OVERFLOW=0, DATABASE_POOL_TIMEOUT=3, WAIT_SLOTS_PER_ORG=24)
    location = run.request_bid()  # no worker: it stays queued
    other = {"Authorization": f"Bearer {new_key(run.app, 'Another council')}"}
    threads, answers = hold_waits(run, location, 20, 3)
    time.sleep(0.5)  # the waits are under way
    for _ in range(5):
        started = time.monotonic()
        response = run.app.test_client().get("/api/v1/projects", headers=other)
        assert response.status_code == 200 and time.monotonic() - started < 0.5
    for thread in threads:
        thread.join()
    assert [status for status, _ in answers] == [200] * 20


def test_one_organisation_holds_at_most_its_share_of_waits(flow: Callable[..., Flow]) -> None:
    run = flow(WAIT_SLOTS=24, WAIT_SLOTS_PER_ORG=3)
    location = run.request_bid()
    threads, answers = hold_waits(run, location, 6, 2)
    for thread in threads:
        thread.join()
    assert [status for status, _ in answers] == [200] * 6
    assert sum(retry == "1" for _, retry in answers) == 3  # beyond its share, told at once to ask again
    queue = job_queue(run.app)
    assert queue.org_waits == {} and queue.claim_wait("x")  # every slot given back
    queue.release_wait("x")


def settled_without_polling(app: Flask, document_ids: list[str], timeout: float) -> float:
    """Seconds until every document is finished, read from the database only (nobody asks the API)."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        with app.app_context():
            statuses = {session().get(Document, key).status for key in document_ids}  # type: ignore[union-attr]
        if statuses == {"finished"}:
            return time.monotonic() - started
        time.sleep(0.2)
    raise AssertionError(f"still {statuses} after {timeout} s")


def test_the_reconciler_repairs_lost_and_unrecorded_jobs_with_nobody_polling(flow: Callable[..., Flow],
                                                                            start_worker: Callable[..., Any],
                                                                            bid: dict[str, Any]) -> None:
    """A job RQ failed while the database was down (the database still says started), and one lost from Redis
    just now (inside the grace period, so the start-up pass leaves it): both finish within 30 s, unpolled."""
    run = flow(JOBS_PER_ORG=4)
    unrecorded = run.request_bid().rsplit("/", 1)[-1]
    other = Flow(run.app, run.client, run.auth,
                 run.client.post("/api/v1/projects", json={**bid, "title": "Lab 2"}, headers=run.auth).get_json())
    lost = other.request_bid().rsplit("/", 1)[-1]
    queue = job_queue(run.app)
    job = queue.queue.fetch_job(unrecorded)
    assert job is not None
    queue.queue.remove(unrecorded)
    job.set_status(JobStatus.FAILED)  # as RQ leaves a job whose last attempt could not be recorded
    queue.queue.remove(lost)
    queue.connection.delete(f"rq:job:{lost}")
    with run.app.app_context():
        document = session().get(Document, unrecorded)
        assert document is not None
        document.status, document.started_at = "started", utcnow() - timedelta(minutes=1)
        session().commit()
    start_worker(RECONCILE_SECONDS=2)
    took = settled_without_polling(run.app, [unrecorded, lost], timeout=30)
    print(f"reconciled in {took:.1f} s")


@pytest.mark.parametrize(("attempts", "status", "error"), [
    (1, "queued", None),
    (3, "failed", "The worker rendering this document went away before it finished. It was tried 3 times."),
])
def test_the_reconciler_fails_rather_than_loops_a_document_whose_last_attempt_died(
        flow: Callable[..., Flow], attempts: int, status: str, error: str | None) -> None:
    """A document started, its job over in RQ with nobody having recorded it: queued again while it has
    attempts left, failed with the reason once it has used them all (a render that kills its worker every
    time must not be queued again forever)."""
    from labdocs.jobs.worker import reconcile

    run = flow(JOB_RETRIES=2)
    document_id = run.request_bid().rsplit("/", 1)[-1]
    queue = job_queue(run.app)
    job = queue.queue.fetch_job(document_id)
    assert job is not None
    queue.queue.remove(document_id)
    job.set_status(JobStatus.FAILED)
    with run.app.app_context():
        document = session().get(Document, document_id)
        assert document is not None
        document.status, document.attempts = "started", attempts
        document.requested_at = document.started_at = utcnow() - timedelta(minutes=1)
        session().commit()
    reconcile(run.app)
    with run.app.app_context():
        document = session().get(Document, document_id)
        assert document is not None and document.status == status
        assert (document.error or None) == (error and f"{error} Please request it again later.")


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)  # the job notes its PostgreSQL backend
def test_a_worker_grown_past_its_memory_limit_is_replaced_after_its_job(flow: Callable[..., Flow], bid: dict[str, Any],
                                                                       start_worker: Callable[..., Any],
                                                                       tmp_path: Path) -> None:
    notes = tmp_path / "connections.txt"
    run = flow(RENDER_JOB="tests.jobs.render_noting_connection", JOBS_PER_ORG=3)
    locations = [Flow(run.app, run.client, run.auth, run.client.post(
        "/api/v1/projects", json={**bid, "title": f"Lab {n}"}, headers=run.auth).get_json()).request_bid()
        for n in range(3)]
    start_worker(WORKER_MODE="simple", WORKER_MAX_MEMORY_MB=1,  # every process is over: each does one job
                 env={"LABDOCS_TEST_CONNECTIONS_FILE": str(notes)})
    assert {run.wait(url)["status"] for url in locations} == {"finished"}
    processes = {line.split()[0] for line in notes.read_text().splitlines()}
    assert len(processes) == 3, "each job should have run in a fresh worker process"


def descendants(pid: int) -> set[int]:
    found, stack = set(), [pid]
    while stack:
        try:
            children = child_pids(stack.pop())
        except FileNotFoundError:
            continue
        found.update(children)
        stack.extend(children)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


@pytest.mark.parametrize("mode", ["simple", "fork"])
def test_workers_and_their_scheduler_die_with_a_killed_pool(flow: Callable[..., Flow],
                                                            start_worker: Callable[..., Any], mode: str) -> None:
    """kill -9 of the pool left its workers and RQ's scheduler running under PID 1, taking jobs unsupervised."""
    run = flow()
    pool = start_worker("--count", "2", WORKER_MODE=mode)
    assert run.wait(run.request_bid())["status"] == "finished"
    family = descendants(pool.pid)
    assert len(family) >= 3, f"two workers and a scheduler expected: {family}"
    pool.kill()  # only the pool parent, not its process group
    pool.wait()
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in family) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in family if alive(pid)], "children outlived their pool"
