"""A zine: a short printed booklet or one-sheet mini-zine, page by page."""

from __future__ import annotations

import re
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from labdocs.schemas.bid import short
from labdocs.schemas.fields import Flag, ImageRef, Text

FORMATS = ("booklet-a5", "minizine-a4", "minizine-letter")
LAYOUTS = ("cover", "text", "image-full", "quote", "back")
# The one list of which page fields each layout prints: the editor shows only these for a page.
LAYOUT_FIELDS: dict[str, tuple[str, ...]] = {
    "cover": ("heading", "body", "image", "alt", "decorative", "background"),
    "text": ("heading", "body", "image", "alt", "decorative", "background"),
    "image-full": ("heading", "image", "alt", "decorative"),
    "quote": ("heading", "quote", "quote_by", "background"),
    "back": ("heading", "body", "image", "alt", "decorative", "background"),
}
# The fields a layout cannot print without (PageSchema.check_layout says so); a picture always needs its alt text.
REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {"image-full": ("image", "alt"), "quote": ("quote",)}
LAYOUT_NAMES = {"cover": "Cover", "text": "Text", "image-full": "Full-page picture", "quote": "Quote",
                "back": "Back cover"}
FONTS = ("lato", "inter", "roboto-slab")
MAX_PAGES = 40
# \A and \Z, never ^ and $: `$` matches before a trailing newline, so "#FFFFFF\n" would pass.
HEX = re.compile(r"\A#[0-9A-Fa-f]{6}\Z")
# A BCP 47 language tag in the common form: a language, then optional script, region or variant subtags.
LANGUAGE = re.compile(r"\A[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8}){0,3}\Z")


def colour(default: str | None) -> fields.String:
    """A colour as #RRGGBB, exactly: nothing before or after it."""
    return fields.String(load_default=default, allow_none=default is None, validate=validate.Regexp(
        HEX, error="Give a colour as #RRGGBB, like #0B4F6C."))


def one_of(choices: tuple[str, ...], default: str) -> fields.String:
    return fields.String(load_default=default, validate=validate.OneOf(
        choices, error=f"Must be one of: {', '.join(choices)}."))


class PrintSchema(Schema):
    mode = one_of(("print-shop", "home"), "print-shop")
    crop_marks = Flag(load_default=False)
    black_as_k = Flag(load_default=True)  # near-black ink prints as 100% K alone in print.pdf

    @validates_schema
    def check_marks(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("mode") == "home" and data.get("crop_marks"):
            raise ValidationError("Crop marks are for print shops; a home printer's sheet is the page.",
                                  "crop_marks")


class ThemeSchema(Schema):
    paper = colour("#FFFDF7")
    ink = colour("#1A1A1A")
    accent = colour("#0B4F6C")
    heading = colour(None)  # None: the accent where it reads well enough, else the ink or paper that does
    font = one_of(FONTS, "lato")


class PageSchema(Schema):
    layout = fields.String(required=True, validate=validate.OneOf(
        LAYOUTS, error=f"Must be one of: {', '.join(LAYOUTS)}."))
    heading = Text(max_length=200, load_default="")
    body = Text(max_length=3000, load_default="")
    quote = Text(max_length=600, load_default="")
    quote_by = short(load_default="")
    image = ImageRef(load_default=None, allow_none=True)
    alt = Text(max_length=500, load_default="")
    decorative = Flag(load_default=False)  # a picture that says nothing: screen readers skip it, it needs no alt
    background = colour(None)

    @validates_schema
    def check_layout(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("image") and not data.get("alt") and not data.get("decorative"):
            raise ValidationError("Describe the image for people who cannot see it (alt text), or mark it as "
                                  "decorative if it says nothing the page's words do not.", "alt")
        if data.get("layout") == "image-full" and not data.get("image"):
            raise ValidationError("A full-page image page needs an image.", "image")
        if data.get("layout") == "quote" and not data.get("quote"):
            raise ValidationError("A quote page needs a quote.", "quote")


class ZineSchema(Schema):
    title = short(required=True, blank=False)
    subtitle = short(load_default="")
    format = one_of(FORMATS, "booklet-a5")
    language = fields.String(load_default="en-GB", validate=validate.Regexp(
        LANGUAGE, error="Give the zine's language as a language tag, like en-GB, cy (Welsh) or gd (Gaelic)."))
    print = fields.Nested(PrintSchema, load_default=lambda: PrintSchema().load({}))
    theme = fields.Nested(ThemeSchema, load_default=lambda: ThemeSchema().load({}))
    pages = fields.List(fields.Nested(PageSchema), required=True,
                        validate=validate.Length(min=1, max=MAX_PAGES, error=f"Give 1 to {MAX_PAGES} pages."))

    @validates_schema
    def check_page_count(self, data: dict[str, Any], **_: Any) -> None:
        pages = data.get("pages") or []
        if data.get("format", "").startswith("minizine") and len(pages) != 8:
            raise ValidationError(f"A mini-zine has exactly 8 pages; this has {len(pages)}.", "pages")


def load_zine(data: Any) -> dict[str, Any]:
    """Validate a zine and return it as JSON-safe data; raises ValidationError."""
    schema = ZineSchema()
    return schema.dump(schema.load(data))
