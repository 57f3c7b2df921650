"""service/api/zines.py and zine documents: draft or send, edit, render, and fetch every output."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
from flask.testing import FlaskClient
from PIL import Image

from labdocs.config import EXAMPLES

from .conftest import BACKENDS, wait_for_document

pytestmark = pytest.mark.parametrize("backend", BACKENDS, indirect=True)
EXAMPLE = json.loads((EXAMPLES / "zine.json").read_text("utf-8"))


def create(client: FlaskClient, auth: dict[str, str], project_id: str, body: Any) -> Any:
    return client.post(f"/api/v1/projects/{project_id}/zines", json=body, headers=auth)


def render(client: FlaskClient, auth: dict[str, str], project_id: str, zine_id: str) -> dict[str, Any]:
    response = client.post(f"/api/v1/projects/{project_id}/documents", json={"kind": "zine", "zine": zine_id},
                           headers=auth)
    assert response.status_code == 202, response.get_json()
    return wait_for_document(client, auth, response.headers["Location"])


def test_generate_from_the_project_then_render(client: FlaskClient, auth: dict[str, str],
                                               report_project: dict[str, Any]) -> None:
    response = create(client, auth, report_project["id"],
                      {"generate": True, "format": "minizine-a4", "print": {"mode": "home"}})
    assert response.status_code == 201
    zine = response.get_json()
    assert response.headers["Location"] == f"/api/v1/zines/{zine['id']}"
    assert zine["zine"]["format"] == "minizine-a4" and len(zine["zine"]["pages"]) == 8
    # the report says its quotes are invented, so the drafted attribution says so too
    assert zine["zine"]["pages"][4]["quote_by"] == "Panel member, Rochdale (an invented example)"

    done = render(client, auth, report_project["id"], zine["id"])
    assert done["status"] == "finished", done
    names = {entry["name"] for entry in done["files"]}
    assert {"reader.pdf", "imposed.pdf", "preflight.json", "preflight.txt", "thumbnails/reader-01.png",
            "thumbnails/imposed-1.png"} <= names
    assert [f["code"] for f in done["findings"] if f["status"] == "fail"] == []
    bundle = client.get(done["links"]["file"], headers=auth)
    assert bundle.mimetype == "application/zip"
    assert bundle.headers["Content-Disposition"] == "attachment; filename=co-operative-governance-zine.zip"
    assert set(zipfile.ZipFile(io.BytesIO(bundle.data)).namelist()) == names
    imposed = next(entry for entry in done["files"] if entry["name"] == "imposed.pdf")
    part = client.get(imposed["url"], headers=auth)
    assert part.mimetype == "application/pdf" and part.data.startswith(b"%PDF")
    thumb = next(entry for entry in done["files"] if entry["name"] == "thumbnails/reader-01.png")
    assert Image.open(io.BytesIO(client.get(thumb["url"], headers=auth).data)).width == 360


def test_send_edit_and_list(client: FlaskClient, auth: dict[str, str], project: dict[str, Any]) -> None:
    zine = create(client, auth, project["id"], EXAMPLE).get_json()
    edited = {**EXAMPLE, "title": "Governance, co-operatively", "theme": {**EXAMPLE["theme"], "font": "inter"}}
    response = client.put(zine["links"]["self"], json=edited, headers=auth)
    assert response.status_code == 200 and response.get_json()["title"] == "Governance, co-operatively"
    listed = client.get(f"/api/v1/projects/{project['id']}/zines", headers=auth).get_json()["zines"]
    assert [item["zine"]["theme"]["font"] for item in listed] == ["inter"]


def test_zine_with_an_uploaded_photo(client: FlaskClient, auth: dict[str, str], project: dict[str, Any]) -> None:
    photo = io.BytesIO()
    Image.new("RGB", (1900, 2650), (40, 90, 140)).save(photo, "JPEG")
    image = client.post(f"/api/v1/projects/{project['id']}/images", headers=auth,
                        data={"file": (io.BytesIO(photo.getvalue()), "street.jpg")},
                        content_type="multipart/form-data").get_json()
    body = json.loads(json.dumps(EXAMPLE))
    body["pages"][2].update(image=image["id"], alt="A street party.")
    zine = create(client, auth, project["id"], body).get_json()
    done = render(client, auth, project["id"], zine["id"])
    preflight = json.loads(client.get(next(e["url"] for e in done["files"] if e["name"] == "preflight.json"),
                                      headers=auth).data)
    # Uploaded at 1900 × 2650, shrunk once to 2600 px long: still over 300 ppi on a full-bleed A5 page.
    assert preflight["images"][1] == {"page": 3, "pixels": [1864, 2600], "placed_mm": [154.9, 216.0], "ppi": 306}


@pytest.mark.parametrize(("body", "errors"), [
    ({"generate": True, "format": "tabloid"},
     {"format": ["Must be one of: booklet-a5, minizine-a4, minizine-letter."]}),
    ({"generate": True, "format": []}, {"format": ["Must be text."]}),
    ({**EXAMPLE, "pages": EXAMPLE["pages"][:3], "format": "minizine-letter"},
     {"pages": ["A mini-zine has exactly 8 pages; this has 3."]}),
    ({**EXAMPLE, "pages": [{**EXAMPLE["pages"][0], "image": "f" * 32}]},
     {"pages.0.image": ["There is no uploaded image with this id in this project."]}),
])
def test_bad_zines(client: FlaskClient, auth: dict[str, str], project: dict[str, Any], body: Any,
                   errors: dict[str, list[str]]) -> None:
    response = create(client, auth, project["id"], body)
    assert response.status_code == 422
    assert response.get_json()["errors"] == errors


def test_strict_zine_document_renders_when_nothing_is_found(client: FlaskClient, auth: dict[str, str],
                                                           project: dict[str, Any]) -> None:
    zine = create(client, auth, project["id"], EXAMPLE).get_json()
    response = client.post(f"/api/v1/projects/{project['id']}/documents", headers=auth,
                           json={"kind": "zine", "zine": zine["id"], "strict": True})
    assert response.status_code == 202
    assert wait_for_document(client, auth, response.headers["Location"])["status"] == "finished"


def test_zine_documents_need_a_zine_of_this_project(client: FlaskClient, auth: dict[str, str],
                                                    project: dict[str, Any], bid: dict[str, Any]) -> None:
    url = f"/api/v1/projects/{project['id']}/documents"
    missing = client.post(url, json={"kind": "zine"}, headers=auth)
    assert missing.get_json()["errors"] == {"zine": ["Say which zine: its id, from POST /projects/<id>/zines."]}
    other = client.post("/api/v1/projects", json=bid, headers=auth).get_json()
    zine = create(client, auth, other["id"], EXAMPLE).get_json()
    wrong = client.post(url, json={"kind": "zine", "zine": zine["id"]}, headers=auth)
    assert wrong.status_code == 404 and wrong.get_json()["message"] == "There is no such zine in this project."


def test_another_organisation_cannot_see_zines_or_their_files(client: FlaskClient, auth: dict[str, str],
                                                              other_auth: dict[str, str],
                                                              project: dict[str, Any]) -> None:
    zine = create(client, auth, project["id"], EXAMPLE).get_json()
    done = render(client, auth, project["id"], zine["id"])
    for url in (zine["links"]["self"], done["links"]["self"], done["links"]["file"], done["files"][0]["url"]):
        assert client.get(url, headers=other_auth).status_code == 404
    assert client.put(zine["links"]["self"], json=EXAMPLE, headers=other_auth).status_code == 404
    assert client.get(f"{done['links']['self']}/files/no-such-file.pdf", headers=auth).status_code == 404


def test_page_previews_are_a_zine_format_of_their_own(client: FlaskClient, auth: dict[str, str],
                                                      project: dict[str, Any]) -> None:
    """format "png": the pages as they will print, as PNGs (the first page is the file itself), none of the
    print files; the zip stays the default, and a format it does not come in names both."""
    zine = create(client, auth, project["id"], EXAMPLE).get_json()
    url = f"/api/v1/projects/{project['id']}/documents"
    response = client.post(url, json={"kind": "zine", "format": "png", "zine": zine["id"]}, headers=auth)
    assert response.status_code == 202, response.get_json()
    done = wait_for_document(client, auth, response.headers["Location"])
    assert (done["status"], done["kind"], done["format"]) == ("finished", "zine", "png"), done
    names = [entry["name"] for entry in done["files"]]
    pages = len(EXAMPLE["pages"]) + -len(EXAMPLE["pages"]) % 4  # a booklet prints in fours
    assert sorted(names) == [f"thumbnails/reader-{n:02d}.png" for n in range(1, pages + 1)]
    first = client.get(done["links"]["file"], headers=auth)
    assert first.mimetype == "image/png" and Image.open(io.BytesIO(first.data)).format == "PNG"
    assert first.data == client.get(done["files"][0]["url"], headers=auth).data
    wrong = client.post(url, json={"kind": "zine", "format": "pdf", "zine": zine["id"]}, headers=auth)
    assert wrong.get_json()["errors"] == {"format": ["A zine comes as: zip, png."]}
