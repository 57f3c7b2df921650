"""HTML to PDF with WeasyPrint: sandboxed templates, a fetcher that serves only labdocs' own resources."""

from __future__ import annotations

import atexit
import logging
import os
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader

from labdocs.render import RenderError, read_asset
from labdocs.render.jinja import TemplateCache
from labdocs.render.palette import css_variables
from labdocs.render.structure import mark_sources
from labdocs.render.tagging import finish_tagged

SCHEME = "labdocs:"


class MissingGlyphs(RenderError):
    """Characters no font can print: WeasyPrint draws them as empty boxes (.notdef), which PDF/UA forbids."""

    def __init__(self, characters: list[str]) -> None:
        super().__init__("No font labdocs has can print " + ", ".join(characters) + ".")
        self.characters = characters


class GlyphWatch(logging.Handler):
    """Collects the characters WeasyPrint logs as printed with .notdef, on this thread only (renders may share
    a process)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.thread = threading.get_ident()
        self.missing: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread and record.msg.startswith(".notdef glyph") and len(record.args or ()) == 2:
            character = str(record.args[0])  # type: ignore[index]
            if character not in self.missing:
                self.missing.append(character)


@contextmanager
def watching_glyphs() -> Iterator[GlyphWatch]:
    watch = GlyphWatch()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(watch)
    try:
        yield watch
    finally:
        logger.removeHandler(watch)


@lru_cache(maxsize=4)
def html_environment(folder: Path) -> TemplateCache:
    """The sandboxed, autoescaping environment for the HTML templates in `folder` (loaded once each)."""
    return TemplateCache(loader=FileSystemLoader(folder), trim_blocks=True, lstrip_blocks=True)


def render_html(templates: Path, name: str, context: Mapping[str, Any]) -> str:
    return html_environment(templates / "html").get_template(name).render(context)


def make_fetcher(assets: Path, resources: Mapping[str, tuple[bytes, str]]) -> Any:
    """A URL fetcher for WeasyPrint that serves labdocs:asset/… files and this render's own resources.

    Nothing else: no file://, no http(s)://, no data: tricks, no redirects. WeasyPrint is imported here,
    not at module import, so light processes (the CLI's check command) do not pay for it.
    """
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LabdocsFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            if url in resources:
                data, media_type = resources[url]
            elif url.startswith(f"{SCHEME}asset/"):
                data, media_type = read_asset(assets, url.removeprefix(f"{SCHEME}asset/"))
            else:
                raise ValueError(f"labdocs does not fetch {url[:80]}")
            return URLFetcherResponse(url, body=data, headers={"Content-Type": media_type})

    return LabdocsFetcher(allowed_protocols={"labdocs"}, allow_redirects=False, fail_on_errors=True)


@lru_cache(maxsize=1)
def font_configuration_class() -> type[Any]:
    """WeasyPrint's font configuration, made safe to share with forked workers.

    Each configuration keeps @font-face fonts in a temporary folder that it deletes when it is dropped.
    Workers inherit the parent's configurations; one dropped in a worker must not delete fonts the others use.
    """
    from weasyprint.text.fonts import FontConfiguration

    class OwnedFontConfiguration(FontConfiguration):
        def __init__(self) -> None:
            super().__init__()
            self.owner = os.getpid()

        def __del__(self) -> None:
            if os.getpid() == self.owner:
                super().__del__()

    # Release cached configurations before interpreter teardown, when their __del__ can still run.
    atexit.register(stylesheet.cache_clear)
    return OwnedFontConfiguration


@lru_cache(maxsize=8)
def stylesheet(path: Path, mtime_ns: int, assets: Path) -> tuple[Any, Any]:
    """A parsed stylesheet (palette variables first) and the font configuration its @font-face rules fill.

    Parsing CSS and loading fonts is done once per process and stylesheet version, not per render.
    """
    from weasyprint import CSS

    fonts = font_configuration_class()()
    css = CSS(string=css_variables() + "\n" + path.read_text("utf-8"), base_url=SCHEME,
              url_fetcher=make_fetcher(assets, {}), font_config=fonts)
    return css, fonts


def render_pdf(html: str, css_path: Path, assets: Path, resources: Mapping[str, tuple[bytes, str]],
               variant: str | None = "pdf/ua-1") -> bytes:
    """Lay out HTML with a stylesheet and write a (by default PDF/UA-1, tagged) PDF.

    A tagged PDF with characters no font can print is refused (MissingGlyphs): it would show empty boxes
    and could not be PDF/UA.
    """
    pdf, missing = render_watched(html, css_path, assets, resources, variant, tagged=variant is not None)
    if variant and missing:
        raise MissingGlyphs(missing)
    return pdf


def render_watched(html: str, css_path: Path, assets: Path, resources: Mapping[str, tuple[bytes, str]],
                   variant: str | None = None, tagged: bool = False) -> tuple[bytes, list[str]]:
    """A PDF (plain, PDF/X such as "pdf/x-4", or tagged PDF/UA-1 with its structure repaired) and the
    characters no font could print, which the caller reports rather than refusing the render."""
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    css, fonts = stylesheet(css_path, css_path.stat().st_mtime_ns, assets)
    if tagged:
        mark_sources()
    document = HTML(string=html, base_url=SCHEME, url_fetcher=make_fetcher(assets, resources))
    try:
        with watching_glyphs() as watch:
            pdf: bytes = document.write_pdf(stylesheets=[css], font_config=fonts, pdf_variant=variant,
                                            pdf_tags=tagged, custom_metadata=True)
    except FatalURLFetchingError as exc:
        raise RenderError(f"A picture or file the document needs could not be loaded ({exc}).") from None
    return (finish_tagged(pdf) if tagged else pdf), watch.missing
