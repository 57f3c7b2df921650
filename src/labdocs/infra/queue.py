"""The job queue in the app: RQ on Redis, or, with no Redis URL, RQ on an in-process fake Redis."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app
from redis import Redis
from rq import Callback, Queue, Retry
from rq.job import Job
from rq.serializers import JSONSerializer

EXTENSION = "labdocs.queue"
FAILURE_CALLBACK = "labdocs.jobs.functions.record_abandoned"
DELIVERY_JOB = "labdocs.jobs.functions.deliver_webhook"

# Makes the in-process worker for the embedded queue; the app supplies it (jobs sit above this layer).
WorkerFactory = Callable[[Flask, Queue], Any]


class JobQueue:
    """Enqueues render jobs with JSON arguments; runs its own worker thread when embedded."""

    def __init__(self, app: Flask, embedded_worker: WorkerFactory | None = None) -> None:
        self.app = app
        self.embedded_worker = embedded_worker
        self.embedded = not app.config["REDIS_URL"]
        self.connection = embedded_redis() if self.embedded else Redis.from_url(app.config["REDIS_URL"])
        self.queue = Queue(app.config["QUEUE_NAME"], connection=self.connection, serializer=JSONSerializer)
        self.wait_slots = threading.BoundedSemaphore(app.config["WAIT_SLOTS"])
        self.org_waits: dict[str, int] = {}  # waits held per organisation, bounded by WAIT_SLOTS_PER_ORG
        self.stopping = threading.Event()  # set when the server is stopping: waits answer with what they have
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def claim_wait(self, org_id: str) -> bool:
        """Take one of the server's waiting slots for this organisation, if it has not used up its share."""
        with self._lock:
            if self.org_waits.get(org_id, 0) >= self.app.config["WAIT_SLOTS_PER_ORG"]:
                return False
            if not self.wait_slots.acquire(blocking=False):
                return False
            self.org_waits[org_id] = self.org_waits.get(org_id, 0) + 1
            return True

    def release_wait(self, org_id: str) -> None:
        with self._lock:
            self.org_waits[org_id] -= 1
            if not self.org_waits[org_id]:
                del self.org_waits[org_id]
            self.wait_slots.release()

    def take_turn(self, org_id: str, document_id: str, limit: int) -> bool:
        """Count the document among its organisation's jobs in the queue, if fewer than `limit` are there.

        True only for the caller that added it, so two passing on turns at once never queue one job twice.
        """
        key = turns_key(org_id)
        self.prune_turns(key)
        if not self.connection.zadd(key, {document_id: time.time()}, nx=True):
            return False  # already in the queue, or being queued by someone else this moment
        if int(self.connection.zcard(key)) > limit:  # two at once may both step back: the next turn takes them
            self.connection.zrem(key, document_id)
            return False
        return True

    def count_request(self, org_id: str) -> tuple[int, int]:
        """Count one request in its organisation's current minute: (requests so far, seconds left in it)."""
        key = f"labdocs:org:{org_id}:requests:{int(time.time() // 60)}"
        pipe = self.connection.pipeline()
        pipe.incr(key)
        pipe.expire(key, 61, nx=True)
        count, _ = pipe.execute()
        return int(count), 60 - int(time.time()) % 60

    def enqueue_delivery(self, delivery_id: str) -> None:
        """A webhook call as a job of its own, retried with backoff (at once on the embedded queue)."""
        config = self.app.config
        intervals = 0 if self.embedded else config["WEBHOOK_RETRY_INTERVALS"]
        self.queue.enqueue(DELIVERY_JOB, delivery_id, job_id=f"delivery-{delivery_id}", job_timeout=60,
                           retry=Retry(max=len(config["WEBHOOK_RETRY_INTERVALS"]), interval=intervals),
                           result_ttl=24 * 3600, failure_ttl=7 * 24 * 3600)

    def end_turn(self, org_id: str, document_id: str) -> None:
        self.connection.zrem(turns_key(org_id), document_id)

    def prune_turns(self, key: str) -> None:
        """Forget turns whose job is over, or gone for longer than queueing takes (a worker that died, a
        Redis emptied), so they do not block the organisation's next documents."""
        ranked: list[Any] = self.connection.zrange(key, 0, -1, withscores=True)
        entries = [(text(member), float(score)) for member, score in ranked]
        if not entries:
            return
        pipe = self.connection.pipeline()
        for member, _ in entries:
            pipe.hget(Job.key_for(member), "status")
        for (member, since), status in zip(entries, pipe.execute(), strict=True):
            gone = status is None and time.time() - since > TURN_GRACE_SECONDS
            if gone or (status is not None and text(status) in OVER):
                self.connection.zrem(key, member)

    def job_state(self, document_id: str) -> str | None:
        """RQ's state of the document's job (queued, started, scheduled, finished, failed…), None if it has none."""
        state = self.connection.hget(Job.key_for(document_id), "status")
        return text(state) if state is not None else None

    def has_job(self, document_id: str) -> bool:
        """Whether the queue still knows this document's job (an in-process queue forgets on restart)."""
        return bool(self.connection.exists(Job.key_for(document_id)))

    def enqueue_render(self, document_id: str) -> None:
        config = self.app.config
        if self.job_state(document_id) in OVER:  # a job that ended without the database hearing: start afresh
            self.connection.delete(Job.key_for(document_id))
        # The embedded queue has no scheduler process, so its retries go straight back on the queue.
        intervals = 0 if self.embedded else config["RETRY_INTERVALS"]
        retries = config["JOB_RETRIES"]
        self.queue.enqueue(
            config["RENDER_JOB"],
            document_id,
            job_id=document_id,
            job_timeout=config["JOB_TIMEOUT"],
            retry=Retry(max=retries, interval=intervals) if retries > 0 else None,
            on_failure=Callback(FAILURE_CALLBACK),
            result_ttl=24 * 3600,
            failure_ttl=7 * 24 * 3600,
            description=f"render document {document_id}",
        )
        if self.embedded:
            self.start_embedded_worker()

    def start_embedded_worker(self) -> None:
        """Start the in-process worker on first use, never at import or app creation."""
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return
            if self.embedded_worker is None:
                raise RuntimeError("the embedded queue was set up without a worker factory")
            worker = self.embedded_worker(self.app, self.queue)
            self._thread = threading.Thread(target=worker.work, kwargs={"logging_level": "WARNING"},
                                            name="labdocs-embedded-worker", daemon=True)
            self._thread.start()


# RQ job states after which a job holds no turn.
OVER = {"finished", "failed", "stopped", "canceled"}
# A turn taken but with no job yet is being queued; longer than this, the job was lost.
TURN_GRACE_SECONDS = 10


def text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def turns_key(org_id: str) -> str:
    """The Redis set of an organisation's documents that are in the job queue (its turns)."""
    return f"labdocs:org:{org_id}:jobs"


def channel(document_id: str) -> str:
    return f"labdocs:document:{document_id}"


def announce(document_id: str, status: str) -> None:
    """Tell anyone waiting on this document that it has finished or failed (best effort: they also poll)."""
    try:
        job_queue().connection.publish(channel(document_id), status)
    except Exception:  # a missed announcement only means a waiter notices at its next check
        current_app.logger.warning("could not announce document %s", document_id, exc_info=True)


def wait_for(document_id: str, org_id: str, seconds: float, settled: Callable[[], bool]) -> bool:
    """Block up to `seconds` until the document is announced finished or failed, or `settled()` says so.

    False, at once, when every waiting slot is taken, or the organisation holds its share of them: the
    caller should ask again a little later.
    """
    queue = job_queue()
    if not queue.claim_wait(org_id):
        return False
    pubsub = queue.connection.pubsub(ignore_subscribe_messages=True)
    try:
        pubsub.subscribe(channel(document_id))
        deadline = time.monotonic() + seconds
        while not settled() and time.monotonic() < deadline and not queue.stopping.is_set():  # after subscribing
            if pubsub.get_message(timeout=min(1.0, max(0.0, deadline - time.monotonic()))):
                return True
    finally:
        pubsub.close()
        queue.release_wait(org_id)
    return True


def embedded_redis() -> Redis:
    import fakeredis

    return fakeredis.FakeStrictRedis(server=fakeredis.FakeServer())


def init_queue(app: Flask, embedded_worker: WorkerFactory | None = None) -> None:
    """The app's queue; `embedded_worker` makes the in-process worker when there is no Redis."""
    app.extensions[EXTENSION] = JobQueue(app, embedded_worker)


def job_queue(app: Flask | None = None) -> JobQueue:
    return (app or current_app).extensions[EXTENSION]
