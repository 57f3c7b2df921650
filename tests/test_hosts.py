"""Two worker "hosts" that share nothing but the services: each `labdocs worker` runs in a network namespace of its
own, reaching Redis (with a password), PostgreSQL and Swift's S3 API over a veth link, on a private tmpfs (so no
disk is shared). A burst renders through both; one host is killed mid-job and its job finishes on the other, and
every document's bytes come from the object store."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import boto3
import pytest
from flask import Flask
from redis import Redis
from redis.exceptions import AuthenticationError
from rq import Worker

from labdocs.infra.db import session
from labdocs.infra.models import Document
from labdocs.infra.queue import job_queue
from labdocs.infra.s3store import CLIENT_CONFIG

from .conftest import ROOT, new_key, wait_for_document
from .pgcluster import Cluster, private_postgres
from .swift import Swift, free_port, running_swift

pytestmark = pytest.mark.slow

NOTING_JOB = "tests.jobs.render_noting_host"
HOSTS = ("a", "b")
PASSWORD = secrets.token_hex(12)


def host_address(index: int) -> tuple[str, str]:
    """The link's two ends for host `index`: the services' side and the host's side (one /30 each)."""
    return f"10.77.{index + 1}.1", f"10.77.{index + 1}.2"


def ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True, timeout=30)


@contextmanager
def namespaces(tag: str) -> Iterator[dict[str, str]]:
    """A network namespace per host, each with a veth pair to this machine; removed afterwards."""
    made: dict[str, str] = {}
    try:
        for index, host in enumerate(HOSTS):
            name, outside, inside = f"labdocs-{tag}-{host}", f"ld{tag}{host}0", f"ld{tag}{host}1"
            ours, theirs = host_address(index)
            ip("netns", "add", name)
            made[host] = name
            ip("link", "add", outside, "type", "veth", "peer", "name", inside)
            ip("link", "set", inside, "netns", name)
            ip("addr", "add", f"{ours}/30", "dev", outside)
            ip("link", "set", outside, "up")
            ip("-n", name, "addr", "add", f"{theirs}/30", "dev", inside)
            ip("-n", name, "link", "set", inside, "up")
            ip("-n", name, "link", "set", "lo", "up")
        yield made
    finally:
        for host, name in made.items():
            kill_namespace(name)
            with contextlib.suppress(subprocess.CalledProcessError):
                ip("link", "del", f"ld{tag}{host}0")  # usually gone with its namespace's end
            with contextlib.suppress(subprocess.CalledProcessError):
                ip("netns", "del", name)


def kill_namespace(name: str) -> None:
    """SIGKILL every process in the namespace, as a host losing power would."""
    listed = subprocess.run(["ip", "netns", "pids", name], capture_output=True, text=True, timeout=30).stdout
    for pid in (int(line) for line in listed.split()):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


@contextmanager
def password_redis(addresses: list[str]) -> Iterator[str]:
    """A Redis of this test's own, with a password, listening on the links and loopback; its URL from here."""
    port = free_port()
    process = subprocess.Popen(["redis-server", "--port", str(port), "--bind", *addresses, "--requirepass",
                                PASSWORD, "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL)
    url = f"redis://:{PASSWORD}@127.0.0.1:{port}/0"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                Redis.from_url(url).ping()
                break
            except Exception:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


class LinkedCluster(Cluster):
    """The private PostgreSQL listening on the links too, trusting the hosts' addresses."""

    listen = "127.0.0.1"

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses={self.listen} -c unix_socket_directories={self.folder} " \
            "-c fsync=off"
        self.run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t", "30", "start")


@contextmanager
def linked_postgres(addresses: list[str]) -> Iterator[Cluster]:
    with private_postgres() as cluster:
        linked = LinkedCluster(cluster.folder, cluster.port)
        linked.listen = ",".join(addresses)
        cluster.stop()
        with (cluster.data / "pg_hba.conf").open("a") as hba:
            hba.write("host all all 10.77.0.0/16 trust\n")
        linked.start()
        yield linked


def start_host(namespace: str, host: str, services: str, settings: dict[str, Any], swift: Swift,
               private: Path) -> subprocess.Popen[bytes]:
    """`labdocs worker` inside the namespace, with a private tmpfs mounted over `private` (its instance folder
    and scratch), seen only by the host. Not over /tmp: the checkout (and its venv) may live there."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LABDOCS_TEST_HOST": host, "PRIVATE": str(private),
           "LABDOCS_INSTANCE_PATH": str(private / "instance"), "TMPDIR": str(private), **swift.environment,
           "AWS_ENDPOINT_URL_S3": swift.endpoint_at(services)}
    for key, value in settings.items():
        env[f"LABDOCS_{key}"] = value if isinstance(value, str) else json.dumps(value)
    for key in ("DATABASE_URL", "REDIS_URL"):  # the services as this host sees them: across its link
        env[f"LABDOCS_{key}"] = env[f"LABDOCS_{key}"].replace("127.0.0.1", services)
    script = 'mount -t tmpfs -o size=512m labdocs-host "$PRIVATE" && mkdir "$PRIVATE/instance" && exec "$@"'
    return subprocess.Popen(["ip", "netns", "exec", namespace, "unshare", "--mount", "--propagation", "private",
                             "sh", "-c", script, "sh", sys.executable, "-m", "labdocs.cli", "worker"],
                            cwd=ROOT, env=env, start_new_session=True)


def await_workers(redis_url: str, queue: str, count: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    redis = Redis.from_url(redis_url)
    while time.monotonic() < deadline:
        if len([w for w in Worker.all(connection=redis) if queue in w.queue_names()]) >= count:
            return
        time.sleep(0.2)
    raise AssertionError(f"{count} workers did not start within {timeout:g} s")


def await_key(redis: Redis, key: str, timeout: float = 90) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := redis.get(key):
            return str(value)
        time.sleep(0.1)
    raise AssertionError(f"{key} never set")


@pytest.mark.skipif(os.geteuid() != 0, reason="network namespaces need root")
def test_two_hosts_share_only_the_services_and_one_finishes_what_the_other_dropped(
        make_app: Callable[..., Flask], bid: dict[str, Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    tag = uuid.uuid4().hex[:4]
    links = [host_address(index)[0] for index in range(len(HOSTS))]
    with (namespaces(tag) as spaces, password_redis(["127.0.0.1", *links]) as redis_url,
          linked_postgres(["127.0.0.1", *links]) as postgres, running_swift(bind_ip="0.0.0.0") as swift):
        for name, value in swift.environment.items():
            monkeypatch.setenv(name, value)
        queue = f"labdocs-hosts-{tag}"
        settings = {"DATABASE_URL": postgres.url, "REDIS_URL": redis_url, "QUEUE_NAME": queue,
                    "FILE_STORE": f"s3://labdocs-hosts-{tag}/files", "RENDER_JOB": NOTING_JOB, "JOB_RETRIES": 1,
                    "RETRY_INTERVALS": [0], "JOBS_PER_ORG": 8}
        app = make_app(**settings)
        client = app.test_client()
        auth = {"Authorization": f"Bearer {new_key(app, 'Network council')}"}
        privates = {host: tmp_path / f"host-{host}" for host in HOSTS}
        for folder in privates.values():
            folder.mkdir()
        workers = {host: start_host(spaces[host], host, links[index], settings, swift, privates[host])
                   for index, host in enumerate(HOSTS)}
        try:
            await_workers(redis_url, queue, len(HOSTS))
            locations = []
            for number in range(8):
                project = client.post("/api/v1/projects", json={**bid, "title": f"Lab {number}"},
                                      headers=auth).get_json()
                asked = client.post(f"/api/v1/projects/{project['id']}/documents", json={"kind": "bid"},
                                    headers=auth)
                assert asked.status_code == 202, asked.get_json()
                locations.append(asked.headers["Location"])
            redis = Redis.from_url(redis_url, decode_responses=True)
            notes = f"labdocs-test-hosts:{queue}"
            killed, dropped = await_key(redis, f"{notes}:paused").split()
            location = next(url for url in locations if url.endswith(dropped))
            assert wait_for_document(client, auth, location, until=("started",))["status"] == "started"
            kill_namespace(spaces[killed])
            workers[killed].wait(timeout=30)
            others = [url for url in locations if not url.endswith(dropped)]
            assert {wait_for_document(client, auth, url, timeout=120)["status"] for url in others} == {"finished"}
            with app.app_context():  # RQ notices a dead worker when its heartbeat expires; as if that had passed
                job_queue(app).queue.started_job_registry.cleanup(timestamp=time.time() + 3600)
            done = [wait_for_document(client, auth, url, timeout=120) for url in locations]
        finally:
            for process in workers.values():
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
            for process in workers.values():  # before the services they talk to stop
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
        assert {document["status"] for document in done} == {"finished"}, done
        rendered = [str(entry).split() for entry in redis.lrange(notes, 0, -1)]
        survivor = next(host for host in HOSTS if host != killed)
        assert {host for host, _ in rendered} == set(HOSTS)  # the burst went through both hosts
        assert [host for host, document in rendered if document == dropped] == [survivor]
        started = [str(entry).split() for entry in redis.lrange(f"{notes}:started", 0, -1)]
        assert [host for host, document in started if document == dropped] == [killed, survivor]
        again = next(document for document in done if document["id"] == dropped)
        assert again["attempts"] == 2 and again["error"] is None
        bucket = boto3.client("s3", config=CLIENT_CONFIG)
        for document in done:
            with app.app_context():
                key = session().get(Document, document["id"]).file_key  # type: ignore[union-attr]
            served = client.get(document["links"]["file"], headers=auth)
            stored = bucket.get_object(Bucket=f"labdocs-hosts-{tag}", Key=f"files/{key}")["Body"].read()
            assert served.status_code == 200 and served.data == stored
        assert not [path for folder in privates.values() for path in folder.iterdir()]  # each wrote on its own tmpfs
        with pytest.raises(AuthenticationError):  # the queue on the links takes no one without the password
            Redis(host=links[0], port=int(redis_url.rsplit(":", 1)[1].split("/")[0])).ping()

    listed = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    assert f"labdocs-{tag}-" not in listed  # nothing of the hosts is left on the machine
    assert not [link for link in Path("/sys/class/net").iterdir() if link.name.startswith(f"ld{tag}")]
