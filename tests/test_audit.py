"""audit: who created, changed, downloaded and deleted what, readable by the organisation only, kept for a time."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from labdocs.audit import forget_old
from labdocs.infra.db import session
from labdocs.infra.models import AuditEvent, utcnow

from .conftest import BACKENDS, signed_in, wait_for_document


@pytest.mark.parametrize("backend", BACKENDS, indirect=True)
def test_changes_and_downloads_are_in_the_trail_of_their_organisation_only(
        client: FlaskClient, auth: dict[str, str], other_auth: dict[str, str], bid: dict[str, Any]) -> None:
    pid = client.post("/api/v1/projects", json=bid, headers=auth).get_json()["id"]
    client.put(f"/api/v1/projects/{pid}", json={**bid, "title": "Renamed"}, headers=auth)
    asked = client.post(f"/api/v1/projects/{pid}/documents", json={"kind": "bid"}, headers=auth)
    done = wait_for_document(client, auth, asked.headers["Location"])
    client.get(done["links"]["file"], headers=auth)
    client.get(f"/api/v1/projects/{pid}", headers=auth)  # a plain read is not in the trail
    client.post("/api/v1/projects", json={"title": 5}, headers=auth)  # nor is a refused change
    client.delete(f"/api/v1/projects/{pid}", headers=auth)
    events = client.get("/api/v1/audit", headers=auth).get_json()["events"]
    assert [(e["action"], e["subject"]) for e in events] == [
        ("deleted", f"/api/v1/projects/{pid}"), ("downloaded", f"/api/v1/documents/{done['id']}/file"),
        ("created", f"/api/v1/projects/{pid}/documents"), ("changed", f"/api/v1/projects/{pid}"),
        ("created", "/api/v1/projects")]
    assert all(e["actor"].startswith("api key ldk_") and e["actor"].endswith("(first key)") for e in events)
    assert client.get("/api/v1/audit", headers=other_auth).get_json()["events"] == []
    older = client.get(f"/api/v1/audit?before={events[1]['id']}&limit=2", headers=auth).get_json()["events"]
    assert [e["id"] for e in older] == [events[2]["id"], events[3]["id"]]


@pytest.mark.parametrize("query", ["limit=0", "limit=501", "limit=ten", "before=-1", "before=" + "9" * 20])
def test_bad_paging_is_a_422(client: FlaskClient, auth: dict[str, str], query: str) -> None:
    response = client.get(f"/api/v1/audit?{query}", headers=auth)
    assert response.status_code == 422 and set(response.get_json()["errors"]) <= {"limit", "before"}


def test_a_change_on_the_web_pages_names_the_person(web_app: Flask) -> None:
    client, csrf = signed_in(web_app)
    created = client.post("/projects/new", data={"csrf_token": csrf})
    assert created.status_code in (302, 303)
    with web_app.app_context():
        event = session().query(AuditEvent).one()
    # .one(): the sign-in itself is not a change to data, so only the new project is in the trail
    assert (event.actor, event.action, event.subject) == ("user lead@example.org", "created", "/projects/new")


def test_old_events_are_forgotten_after_the_retention(client: FlaskClient, auth: dict[str, str],
                                                     bid: dict[str, Any], app: Flask) -> None:
    client.post("/api/v1/projects", json=bid, headers=auth)
    with app.app_context():
        assert forget_old(utcnow() + timedelta(days=364)) == 0
        assert forget_old(utcnow() + timedelta(days=366)) == 1
        assert session().query(AuditEvent).count() == 0
