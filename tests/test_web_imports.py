"""web/imports.py: the edited draft uploaded from the project page, each change reviewed with its diff, accepted
or rejected; hostile files refused on the page; another organisation's project and import are 404."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from labdocs.domain.funder_form import QUESTIONS
from labdocs.infra.db import session
from labdocs.infra.models import Organisation, Project
from labdocs.projects import create_project
from labdocs.schemas.bid import load_bid

from .conftest import signed_in
from .docx_editing import edited, hostile_files, paragraph_starting, render, set_text, track_insertion, under


@pytest.fixture
def project_id(web_app: Flask, bid: dict[str, Any]) -> str:
    with web_app.app_context():
        org = session().scalar(select(Organisation).where(Organisation.name == "Rochdale Borough Council"))
        assert org is not None
        return create_project(org.id, load_bid(bid)).id


def stored_bid(app: Flask, project_id: str) -> dict[str, Any]:
    with app.app_context():
        project = session().get(Project, project_id)
        assert project is not None
        return dict(project.bid)


def send(client: FlaskClient, csrf: str, project_id: str, data: bytes, name: str = "draft.docx",
         **form: str) -> Any:
    return client.post(f"/projects/{project_id}/imports", content_type="multipart/form-data",
                       data={"csrf_token": csrf, "file": (io.BytesIO(data), name), **form})


def edits(bid: dict[str, Any]) -> bytes:
    def edit(doc: Any) -> None:
        set_text(paragraph_starting(doc, bid["aims"]["learning"][:30]), "We will publish what we learn.")
        set_text(under(doc, QUESTIONS["summary"])[0], "A <b>short</b> summary.")
    return edited(render(bid), edit)


def test_the_lead_reviews_each_change_and_keeps_the_accepted_ones(web_app: Flask, project_id: str,
                                                                  bid: dict[str, Any]) -> None:
    client, csrf = signed_in(web_app)
    page = client.get(f"/projects/{project_id}")
    assert 'enctype="multipart/form-data"' in page.text and f"/projects/{project_id}/imports" in page.text
    assert '<label class="label" for="file">' in page.text
    sent = send(client, csrf, project_id, edits(bid))
    assert sent.status_code == 303, sent.text
    review = client.get(sent.headers["Location"])
    assert review.status_code == 200
    assert "2 answers changed" in review.text
    assert '<legend class="fieldset-legend fieldset-legend-m">Summary of project idea (150 words max)</legend>' \
        in review.text
    assert "Learning: we will do" in review.text
    assert '<ins class="diff-added"><span class="visually-hidden">Added: </span>A &lt;b&gt;short&lt;/b&gt; ' \
        "summary.</ins>" in review.text
    assert '<del class="diff-removed">' in review.text
    assert 'name="csrf_token"' in review.text

    unanswered = client.post(sent.headers["Location"], data={"csrf_token": csrf, "action": "apply",
                                                            "aims-learning": "accept"})
    assert unanswered.status_code == 422
    assert 'href="#summary"' in unanswered.text and "Choose whether to accept or reject the change to Summary" \
        in unanswered.text
    assert 'value="accept" checked' in unanswered.text  # what was chosen is kept

    decided = client.post(sent.headers["Location"], data={"csrf_token": csrf, "action": "apply",
                                                         "aims-learning": "accept", "summary": "reject"})
    assert decided.status_code == 303 and decided.headers["Location"].endswith(f"/projects/{project_id}?imported=1")
    assert "1 change(s) from the file were saved to the bid." in client.get(decided.headers["Location"]).text
    saved = stored_bid(web_app, project_id)
    assert saved["aims"]["learning"] == "We will publish what we learn."
    assert saved["summary"] == load_bid(bid)["summary"]
    assert client.get(sent.headers["Location"]).status_code == 404  # applied: gone


def test_tracked_changes_need_a_choice_on_the_page(web_app: Flask, project_id: str, bid: dict[str, Any]) -> None:
    client, csrf = signed_in(web_app)
    data = edited(render(bid), lambda doc: track_insertion(under(doc, QUESTIONS["summary"])[0], " More words."))
    unchosen = send(client, csrf, project_id, data)
    assert unchosen.status_code == 422
    assert 'href="#tracked_changes"' in unchosen.text and "choose whether to accept them all" in unchosen.text
    chosen = send(client, csrf, project_id, data, tracked_changes="accept")
    review = client.get(chosen.headers["Location"])
    assert "all accepted as you chose" in review.text and "Inserted by A partner in Summary" in review.text


def test_rejecting_every_change_saves_nothing(web_app: Flask, project_id: str, bid: dict[str, Any]) -> None:
    client, csrf = signed_in(web_app)
    before = stored_bid(web_app, project_id)
    sent = send(client, csrf, project_id, edits(bid))
    rejected = client.post(sent.headers["Location"], data={"csrf_token": csrf, "action": "reject-all"})
    assert rejected.status_code == 303 and rejected.headers["Location"].endswith("?imported=0")
    assert stored_bid(web_app, project_id) == before


@pytest.mark.parametrize("name", ["not a zip", "zip bomb", "xxe entity", "docm with vbaProject.bin",
                                  "not made by labdocs"])
def test_hostile_files_are_refused_on_the_page(web_app: Flask, project_id: str, bid: dict[str, Any],
                                               name: str) -> None:
    client, csrf = signed_in(web_app)
    before = stored_bid(web_app, project_id)
    refused = send(client, csrf, project_id, hostile_files(bid)[name])
    assert refused.status_code == 422
    assert 'class="error-summary"' in refused.text and 'href="#file"' in refused.text
    assert stored_bid(web_app, project_id) == before
    with web_app.app_context():
        project = session().get(Project, project_id)
        assert project is not None and "word-import" not in (project.drafts or {})


def test_without_the_csrf_token_nothing_is_read(web_app: Flask, project_id: str, bid: dict[str, Any]) -> None:
    client, _ = signed_in(web_app)
    assert send(client, "forged", project_id, edits(bid)).status_code == 400


def test_another_organisation_gets_404(web_app: Flask, project_id: str, bid: dict[str, Any]) -> None:
    client, csrf = signed_in(web_app)
    sent = send(client, csrf, project_id, edits(bid))
    other, other_csrf = signed_in(web_app, "other@example.org")
    assert send(other, other_csrf, project_id, edits(bid)).status_code == 404
    assert other.get(sent.headers["Location"]).status_code == 404
    assert other.post(sent.headers["Location"], data={"csrf_token": other_csrf, "action": "reject-all"}
                      ).status_code == 404
    assert other.get(f"/projects/{project_id}/imports/new").status_code == 404
    assert re.search(r"/imports/[0-9a-f]+$", sent.headers["Location"])
    assert client.get(sent.headers["Location"]).status_code == 200


def test_the_upload_page_and_a_file_over_the_limit(web_app: Flask, project_id: str) -> None:
    from labdocs.domain.docx_bid import MAX_BYTES

    client, csrf = signed_in(web_app)
    page = client.get(f"/projects/{project_id}/imports/new")
    assert page.status_code == 200 and "Bring back edits from Word" in page.text
    refused = send(client, csrf, project_id, b"PK" + b"\0" * (MAX_BYTES + 1))
    assert refused.status_code == 413 and "at most 10 MB" in refused.text


def test_an_accepted_change_that_breaks_a_rule_is_shown_on_its_change(web_app: Flask, project_id: str,
                                                                     bid: dict[str, Any]) -> None:
    def edit(doc: Any) -> None:
        cell = next(row.cells[1] for row in doc.tables[0].rows if row.cells[0].text == "Contact Email")
        set_text(cell.paragraphs[0], "nobody")
    client, csrf = signed_in(web_app)
    sent = send(client, csrf, project_id, edited(render(bid), edit))
    refused = client.post(sent.headers["Location"], data={"csrf_token": csrf, "action": "apply",
                                                          "contact-email": "accept"})
    assert refused.status_code == 422
    assert 'href="#contact-email"' in refused.text and "Not a valid email address." in refused.text
    assert stored_bid(web_app, project_id)["contact"]["email"] == "policy.lab@example.org"


def test_an_entry_export_fills_a_bid_still_being_written(web_app: Flask) -> None:
    """A bid started on the pages is partial: accepted changes are saved part by part, as its pages save them."""
    from pathlib import Path

    from .conftest import new_project

    client, csrf = signed_in(web_app)
    project_id = new_project(client, csrf).split("/")[2]
    entry = (Path(__file__).parent / "fixtures" / "entry_510.txt").read_bytes()
    sent = send(client, csrf, project_id, entry, "entry.txt")
    assert sent.status_code == 303, sent.text
    review = client.get(sent.headers["Location"])
    assert "Project Title" in review.text and "Needs a person" in review.text
    fields = re.findall(r'<input class="radio-input" type="radio" id="([\w-]+)" name="\1" value="accept"',
                        review.text)
    assert "title" in fields and "aims-learning" in fields
    choices = {field: "accept" if field in ("title", "summary", "aims-learning") else "reject" for field in fields}
    decided = client.post(sent.headers["Location"], data={"csrf_token": csrf, "action": "apply", **choices})
    assert decided.status_code == 303, decided.text
    saved = stored_bid(web_app, project_id)
    assert saved["title"] == "Co-operative Governance" and saved["summary"].startswith("There is a dissonance")
    assert saved["aims"]["learning"] and "budget" not in saved
