"""Input hygiene at the door: JSON bodies that json.loads accepts but labdocs must not (lone surrogates, duplicate
keys, NaN, integers thousands of digits long), refused in the one error shape before anything is stored; and
the addresses `labdocs user create` takes."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from labdocs.errors import Conflict, Invalid
from labdocs.orgs import create_org
from labdocs.users import authenticate, create_user

from .conftest import BACKENDS
from .test_schemas_bid import set_path

SURROGATE = "Contains {}, which is not a character (half of a UTF-16 pair): type or paste this text again."
DUPLICATE = "Given more than once: give each field once (JSON would keep only the last)."
JSON = "application/json"
LONG_NUMBER = "A number in the data has more than 1,000 digits; no field takes one that long."


def post(client: FlaskClient, auth: dict[str, str], url: str, body: str | bytes, method: str = "post") -> Any:
    """Send `body` exactly as written (json= would re-encode it), as JSON."""
    return client.open(url, method=method.upper(), data=body, headers={**auth, "Content-Type": JSON})


def assert_refused(response: Any, status: int, errors: dict[str, list[str]]) -> None:
    """The one error shape, with exactly these field paths and messages."""
    assert response.status_code == status, response.get_json()
    body = response.get_json()
    assert set(body) == {"code", "status", "message", "errors"} and body["status"] == status
    assert body["errors"] == errors


def stored_titles(client: FlaskClient, auth: dict[str, str]) -> list[str]:
    return [p["title"] for p in client.get("/api/v1/projects", headers=auth).get_json()["projects"]]


@pytest.mark.parametrize("backend", BACKENDS, indirect=True)
@pytest.mark.parametrize(("path", "value", "field", "message"), [
    ("title", "Lab \ud800", "title", SURROGATE.format("U+D800")),  # was a 500 as the row was written
    ("summary", "Plan \udfff", "summary", SURROGATE.format("U+DFFF")),  # was saved, then broke every page
    ("partners.0.name", "\ud83d", "partners.0.name", SURROGATE.format("U+D83D")),
    ("outcomes.outputs.0.target", 10**400, "outcomes.outputs.0.target", "Must be at most 1,000,000,000."),
    ("outcomes.outputs.0.target", 1e308, "outcomes.outputs.0.target", "Must be at most 1,000,000,000."),
    ("funding_requested", "12,50", "funding_requested", "Enter an amount in pounds and pence, like 17500.00."),
])
def test_bad_bid_is_422_at_its_field_and_nothing_is_stored(client: FlaskClient, auth: dict[str, str],
                                                           bid: dict[str, Any], path: str, value: Any, field: str,
                                                           message: str) -> None:
    set_path(bid, path, value)
    assert_refused(post(client, auth, "/api/v1/projects", json.dumps(bid)), 422, {field: [message]})
    assert stored_titles(client, auth) == []


@pytest.mark.parametrize(("path", "value", "field", "message"), [
    ("participants.total", 10**400, "participants.total", "Must be at most 1,000,000,000."),
    ("activities.0.attendees", 10**20, "activities.0.attendees", "Must be at most 1,000,000,000."),
    ("results_summary", "\ud800", "results_summary", SURROGATE.format("U+D800")),
    ("participants.by_partner", {"Hackney\ud800": 3}, "participants.by_partner.Hackney\\ud800",
     SURROGATE.format("U+D800")),
    ("case_studies.0.image", "asset:nothing.png", "case_studies.0.image",
     "There is no bundled image called 'nothing.png'; the bundled images are garden.jpg, round-table.png, "
     "street.jpg, workshop.jpg."),
])
def test_bad_report_is_422_at_its_field_and_nothing_is_stored(client: FlaskClient, auth: dict[str, str],
                                                              project: dict[str, Any], report: dict[str, Any],
                                                              path: str, value: Any, field: str,
                                                              message: str) -> None:
    set_path(report, path, value)
    url = f"/api/v1/projects/{project['id']}/report"
    assert_refused(post(client, auth, url, json.dumps(report), method="put"), 422, {field: [message]})
    assert client.get(url, headers=auth).status_code == 404


@pytest.mark.parametrize(("path", "value", "field", "message"), [
    ("theme.ink", "#FFFFFF\n", "theme.ink", "Give a colour as #RRGGBB, like #0B4F6C."),
    ("pages.0.heading", "\udc00", "pages.0.heading", SURROGATE.format("U+DC00")),
    ("pages.2.image", "asset:garden.jpg\n", "pages.2.image",
     "Give an uploaded image's id, or a bundled image as asset:NAME."),
])
def test_bad_zine_is_422_at_its_field(client: FlaskClient, auth: dict[str, str], project: dict[str, Any],
                                      path: str, value: Any, field: str, message: str) -> None:
    from .test_schemas_zine import EXAMPLE

    zine = json.loads(json.dumps(EXAMPLE))
    set_path(zine, path, value)
    url = f"/api/v1/projects/{project['id']}/zines"
    assert_refused(post(client, auth, url, json.dumps(zine)), 422, {field: [message]})
    assert client.get(url, headers=auth).get_json()["zines"] == []


def test_a_zine_id_with_a_newline_is_not_a_zine_id(client: FlaskClient, auth: dict[str, str],
                                                   project: dict[str, Any]) -> None:
    body = json.dumps({"kind": "zine", "zine": "0" * 32 + "\n"})
    assert_refused(post(client, auth, f"/api/v1/projects/{project['id']}/documents", body), 422,
                   {"zine": ["Not a zine id."]})


def bid_text(bid: dict[str, Any], raw: str, replacing: tuple[str, ...]) -> str:
    """The bid as JSON text without the members `replacing`, and with `raw` JSON members added at its end."""
    text = json.dumps({key: value for key, value in bid.items() if key not in replacing})
    return text[:-1] + ", " + raw + "}"


@pytest.mark.parametrize(("replacing", "raw", "errors"), [
    # Duplicate keys: json.loads keeps the last, so the first title silently vanished.
    ((), '"title": "Second title"', {"title": [DUPLICATE]}),
    (("contact",), '"contact": {"name": "A", "name": "B", "job_title": "J", "phone": "01632 960000", '
                   '"email": "a@b.org"}', {"contact.name": [DUPLICATE]}),
    (("partners",), '"partners": [{"name": "A", "kind": "council"}, {"kind": "other", "name": "B", "kind": "council"}]',
     {"partners.1.kind": [DUPLICATE]}),
    # A lone surrogate as a key or value is refused before any schema sees it.
    ((), '"\\ud800": "x"', {"\\ud800": [SURROGATE.format("U+D800")]}),
    (("workstreams",), '"workstreams": ["ok", "bad \\udfff"]', {"workstreams.1": [SURROGATE.format("U+DFFF")]}),
    ((), '"title": "A", "summary": "\\ud800"', {"title": [DUPLICATE], "summary": [DUPLICATE, SURROGATE.format(
        "U+D800")]}),
])
def test_body_problems_json_hides_are_422_naming_the_key(client: FlaskClient, auth: dict[str, str],
                                                         bid: dict[str, Any], replacing: tuple[str, ...], raw: str,
                                                         errors: dict[str, list[str]]) -> None:
    assert_refused(post(client, auth, "/api/v1/projects", bid_text(bid, raw, replacing)), 422, errors)
    assert stored_titles(client, auth) == []


@pytest.mark.parametrize(("body", "message"), [
    ('{"title": ' + "9" * 5001 + "}", LONG_NUMBER),  # past Python's 4,300-digit limit on reading an int
    ('{"title": -' + "9" * 1001 + "}", LONG_NUMBER),
    ('{"title": NaN}', "NaN is not JSON: send numbers as digits, like 30."),
    ('{"title": Infinity}', "Infinity is not JSON: send numbers as digits, like 30."),
    ('{"title": -Infinity}', "-Infinity is not JSON: send numbers as digits, like 30."),
])
def test_numbers_json_should_not_take_are_400(client: FlaskClient, auth: dict[str, str], body: str,
                                              message: str) -> None:
    response = post(client, auth, "/api/v1/projects", body)
    assert_refused(response, 400, {})
    assert response.get_json()["code"] == "bad_request" and response.get_json()["message"] == message


def test_a_long_number_a_field_can_bound_is_422_at_its_field(client: FlaskClient, auth: dict[str, str],
                                                             bid: dict[str, Any]) -> None:
    bid["outcomes"]["outputs"][1]["target"] = 10**999  # 1,000 digits: read, then refused by its field
    assert_refused(post(client, auth, "/api/v1/projects", json.dumps(bid)), 422,
                   {"outcomes.outputs.1.target": ["Must be at most 1,000,000,000."]})


@pytest.mark.parametrize("body", [b"\xff\xfe\xfa", b'{"title": "\xed\xa0\x80"}', b""])
def test_bytes_that_are_not_json_text_are_400(client: FlaskClient, auth: dict[str, str], body: bytes) -> None:
    response = post(client, auth, "/api/v1/projects", body)
    assert_refused(response, 400, {})
    assert response.get_json()["code"] == "bad_request"


def test_json_in_utf16_and_with_a_surrogate_pair_still_works(client: FlaskClient, auth: dict[str, str],
                                                             bid: dict[str, Any]) -> None:
    bid["title"] = "Lab \U0001f600"  # json.dumps writes it as the pair \ud83d\ude00, which is one character
    response = post(client, auth, "/api/v1/projects", json.dumps(bid).encode("utf-16"))
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["title"] == "Lab \U0001f600"


@pytest.fixture
def users_app(make_app: Callable[..., Flask]) -> Flask:
    """An app with one organisation and one user, lead@example.org."""
    app = make_app()
    with app.app_context():
        create_org("Rochdale Borough Council")
        create_user("lead@example.org", "Rochdale Borough Council", "a long enough password")
    return app


ENTER = ("Enter an email address, like name@example.org. Use plain letters, digits and . _ + - (an international "
         "domain in its xn-- form).")


def hidden(code: str) -> str:
    return f"The email address contains an invisible or control character ({code}); type it again."


@pytest.mark.parametrize(("email", "message"), [
    ("@", ENTER),
    ("new@", ENTER),
    ("@example.org", ENTER),
    ("new@example", ENTER),
    ("new@@example.org", ENTER),
    ("new@exa mple.org", ENTER),
    ("new.@example.org", ENTER),
    ("new@-example.org", ENTER),
    ("x" * 65 + "@example.org", ENTER),
    ("new@" + "a" * 250 + ".org", ENTER),
    ("nеw@example.org", ENTER),  # a Cyrillic е among the Latin letters
    ("new@exаmple.org", ENTER),  # and in the domain
    ("new@example.org\r\n", hidden("U+000D")),
    ("new@example.org\nBcc: x@example.org", hidden("U+000A")),
    ("new\t@example.org", hidden("U+0009")),
    ("new\x00@example.org", hidden("U+0000")),
    ("ne\u200bw@example.org", hidden("U+200B")),  # zero-width space
    ("new@example.org\u202e", hidden("U+202E")),  # right-to-left override
    ("\u2066new@example.org", hidden("U+2066")),  # left-to-right isolate
    ("\ufeffnew@example.org", hidden("U+FEFF")),  # byte-order mark
    ("new\u00ad@example.org", hidden("U+00AD")),  # soft hyphen
    ("new\ud800@example.org", hidden("U+D800")),
])
def test_user_create_refuses_malformed_and_hidden_addresses(users_app: Flask, email: str, message: str) -> None:
    with users_app.app_context(), pytest.raises(Invalid) as caught:
        create_user(email, "Rochdale Borough Council", "a long enough password")
    assert caught.value.message == message and "\n" not in caught.value.message


@pytest.mark.parametrize("email", [
    "LEAD@example.org",
    "  lead@Example.ORG ",
    "ｌｅａｄ@example.org",  # full-width letters
    "lead＠ｅｘａｍｐｌｅ．ｏｒｇ",  # full-width @ and dot
    "lead@example.org\u3000",  # an ideographic space
])
def test_user_create_refuses_a_look_alike_of_an_existing_address(users_app: Flask, email: str) -> None:
    with users_app.app_context(), pytest.raises(Conflict) as caught:
        create_user(email, "Rochdale Borough Council", "a long enough password")
    assert caught.value.message == "There is already a user with the email lead@example.org."


def test_user_create_stores_the_form_sign_in_looks_up(users_app: Flask) -> None:
    with users_app.app_context():
        user = create_user(" Ｓａｍ.O'Neil+lab@Example.org ", "Rochdale Borough Council", "a long enough password")
        assert user.email == "sam.o'neil+lab@example.org"
        signed_in = authenticate("ｓａｍ.o'neil+LAB@example.org", "a long enough password")
        assert signed_in is not None and signed_in.id == user.id
