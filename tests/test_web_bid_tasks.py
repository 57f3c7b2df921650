"""web/bid.py: the bid's task list (GOV.UK's pattern), "Have you completed this section?" at the end of each part,
and check your answers with its Change links, through Flask's test client (the browser journey is in
test_browser_bid_tasks.py)."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from flask import Flask
from markupsafe import escape

from labdocs.domain.funder_form import FORM
from labdocs.orgs import find_org
from labdocs.projects import get_project
from labdocs.web.bid import SECTIONS

from .conftest import new_project, signed_in

PROJECT_PART = {"title": "Brave governance", "funding_round": "CCIN Innovation Funding 2024 - Policy Lab",
                "lead_organisation": "Rochdale Borough Council", "funding_requested": "17500"}


def statuses(page: str) -> dict[str, str]:
    """Each task's status as the page says it, in words (tags stripped)."""
    found = re.findall(r'<div class="task-list-status" id="([a-z-]+)-status">(.*?)</div>', page, re.DOTALL)
    return {key: html.unescape(re.sub(r"<[^>]+>", "", text)).strip() for key, text in found}


def answers(app: Flask, project_id: str) -> dict[str, Any]:
    with app.app_context():
        org = find_org("Rochdale Borough Council")
        assert org is not None
        return dict(get_project(org.id, project_id).completed or {})


@pytest.fixture
def complete_id(web_project_id: str) -> str:
    """The example bid (complete, reconciled) as a project of the signed-in person's organisation."""
    return web_project_id


def test_a_new_bid_opens_on_its_task_list_with_every_part_not_yet_started(web_app: Flask) -> None:
    client, csrf = signed_in(web_app)
    sent = client.post("/projects/new", data={"csrf_token": csrf})
    assert sent.status_code == 303 and re.fullmatch(r"/projects/[0-9a-f]+/bid", sent.headers["Location"])
    page = client.get(sent.headers["Location"]).text
    assert "You have completed 0 of 10 parts." in page
    assert statuses(page) == {**{part.slug: "Not yet started" for part in SECTIONS}, "check": "Cannot start yet"}
    for number, part in enumerate(SECTIONS, start=1):  # each part a link, described by its status
        assert (f'<a class="task-list-link" href="{sent.headers["Location"]}/{part.slug}" '
                f'aria-describedby="{part.slug}-status">{number}. {escape(part.title)}</a>') in page
    # Checking the answers waits for a whole bid: not a link yet, and the hint says why.
    assert '<span class="task-list-text">Check your answers and download the draft</span>' in page
    assert "Fill in every part first:" in page


def test_statuses_move_as_parts_are_saved_and_the_answer_is_stored(web_app: Flask) -> None:
    client, csrf = signed_in(web_app)
    section = new_project(client, csrf)
    project_id = section.split("/")[2]
    tasks = f"/projects/{project_id}/bid"
    page = client.get(section).text
    assert "Have you completed this section?" in page and "No, I’ll come back later" in page
    assert "Save and come back later" not in page  # the question's "No" says it

    saved = client.post(section, data={"csrf_token": csrf, **PROJECT_PART, "completed": "no", "action": "continue"})
    assert saved.status_code == 303 and saved.headers["Location"] == tasks  # back to the task list
    assert statuses(client.get(tasks).text)["project"] == "In progress"
    assert answers(web_app, project_id) == {"bid": {"project": False}}
    assert 'value="no" checked' in client.get(section).text  # the answer is shown again

    saved = client.post(section, data={"csrf_token": csrf, **PROJECT_PART, "completed": "yes", "action": "continue"})
    assert saved.status_code == 303 and saved.headers["Location"] == tasks
    page = client.get(tasks).text
    assert statuses(page)["project"] == "Completed" and "You have completed 1 of 10 parts." in page
    assert answers(web_app, project_id) == {"bid": {"project": True}}
    assert 'id="completed" name="completed" type="radio" value="yes" checked' in client.get(section).text

    # A part saved without an answer is in progress; the part answered before keeps its answer.
    summary = section.replace("/bid/project", "/bid/summary")
    assert client.post(summary, data={"csrf_token": csrf, "summary": "A lab.", "action": "continue"}).status_code == 303
    assert statuses(client.get(tasks).text) == {**{part.slug: "Not yet started" for part in SECTIONS},
                                                "project": "Completed", "summary": "In progress",
                                                "check": "Cannot start yet"}
    # Saying no later takes Completed away.
    client.post(section, data={"csrf_token": csrf, **PROJECT_PART, "completed": "no", "action": "continue"})
    assert statuses(client.get(tasks).text)["project"] == "In progress"


def test_a_part_that_does_not_validate_cannot_be_completed(web_app: Flask) -> None:
    client, csrf = signed_in(web_app)
    section = new_project(client, csrf)
    project_id = section.split("/")[2]
    tasks = f"/projects/{project_id}/bid"

    # Yes, but the part lacks what it requires: what was typed is saved, the answer is refused in words.
    response = client.post(section, data={"csrf_token": csrf, "title": "Brave governance", "completed": "yes",
                                          "action": "continue"})
    assert response.status_code == 200  # the part is saved: a change, in the audit trail; only "Yes" is refused
    assert "There is a problem" in response.text and 'value="Brave governance"' in response.text
    assert '<a href="#funding_round">Funding round: This is required.</a>' in response.text
    assert '<a href="#completed">Have you completed this section?: Your answers are saved, but this part is not ' \
           'finished' in html.unescape(response.text).replace("&#39;", "'")
    assert answers(web_app, project_id) == {"bid": {"project": False}}
    assert statuses(client.get(tasks).text)["project"] == "In progress"

    # Yes with a wrong value: nothing saves, the draft is kept, and the part is not Completed.
    client.post(section, data={"csrf_token": csrf, **PROJECT_PART, "completed": "yes", "action": "continue"})
    assert statuses(client.get(tasks).text)["project"] == "Completed"
    wrong = client.post(section, data={"csrf_token": csrf, **PROJECT_PART, "funding_requested": "lots",
                                       "completed": "yes", "action": "continue"})
    assert wrong.status_code == 422 and 'value="lots"' in wrong.text
    page = client.get(tasks).text
    assert statuses(page)["project"] == "In progress" and "Not saved: has errors" in page
    assert 'aria-describedby="project-hint project-status"' in page


def test_check_your_answers_has_every_question_and_change_links_that_come_back(web_app: Flask,
                                                                               complete_id: str) -> None:
    client, csrf = signed_in(web_app)
    tasks = client.get(f"/projects/{complete_id}/bid").text
    assert statuses(tasks)["check"] == "Not yet started"
    assert f'href="/projects/{complete_id}/bid/check"' in tasks

    page = client.get(f"/projects/{complete_id}/bid/check")
    assert page.status_code == 200
    text = html.unescape(page.text)
    keys = re.findall(r'<dt class="summary-list-key">(.*?)</dt>', text, re.DOTALL)
    for question in FORM:  # every box of the form, in its words
        assert any(key.endswith(question.question) for key in keys), question.question
    assert len(keys) == len(FORM) + 2  # and the funding round and workstreams the bid keeps
    assert "Social partnerships: We will do:" in keys
    changes = re.findall(r'<a href="([^"]+)">Change<span class="visually-hidden"> (.*?)</span></a>', text)
    assert len(changes) == len(keys) and [name for _, name in changes] == keys
    assert (f"/projects/{complete_id}/bid/summary?return=check#summary",
            "Summary of project idea (150 words max)") in changes
    assert "Download draft bid" in text and "Checks against the funder's rules" in text

    # The Change link's page goes back to check your answers, and saving there returns to it.
    change = client.get(f"/projects/{complete_id}/bid/summary?return=check").text
    assert f'<a class="back-link" href="/projects/{complete_id}/bid/check">Back to check your answers</a>' in change
    assert '<input type="hidden" name="return" value="check">' in change
    saved = client.post(f"/projects/{complete_id}/bid/summary", data={
        "csrf_token": csrf, "summary": "A shorter summary, changed from check your answers.", "completed": "yes",
        "return": "check", "action": "continue"})
    assert saved.status_code == 303
    assert saved.headers["Location"] == f"/projects/{complete_id}/bid/check#part-summary"
    again = client.get(f"/projects/{complete_id}/bid/check").text
    assert "A shorter summary, changed from check your answers." in again


def test_check_your_answers_of_an_unfinished_bid_says_what_is_missing_and_offers_no_download(web_app: Flask) -> None:
    client, csrf = signed_in(web_app)
    section = new_project(client, csrf)
    client.post(section, data={"csrf_token": csrf, "title": "Half a lab"})
    page = client.get(section.replace("/bid/project", "/bid/check"))
    assert page.status_code == 200
    assert "Still to do" in page.text and "Download draft bid" not in page.text
    assert "Half a lab" in page.text and "Not answered yet" in page.text


def test_another_organisation_gets_404_for_the_task_list_check_answers_and_the_answer(web_app: Flask,
                                                                                   complete_id: str) -> None:
    other, other_csrf = signed_in(web_app, "other@example.org")
    for path in ("", "/check", "/summary?return=check"):
        assert other.get(f"/projects/{complete_id}/bid{path}").status_code == 404, path
    posted = other.post(f"/projects/{complete_id}/bid/summary", data={
        "csrf_token": other_csrf, "summary": "Hijack", "completed": "yes", "action": "continue"})
    assert posted.status_code == 404
    assert answers(web_app, complete_id) == {}


def test_the_completed_answer_is_refused_without_the_csrf_token(web_app: Flask, complete_id: str) -> None:
    client, _ = signed_in(web_app)
    for token in (None, "forged"):
        data = {"summary": "Changed", "completed": "yes", "action": "continue"}
        response = client.post(f"/projects/{complete_id}/bid/summary",
                               data=data if token is None else {**data, "csrf_token": token})
        assert response.status_code == 400 and "This form has expired" in response.text
    assert answers(web_app, complete_id) == {}
    assert statuses(client.get(f"/projects/{complete_id}/bid").text)["summary"] == "In progress"


def test_a_bid_from_the_api_is_in_progress_until_the_lab_lead_says_each_part_is_done(web_app: Flask,
                                                                                    complete_id: str) -> None:
    client, csrf = signed_in(web_app)
    page = client.get(f"/projects/{complete_id}/bid").text
    assert {statuses(page)[part.slug] for part in SECTIONS} == {"In progress"}
    for part in SECTIONS:  # "Yes" on each part's page as it stands: each validates
        form = client.get(f"/projects/{complete_id}/bid/{part.slug}").text
        fields = dict(re.findall(r'<input class="input[^"]*" id="[^"]+" name="([^"]+)" type="[a-z]+"\s+value="([^"]*)"',
                                 form))
        areas = dict(re.findall(r'<textarea class="textarea[^"]*" id="[^"]+" name="([^"]+)"[^>]*>(.*?)</textarea>',
                                form, re.DOTALL))
        chosen = dict(re.findall(r'<select class="select[^"]*" id="[^"]+" name="([^"]+)"[^>]*>\s*(?:<option[^>]*>'
                                 r'[^<]*</option>\s*)*?<option value="([^"]*)" selected', form))
        data = {**{k: html.unescape(v) for k, v in {**fields, **areas, **chosen}.items()}, "csrf_token": csrf,
                "completed": "yes", "action": "continue"}
        if 'name="co_operative_difference_agreed" type="checkbox" value="yes" checked' in form:
            data["co_operative_difference_agreed"] = "yes"
        assert client.post(f"/projects/{complete_id}/bid/{part.slug}", data=data).status_code == 303, part.slug
    page = client.get(f"/projects/{complete_id}/bid").text
    assert {statuses(page)[part.slug] for part in SECTIONS} == {"Completed"}
    assert "You have completed 10 of 10 parts." in page
