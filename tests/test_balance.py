"""render/balance.py: short text pages start lower, and a page lowered never runs past its text box.

Pages of generated text, from a heading alone to more than a page holds, in every format and theme font and in
several scripts, are laid out by WeasyPrint (tests/test_fitting.py reads the layout tree back).
"""

from __future__ import annotations

from typing import Any

import pytest

from labdocs.render.balance import top_space
from labdocs.render.zine import zine_context, zine_geometry
from labdocs.schemas.zine import FONTS, FORMATS, load_zine
from tests.test_fitting import overflows

WORDS = {"latin": "council residents decided together how the budget is spent",
         "greek": "το συμβούλιο και οι κάτοικοι αποφάσισαν μαζί",
         "mixed": "Rochdale ☀ 共同 décidé Київ together 🎉"}


def zine_of(fmt: str, font: str, script: str, lengths: list[int]) -> dict[str, Any]:
    """A cover, then one text page per length (that many words, some as a list), padded to the format's count."""
    words = WORDS[script].split()
    pages: list[dict[str, Any]] = [{"layout": "cover", "heading": "Cover"}]
    for n in lengths:
        text = " ".join(words[i % len(words)] for i in range(n))
        body = text if n % 2 else f"{text}\n- {words[0]} {words[1]}\n- {words[2]}"
        pages.append({"layout": "text", "heading": f"Page of {n} words", "body": body[:3000] if n else ""})
    count = 8 if fmt != "booklet-a5" else len(pages)
    pages = (pages + [{"layout": "text", "heading": "More"}] * 8)[:count]
    return load_zine({"title": "Balance", "format": fmt, "theme": {"font": font}, "pages": pages})


@pytest.mark.parametrize("script", list(WORDS))
@pytest.mark.parametrize("font", FONTS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_lowered_page_never_runs_past_its_box(fmt: str, font: str, script: str) -> None:
    lengths = [0, 5, 20, 40, 60, 90, 130, 180, 260, 400] if fmt == "booklet-a5" else [0, 10, 30, 60, 100, 150, 250]
    zine = zine_of(fmt, font, script, lengths)
    pages = zine_context(zine, zine_geometry(zine), {})["pages"]
    lowered = {number for number, page in enumerate(pages, start=1) if page["top_space"] > 0}
    assert {2, 3} <= lowered and len(pages) not in lowered  # short pages are lowered, the longest is not
    assert [problem for problem in overflows(zine) if problem[0] in lowered] == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_more_words_start_higher_and_only_text_pages_move(fmt: str) -> None:
    zine = zine_of(fmt, "lato", "latin", [0, 10, 30, 60])
    pages = zine_context(zine, zine_geometry(zine), {})["pages"]
    spaces = [page["top_space"] for page in pages[1:5]]
    assert spaces == sorted(spaces, reverse=True) and spaces[0] > spaces[-1]
    assert pages[0]["top_space"] == 0.0  # the cover keeps its words at the foot
    for layout in ("quote", "image-full"):
        page: dict[str, Any] = {"layout": layout, "heading": "A", "blocks": [], "image": None}
        assert top_space(page, fmt, "lato") == 0.0
    pictured: dict[str, Any] = {"layout": "text", "heading": "A", "blocks": [], "image": {"src": "x", "alt": "y"}}
    assert top_space(pictured, fmt, "lato") == 0.0  # a picture's height is not measured, so it is not guessed


def quote_zine(fmt: str, font: str, script: str) -> dict[str, Any]:
    """A cover, then quote pages from a few words to the longest quote allowed, with and without a heading."""
    words = WORDS[script].split()
    pages: list[dict[str, Any]] = [{"layout": "cover", "heading": "Cover"}]
    for n in (2, 8, 20, 40, 70, 120):
        quote = " ".join(words[i % len(words)] for i in range(n))[:600]
        pages.append({"layout": "quote", "heading": "In their words" if n % 4 else "", "quote": quote,
                      "quote_by": "A resident of the estate"})
    pages.append({"layout": "back", "heading": "Thanks", "body": "Us"})
    return load_zine({"title": "Quotes", "format": fmt, "theme": {"font": font}, "pages": pages})


@pytest.mark.parametrize("script", list(WORDS))
@pytest.mark.parametrize("font", FONTS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_short_quote_is_lowered_and_never_past_its_box(fmt: str, font: str, script: str) -> None:
    zine = quote_zine(fmt, font, script)
    pages = zine_context(zine, zine_geometry(zine), {})["pages"]
    own_gap = {"booklet-a5": 30.0}.get(fmt, 12.0)  # zine.css: .booklet / .mini .quote blockquote margin-top
    spaces = [page["quote_space"] for page in pages if page["layout"] == "quote"]
    assert min(spaces) >= own_gap and spaces[0] > own_gap  # never above the layout's place; a short one lower
    assert spaces[-1] < spaces[0]  # the longer the quote, the less it moves
    lowered = {number for number, page in enumerate(pages, start=1) if page["quote_space"] > own_gap}
    assert [problem for problem in overflows(zine) if problem[0] in lowered] == []
