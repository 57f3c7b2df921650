"""The award and the register in Chromium, by keyboard alone: errors, places added, saved, shown; axe-clean."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Browser, expect

from labdocs.config import EXAMPLES

from .test_browser import (  # noqa: F401 (fixtures)
    DESKTOP,
    Site,
    axe_violations,
    browser,
    press_button,
    sign_in,
    site,
    tab_to,
    type_into,
)

pytestmark = pytest.mark.slow


def test_an_award_is_recorded_by_keyboard_alone(browser: Browser, site: Site) -> None:  # noqa: F811
    bid = json.loads((EXAMPLES / "bid.json").read_text("utf-8"))
    project = site.api("POST", "/api/v1/projects", {**bid, "title": "A funded lab"})
    context = browser.new_context(viewport=DESKTOP, bypass_csp=True)  # axe is injected as a script
    page = context.new_page()
    sign_in(page, site)
    page.goto(f"{site.url}/projects/{project['id']}")
    press_button(page, "record the award")
    expect(page.get_by_role("heading", name="The award")).to_be_visible()
    assert not axe_violations(page), "the award form"
    type_into(page, "amount", "17500")
    press_button(page, "Save the award")  # the rest still missing: errors, each linked to its field
    expect(page.get_by_role("alert")).to_contain_text("Award date")
    assert not axe_violations(page), "the award form showing errors"
    tab_to(page, "date")
    page.keyboard.type("03152024")  # headless Chromium's date field is month first whatever the locale
    type_into(page, "reference", "CCIN-IF-2024-07")
    type_into(page, "funder-name", "Oldham Council")
    press_button(page, "Add a place")
    type_into(page, "locations-0-name", "Rochdale")
    press_button(page, "Save the award")
    expect(page.get_by_role("status")).to_have_text("The award was saved.")
    expect(page.get_by_text("£17,500.00 on 15 March 2024")).to_be_visible()
    expect(page.get_by_text("GB-LAE-RCH")).to_have_count(0)  # no register loaded: said plainly instead
    expect(page.get_by_text("Not known yet: the register of organisations gives none")).to_be_visible()
    assert not axe_violations(page), "the project page with its award"
    page.goto(f"{site.url}/register")
    assert not axe_violations(page), "the register page"
    context.close()
