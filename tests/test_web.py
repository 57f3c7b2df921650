"""service/web: sign-in, sessions, CSRF, headers and isolation, through Flask's test client (the journeys
themselves are in test_browser.py, in a real browser)."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jinja2.sandbox import ImmutableSandboxedEnvironment
from PIL import Image
from sqlalchemy import func, select, update

from labdocs.infra.db import session
from labdocs.infra.models import SignInFailure, utcnow

from .conftest import BACKENDS, PASSWORD, new_project, signed_in, token


def test_session_cookie_is_secure_httponly_and_samesite(web_app: Flask) -> None:
    client = web_app.test_client()
    page = client.get("/sign-in")
    response = client.post("/sign-in", data={"email": "lead@example.org", "password": PASSWORD,
                                             "csrf_token": token(page.text)})
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("labdocs=") and "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_pages_send_security_headers(web_app: Flask) -> None:
    response = web_app.test_client().get("/sign-in")
    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'; script-src 'self'")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "<script" not in re.sub(r'<script src="[^"]+" defer></script>', "", response.text)  # no inline script


def test_web_templates_are_sandboxed(web_app: Flask) -> None:
    assert isinstance(web_app.jinja_env, ImmutableSandboxedEnvironment)
    assert web_app.jinja_env.autoescape is not False


@pytest.mark.parametrize(("email", "password"), [("lead@example.org", "wrong password!"),
                                                 ("nobody@example.org", PASSWORD)])
def test_wrong_sign_in_says_the_same_thing_either_way(web_app: Flask, email: str, password: str) -> None:
    client = web_app.test_client()
    page = client.get("/sign-in")
    response = client.post("/sign-in", data={"email": email, "password": password, "csrf_token": token(page.text)})
    assert response.status_code == 422
    assert "Enter a correct email address and password." in response.text
    assert 'value="' + email + '"' in response.text  # what was typed is kept


def try_sign_in(client: FlaskClient, email: str, password: str) -> Any:
    page = client.get("/sign-in")
    return client.post("/sign-in", data={"email": email, "password": password, "csrf_token": token(page.text)})


@pytest.mark.parametrize("backend", BACKENDS, indirect=True)
@pytest.mark.parametrize("email", ["lead@example.org", "nobody@example.org", " Lead@Example.org "])
def test_sign_in_is_refused_for_a_while_after_five_wrong_passwords(web_app: Flask, email: str) -> None:
    client = web_app.test_client()
    assert [try_sign_in(client, email, f"guess number {n}").status_code for n in range(5)] == [422] * 5
    refused = try_sign_in(client, email, PASSWORD)  # even the right password, once locked
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "900"
    assert "You have entered the wrong details too many times. Try again in 15 minutes." in refused.text
    assert 'value="' + email.strip() + '"' in refused.text
    assert try_sign_in(client, "other@example.org", PASSWORD).status_code == 303  # others are not locked out


@pytest.mark.parametrize("backend", BACKENDS, indirect=True)
def test_sign_in_lock_ends_when_the_failures_age_out(web_app: Flask) -> None:
    client = web_app.test_client()
    for n in range(5):
        try_sign_in(client, "lead@example.org", f"guess number {n}")
    with web_app.app_context():
        failures = session().scalars(select(SignInFailure)).all()
        for failure, minutes in zip(failures, [16, 10, 9, 8, 7], strict=True):  # the oldest out of the window
            failure.at = utcnow() - timedelta(minutes=minutes)
        session().commit()
    assert try_sign_in(client, "lead@example.org", "one more guess").status_code == 422  # four were in the window
    refused = try_sign_in(client, "lead@example.org", PASSWORD)  # five now: locked until 10 minutes ago ages out
    assert refused.status_code == 429 and "Try again in 5 minutes." in refused.text
    with web_app.app_context():
        session().execute(update(SignInFailure).values(at=utcnow() - timedelta(minutes=15, seconds=1)))
        session().commit()
    assert try_sign_in(client, "lead@example.org", PASSWORD).status_code == 303


def test_signing_in_clears_the_count_of_wrong_passwords(web_app: Flask) -> None:
    client = web_app.test_client()
    for n in range(4):
        try_sign_in(client, "lead@example.org", f"guess number {n}")
    assert try_sign_in(client, "lead@example.org", PASSWORD).status_code == 303
    fresh = web_app.test_client()
    assert [try_sign_in(fresh, "lead@example.org", "typo").status_code for _ in range(4)] == [422] * 4
    with web_app.app_context():
        assert session().scalar(select(func.count()).select_from(SignInFailure)) == 4


def test_pages_behind_sign_in_send_people_to_it_and_back(web_app: Flask) -> None:
    response = web_app.test_client().get("/projects")
    assert response.status_code == 302 and response.headers["Location"] == "/sign-in?next=/projects"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_sign_in_never_redirects_off_site(web_app: Flask, target: str) -> None:
    client = web_app.test_client()
    page = client.get("/sign-in")
    response = client.post("/sign-in", data={"email": "lead@example.org", "password": PASSWORD,
                                             "csrf_token": token(page.text), "next": target})
    assert response.headers["Location"] == "/projects"


def test_posts_without_the_token_are_refused(web_app: Flask) -> None:
    client, _ = signed_in(web_app)
    response = client.post("/projects/new", data={})
    assert response.status_code == 400 and "This form has expired" in response.text
    assert client.post("/projects/new", data={"csrf_token": "forged"}).status_code == 400


def test_a_section_keeps_what_was_typed_when_it_is_wrong(web_app: Flask) -> None:
    client, csrf = signed_in(web_app)
    section = new_project(client, csrf)
    response = client.post(section, data={"csrf_token": csrf, "title": "<b>Lab & co</b>", "funding_requested": "lots",
                                          "action": "continue"})
    assert response.status_code == 422
    assert 'value="lots"' in response.text and "&lt;b&gt;Lab &amp; co&lt;/b&gt;" in response.text
    assert '<a href="#funding_requested">Funding requested: Enter an amount in pounds and pence' in response.text
    again = client.get(section)  # coming back later, the unsaved draft is still there with its error
    assert 'value="lots"' in again.text and "There is a problem" in again.text


def test_another_organisation_cannot_reach_a_project(web_app: Flask) -> None:
    client, csrf = signed_in(web_app)
    section = new_project(client, csrf)
    project_id = section.split("/")[2]
    other, other_csrf = signed_in(web_app, "other@example.org")
    for path in (f"/projects/{project_id}", section, f"/projects/{project_id}/report"):
        assert other.get(path).status_code == 404
    posted = other.post(section, data={"csrf_token": other_csrf, "title": "Hijack"})
    assert posted.status_code == 404
    assert "Hijack" not in client.get(section).text


@pytest.mark.parametrize(("slug", "rows", "pressed"), [
    ("partners", {"partners-0-name": "Oldham Credit Union", "partners-0-kind": "council",
                  "partners-1-name": "Unity Housing", "partners-1-kind": "other"}, "remove-partners-0"),
    ("budget", {"budget-0-description": "Training", "budget-0-amount": "500", "budget-1-description": "Unity Housing",
                "budget-1-amount": "700"}, "remove-budget-0"),
])
def test_remove_buttons_remove_the_row(web_app: Flask, slug: str, rows: dict[str, str], pressed: str) -> None:
    client, csrf = signed_in(web_app)
    section = new_project(client, csrf).replace("/bid/project", f"/bid/{slug}")
    assert client.post(section, data={"csrf_token": csrf, **rows}).status_code == 303
    response = client.post(section, data={"csrf_token": csrf, **rows, "action": pressed})
    assert response.status_code == 200 and "There is a problem" not in response.text
    saved = client.get(section).text
    assert "Unity Housing" in saved and "Oldham Credit Union" not in saved and "Training" not in saved


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "-inf", "1e999", "sNaN"])
def test_budget_amounts_that_are_not_money_are_explained(web_app: Flask, amount: str) -> None:
    client, csrf = signed_in(web_app)
    section = new_project(client, csrf).replace("/bid/project", "/bid/budget")
    response = client.post(section, data={"csrf_token": csrf, "budget-0-description": "Training",
                                          "budget-0-amount": amount, "action": "continue"})
    assert response.status_code == 422 and "Budget line 1" in response.text
    again = client.get(section)  # the draft, with what was typed, still opens
    assert again.status_code == 200 and f'value="{amount}"' in again.text


@pytest.mark.parametrize("fields", [
    {"budget-0-description": "Training", "budget-0-amount": "500", "budget-0-quantity": "²"},
    {"budget-0-description": "Training", "budget-0-amount": "500", "budget-0-quantity": "9" * 5000},
    {"budget-" + "9" * 5000 + "-description": "Training", "action": "remove-budget-" + "9" * 5000},
])
def test_odd_form_input_is_refused_in_words(web_app: Flask, fields: dict[str, str]) -> None:
    client, csrf = signed_in(web_app)
    section = new_project(client, csrf).replace("/bid/project", "/bid/budget")
    response = client.post(section, data={"csrf_token": csrf, **fields})
    assert response.status_code in (200, 303, 422)
    assert client.get(section).status_code == 200


def test_a_token_of_other_characters_is_refused_not_a_crash(web_app: Flask) -> None:
    client, _ = signed_in(web_app)
    response = client.post("/projects/new", data={"csrf_token": "tøken ✓"})
    assert response.status_code == 400 and "This form has expired" in response.text


def test_photos_larger_than_the_form_limit_upload_from_the_page(web_app: Flask) -> None:
    client, csrf = signed_in(web_app)
    project_id = new_project(client, csrf).split("/")[2]
    photo = io.BytesIO()
    Image.effect_noise((2000, 1500), 60).convert("RGB").save(photo, "JPEG", quality=95)
    assert photo.tell() > web_app.config["MAX_CONTENT_LENGTH"]  # bigger than any ordinary form may be
    photo.seek(0)
    back = f"/projects/{project_id}/report"
    response = client.post(f"/projects/{project_id}/images", content_type="multipart/form-data",
                           data={"csrf_token": csrf, "back": back, "file": (photo, "big.jpg")})
    assert response.status_code == 303 and response.headers["Location"] == back
    assert "Uploaded big.jpg (2000 × 1500 pixels)" in client.get(back).text
    too_big = client.post(f"/projects/{project_id}/images", content_type="multipart/form-data",
                          data={"csrf_token": csrf, "file": (io.BytesIO(b"\xff" * (16 * 2**20)), "huge.jpg")})
    assert too_big.status_code == 413 and "Photos can be up to 15 MB" in too_big.text


def test_pages_are_not_kept_by_shared_caches(web_app: Flask) -> None:
    client, _ = signed_in(web_app)
    assert client.get("/projects").headers["Cache-Control"] == "private, no-cache"


@pytest.mark.parametrize("target", ["/projects\r\nSet-Cookie: x=1", "/projects\n", "/\\evil.example", "/pro\x00jects",
                                    "/projects/" + "a" * 3000, "/projécts"])
def test_sign_in_sends_odd_next_addresses_to_the_projects(web_app: Flask, target: str) -> None:
    client = web_app.test_client()
    page = client.get("/sign-in")
    response = client.post("/sign-in", data={"email": "lead@example.org", "password": PASSWORD, "next": target,
                                             "csrf_token": token(page.text)})
    assert response.status_code == 303 and response.headers["Location"] == "/projects"


def test_a_rejected_page_too_large_to_keep_is_refused_in_words(web_app: Flask) -> None:
    """5,000 budget rows with a mistake made an 11 MB draft that every visit then loaded."""
    client, csrf = signed_in(web_app)
    section = new_project(client, csrf).replace("/bid/project", "/bid/budget")
    rows = {f"budget-{n}-description": "Workshop " * 8 for n in range(3000)}
    response = client.post(section, data={"csrf_token": csrf, **rows, "budget-0-amount": "lots"})
    assert response.status_code == 413 and "more than the 256 KB a page can keep" in response.text
    assert client.get(section).status_code == 200 and "Workshop" not in client.get(section).text


def copy_session(client: FlaskClient, app: Flask) -> FlaskClient:
    """Another browser holding a copy of this one's session cookie (copied, stolen, or on a second device)."""
    copied = app.test_client()
    cookie = client.get_cookie("labdocs")
    assert cookie is not None
    copied.set_cookie("labdocs", cookie.value)
    assert copied.get("/projects").status_code == 200
    return copied


def test_signing_out_ends_copies_of_the_session_too(web_app: Flask) -> None:
    """Sessions live in cookies; a copy made before signing out worked for 31 days after it."""
    client, csrf = signed_in(web_app)
    copied = copy_session(client, web_app)
    assert client.post("/sign-out", data={"csrf_token": csrf}).status_code == 303
    assert copied.get("/projects").status_code == 302  # back to sign-in
    again, _ = signed_in(web_app)  # signing in again works, with a fresh session
    assert again.get("/projects").status_code == 200


def test_a_new_password_ends_every_session(web_app: Flask) -> None:
    from labdocs.users import set_password

    client, _ = signed_in(web_app)
    copied = copy_session(client, web_app)
    with web_app.app_context():
        set_password("LEAD@example.org", "another long password")
    assert client.get("/projects").status_code == 302 and copied.get("/projects").status_code == 302
