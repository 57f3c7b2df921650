"""Pounds and pence: exact Decimal arithmetic and the £17,500.00 format."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation


def to_decimal(value: str | int | float | Decimal | None) -> Decimal:
    """Money from stored JSON ("17500.00") as an exact Decimal; None counts as zero."""
    return Decimal(str(value)) if value is not None else Decimal("0")


def parse_money(value: str | int | float) -> Decimal:
    """Money as people type it ("17500", "17,500.00", "£17,500.00") as an exact, finite Decimal.

    ValueError for anything else; the schema and the web page's running total both read money through this.
    """
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError("not an amount")
    text = value.strip().replace(",", "").removeprefix("£").strip() if isinstance(value, str) else str(value)
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValueError("not an amount") from None
    if not amount.is_finite():  # "NaN" and "Infinity" parse as Decimals but are not money
        raise ValueError("not an amount")
    return amount


def format_gbp(amount: Decimal) -> str:
    """£17,500.00; a minus sign before the pound sign for negatives."""
    sign = "-" if amount < 0 else ""
    return f"{sign}£{abs(amount):,.2f}"
