"""The funder's rules for a bid, as plain-English checks a lab lead can act on."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from labdocs.domain.funder_form import AIMS, QUESTIONS, SUMMARY_WORD_LIMIT
from labdocs.domain.money import format_gbp, to_decimal
from labdocs.domain.text import count_words

ERROR = "error"  # the funder would send the bid back
WARNING = "warning"  # the bid is weaker for it


@dataclass(frozen=True)
class Check:
    """One finding: a stable code, the field it is about, what to do, and how serious it is."""

    code: str
    field: str
    message: str
    severity: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def check_bid(bid: Mapping[str, Any]) -> list[Check]:
    """Every funder-rule finding for a validated bid, in the form's order."""
    return [
        *check_summary(bid),
        *check_budget(bid),
        *check_answers(bid),
        *check_outputs(bid),
        *check_aims(bid),
        *check_declaration(bid),
    ]


def check_summary(bid: Mapping[str, Any]) -> Iterator[Check]:
    words = count_words(bid["summary"])
    if words > SUMMARY_WORD_LIMIT:
        yield Check(
            "summary_too_long",
            "summary",
            f"The summary is {words} words; the form allows {SUMMARY_WORD_LIMIT}. "
            f"Cut {words - SUMMARY_WORD_LIMIT} words.",
            ERROR,
        )


def line_budget(line: Mapping[str, Any]) -> Decimal:
    """One budget line's amount × quantity, exact to the penny."""
    return to_decimal(line["amount"]) * line["quantity"]


def budget_total(bid: Mapping[str, Any]) -> Decimal:
    """The sum of the budget lines."""
    return sum((line_budget(line) for line in bid["budget"]), to_decimal(0))


def check_budget(bid: Mapping[str, Any]) -> Iterator[Check]:
    total, requested = budget_total(bid), to_decimal(bid["funding_requested"])
    if total != requested:
        direction = "more" if total > requested else "less"
        yield Check(
            "budget_mismatch",
            "budget",
            f"The budget lines add up to {format_gbp(total)} but the funding requested is "
            f"{format_gbp(requested)}: {format_gbp(abs(total - requested))} {direction} than requested. "
            "Make the lines (amount × quantity) add up to the amount you ask for.",
            ERROR,
        )


def check_answers(bid: Mapping[str, Any]) -> Iterator[Check]:
    for field in ("idea", "walking_the_talk", "values_and_principles", "sharing_learning"):
        if not bid[field].strip():
            yield Check("answer_empty", field, f"Answer the question “{QUESTIONS[field]}”.", ERROR)
    if not bid["outcomes"]["outputs"]:
        yield Check("outputs_missing", "outcomes.outputs", "List at least one output the lab will deliver.", ERROR)


def check_outputs(bid: Mapping[str, Any]) -> Iterator[Check]:
    for index, output in enumerate(bid["outcomes"]["outputs"]):
        if output.get("target") is None:
            yield Check(
                "output_without_target",
                f"outcomes.outputs.{index}.target",
                f"Output {index + 1} (“{clip(output['description'])}”) has no measurable target: "
                "add a number, such as 30 people or 4 toolkits.",
                WARNING,
            )


def check_aims(bid: Mapping[str, Any]) -> Iterator[Check]:
    for aim in AIMS:
        if not bid["aims"][aim.key].strip():
            yield Check(
                "aim_empty",
                f"aims.{aim.key}",
                f"Say what the lab will do for the network aim “{aim.title}”.",
                ERROR,
            )


def check_declaration(bid: Mapping[str, Any]) -> Iterator[Check]:
    if bid["co_operative_difference_agreed"] is not True:
        yield Check(
            "declaration_not_agreed",
            "co_operative_difference_agreed",
            "Agree that the final report will clearly show the Co-operative Difference; "
            "the network funds no bid without it.",
            ERROR,
        )


def clip(text: str, words: int = 8) -> str:
    """The first few words of a long description, for a message that names it."""
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


CHECKLIST = (
    (f"Summary is {SUMMARY_WORD_LIMIT} words or fewer", {"summary_too_long"}),
    ("Budget lines add up to the funding requested", {"budget_mismatch"}),
    ("Every question is answered", {"answer_empty", "outputs_missing"}),
    ("Every output has a measurable target", {"output_without_target"}),
    ("Every network aim says what the lab will do", {"aim_empty"}),
    ("The Co-operative Difference declaration is agreed", {"declaration_not_agreed"}),
)


def checklist(checks: list[Check]) -> list[dict[str, Any]]:
    """The rules as a checklist: each one passed, or the findings that say what to fix."""
    rows = []
    for title, codes in CHECKLIST:
        found = [check for check in checks if check.code in codes]
        worst = ERROR if any(check.severity == ERROR for check in found) else WARNING if found else None
        rows.append({"title": title, "severity": worst, "findings": [check.message for check in found]})
    return rows
