"""Fields shared by the bid, report and zine schemas: plain text, money, phone numbers, figures, images."""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import Decimal
from functools import cache
from typing import Any

from marshmallow import ValidationError, fields, validate

from labdocs.domain.money import parse_money
from labdocs.render import ASSETS

# Control characters are stripped: docxtpl turns \a and \f into paragraph and page breaks,
# and most of them are not allowed in XML at all. Tabs and newlines are kept.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
# Half of a UTF-16 pair on its own ("\ud800" in JSON): json.loads lets it through, but it is not a character,
# and no database, page or document can encode it. Refused (not stripped), so nothing is silently lost.
SURROGATES = re.compile(r"[\ud800-\udfff]")
NOT_TEXT = "Contains {code}, which is not a character (half of a UTF-16 pair): type or paste this text again."
# Characters nobody sees: controls, format characters (zero-width spaces and joiners, right-to-left overrides and
# other bidi controls, soft hyphens), surrogates, private-use and unassigned code points, line separators.
HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
PHONE_CHARS = re.compile(r"\+?[0-9 ()\-.]+")  # ASCII digits only: \d would take Arabic-Indic and full-width ones
PENNY = Decimal("0.01")
MAX_MONEY = Decimal("1000000000")
# The largest count or measure (people, sessions, copies, output targets): a billion is more than any lab counts
# of anything, is exact as a float, and prints in a table cell.
MAX_FIGURE = 1_000_000_000
# The largest number a report may use to name a promised output or budget line: well past any bid list's cap.
MAX_REFERENCE = 1000
# An uploaded image's id, or a bundled picture. fullmatch, never `$`, which matches before a trailing newline.
IMAGE_REF = re.compile(r"[0-9a-f]{32}|asset:[a-z0-9][a-z0-9_.-]{0,80}")
# Bundled pictures are the raster images every renderer can place; cover-pattern.svg is the report's decoration.
PICTURE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")


def code_point(char: str) -> str:
    """A character as people can quote it in an error message: U+200B."""
    return f"U+{ord(char):04X}"


def not_text_problem(value: str) -> str | None:
    """Why a string cannot be stored as text (it holds a lone surrogate), or None when it can."""
    found = SURROGATES.search(value)
    return NOT_TEXT.format(code=code_point(found[0])) if found else None


def refuse_non_text(value: str) -> str:
    """The string itself, or a ValidationError if no database, page or document could encode it."""
    problem = not_text_problem(value)
    if problem:
        raise ValidationError(problem)
    return value


def hidden_character(value: str) -> str | None:
    """The first character in `value` that nobody sees (control, invisible, bidi, unassigned), as U+XXXX, or None."""
    return next((code_point(char) for char in value if unicodedata.category(char) in HIDDEN_CATEGORIES), None)


def clean_text(value: str) -> str:
    """Normalise line endings, drop control characters, trim the ends."""
    return CONTROL_CHARS.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip()


class Text(fields.String):
    """A string as people type it: lone surrogates refused, control characters removed, ends trimmed, length capped."""

    def __init__(self, *, max_length: int = 20000, blank: bool = True, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.max_length = max_length
        self.blank = blank

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = clean_text(refuse_non_text(super()._deserialize(value, attr, data, **kwargs)))
        if not text and not self.blank:
            raise ValidationError("Must not be empty.")
        if len(text) > self.max_length:
            raise ValidationError(f"Must be at most {self.max_length:,} characters (this is {len(text):,}).")
        return text


class EmailAddress(fields.Email):
    """An email address printed in a document: no lone surrogates, and no invisible or bidi characters to spoof it."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = refuse_non_text(super()._deserialize(value, attr, data, **kwargs))
        hidden = hidden_character(text)
        if hidden:
            raise ValidationError(f"Contains an invisible or control character ({hidden}); type the address again.")
        return text


class Money(fields.Field[Decimal]):
    """Pounds and pence: a JSON number or a string like "17500.00" or "£17,500.00", under £1,000,000,000.

    Commas only as thousands separators ("12,50" is refused, not read as 1250); ASCII digits only; -0 is 0.
    """

    default_error_messages = {  # noqa: RUF012  (marshmallow's own convention)
        "invalid": "Enter an amount in pounds and pence, like 17500.00.",
        "negative": "Must not be negative.",
        "pence": "Use at most two decimal places (whole pence).",
        "too_large": "Must be less than £1,000,000,000.",
    }

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Decimal:
        amount = self._to_decimal(value)
        if amount < 0:
            raise self.make_error("negative")
        if amount >= MAX_MONEY:
            raise self.make_error("too_large")
        if amount != amount.quantize(PENNY):
            raise self.make_error("pence")
        return amount.quantize(PENNY)

    def _to_decimal(self, value: Any) -> Decimal:
        try:
            return parse_money(value)
        except ValueError:
            raise self.make_error("invalid") from None

    def _serialize(self, value: Decimal | None, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else f"{value:.2f}"


class Phone(Text):
    """A telephone number: ASCII digits with optional +, spaces, brackets, dots and dashes; 10 to 15 digits."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=30, blank=False, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        digits = re.sub(r"[^0-9]", "", text)
        if not PHONE_CHARS.fullmatch(text) or not 10 <= len(digits) <= 15:
            raise ValidationError("Enter a telephone number, like 01632 960000 or +44 1632 960000.")
        return text


class Figure(fields.Field[int | float]):
    """A count or measure that is not money (people, sessions, copies): a JSON number from 0 to MAX_FIGURE."""

    default_error_messages = {  # noqa: RUF012
        "invalid": "Enter a number, like 30.",
        "negative": "Must not be negative.",
        "too_large": f"Must be at most {MAX_FIGURE:,}.",
    }

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int | float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.make_error("invalid")
        if isinstance(value, float) and not math.isfinite(value):  # NaN and ±Infinity
            raise self.make_error("invalid")
        if value < 0:
            raise self.make_error("negative")
        if value > MAX_FIGURE:  # compared before float(), which overflows on a 400-digit int
            raise self.make_error("too_large")
        return int(value) if float(value).is_integer() else float(value)


def whole_number(*, minimum: int = 0, maximum: int = MAX_FIGURE, **kwargs: Any) -> fields.Integer:
    """A whole number (a JSON integer, not 6.0 or "6") within bounds, each bound with its own plain message."""
    low = "Must not be negative." if minimum == 0 else f"Must be {minimum:,} or more."
    return fields.Integer(strict=True, validate=[validate.Range(min=minimum, error=low),
                                                 validate.Range(max=maximum, error=f"Must be at most {maximum:,}.")],
                          **kwargs)


class Flag(fields.Boolean):
    """JSON true or false only: not 1, "yes" or "on" (1 == True in Python, so sets cannot tell)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


@cache
def bundled_images() -> tuple[str, ...]:
    """The pictures shipped in the package (asset:NAME), read once, so a wrong name is refused when data loads."""
    folder = ASSETS / "images"
    return tuple(sorted(path.name for path in folder.iterdir()
                        if path.is_file() and path.suffix.lower() in PICTURE_SUFFIXES))


class ImageRef(fields.String):
    """An uploaded image's id (32 hex digits), or asset:NAME naming one of the bundled pictures."""

    default_error_messages = {  # noqa: RUF012
        "reference": "Give an uploaded image's id, or a bundled image as asset:NAME.",
        "no_asset": "There is no bundled image called {name}; the bundled images are {names}.",
    }

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if not IMAGE_REF.fullmatch(text):
            raise self.make_error("reference")
        name = text.removeprefix("asset:")
        if text.startswith("asset:") and name not in bundled_images():
            raise self.make_error("no_asset", name=repr(name), names=", ".join(bundled_images()))
        return text
