"""`labdocs demo`: the bundled examples through the real API, queue and worker, on the embedded default."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import click
from flask.testing import FlaskClient

from labdocs import create_app
from labdocs.orgs import create_org

TIMEOUT_SECONDS = 180


def run_demo(scratch: Path, out: Path, examples: Path) -> None:
    """Create an organisation, post the example bid and report, and download every document they make."""
    started = time.perf_counter()
    app = create_app({
        "DATABASE_URL": f"sqlite:///{scratch / 'demo.sqlite3'}",
        "FILE_STORE": str(scratch / "files"),
        "REDIS_URL": None,
    })
    with app.app_context():
        organisation, key = create_org("Demo council")
    say(f"Organisation {organisation.name!r} created, API key {key[:10]}… (SQLite, embedded queue)")
    client = Demo(app.test_client(), {"Authorization": f"Bearer {key}"})
    project = client.post_project(examples / "bid.json")
    client.put_report(project["id"], examples / "report.json")
    made = [client.document(project["id"], kind, fmt, out / f"{kind}.{fmt}")
            for kind, fmt in (("bid", "docx"), ("report", "pdf"), ("report", "docx"))]
    booklet = json.loads((examples / "zine.json").read_text("utf-8"))
    made.append(client.zine(project["id"], booklet, out / "zine-booklet"))
    mini = {"generate": True, "format": "minizine-a4", "print": {"mode": "home"}}
    made.append(client.zine(project["id"], mini, out / "zine-minizine"))
    say(f"Done in {time.perf_counter() - started:.2f} s: " + ", ".join(str(path) for path in made))


def say(line: str) -> None:
    click.echo(line)


class Demo:
    """The API calls a lab lead's or coordinator's software would make, narrated."""

    def __init__(self, client: FlaskClient, headers: dict[str, str]) -> None:
        self.client, self.headers = client, headers

    def call(self, method: str, url: str, wanted: int, body: Any = None) -> Any:
        response = self.client.open(url, method=method, json=body, headers=self.headers)
        if response.status_code != wanted:
            raise click.ClickException(f"{method} {url}: expected HTTP {wanted}, got {response.status_code}: "
                                       f"{response.get_data(as_text=True)[:300]}")
        return response

    def post_project(self, path: Path) -> dict[str, Any]:
        body = self.call("POST", "/api/v1/projects", 201, json.loads(path.read_text("utf-8"))).get_json()
        say(f"POST /api/v1/projects ({path.name}) → 201, project {body['id']}")
        show_checks("The funder's rules", body["checks"])
        return body

    def put_report(self, project_id: str, path: Path) -> None:
        url = f"/api/v1/projects/{project_id}/report"
        body = self.call("PUT", url, 201, json.loads(path.read_text("utf-8"))).get_json()
        say(f"PUT {url} ({path.name}) → 201")
        show_checks("Cross-checks against the bid", body["checks"])

    def zine(self, project_id: str, body: dict[str, Any], folder: Path) -> Path:
        """Create a zine (as sent, or drafted from the project), render it, and save every output."""
        url = f"/api/v1/projects/{project_id}/zines"
        zine = self.call("POST", url, 201, body).get_json()
        how = "drafted from the project" if body.get("generate") else "as sent"
        say(f"POST {url} ({zine['zine']['format']}, {zine['zine']['print']['mode']}, {how}) → 201")
        document = self.wait(project_id, {"kind": "zine", "zine": zine["id"]})
        for entry in document["files"]:
            target = folder / entry["name"]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(self.call("GET", entry["url"], 200).data)
        preflight = json.loads((folder / "preflight.json").read_text("utf-8"))
        say(f"   {len(document['files'])} files → {folder}/ (preflight: {preflight['status']})")
        for item in preflight["checks"]:
            if item["status"] != "pass":
                say(f"   {'!' if item['status'] == 'warn' else '✗'} {item['message']}")
        return folder

    def wait(self, project_id: str, body: dict[str, Any]) -> dict[str, Any]:
        url = f"/api/v1/projects/{project_id}/documents"
        location = self.call("POST", url, 202, body).headers["Location"]
        started = time.perf_counter()
        document = self.call("GET", location, 200).get_json()
        while document["status"] not in ("finished", "failed") and time.perf_counter() - started < TIMEOUT_SECONDS:
            document = self.call("GET", f"{location}?wait=10", 200).get_json()  # held until it settles
        if document["status"] != "finished":
            raise click.ClickException(f"{body['kind']} did not render: {document['status']}: {document['error']}")
        say(f"POST {url} {json.dumps(body)} → 202; finished in {time.perf_counter() - started:.2f} s")
        return document

    def document(self, project_id: str, kind: str, fmt: str, path: Path) -> Path:
        body = self.wait(project_id, {"kind": kind, "format": fmt})
        data = self.call("GET", body["links"]["file"], 200).data
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        say(f"   → {path} ({len(data):,} bytes)")
        for finding in body["findings"]:
            say(f"   {'✓' if finding['passed'] else '✗'} {finding['message']}")
        return path


def show_checks(title: str, checks: list[dict[str, Any]]) -> None:
    if not checks:
        say(f"   {title}: nothing to fix.")
        return
    say(f"   {title} found {len(checks)} thing(s) to look at:")
    for check in checks:
        say(f"   - [{check['severity']}] {check['field']}: {check['message']}")
