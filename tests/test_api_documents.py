"""service/api/documents.py on the embedded queue: request (202), poll, download, reuse, isolation."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from labdocs.config import EXAMPLES
from labdocs.infra.db import session
from labdocs.infra.models import Document, Project
from labdocs.infra.queue import job_queue
from labdocs.infra.storage import file_store
from labdocs.schemas.zine import load_zine

from .conftest import BACKENDS, STORES, wait_for_document
from .docx_reading import headings, open_docx

pytestmark = pytest.mark.parametrize("backend", BACKENDS, indirect=True)

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def ask(client: FlaskClient, auth: dict[str, str], project: dict[str, Any], **body: Any) -> Any:
    return client.post(f"/api/v1/projects/{project['id']}/documents", json={"kind": "bid", **body},
                       headers=auth)


def test_request_poll_download(client: FlaskClient, auth: dict[str, str], project: dict[str, Any]) -> None:
    response = ask(client, auth, project, format="docx")
    assert response.status_code == 202
    queued = response.get_json()
    assert response.headers["Location"] == f"/api/v1/documents/{queued['id']}"
    assert queued["status"] in ("queued", "started", "finished")
    assert queued["requested_by"].startswith("api key ldk_")
    assert queued["checks"][0]["code"] == "budget_mismatch"

    done = wait_for_document(client, auth, response.headers["Location"])
    assert done["status"] == "finished" and done["error"] is None and done["attempts"] == 1
    assert done["links"]["file"] == f"/api/v1/documents/{done['id']}/file"

    download = client.get(done["links"]["file"], headers=auth)
    assert download.status_code == 200
    assert download.mimetype == DOCX_TYPE
    assert download.headers["Content-Disposition"] == "attachment; filename=co-operative-governance-bid.docx"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert headings(open_docx(download.data), 1)[0] == "Project details"
    assert len(download.data) == done["file_size"]


def test_identical_request_reuses_the_file_without_rendering(client: FlaskClient, auth: dict[str, str],
                                                             project: dict[str, Any]) -> None:
    first = wait_for_document(client, auth, ask(client, auth, project).headers["Location"])
    again = ask(client, auth, project).get_json()
    assert again["status"] == "finished" and again["reused"] is True and again["attempts"] == 0
    assert again["id"] != first["id"]
    one = client.get(first["links"]["file"], headers=auth).data
    assert client.get(again["links"]["file"], headers=auth).data == one


def test_changed_bid_renders_afresh(client: FlaskClient, auth: dict[str, str], project: dict[str, Any],
                                    bid: dict[str, Any]) -> None:
    wait_for_document(client, auth, ask(client, auth, project).headers["Location"])
    client.put(f"/api/v1/projects/{project['id']}", json={**bid, "title": "Renamed"}, headers=auth)
    second = ask(client, auth, project).get_json()
    assert second["reused"] is False
    done = wait_for_document(client, auth, second["links"]["self"])
    assert client.get(done["links"]["file"], headers=auth).headers["Content-Disposition"].endswith(
        "filename=renamed-bid.docx")


def test_strict_request_refuses_a_bid_with_findings(client: FlaskClient, auth: dict[str, str],
                                                    project: dict[str, Any]) -> None:
    response = ask(client, auth, project, strict=True)
    assert response.status_code == 422
    assert response.get_json()["code"] == "checks_failed"
    listed = client.get(f"/api/v1/projects/{project['id']}/documents", headers=auth).get_json()
    assert listed == {"documents": []}


@pytest.mark.parametrize(("body", "errors"), [
    ({"kind": "poster"}, {"kind": ["Must be one of: bid, report, page, zine."]}),
    ({"kind": "bid", "format": "pdf"}, {"format": ["A bid comes as: docx, txt, md."]}),
    ({"format": "docx"}, {"kind": ["This is required."]}),
    ({"kind": "bid", "strict": "yes"}, {"strict": ["Must be true or false."]}),
])
def test_bad_document_requests(client: FlaskClient, auth: dict[str, str], project: dict[str, Any],
                               body: dict[str, Any], errors: dict[str, list[str]]) -> None:
    response = client.post(f"/api/v1/projects/{project['id']}/documents", json=body, headers=auth)
    assert response.status_code == 422
    assert response.get_json()["errors"] == errors


def test_other_organisation_cannot_see_or_fetch(client: FlaskClient, auth: dict[str, str],
                                                other_auth: dict[str, str], project: dict[str, Any]) -> None:
    done = wait_for_document(client, auth, ask(client, auth, project).headers["Location"])
    for url in (done["links"]["self"], done["links"]["file"]):
        response = client.get(url, headers=other_auth)
        assert response.status_code == 404
        assert response.get_json()["message"] == "There is no such document in your organisation."


def test_file_of_an_unfinished_document_is_409(app: Flask, client: FlaskClient, auth: dict[str, str],
                                               project: dict[str, Any]) -> None:
    done = wait_for_document(client, auth, ask(client, auth, project).headers["Location"])
    with app.app_context():
        session().execute(update(Document).where(Document.id == done["id"]).values(status="queued"))
        session().commit()
    response = client.get(f"/api/v1/documents/{done['id']}/file", headers=auth)
    assert response.status_code == 409
    assert response.get_json()["message"] == "This document is queued; there is no file yet."


def zine_with_a_lost_photo() -> dict[str, Any]:
    zine = load_zine(json.loads((EXAMPLES / "zine.json").read_text("utf-8")))
    zine["pages"][0]["image"] = "f" * 32
    return {"zine": zine, "images": {"f" * 32: "gone.jpg"}, "generated_on": "2026-11-24"}


@pytest.mark.parametrize(("kind", "fmt", "payload"), [
    ("bid", "docx", lambda: {"bid": {"title": "no other fields"}, "generated_on": "2026-11-24"}),
    ("zine", "zip", zine_with_a_lost_photo),  # a stored file gone missing will not come back if retried
])
def test_a_render_fault_fails_in_plain_words(app: Flask, client: FlaskClient, auth: dict[str, str],
                                             project: dict[str, Any], kind: str, fmt: str,
                                             payload: Callable[[], dict[str, Any]]) -> None:
    """A document whose recorded input cannot be rendered fails at once, says why, and is not retried."""
    with app.app_context():
        stored = session().get(Project, project["id"])
        assert stored is not None
        document = Document(org_id=stored.org_id, project_id=stored.id, kind=kind, format=fmt,
                            input=payload(), input_hash="broken", requested_by="test")
        session().add(document)
        session().commit()
        document_id = document.id
    job_queue(app).enqueue_render(document_id)
    failed = wait_for_document(client, auth, f"/api/v1/documents/{document_id}")
    assert failed["status"] == "failed" and failed["attempts"] == 1
    assert failed["error"] == (f"labdocs could not render this {kind}: the problem is in labdocs, not in your data. "
                               f"Quote reference {document_id} if you contact us.")
    assert "Traceback" not in str(failed) and "file" not in failed["links"]


@pytest.mark.parametrize("store", STORES, indirect=True)
def test_a_file_removed_from_the_store_is_said_to_be_missing_and_made_again(app: Flask, client: FlaskClient,
                                                                           auth: dict[str, str],
                                                                           project: dict[str, Any]) -> None:
    done = wait_for_document(client, auth, ask(client, auth, project).headers["Location"])
    with app.app_context():
        assert file_store().delete(file_key(app, done["id"]))  # behind labdocs' back
    missing = client.get(done["links"]["file"], headers=auth)
    body = missing.get_json()
    assert missing.status_code == 409 and body["code"] == "file_missing" and "Ask for the document again" in \
        body["message"]
    assert client.get(f"/api/v1/documents/{done['id']}", headers=auth).get_json()["status"] == "failed"
    again = wait_for_document(client, auth, ask(client, auth, project).headers["Location"])
    assert again["reused"] is False and again["status"] == "finished"
    assert client.get(again["links"]["file"], headers=auth).status_code == 200


def file_key(app: Flask, document_id: str) -> str:
    with app.app_context():
        document = session().get(Document, document_id)
        assert document is not None and document.file_key
        return document.file_key


def test_a_report_pdf_too_large_to_make_in_time_is_refused_before_queueing(client: FlaskClient,
                                                                          auth: dict[str, str],
                                                                          project: dict[str, Any],
                                                                          report: dict[str, Any]) -> None:
    """The largest report the schema allows once timed out three times, holding the only worker 6.5 minutes."""
    report["activities"] = [{"date": "2024-05-01", "title": f"Session {n}", "description": "Talk. " * 750}
                            for n in range(200)]  # 900,000 characters
    assert client.put(f"/api/v1/projects/{project['id']}/report", json=report, headers=auth).status_code == 201
    refused = ask(client, auth, project, kind="report", format="pdf")
    body = refused.get_json()
    assert refused.status_code == 422 and set(body["errors"]) == {"activities"}
    assert "a PDF can be made from up to 800,000" in body["message"]
    assert body["errors"]["activities"] == ["903,890 characters: the largest part of the report. Shorten it."]
    assert ask(client, auth, project, kind="report", format="docx").status_code == 202  # Word has no such limit


def test_the_project_page_uses_the_registers_names_and_the_reports_results(
        app: Flask, client: FlaskClient, auth: dict[str, str], report_project: dict[str, Any]) -> None:
    from labdocs.register import load_csv

    with app.app_context():
        load_csv((EXAMPLES / "register.csv").read_text())
    response = ask(client, auth, report_project, kind="page", format="html")
    assert response.status_code == 202
    assert {check["code"] for check in response.get_json()["checks"]} == {"organisation_alias"}
    done = wait_for_document(client, auth, response.headers["Location"])
    assert done["status"] == "finished", done["error"]
    page = client.get(done["links"]["file"], headers=auth)
    assert page.mimetype == "text/html" and "Action Together CIO" in page.text and "What happened" in page.text
    fragment = client.get(f"/api/v1/documents/{done['id']}/files/page-fragment.html", headers=auth)
    assert fragment.status_code == 200 and fragment.text.strip() in page.text
    markdown = wait_for_document(client, auth, ask(client, auth, report_project, kind="page",
                                                   format="md").headers["Location"])
    text = client.get(markdown["links"]["file"], headers=auth)
    assert text.mimetype == "text/markdown" and "**Lead Member:** Rochdale Borough Council" in text.text
