"""api/imports.py: POST /projects/<id>/imports reads an edited draft (or an entry export) against the bid, kept for
review; apply takes the accepted fields through the bid's validation and funder checks; hostile files, 422."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from labdocs.domain.docx_bid import MAX_BYTES
from labdocs.domain.funder_form import QUESTIONS

from .docx_editing import (
    comment_on,
    edited,
    hostile_files,
    paragraph_starting,
    render,
    set_text,
    track_insertion,
    under,
)

ENTRY = Path(__file__).parent / "fixtures" / "entry_510.txt"


def upload(client: FlaskClient, auth: dict[str, str], project_id: str, data: bytes, name: str = "bid.docx",
           **form: str) -> Any:
    return client.post(f"/api/v1/projects/{project_id}/imports", headers=auth, content_type="multipart/form-data",
                       data={"file": (io.BytesIO(data), name), **form})


def partner_edits(bid: dict[str, Any]) -> bytes:
    def edit(doc: Any) -> None:
        set_text(paragraph_starting(doc, bid["aims"]["learning"][:30]), "We will publish what we learn.")
        set_text(paragraph_starting(doc, "£6,500.00"), "£6,500.00: Zines and a report.")
        set_text(under(doc, QUESTIONS["summary"])[0], "A short summary.")
    return edited(render(bid), edit)


def test_an_edited_draft_answers_its_changes_and_applies_the_accepted_ones(
        client: FlaskClient, auth: dict[str, str], project: dict[str, Any], bid: dict[str, Any]) -> None:
    sent = upload(client, auth, project["id"], partner_edits(bid))
    assert sent.status_code == 201, sent.get_json()
    found = sent.get_json()
    assert sent.headers["Location"] == found["links"]["self"]
    assert [change["field"] for change in found["changes"]] == ["summary", "budget", "aims.learning"]
    assert "base" not in found and found["source"] == "docx" and found["tracked_changes"] == []
    assert client.get(found["links"]["self"], headers=auth).get_json() == found

    applied = client.post(found["links"]["apply"], json={"accept": ["budget", "aims.learning"]}, headers=auth)
    assert applied.status_code == 200, applied.get_json()
    body = applied.get_json()
    assert body["applied"] == ["budget", "aims.learning"]
    assert body["bid"]["aims"]["learning"] == "We will publish what we learn."
    assert body["bid"]["budget"][3] == {"description": "Zines and a report", "amount": "6500.00", "quantity": 1,
                                        "match_funding": None}
    assert body["bid"]["budget"][:3] == project["bid"]["budget"][:3]
    assert body["bid"]["summary"] == project["bid"]["summary"]  # rejected
    assert {check["code"] for check in body["checks"]} >= {"budget_mismatch"}  # the funder checks, as for a PUT
    assert client.get(found["links"]["self"], headers=auth).status_code == 404  # applied: gone


def test_an_accepted_change_that_breaks_a_rule_is_a_422_with_its_field_path(
        client: FlaskClient, auth: dict[str, str], project: dict[str, Any], bid: dict[str, Any]) -> None:
    def edit(doc: Any) -> None:
        set_text(paragraph_starting(doc, "£5,000.00: Co-production"), "£0.00: Nothing at all.")
        set_text(paragraph_starting(doc, "£6,500.00"), "Printing, with no amount")
    found = upload(client, auth, project["id"], edited(render(bid), edit)).get_json()
    budget = found["changes"][0]
    assert budget["field"] == "budget" and len(budget["problems"]) == 1
    refused = client.post(found["links"]["apply"], json={"accept": ["budget", "title"]}, headers=auth)
    assert refused.status_code == 422
    assert refused.get_json()["errors"] == {"budget": budget["problems"],
                                            "accept.1": ["The import does not change “title”."]}
    assert client.get(f"/api/v1/projects/{project['id']}", headers=auth).get_json()["bid"] == project["bid"]


def test_the_bid_changed_since_the_file_was_read_is_a_409(client: FlaskClient, auth: dict[str, str],
                                                          project: dict[str, Any], bid: dict[str, Any]) -> None:
    found = upload(client, auth, project["id"], partner_edits(bid)).get_json()
    assert client.put(f"/api/v1/projects/{project['id']}", json={**bid, "title": "Renamed"},
                      headers=auth).status_code == 200
    stale = client.post(found["links"]["apply"], json={"accept": ["summary"]}, headers=auth)
    assert stale.status_code == 409 and stale.get_json()["code"] == "stale"


def test_rejecting_every_change_forgets_the_import(client: FlaskClient, auth: dict[str, str],
                                                   project: dict[str, Any], bid: dict[str, Any]) -> None:
    found = upload(client, auth, project["id"], partner_edits(bid)).get_json()
    assert client.delete(found["links"]["self"], headers=auth).status_code == 204
    assert client.get(found["links"]["self"], headers=auth).status_code == 404
    assert client.get(f"/api/v1/projects/{project['id']}", headers=auth).get_json()["bid"] == project["bid"]


def test_tracked_changes_need_a_choice_and_comments_are_reported(
        client: FlaskClient, auth: dict[str, str], project: dict[str, Any], bid: dict[str, Any]) -> None:
    def edit(doc: Any) -> None:
        track_insertion(under(doc, QUESTIONS["summary"])[0], " Tracked words.")
        comment_on(doc, under(doc, QUESTIONS["idea"])[0], "Shorter, please.")
    data = edited(render(bid), edit)
    unchosen = upload(client, auth, project["id"], data)
    assert unchosen.status_code == 422 and unchosen.get_json()["code"] == "choice_needed"
    assert list(unchosen.get_json()["errors"]) == ["tracked_changes"]
    accepted = upload(client, auth, project["id"], data, tracked_changes="accept").get_json()
    assert accepted["tracked_changes_taken"] == "accept" and accepted["tracked_changes"][0]["field"] == "summary"
    assert [change["field"] for change in accepted["changes"]] == ["summary"]
    assert accepted["comments"] == [{"field": "idea", "author": "A partner", "text": "Shorter, please."}]
    rejected = upload(client, auth, project["id"], data, tracked_changes="reject").get_json()
    assert rejected["changes"] == [] and rejected["tracked_changes_taken"] == "reject"


def test_an_entry_export_is_compared_field_by_field(client: FlaskClient, auth: dict[str, str],
                                                    project: dict[str, Any]) -> None:
    found = upload(client, auth, project["id"], ENTRY.read_bytes(), "entry.txt")
    assert found.status_code == 201, found.get_json()
    body = found.get_json()
    assert body["source"] == "entry"
    fields = [change["field"] for change in body["changes"]]
    assert "partners" in fields and "title" not in fields  # the seed's title is the example's
    assert body["needs_person"]


@pytest.mark.parametrize("name", ["not a zip", "zip bomb", "huge XML part", "too many members", "xxe entity",
                                  "docm with vbaProject.bin", "not made by labdocs"])
def test_hostile_files_are_a_422_and_nothing_is_stored(client: FlaskClient, auth: dict[str, str],
                                                       project: dict[str, Any], bid: dict[str, Any],
                                                       name: str) -> None:
    refused = upload(client, auth, project["id"], hostile_files(bid)[name])
    assert refused.status_code == 422
    body = refused.get_json()
    assert body["code"] == "file_refused" and body["errors"] == {"file": [body["message"]]}
    shown = client.get(f"/api/v1/projects/{project['id']}", headers=auth).get_json()
    assert shown["bid"] == project["bid"] and shown["updated_at"] == project["updated_at"]


def test_a_file_over_the_limit_is_a_413(client: FlaskClient, auth: dict[str, str], project: dict[str, Any]) -> None:
    refused = upload(client, auth, project["id"], b"PK" + b"\0" * (MAX_BYTES + 1))
    assert refused.status_code == 413 and refused.get_json()["code"] == "file_too_large"


def test_no_file_is_a_422(client: FlaskClient, auth: dict[str, str], project: dict[str, Any]) -> None:
    refused = client.post(f"/api/v1/projects/{project['id']}/imports", headers=auth, data={},
                          content_type="multipart/form-data")
    assert refused.status_code == 422 and refused.get_json()["errors"] == {"file": ["This is required."]}


def test_another_organisations_project_and_import_are_404(client: FlaskClient, auth: dict[str, str],
                                                         other_auth: dict[str, str], project: dict[str, Any],
                                                         bid: dict[str, Any]) -> None:
    data = partner_edits(bid)
    assert upload(client, other_auth, project["id"], data).status_code == 404
    found = upload(client, auth, project["id"], data).get_json()
    assert client.get(found["links"]["self"], headers=other_auth).status_code == 404
    assert client.post(found["links"]["apply"], json={"accept": ["summary"]}, headers=other_auth).status_code == 404
    assert client.delete(found["links"]["self"], headers=other_auth).status_code == 404
    assert client.get(found["links"]["self"], headers=auth).status_code == 200


def test_the_answers_conform_to_the_description(client: FlaskClient, auth: dict[str, str],
                                                 project: dict[str, Any], bid: dict[str, Any]) -> None:
    from .test_openapi import conforms

    spec = client.get("/api/v1/openapi.json").get_json()
    pid = project["id"]
    made = upload(client, auth, pid, partner_edits(bid))
    shown = client.get(made.headers["Location"], headers=auth)
    answers = [("/projects/{project_id}/imports", "post", made),
               ("/projects/{project_id}/imports", "post", upload(client, auth, pid, b"not a zip")),
               ("/projects/{project_id}/imports/{import_id}", "get", shown),
               ("/projects/{project_id}/imports/{import_id}/apply", "post",
                client.post(made.get_json()["links"]["apply"], json={"accept": ["nope"]}, headers=auth)),
               ("/projects/{project_id}/imports/{import_id}/apply", "post",
                client.post(made.get_json()["links"]["apply"], json={"accept": ["summary"]}, headers=auth)),
               ("/projects/{project_id}/imports/{import_id}", "get", client.get(made.headers["Location"],
                                                                                  headers=auth))]
    for path, method, response in answers:
        conforms(spec, path, method, response)
    assert [response.status_code for _, _, response in answers] == [201, 422, 200, 422, 200, 404]


def test_a_draft_with_far_more_text_than_a_bid_is_not_kept(client: FlaskClient, auth: dict[str, str],
                                                           project: dict[str, Any], bid: dict[str, Any]) -> None:
    filler = " ".join(f"word{n}" for n in range(120_000))
    data = edited(render(bid), lambda doc: set_text(under(doc, QUESTIONS["summary"])[0], filler))
    refused = upload(client, auth, project["id"], data)
    assert refused.status_code == 413 and "far more than a bid holds" in refused.get_json()["message"]
    shown = client.get(f"/api/v1/projects/{project['id']}", headers=auth).get_json()
    assert shown["updated_at"] == project["updated_at"]
