"""deletion: a deleted project, document, photo or zine is gone from every URL, listing, cache and the file store,
and never takes a file that something else, in any organisation, still uses."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image

from labdocs.config import EXAMPLES
from labdocs.infra.storage import file_store

from .conftest import BACKENDS, STORES, wait_for_document

pytestmark = pytest.mark.parametrize("backend", BACKENDS, indirect=True)


def photo(colour: tuple[int, int, int] = (200, 80, 40)) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (120, 80), colour).save(output, "JPEG")
    return output.getvalue()


def stored(app: Flask) -> set[str]:
    with app.app_context():
        return set(file_store().keys())


def make(client: FlaskClient, auth: dict[str, str], pid: str, **body: Any) -> dict[str, Any]:
    asked = client.post(f"/api/v1/projects/{pid}/documents", json=body, headers=auth)
    assert asked.status_code == 202, asked.get_json()
    done = wait_for_document(client, auth, asked.headers["Location"])
    assert done["status"] == "finished", done
    return done


def lab_with_everything(client: FlaskClient, auth: dict[str, str], bid: dict[str, Any],
                        report: dict[str, Any]) -> tuple[str, list[dict[str, Any]], str]:
    """A project with a photo in its report, a zine, and a bid, report page and project page made from it."""
    pid = client.post("/api/v1/projects", json=bid, headers=auth).get_json()["id"]
    image = client.post(f"/api/v1/projects/{pid}/images", headers=auth,
                        data={"file": (io.BytesIO(photo()), "resident.jpg")}).get_json()["id"]
    report = copy.deepcopy(report)
    report["case_studies"][0]["image"] = image
    assert client.put(f"/api/v1/projects/{pid}/report", json=report, headers=auth).status_code == 201
    made = [make(client, auth, pid, kind=kind, format=fmt) for kind, fmt in
            (("bid", "docx"), ("report", "html"), ("page", "html"))]
    return pid, made, image


@pytest.mark.parametrize("store", STORES, indirect=True)
def test_a_deleted_project_is_gone_everywhere_and_its_files_leave_the_store(
        app: Flask, client: FlaskClient, auth: dict[str, str], bid: dict[str, Any], report: dict[str, Any]) -> None:
    before = stored(app)
    pid, made, image = lab_with_everything(client, auth, bid, report)
    added = stored(app) - before
    assert len(added) >= 4  # the photo, the draft, the report page, the project page and its fragment
    assert client.delete(f"/api/v1/projects/{pid}", headers=auth).status_code == 204
    for url in (f"/api/v1/projects/{pid}", f"/api/v1/projects/{pid}/report", f"/api/v1/images/{image}",
                f"/api/v1/images/{image}/file", *(d["links"]["self"] for d in made),
                *(d["links"]["file"] for d in made)):
        assert client.get(url, headers=auth).status_code == 404, url
    assert client.get("/api/v1/projects", headers=auth).get_json()["projects"] == []
    assert stored(app) & added == set()
    again = client.post("/api/v1/projects", json=bid, headers=auth).get_json()["id"]
    assert make(client, auth, again, kind="bid")["reused"] is False  # the cache gives nothing deleted back


@pytest.mark.parametrize("store", STORES, indirect=True)
def test_a_file_another_organisation_also_has_stays(app: Flask, client: FlaskClient, auth: dict[str, str],
                                                    other_auth: dict[str, str], bid: dict[str, Any]) -> None:
    mine = client.post("/api/v1/projects", json=bid, headers=auth).get_json()["id"]
    theirs = client.post("/api/v1/projects", json=bid, headers=other_auth).get_json()["id"]
    my_draft, their_draft = make(client, auth, mine, kind="bid"), make(client, other_auth, theirs, kind="bid")
    assert my_draft["file_size"] == their_draft["file_size"]  # identical bytes: one stored file, two owners
    assert client.delete(f"/api/v1/projects/{mine}", headers=auth).status_code == 204
    kept = client.get(their_draft["links"]["file"], headers=other_auth)
    assert kept.status_code == 200 and len(kept.data) == their_draft["file_size"]


@pytest.mark.parametrize("store", STORES, indirect=True)
def test_a_deleted_document_leaves_an_identical_one_its_file(app: Flask, client: FlaskClient, auth: dict[str, str],
                                                            project: dict[str, Any]) -> None:
    first = make(client, auth, project["id"], kind="bid")
    second = make(client, auth, project["id"], kind="bid")
    assert second["reused"] is True
    assert client.delete(first["links"]["self"], headers=auth).status_code == 204
    assert client.get(first["links"]["self"], headers=auth).status_code == 404
    assert client.get(second["links"]["file"], headers=auth).status_code == 200
    count = len(stored(app))
    assert client.delete(second["links"]["self"], headers=auth).status_code == 204
    assert len(stored(app)) == count - 1


def test_a_photo_in_use_is_not_deleted_until_it_is_taken_out(app: Flask, client: FlaskClient, auth: dict[str, str],
                                                             bid: dict[str, Any], report: dict[str, Any]) -> None:
    pid, _, image = lab_with_everything(client, auth, bid, report)
    refused = client.delete(f"/api/v1/images/{image}", headers=auth)
    assert refused.status_code == 409 and "case study 1 of the report" in refused.get_json()["message"]
    report = copy.deepcopy(report)
    report["case_studies"][0]["image"], report["case_studies"][0]["alt"] = None, ""
    assert client.put(f"/api/v1/projects/{pid}/report", json=report, headers=auth).status_code == 200
    assert client.delete(f"/api/v1/images/{image}", headers=auth).status_code == 204
    assert client.get(f"/api/v1/images/{image}", headers=auth).status_code == 404


@pytest.mark.parametrize("what", ["projects", "documents", "images", "zines"])
def test_another_organisation_cannot_delete_anything(app: Flask, client: FlaskClient, auth: dict[str, str],
                                                     other_auth: dict[str, str], bid: dict[str, Any],
                                                     report: dict[str, Any], what: str) -> None:
    pid, made, image = lab_with_everything(client, auth, bid, report)
    zine = client.post(f"/api/v1/projects/{pid}/zines", json=json.loads((EXAMPLES / "zine.json").read_text()),
                       headers=auth)
    assert zine.status_code == 201, zine.get_json()
    ids = {"projects": pid, "documents": made[0]["id"], "images": image, "zines": zine.get_json()["id"]}
    assert client.delete(f"/api/v1/{what}/{ids[what]}", headers=other_auth).status_code == 404
    assert client.delete(f"/api/v1/{what}/{'0' * 32}", headers=auth).status_code == 404
    assert client.get(f"/api/v1/{what}/{ids[what]}", headers=auth).status_code == 200  # still there
    assert client.delete(f"/api/v1/{what}/{ids[what]}", headers=auth).status_code in (204, 409)  # its owner can


def test_a_deleted_zine_is_gone(client: FlaskClient, auth: dict[str, str], project: dict[str, Any]) -> None:
    made = client.post(f"/api/v1/projects/{project['id']}/zines",
                       json=json.loads((EXAMPLES / "zine.json").read_text()), headers=auth).get_json()
    assert client.delete(f"/api/v1/zines/{made['id']}", headers=auth).status_code == 204
    assert client.get(f"/api/v1/zines/{made['id']}", headers=auth).status_code == 404
    assert client.get(f"/api/v1/projects/{project['id']}/zines", headers=auth).get_json()["zines"] == []


def test_the_command_line_deletes_after_asking(tmp_path: Path, bid: dict[str, Any], backend: str) -> None:
    import subprocess
    import sys

    from labdocs import create_app
    from labdocs.orgs import find_org
    from labdocs.projects import create_project
    from labdocs.schemas.bid import load_bid

    from .conftest import ROOT
    from .test_cli import labdocs

    if backend != "sqlite":
        pytest.skip("the command line's own database: SQLite is enough to show the prompt")
    env = {"LABDOCS_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "LABDOCS_FILE_STORE": str(tmp_path)}
    assert labdocs("org", "create", "Delete council", env=env).returncode == 0
    app = create_app({"DATABASE_URL": env["LABDOCS_DATABASE_URL"], "FILE_STORE": str(tmp_path)})
    with app.app_context():
        org = find_org("Delete council")
        assert org is not None
        pid = create_project(org.id, load_bid(bid)).id

    def run(*args: str, answer: str = "") -> subprocess.CompletedProcess[str]:
        import os
        return subprocess.run([sys.executable, "-m", "labdocs.cli", "delete", *args], input=answer, text=True,
                              capture_output=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), **env},
                              timeout=60)

    kept = run("project", pid, "--org", "Delete council", answer="n\n")
    assert kept.returncode == 1 and "cannot be undone" in kept.stdout
    assert run("project", pid, "--org", "Nobody").stderr.strip() == "There is no organisation called 'Nobody'."
    done = run("project", pid, "--org", "Delete council", answer="y\n")
    assert done.returncode == 0 and f"Deleted project {pid}." in done.stdout
    gone = run("project", pid, "--org", "Delete council", "--yes")
    assert gone.returncode == 1 and "There is no such project in your organisation." in gone.stderr
    assert "Traceback" not in gone.stderr + kept.stderr
