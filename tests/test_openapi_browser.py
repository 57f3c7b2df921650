"""The API description page opens in Chromium: Swagger UI, served by labdocs, shows every operation."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from labdocs.api.openapi import OPERATIONS

from .test_browser import Site, browser, site  # noqa: F401 (fixtures)

pytestmark = pytest.mark.slow


def test_the_api_docs_page_shows_every_operation(browser: Browser, site: Site) -> None:  # noqa: F811
    page = browser.new_page()
    problems: list[str] = []  # script errors (a Content-Security-Policy refusal among them)
    missing: list[str] = []  # anything asked for and not served
    page.on("console", lambda message: problems.append(message.text)
            if message.type == "error" and not message.text.startswith("Failed to load resource") else None)
    page.on("response", lambda response: missing.append(response.url) if response.status >= 400 else None)
    page.on("requestfailed", lambda request: missing.append(request.url))
    page.goto(f"{site.url}/api/docs")
    page.wait_for_selector(".opblock", timeout=20_000)
    assert page.locator(".opblock").count() == len(OPERATIONS)
    assert page.locator("h1").first.inner_text() == "labdocs API"
    assert problems == []
    assert [url for url in missing if not url.endswith("/favicon.ico")] == []  # browsers ask for one; it is not needed
    page.close()
