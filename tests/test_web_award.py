"""web/award.py: the award recorded on a page (checked, shown, on the project page made next) and the register."""

from __future__ import annotations

import time
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from labdocs.config import EXAMPLES
from labdocs.infra.db import session
from labdocs.infra.models import Organisation, Project
from labdocs.projects import create_project
from labdocs.register import load_csv
from labdocs.schemas.bid import load_bid

from .conftest import signed_in

FORM = {"amount": "17,500", "date": "2024-03-15", "reference": "CCIN-IF-2024-07", "start": "2024-04-01",
        "end": "2025-03-31", "funder-name": "Oldham Council", "funder-org_id": "GB-LAE-OLD",
        "locations-0-name": "Rochdale", "locations-0-code": "E08000005", "action": "continue"}


def lab(web_app: Flask, bid: dict[str, Any], with_register: bool = True) -> str:
    """A project of the signed-in person's organisation, the example register loaded."""
    with web_app.app_context():
        org = session().scalar(select(Organisation).where(Organisation.name == "Rochdale Borough Council"))
        assert org is not None
        if with_register:
            load_csv((EXAMPLES / "register.csv").read_text())
        return create_project(org.id, load_bid(bid)).id


def stored_award(web_app: Flask, project_id: str) -> Any:
    with web_app.app_context():
        return session().get(Project, project_id).award  # type: ignore[union-attr]


def test_an_award_is_recorded_shown_and_removed(web_app: Flask, bid: dict[str, Any]) -> None:
    project_id = lab(web_app, bid)
    client, csrf = signed_in(web_app)
    assert "record the award" in client.get(f"/projects/{project_id}").text
    form = client.get(f"/projects/{project_id}/award").text
    assert 'type="date"' in form and "Where the project benefits" in form and "Remove the award" not in form
    saved = client.post(f"/projects/{project_id}/award", data={**FORM, "csrf_token": csrf})
    assert saved.status_code == 303 and saved.headers["Location"].endswith("saved=award#award")
    award = stored_award(web_app, project_id)
    assert award["amount"] == "17500.00" and award["locations"] == [{"name": "Rochdale", "code": "E08000005"}]
    assert award["recipient_org_id"] == "GB-LAE-RCH"  # from the register's entry for the lead
    shown = client.get(saved.headers["Location"]).text
    for text in ("The award was saved.", "£17,500.00 on 15 March 2024", "CCIN-IF-2024-07", "Oldham Council",
                 "1 April 2024 to 31 March 2025", "GB-LAE-RCH", "Change the award"):
        assert text in shown, text
    assert "Remove the award" in client.get(f"/projects/{project_id}/award").text
    removed = client.post(f"/projects/{project_id}/award/delete", data={"csrf_token": csrf})
    assert removed.status_code == 303 and stored_award(web_app, project_id) is None
    assert "The award was removed." in client.get(removed.headers["Location"]).text


@pytest.mark.parametrize(("change", "field", "said"), [
    ({"amount": ""}, "amount", "Amount awarded"), ({"amount": "lots"}, "amount", "Amount awarded"),
    ({"date": ""}, "date", "Award date"), ({"reference": ""}, "reference", "Grant reference"),
    ({"end": "2024-01-01"}, "end", "Planned end"), ({"funder-name": ""}, "funder-name", "Funder"),
    ({"funder-org_id": "CCIN"}, "funder-org_id", "Funder&#39;s org-id"),
    ({"locations-0-name": ""}, "locations-0-name", "Place 1"),
])
def test_a_bad_award_is_shown_on_its_field(web_app: Flask, bid: dict[str, Any], change: dict[str, str],
                                          field: str, said: str) -> None:
    project_id = lab(web_app, bid)
    client, csrf = signed_in(web_app)
    page = client.post(f"/projects/{project_id}/award", data={**FORM, **change, "csrf_token": csrf})
    assert page.status_code == 422 and "There is a problem" in page.text
    assert f'href="#{field}"' in page.text and said in page.text and f'id="{field}-error"' in page.text
    assert "null" not in page.text and "None" not in page.text
    assert stored_award(web_app, project_id) is None
    assert all(value in page.text for key, value in {**FORM, **change}.items() if key != "action" and value)


def test_places_are_added_and_removed_without_javascript(web_app: Flask, bid: dict[str, Any]) -> None:
    project_id = lab(web_app, bid)
    client, csrf = signed_in(web_app)
    added = client.post(f"/projects/{project_id}/award", data={**FORM, "csrf_token": csrf, "action": "add-locations"})
    assert added.status_code == 200 and 'id="locations-1-name"' in added.text and 'value="Rochdale"' in added.text
    assert stored_award(web_app, project_id) is None  # adding a row saves nothing
    two = {**FORM, "locations-1-name": "Oldham", "csrf_token": csrf}
    removed = client.post(f"/projects/{project_id}/award", data={**two, "action": "remove-locations-0"})
    assert 'value="Oldham"' in removed.text and 'value="Rochdale"' not in removed.text


def test_the_org_id_given_is_kept_and_an_unknown_lead_leaves_it_empty(web_app: Flask, bid: dict[str, Any]) -> None:
    project_id = lab(web_app, bid, with_register=False)
    client, csrf = signed_in(web_app)
    client.post(f"/projects/{project_id}/award", data={**FORM, "csrf_token": csrf})
    assert stored_award(web_app, project_id)["recipient_org_id"] is None
    assert "Not known yet: the register of organisations gives none" in client.get(f"/projects/{project_id}").text
    client.post(f"/projects/{project_id}/award", data={**FORM, "recipient_org_id": "GB-LAE-ABC", "csrf_token": csrf})
    assert stored_award(web_app, project_id)["recipient_org_id"] == "GB-LAE-ABC"


def test_another_organisation_cannot_see_or_change_the_award(web_app: Flask, bid: dict[str, Any]) -> None:
    project_id = lab(web_app, bid)
    other, csrf = signed_in(web_app, "other@example.org")
    assert other.get(f"/projects/{project_id}/award").status_code == 404
    assert other.post(f"/projects/{project_id}/award", data={**FORM, "csrf_token": csrf}).status_code == 404
    assert other.post(f"/projects/{project_id}/award/delete", data={"csrf_token": csrf}).status_code == 404
    assert stored_award(web_app, project_id) is None


def test_the_project_page_made_after_the_award_shows_it(web_app: Flask, bid: dict[str, Any]) -> None:
    project_id = lab(web_app, bid)
    client, csrf = signed_in(web_app)
    client.post(f"/projects/{project_id}/award", data={**FORM, "csrf_token": csrf})
    made = made_page(client, csrf, project_id)
    for text in ("<dt>Grant awarded</dt><dd>£17,500.00 on 15 March 2024</dd>",
                 "<dt>Funded by</dt><dd>Oldham Council</dd>", "<dt>Where</dt><dd>Rochdale</dd>"):
        assert text in made, text


def made_page(client: FlaskClient, csrf: str, project_id: str) -> str:
    """The project page (HTML) asked for from the project's page, once made."""
    asked = client.post(f"/projects/{project_id}/documents",
                        data={"csrf_token": csrf, "kind": "page", "format": "html"})
    deadline = time.monotonic() + 30
    while client.get(asked.headers["Location"] + "/status").get_json()["status"] != "finished":
        assert time.monotonic() < deadline
        time.sleep(0.1)
    return client.get(asked.headers["Location"] + "/download").text


def test_the_register_is_on_a_page_and_downloads_as_csv(web_app: Flask, bid: dict[str, Any]) -> None:
    client, _ = signed_in(web_app)
    assert "The register is empty" in client.get("/register").text
    lab(web_app, bid)
    page = client.get("/register").text
    assert "<th scope=\"row\">Rochdale Borough Council</th>" in page and "GB-LAE-RCH" in page
    assert "Rochdale Metropolitan Borough Council; Rochdale Council" in page
    exported = client.get("/register.csv")
    assert exported.mimetype == "text/csv" and exported.text.splitlines()[0] == "name,kind,identifier,aliases"
    assert "Rochdale Borough Council,council,GB-LAE-RCH" in exported.text
    assert "The register of organisations" in client.get("/projects").text
    assert web_app.test_client().get("/register.csv").status_code in (302, 303)  # signed out: to sign in
