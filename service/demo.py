"""`labdocs demo`: the bundled example through the real API, queue and worker, on the embedded default."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import click
from flask.testing import FlaskClient

from . import create_app
from .orgs import create_org

POLL_SECONDS = 0.02
TIMEOUT_SECONDS = 120


def run_demo(scratch: Path, out: Path, example: Path) -> None:
    """Create an organisation, post the example bid, request the draft, wait for it, download it."""
    started = time.perf_counter()
    app = create_app({
        "DATABASE_URL": f"sqlite:///{scratch / 'demo.sqlite3'}",
        "FILE_STORE": str(scratch / "files"),
        "REDIS_URL": None,
    })
    with app.app_context():
        organisation, key = create_org("Demo council")
    say(f"1. Organisation {organisation.name!r} created; API key {key[:10]}… (SQLite, embedded queue)")
    client = app.test_client()
    headers = {"Authorization": f"Bearer {key}"}
    project = post_project(client, headers, example)
    document = request_bid(client, headers, project["id"])
    finished = wait_for(client, headers, document["links"]["self"])
    path = download(client, headers, finished, out / "bid.docx")
    say(f"5. GET {finished['links']['file']} → {path} ({path.stat().st_size:,} bytes)")
    say(f"Done in {time.perf_counter() - started:.2f} s. Open {path} in Word or LibreOffice.")


def say(line: str) -> None:
    click.echo(line)


def post_project(client: FlaskClient, headers: dict[str, str], example: Path) -> dict[str, Any]:
    response = client.post("/api/v1/projects", json=json.loads(example.read_text("utf-8")), headers=headers)
    expect(response.status_code, 201, response.get_json())
    body = response.get_json()
    say(f"2. POST /api/v1/projects ({example.name}) → 201, project {body['id']}")
    say(f"   The funder's rules found {len(body['checks'])} thing(s) to look at:")
    for check in body["checks"]:
        say(f"   - [{check['severity']}] {check['field']}: {check['message']}")
    return body


def request_bid(client: FlaskClient, headers: dict[str, str], project_id: str) -> dict[str, Any]:
    response = client.post(f"/api/v1/projects/{project_id}/documents", json={"kind": "bid", "format": "docx"},
                           headers=headers)
    expect(response.status_code, 202, response.get_json())
    say(f"3. POST /api/v1/projects/{project_id}/documents {{kind: bid, format: docx}} → 202, "
        f"Location {response.headers['Location']}")
    return response.get_json()


def wait_for(client: FlaskClient, headers: dict[str, str], url: str) -> dict[str, Any]:
    started = time.perf_counter()
    while time.perf_counter() - started < TIMEOUT_SECONDS:
        body = client.get(url, headers=headers).get_json()
        if body["status"] in ("finished", "failed"):
            break
        time.sleep(POLL_SECONDS)
    if body["status"] != "finished":
        raise click.ClickException(f"The document did not render: {body['status']}: {body['error']}")
    say(f"4. GET {url} → {body['status']} after {time.perf_counter() - started:.2f} s")
    return body


def download(client: FlaskClient, headers: dict[str, str], document: dict[str, Any], path: Path) -> Path:
    response = client.get(document["links"]["file"], headers=headers)
    expect(response.status_code, 200, response.data[:200])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(response.data)
    return path


def expect(status: int, wanted: int, body: Any) -> None:
    if status != wanted:
        raise click.ClickException(f"expected HTTP {wanted}, got {status}: {body}")
