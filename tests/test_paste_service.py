"""The paste sheet through the service: the web page with its copy buttons, the API's txt/md and the CLI."""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from labdocs.domain.funder_form import FORM
from labdocs.infra.db import session
from labdocs.infra.models import Organisation
from labdocs.projects import create_project
from labdocs.render.paste import paste_answers
from labdocs.schemas.bid import load_bid

from .conftest import new_project, signed_in, wait_for_document

ROOT = Path(__file__).resolve().parents[1]


def stored_project(app: Flask, bid: dict[str, Any]) -> str:
    with app.app_context():
        org = session().scalar(select(Organisation).where(Organisation.name == "Rochdale Borough Council"))
        assert org is not None
        return str(create_project(org.id, load_bid(bid)).id)


def test_the_page_shows_every_box_with_its_answer_to_copy(web_app: Flask, bid: dict[str, Any]) -> None:
    project_id = stored_project(web_app, bid)
    client, _ = signed_in(web_app)
    page = client.get(f"/projects/{project_id}/bid/ready")
    assert page.status_code == 200
    areas = re.findall(r'<textarea class="textarea" id="answer-(\d+)" readonly[^>]*>(.*?)</textarea>', page.text,
                       re.DOTALL)
    answers = paste_answers(load_bid(bid))
    assert [int(number) for number, _ in areas] == list(range(1, len(FORM) + 1))
    assert [html.unescape(text).removeprefix("\n") for _, text in areas] == [item["answer"] for item in answers]
    labels = re.findall(r'<label class="label" for="answer-\d+">(.*?)</label>', page.text)
    assert [html.unescape(label) for label in labels] == [f"{n}. {q.question}" for n, q in enumerate(FORM, 1)]
    scripts = re.findall(r"<script[^>]*>", page.text)
    assert '<script src="/static/paste.js" defer>' in scripts
    assert all("src=" in tag for tag in scripts)  # no inline script: the CSP forbids it
    assert "130 words (the form allows 150)" in page.text
    assert client.get("/static/paste.js").status_code == 200
    check = client.get(f"/projects/{project_id}/bid/check")  # check your answers, before the download
    assert f'href="/projects/{project_id}/bid/ready"' in check.text


def test_an_unfinished_bid_says_what_is_missing(web_app: Flask) -> None:
    client, csrf = signed_in(web_app)
    ready = new_project(client, csrf).replace("/bid/project", "/bid/ready")
    page = client.get(ready)
    assert page.status_code == 422 and "nothing to paste yet" in page.text and "<textarea" not in page.text


def test_another_organisation_cannot_see_the_sheet(web_app: Flask, bid: dict[str, Any]) -> None:
    project_id = stored_project(web_app, bid)
    other, _ = signed_in(web_app, "other@example.org")
    assert other.get(f"/projects/{project_id}/bid/ready").status_code == 404


@pytest.mark.parametrize(("fmt", "mimetype", "start"), [("txt", "text/plain", "Ready for the funder's form"),
                                                         ("md", "text/markdown", "# Ready for the funder's form")])
def test_the_api_makes_the_sheet(client: FlaskClient, auth: dict[str, str], project: dict[str, Any], fmt: str,
                                 mimetype: str, start: str) -> None:
    asked = client.post(f"/api/v1/projects/{project['id']}/documents", json={"kind": "bid", "format": fmt},
                        headers=auth)
    assert asked.status_code == 202, asked.get_json()
    done = wait_for_document(client, auth, asked.headers["Location"])
    assert done["status"] == "finished", done["error"]
    download = client.get(done["links"]["file"], headers=auth)
    assert download.mimetype == mimetype and download.text.startswith(start)
    assert download.headers["Content-Disposition"].endswith(f"-bid.{fmt}")


@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_the_command_line_writes_the_sheet(example_bid_file: Path, tmp_path: Path, suffix: str) -> None:
    output = tmp_path / f"bid{suffix}"
    result = subprocess.run([sys.executable, "-m", "labdocs.cli", "render", "bid", str(example_bid_file), "-o",
                             str(output)], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    text = output.read_text(encoding="utf-8")
    assert "What is your idea and how will you allocate the budget?" in text and "Workstreams" not in text
