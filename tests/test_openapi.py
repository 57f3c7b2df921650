"""api/openapi.py: the description is valid OpenAPI 3.1, names every endpoint, and real answers conform to it."""

from __future__ import annotations

import filecmp
import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate

from labdocs.config import EXAMPLES

from .conftest import ROOT, wait_for_document

VENDORED = ROOT / "src" / "labdocs" / "web" / "static" / "swagger-ui"


@pytest.fixture
def spec(client: FlaskClient) -> dict[str, Any]:
    response = client.get("/api/v1/openapi.json")  # no key: the description is public
    assert response.status_code == 200
    return dict(response.get_json())


def test_the_description_is_valid_openapi_3_1(spec: dict[str, Any]) -> None:
    validate(spec)
    assert spec["openapi"] == "3.1.0"
    assert set(spec["components"]["schemas"]["Error"]["properties"]) == {"code", "status", "message", "errors"}


def test_every_endpoint_is_described_and_nothing_else(app: Flask, spec: dict[str, Any]) -> None:
    served = {(re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule.removeprefix("/api/v1")), method.lower())
              for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1/")
              and rule.endpoint != "openapi.openapi" for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}}
    described = {(path, method) for path, operations in spec["paths"].items() for method in operations}
    assert described == served


def conforms(spec: dict[str, Any], path: str, method: str, response: Any) -> None:
    """The answer's status is one the description lists for this operation, and its JSON matches the schema."""
    answers = spec["paths"][path][method]["responses"]
    assert str(response.status_code) in answers, (path, method, response.status_code, response.get_json())
    content = answers[str(response.status_code)].get("content", {})
    if "application/json" in content:
        schema = {**content["application/json"]["schema"], "components": spec["components"]}
        errors = [error.message for error in OAS31Validator(schema).iter_errors(response.get_json())]
        assert errors == [], (path, method, response.status_code)


@pytest.fixture
def sampled(client: FlaskClient, auth: dict[str, str], bid: dict[str, Any], report: dict[str, Any],
            app: Flask) -> Iterator[list[tuple[str, str, Any]]]:
    """Real answers from every kind of operation, good and bad."""
    from labdocs.register import load_csv

    with app.app_context():
        load_csv((EXAMPLES / "register.csv").read_text())
    made = client.post("/api/v1/projects", json=bid, headers=auth)
    pid = made.get_json()["id"]
    asked = client.post(f"/api/v1/projects/{pid}/documents", json={"kind": "bid"}, headers=auth)
    wait_for_document(client, auth, asked.headers["Location"])
    zine = client.post(f"/api/v1/projects/{pid}/zines", json=__import__("json").loads(
        (EXAMPLES / "zine.json").read_text()), headers=auth)
    yield [
        ("/projects", "post", made),
        ("/projects", "post", client.post("/api/v1/projects", json={"title": 5}, headers=auth)),
        ("/projects", "post", client.post("/api/v1/projects", data="{", headers={**auth, "Content-Type":
                                                                                "application/json"})),
        ("/projects", "get", client.get("/api/v1/projects", headers=auth)),
        ("/projects", "get", client.get("/api/v1/projects")),
        ("/projects/{project_id}", "get", client.get(f"/api/v1/projects/{pid}", headers=auth)),
        ("/projects/{project_id}", "get", client.get("/api/v1/projects/nope", headers=auth)),
        ("/projects/{project_id}", "put", client.put(f"/api/v1/projects/{pid}", json=bid, headers=auth)),
        ("/projects/{project_id}/report", "get", client.get(f"/api/v1/projects/{pid}/report", headers=auth)),
        ("/projects/{project_id}/report", "put", client.put(f"/api/v1/projects/{pid}/report", json=report,
                                                           headers=auth)),
        ("/projects/{project_id}/documents", "post", asked),
        ("/projects/{project_id}/documents", "post", client.post(f"/api/v1/projects/{pid}/documents",
                                                                 json={"kind": "poster"}, headers=auth)),
        ("/projects/{project_id}/documents", "get", client.get(f"/api/v1/projects/{pid}/documents", headers=auth)),
        ("/documents/{document_id}", "get", client.get(asked.headers["Location"], headers=auth)),
        ("/projects/{project_id}/images", "get", client.get(f"/api/v1/projects/{pid}/images", headers=auth)),
        ("/projects/{project_id}/images", "post", client.post(f"/api/v1/projects/{pid}/images", headers=auth)),
        ("/projects/{project_id}/zines", "post", zine),
        ("/projects/{project_id}/zines", "get", client.get(f"/api/v1/projects/{pid}/zines", headers=auth)),
        ("/zines/{zine_id}", "get", client.get(f"/api/v1/zines/{zine.get_json()['id']}", headers=auth)),
        ("/register", "get", client.get("/api/v1/register", headers=auth)),
        ("/register/match", "get", client.get("/api/v1/register/match?name=Hackney", headers=auth)),
        ("/register/match", "get", client.get("/api/v1/register/match", headers=auth)),
    ]


def test_real_answers_conform_to_the_description(spec: dict[str, Any], sampled: list[tuple[str, str, Any]]) -> None:
    for path, method, response in sampled:
        conforms(spec, path, method, response)
    assert {response.status_code for _, _, response in sampled} >= {200, 201, 202, 400, 401, 404, 422}


def test_the_docs_page_is_served_by_labdocs_itself(client: FlaskClient) -> None:
    page = client.get("/api/docs")
    assert page.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources and all(source.startswith("/") for source in sources)  # nothing from a CDN
    for source in sources:
        assert client.get(source).status_code == 200, source
    assert "<script>" not in page.text  # no inline script: the CSP forbids it


def test_the_vendored_swagger_ui_is_the_locked_one() -> None:
    """The copies served are byte for byte the version package-lock.json installs (npm ci)."""
    installed = ROOT / "node_modules" / "swagger-ui-dist"
    assert installed.exists(), "run `npm ci` (make test does)"
    for name in ("swagger-ui-bundle.js", "swagger-ui.css", "LICENSE"):
        assert filecmp.cmp(installed / name, VENDORED / name, shallow=False), f"{name}: run `make swagger-ui`"
