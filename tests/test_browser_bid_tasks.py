"""The bid's task list, "Have you completed this section?" and check your answers in Chromium (the fixtures of
test_browser.py): by keyboard alone, axe-clean at desktop and phone widths, a Change link there and back."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from labdocs.config import EXAMPLES

from .test_browser import (  # noqa: F401 (fixtures)
    DESKTOP,
    PHONE,
    Site,
    axe_violations,
    browser,
    press_button,
    sign_in,
    site,
    tab_to,
)

pytestmark = pytest.mark.slow


def axe_clean(page: Page, what: str) -> None:
    page.wait_for_load_state("networkidle")
    problems = axe_violations(page)
    assert not problems, f"{what}: {[(v['id'], v['help'], len(v['nodes'])) for v in problems]}"


def replace_text(page: Page, field: str, text: str) -> None:
    """Tab to a field, select what is in it and type over it: keyboard only."""
    tab_to(page, field)
    page.keyboard.press("Control+A")
    if text:
        page.keyboard.type(text)
    else:
        page.keyboard.press("Delete")


@pytest.mark.parametrize(("width", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_task_list_completed_question_and_check_answers_by_keyboard(browser: Browser, site: Site,  # noqa: F811
                                                                    width: str, viewport: ViewportSize) -> None:
    bid = json.loads((EXAMPLES / "bid.json").read_text("utf-8"))
    bid["budget"][1]["quantity"] = 1  # reconciled
    project = site.api("POST", "/api/v1/projects", {**bid, "title": f"Task list lab ({width})"})
    context = browser.new_context(viewport=viewport, bypass_csp=True)  # axe is injected as a script
    page = context.new_page()
    page.set_default_timeout(20_000)
    sign_in(page, site)
    tasks = f"{site.url}/projects/{project['id']}/bid"
    page.goto(tasks)

    # The task list: ten parts, each a link with its status in words; a bid from the API waits for the lead's yes.
    expect(page.get_by_role("heading", name="Fill in the bid")).to_be_visible()
    expect(page.get_by_text("You have completed 0 of 10 parts.")).to_be_visible()
    for slug in ("project", "contact", "summary", "declaration"):
        expect(page.locator(f"#{slug}-status")).to_have_text("In progress")
    expect(page.get_by_role("link", name="3. Summary")).to_have_attribute("aria-describedby", "summary-status")
    expect(page.locator("#check-status")).to_have_text("Not yet started")
    axe_clean(page, "the task list")

    # A part with "Have you completed this section?": Yes, then back to the task list, where it is Completed.
    press_button(page, "3. Summary")
    expect(page.get_by_role("heading", name="Summary", exact=True)).to_be_visible()
    question = page.get_by_role("group", name="Have you completed this section?")
    expect(question.get_by_role("radio", name="Yes")).not_to_be_checked()
    expect(question.get_by_role("radio", name="No, I’ll come back later")).to_be_visible()
    axe_clean(page, "a part with the completed question")
    tab_to(page, "completed")
    page.keyboard.press("Space")
    expect(question.get_by_role("radio", name="Yes")).to_be_checked()
    press_button(page, "Save and continue")
    assert page.url == tasks
    expect(page.locator("#summary-status")).to_have_text("Completed")
    expect(page.get_by_text("You have completed 1 of 10 parts.")).to_be_visible()

    # Yes on a part that does not validate is refused, with what it lacks; what was typed is kept.
    press_button(page, "2. Lead contact")
    replace_text(page, "contact-email", "")
    tab_to(page, "completed")
    page.keyboard.press("Space")
    press_button(page, "Save and continue")
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Contact email: This is required.")).to_be_visible()
    refused = re.compile("^Have you completed this section.*not finished")
    expect(summary.get_by_role("link", name=refused)).to_be_visible()
    axe_clean(page, "a part refused as completed")
    type_into_email = "labs@example.org"
    tab_to(page, "contact-email")
    page.keyboard.type(type_into_email)
    press_button(page, "Save and continue")  # Yes is still chosen
    expect(page.locator("#contact-status")).to_have_text("Completed")

    # Check your answers: the form's questions with their answers; a Change link goes to the part and back.
    press_button(page, "Check your answers and download the draft")
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    expect(page.get_by_text(type_into_email)).to_be_visible()
    change = page.get_by_role("link", name="Change Summary of project idea (150 words max)")
    expect(change).to_be_visible()
    expect(change).to_have_text("Change Summary of project idea (150 words max)")  # the question, visually hidden
    expect(page.get_by_role("button", name="Download draft bid")).to_be_visible()
    axe_clean(page, "check your answers")
    press_button(page, "Change Summary of project idea (150 words max)")
    expect(page.get_by_role("link", name="Back to check your answers")).to_be_visible()
    expect(page.get_by_role("radio", name="Yes")).to_be_checked()  # the answer given before
    changed = "Councils and residents learn co-operative governance together, by keyboard."
    replace_text(page, "summary", changed)
    press_button(page, "Save and continue")
    assert page.url.endswith(f"/projects/{project['id']}/bid/check#part-summary")
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    expect(page.get_by_text(changed)).to_be_visible()
    page.goto(tasks)
    expect(page.locator("#summary-status")).to_have_text("Completed")
    context.close()
