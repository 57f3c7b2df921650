"""service/cli.py: the labdocs command, run as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from labdocs.config import EXAMPLES

from .conftest import ROOT
from .docx_reading import headings, open_docx


def labdocs(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "labdocs.cli", *args], capture_output=True, text=True,
                          cwd=cwd, env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}, timeout=120)


@pytest.fixture
def bad_bid(tmp_path: Path, bid: dict[str, Any]) -> Path:
    bid["budget"][2]["amount"] = -5
    bid["contact"]["email"] = "nobody"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bid))
    return path


def test_check_lists_each_problem_and_exits_1(bad_bid: Path) -> None:
    result = labdocs("check", str(bad_bid))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "contact.email: Not a valid email address.",
        "budget.2.amount: Must not be negative.",
    ]


def test_check_of_a_valid_bid_shows_funder_findings(example_bid_file: Path) -> None:
    result = labdocs("check", str(example_bid_file))
    assert result.returncode == 0
    lines = result.stderr.splitlines()
    assert lines[0].startswith("✗ error: budget: The budget lines add up to £22,500.00")
    assert lines[-1].endswith("bid.json: valid; 5 check finding(s).")
    assert labdocs("check", "--strict", str(example_bid_file)).returncode == 1


def test_check_of_unreadable_json(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text("{ not json")
    result = labdocs("check", str(path))
    assert result.returncode == 1
    assert result.stderr == f"{path}: The data is not valid JSON: Expecting property name enclosed in double quotes " \
        "(line 1, column 3).\n"


def test_render_writes_the_draft(example_bid_file: Path, tmp_path: Path) -> None:
    output = tmp_path / "bid.docx"
    result = labdocs("render", "bid", str(example_bid_file), "-o", str(output))
    assert result.returncode == 0, result.stderr
    assert headings(open_docx(output.read_bytes()), 1)[-1] == "Checklist before you submit"
    refused = labdocs("render", "bid", str(example_bid_file), "-o", str(tmp_path / "x.docx"), "--strict")
    assert refused.returncode == 1 and not (tmp_path / "x.docx").exists()
    wrong = labdocs("render", "bid", str(example_bid_file), "-o", str(tmp_path / "bid.pdf"))
    assert wrong.returncode == 1 and "A bid comes as: docx" in wrong.stderr


def test_org_create_prints_a_working_key(tmp_path: Path) -> None:
    env = {"LABDOCS_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "LABDOCS_FILE_STORE": str(tmp_path)}
    created = labdocs("org", "create", "Rochdale Borough Council", env=env)
    assert created.returncode == 0, created.stderr
    key = created.stdout.strip()
    assert key.startswith("ldk_") and len(key) > 40
    again = labdocs("org", "create", "Rochdale Borough Council", env=env)
    assert again.returncode == 1 and "already exists" in again.stderr

    from labdocs import create_app
    app = create_app({"DATABASE_URL": env["LABDOCS_DATABASE_URL"], "FILE_STORE": str(tmp_path)})
    response = app.test_client().get("/api/v1/projects", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200


def test_worker_without_redis_says_what_to_do(tmp_path: Path) -> None:
    env = {"LABDOCS_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "LABDOCS_REDIS_URL": ""}
    result = labdocs("worker", env=env)
    assert result.returncode == 1 and "needs LABDOCS_REDIS_URL" in result.stderr


@pytest.mark.slow
def test_demo_writes_the_documents_into_out(tmp_path: Path) -> None:
    result = labdocs("demo", "--out", str(tmp_path / "out"), cwd=tmp_path,
                     env={"LABDOCS_REDIS_URL": "", "LABDOCS_DATABASE_URL": ""})
    assert result.returncode == 0, result.stderr
    assert "POST /api/v1/projects (bid.json) → 201" in result.stdout
    assert "The budget lines add up to £22,500.00 but the funding requested is £17,500.00" in result.stdout
    assert "Cross-checks against the bid: nothing to fix." in result.stdout
    assert result.stdout.count("✓") == 10 and "✗" not in result.stdout
    assert "19 files → " in result.stdout and "zine-booklet/ (preflight: pass)" in result.stdout  # with print.pdf
    # The drafted home mini-zine passes: all its text is at least 8 pt, so no type-size warning.
    assert "14 files → " in result.stdout and "zine-minizine/ (preflight: pass)" in result.stdout
    out = tmp_path / "out"
    assert (out / "zine-booklet" / "imposed-long-edge.pdf").exists()
    assert (out / "zine-minizine" / "thumbnails" / "imposed-1.png").exists()
    assert headings(open_docx((out / "bid.docx").read_bytes()), 1)[0] == "Project details"
    assert headings(open_docx((out / "report.docx").read_bytes()), 1)[0] == "Summary"
    assert (out / "report.pdf").read_bytes().startswith(b"%PDF-1.7")


def test_render_report_locally(example_bid_file: Path, tmp_path: Path, bid: dict[str, Any],
                               report: dict[str, Any]) -> None:
    data = tmp_path / "both.json"
    data.write_text(json.dumps({"bid": bid, "report": report}))
    result = labdocs("render", "report", str(data), "-o", str(tmp_path / "report.pdf"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")
    assert "✓ Tagged: the PDF has a structure tree" in result.stderr
    docx = labdocs("render", "report", str(data), "-o", str(tmp_path / "report.docx"))
    assert docx.returncode == 0 and headings(open_docx((tmp_path / "report.docx").read_bytes()), 1)[0] == "Summary"
    report["participants"]["total"] = 99
    data.write_text(json.dumps({"bid": bid, "report": report}))
    assert labdocs("check", str(data)).stderr.splitlines()[-2].startswith(
        "✗ error: participants.by_partner: Participants by partner add up to 47 but the total is 99")
    bare = labdocs("render", "report", str(example_bid_file), "-o", str(tmp_path / "x.pdf"))
    assert bare.returncode == 1 and 'holds {"bid": ..., "report": ...}' in bare.stderr


@contextmanager
def served_project(tmp_path: Path, bid: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any], Any]]:
    """`labdocs serve` on a free port with one organisation's project: (address, API key, project, process).
    Stopped with SIGTERM afterwards, as a service manager stops it."""
    import socket
    import time
    import urllib.request

    env = {"LABDOCS_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "LABDOCS_FILE_STORE": str(tmp_path),
           "LABDOCS_REDIS_URL": ""}
    key = labdocs("org", "create", "Served council", env=env).stdout.strip()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "labdocs.cli", "serve", "--port", str(port)], cwd=ROOT,
                              env={**os.environ, "PYTHONPATH": str(ROOT), **env})
    try:
        base = f"http://127.0.0.1:{port}"
        request = urllib.request.Request(f"{base}/api/v1/projects", data=json.dumps(bid).encode(), method="POST",
                                         headers={"Authorization": f"Bearer {key}",
                                                  "Content-Type": "application/json"})
        for _ in range(100):
            try:
                project = json.loads(urllib.request.urlopen(request, timeout=5).read())
                break
            except OSError:
                time.sleep(0.1)
        yield base, key, project, server
    finally:
        server.terminate()
        server.wait(timeout=15)


@pytest.mark.slow
def test_render_report_through_the_service(tmp_path: Path, bid: dict[str, Any], report: dict[str, Any]) -> None:
    """`labdocs render report --project` stores the report on a running service and downloads its PDF; the
    service stops cleanly on SIGTERM."""
    with served_project(tmp_path, bid) as (base, key, project, server):
        data = tmp_path / "report.json"
        data.write_text(json.dumps(report))
        result = labdocs("render", "report", str(data), "--project", project["id"], "--server", base,
                         "-o", str(tmp_path / "served.pdf"), env={"LABDOCS_API_KEY": key})
        assert result.returncode == 0, result.stderr
        assert (tmp_path / "served.pdf").read_bytes().startswith(b"%PDF-1.7")
        assert "✓ Fonts:" in result.stderr
        wrong = labdocs("render", "report", str(data), "--project", "0" * 32, "--server", base,
                        "-o", str(tmp_path / "x.pdf"), env={"LABDOCS_API_KEY": key})
        assert wrong.returncode == 1
        assert "HTTP 404: There is no such project in your organisation." in wrong.stderr
    assert server.returncode == 0  # SIGTERM, as a service manager sends it, stops the server cleanly


def test_render_zine_writes_a_folder(tmp_path: Path) -> None:
    result = labdocs("render", "zine", str(EXAMPLES / "zine.json"), "-o", str(tmp_path / "zine"))
    assert result.returncode == 0, result.stderr
    assert "Result: PASS" in result.stderr
    written = sorted(str(p.relative_to(tmp_path / "zine")) for p in (tmp_path / "zine").rglob("*") if p.is_file())
    assert written[:7] == ["imposed-long-edge.pdf", "imposed.pdf", "preflight.json", "preflight.txt",
                           "print-imposed.pdf", "print.pdf", "reader.pdf"]  # a print-shop zine: PDF/X-4 too
    assert len([name for name in written if name.startswith("thumbnails/")]) == 12


def test_user_create_reads_the_password_from_stdin(tmp_path: Path) -> None:
    env = {"LABDOCS_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "LABDOCS_FILE_STORE": str(tmp_path)}
    labdocs("org", "create", "Rochdale Borough Council", env=env)
    run = subprocess.run([sys.executable, "-m", "labdocs.cli", "user", "create", "Lead@Example.org", "--org",
                          "Rochdale Borough Council", "--password-stdin"], input="short\n", capture_output=True,
                         text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), **env})
    assert run.returncode == 1 and "at least 10 characters" in run.stderr
    run = subprocess.run([sys.executable, "-m", "labdocs.cli", "user", "create", "Lead@Example.org", "--org",
                          "Rochdale Borough Council", "--password-stdin"], input="a long password here\n",
                         capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), **env})
    assert run.returncode == 0 and run.stdout.strip() == "Created user lead@example.org in 'Rochdale Borough Council'."


def test_serve_answers_waiting_requests_before_it_stops(tmp_path: Path, bid: dict[str, Any]) -> None:
    """SIGTERM used to drop every `?wait=` connection without a response."""
    import socket
    import threading
    import time
    import urllib.request

    env = {"LABDOCS_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "LABDOCS_FILE_STORE": str(tmp_path),
           "LABDOCS_REDIS_URL": "", "LABDOCS_RENDER_JOB": "tests.jobs.render_after_pause",
           "LABDOCS_TEST_PAUSE_FILE": str(tmp_path / "paused.pid"), "LABDOCS_JOB_RETRIES": "2"}
    key = labdocs("org", "create", "Served council", env=env).stdout.strip()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "labdocs.cli", "serve", "--port", str(port)], cwd=ROOT,
                              env={**os.environ, "PYTHONPATH": str(ROOT), **env})
    base, auth = f"http://127.0.0.1:{port}", {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}

    def post(path: str, body: Any) -> Any:
        request = urllib.request.Request(base + path, data=json.dumps(body).encode(), method="POST", headers=auth)
        return json.loads(urllib.request.urlopen(request, timeout=5).read())
    try:
        for _ in range(100):
            try:
                project = post("/api/v1/projects", bid)
                break
            except OSError:
                time.sleep(0.1)
        document = post(f"/api/v1/projects/{project['id']}/documents", {"kind": "bid"})
        answers: list[Any] = []

        def wait() -> None:
            request = urllib.request.Request(f"{base}/api/v1/documents/{document['id']}?wait=30", headers=auth)
            answers.append(json.loads(urllib.request.urlopen(request, timeout=40).read()))
        waiters = [threading.Thread(target=wait) for _ in range(3)]
        for thread in waiters:
            thread.start()
        time.sleep(1)  # they are waiting; the render is paused
        stopped = time.monotonic()
        server.terminate()
        for thread in waiters:
            thread.join(timeout=10)
        assert len(answers) == 3 and {answer["status"] for answer in answers} <= {"queued", "started"}
        assert time.monotonic() - stopped < 5
    finally:
        server.terminate()
        server.wait(timeout=15)
    assert server.returncode == 0


def test_user_password_sets_a_new_password_in_one_line(tmp_path: Path) -> None:
    env = {"LABDOCS_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "LABDOCS_FILE_STORE": str(tmp_path)}
    labdocs("org", "create", "Password council", env=env)

    def run(*args: str, password: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "labdocs.cli", "user", *args, "--password-stdin"],
                              input=password + "\n", capture_output=True, text=True, cwd=ROOT, timeout=60,
                              env={**os.environ, "PYTHONPATH": str(ROOT), **env})
    assert run("create", "sam@example.org", "--org", "Password council", password="a long enough password") \
        .returncode == 0
    changed = run("password", "SAM@example.org", password="another long password")
    assert changed.returncode == 0 and "their sessions have ended" in changed.stdout
    for args, password, message in ((("password", "nobody@example.org"), "another long password",
                                     "There is no user with the email nobody@example.org."),
                                    (("password", "sam@example.org"), "short", "at least 10 characters")):
        refused = run(*args, password=password)
        assert refused.returncode == 1 and message in refused.stderr and "Traceback" not in refused.stderr
