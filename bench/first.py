"""The first document after a start against the tenth: `labdocs serve` on the embedded queue, and `labdocs worker`
on Redis, each started afresh, then report PDFs asked for one after another (each from a different project, so
none comes from the cache). Warm-up before listening or before the first job should make them cost the same."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from labdocs.config import EXAMPLES

from .e2e import BID, ROOT, Client, Server, free_port, wait_for

REPORT = json.loads((EXAMPLES / "report.json").read_text("utf-8"))


@contextlib.contextmanager
def started(redis_url: str | None) -> Iterator[tuple[Server, float]]:
    """A fresh service (with a fresh worker on Redis), and the seconds until it answered."""
    with tempfile.TemporaryDirectory(prefix="labdocs-first-") as scratch:
        folder = Path(scratch)
        env = {**os.environ, "PYTHONPATH": str(ROOT), "LABDOCS_DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
               "LABDOCS_FILE_STORE": str(folder / "files"), "LABDOCS_SECRET_KEY": uuid.uuid4().hex,
               "LABDOCS_QUEUE_NAME": f"first-{uuid.uuid4().hex[:8]}", "LABDOCS_REDIS_URL": redis_url or ""}
        cli = [sys.executable, "-m", "labdocs.cli"]
        key = subprocess.run([*cli, "org", "create", "First council"], env=env, cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout.strip()
        port, began = free_port(), time.perf_counter()
        commands = [[*cli, "serve", "--port", str(port)], *([[*cli, "worker"]] if redis_url else [])]
        processes = [subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL, start_new_session=True) for command in commands]
        try:
            wait_for(port)
            if redis_url:
                wait_for_worker(redis_url, env["LABDOCS_QUEUE_NAME"])
            yield Server("127.0.0.1", port, key, processes[-1]), time.perf_counter() - began
        finally:
            for process in processes:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=30)


def wait_for_worker(redis_url: str, queue: str) -> None:
    """Until the worker listens on its queue: it registers once its engines are warm."""
    from redis import Redis

    connection = Redis.from_url(redis_url)
    for _ in range(1200):
        if connection.scard(f"rq:workers:{queue}"):
            return
        time.sleep(0.05)
    raise RuntimeError("labdocs worker did not start")


def report_seconds(client: Client) -> float:
    """One project with its report, then its report PDF from request to download."""
    project = client.json("POST", "/api/v1/projects", {**BID, "title": f"First lab {uuid.uuid4().hex[:10]}"})
    client.call("PUT", f"/api/v1/projects/{project['id']}/report", REPORT)
    began = time.perf_counter()
    status = client.json("POST", f"/api/v1/projects/{project['id']}/documents", {"kind": "report", "format": "pdf"})
    while status["status"] not in ("finished", "failed"):
        status = client.wait(status["links"]["self"])
    code, data = client.call("GET", status["links"]["file"])
    assert code == 200 and data[:5] == b"%PDF-", f"the report PDF did not arrive: {status.get('error')}"
    return time.perf_counter() - began


def measure(redis_url: str | None, later: int = 9) -> dict[str, Any]:
    """Seconds to start, the first report PDF, and the median of the next `later`."""
    with started(redis_url) as (server, seconds_to_start):
        client = Client(server)
        first = report_seconds(client)
        rest = [report_seconds(client) for _ in range(later)]
    warm = statistics.median(rest)
    return {"queue": "Redis, labdocs worker" if redis_url else "embedded", "start_s": round(seconds_to_start, 2),
            "first_ms": round(first * 1000), "warm_ms": round(warm * 1000), "ratio": round(first / warm, 2)}


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(prog="python -m bench.first")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    options = parser.parse_args()
    print(json.dumps([measure(None), measure(options.redis)]))
