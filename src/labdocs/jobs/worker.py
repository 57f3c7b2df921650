"""RQ workers bound to a labdocs app: engines warmed once in the parent, jobs run in its context."""

from __future__ import annotations

import ctypes
import gc
import logging
import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask
from redis import Redis
from rq import Queue, SimpleWorker, Worker
from rq.exceptions import StopRequested
from rq.executions import WORKER_EXECUTIONS_KEY_TEMPLATE
from rq.job import Job
from rq.registry import StartedJobRegistry
from rq.serializers import JSONSerializer
from rq.timeouts import TimerDeathPenalty
from rq.worker_pool import WorkerPool

from labdocs.documents import record_failure, requeue_orphans
from labdocs.infra.db import database, session
from labdocs.infra.models import Document, Organisation, Project, new_id, utcnow
from labdocs.infra.queue import job_queue
from labdocs.jobs.legacy import RenamedJob
from labdocs.jobs.reasons import is_database_outage, plain_reason
from labdocs.jobs.warm import warm_engines

log = logging.getLogger(__name__)


class AppWorker:
    """Runs every job, failure record and registry clean-up inside the app it was bound to."""

    app: Flask

    forked = True  # a forked worker must not share its parent's database connections

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if self.forked:
            database(self.app).after_fork()
        # Heartbeats every 10 s and registry clean-up every minute (RQ's defaults are 30 s and 10 minutes).
        kwargs.setdefault("job_monitoring_interval", 10)
        kwargs.setdefault("maintenance_interval", 60)
        super().__init__(*args, **kwargs)

    def subscribe(self) -> None:
        """Start RQ's command listener thread with every signal blocked in it.

        The kernel may hand a process's signal to any thread that does not block it. One taken by the listener
        leaves the main thread asleep in the queue's blocking pop (minutes), or a fork worker's wait for its horse,
        so a stop would go unheard and a job-timeout alarm would not interrupt. Blocked there, all go to main.
        """
        with signals_blocked():
            super().subscribe()  # type: ignore[misc]

    def perform_job(self, job: Job, queue: Queue, execution: Any) -> bool:
        with self.app.app_context():
            return super().perform_job(job, queue, execution)  # type: ignore[misc]

    def dequeue_job_and_maintain_ttl(self, timeout: int | None, max_idle_time: int | None = None) -> Any:
        """Take a job only when the database answers: one taken during an outage could only fail."""
        self.await_database()
        return super().dequeue_job_and_maintain_ttl(timeout, max_idle_time)  # type: ignore[misc]

    def await_database(self) -> None:
        """Wait, heartbeating and stoppable, until the database answers (checked every 0.5 s, backing off to 5 s)."""
        delay, since = 0.5, time.monotonic()
        while not database(self.app).is_reachable():
            if self._stop_requested:  # type: ignore[attr-defined]
                raise StopRequested
            if delay == 0.5:
                log.warning("the database is not answering: taking no jobs until it is back")
            self.heartbeat()  # type: ignore[attr-defined]
            time.sleep(delay)
            delay = min(delay * 2, 5)
        if delay > 0.5:
            log.warning("the database is back after %.1f s: taking jobs again", time.monotonic() - since)

    def handle_job_failure(self, job: Job, queue: Queue, started_job_registry: Any = None,
                           exc_string: str = "", execution: Any = None) -> None:
        """Write the outcome to the database, then let RQ retry or fail the job.

        In that order: a retry queued first could start, and then be marked queued again by this record.
        The database being what failed must not stop RQ from retrying, so a failure to record is only logged;
        and a database outage is not the document's fault, so it costs none of the document's attempts.
        """
        stopped = self._stopped_job_id == job.id  # type: ignore[attr-defined]
        if is_database_outage(exc_string) and not stopped and not database(self.app).is_reachable():
            job.retries_left = (job.retries_left or 0) + 1  # the retry below gives this attempt back
        final = not job.should_retry or stopped
        try:
            with self.app.app_context():
                record_failure(job.args[0], plain_reason(exc_string), final)
        except Exception as exc:
            log.warning("could not record the failure of document %s (%s): the reconciler will", job.args[0],
                        exc.__class__.__name__)
        super().handle_job_failure(job, queue, started_job_registry, exc_string, execution)  # type: ignore[misc]

    def run_maintenance_tasks(self) -> None:
        # Cleaning the started-job registry may call the failure callback of an abandoned job.
        with self.app.app_context():
            super().run_maintenance_tasks()  # type: ignore[misc]


class LabdocsWorker(AppWorker, Worker):
    """Forks a work horse per job from a parent that has already imported and warmed the engines."""

    def main_work_horse(self, job: Job, queue: Queue) -> None:
        database(self.app).after_fork()
        super().main_work_horse(job, queue)


class InProcessWorker(AppWorker, SimpleWorker):
    """Runs each job in the warm worker process itself: no fork, one database connection kept open.

    Quicker per job (see bench/). If a job kills the process, the pool retries it at once (RecoveringPool);
    after WORKER_MAX_JOBS jobs the process exits and the pool starts a fresh one, so memory cannot creep.
    """

    def work(self, *args: Any, **kwargs: Any) -> bool:
        kwargs.setdefault("max_jobs", self.app.config["WORKER_MAX_JOBS"])
        return bool(super().work(*args, **kwargs))

    def perform_job(self, job: Job, queue: Queue, execution: Any) -> bool:
        """Run the job; a process that grew past WORKER_MAX_MEMORY_MB stops after it and the pool starts a
        fresh one (a very large render leaves its memory with the process, not the operating system)."""
        done = super().perform_job(job, queue, execution)
        grown = resident_mb()
        if grown > self.app.config["WORKER_MAX_MEMORY_MB"]:
            log.warning("worker holds %d MB after a job (over %d MB): replacing it", grown,
                        self.app.config["WORKER_MAX_MEMORY_MB"])
            self._stop_requested = True
        return done


class EmbeddedWorker(AppWorker, SimpleWorker):
    """The in-process worker for the embedded default: a thread, so no signals and no fork."""

    death_penalty_class = TimerDeathPenalty
    forked = False  # it shares the web process's database pool, which must stay as it is

    def _install_signal_handlers(self) -> None:
        """The host process (the web server or the demo) owns the signals."""


PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """In a forked child: be sent SIGTERM when the parent dies, so no worker, work horse or scheduler is left
    running unsupervised under PID 1 (they once took new jobs after their pool was killed with -9)."""
    parent = os.getppid()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: nothing to arrange
        return
    if os.getppid() != parent:  # the parent died before the request took effect
        os.kill(os.getpid(), signal.SIGTERM)


def resident_mb() -> int:
    """This process's resident memory now (not its peak), in MB, from /proc."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") // 2**20


@contextmanager
def signals_blocked() -> Iterator[None]:
    """Block every signal in this thread for the block's duration: threads started inside inherit the mask."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, signal.valid_signals())
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def bind(worker_class: type[Any], app: Flask) -> type[Any]:
    """A worker (or pool) class that carries its app, so RQ's pool can create workers by class alone."""
    return type(worker_class.__name__, (worker_class,), {"app": app})


def embedded_worker(app: Flask, queue: Queue) -> Worker:
    worker_class = bind(EmbeddedWorker, app)
    return worker_class([queue], connection=queue.connection, serializer=JSONSerializer, job_class=RenamedJob)


def reconcile(app: Flask) -> int:
    """Compare every unfinished document with the queue and repair it; a fault here is logged, never fatal
    (the database may be the thing that is down: the next pass tries again)."""
    try:
        with app.app_context():
            count = requeue_orphans()
    except Exception as exc:
        log.warning("the reconciler could not run (%s); trying again shortly", exc.__class__.__name__)
        return 0
    if count:
        log.warning("queued %d document(s) again whose jobs were lost or ended unrecorded", count)
    return count


def purge_expired(app: Flask) -> int:
    """Remove documents past their retention (on the workers' schedule); a fault is logged, the next pass retries."""
    from labdocs.retention import purge

    try:
        with app.app_context():
            gone = purge()
    except Exception as exc:
        log.warning("expired documents could not be removed (%s); trying again later", exc.__class__.__name__)
        return 0
    if gone:
        log.info("removed %d document(s) past their retention", len(gone))
    return len(gone)


def reconcile_forever(app: Flask, stop: threading.Event) -> None:
    """The embedded queue's reconciler (and retention): a daemon thread beside the in-process worker."""
    purged_at = 0.0
    while not stop.wait(app.config["RECONCILE_SECONDS"]):
        reconcile(app)
        if time.monotonic() - purged_at >= app.config["PURGE_SECONDS"]:
            purged_at = time.monotonic()
            purge_expired(app)


def recover_lost_jobs(app: Flask) -> None:
    """The database is the record of what was asked: documents it says are waiting, whose jobs Redis has lost
    (emptied, restarted without persistence), are queued again before the workers start."""
    with app.app_context():
        count = requeue_orphans()
    if count:
        log.warning("queued %d document(s) again whose jobs the queue had lost", count)


def warm_database(app: Flask) -> None:
    """Do a job's database work once, rolled back, so SQLAlchemy's one-time work (first connect, mapper
    configuration, compiling the statements a job uses) is inherited by every work horse, not redone in each."""
    with app.app_context():
        db = session()
        org = Organisation(id=new_id(), name=f"warm-up {new_id()}")
        project = Project(id=new_id(), org_id=org.id, title="Warm-up", bid={})
        document = Document(id=new_id(), org_id=org.id, project_id=project.id, kind="bid", format="docx", input={},
                            input_hash="", requested_by="warm-up", checks=[], findings=[], files={})
        for row in (org, project, document):  # no relationships are mapped, so insert in foreign-key order
            db.add(row)
            db.flush()
        db.expire_all()
        found = db.get(Document, document.id)
        assert found is not None
        found.status, found.attempts, found.started_at = "started", 1, utcnow()
        db.flush()
        found.status, found.file_key, found.file_size, found.finished_at = "finished", "warm", 0, utcnow()
        db.flush()
        db.rollback()
        db.close()
    # Close the connection itself: processes forked from this one must each open their own. The one-time
    # setup SQLAlchemy did on it stays with the engine, which they inherit.
    database(app).engine.dispose()


WORKER_CLASSES: dict[str, type[AppWorker]] = {"fork": LabdocsWorker, "simple": InProcessWorker}


class JSONQueue(Queue):
    """RQ's queue with labdocs' JSON serializer by default.

    RQ's pool builds its workers' queues by name alone: with RQ's default (pickle) their registry clean-up
    could not read labdocs' jobs, so an abandoned job's failure callback never ran and nothing was recorded.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("serializer", JSONSerializer)
        super().__init__(*args, **kwargs)


class RecoveringPool(WorkerPool):
    """RQ's worker pool, which also retries a dead worker's job the moment it notices the death.

    RQ alone would leave the job until its heartbeat expires (a job's timeout plus a minute for in-process
    workers) and a later registry clean-up finds it.
    """

    app: Flask
    reconciled_at = 0.0
    purged_at = 0.0

    def check_workers(self, respawn: bool = True) -> None:
        """RQ's check (about every second), every RECONCILE_SECONDS the reconciler, every PURGE_SECONDS retention."""
        super().check_workers(respawn)
        if time.monotonic() - self.reconciled_at >= self.app.config["RECONCILE_SECONDS"]:
            self.reconciled_at = time.monotonic()
            reconcile(self.app)
        if time.monotonic() - self.purged_at >= self.app.config["PURGE_SECONDS"]:
            self.purged_at = time.monotonic()
            purge_expired(self.app)

    def handle_dead_worker(self, worker_data: Any) -> None:
        super().handle_dead_worker(worker_data)
        with self.app.app_context():
            recover_jobs(self.connection, worker_data.name, self._queue_names)


def recover_jobs(connection: Redis, worker_name: str, queue_names: list[str]) -> None:
    """Mark a dead worker's executions as expired and let RQ's own clean-up retry or fail them.

    The clean-up runs the jobs' failure callback, which records what happened in the database.
    """
    executions = [member.decode() if isinstance(member, bytes) else str(member)
                  for member in connection.smembers(WORKER_EXECUTIONS_KEY_TEMPLATE.format(worker_name))]
    if not executions:
        return
    for name in queue_names:
        registry = StartedJobRegistry(name, connection=connection, serializer=JSONSerializer)
        for composite in executions:
            connection.zadd(registry.key, {composite: 0}, xx=True)
        registry.cleanup()
        log.warning("worker %s died; its job(s) %s were handed back to the queue", worker_name,
                    ", ".join(sorted(executions)))


def run_workers(app: Flask, count: int = 1, burst: bool = False) -> None:
    """Run `count` real RQ workers on the app's Redis until stopped (or, with burst, until idle)."""
    os.register_at_fork(after_in_child=die_with_parent)  # every process forked below, and theirs in turn
    warm_engines(app)
    recover_lost_jobs(app)
    warm_database(app)
    # Move everything loaded so far out of the collector's reach: work horses inherit it, and a collection
    # in a horse would otherwise touch (and so copy) every inherited page. Python's docs advise this for fork.
    gc.freeze()
    queue = job_queue(app).queue
    worker_class = bind(WORKER_CLASSES[app.config["WORKER_MODE"]], app)
    pool_class = bind(RecoveringPool, app)
    pool = pool_class([queue.name], connection=queue.connection, num_workers=count, worker_class=worker_class,
                      serializer=JSONSerializer, job_class=RenamedJob, queue_class=JSONQueue)
    pool.start(burst=burst, logging_level="INFO")
