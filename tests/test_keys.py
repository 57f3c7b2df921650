"""keys and users: several named API keys per organisation, revoked at once; a removed person's sessions end."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from .conftest import BACKENDS, signed_in


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@pytest.mark.parametrize("backend", BACKENDS, indirect=True)
def test_a_second_key_works_is_listed_and_revoking_it_locks_it_out_at_once(client: FlaskClient,
                                                                           auth: dict[str, str]) -> None:
    made = client.post("/api/v1/keys", json={"name": "grants system"}, headers=auth)
    assert made.status_code == 201
    second = made.get_json()
    assert second["key"].startswith("ldk_") and second["name"] == "grants system" and second["current"] is False
    assert client.get("/api/v1/projects", headers=bearer(second["key"])).status_code == 200
    listed = client.get("/api/v1/keys", headers=bearer(second["key"])).get_json()["keys"]
    assert [(k["name"], k["current"]) for k in listed] == [("first key", False), ("grants system", True)]
    assert all("key" not in k for k in listed) and listed[1]["last_used_at"] is not None
    assert client.delete(f"/api/v1/keys/{second['id']}", headers=auth).status_code == 204
    assert client.get("/api/v1/projects", headers=bearer(second["key"])).status_code == 401
    assert client.get("/api/v1/keys", headers=auth).get_json()["keys"][1]["revoked_at"] is not None


def test_a_key_cannot_revoke_itself_by_accident(client: FlaskClient, auth: dict[str, str]) -> None:
    own = next(k for k in client.get("/api/v1/keys", headers=auth).get_json()["keys"] if k["current"])
    refused = client.delete(f"/api/v1/keys/{own['id']}", headers=auth)
    assert refused.status_code == 409 and "confirm=true" in refused.get_json()["message"]
    assert client.get("/api/v1/projects", headers=auth).status_code == 200
    assert client.delete(f"/api/v1/keys/{own['id']}?confirm=true", headers=auth).status_code == 204
    assert client.get("/api/v1/projects", headers=auth).status_code == 401


def test_another_organisations_key_is_not_found(client: FlaskClient, auth: dict[str, str],
                                                other_auth: dict[str, str]) -> None:
    own = client.get("/api/v1/keys", headers=auth).get_json()["keys"][0]
    assert client.delete(f"/api/v1/keys/{own['id']}", headers=other_auth).status_code == 404
    assert client.get("/api/v1/keys", headers=other_auth).get_json()["keys"][0]["id"] != own["id"]


@pytest.mark.parametrize("body", [{}, {"name": ""}, {"name": "  "}, {"name": "x" * 101}, {"name": 5}, []])
def test_a_key_needs_a_name(client: FlaskClient, auth: dict[str, str], body: Any) -> None:
    response = client.post("/api/v1/keys", json=body, headers=auth)
    assert response.status_code == 422 and "name" in response.get_json()["errors"]


def test_a_removed_person_is_signed_out_everywhere(web_app: Flask) -> None:
    from labdocs.users import remove_user

    client, _ = signed_in(web_app)
    assert client.get("/projects").status_code == 200
    with web_app.app_context():
        remove_user("lead@example.org")
    assert client.get("/projects").status_code in (302, 303)  # back to sign-in: the session ended


def test_keys_and_people_from_the_command_line(tmp_path: Path) -> None:
    from .test_cli import labdocs

    env = {"LABDOCS_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "LABDOCS_FILE_STORE": str(tmp_path)}
    assert labdocs("org", "create", "Key council", env=env).returncode == 0
    made = labdocs("key", "create", "--org", "Key council", "--name", "reporting", env=env)
    assert made.returncode == 0 and made.stdout.strip().startswith("ldk_")
    listed = labdocs("key", "list", "--org", "Key council", env=env).stdout.splitlines()
    assert len(listed) == 2 and "reporting" in listed[1] and "live" in listed[1]
    revoked = labdocs("key", "revoke", listed[1].split()[0], "--org", "Key council", "--yes", env=env)
    assert revoked.returncode == 0 and "Revoked key 'reporting'" in revoked.stdout
    assert "revoked" in labdocs("key", "list", "--org", "Key council", env=env).stdout.splitlines()[1]
    from labdocs import create_app
    from labdocs.audit import trail
    from labdocs.orgs import find_org

    with create_app({"DATABASE_URL": env["LABDOCS_DATABASE_URL"], "FILE_STORE": str(tmp_path)}).app_context():
        org = find_org("Key council")
        assert org is not None
        events = [(e.actor, e.action) for e in trail(org.id)]
    assert events == [("the command line", "deleted"), ("the command line", "created")]  # in the audit trail
    missing = labdocs("user", "remove", "nobody@example.org", "--yes", env=env)
    assert missing.returncode == 1 and "There is no user" in missing.stderr and "Traceback" not in missing.stderr
