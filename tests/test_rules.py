"""service/rules.py: each funder rule, worded so a lab lead knows what to do."""

from __future__ import annotations

from typing import Any

import pytest

from labdocs.domain.rules import check_bid, checklist
from labdocs.schemas.bid import load_bid


def findings(bid: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(c.code, c.field, c.severity) for c in check_bid(load_bid(bid))]


def balanced(bid: dict[str, Any]) -> dict[str, Any]:
    """The example with its budget reconciled and every output given a target: no findings."""
    bid["budget"][1]["quantity"] = 1
    for output in bid["outcomes"]["outputs"]:
        output["target"] = output["target"] or 1
    return bid


def test_the_example_is_told_the_truth_about_its_budget(bid: dict[str, Any]) -> None:
    checks = check_bid(load_bid(bid))
    budget = [c for c in checks if c.code == "budget_mismatch"]
    assert [c.message for c in budget] == [
        "The budget lines add up to £22,500.00 but the funding requested is £17,500.00: £5,000.00 more than "
        "requested. Make the lines (amount × quantity) add up to the amount you ask for."
    ]
    assert [c.field for c in checks if c.code == "output_without_target"] == [
        f"outcomes.outputs.{i}.target" for i in range(1, 5)
    ]


def test_a_complete_bid_passes(bid: dict[str, Any]) -> None:
    assert findings(balanced(bid)) == []


def test_summary_over_150_words_says_how_many(bid: dict[str, Any]) -> None:
    bid = balanced(bid)
    bid["summary"] = " ".join(["co-operative"] * 162)
    [check] = check_bid(load_bid(bid))
    assert (check.code, check.field, check.severity) == ("summary_too_long", "summary", "error")
    assert check.message == "The summary is 162 words; the form allows 150. Cut 12 words."


def test_summary_of_exactly_150_words_passes(bid: dict[str, Any]) -> None:
    bid = balanced(bid)
    bid["summary"] = " ".join(["word"] * 150)
    assert findings(bid) == []


def test_budget_short_of_request_says_less(bid: dict[str, Any]) -> None:
    bid = balanced(bid)
    bid["funding_requested"] = "18000.01"
    [check] = check_bid(load_bid(bid))
    assert check.message.startswith(
        "The budget lines add up to £17,500.00 but the funding requested is £18,000.01: £500.01 less than")


def test_empty_budget_is_a_mismatch(bid: dict[str, Any]) -> None:
    bid = balanced(bid)
    bid["budget"] = []
    assert findings(bid) == [("budget_mismatch", "budget", "error")]


@pytest.mark.parametrize("aim", ["social_partnerships", "co_production", "learning"])
def test_empty_aim_is_named(bid: dict[str, Any], aim: str) -> None:
    bid = balanced(bid)
    bid["aims"][aim] = "   \n  "
    assert findings(bid) == [("aim_empty", f"aims.{aim}", "error")]


def test_missing_aim_counts_as_empty(bid: dict[str, Any]) -> None:
    bid = balanced(bid)
    del bid["aims"]["innovation"]
    [check] = check_bid(load_bid(bid))
    assert check.message == "Say what the lab will do for the network aim “Innovation”."


@pytest.mark.parametrize("answer", ["idea", "walking_the_talk", "values_and_principles", "sharing_learning"])
def test_unanswered_question(bid: dict[str, Any], answer: str) -> None:
    bid = balanced(bid)
    bid[answer] = ""
    assert findings(bid) == [("answer_empty", answer, "error")]


def test_declaration_not_agreed(bid: dict[str, Any]) -> None:
    bid = balanced(bid)
    bid["co_operative_difference_agreed"] = False
    assert findings(bid) == [("declaration_not_agreed", "co_operative_difference_agreed", "error")]


def test_output_without_target_is_a_warning(bid: dict[str, Any]) -> None:
    bid = balanced(bid)
    bid["outcomes"]["outputs"][0]["target"] = None
    [check] = check_bid(load_bid(bid))
    assert (check.field, check.severity) == ("outcomes.outputs.0.target", "warning")
    assert check.message == ("Output 1 (“A minimum of 30 people from CCIN partners…”) has no "
                             "measurable target: add a number, such as 30 people or 4 toolkits.")


def test_no_outputs_at_all(bid: dict[str, Any]) -> None:
    bid = balanced(bid)
    bid["outcomes"]["outputs"] = []
    assert findings(bid) == [("outputs_missing", "outcomes.outputs", "error")]


def test_checklist_groups_findings_by_rule(bid: dict[str, Any]) -> None:
    rows = checklist(check_bid(load_bid(bid)))
    assert [(row["title"], row["severity"], len(row["findings"])) for row in rows] == [
        ("Summary is 150 words or fewer", None, 0),
        ("Budget lines add up to the funding requested", "error", 1),
        ("Every question is answered", None, 0),
        ("Every output has a measurable target", "warning", 4),
        ("Every network aim says what the lab will do", None, 0),
        ("The Co-operative Difference declaration is agreed", None, 0),
    ]
