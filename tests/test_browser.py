"""The web pages in a real browser: Debian's Chromium driven by Playwright, against `labdocs serve` on
127.0.0.1 with a real `labdocs worker` on Redis. Lab lead, coordinator and designer journeys; keyboard
only; another organisation's 404s; axe-core on every page; screenshots at desktop and phone widths."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, ViewportSize, expect, sync_playwright

from labdocs.config import EXAMPLES
from labdocs.web.report import PARTS

from .conftest import ROOT, stop_process
from .docx_reading import headings, open_docx, rows

pytestmark = pytest.mark.slow
CHROMIUM = "/usr/bin/chromium"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "correct horse battery staple"
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}


@dataclass
class Site:
    url: str
    key: str
    other_key: str

    def api(self, method: str, path: str, body: Any = None, key: str | None = None) -> Any:
        request = urllib.request.Request(self.url + path, data=json.dumps(body).encode() if body is not None else None,
                                         method=method, headers={"Authorization": f"Bearer {key or self.key}",
                                                                 "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def labdocs(args: list[str], env: dict[str, str], stdin: str | None = None) -> str:
    result = subprocess.run([sys.executable, "-m", "labdocs.cli", *args], input=stdin, capture_output=True,
                            text=True, cwd=ROOT, env=env, timeout=60, check=True)
    return result.stdout.strip()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, redis_url: str) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("site")
    port = free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join((str(ROOT / "src"), str(ROOT))),  # this tree's code
           "LABDOCS_DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
           "LABDOCS_FILE_STORE": str(folder / "files"), "LABDOCS_REDIS_URL": redis_url,
           "LABDOCS_QUEUE_NAME": f"labdocs-browser-{uuid.uuid4().hex[:8]}", "LABDOCS_SECRET_KEY": uuid.uuid4().hex}
    key = labdocs(["org", "create", "Rochdale Borough Council"], env)
    other_key = labdocs(["org", "create", "Another Council"], env)
    labdocs(["user", "create", "lead@example.org", "--org", "Rochdale Borough Council", "--password-stdin"], env,
            PASSWORD + "\n")
    labdocs(["user", "create", "other@example.org", "--org", "Another Council", "--password-stdin"], env,
            PASSWORD + "\n")
    processes = [subprocess.Popen([sys.executable, "-m", "labdocs.cli", *args], cwd=ROOT, env=env,
                                  start_new_session=True)
                 for args in (["serve", "--port", str(port)], ["worker"])]
    url = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(f"{url}/sign-in", timeout=2)
            break
        except OSError:
            time.sleep(0.1)
    yield Site(url, key, other_key)
    for process in processes:
        stop_process(process, timeout=30)  # once, under load, a stop took over 20 s: warned, not failed


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), "Debian's chromium is not installed (scripts/system-packages installs it)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--lang=en-US", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where page screenshots go: LABDOCS_SCREENSHOTS if set (to look at them), else a temporary folder."""
    target = os.environ.get("LABDOCS_SCREENSHOTS")
    folder = Path(target) if target else tmp_path_factory.mktemp("screens")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def sign_in(page: Page, site: Site, email: str = "lead@example.org") -> None:
    page.goto(f"{site.url}/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Your projects")).to_be_visible()


def continue_(page: Page) -> None:
    """Press the page's main button and wait for the next page to be ready (its scripts included)."""
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_load_state("load")


def open_part(page: Page, name: str) -> None:
    """From the bid's task list, open a part by its link ("3. Summary") and wait for it to load."""
    expect(page.get_by_role("heading", name="Fill in the bid")).to_be_visible()
    page.get_by_role("link", name=name, exact=True).click()
    page.wait_for_load_state("load")


def words(count: int) -> str:
    return " ".join(["co-operative"] * count)


def fill_aims(page: Page) -> None:
    for title in ("Social partnerships", "Democratic engagement", "Co-production", "Enterprise and social economy",
                  "Community leadership and a new role for councillors", "New models of meeting priority needs",
                  "Innovation", "Learning"):
        page.get_by_label(f"{title}: we will do").fill(f"We will work on {title.lower()} together.")
    page.get_by_label("Walking the talk").fill("Being explicitly co-operative in how we run the lab.")


def test_lab_lead_fills_a_bid_sees_errors_and_checks_and_downloads_the_draft(page: Page, site: Site,
                                                                              tmp_path: Path) -> None:
    sign_in(page, site)
    page.get_by_role("button", name="Start a new bid").click()
    open_part(page, "1. About the project")  # a new bid opens on its task list; each part returns to it
    page.get_by_label("Project Title").fill("Brave governance")
    page.get_by_label("Funding round").fill("CCIN Innovation Funding 2024 - Policy Lab")
    page.get_by_label("Organisation leading the project").fill("Rochdale Borough Council")
    page.get_by_label("How much funding are you applying for?").fill("17500")
    continue_(page)
    open_part(page, "2. Lead contact")

    # Contact: a malformed email is an error beside the field and in the summary; what was typed is kept.
    page.get_by_label("Lead Councillor or Officer").fill("Sam Example")
    page.get_by_label("Job Title").fill("Reform and Prevention Lead")
    page.get_by_label("Contact Telephone").fill("01632 960000")
    page.get_by_label("Contact Email").fill("sam at example")
    continue_(page)
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link", name="Contact email: Not a valid email address.")).to_be_visible()
    expect(page.get_by_label("Contact Email")).to_have_value("sam at example")
    expect(page.get_by_label("Lead Councillor or Officer")).to_have_value("Sam Example")
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Contact Email")).to_be_focused()
    page.get_by_label("Contact Email").fill("sam@example.org")
    continue_(page)
    open_part(page, "3. Summary")

    # Summary: the live word count says how far over the limit it is.
    page.get_by_label("Summary of project idea (150 words max)").fill(words(160))
    expect(page.locator("#summary-info")).to_have_text("You have 10 words too many")
    continue_(page)
    open_part(page, "4. Partners")

    page.get_by_role("group", name="Partner 1").get_by_label("Name").fill("Hackney Council")
    page.get_by_role("button", name="Add another partner").click()
    page.get_by_role("group", name="Partner 2").get_by_label("Name").fill("Action Together")
    page.get_by_role("group", name="Partner 2").get_by_label("Kind of member").select_option("affiliate")
    continue_(page)
    open_part(page, "5. Budget")

    # Budget: an unbalanced budget with one bad amount; the running total updates as lines are typed.
    line1 = page.get_by_role("group", name="Budget line 1")
    line1.get_by_label("What the money is for").fill("Training and workshops")
    line1.get_by_label("Amount", exact=True).fill("10000")
    page.get_by_role("button", name="Add another budget line").click()
    line2 = page.get_by_role("group", name="Budget line 2")
    line2.get_by_label("What the money is for").fill("£1,000 for each core partner")
    line2.get_by_label("Amount", exact=True).fill("one thousand")
    line2.get_by_label("Quantity").fill("3")
    continue_(page)
    expect(page.get_by_role("alert")).to_contain_text(
        "Budget line 2: amount: Enter an amount in pounds and pence, like 17500.00.")
    line2 = page.get_by_role("group", name="Budget line 2")
    expect(line2.get_by_label("Amount", exact=True)).to_have_value("one thousand")
    line2.get_by_label("Amount", exact=True).fill("1000")
    expect(page.locator("[data-budget-total]")).to_have_text("£13,000.00")
    expect(page.locator("[data-budget-verdict]")).to_have_text("That is £4,500.00 less than the funding requested.")
    continue_(page)
    open_part(page, "6. Your idea")

    page.get_by_label("What is your idea and how will you allocate the budget?").fill(
        "We will learn together.\n- Training\n- Communities of practice")
    page.get_by_label("Workstreams").fill("Participatory budgeting\nAnti-racist procurement")
    continue_(page)
    open_part(page, "7. Outcomes")
    page.get_by_label("Inputs").fill("Training")
    output = page.get_by_role("group", name="Output 1")
    output.get_by_label("What will be delivered").fill("People from CCIN partners trained")
    output.get_by_label("Target (optional)").fill("30")
    output.get_by_label("Counted in (optional)").fill("people")
    page.get_by_label("Outcomes", exact=True).fill("More confident, co-operative governance")
    continue_(page)
    open_part(page, "8. The network's aims")
    fill_aims(page)
    continue_(page)
    open_part(page, "9. Values and sharing learning")
    page.get_by_label("How does your project support the CCIN Statement of Values and Principles?").fill(
        "Democracy and equality, lived.")
    page.get_by_label("How will you share your learning").fill("Open sessions and zines.")
    continue_(page)
    open_part(page, "10. Declaration")
    page.get_by_label("I agree that the final report will clearly show the Co-operative Difference").check()
    continue_(page)
    page.get_by_role("link", name="Check your answers and download the draft").click()

    # The funder's checklist names what to fix.
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    checklist = page.get_by_role("table", name="Checks against the funder's rules")
    expect(checklist.get_by_role("row", name="Summary is 150 words or fewer")).to_contain_text(
        "The summary is 160 words; the form allows 150. Cut 10 words.")
    expect(checklist.get_by_role("row", name="Budget lines add up to the funding requested")).to_contain_text(
        "The budget lines add up to £13,000.00 but the funding requested is £17,500.00: £4,500.00 less")

    page.get_by_role("link", name="Change Summary of project idea (150 words max)").click()
    page.get_by_label("Summary of project idea (150 words max)").fill(words(120))
    expect(page.locator("#summary-info")).to_have_text("You have 30 words remaining")
    continue_(page)  # a Change link's part goes back to check your answers
    page.get_by_role("link", name="Change Provide a detailed budget").click()
    page.get_by_role("button", name="Add another budget line").click()
    line3 = page.get_by_role("group", name="Budget line 3")
    line3.get_by_label("What the money is for").fill("Zines and a report")
    line3.get_by_label("Amount", exact=True).fill("4500")
    expect(page.locator("[data-budget-verdict]")).to_have_text("They match.")
    continue_(page)
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    expect(page.get_by_role("table", name="Checks against the funder's rules")).not_to_contain_text("Fix")

    page.get_by_role("button", name="Download draft bid").click()
    expect(page.get_by_role("status")).to_contain_text("Ready", timeout=60_000)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the draft bid (Word)").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name == "brave-governance-bid.docx"
    doc = open_docx(path.read_bytes())
    assert headings(doc, 1)[0] == "Project details"
    assert rows(doc.tables[1])[4][3] == "£17,500.00"


def tab_to(page: Page, target: str, limit: int = 120) -> None:
    """Press Tab until the element with this id (or button with this text) has focus: keyboard only."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate("() => [document.activeElement.id, document.activeElement.textContent.trim()]")
        if target in focused:
            return
    raise AssertionError(f"could not reach {target!r} with the Tab key")


def type_into(page: Page, field: str, text: str) -> None:
    tab_to(page, field)
    page.keyboard.type(text)


def press_button(page: Page, text: str) -> None:
    """Tab to a submit button and press Enter on it, then wait for the page it leads to."""
    tab_to(page, text)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_the_whole_bid_form_by_keyboard_alone(page: Page, site: Site) -> None:
    sign_in(page, site)
    press_button(page, "Start a new bid")
    press_button(page, "1. About the project")  # from the task list, to which each part returns
    for field, text in (("title", "Keyboard lab"), ("funding_round", "CCIN Innovation Funding 2024"),
                        ("lead_organisation", "Rochdale Borough Council"), ("funding_requested", "3000")):
        type_into(page, field, text)
    press_button(page, "Save and continue")
    press_button(page, "2. Lead contact")
    expect(page.get_by_role("heading", name="Lead contact")).to_be_visible()
    for field, text in (("contact-name", "Sam Example"), ("contact-job_title", "Officer"),
                        ("contact-phone", "01632 960000"), ("contact-email", "sam@example.org")):
        type_into(page, field, text)
    press_button(page, "Save and continue")
    press_button(page, "3. Summary")
    type_into(page, "summary", "A short summary of a lab run co-operatively.")
    press_button(page, "Save and continue")
    press_button(page, "4. Partners")
    type_into(page, "partners-0-name", "Hackney Council")
    press_button(page, "Save and continue")
    press_button(page, "5. Budget")
    type_into(page, "budget-0-description", "Everything")
    type_into(page, "budget-0-amount", "3000")
    press_button(page, "Save and continue")
    press_button(page, "6. Your idea")
    type_into(page, "idea", "We will learn by doing.")
    press_button(page, "Save and continue")
    press_button(page, "7. Outcomes")
    type_into(page, "outcomes-outputs-0-description", "People trained")
    type_into(page, "outcomes-outputs-0-target", "20")
    press_button(page, "Save and continue")
    press_button(page, "8. The network's aims")
    for key in ("social_partnerships", "democratic_engagement", "co_production", "enterprise_social_economy",
                "community_leadership", "new_models", "innovation", "learning"):
        type_into(page, f"aims-{key}", "We will do it together.")
    type_into(page, "walking_the_talk", "Openly.")
    press_button(page, "Save and continue")
    press_button(page, "9. Values and sharing learning")
    type_into(page, "values_and_principles", "Democracy.")
    type_into(page, "sharing_learning", "Zines.")
    press_button(page, "Save and continue")
    press_button(page, "10. Declaration")
    tab_to(page, "co_operative_difference_agreed")
    page.keyboard.press("Space")
    press_button(page, "Save and continue")
    press_button(page, "Check your answers and download the draft")
    expect(page.get_by_role("table", name="Checks against the funder's rules")).not_to_contain_text("Fix")
    press_button(page, "Download draft bid")
    expect(page.get_by_role("status")).to_contain_text("Ready", timeout=60_000)


@pytest.fixture(scope="module")
def example_project(site: Site) -> dict[str, Any]:
    """The seed bid, stored through the API for Rochdale Borough Council."""
    bid = json.loads((EXAMPLES / "bid.json").read_text("utf-8"))
    bid["budget"][1]["quantity"] = 1  # reconciled, as the lab would before submitting
    project: dict[str, Any] = site.api("POST", "/api/v1/projects", bid)
    return project


def test_coordinator_writes_the_report_part_by_part_and_downloads_the_pdf(page: Page, site: Site,
                                                                         example_project: dict[str, Any],
                                                                         tmp_path: Path) -> None:
    sign_in(page, site)
    page.goto(f"{site.url}/projects/{example_project['id']}/report")
    page.get_by_role("link", name="1. When the lab ran").click()
    page.get_by_label("Start date").fill("2024-04-01")
    page.get_by_label("End date").fill("2025-03-31")
    continue_(page)
    page.get_by_label("Summary of results").fill("Forty-seven people from two councils learned together.")
    continue_(page)
    for number, achieved in enumerate(("47", "1", "6", "2", "5"), start=1):
        page.get_by_role("group", name=f"Output {number}:").get_by_label("Achieved").fill(achieved)
    page.get_by_role("group", name="Output 1:").get_by_label("Evidence").fill("Sign-in sheets.")
    continue_(page)
    for number, spent in enumerate(("5000", "900", "4735.40", "5000"), start=1):
        page.get_by_label(f"Spent on line {number}:").fill(spent)
    continue_(page)
    page.get_by_label("People who took part, in total").fill("47")
    page.get_by_label("From Rochdale Borough Council").fill("40")
    continue_(page)
    activity = page.get_by_role("group", name="Activity 1")
    activity.get_by_label("Date").fill("2024-05-14")
    activity.get_by_label("What it was").fill("Launch session")
    activity.get_by_label("Attendees").fill("32")
    page.get_by_role("button", name="Add another activity").click()
    page.get_by_role("group", name="Activity 2").get_by_label("Date").fill("2024-06-11")
    page.get_by_role("group", name="Activity 2").get_by_label("What it was").fill("Workshop")
    page.get_by_role("group", name="Activity 2").get_by_label("What it was").press("Enter")  # not "Remove activity 1"
    expect(page.get_by_role("heading", name="Case studies")).to_be_visible()

    # A photo uploaded inside the case study keeps everything typed beside it, and is chosen for it.
    study = page.get_by_role("group", name="Case study 1")
    study.get_by_label("Title").fill("Young people decide")
    study.get_by_label("The story").fill("They chose three grants.")
    study.get_by_label("Upload a new photo for case study 1").set_input_files(photo_file(tmp_path))
    study.get_by_role("button", name="Upload photo for case study 1").click()
    expect(page.get_by_text("Uploaded hall.png (64 × 48 pixels) for case study 1.")).to_be_visible()
    study = page.get_by_role("group", name="Case study 1")
    expect(study.get_by_label("Title")).to_have_value("Young people decide")
    expect(study.get_by_label("The story")).to_have_value("They chose three grants.")
    expect(study.get_by_label("Photo (optional)")).to_have_value(re.compile("^[0-9a-f]{32}$"))
    expect(page.get_by_role("alert")).to_contain_text("Case study 1: description of the image")
    study.get_by_label("Describe the photo").fill("Young people voting in a hall")
    continue_(page)

    page.get_by_label("The co-operative difference").fill("Residents changed three grant decisions.")
    continue_(page)
    page.get_by_label("Co-production").check()
    continue_(page)
    page.get_by_label("Name", exact=True).fill("Sam Example")
    page.get_by_label("Email", exact=True).fill("labs@example.org")
    continue_(page)

    checks = page.get_by_role("region", name="Checks against the bid")
    expect(checks).to_contain_text("Participants by partner add up to 40 but the total is 47 (7 not accounted for).")
    page.get_by_role("link", name="5. Who took part").click()
    page.get_by_label("From Hackney Council").fill("7")
    page.get_by_role("button", name="Save and come back later").click()
    page.get_by_role("link", name="Check and download").click()
    expect(page.get_by_text("Checks against the bid: everything adds up.")).to_be_visible()
    page.get_by_role("button", name="Download report as PDF").click()
    expect(page.get_by_role("status")).to_contain_text("Ready", timeout=60_000)
    expect(page.get_by_role("heading", name="Accessibility checks")).to_be_visible()
    expect(page.get_by_text("Tagged: the PDF has a structure tree")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the report (PDF)").click()
    path = tmp_path / "report.pdf"
    download.value.save_as(path)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Residents changed three grant decisions." in text and "47 people" in text
    assert "Young people decide" in text and "labs@example.org" in text and "Launch session" in text
    assert "Workshop" in text


def photo_file(folder: Path) -> Path:
    path = folder / "hall.png"
    Image.new("RGB", (64, 48), "#1d70b8").save(path)
    return path


def test_the_report_by_keyboard_alone_photo_included(browser: Browser, site: Site, tmp_path: Path) -> None:
    project = site.api("POST", "/api/v1/projects", {**json.loads((EXAMPLES / "bid.json").read_text("utf-8")),
                                                    "title": "Keyboard report lab"})
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    sign_in(page, site)
    page.goto(f"{site.url}/projects/{project['id']}/report")
    press_button(page, "1. When the lab ran")
    type_into(page, "period-start", "04012024")  # month first: the browser runs with --lang=en-US
    type_into(page, "period-end", "03312025")
    press_button(page, "Save and continue")
    type_into(page, "results_summary", "We met, we learned, we changed things.")
    press_button(page, "Save and continue")
    for _ in range(4):  # results, spend, people, activities: nothing yet
        press_button(page, "Save and continue")
    expect(page.get_by_role("heading", name="Case studies")).to_be_visible()
    type_into(page, "case_studies-0-title", "A story")
    type_into(page, "case_studies-0-story", "Told by keyboard.")
    tab_to(page, "case_studies-0-photo")
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(photo_file(tmp_path))
    press_button(page, "Upload photo for case study 1")
    expect(page.get_by_label("Title")).to_have_value("A story")
    expect(page.get_by_role("alert")).to_be_focused()  # the error summary takes focus, as on every page
    type_into(page, "case_studies-0-alt", "A hall")
    press_button(page, "Save and continue")
    type_into(page, "co_operative_difference", "Keys, not clicks.")
    press_button(page, "Save and continue")
    tab_to(page, "principles_met-learning")
    page.keyboard.press("Space")
    press_button(page, "Save and continue")
    press_button(page, "Save and continue")
    expect(page.get_by_role("button", name="Download report as a web page")).to_be_visible()
    stored = site.api("GET", f"/api/v1/projects/{project['id']}/report")["report"]
    assert stored["period"] == {"start": "2024-04-01", "end": "2025-03-31"}
    assert stored["case_studies"][0]["alt"] == "A hall" and stored["principles_met"] == ["learning"]
    context.close()


def test_designer_builds_a_minizine_and_downloads_it(page: Page, site: Site, example_project: dict[str, Any],
                                                     tmp_path: Path) -> None:
    sign_in(page, site)
    page.goto(f"{site.url}/projects/{example_project['id']}")
    page.get_by_label("Mini-zine, folded from one A4 sheet").check()
    page.get_by_label("At home or in the office").check()
    page.get_by_role("button", name="Make a first draft").click()
    expect(page.get_by_role("group", name="Page 8")).to_be_visible()
    page.get_by_role("group", name="Page 2").get_by_label("Heading").fill("What this lab is for")
    page.get_by_role("button", name="Save and make the print files").click()
    expect(page.get_by_role("status")).to_contain_text("Ready", timeout=60_000)
    expect(page.get_by_role("heading", name="Preflight")).to_be_visible()
    expect(page.get_by_role("img", name="Preview of page 1")).to_be_visible()
    expect(page.get_by_role("img", name="Preview of sheet side 1")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download imposed.pdf").click()
    path = tmp_path / "imposed.pdf"
    download.value.save_as(path)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "What this lab is for" in text and "How to fold" in text


def test_another_organisation_gets_404_for_everything(browser: Browser, site: Site,
                                                      example_project: dict[str, Any]) -> None:
    project_id = example_project["id"]
    zine = site.api("POST", f"/api/v1/projects/{project_id}/zines", {"generate": True, "format": "minizine-a4"})
    document = site.api("POST", f"/api/v1/projects/{project_id}/documents", {"kind": "bid"})
    deadline = time.monotonic() + 60
    while document["status"] not in ("finished", "failed") and time.monotonic() < deadline:
        time.sleep(0.2)
        document = site.api("GET", f"/api/v1/documents/{document['id']}")
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, site, "other@example.org")
    for path in (f"/projects/{project_id}", f"/projects/{project_id}/bid", f"/projects/{project_id}/bid/summary",
                 f"/projects/{project_id}/report", f"/zines/{zine['id']}", f"/documents/{document['id']}",
                 f"/documents/{document['id']}/download", f"/documents/{document['id']}/status"):
        response = page.goto(site.url + path)
        assert response is not None and response.status == 404, path
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    posted = page.request.post(f"{site.url}/projects/{project_id}/documents",
                               form={"csrf_token": token or "", "kind": "bid", "format": "docx"})
    assert posted.status == 404
    context.close()


def test_forms_refuse_posts_without_the_csrf_token(page: Page, site: Site, example_project: dict[str, Any]) -> None:
    sign_in(page, site)
    response = page.request.post(f"{site.url}/projects/{example_project['id']}/documents",
                                 form={"kind": "bid", "format": "docx"})
    assert response.status == 400
    assert "This form has expired" in response.text()


def pages_to_check(site: Site, project_id: str) -> list[str]:
    zine = site.api("POST", f"/api/v1/projects/{project_id}/zines", {"generate": True, "format": "booklet-a5"})
    document = site.api("POST", f"/api/v1/projects/{project_id}/documents", {"kind": "zine", "zine": zine["id"]})
    sections = ("project", "contact", "summary", "partners", "budget", "idea", "outcomes", "aims", "values",
                "declaration")
    return ["/projects", f"/projects/{project_id}", f"/projects/{project_id}/bid", f"/projects/{project_id}/bid/check",
            *(f"/projects/{project_id}/bid/{slug}" for slug in sections), f"/projects/{project_id}/report",
            *(f"/projects/{project_id}/report/{part.slug}" for part in PARTS),
            f"/zines/{zine['id']}", f"/documents/{document['id']}"]


def axe_violations(page: Page) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""() => axe.run(document, {runOnly: {type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})""")
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


def test_pages_pass_axe_and_are_photographed_at_two_widths(browser: Browser, site: Site,
                                                           example_project: dict[str, Any],
                                                           screenshots: Path) -> None:
    assert AXE.exists(), "axe-core is missing: run `npm ci` (make test does)"
    paths = pages_to_check(site, example_project["id"])
    for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        context = browser.new_context(viewport=viewport, bypass_csp=True)  # axe is injected as a script
        page = context.new_page()
        page.goto(f"{site.url}/sign-in")
        assert not axe_violations(page), "sign-in page"
        page.screenshot(path=str(screenshots / f"{name}-sign-in.png"), full_page=True)
        sign_in(page, site)
        for path in paths:
            response = page.goto(site.url + path)
            assert response is not None and response.status == 200, path
            page.wait_for_load_state("networkidle")
            problems = axe_violations(page)
            assert not problems, f"{path}: {[(v['id'], v['help'], len(v['nodes'])) for v in problems]}"
            page.screenshot(path=str(screenshots / f"{name}{path.replace('/', '-')}.png"), full_page=True)
        page.goto(f"{site.url}/projects/{example_project['id']}/bid/contact")
        page.get_by_label("Contact Email").fill("not an email")
        page.get_by_role("button", name="Save and continue").click()
        assert not axe_violations(page), "a page showing errors"
        page.screenshot(path=str(screenshots / f"{name}-errors.png"), full_page=True)
        context.close()


def test_the_zine_editor_by_keyboard_alone_layout_contrast_and_instructions(browser: Browser, site: Site,
                                                                           example_project: dict[str, Any],
                                                                           screenshots: Path) -> None:
    context = browser.new_context(viewport=DESKTOP, bypass_csp=True)  # axe is injected as a script
    page = context.new_page()
    zine = site.api("POST", f"/api/v1/projects/{example_project['id']}/zines",
                    {"generate": True, "format": "booklet-a5"})
    sign_in(page, site)
    page.goto(f"{site.url}/zines/{zine['id']}")
    second = page.get_by_role("group", name="Page 2", exact=True)
    expect(second.get_by_label("Quote", exact=True)).to_have_count(0)  # a text page asks for no quote
    assert not axe_violations(page), "the zine editor"
    hex_shown = page.locator('[data-colour-hex="pages-1-background"]')
    expect(hex_shown).to_have_text("automatic")
    tab_to(page, "pages-1-background")  # a colour picker's own dialog is the browser's: its value is set directly
    page.locator("#pages-1-background").fill("#777777")
    expect(hex_shown).to_have_text("#777777")  # the script keeps the hex in step, and unticks Automatic
    expect(page.locator("#pages-1-background-auto")).not_to_be_checked()
    press_button(page, "Save")
    expect(page.get_by_text("measures", exact=False).first).to_be_visible()
    hint = page.locator("#pages-1-background-hint")
    expect(hint).to_contain_text("Now #777777.")
    expect(hint).to_contain_text("Text on it")
    expect(hint).to_contain_text("WCAG AA needs at least 4.5:1")
    assert "passes" in hint.inner_text() or "fails" in hint.inner_text()
    tab_to(page, "pages-1-background-auto")
    page.keyboard.press("Space")  # back to the theme's colour
    expect(hex_shown).to_have_text("automatic")
    tab_to(page, "pages-1-layout")
    page.keyboard.type("Quote")
    press_button(page, "Show this layout’s fields (page 2)")
    expect(page.get_by_role("status").first).to_contain_text("Now fill in the quote for page 2.")
    expect(page.get_by_text("There is a problem")).to_have_count(0)
    second = page.get_by_role("group", name="Page 2", exact=True)
    expect(second.get_by_label("Quote", exact=True)).to_be_visible()
    expect(second.get_by_label("Text", exact=True)).to_have_count(0)
    assert not axe_violations(page), "the zine editor showing a quote page's fields"
    type_into(page, "pages-1-quote", "We asked, and we listened.")
    press_button(page, "Save and preview the pages")
    preview = page.get_by_role("img", name=re.compile(r"^Page 2 as it will print: Quote layout"))
    expect(preview).to_be_visible(timeout=60_000)  # "Making the preview…", then the page reloads with them
    expect(page.get_by_text("Making the preview…")).to_have_count(0)
    assert page.evaluate("() => [...document.images].every(image => image.complete && image.naturalWidth > 0)")
    assert not axe_violations(page), "the zine editor with its page previews"
    preview.scroll_into_view_if_needed()
    page.screenshot(path=screenshots / "zine-editor-previews.png")
    press_button(page, "Save and make the print files")
    expect(page.get_by_role("status")).to_contain_text("Ready", timeout=60_000)
    page.reload()
    expect(page.get_by_role("heading", name="How to print it")).to_be_visible()
    expect(page.locator("section[aria-labelledby=how-to-print] li").first).to_be_visible()
    assert not axe_violations(page), "a made zine's page with its print instructions"
    context.close()
