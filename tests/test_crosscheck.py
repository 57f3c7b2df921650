"""service/crosscheck.py: a report read against its bid, finding by finding."""

from __future__ import annotations

from typing import Any

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
    ]


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
