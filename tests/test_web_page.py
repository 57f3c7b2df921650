"""web/: the project page asked for from the project's page, made, and downloaded, under the register's names."""

from __future__ import annotations

import time
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from labdocs.config import EXAMPLES
from labdocs.infra.db import session
from labdocs.infra.models import Organisation, Project
from labdocs.projects import create_project
from labdocs.register import load_csv
from labdocs.schemas.bid import load_bid

from .conftest import STORES, signed_in


@pytest.mark.parametrize("store", STORES, indirect=True)
def test_a_lead_makes_the_project_page_from_the_project(web_app: Flask, bid: dict[str, Any]) -> None:
    with web_app.app_context():
        org = session().scalar(select(Organisation).where(Organisation.name == "Rochdale Borough Council"))
        assert org is not None
        project_id = create_project(org.id, load_bid(bid)).id
        load_csv((EXAMPLES / "register.csv").read_text())
    client, csrf = signed_in(web_app)
    page = client.get(f"/projects/{project_id}")
    assert "Make the project page (web page)" in page.text and "Make the project page (Markdown)" in page.text
    asked = client.post(f"/projects/{project_id}/documents",
                        data={"csrf_token": csrf, "kind": "page", "format": "html"})
    assert asked.status_code == 303
    status_url = asked.headers["Location"] + "/status"
    deadline = time.monotonic() + 30
    while client.get(status_url).get_json()["status"] != "finished":
        assert time.monotonic() < deadline, client.get(status_url).get_json()
        time.sleep(0.1)
    shown = client.get(asked.headers["Location"]).text
    assert "Download the project page" in shown and "Download the part to paste into the network's site" in shown
    assert "is in the register as “Action Together CIO”" in shown  # the register's warning, on the page
    made = client.get(asked.headers["Location"] + "/download")
    assert made.status_code == 200 and "Action Together CIO" in made.text
    fragment = client.get(asked.headers["Location"] + "/files/page-fragment.html")
    assert fragment.status_code == 200 and "<h1" not in fragment.text
    other, _ = signed_in(web_app, "other@example.org")
    assert other.get(asked.headers["Location"]).status_code == 404


def test_a_lead_deletes_a_project_after_confirming(web_app: Flask, bid: dict[str, Any]) -> None:
    with web_app.app_context():
        org = session().scalar(select(Organisation).where(Organisation.name == "Rochdale Borough Council"))
        assert org is not None
        project_id = create_project(org.id, load_bid(bid)).id
    client, csrf = signed_in(web_app)
    page = client.get(f"/projects/{project_id}").text
    assert f'href="/projects/{project_id}/delete"' in page
    confirm = client.get(f"/projects/{project_id}/delete")
    assert confirm.status_code == 200 and "This cannot be undone" in confirm.text
    assert "0 uploaded photo(s)" in confirm.text
    assert client.get(f"/projects/{project_id}").status_code == 200  # asking is not deleting
    other, other_csrf = signed_in(web_app, "other@example.org")
    assert other.get(f"/projects/{project_id}/delete").status_code == 404
    assert other.post(f"/projects/{project_id}/delete", data={"csrf_token": other_csrf}).status_code == 404
    assert client.post(f"/projects/{project_id}/delete").status_code == 400  # no CSRF token: refused
    done = client.post(f"/projects/{project_id}/delete", data={"csrf_token": csrf})
    assert done.status_code == 303 and done.headers["Location"].endswith("/projects?deleted=project")
    assert "The project was deleted" in client.get(done.headers["Location"]).text
    assert client.get(f"/projects/{project_id}").status_code == 404


def test_webhooks_on_the_pages(web_app: Flask) -> None:
    client, csrf = signed_in(web_app)
    assert "Add a webhook" in client.get("/webhooks").text
    refused = client.post("/webhooks", data={"csrf_token": csrf, "url": "https://10.0.0.1/x",
                                             "document-finished": "yes"})
    assert refused.status_code == 422 and "not a public address" in refused.text
    assert 'value="https://10.0.0.1/x"' in refused.text  # what was typed is kept
    added = client.post("/webhooks", data={"csrf_token": csrf, "url": "https://93.184.215.14/hook",
                                           "document-finished": "yes"})
    assert added.status_code == 200 and "whsec_" in added.text and "shown only once" in added.text
    listed = client.get("/webhooks").text
    assert "https://93.184.215.14/hook" in listed and "whsec_" not in listed
    hook = listed.split('action="/webhooks/')[1].split("/delete")[0]
    other, other_csrf = signed_in(web_app, "other@example.org")
    assert other.post(f"/webhooks/{hook}/delete", data={"csrf_token": other_csrf}).status_code == 404
    assert client.post(f"/webhooks/{hook}/delete", data={"csrf_token": csrf}).status_code == 303
    assert "https://93.184.215.14/hook" not in client.get("/webhooks").text


def test_keys_on_the_pages(web_app: Flask) -> None:
    client, csrf = signed_in(web_app)
    assert "Make a key" in client.get("/keys").text
    refused = client.post("/keys", data={"csrf_token": csrf, "name": "   "})
    assert refused.status_code == 422 and "Give a name of up to 100 characters." in refused.text
    made = client.post("/keys", data={"csrf_token": csrf, "name": "grants system"})
    secret = made.text.split('<code class="secret">')[1].split("</code>")[0]
    assert made.status_code == 200 and secret.startswith("ldk_") and "shown only once" in made.text
    api = web_app.test_client()
    assert api.get("/api/v1/projects", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    listed = client.get("/keys").text
    assert "grants system" in listed and secret not in listed and "Not used yet" in listed  # the first key
    key_id = listed.split('href="/keys/')[-1].split("/revoke")[0]
    other, other_csrf = signed_in(web_app, "other@example.org")
    assert other.get(f"/keys/{key_id}/revoke").status_code == 404
    assert other.post(f"/keys/{key_id}/revoke", data={"csrf_token": other_csrf}).status_code == 404
    assert "Revoke the key" in client.get(f"/keys/{key_id}/revoke").text  # asking is not revoking
    assert api.get("/api/v1/projects", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    assert client.post(f"/keys/{key_id}/revoke", data={"csrf_token": "wrong"}).status_code in (400, 403)
    assert client.post(f"/keys/{key_id}/revoke", data={"csrf_token": csrf}).status_code == 303
    assert api.get("/api/v1/projects", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    assert "Revoked" in client.get("/keys?revoked=1").text


def test_photos_and_zines_are_deleted_from_the_pages(web_app: Flask, bid: dict[str, Any],
                                                      report: dict[str, Any]) -> None:
    import copy
    import io
    import json

    from PIL import Image

    from labdocs.images import prepare_image, save_image
    from labdocs.reports import save_report
    from labdocs.schemas.report import load_report
    from labdocs.schemas.zine import load_zine
    from labdocs.zines import create_zine, get_zine

    with web_app.app_context():
        org = session().scalar(select(Organisation).where(Organisation.name == "Rochdale Borough Council"))
        assert org is not None
        project = create_project(org.id, load_bid(bid))
        jpeg = io.BytesIO()
        Image.new("RGB", (60, 40), (10, 120, 200)).save(jpeg, "JPEG")
        jpeg.seek(0)
        photo = save_image(org.id, project.id, "resident.jpg", prepare_image(jpeg))
        used = copy.deepcopy(report)
        used["case_studies"][0]["image"] = photo.id
        save_report(project, load_report(used))
        zine = create_zine(project, load_zine(json.loads((EXAMPLES / "zine.json").read_text())))
        ids = (project.id, photo.id, zine.id)
        assert get_zine(org.id, zine.id)
    client, csrf = signed_in(web_app)
    project_id, photo_id, zine_id = ids
    assert f"/images/{photo_id}/delete" in client.get(f"/projects/{project_id}").text
    shown = client.get(f"/images/{photo_id}/delete").text
    assert "still used in case study 1 of the report" in shown and "Yes, delete" not in shown
    refused = client.post(f"/images/{photo_id}/delete", data={"csrf_token": csrf})
    assert refused.status_code == 409 and "case study 1 of the report" in refused.text
    assert f"/zines/{zine_id}/delete" in client.get(f"/zines/{zine_id}").text
    gone = client.post(f"/zines/{zine_id}/delete", data={"csrf_token": csrf})
    assert gone.status_code == 303 and client.get(f"/zines/{zine_id}").status_code == 404
    with web_app.app_context():
        stored = session().get(Project, project_id)
        assert stored is not None
        save_report(stored, load_report(report))  # the photo taken out of the report
    assert client.post(f"/images/{photo_id}/delete", data={"csrf_token": csrf}).status_code == 303
    assert "The photo was deleted." in client.get(f"/projects/{project_id}?deleted=photo").text
