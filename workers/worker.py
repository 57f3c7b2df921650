"""RQ workers bound to a labdocs app: engines warmed once in the parent, jobs run in its context."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask
from redis import Redis
from rq import Queue, SimpleWorker, Worker
from rq.job import Job
from rq.serializers import JSONSerializer
from rq.timeouts import TimerDeathPenalty
from rq.worker_pool import WorkerPool

from service.db import database
from service.documents import record_failure
from service.queue import job_queue
from service.render.warm import warm_engines

from .reasons import plain_reason

log = logging.getLogger(__name__)


class AppWorker:
    """Runs every job, failure record and registry clean-up inside the app it was bound to."""

    app: Flask

    def perform_job(self, job: Job, queue: Queue, execution: Any) -> bool:
        with self.app.app_context():
            return super().perform_job(job, queue, execution)  # type: ignore[misc]

    def handle_job_failure(self, job: Job, queue: Queue, started_job_registry: Any = None,
                           exc_string: str = "", execution: Any = None) -> None:
        """Let RQ retry or fail the job, then write the same outcome to the database."""
        final = not job.should_retry or self._stopped_job_id == job.id  # type: ignore[attr-defined]
        super().handle_job_failure(job, queue, started_job_registry, exc_string, execution)  # type: ignore[misc]
        with self.app.app_context():
            record_failure(job.args[0], plain_reason(exc_string), final)

    def run_maintenance_tasks(self) -> None:
        # Cleaning the started-job registry may call the failure callback of an abandoned job.
        with self.app.app_context():
            super().run_maintenance_tasks()  # type: ignore[misc]


class LabdocsWorker(AppWorker, Worker):
    """Forks a work horse per job from a parent that has already imported and warmed the engines."""

    def main_work_horse(self, job: Job, queue: Queue) -> None:
        database(self.app).after_fork()
        super().main_work_horse(job, queue)


class EmbeddedWorker(AppWorker, SimpleWorker):
    """The in-process worker for the embedded default: a thread, so no signals and no fork."""

    death_penalty_class = TimerDeathPenalty

    def _install_signal_handlers(self) -> None:
        """The host process (the web server or the demo) owns the signals."""


def bind(worker_class: type[AppWorker], app: Flask) -> type[Any]:
    """A worker class that carries its app, so RQ's pool can create workers by class alone."""
    return type(worker_class.__name__, (worker_class,), {"app": app})


def embedded_worker(app: Flask, queue: Queue) -> Worker:
    worker_class = bind(EmbeddedWorker, app)
    return worker_class([queue], connection=queue.connection, serializer=JSONSerializer)


def run_workers(app: Flask, count: int = 1, burst: bool = False) -> None:
    """Run `count` real RQ workers on the app's Redis until stopped (or, with burst, until idle)."""
    warm_engines(app)
    queue = job_queue(app).queue
    worker_class = bind(LabdocsWorker, app)
    if count == 1:
        worker = worker_class([queue], connection=queue.connection, serializer=JSONSerializer,
                              job_monitoring_interval=10, maintenance_interval=60)
        worker.work(burst=burst, with_scheduler=True, logging_level="INFO")
        return
    connection: Redis = queue.connection
    pool = WorkerPool([queue.name], connection=connection, num_workers=count,
                      worker_class=worker_class, serializer=JSONSerializer)
    pool.start(burst=burst, logging_level="INFO")
