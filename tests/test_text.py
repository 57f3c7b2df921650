"""service/text.py and service/money.py: how user text and money appear in documents."""

from __future__ import annotations

from decimal import Decimal

import pytest

from labdocs.domain.money import format_gbp
from labdocs.domain.text import count_words, figure, to_blocks


def test_lines_become_paragraphs_and_dashes_become_bullets() -> None:
    text = "First paragraph.\n\nThese include:\n- one\n* two\n• three\nLast & <final>."
    assert to_blocks(text) == [
        {"bullet": False, "text": "First paragraph."},
        {"bullet": False, "text": "These include:"},
        {"bullet": True, "text": "one"},
        {"bullet": True, "text": "two"},
        {"bullet": True, "text": "three"},
        {"bullet": False, "text": "Last & <final>."},
    ]


def test_hyphenated_words_and_numbers_are_not_bullets() -> None:
    assert to_blocks("-5 degrees\nco-operative\n1. First") == [
        {"bullet": False, "text": "-5 degrees"},
        {"bullet": False, "text": "co-operative"},
        {"bullet": False, "text": "1. First"},
    ]


def test_words_are_counted_as_word_counts_them() -> None:
    assert count_words("Helping us to co-operate!\n\n  Yes  ") == 5


@pytest.mark.parametrize(("amount", "text"), [
    ("17500", "£17,500.00"), ("0.5", "£0.50"), ("1234567.89", "£1,234,567.89"), ("-5000", "-£5,000.00"),
])
def test_pounds_are_formatted(amount: str, text: str) -> None:
    assert format_gbp(Decimal(amount)) == text


@pytest.mark.parametrize(("value", "text"), [(30, "30"), (2.5, "2.5"), (1200, "1,200"), (1_500_000, "1,500,000"),
                                             (1_500_000.0, "1,500,000"), (12345.75, "12,345.75"), (0.1, "0.1")])
def test_figures_read_as_people_write_them(value: float, text: str) -> None:
    assert figure(value) == text
