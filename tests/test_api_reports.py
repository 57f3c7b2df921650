"""service/api/reports.py and report documents through the API (embedded queue)."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import update

from labdocs.infra.db import session
from labdocs.infra.models import Project

from .conftest import BACKENDS, wait_for_document
from .docx_reading import open_docx, rows

pytestmark = pytest.mark.parametrize("backend", BACKENDS, indirect=True)


def test_put_then_get_a_report(client: FlaskClient, auth: dict[str, str], project: dict[str, Any],
                               report: dict[str, Any]) -> None:
    url = f"/api/v1/projects/{project['id']}/report"
    assert client.get(url, headers=auth).status_code == 404
    created = client.put(url, json=report, headers=auth)
    assert created.status_code == 201
    assert created.get_json()["checks"] == []
    report["participants"]["total"] = 50
    updated = client.put(url, json=report, headers=auth)
    assert updated.status_code == 200
    assert [c["code"] for c in updated.get_json()["checks"]] == ["participants_mismatch"]
    assert client.get(url, headers=auth).get_json()["report"]["participants"]["total"] == 50


def test_report_on_a_bid_still_being_written_is_kept_and_says_why_it_is_unchecked(
        app: Flask, client: FlaskClient, auth: dict[str, str], project: dict[str, Any], report: dict[str, Any]) -> None:
    with app.app_context():  # as a bid saved section by section on the web pages can be
        session().execute(update(Project).where(Project.id == project["id"]).values(bid={"title": "Half a bid"}))
        session().commit()
    url = f"/api/v1/projects/{project['id']}/report"
    strict = client.put(f"{url}?strict=true", json=report, headers=auth)
    assert strict.status_code == 422 and list(strict.get_json()["errors"]) == ["bid"]
    saved = client.put(url, json=report, headers=auth)
    assert saved.status_code == 201
    assert [check["code"] for check in saved.get_json()["checks"]] == ["bid_incomplete"]
    assert client.get(url, headers=auth).get_json()["checks"][0]["message"].startswith("The bid is not finished")


def test_invalid_report_is_422_with_field_paths(client: FlaskClient, auth: dict[str, str],
                                                project: dict[str, Any], report: dict[str, Any]) -> None:
    report["spend"][1]["spent"] = -1
    del report["co_operative_difference"]
    response = client.put(f"/api/v1/projects/{project['id']}/report", json=report, headers=auth)
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"co_operative_difference": ["This is required."],
                                             "spend.1.spent": ["Must not be negative."]}


def test_strict_report_refuses_findings(client: FlaskClient, auth: dict[str, str], project: dict[str, Any],
                                        report: dict[str, Any]) -> None:
    del report["outputs_achieved"][4]
    response = client.put(f"/api/v1/projects/{project['id']}/report?strict=true", json=report, headers=auth)
    assert response.status_code == 422
    assert response.get_json()["message"] == "The report fails 1 cross-check."


def test_another_organisation_cannot_touch_the_report(client: FlaskClient, report_project: dict[str, Any],
                                                      other_auth: dict[str, str], report: dict[str, Any]) -> None:
    url = f"/api/v1/projects/{report_project['id']}/report"
    assert client.get(url, headers=other_auth).status_code == 404
    assert client.put(url, json=report, headers=other_auth).status_code == 404


def test_report_document_needs_a_report(client: FlaskClient, auth: dict[str, str], project: dict[str, Any]) -> None:
    response = client.post(f"/api/v1/projects/{project['id']}/documents", json={"kind": "report"}, headers=auth)
    assert response.status_code == 409
    assert response.get_json()["message"] == (f"This project has no report yet. Add it first: "
                                              f"PUT /api/v1/projects/{project['id']}/report.")


def test_report_pdf_and_docx_through_the_queue(client: FlaskClient, auth: dict[str, str],
                                               report_project: dict[str, Any], tmp_path: Path) -> None:
    url = f"/api/v1/projects/{report_project['id']}/documents"
    pdf_doc = wait_for_document(client, auth, client.post(url, json={"kind": "report"}, headers=auth)
                                .headers["Location"])
    assert pdf_doc["status"] == "finished" and pdf_doc["format"] == "pdf"
    assert {f["code"]: f["passed"] for f in pdf_doc["findings"]} == dict.fromkeys(
        ["tagged", "untagged_content", "language", "title", "heading_order", "bookmarks", "figures_alt",
         "table_headers", "fonts", "contrast"], True)
    pdf = client.get(pdf_doc["links"]["file"], headers=auth)
    assert pdf.mimetype == "application/pdf"
    assert pdf.headers["Content-Disposition"] == "attachment; filename=co-operative-governance-report.pdf"
    (tmp_path / "report.pdf").write_bytes(pdf.data)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "report.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Promised and achieved" in text and "47 people" in text

    docx_doc = wait_for_document(client, auth, client.post(url, json={"kind": "report", "format": "docx"},
                                                           headers=auth).headers["Location"])
    assert docx_doc["findings"] == []
    docx = open_docx(client.get(docx_doc["links"]["file"], headers=auth).data)
    outputs = next(rows(t) for t in docx.tables if rows(t)[0][0] == "Output")
    assert outputs[1][1:] == ["30 people", "47 people", "Met"]


def test_report_with_an_uploaded_photo(client: FlaskClient, auth: dict[str, str], project: dict[str, Any],
                                       report: dict[str, Any], tmp_path: Path) -> None:
    photo = io.BytesIO()
    Image.new("RGB", (1200, 800), (30, 120, 90)).save(photo, "JPEG")
    image = client.post(f"/api/v1/projects/{project['id']}/images", headers=auth,
                        data={"file": (io.BytesIO(photo.getvalue()), "hackney.jpg")},
                        content_type="multipart/form-data").get_json()
    report["case_studies"][1].update(image=image["id"], alt="Young consultants presenting to councillors.")
    assert client.put(f"/api/v1/projects/{project['id']}/report", json=report, headers=auth).status_code == 201
    done = wait_for_document(client, auth, client.post(f"/api/v1/projects/{project['id']}/documents",
                                                       json={"kind": "report"}, headers=auth).headers["Location"])
    assert done["status"] == "finished", done
    (tmp_path / "r.pdf").write_bytes(client.get(done["links"]["file"], headers=auth).data)
    listed = subprocess.run(["pdfimages", "-list", str(tmp_path / "r.pdf")], capture_output=True, text=True,
                            check=True).stdout.splitlines()[2:]
    assert sorted(line.split()[3:5] for line in listed) == [["1200", "800"], ["1800", "1200"]]
