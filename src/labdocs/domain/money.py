"""Pounds and pence: exact Decimal arithmetic and the £17,500.00 format."""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation

# Money as people type it: an optional minus, an optional pound sign, ASCII digits (commas only as thousands
# separators, every group of three) and an optional decimal point with digits after it. Nothing else: no "+",
# no "1_000" or "1e3" (which Decimal would take), no Arabic-Indic or full-width digits (which \d would take).
AMOUNT = re.compile(r"(?P<sign>-?)£? *(?P<pounds>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?P<pence>\.[0-9]+)?")


def to_decimal(value: str | int | float | Decimal | None) -> Decimal:
    """Money from stored JSON ("17500.00") as an exact Decimal; None counts as zero."""
    return Decimal(str(value)) if value is not None else Decimal("0")


def parse_money(value: str | int | float) -> Decimal:
    """Money as people type it ("17500", "17,500.00", "£17,500.00", "-£5") as an exact, finite Decimal.

    ValueError for anything else ("12,50", "1_000", "1e3", "NaN", "+5", "١٢"); minus zero comes back as zero.
    The schema and the web page's running total both read money through this.
    """
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError("not an amount")
    if isinstance(value, int):
        return Decimal(value)  # exact at any size, where str() of a huge int would raise
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("not an amount")
        return unsigned_zero(Decimal(repr(value)))
    return unsigned_zero(parse_amount_text(value))


def parse_amount_text(text: str) -> Decimal:
    """An amount typed as text, by the AMOUNT grammar only (ValueError otherwise)."""
    match = AMOUNT.fullmatch(text.strip())
    if match is None:
        raise ValueError("not an amount")
    try:
        return Decimal(match["sign"] + match["pounds"].replace(",", "") + (match["pence"] or ""))
    except InvalidOperation:  # the grammar admits only what Decimal reads; kept so a change cannot leak one
        raise ValueError("not an amount") from None


def unsigned_zero(amount: Decimal) -> Decimal:
    """-0 and -0.00 as 0 and 0.00: a minus sign on nothing is not a refund."""
    return amount.copy_abs() if amount.is_zero() else amount


def format_gbp(amount: Decimal) -> str:
    """£17,500.00; a minus sign before the pound sign for negatives."""
    sign = "-" if amount < 0 else ""
    return f"{sign}£{abs(amount):,.2f}"
