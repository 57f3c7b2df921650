"""http/errors: a service labdocs needs being down or saturated answers 503 with Retry-After, never 500."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from labdocs.infra.db import database
from labdocs.infra.models import Document

from .conftest import new_key

pytestmark = pytest.mark.parametrize("backend", ["postgresql"], indirect=True)


def assert_unavailable(response: Any) -> None:
    body = response.get_json()
    assert response.status_code == 503 and response.headers["Retry-After"].isdigit()
    assert set(body) == {"code", "status", "message", "errors"} and body["code"] == "unavailable"
    assert "Nothing you sent is wrong" in body["message"]


def test_redis_down_answers_503_and_the_record_says_why(make_app: Callable[..., Flask], bid: dict[str, Any],
                                                       queued_config: dict[str, Any]) -> None:
    app = make_app(REDIS_URL="redis://127.0.0.1:1/0")  # nothing listens there
    client, auth = app.test_client(), {"Authorization": f"Bearer {new_key(app, 'Queue council')}"}
    project = client.post("/api/v1/projects", json=bid, headers=auth).get_json()
    response = client.post(f"/api/v1/projects/{project['id']}/documents", json={"kind": "bid"}, headers=auth)
    assert_unavailable(response)
    with app.app_context(), database().sessions() as db:
        document = db.scalars(select(Document)).one()
        assert document.status == "failed" and "job queue could not be reached" in (document.error or "")


def test_a_pool_with_no_free_connection_answers_503_in_time(make_app: Callable[..., Flask]) -> None:
    app = make_app(DATABASE_POOL_SIZE=1, DATABASE_MAX_OVERFLOW=0, DATABASE_POOL_TIMEOUT=1)
    client, auth = app.test_client(), {"Authorization": f"Bearer {new_key(app, 'Busy council')}"}
    with app.app_context():
        held = database().engine.connect()  # every connection the pool has
    try:
        assert_unavailable(client.get("/api/v1/projects", headers=auth))
    finally:
        held.close()
    assert client.get("/api/v1/projects", headers=auth).status_code == 200
