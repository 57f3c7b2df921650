"""schemas/report.py: the report's data contract and its exact messages."""

from __future__ import annotations

from typing import Any

import pytest
from marshmallow import ValidationError

from labdocs.schemas.errors import flatten_messages
from labdocs.schemas.report import load_report

from .test_schemas_bid import set_path


def errors_for(report: dict[str, Any]) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        load_report(report)
    return flatten_messages(caught.value.messages)


SURROGATE = "Contains {}, which is not a character (half of a UTF-16 pair): type or paste this text again."
NO_ASSET = ("There is no bundled image called '{}'; the bundled images are garden.jpg, round-table.png, "
            "street.jpg, workshop.jpg.")

BAD_VALUES = [
    ("period.start", "1 April 2024", "period.start", "Enter a date as YYYY-MM-DD, like 2024-04-01."),
    ("period.end", "2024-03-31", "period.end", "The end must be on or after the start."),
    ("outputs_achieved.0.output", 0, "outputs_achieved.0.output",
     "Give the number (1, 2, …) or the exact description from the bid."),
    ("outputs_achieved.0.output", "", "outputs_achieved.0.output",
     "Give the number (1, 2, …) or the exact description from the bid."),
    ("outputs_achieved.0.achieved", "47", "outputs_achieved.0.achieved", "Enter a number, like 30."),
    ("outputs_achieved.0.achieved", -1, "outputs_achieved.0.achieved", "Must not be negative."),
    ("spend.1.spent", "two grand", "spend.1.spent", "Enter an amount in pounds and pence, like 17500.00."),
    ("spend.1.spent", -10, "spend.1.spent", "Must not be negative."),
    ("participants.total", -3, "participants.total", "Must not be negative."),
    ("participants.total", 4.5, "participants.total", "Enter a whole number, like 6."),
    ("participants.by_partner", {"Hackney Council": "eight"}, "participants.by_partner.Hackney Council.value",
     "Enter a whole number, like 6."),
    ("activities.0.date", "2024-13-01", "activities.0.date", "Enter a date as YYYY-MM-DD, like 2024-04-01."),
    ("activities.0.attendees", -2, "activities.0.attendees", "Must not be negative."),
    ("case_studies.0.alt", "", "case_studies.0.alt", "Describe the image for people who cannot see it (alt text)."),
    ("case_studies.0.image", "../../etc/passwd", "case_studies.0.image",
     "Give an uploaded image's id, or a bundled image as asset:NAME."),
    ("case_studies.0.image", "file:///etc/passwd", "case_studies.0.image",
     "Give an uploaded image's id, or a bundled image as asset:NAME."),
    ("case_studies.1.quote", "", "case_studies.1.quote", "There is a name for the quote but no quote."),
    ("co_operative_difference", "  ", "co_operative_difference", "Must not be empty."),
    # Lone surrogates, in every kind of text the report holds (the summary's one saved, then broke every page).
    ("results_summary", "We met \ud800", "results_summary", SURROGATE.format("U+D800")),
    ("activities.0.title", "\udbff", "activities.0.title", SURROGATE.format("U+DBFF")),
    ("case_studies.0.quote_by", "\ud800", "case_studies.0.quote_by", SURROGATE.format("U+D800")),
    ("outputs_achieved.0.evidence", "\ud800", "outputs_achieved.0.evidence", SURROGATE.format("U+D800")),
    ("outputs_achieved.0.output", "Training\ud800", "outputs_achieved.0.output", SURROGATE.format("U+D800")),
    ("contact.email", "policy@lab\ud800.org", "contact.email", SURROGATE.format("U+D800")),
    ("participants.by_partner", {"Hackney\ud800": 8}, "participants.by_partner.Hackney\\ud800.key",
     SURROGATE.format("U+D800")),
    # Numbers without bounds: a 400-digit total saved, then the report failed.
    ("participants.total", 10**400, "participants.total", "Must be at most 1,000,000,000."),
    ("participants.by_partner", {"Hackney Council": 10**12}, "participants.by_partner.Hackney Council.value",
     "Must be at most 1,000,000,000."),
    ("activities.0.attendees", 10**400, "activities.0.attendees", "Must be at most 1,000,000,000."),
    ("outputs_achieved.0.achieved", 10**400, "outputs_achieved.0.achieved", "Must be at most 1,000,000,000."),
    ("outputs_achieved.0.achieved", 1e308, "outputs_achieved.0.achieved", "Must be at most 1,000,000,000."),
    ("outputs_achieved.0.output", 10**400, "outputs_achieved.0.output",
     "Give the number (1, 2, …) or the exact description from the bid."),
    ("spend.0.budget_line", 1001, "spend.0.budget_line",
     "Give the number (1, 2, …) or the exact description from the bid."),
    ("spend.0.spent", "12,50", "spend.0.spent", "Enter an amount in pounds and pence, like 17500.00."),
    ("amount_awarded", "1e3", "amount_awarded", "Enter an amount in pounds and pence, like 17500.00."),
    # `$` matched before a trailing newline; a bundled image that does not exist was found only at render time.
    ("case_studies.0.image", "asset:round-table.png\n", "case_studies.0.image",
     "Give an uploaded image's id, or a bundled image as asset:NAME."),
    ("case_studies.0.image", "0" * 32 + "\n", "case_studies.0.image",
     "Give an uploaded image's id, or a bundled image as asset:NAME."),
    ("case_studies.0.image", "asset:no-such-picture.png", "case_studies.0.image",
     NO_ASSET.format("no-such-picture.png")),
    ("case_studies.0.image", "asset:cover-pattern.svg", "case_studies.0.image", NO_ASSET.format("cover-pattern.svg")),
]


@pytest.mark.parametrize(("path", "value", "field", "message"), BAD_VALUES)
def test_bad_value_is_reported_at_its_field(report: dict[str, Any], path: str, value: Any, field: str,
                                            message: str) -> None:
    set_path(report, path, value)
    assert errors_for(report) == {field: [message]}


@pytest.mark.parametrize("path", ["period", "co_operative_difference", "outputs_achieved.0.achieved",
                                  "spend.0.budget_line", "activities.0.title", "case_studies.0.story"])
def test_missing_required_field(report: dict[str, Any], path: str) -> None:
    *parents, last = path.split(".")
    target: Any = report
    for part in parents:
        target = target[int(part)] if isinstance(target, list) else target[part]
    del target[last]
    assert errors_for(report) == {path: ["This is required."]}


def test_example_loads_with_dates_and_money_normalised(report: dict[str, Any]) -> None:
    report["spend"][0]["spent"] = 5000
    loaded = load_report(report)
    assert loaded["period"] == {"start": "2024-04-01", "end": "2025-03-31"}
    assert loaded["spend"][0]["spent"] == "5000.00"
    assert loaded["outputs_achieved"][0]["output"] == 1


def test_references_by_description_are_tidied(report: dict[str, Any]) -> None:
    report["outputs_achieved"][1]["output"] = "  Evidence about   the challenges  "
    assert load_report(report)["outputs_achieved"][1]["output"] == "Evidence about the challenges"


def test_optional_sections_default(report: dict[str, Any]) -> None:
    minimal = {"period": report["period"], "co_operative_difference": "We shared power."}
    loaded = load_report(minimal)
    assert loaded["outputs_achieved"] == [] and loaded["case_studies"] == []
    assert loaded["participants"] == {"total": 0, "by_partner": {}}
    assert loaded["notice"] == "" and loaded["learning"] == ""
