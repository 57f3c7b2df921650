"""schemas/zine.py: what a zine may say, and the exact message when it says it wrongly."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from marshmallow import ValidationError

from labdocs.config import EXAMPLES
from labdocs.schemas.errors import flatten_messages
from labdocs.schemas.zine import load_zine

from .test_schemas_bid import set_path

EXAMPLE = json.loads((EXAMPLES / "zine.json").read_text("utf-8"))


@pytest.fixture
def zine() -> dict[str, Any]:
    return copy.deepcopy(EXAMPLE)


def errors_for(zine: dict[str, Any]) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        load_zine(zine)
    return flatten_messages(caught.value.messages)


@pytest.mark.parametrize(("path", "value", "field", "message"), [
    ("format", "a3-poster", "format", "Must be one of: booklet-a5, minizine-a4, minizine-letter."),
    ("format", "minizine-a4", "pages", "A mini-zine has exactly 8 pages; this has 8."),
    ("print.mode", "risograph", "print.mode", "Must be one of: print-shop, home."),
    ("print.mode", "home", "print.crop_marks", "Crop marks are for print shops; a home printer's sheet is the page."),
    ("theme.accent", "teal", "theme.accent", "Give a colour as #RRGGBB, like #0B4F6C."),
    ("theme.paper", "#FFF", "theme.paper", "Give a colour as #RRGGBB, like #0B4F6C."),
    ("theme.font", "Comic Sans", "theme.font", "Must be one of: lato, inter, roboto-slab."),
    ("pages.2.layout", "centrefold", "pages.2.layout", "Must be one of: cover, text, image-full, quote, back."),
    ("pages.2.image", None, "pages.2.image", "A full-page image page needs an image."),
    ("pages.2.alt", "", "pages.2.alt", "Describe the image for people who cannot see it (alt text), or mark it as "
     "decorative if it says nothing the page's words do not."),
    ("pages.2.image", "https://example.org/photo.jpg", "pages.2.image",
     "Give an uploaded image's id, or a bundled image as asset:NAME."),
    ("pages.4.quote", "", "pages.4.quote", "A quote page needs a quote."),
    ("pages", [], "pages", "Give 1 to 40 pages."),
    *[("language", tag, "language", "Give the zine's language as a language tag, like en-GB, cy (Welsh) or gd "
       "(Gaelic).") for tag in ("", "English", "en_GB", "e", "en-GB\n", "en-", "<script>", "en-GB-x-y-z-w")],
    # `$` matches before a trailing newline: each pattern must match the whole value.
    ("theme.paper", "#FFFFFF\n", "theme.paper", "Give a colour as #RRGGBB, like #0B4F6C."),
    ("pages.1.background", "#0B4F6C\n", "pages.1.background", "Give a colour as #RRGGBB, like #0B4F6C."),
    ("pages.2.image", "asset:garden.jpg\n", "pages.2.image",
     "Give an uploaded image's id, or a bundled image as asset:NAME."),
    ("pages.2.image", "asset:garden-9.jpg", "pages.2.image",
     "There is no bundled image called 'garden-9.jpg'; the bundled images are garden.jpg, round-table.png, "
     "street.jpg, workshop.jpg."),
    ("title", "Zine \ud800", "title",
     "Contains U+D800, which is not a character (half of a UTF-16 pair): type or paste this text again."),
    ("pages.3.body", "\udc80", "pages.3.body",
     "Contains U+DC80, which is not a character (half of a UTF-16 pair): type or paste this text again."),
])
def test_bad_value_is_reported_at_its_field(zine: dict[str, Any], path: str, value: Any, field: str,
                                            message: str) -> None:
    set_path(zine, path, value)
    if field == "pages" and value == "minizine-a4":
        zine["pages"] = zine["pages"][:6]
        message = "A mini-zine has exactly 8 pages; this has 6."
    assert errors_for(zine) == {field: [message]}


def test_defaults(zine: dict[str, Any]) -> None:
    del zine["print"], zine["theme"], zine["format"]
    loaded = load_zine(zine)
    assert loaded["format"] == "booklet-a5" and loaded["language"] == "en-GB"
    assert loaded["print"] == {"mode": "print-shop", "crop_marks": False, "black_as_k": True}
    assert loaded["theme"] == {"paper": "#FFFDF7", "ink": "#1A1A1A", "accent": "#0B4F6C", "heading": None,
                               "font": "lato"}
    assert loaded["pages"][1]["image"] is None and loaded["pages"][1]["background"] is None
