"""service/api/projects.py: create, read, update and list bids; errors in the shared shape."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from .conftest import BACKENDS

pytestmark = pytest.mark.parametrize("backend", BACKENDS, indirect=True)


def test_create_returns_201_with_location_and_checks(client: FlaskClient, auth: dict[str, str],
                                                     bid: dict[str, Any]) -> None:
    response = client.post("/api/v1/projects", json=bid, headers=auth)
    assert response.status_code == 201
    body = response.get_json()
    assert response.headers["Location"] == f"/api/v1/projects/{body['id']}"
    assert body["title"] == "Co-operative Governance"
    assert body["bid"]["funding_requested"] == "17500.00"
    assert [c["code"] for c in body["checks"]] == ["budget_mismatch"] + ["output_without_target"] * 4
    assert body["links"]["documents"] == f"/api/v1/projects/{body['id']}/documents"


def test_read_and_update(client: FlaskClient, auth: dict[str, str], project: dict[str, Any],
                         bid: dict[str, Any]) -> None:
    url = f"/api/v1/projects/{project['id']}"
    assert client.get(url, headers=auth).get_json()["bid"] == project["bid"]
    bid["budget"][1]["quantity"] = 1
    bid["title"] = "Co-operative Governance Lab"
    response = client.put(url, json=bid, headers=auth)
    assert response.status_code == 200
    body = response.get_json()
    assert body["title"] == "Co-operative Governance Lab"
    assert "budget_mismatch" not in [c["code"] for c in body["checks"]]
    assert client.get(url, headers=auth).get_json()["bid"]["budget"][1]["quantity"] == 1


def test_list_is_newest_first_and_only_ours(client: FlaskClient, auth: dict[str, str],
                                            other_auth: dict[str, str], bid: dict[str, Any]) -> None:
    for title in ("First lab", "Second lab"):
        client.post("/api/v1/projects", json={**bid, "title": title}, headers=auth)
    client.post("/api/v1/projects", json={**bid, "title": "Their lab"}, headers=other_auth)
    listed = client.get("/api/v1/projects", headers=auth).get_json()["projects"]
    assert [p["title"] for p in listed] == ["Second lab", "First lab"]


def test_invalid_bid_is_422_with_field_paths(client: FlaskClient, auth: dict[str, str],
                                             bid: dict[str, Any]) -> None:
    bid["budget"][2]["amount"] = "-5"
    bid["contact"]["email"] = "not-an-email"
    bid["unexpected"] = True
    response = client.post("/api/v1/projects", json=bid, headers=auth)
    assert response.status_code == 422
    assert response.get_json() == {
        "code": "validation_failed",
        "status": 422,
        "message": "The data has 3 problems.",
        "errors": {
            "contact.email": ["Not a valid email address."],
            "budget.2.amount": ["Must not be negative."],
            "unexpected": ["This is not a field of this form; check its spelling."],
        },
    }


def test_strict_turns_checks_into_422(client: FlaskClient, auth: dict[str, str], bid: dict[str, Any]) -> None:
    response = client.post("/api/v1/projects?strict=true", json=bid, headers=auth)
    assert response.status_code == 422
    body = response.get_json()
    assert body["code"] == "checks_failed"
    assert body["message"] == "The bid fails 5 funder checks."
    assert body["errors"]["budget"][0].startswith("The budget lines add up to £22,500.00")
    assert set(body["errors"]) == {"budget"} | {f"outcomes.outputs.{i}.target" for i in range(1, 5)}
    assert client.get("/api/v1/projects", headers=auth).get_json()["projects"] == []


@pytest.mark.parametrize(("body", "content_type", "status", "code"), [
    (b"not json", "application/json", 400, "bad_request"),
    (b'{"title": ', "application/json", 400, "bad_request"),
    (b"title=x", "application/x-www-form-urlencoded", 400, "bad_request"),
    (b"[" * 100_000 + b"]" * 100_000, "application/json", 400, "bad_request"),  # deeper than Python recurses
    (b"[]", "application/json", 422, "validation_failed"),
])
def test_malformed_bodies(client: FlaskClient, auth: dict[str, str], body: bytes, content_type: str,
                          status: int, code: str) -> None:
    response = client.post("/api/v1/projects", data=body, headers={**auth, "Content-Type": content_type})
    assert response.status_code == status
    assert response.get_json()["code"] == code
    assert set(response.get_json()) == {"code", "status", "message", "errors"}


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer ldk_wrong", "Basic dXNlcjpwYXNz", "ldk_x"])
def test_api_needs_a_valid_key(client: FlaskClient, header: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    response = client.get("/api/v1/projects", headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="labdocs"'
    assert response.get_json() == {
        "code": "unauthorized", "status": 401, "errors": {},
        "message": "Sign in first: send your API key as 'Authorization: Bearer <key>'.",
    }


def test_another_organisation_gets_404_not_403(client: FlaskClient, project: dict[str, Any],
                                               other_auth: dict[str, str], bid: dict[str, Any]) -> None:
    url = f"/api/v1/projects/{project['id']}"
    for response in (client.get(url, headers=other_auth), client.put(url, json=bid, headers=other_auth),
                     client.get(f"{url}/documents", headers=other_auth),
                     client.post(f"{url}/documents", json={"kind": "bid"}, headers=other_auth)):
        assert response.status_code == 404
        assert response.get_json()["message"] == "There is no such project in your organisation."


def test_unknown_address_and_method_use_the_error_shape(client: FlaskClient, auth: dict[str, str]) -> None:
    missing = client.get("/api/v1/nothing-here", headers=auth)
    assert missing.status_code == 404 and missing.get_json()["code"] == "not_found"
    wrong = client.delete("/api/v1/projects", headers=auth)
    assert wrong.status_code == 405 and wrong.get_json()["code"] == "method_not_allowed"
