"""Bringing Word edits back, in a real browser and by keyboard alone: the upload on the project page, the review
page with each change's diff, accept or reject each; axe-clean, errors included."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from labdocs.config import EXAMPLES
from labdocs.domain.funder_form import QUESTIONS

from .docx_editing import edited, paragraph_starting, render, set_text, track_insertion, under
from .test_browser import (  # noqa: F401 (fixtures)
    DESKTOP,
    PHONE,
    Site,
    axe_violations,
    browser,
    press_button,
    screenshots,
    sign_in,
    site,
    tab_to,
)

pytestmark = pytest.mark.slow


def draft(bid: dict[str, Any], folder: Path) -> Path:
    def edit(doc: Any) -> None:
        set_text(paragraph_starting(doc, bid["aims"]["learning"][:30]), "We will publish what we learn.")
        set_text(under(doc, QUESTIONS["summary"])[0], "A shorter summary.")
        track_insertion(paragraph_starting(doc, bid["sharing_learning"][:30]), " And a podcast.")
    path = folder / "edited draft.docx"
    path.write_bytes(edited(render(bid), edit))
    return path


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_import_review_by_keyboard_alone(browser: Browser, site: Site, tmp_path: Path,  # noqa: F811
                                             viewport: Any, screenshots: Path) -> None:  # noqa: F811
    bid = {**json.loads((EXAMPLES / "bid.json").read_text("utf-8")), "title": "A lab edited in Word"}
    project = site.api("POST", "/api/v1/projects", bid)
    context = browser.new_context(viewport=viewport, bypass_csp=True)  # axe is injected as a script
    page = context.new_page()
    page.set_default_timeout(20_000)
    sign_in(page, site)
    page.goto(f"{site.url}/projects/{project['id']}")
    assert not axe_violations(page), "the project page"
    page.set_input_files("#file", str(draft(bid, tmp_path)))  # a file chooser is the system's, not the page's
    press_button(page, "Upload and show the changes")
    expect(page.get_by_role("alert")).to_contain_text("choose whether to accept them all or reject them all")
    problems = axe_violations(page)
    assert not problems, [(v["id"], [node["html"] for node in v["nodes"]]) for v in problems]

    page.set_input_files("#file", str(draft(bid, tmp_path)))
    tab_to(page, "tracked_changes")
    page.keyboard.press("Space")
    press_button(page, "Upload and show the changes")
    expect(page.get_by_role("heading", name="Review the changes from edited draft.docx")).to_be_visible()
    expect(page.locator("ins.diff-added").first).to_be_visible()
    assert "And a podcast." in page.get_by_role("list").first.inner_text()
    assert not axe_violations(page), "the review page"
    page.screenshot(path=str(screenshots / f"import-review-{viewport['width']}.png"), full_page=True)

    tab_to(page, "aims-learning")
    page.keyboard.press("Space")
    press_button(page, "Save the accepted changes")
    expect(page.get_by_role("alert")).to_contain_text("Choose whether to accept or reject the change to Summary")
    assert not axe_violations(page), "the review page with errors"

    tab_to(page, "summary")
    page.keyboard.press("ArrowRight")  # within the radios: to "Reject", which selects it
    tab_to(page, "sharing_learning")
    page.keyboard.press("Space")
    press_button(page, "Save the accepted changes")
    expect(page.get_by_role("status")).to_have_text("2 change(s) from the file were saved to the bid.")
    saved = site.api("GET", f"/api/v1/projects/{project['id']}")["bid"]
    assert saved["aims"]["learning"] == "We will publish what we learn."
    assert " And a podcast." in saved["sharing_learning"] and saved["summary"] == bid["summary"]
    context.close()
