"""Pounds and pence: exact Decimal arithmetic and the £17,500.00 format."""

from __future__ import annotations

from decimal import Decimal


def to_decimal(value: str | int | float | Decimal | None) -> Decimal:
    """Money from stored JSON ("17500.00") as an exact Decimal; None counts as zero."""
    return Decimal(str(value)) if value is not None else Decimal("0")


def format_gbp(amount: Decimal) -> str:
    """£17,500.00; a minus sign before the pound sign for negatives."""
    sign = "-" if amount < 0 else ""
    return f"{sign}£{abs(amount):,.2f}"
