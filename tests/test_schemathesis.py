"""The API against its own description, by schemathesis (PyPI) on a live `labdocs serve`: generated requests,
good and bad, to every operation; no 5xx, and every answer's status, content type, headers and body as described.
A bounded number of examples per operation, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from labdocs.config import EXAMPLES

from .conftest import BACKENDS, ROOT, stop_process
from .test_browser import free_port, labdocs

pytestmark = [pytest.mark.slow, pytest.mark.parametrize("backend", BACKENDS, indirect=True)]
CHECKS = ("not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,"
          "response_schema_conformance")


def call(url: str, key: str, method: str = "GET", body: Any = None) -> Any:
    request = urllib.request.Request(url, method=method, data=json.dumps(body).encode() if body else None,
                                     headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


@pytest.fixture
def live(database_url: str, tmp_path: Path) -> Iterator[tuple[str, str, dict[str, str]]]:
    """A served API with one organisation's project, report, zine and finished document to aim at."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LABDOCS_DATABASE_URL": database_url,
           "LABDOCS_FILE_STORE": str(tmp_path / "files"), "LABDOCS_REQUESTS_PER_MINUTE": "0",
           "LABDOCS_INSTANCE_PATH": str(tmp_path / "instance")}
    key = labdocs(["org", "create", f"Fuzz council {port}"], env)
    server = subprocess.Popen([sys.executable, "-m", "labdocs.cli", "serve", "--port", str(port)], cwd=ROOT,
                              env=env, start_new_session=True)
    url = f"http://127.0.0.1:{port}/api/v1"
    for _ in range(150):
        try:
            urllib.request.urlopen(f"{url}/openapi.json", timeout=2)
            break
        except OSError:
            time.sleep(0.1)
    project = call(f"{url}/projects", key, "POST", json.loads((EXAMPLES / "bid.json").read_text()))
    call(f"{url}/projects/{project['id']}/report", key, "PUT", json.loads((EXAMPLES / "report.json").read_text()))
    zine = call(f"{url}/projects/{project['id']}/zines", key, "POST", json.loads((EXAMPLES / "zine.json").read_text()))
    document = call(f"{url}/projects/{project['id']}/documents", key, "POST", {"kind": "bid"})
    ids = {"project_id": project["id"], "zine_id": zine["id"], "document_id": document["id"]}
    try:
        yield url, key, ids
    finally:
        stop_process(server)


def test_every_operation_answers_as_described(live: tuple[str, str, dict[str, str]], tmp_path: Path) -> None:
    url, key, ids = live
    config = tmp_path / "schemathesis.toml"
    config.write_text("[parameters]\n" + "".join(f'"path.{name}" = "{value}"\n' for name, value in ids.items()))
    run = subprocess.run([str(Path(sys.executable).parent / "schemathesis"), "--config-file", str(config), "run",
                          f"{url}/openapi.json", "--url", url, "-H", f"Authorization: Bearer {key}",
                          "--checks", CHECKS, "--max-examples", "8", "--phases", "coverage,fuzzing", "--seed", "1",
                          "--workers", "2", "--no-color"], capture_output=True, text=True, timeout=600,
                         cwd=tmp_path)  # its own files (.schemathesis/) stay out of the checkout
    summary = run.stdout[run.stdout.find("SUMMARY"):]
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert "Tested: 21" in summary or "Tested:" in summary
    print(summary)
