"""Shared fixtures: apps on SQLite and PostgreSQL, API keys, the example bid, real Redis and real workers."""

from __future__ import annotations

import copy
import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import pytest
from flask import Flask
from flask.testing import FlaskClient
from redis import Redis
from sqlalchemy import text

from labdocs import create_app
from labdocs.config import EXAMPLES
from labdocs.infra.db import Base, database
from labdocs.orgs import create_org, find_org
from labdocs.users import create_user

from .swift import Swift, running_swift

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_SERVER = os.environ.get("LABDOCS_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("LABDOCS_TEST_REDIS", "redis://127.0.0.1:6379/0")
BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def example_bid_file() -> Path:
    return EXAMPLES / "bid.json"


@pytest.fixture(scope="session")
def _example_bid(example_bid_file: Path) -> dict[str, Any]:
    return json.loads(example_bid_file.read_text("utf-8"))


@pytest.fixture
def bid(_example_bid: dict[str, Any]) -> dict[str, Any]:
    """The bundled example bid (a fresh copy each test may change)."""
    return copy.deepcopy(_example_bid)


@pytest.fixture(scope="session")
def _example_report() -> dict[str, Any]:
    return json.loads((EXAMPLES / "report.json").read_text("utf-8"))


@pytest.fixture
def report(_example_report: dict[str, Any]) -> dict[str, Any]:
    """The bundled example report (invented delivery figures for the example bid)."""
    return copy.deepcopy(_example_report)


@contextmanager
def throwaway_postgres() -> Iterator[str]:
    """A new, empty PostgreSQL database (its SQLAlchemy URL), dropped afterwards."""
    name = f"labdocs_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_SERVER, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = POSTGRES_SERVER.rsplit("/", 1)[0]
    try:
        yield f"{base.replace('postgresql://', 'postgresql+psycopg://', 1)}/{name}"
    finally:
        with psycopg.connect(POSTGRES_SERVER, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A throwaway PostgreSQL database for this test session, shared by its tests (emptied for each)."""
    with throwaway_postgres() as url:
        yield url


@pytest.fixture
def empty_database_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """A database of this test's own with no tables at all, for tests of the migrations."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    else:
        with throwaway_postgres() as url:
            yield url


@pytest.fixture(params=["sqlite"])
def backend(request: pytest.FixtureRequest) -> str:
    """The database backend; tests that must run on both parametrize it with BACKENDS."""
    return request.param


@pytest.fixture
def database_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'labdocs.sqlite3'}"
    return request.getfixturevalue("postgres_url")


# --- file stores: a local folder by default, or a bucket on a real one-node Swift (tests/swift.py) ---------------
STORES = ["local", "s3"]


@pytest.fixture(scope="session")
def swift() -> Iterator[Swift]:
    """OpenStack Swift with its S3 API, started once for the session; a Swift that cannot start fails the tests."""
    try:
        with running_swift() as server:
            yield server
    except RuntimeError as exc:
        pytest.fail(f"OpenStack Swift could not be started for the S3 store's tests: {exc}")


@pytest.fixture
def s3_url(swift: Swift, monkeypatch: pytest.MonkeyPatch) -> str:
    """A new bucket's FILE_STORE (s3://bucket/files) on the test Swift, with boto3's environment pointing at it."""
    for name, value in swift.environment.items():
        monkeypatch.setenv(name, value)
    return f"s3://labdocs-{uuid.uuid4().hex[:12]}/files"


@pytest.fixture(params=["local"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The FILE_STORE: a local folder; tests that must run on both parametrize it with STORES (indirect)."""
    return request.getfixturevalue("s3_url") if request.param == "s3" else str(tmp_path / "files")


@pytest.fixture
def app_config(database_url: str, store: str) -> dict[str, Any]:
    """Settings for one test: its own database (emptied), file store and, by default, the embedded queue."""
    return {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "FILE_STORE": store,
        "REDIS_URL": None,
        "QUEUE_NAME": f"labdocs-test-{uuid.uuid4().hex[:8]}",
    }


@pytest.fixture
def make_app(app_config: dict[str, Any]) -> Iterator[Callable[..., Flask]]:
    """Build apps on this test's settings (plus overrides); their databases start empty."""
    apps: list[Flask] = []

    def build(**overrides: Any) -> Flask:
        app = create_app({**app_config, **overrides})
        if not apps:
            empty_tables(app)
        apps.append(app)
        return app

    yield build
    for app in apps:
        database(app).engine.dispose()


def empty_tables(app: Flask) -> None:
    with database(app).engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(text(f"DELETE FROM {table.name}"))


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    return make_app()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def new_key(app: Flask, name: str) -> str:
    from labdocs.orgs import create_org

    with app.app_context():
        return create_org(name)[1]


@pytest.fixture
def auth(app: Flask) -> dict[str, str]:
    """Headers carrying the API key of the organisation 'Test council'."""
    return {"Authorization": f"Bearer {new_key(app, 'Test council')}"}


@pytest.fixture
def other_auth(app: Flask) -> dict[str, str]:
    """Headers for a second, unrelated organisation."""
    return {"Authorization": f"Bearer {new_key(app, 'Another council')}"}


@pytest.fixture
def project(client: FlaskClient, auth: dict[str, str], bid: dict[str, Any]) -> dict[str, Any]:
    """The example bid, stored as a project of 'Test council'."""
    response = client.post("/api/v1/projects", json=bid, headers=auth)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


@pytest.fixture
def report_project(client: FlaskClient, auth: dict[str, str], project: dict[str, Any],
                   report: dict[str, Any]) -> dict[str, Any]:
    """The example project with its example report stored."""
    response = client.put(f"/api/v1/projects/{project['id']}/report", json=report, headers=auth)
    assert response.status_code == 201, response.get_json()
    return project


def wait_for_document(client: FlaskClient, auth: dict[str, str], url: str, timeout: float = 60,
                      until: tuple[str, ...] = ("finished", "failed")) -> dict[str, Any]:
    """Poll a document until it reaches one of `until`; fail the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = client.get(url, headers=auth).get_json()
        if body["status"] in until:
            return body
        time.sleep(0.1)  # 10 a second: well within an organisation's REQUESTS_PER_MINUTE
    raise AssertionError(f"document at {url} still {body['status']} after {timeout} s: {body}")


# --- real Redis and real worker processes --------------------------------------------------------


@pytest.fixture(scope="session")
def redis_url() -> str:
    try:
        Redis.from_url(REDIS_URL).ping()
    except Exception as exc:  # the queue tests need the real server, never a fake
        pytest.fail(f"Redis is not reachable at {REDIS_URL}: {exc}. Start it (see .ci/run).")
    return REDIS_URL


@pytest.fixture
def queued_config(app_config: dict[str, Any], redis_url: str) -> dict[str, Any]:
    """This test's settings with the real Redis queue (a queue name of its own)."""
    app_config["REDIS_URL"] = redis_url
    return app_config


@pytest.fixture
def start_worker(queued_config: dict[str, Any]) -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    """Start `labdocs worker` processes on this test's database, queue and file store."""
    processes: list[subprocess.Popen[bytes]] = []

    def start(*args: str, env: dict[str, str] | None = None, **settings: Any) -> subprocess.Popen[bytes]:
        env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
        for key, value in {**queued_config, **settings}.items():
            if value is not None and key != "TESTING":
                env[f"LABDOCS_{key}"] = value if isinstance(value, str) else json.dumps(value)
        process = subprocess.Popen([sys.executable, "-m", "labdocs.cli", "worker", *args], cwd=ROOT, env=env,
                                   start_new_session=True)
        processes.append(process)
        return process

    yield start
    for process in processes:
        stop_process(process)


def stop_process(process: subprocess.Popen[bytes], timeout: float = 15) -> None:
    """SIGTERM to the process group; SIGKILL (with a warning) if it has not stopped within `timeout` seconds."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            warnings.warn(f"process {process.pid} took over {timeout:g} s to stop; killed", stacklevel=2)
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


# The web pages' fixtures: two organisations with one person each, signed in through the real sign-in page.
PASSWORD = "a long enough password"


@pytest.fixture
def web_app(make_app: Any) -> Flask:
    app: Flask = make_app(SECRET_KEY="test-secret")
    with app.app_context():
        create_org("Rochdale Borough Council")
        create_org("Another Council")
        create_user("lead@example.org", "Rochdale Borough Council", PASSWORD)
        create_user("other@example.org", "Another Council", PASSWORD)
    return app


def token(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match[1]


def signed_in(app: Flask, email: str = "lead@example.org") -> tuple[FlaskClient, str]:
    client = app.test_client()
    page = client.get("/sign-in")
    response = client.post("/sign-in", data={"email": email, "password": PASSWORD, "csrf_token": token(page.text)})
    assert response.status_code == 303
    return client, token(client.get("/projects").text)


def new_project(client: FlaskClient, csrf: str) -> str:
    """A new bid; returns its first section's address (/projects/<id>/bid/project). A new bid opens on its task
    list (/projects/<id>/bid), whose first part that is."""
    tasks = str(client.post("/projects/new", data={"csrf_token": csrf}).headers["Location"])
    assert tasks.endswith("/bid"), tasks
    return tasks + "/project"


@pytest.fixture
def web_project_id(web_app: Flask, bid: dict[str, Any]) -> str:
    """The example bid (complete, its budget reconciled) as a project of the signed-in person's organisation."""
    from labdocs.projects import create_project

    bid["budget"][1]["quantity"] = 1
    with web_app.app_context():
        org = find_org("Rochdale Borough Council")
        assert org is not None
        return create_project(org.id, bid).id
