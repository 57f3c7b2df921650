"""retention: documents past their organisation's retention are removed with their files; the data stays."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from labdocs.infra.db import session
from labdocs.infra.models import Document, Organisation, utcnow
from labdocs.infra.storage import file_store
from labdocs.jobs.worker import purge_expired
from labdocs.retention import purge, set_retention

from .conftest import BACKENDS, STORES, wait_for_document


def aged(app: Flask, location: str, days: int) -> str:
    """Pretend the document finished `days` ago."""
    document_id = location.rsplit("/", 1)[-1]
    with app.app_context():
        document = session().get(Document, document_id)
        assert document is not None
        document.finished_at = utcnow() - timedelta(days=days)
        session().commit()
    return document_id


def made(client: FlaskClient, auth: dict[str, str], project: dict[str, Any], title: str = "") -> str:
    if title:
        project = client.put(f"/api/v1/projects/{project['id']}", json={**project["bid"], "title": title},
                             headers=auth).get_json()
    location = client.post(f"/api/v1/projects/{project['id']}/documents", json={"kind": "bid"},
                           headers=auth).headers["Location"]
    assert wait_for_document(client, auth, location)["status"] == "finished"
    return location


@pytest.mark.parametrize("store", STORES, indirect=True)
@pytest.mark.parametrize("backend", BACKENDS, indirect=True)
def test_old_documents_go_with_their_files_and_new_ones_and_the_data_stay(make_app: Any, auth: dict[str, str],
                                                                        project: dict[str, Any]) -> None:
    app = make_app(DOCUMENT_RETENTION_DAYS=30)
    client = app.test_client()
    old = made(client, auth, project)
    new = made(client, auth, project, title="Renamed lab")
    old_id = aged(app, old, days=31)
    aged(app, new, days=29)
    with app.app_context():
        key = session().get(Document, old_id).file_key  # type: ignore[union-attr]
        assert key and file_store().exists(key)
        listed = purge(dry_run=True)
        assert [item["id"] for item in listed] == [old_id]
        assert client.get(old, headers=auth).status_code == 200  # a dry run removes nothing
        assert purge_expired(app) == 1
    assert client.get(old, headers=auth).status_code == 404 and client.get(new, headers=auth).status_code == 200
    with app.app_context():
        assert key and not file_store().exists(key)
    assert client.get(f"/api/v1/projects/{project['id']}", headers=auth).status_code == 200  # the data stays


def test_an_organisations_own_retention_overrides_the_installations(
        make_app: Any, auth: dict[str, str], other_auth: dict[str, str], project: dict[str, Any],
        bid: dict[str, Any]) -> None:
    app = make_app(DOCUMENT_RETENTION_DAYS=0)  # the installation keeps everything
    client = app.test_client()
    theirs = client.post("/api/v1/projects", json=bid, headers=other_auth).get_json()
    mine, other = made(client, auth, project), made(client, other_auth, theirs)
    aged(app, mine, 10), aged(app, other, 10)
    with app.app_context():
        document = session().get(Document, mine.rsplit("/", 1)[-1])
        assert document is not None
        org = session().get(Organisation, document.org_id)
        assert org is not None
        set_retention(org, 7)
        assert [item["organisation"] for item in purge()] == [org.name]
    assert client.get(mine, headers=auth).status_code == 404
    assert client.get(other, headers=other_auth).status_code == 200


def test_purge_from_the_command_line(tmp_path: Path) -> None:
    from .test_cli import labdocs

    env = {"LABDOCS_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "LABDOCS_FILE_STORE": str(tmp_path)}
    assert labdocs("org", "create", "Keep council", env=env).returncode == 0
    kept = labdocs("org", "retention", "Keep council", "90", env=env)
    assert kept.stdout == "Keep council: documents kept 90 days.\n"
    for bad_days in ("a year", "99999", "1.5"):
        bad = labdocs("org", "retention", "Keep council", bad_days, env=env)
        assert bad.returncode == 1 and "whole number" in bad.stderr and "Traceback" not in bad.stderr
    dry = labdocs("purge", "--dry-run", env=env)
    assert dry.returncode == 0 and dry.stderr.strip() == "0 document(s) would be removed."
