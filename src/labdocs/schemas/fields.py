"""Fields shared by the bid, report and zine schemas: plain text, money, phone numbers, figures."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from marshmallow import ValidationError, fields

from labdocs.domain.money import parse_money

# Control characters are stripped: docxtpl turns \a and \f into paragraph and page breaks,
# and most of them are not allowed in XML at all. Tabs and newlines are kept.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
PHONE_CHARS = re.compile(r"^\+?[\d\s()\-.]+$")
PENNY = Decimal("0.01")
MAX_MONEY = Decimal("1000000000")


def clean_text(value: str) -> str:
    """Normalise line endings, drop control characters, trim the ends."""
    return CONTROL_CHARS.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip()


class Text(fields.String):
    """A string as people type it: control characters removed, ends trimmed, length capped."""

    def __init__(self, *, max_length: int = 20000, blank: bool = True, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.max_length = max_length
        self.blank = blank

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = clean_text(super()._deserialize(value, attr, data, **kwargs))
        if not text and not self.blank:
            raise ValidationError("Must not be empty.")
        if len(text) > self.max_length:
            raise ValidationError(f"Must be at most {self.max_length:,} characters (this is {len(text):,}).")
        return text


class Money(fields.Field[Decimal]):
    """Pounds and pence: a JSON number or a string like "17500.00" or "£17,500.00"."""

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
    """A telephone number: digits with optional +, spaces, brackets and dashes; 10 to 15 digits."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=30, blank=False, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        digits = re.sub(r"\D", "", text)
        if not PHONE_CHARS.match(text) or not 10 <= len(digits) <= 15:
            raise ValidationError("Enter a telephone number, like 01632 960000 or +44 1632 960000.")
        return text


class Figure(fields.Field[int | float]):
    """A count or measure that is not money (people, sessions, copies): a JSON number, not negative."""

    default_error_messages = {  # noqa: RUF012
        "invalid": "Enter a number, like 30.",
        "negative": "Must not be negative.",
    }

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int | float:
        if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
            raise self.make_error("invalid")
        if value in (float("inf"), float("-inf")):
            raise self.make_error("invalid")
        if value < 0:
            raise self.make_error("negative")
        return int(value) if float(value).is_integer() else float(value)


class Flag(fields.Boolean):
    """JSON true or false only: not 1, "yes" or "on" (1 == True in Python, so sets cannot tell)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value
