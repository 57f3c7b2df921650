"""service/crosscheck.py: a report read against its bid, finding by finding."""

from __future__ import annotations

from typing import Any

import pytest

from labdocs.domain.crosscheck import check_report
from labdocs.schemas.bid import load_bid
from labdocs.schemas.report import load_report


def findings(bid: dict[str, Any], report: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    return [(c.code, c.field, c.severity, c.message) for c in check_report(load_bid(bid), load_report(report))]


def test_the_example_report_is_clean(bid: dict[str, Any], report: dict[str, Any]) -> None:
    assert findings(bid, report) == []


def test_result_for_an_output_the_bid_never_promised(bid: dict[str, Any], report: dict[str, Any]) -> None:
    report["outputs_achieved"].append({"output": "A podcast series", "achieved": 6})
    report["outputs_achieved"].append({"output": 9, "achieved": 1})
    assert findings(bid, report) == [
        ("output_unknown", "outputs_achieved.5.output", "error",
         "Result 6 names “A podcast series”, which is not one of the bid's 5 outputs. Use its number (1 to 5) "
         "or its exact description."),
        ("output_unknown", "outputs_achieved.6.output", "error",
         "Result 7 names number 9, which is not one of the bid's 5 outputs. Use its number (1 to 5) or its "
         "exact description."),
    ]


def test_output_named_by_its_description_counts(bid: dict[str, Any], report: dict[str, Any]) -> None:
    report["outputs_achieved"][0]["output"] = ("a minimum of 30 people from CCIN partners accessing training "
                                               "and / or communities of practice.")
    assert findings(bid, report) == []


def test_promised_output_with_no_result(bid: dict[str, Any], report: dict[str, Any]) -> None:
    del report["outputs_achieved"][3]
    assert findings(bid, report) == [
        ("output_unreported", "outputs_achieved", "error",
         "Output 4 (“Evidence about the Co-operative impact and subsequent systems…”) was promised but has no "
         "result. Say what was achieved, even if it was nothing."),
    ]


def test_output_reported_twice(bid: dict[str, Any], report: dict[str, Any]) -> None:
    report["outputs_achieved"].append({"output": 1, "achieved": 50})
    [(code, field, severity, _)] = findings(bid, report)
    assert (code, field, severity) == ("output_reported_twice", "outputs_achieved.5.output", "warning")


def test_spend_on_a_budget_line_that_does_not_exist(bid: dict[str, Any], report: dict[str, Any]) -> None:
    report["spend"].append({"budget_line": "Catering", "spent": "120.00"})
    assert findings(bid, report) == [
        ("budget_line_unknown", "spend.4.budget_line", "error",
         "Spend entry 5 names “Catering”, which is not one of the bid's 4 budget lines. Use its number (1 to 4) "
         "or its exact description."),
    ]


def test_overspend_says_by_how_much(bid: dict[str, Any], report: dict[str, Any]) -> None:
    report["spend"][3]["spent"] = "6000.00"
    report["spend"].append({"budget_line": 4, "spent": "1200.50"})  # several entries for one line add up
    assert findings(bid, report) == [
        ("overspend", "spend", "warning",
         "Spending on budget line 4 (“Design, printing and distribution of materials such as…”) is £7,200.50, "
         "£700.50 over its budget of £6,500.00."),
        ("overspend_grant", "spend", "warning",
         "The lab spent £19,435.90 against the funding requested of £17,500.00: £1,935.90 over the grant. Say in "
         "the report how the difference was paid for."),
    ]


@pytest.mark.parametrize(("awarded", "named", "over"), [
    (None, "the funding requested of £18,234.56", "£790.94"),
    ("18000.00", "the grant awarded of £18,000.00", "£1,025.50"),
])
def test_spend_above_the_grant_gives_both_amounts(bid: dict[str, Any], report: dict[str, Any], awarded: str | None,
                                                  named: str, over: str) -> None:
    """Measured against the grant, not the lines: lines that add up to more than the grant hide an overspend."""
    bid["funding_requested"] = "18234.56"
    report["amount_awarded"] = awarded
    report["spend"] = [{"budget_line": 1, "spent": "6000.00"}, {"budget_line": 2, "spent": "2500.00"},
                       {"budget_line": 3, "spent": "5000.00"}, {"budget_line": 4, "spent": "5525.50"}]
    found = [f for f in findings(bid, report) if f[0] == "overspend_grant"]
    assert found == [("overspend_grant", "spend", "warning", f"The lab spent £19,025.50 against {named}: {over} "
                      "over the grant. Say in the report how the difference was paid for.")]


@pytest.mark.parametrize(("field", "empty", "code"), [
    ("results_summary", "", "results_summary_missing"),
    ("principles_met", [], "principles_missing"),
    ("contact", None, "contact_missing"),
])
def test_what_a_published_report_lacks_is_said(bid: dict[str, Any], report: dict[str, Any], field: str, empty: Any,
                                               code: str) -> None:
    report[field] = empty
    assert [f[0] for f in findings(bid, report)] == [code]


def test_participants_by_partner_must_add_up(bid: dict[str, Any], report: dict[str, Any]) -> None:
    report["participants"]["total"] = 51
    assert findings(bid, report) == [
        ("participants_mismatch", "participants.by_partner", "error",
         "Participants by partner add up to 47 but the total is 51 (4 not accounted for)."),
    ]
    report["participants"]["total"] = 40
    assert findings(bid, report)[0][3].endswith("(7 more than the total).")


def test_participants_without_breakdown_are_fine(bid: dict[str, Any], report: dict[str, Any]) -> None:
    report["participants"] = {"total": 12}
    assert findings(bid, report) == []
