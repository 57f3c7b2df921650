"""End to end through the HTTP API: `labdocs serve` and `labdocs worker --count N` on a real Redis, clients
submitting bids, polling until finished and downloading. Latency at 1, 4 and 16 concurrent clients, a burst
of 200, identical repeats, and the workers' memory as jobs accumulate."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from labdocs.config import EXAMPLES

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Server:
    host: str
    port: int
    key: str
    worker: subprocess.Popen[bytes]


POSTGRES = os.environ.get("LABDOCS_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
BID = json.loads((EXAMPLES / "bid.json").read_text("utf-8"))
REPORT = json.loads((EXAMPLES / "report.json").read_text("utf-8"))


class Client:
    """One client: a keep-alive connection, as a browser or integration would hold."""

    def __init__(self, server: Server) -> None:
        self.connection = http.client.HTTPConnection(server.host, server.port, timeout=60)
        self.headers = {"Authorization": f"Bearer {server.key}", "Content-Type": "application/json"}

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, bytes]:
        """One request; a 429 (the organisation's requests a minute) waits as Retry-After says and asks again."""
        while True:
            self.connection.request(method, path, body=json.dumps(body) if body is not None else None,
                                    headers=self.headers)
            response = self.connection.getresponse()
            data = response.read()
            if response.status != 429:
                return response.status, data
            time.sleep(float(response.getheader("Retry-After") or 1))

    def json(self, method: str, path: str, body: Any = None) -> Any:
        return json.loads(self.call(method, path, body)[1])

    def wait(self, path: str) -> Any:
        """Ask for a document's status, held until it settles; a busy server says when to ask again."""
        self.connection.request("GET", path + "?wait=10", headers=self.headers)
        response = self.connection.getresponse()
        status = json.loads(response.read())
        if response.status == 429:
            time.sleep(float(response.getheader("Retry-After") or 1))
            return self.wait(path)
        if response.getheader("Retry-After") and status["status"] not in ("finished", "failed"):
            time.sleep(float(response.getheader("Retry-After") or 1))
        return status

    def document(self, project_id: str, ask: dict[str, Any] | None = None) -> tuple[float, dict[str, Any]]:
        """Submit (a bid DOCX unless asked otherwise), poll until finished, download: the seconds, the status."""
        started = time.perf_counter()
        ask = ask or {"kind": "bid"}
        status = self.json("POST", f"/api/v1/projects/{project_id}/documents", ask)
        while status["status"] not in ("finished", "failed"):  # the server holds each request until it is done
            status = self.wait(status["links"]["self"])
        if status["status"] == "finished":
            code, data = self.call("GET", status["links"]["file"])
            magic = b"%PDF" if ask.get("format") == "pdf" else b"PK"  # a DOCX, or a zine's zip
            assert code == 200 and data.startswith(magic), f"the download is not what {ask} makes"
        return time.perf_counter() - started, status


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def database_url(folder: Path) -> tuple[str, str]:
    """PostgreSQL when one answers (a throwaway database), else SQLite: the URL and which it is."""
    server = POSTGRES
    try:
        import psycopg

        name = f"labdocs_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(server, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        base = server.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
        return f"{base}/{name}", "PostgreSQL"
    except Exception:
        return f"sqlite:///{folder / 'bench.sqlite3'}", "SQLite"


@contextlib.contextmanager
def file_store(kind: str, folder: Path) -> Iterator[dict[str, str]]:
    """The settings for a local folder, or for a new bucket on a one-node Swift started for the run (tests/swift.py:
    Debian's packages, its S3 API), with boto3's environment pointing at it."""
    if kind == "local":
        yield {"LABDOCS_FILE_STORE": str(folder / "files")}
        return
    from tests.swift import running_swift

    with running_swift() as swift:
        yield {**swift.environment, "LABDOCS_FILE_STORE": f"s3://labdocs-bench-{uuid.uuid4().hex[:8]}/files"}


@contextlib.contextmanager
def running(workers: int, redis_url: str, mode: str = "fork", settings: dict[str, str] | None = None,
            store: str = "local") -> Iterator[tuple[Server, str]]:
    with tempfile.TemporaryDirectory(prefix="labdocs-bench-") as scratch, \
            file_store(store, Path(scratch)) as store_settings:
        folder = Path(scratch)
        url, kind = database_url(folder)
        env = {**os.environ, "PYTHONPATH": str(ROOT), "LABDOCS_DATABASE_URL": url, "LABDOCS_REDIS_URL": redis_url,
               **store_settings, "LABDOCS_QUEUE_NAME": f"bench-{uuid.uuid4().hex[:8]}",
               "LABDOCS_SECRET_KEY": uuid.uuid4().hex, "LABDOCS_WORKER_MODE": mode, **(settings or {})}
        cli = [sys.executable, "-m", "labdocs.cli"]
        key = subprocess.run([*cli, "org", "create", "Bench council"], env=env, cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout.strip()
        port = free_port()
        logs = Path(os.environ["LABDOCS_BENCH_LOGS"]) if os.environ.get("LABDOCS_BENCH_LOGS") else None
        serve = subprocess.Popen([*cli, "serve", "--port", str(port)], env=env, cwd=ROOT,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        worker = subprocess.Popen([*cli, "worker", "--count", str(workers)], env=env, cwd=ROOT,
                                  stdout=(logs / "worker.log").open("w") if logs else subprocess.DEVNULL,
                                  stderr=subprocess.STDOUT, start_new_session=True)
        try:
            wait_for(port)
            yield Server("127.0.0.1", port, key, worker), kind
        finally:
            for process in (serve, worker):
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=30)
            drop(url)


def wait_for(port: int) -> None:
    for _ in range(300):
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return
        time.sleep(0.05)
    raise RuntimeError("labdocs serve did not start")


def drop(url: str) -> None:
    if url.startswith("postgresql"):
        import psycopg

        name = url.rsplit("/", 1)[1]
        server = POSTGRES
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def projects(server: Server, count: int) -> list[str]:
    """Distinct bids (each title different), so no request is answered from the cache."""
    client = Client(server)
    return [client.json("POST", "/api/v1/projects", {**BID, "title": f"Bench lab {uuid.uuid4().hex[:10]}"})["id"]
            for _ in range(count)]


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def spread(seconds: list[float]) -> dict[str, float]:
    """The median and 95th percentile, in milliseconds."""
    return {"p50_ms": round(statistics.median(seconds) * 1000, 1), "p95_ms": round(percentile(seconds, 0.95) * 1000, 1)}


def latency(server: Server, clients: int, per_client: int) -> dict[str, Any]:
    ids = projects(server, clients * per_client)
    lanes = [ids[i::clients] for i in range(clients)]

    def lane(project_ids: list[str]) -> list[float]:
        client = Client(server)
        return [client.document(project_id)[0] for project_id in project_ids]

    with ThreadPoolExecutor(clients) as pool:
        seconds = [s for result in pool.map(lane, lanes) for s in result]
    return {"clients": clients, "documents": len(seconds), **spread(seconds)}


def burst(server: Server, count: int = 200, clients: int = 16) -> dict[str, Any]:
    """Submit `count` bids as fast as 16 clients can, and time until the last is downloaded."""
    ids = projects(server, count)
    lanes = [ids[i::clients] for i in range(clients)]
    failures = []

    def lane(project_ids: list[str]) -> None:
        client = Client(server)
        for project_id in project_ids:
            _, status = client.document(project_id)
            if status["status"] != "finished":
                failures.append(status)

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(lane, lanes))
    elapsed = time.perf_counter() - started
    return {"documents": count, "seconds": round(elapsed, 2), "per_second": round(count / elapsed, 1),
            "failed": len(failures)}


def repeat(server: Server, times: int = 30) -> dict[str, Any]:
    """The same document asked for again: answered from the stored file, with no render."""
    [project_id] = projects(server, 1)
    client = Client(server)
    client.document(project_id)
    seconds, reused = [], []
    for _ in range(times):
        elapsed, status = client.document(project_id)
        seconds.append(elapsed)
        reused.append(status["reused"] and status["attempts"] == 0)
    return {"requests": times, **spread(seconds), "all_reused_without_render": all(reused)}


def worker_rss(worker: subprocess.Popen[bytes]) -> dict[str, int]:
    """Resident memory (kB) of the pool and of each worker it runs (its children; a fork-mode work horse is a
    grandchild, transient, and not counted). Workers are forks of the pool, so their command lines match it."""
    rss = {}
    for pid in (worker.pid, *children(worker.pid)):
        with contextlib.suppress(OSError):
            status = Path(f"/proc/{pid}/status").read_text()
            rss[str(pid)] = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS")))
    return rss


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == pid:
                    found.append(int(entry.name))
    return found


def render_mixed(server: Server, count: int) -> dict[str, int]:
    """`count` jobs, one in ten a report PDF and one in ten a zine (the 8-page booklet drafted from the project),
    the rest bid DOCX: every engine in the same worker processes, each document new (nothing from the cache)."""
    client, made = Client(server), {"bid": 0, "report": 0, "zine": 0}
    for number, project_id in enumerate(projects(server, count)):
        if number % 10 == 3:
            client.call("PUT", f"/api/v1/projects/{project_id}/report", REPORT)
            ask = {"kind": "report", "format": "pdf"}
        elif number % 10 == 7:
            zine = client.json("POST", f"/api/v1/projects/{project_id}/zines", {"generate": True})
            ask = {"kind": "zine", "zine": zine["id"]}
        else:
            ask = {"kind": "bid"}
        _, status = client.document(project_id, ask)
        assert status["status"] == "finished", status
        made[ask["kind"]] += 1
    return made


def mixed_memory(workers: int, redis_url: str, total: int = 500, mode: str = "simple") -> dict[str, Any]:
    """The workers' memory at job 50 and at job `total` with reports and zines mixed in among the bids."""
    with running(workers, redis_url, mode, batch_settings(workers)) as (server, database):
        made = render_mixed(server, 50)
        rss_50 = rss_after_settling(server)
        began = time.perf_counter()
        later = render_mixed(server, total - 50)
        seconds = time.perf_counter() - began
        rss_end = rss_after_settling(server)
    kinds = {kind: made[kind] + later[kind] for kind in made}
    return {"workers": workers, "database": database, "mode": mode, "kinds": kinds, "seconds": round(seconds, 1),
            "memory": memory_change(server.worker.pid, rss_50, rss_end, total)}


def render_more(server: Server, count: int) -> None:
    client = Client(server)
    for project_id in projects(server, count):
        client.document(project_id)


def rss_after_settling(server: Server) -> dict[str, int]:
    time.sleep(0.3)  # let the last work horse exit, so only the long-lived workers are counted
    return worker_rss(server.worker)


def memory_change(pool: int, at_50: dict[str, int], at_end: dict[str, int], jobs: int) -> dict[str, Any]:
    """The workers' memory after 50 jobs and at the end; growth here would be a leak in rendering."""
    workers_50 = sum(kb for pid, kb in at_50.items() if pid != str(pool))
    workers_end = sum(kb for pid, kb in at_end.items() if pid != str(pool))
    return {"jobs": jobs, "pool_kb": at_end.get(str(pool), 0), "workers_kb_at_50": workers_50,
            "workers_kb_at_end": workers_end, "change": round(workers_end / workers_50 - 1, 3),
            "same_workers": sorted(at_50) == sorted(at_end)}


def run(workers: int, redis_url: str, quick: bool = False, mode: str = "fork", store: str = "local") -> dict[str, Any]:
    """Every end-to-end figure, counting renders so worker memory is read at job 50 and job 500."""
    total = 120 if quick else 500
    with running(workers, redis_url, mode, batch_settings(workers), store) as (server, database):
        results: dict[str, Any] = {"workers": workers, "database": database, "mode": mode, "store": store}
        render_more(server, 50)
        rss_50 = rss_after_settling(server)
        rendered = 50
        per_client = 5 if quick else 20
        results["latency"] = []
        for clients in (1, 4, 16):
            row = latency(server, clients, max(2, per_client // max(1, clients // 4)))
            results["latency"].append(row)
            rendered += row["documents"]
        results["burst"] = burst(server, 50 if quick else 200)
        results["repeat"] = repeat(server)
        rendered += results["burst"]["documents"] + 1
        render_more(server, max(0, total - rendered))
        rss_total = rss_after_settling(server)
        results["memory"] = memory_change(server.worker.pid, rss_50, rss_total, max(total, rendered))
        return results


def batch_settings(workers: int) -> dict[str, str]:
    """The bench is one organisation's batch: let it use every worker (LABDOCS_JOBS_PER_ORG) and lift the
    requests-a-minute limit, as an installation set up for a network-wide run would. The limits that keep one
    organisation from slowing another are measured in tests/test_turns.py, not here."""
    return {"LABDOCS_JOBS_PER_ORG": str(2 * workers), "LABDOCS_REQUESTS_PER_MINUTE": "0"}


def scale(workers: int, redis_url: str, count: int, mode: str = "fork") -> dict[str, Any]:
    """A burst through `workers` workers: documents per second, and each document's latency meanwhile."""
    with running(workers, redis_url, mode, batch_settings(workers)) as (server, database):
        render_more(server, 4)  # every worker has taken a job: none is still starting
        ids, clients = projects(server, count), 16
        seconds: list[float] = []

        def lane(project_ids: list[str]) -> None:
            client = Client(server)
            seconds.extend(client.document(project_id)[0] for project_id in project_ids)

        began = time.perf_counter()
        with ThreadPoolExecutor(clients) as pool:
            list(pool.map(lane, [ids[i::clients] for i in range(clients)]))
        elapsed = time.perf_counter() - began
    return {"workers": workers, "database": database, "documents": count,
            "per_second": round(count / elapsed, 1), **spread(seconds)}


if __name__ == "__main__":
    # Run on its own, so the clients' timings are not stretched by a heap full of the in-process renders.
    import argparse

    parser = argparse.ArgumentParser(prog="python -m bench.e2e")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--mode", default="simple")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--store", choices=["local", "s3"], default="local",
                        help="the file store: a local folder, or a bucket on a Swift started for the run")
    parser.add_argument("--scale", type=int, nargs="*", help="only a burst through each of these worker counts")
    parser.add_argument("--mixed", type=int, help="only worker memory over this many jobs, reports and zines mixed in")
    options = parser.parse_args()
    if options.mixed:
        print(json.dumps(mixed_memory(options.workers, options.redis, options.mixed, options.mode)))
    elif options.scale:
        print(json.dumps([scale(n, options.redis, 60 if options.quick else 200, options.mode) for n in options.scale]))
    else:
        print(json.dumps(run(options.workers, options.redis, quick=options.quick, mode=options.mode,
                             store=options.store)))
