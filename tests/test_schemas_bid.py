"""schemas/bid.py: what a valid bid is, and the exact message for each kind of malformed one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from marshmallow import ValidationError

from labdocs.schemas.bid import load_bid
from labdocs.schemas.errors import describe, flatten_messages


def errors_for(bid: dict[str, Any]) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        load_bid(bid)
    return flatten_messages(caught.value.messages)


def set_path(data: Any, path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for part in parents:
        data = data[int(part)] if isinstance(data, list) else data[part]
    if isinstance(data, list):
        data[int(last)] = value
    else:
        data[last] = value


def remove(path: str) -> Callable[[dict[str, Any]], None]:
    def change(bid: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = bid
        for part in parents:
            target = target[part]
        del target[last]
    return change


SURROGATE = "Contains {}, which is not a character (half of a UTF-16 pair): type or paste this text again."

BAD_VALUES = [
    # (path, value, field path in the error, exact message)
    ("budget.2.amount", -5, "budget.2.amount", "Must not be negative."),
    ("budget.2.amount", "five thousand", "budget.2.amount", "Enter an amount in pounds and pence, like 17500.00."),
    ("budget.2.amount", "12.345", "budget.2.amount", "Use at most two decimal places (whole pence)."),
    ("budget.2.amount", True, "budget.2.amount", "Enter an amount in pounds and pence, like 17500.00."),
    ("budget.2.amount", "NaN", "budget.2.amount", "Enter an amount in pounds and pence, like 17500.00."),
    ("budget.0.quantity", 0, "budget.0.quantity", "Must be 1 or more."),
    ("budget.0.quantity", 1.5, "budget.0.quantity", "Enter a whole number, like 6."),
    ("budget.0.quantity", "6", "budget.0.quantity", "Enter a whole number, like 6."),
    ("funding_requested", -1, "funding_requested", "Must not be negative."),
    ("funding_requested", "£17,500.5x", "funding_requested", "Enter an amount in pounds and pence, like 17500.00."),
    ("funding_requested", 1e12, "funding_requested", "Must be less than £1,000,000,000."),
    ("contact.email", "helen at rochdale", "contact.email", "Not a valid email address."),
    ("contact.phone", "call me", "contact.phone", "Enter a telephone number, like 01632 960000 or +44 1632 960000."),
    ("contact.phone", "0161 123", "contact.phone", "Enter a telephone number, like 01632 960000 or +44 1632 960000."),
    ("contact", "Sam", "contact", "Must be an object with named fields."),
    ("title", "   ", "title", "Must not be empty."),
    ("title", 42, "title", "Must be text."),
    ("title", "x" * 301, "title", "Must be at most 300 characters (this is 301)."),
    ("partners.0.kind", "charity", "partners.0.kind", "Must be one of: council, affiliate, other."),
    ("workstreams", "Trauma informed engagement", "workstreams", "Must be a list."),
    ("workstreams.1", "", "workstreams.1", "Must not be empty."),
    ("outcomes.outputs.0.target", "thirty", "outcomes.outputs.0.target", "Enter a number, like 30."),
    ("outcomes.outputs.0.target", -30, "outcomes.outputs.0.target", "Must not be negative."),
    ("co_operative_difference_agreed", "yes", "co_operative_difference_agreed", "Must be true or false."),
    ("co_operative_difference_agreed", 1, "co_operative_difference_agreed", "Must be true or false."),
    # Lone surrogates: json.loads lets "\ud800" through; no database, page or document can encode it.
    ("title", "Lab \ud800", "title", SURROGATE.format("U+D800")),
    ("summary", "\udfff at the end", "summary", SURROGATE.format("U+DFFF")),
    ("partners.1.name", "Hackney\udc00", "partners.1.name", SURROGATE.format("U+DC00")),
    ("workstreams.0", "\ud83d", "workstreams.0", SURROGATE.format("U+D83D")),  # half an emoji
    ("outcomes.outputs.0.unit", "people\ud800", "outcomes.outputs.0.unit", SURROGATE.format("U+D800")),
    ("aims.innovation", "\ud800", "aims.innovation", SURROGATE.format("U+D800")),
    ("budget.0.match_funding.source", "\ud800", "budget.0.match_funding.source", SURROGATE.format("U+D800")),
    ("contact.phone", "01632 \ud800960000", "contact.phone", SURROGATE.format("U+D800")),
    ("contact.email", "sam@example\ud800.org", "contact.email", SURROGATE.format("U+D800")),
    ("contact.email", "sam\u202e@example.org", "contact.email",
     "Contains an invisible or control character (U+202E); type the address again."),
    ("contact.email", "sam@exa\u200bmple.org", "contact.email",
     "Contains an invisible or control character (U+200B); type the address again."),
    # Numbers without bounds: float() of a 400-digit int overflowed (a 500); 1e308 was printed in the DOCX.
    ("outcomes.outputs.0.target", 10**400, "outcomes.outputs.0.target", "Must be at most 1,000,000,000."),
    ("outcomes.outputs.0.target", 1e308, "outcomes.outputs.0.target", "Must be at most 1,000,000,000."),
    ("outcomes.outputs.0.target", 1_000_000_001, "outcomes.outputs.0.target", "Must be at most 1,000,000,000."),
    ("budget.0.quantity", 10**400, "budget.0.quantity", "Must be at most 10,000."),
    ("budget.0.quantity", 10_001, "budget.0.quantity", "Must be at most 10,000."),
    # Money as text: commas only as thousands separators, ASCII digits, no exponent, underscore or "+".
    ("funding_requested", "12,50", "funding_requested", "Enter an amount in pounds and pence, like 17500.00."),
    ("funding_requested", "1,2500", "funding_requested", "Enter an amount in pounds and pence, like 17500.00."),
    ("funding_requested", "17,500,0", "funding_requested", "Enter an amount in pounds and pence, like 17500.00."),
    ("funding_requested", ",500", "funding_requested", "Enter an amount in pounds and pence, like 17500.00."),
    ("funding_requested", "1_000", "funding_requested", "Enter an amount in pounds and pence, like 17500.00."),
    ("funding_requested", "1e3", "funding_requested", "Enter an amount in pounds and pence, like 17500.00."),
    # These three were refused before too: kept so the new grammar cannot let them in.
    ("funding_requested", "Infinity", "funding_requested", "Enter an amount in pounds and pence, like 17500.00."),
    ("funding_requested", "-Infinity", "funding_requested", "Enter an amount in pounds and pence, like 17500.00."),
    ("funding_requested", "0x10", "funding_requested", "Enter an amount in pounds and pence, like 17500.00."),
    ("funding_requested", "+17500", "funding_requested", "Enter an amount in pounds and pence, like 17500.00."),
    ("funding_requested", "\u0661\u0662", "funding_requested", "Enter an amount in pounds and pence, like 17500.00."),
    ("funding_requested", "\uff11\uff12", "funding_requested", "Enter an amount in pounds and pence, like 17500.00."),
    ("funding_requested", "\u0967\u0968", "funding_requested", "Enter an amount in pounds and pence, like 17500.00."),
    ("funding_requested", "17500.", "funding_requested", "Enter an amount in pounds and pence, like 17500.00."),
    # Phone numbers: \d took Arabic-Indic and full-width digits, \s took a newline inside the number.
    ("contact.phone", "\u0660\u0661\u0666\u0663\u0662 \u0669\u0666\u0660\u0660\u0660\u0660", "contact.phone",
     "Enter a telephone number, like 01632 960000 or +44 1632 960000."),
    ("contact.phone", "\uff10\uff11\uff16\uff13\uff12 960000", "contact.phone",
     "Enter a telephone number, like 01632 960000 or +44 1632 960000."),
    ("contact.phone", "01632\n960000", "contact.phone",
     "Enter a telephone number, like 01632 960000 or +44 1632 960000."),
]


@pytest.mark.parametrize(("path", "value", "field", "message"), BAD_VALUES)
def test_bad_value_is_reported_at_its_field(bid: dict[str, Any], path: str, value: Any, field: str,
                                            message: str) -> None:
    set_path(bid, path, value)
    assert errors_for(bid) == {field: [message]}


@pytest.mark.parametrize("path", ["title", "contact.email", "funding_requested", "summary", "budget",
                                  "budget.0.amount", "partners.0.name", "co_operative_difference_agreed"])
def test_missing_required_field(bid: dict[str, Any], path: str) -> None:
    parent, _, last = path.rpartition(".")
    target: Any = bid
    for part in parent.split(".") if parent else []:
        target = target[int(part)] if isinstance(target, list) else target[part]
    del target[int(last) if isinstance(target, list) else last]
    assert errors_for(bid) == {path: ["This is required."]}


@pytest.mark.parametrize(("path", "field"), [
    ("", "colour"),
    ("contact", "mobile"),
    ("budget.1", "vat"),
    ("aims", "world_peace"),
])
def test_unknown_keys_are_refused(bid: dict[str, Any], path: str, field: str) -> None:
    target: Any = bid
    for part in path.split(".") if path else []:
        target = target[int(part)] if isinstance(target, list) else target[part]
    target[field] = "x"
    full = f"{path}.{field}" if path else field
    assert errors_for(bid) == {full: ["This is not a field of this form; check its spelling."]}


def test_several_problems_come_back_together(bid: dict[str, Any]) -> None:
    bid["budget"][2]["amount"] = -1
    bid["contact"]["email"] = "nope"
    del bid["title"]
    assert describe(errors_for(bid)) == [
        "title: This is required.",
        "contact.email: Not a valid email address.",
        "budget.2.amount: Must not be negative.",
    ]


def test_example_loads_and_money_is_exact(bid: dict[str, Any]) -> None:
    bid["funding_requested"] = "£17,500"
    bid["budget"][0]["amount"] = 5000
    bid["budget"][3]["amount"] = 6500.5
    loaded = load_bid(bid)
    assert loaded["funding_requested"] == "17500.00"
    assert loaded["budget"][0]["amount"] == "5000.00"
    assert loaded["budget"][3]["amount"] == "6500.50"
    assert loaded["budget"][1]["quantity"] == 6
    assert loaded["outcomes"]["outputs"][0]["target"] == 30


def test_defaults_fill_optional_sections(bid: dict[str, Any]) -> None:
    for key in ("partners", "idea", "workstreams", "outcomes", "aims", "walking_the_talk"):
        del bid[key]
    del bid["budget"][0]["quantity"]
    loaded = load_bid(bid)
    assert loaded["partners"] == [] and loaded["idea"] == "" and loaded["workstreams"] == []
    assert loaded["outcomes"] == {"inputs": [], "outputs": [], "outcomes": []}
    assert set(loaded["aims"].values()) == {""}
    assert loaded["budget"][0]["quantity"] == 1


@pytest.mark.parametrize(("typed", "stored"), [
    ("17500", "17500.00"), ("17500.00", "17500.00"), ("£17,500.00", "17500.00"), ("£17,500", "17500.00"),
    ("1,250.00", "1250.00"), (" £ 1,234,567.5 ", "1234567.50"), ("999", "999.00"), ("0.5", "0.50"),
    (17500, "17500.00"), (6500.5, "6500.50"), ("-0", "0.00"), ("-0.00", "0.00"), (-0.0, "0.00"), ("-£0", "0.00"),
])
def test_money_in_the_forms_people_type(bid: dict[str, Any], typed: Any, stored: str) -> None:
    bid["funding_requested"] = typed
    assert load_bid(bid)["funding_requested"] == stored


def test_text_is_cleaned_of_control_characters(bid: dict[str, Any]) -> None:
    # docxtpl would turn \a into a new paragraph and \f into a page break; XML forbids \x00.
    bid["summary"] = "  One\r\ntwo\a three\x00\f four\x0b\t five  "
    assert load_bid(bid)["summary"] == "One\ntwo three four\t five"
