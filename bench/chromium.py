"""The peer a user would pick instead of WeasyPrint: headless Chromium, kept warm, printing the same HTML and
CSS to PDF (tagged, as Chrome's "print to PDF" makes it), through Playwright and Debian's /usr/bin/chromium."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from labdocs.render.palette import css_variables
from labdocs.render.pdf import make_fetcher

CHROMIUM = "/usr/bin/chromium"
ORIGIN = "https://labdocs.invalid/"


class WarmChromium:
    """One browser and one page for the whole run: each print is a set_content and a page.pdf, as a service
    keeping Chromium warm would do it. Resources come from labdocs' own fetcher, over a routed fake origin."""

    def __init__(self) -> None:
        from playwright.sync_api import sync_playwright

        self.playwright = sync_playwright().start()
        self.browser = self.playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        self.page = self.browser.new_page()
        self.fetch: Callable[[str], Any] | None = None
        self.missed: list[str] = []
        self.page.route(f"{ORIGIN}**", self.serve)

    def serve(self, route: Any) -> None:
        """Answer the page's request for a labdocs: URL with what WeasyPrint's fetcher would give."""
        assert self.fetch is not None
        try:
            response = self.fetch(route.request.url.replace(ORIGIN, "labdocs:", 1))
        except Exception:  # a handler's exception would leave the page waiting for ever
            self.missed.append(route.request.url)
            route.abort()
            return
        route.fulfill(body=response.read(), headers={"Content-Type": str(response.headers["Content-Type"])})

    def print_pdf(self, html: str, css_path: Path, assets: Path,
                  resources: Mapping[str, tuple[bytes, str]]) -> bytes:
        """The HTML with the stylesheet inlined (palette variables first, as labdocs parses it), printed."""
        self.fetch = make_fetcher(assets, resources).fetch
        css = css_variables() + "\n" + css_path.read_text("utf-8")
        page_html = html.replace("</head>", f"<style>{css}</style></head>", 1).replace("labdocs:", ORIGIN)
        self.page.set_content(page_html, wait_until="load")
        self.page.evaluate("document.fonts.ready.then(() => true)")
        pdf: bytes = self.page.pdf(prefer_css_page_size=True, print_background=True, tagged=True)
        if self.missed:
            raise RuntimeError(f"Chromium asked for what labdocs does not serve: {self.missed[:3]}")
        return pdf

    def close(self) -> None:
        self.browser.close()
        self.playwright.stop()
