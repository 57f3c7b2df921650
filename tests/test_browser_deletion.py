"""Deleting a project from the pages, by keyboard: the confirmation page says what goes, passes axe, and the
project is gone afterwards."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from labdocs.config import EXAMPLES

from .test_browser import DESKTOP, Site, axe_violations, browser, sign_in, site  # noqa: F401 (fixtures)

pytestmark = pytest.mark.slow


def test_a_project_is_deleted_after_its_confirmation_page(browser: Browser, site: Site) -> None:  # noqa: F811
    bid = json.loads((EXAMPLES / "bid.json").read_text("utf-8"))
    project = site.api("POST", "/api/v1/projects", {**bid, "title": "A lab to delete"})
    context = browser.new_context(viewport=DESKTOP, bypass_csp=True)  # axe is injected as a script
    page = context.new_page()
    sign_in(page, site)
    page.goto(f"{site.url}/projects/{project['id']}")
    page.get_by_role("link", name="Delete this project").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Delete this project?")).to_be_visible()
    assert not axe_violations(page), "the confirmation page"
    page.get_by_role("button", name="Yes, delete this project").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("The project was deleted, with everything made from it.")
    assert page.get_by_role("link", name="A lab to delete").count() == 0
    assert page.goto(f"{site.url}/projects/{project['id']}").status == 404  # type: ignore[union-attr]
    context.close()


def open_signed_in(browser: Browser, site: Site, path: str) -> tuple[BrowserContext, Page]:  # noqa: F811
    """A desktop page, signed in, at `path`, checked with axe as it first shows."""
    context = browser.new_context(viewport=DESKTOP, bypass_csp=True)  # axe is injected as a script
    page = context.new_page()
    sign_in(page, site)
    page.goto(f"{site.url}{path}")
    assert not axe_violations(page), path
    return context, page


def test_the_webhooks_page_by_keyboard_passes_axe(browser: Browser, site: Site) -> None:  # noqa: F811
    context, page = open_signed_in(browser, site, "/webhooks")
    page.get_by_label("Address").fill("https://127.0.0.1/hook")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("not a public address")
    assert not axe_violations(page), "the webhooks page with an error"
    context.close()


def test_the_keys_page_by_keyboard_passes_axe(browser: Browser, site: Site) -> None:  # noqa: F811
    context, page = open_signed_in(browser, site, "/keys")
    page.get_by_label("Name of the key").press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Give a name of up to 100 characters.")
    assert not axe_violations(page), "the keys page with an error"
    page.get_by_label("Name of the key").fill("grants system")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("shown only once")
    assert not axe_violations(page), "the keys page with a new key"
    page.get_by_role("link", name="Revoke grants system").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name='Revoke the key "grants system"?')).to_be_visible()
    page.wait_for_load_state("load")
    assert not axe_violations(page), "the page asking to revoke a key"
    page.get_by_role("button", name="Yes, revoke this key").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("The key was revoked")
    context.close()
