"""http/limits: each organisation's share of requests a minute; past it only that organisation waits (429)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from .conftest import new_key, signed_in

LIMIT = 5


@pytest.fixture(params=["embedded", "redis"])
def limited_app(request: pytest.FixtureRequest, make_app: Callable[..., Flask]) -> Flask:
    """An app allowing LIMIT requests a minute per organisation, on the embedded queue or on the real Redis."""
    settings: dict[str, Any] = {"REQUESTS_PER_MINUTE": LIMIT, "SECRET_KEY": "test-secret"}
    if request.param == "redis":
        settings["REDIS_URL"] = request.getfixturevalue("redis_url")
    return make_app(**settings)


def test_an_organisation_past_its_share_waits_and_the_others_do_not(limited_app: Flask) -> None:
    client = limited_app.test_client()
    busy = {"Authorization": f"Bearer {new_key(limited_app, 'Busy council')}"}
    calm = {"Authorization": f"Bearer {new_key(limited_app, 'Calm council')}"}
    answers = [client.get("/api/v1/projects", headers=busy) for _ in range(LIMIT + 2)]
    assert [a.status_code for a in answers] == [200] * LIMIT + [429, 429]
    refused = answers[-1]
    body = refused.get_json()
    assert set(body) == {"code", "status", "message", "errors"} and body["code"] == "too_many_requests"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert f"more than {LIMIT} requests this minute" in body["message"]
    assert client.get("/api/v1/projects", headers=calm).status_code == 200


def test_a_signed_in_person_past_the_share_gets_a_page_saying_when(limited_app: Flask) -> None:
    from labdocs.orgs import create_org
    from labdocs.users import create_user

    from .conftest import PASSWORD

    with limited_app.app_context():
        create_org("Page council")
        create_user("lead@page.example", "Page council", PASSWORD)
    client, _ = signed_in(limited_app, "lead@page.example")  # the project list it opens counts as one
    pages = [client.get("/projects") for _ in range(LIMIT)]
    assert pages[-1].status_code == 429 and "ask again in" in pages[-1].text
    assert "Retry-After" in pages[-1].headers


def test_no_limit_when_it_is_zero(make_app: Callable[..., Flask]) -> None:
    app = make_app(REQUESTS_PER_MINUTE=0)
    client, auth = app.test_client(), {"Authorization": f"Bearer {new_key(app, 'Free council')}"}
    assert {client.get("/api/v1/projects", headers=auth).status_code for _ in range(30)} == {200}
