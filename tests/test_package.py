"""The wheel: built from the checkout, installed in a clean virtualenv, used from an empty folder elsewhere."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import ROOT, stop_process

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A new virtualenv, outside the checkout, with only the labdocs wheel (and its dependencies) installed."""
    folder = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", str(ROOT), "-w", str(folder)],
                   check=True, capture_output=True, timeout=300)
    wheel = next(folder.glob("labdocs-*.whl"))
    subprocess.run([sys.executable, "-m", "venv", str(folder / "venv")], check=True, timeout=120)
    subprocess.run([str(folder / "venv" / "bin" / "pip"), "install", "--quiet", "-c", str(ROOT / "constraints.txt"),
                    str(wheel)], check=True, capture_output=True, timeout=600)
    yield folder / "venv" / "bin"


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without anything that points back into the checkout."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONPATH", "VIRTUAL_ENV") and not key.startswith("LABDOCS_")}
    return {**env, **extra}


def test_the_wheel_carries_everything_a_render_needs(installed: Path, tmp_path: Path) -> None:
    empty = tmp_path / "elsewhere"
    empty.mkdir()
    run = subprocess.run([str(installed / "labdocs"), "demo", "--out", "made"], cwd=empty, env=clean_env(),
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    made = empty / "made"
    for name in ("bid.docx", "report.pdf", "report.docx", "zine-booklet/imposed.pdf", "zine-booklet/reader.pdf",
                 "zine-minizine/imposed.pdf", "zine-minizine/preflight.txt"):
        assert (made / name).stat().st_size > 1000, name
    assert (made / "report.pdf").read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize("module", ["service", "schemas", "workers"])
def test_only_labdocs_is_installed(installed: Path, module: str, tmp_path: Path) -> None:
    run = subprocess.run([str(installed / "python"), "-c", f"import {module}"], cwd=tmp_path, env=clean_env(),
                         capture_output=True, text=True, timeout=60)
    assert run.returncode != 0 and "ModuleNotFoundError" in run.stderr


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def fetch(url: str) -> tuple[int, str, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.headers.get_content_type(), response.read()


def test_the_installed_service_serves_pages_with_their_styles(installed: Path, tmp_path: Path) -> None:
    port = free_port()
    server = subprocess.Popen([str(installed / "labdocs"), "serve", "--port", str(port)], cwd=tmp_path,
                              env=clean_env(LABDOCS_DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
                                            LABDOCS_FILE_STORE=str(tmp_path / "files")),
                              start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, media, page = fetch(f"http://127.0.0.1:{port}/sign-in")
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, "labdocs serve did not start"
                time.sleep(0.2)
        assert status == 200 and media == "text/html" and b"/static/labdocs.css" in page
        status, media, css = fetch(f"http://127.0.0.1:{port}/static/labdocs.css")
        assert status == 200 and media == "text/css" and len(css) > 1000
        status, media, script = fetch(f"http://127.0.0.1:{port}/static/labdocs.js")
        assert status == 200 and media in ("text/javascript", "application/javascript") and script
    finally:
        stop_process(server)
