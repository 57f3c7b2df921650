"""The final report checked against the bid it reports on, in plain English."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

from labdocs.domain.money import format_gbp, to_decimal
from labdocs.domain.rules import ERROR, WARNING, Check, clip, line_budget


def normalise(text: str) -> str:
    return " ".join(text.lower().split()).rstrip(".")


def resolve(reference: int | str, descriptions: Sequence[str]) -> int | None:
    """The 0-based position a reference points to: a 1-based number, or a description matched loosely."""
    if isinstance(reference, int):
        return reference - 1 if reference <= len(descriptions) else None
    wanted = normalise(reference)
    return next((i for i, text in enumerate(descriptions) if normalise(text) == wanted), None)


def results_by_output(bid: Mapping[str, Any], report: Mapping[str, Any]) -> dict[int, dict[str, Any]]:
    """Each promised output's reported result (the first, if reported twice)."""
    descriptions = [output["description"] for output in bid["outcomes"]["outputs"]]
    found: dict[int, dict[str, Any]] = {}
    for result in report["outputs_achieved"]:
        index = resolve(result["output"], descriptions)
        if index is not None:
            found.setdefault(index, result)
    return found


def spend_by_line(bid: Mapping[str, Any], report: Mapping[str, Any]) -> dict[int, Decimal]:
    """Total spent against each budget line (several entries for one line add up)."""
    descriptions = [line["description"] for line in bid["budget"]]
    totals: dict[int, Decimal] = {}
    for entry in report["spend"]:
        index = resolve(entry["budget_line"], descriptions)
        if index is not None:
            totals[index] = totals.get(index, Decimal(0)) + to_decimal(entry["spent"])
    return totals


def check_report(bid: Mapping[str, Any], report: Mapping[str, Any], publishing: bool = True) -> list[Check]:
    """Every finding about a validated report read against its validated bid (and, with `publishing`, what a
    published report lacks)."""
    return [
        *check_results(bid, report),
        *check_unreported(bid, report),
        *check_spend(bid, report),
        *check_grant(bid, report),
        *check_participants(report),
        *(check_publishing(report) if publishing else ()),
    ]


def grant(bid: Mapping[str, Any], report: Mapping[str, Any]) -> tuple[Decimal, str]:
    """The grant the spend is measured against, and how to name it: the amount awarded if the report gives it,
    else the amount the bid asked for."""
    if report.get("amount_awarded") is not None:
        return to_decimal(report["amount_awarded"]), "the grant awarded"
    return to_decimal(bid["funding_requested"]), "the funding requested"


def total_spent(bid: Mapping[str, Any], report: Mapping[str, Any]) -> Decimal:
    """Everything the report says was spent on the bid's budget lines."""
    return sum(spend_by_line(bid, report).values(), Decimal(0))


def check_grant(bid: Mapping[str, Any], report: Mapping[str, Any]) -> Iterator[Check]:
    amount, name = grant(bid, report)
    spent = total_spent(bid, report)
    if spent > amount:
        yield Check("overspend_grant", "spend",
                    f"The lab spent {format_gbp(spent)} against {name} of {format_gbp(amount)}: "
                    f"{format_gbp(spent - amount)} over the grant. Say in the report how the difference was "
                    "paid for.", WARNING)


def check_publishing(report: Mapping[str, Any]) -> Iterator[Check]:
    """What a published report needs that the schema cannot insist on."""
    if not report.get("results_summary", "").strip():
        yield Check("results_summary_missing", "results_summary",
                    "Write a summary of what happened, in the past tense: without one the report's summary is the "
                    "bid's plan, shown as such.", WARNING)
    if not report.get("principles_met"):
        yield Check("principles_missing", "principles_met",
                    "Choose the network principles the lab met: the network lists them on every project's page.",
                    WARNING)
    if not report.get("contact"):
        yield Check("contact_missing", "contact",
                    "Give a public contact for readers (“For further information contact the project lead”).",
                    WARNING)


def check_results(bid: Mapping[str, Any], report: Mapping[str, Any]) -> Iterator[Check]:
    descriptions = [output["description"] for output in bid["outcomes"]["outputs"]]
    seen: set[int] = set()
    for number, result in enumerate(report["outputs_achieved"]):
        index = resolve(result["output"], descriptions)
        field = f"outputs_achieved.{number}.output"
        if index is None:
            yield Check("output_unknown", field,
                        f"Result {number + 1} names {describe(result['output'])}, which is not one of the bid's "
                        f"{len(descriptions)} outputs. Use its number (1 to {len(descriptions)}) or its exact "
                        "description.", ERROR)
        elif index in seen:
            yield Check("output_reported_twice", field,
                        f"Output {index + 1} (“{clip(descriptions[index])}”) has more than one result; only the "
                        "first is shown.", WARNING)
        seen.add(index if index is not None else -1)


def check_unreported(bid: Mapping[str, Any], report: Mapping[str, Any]) -> Iterator[Check]:
    reported = results_by_output(bid, report)
    for index, output in enumerate(bid["outcomes"]["outputs"]):
        if index not in reported:
            yield Check("output_unreported", "outputs_achieved",
                        f"Output {index + 1} (“{clip(output['description'])}”) was promised but has no result. "
                        "Say what was achieved, even if it was nothing.", ERROR)


def check_spend(bid: Mapping[str, Any], report: Mapping[str, Any]) -> Iterator[Check]:
    descriptions = [line["description"] for line in bid["budget"]]
    for number, entry in enumerate(report["spend"]):
        if resolve(entry["budget_line"], descriptions) is None:
            yield Check("budget_line_unknown", f"spend.{number}.budget_line",
                        f"Spend entry {number + 1} names {describe(entry['budget_line'])}, which is not one of "
                        f"the bid's {len(descriptions)} budget lines. Use its number (1 to {len(descriptions)}) "
                        "or its exact description.", ERROR)
    for index, spent in sorted(spend_by_line(bid, report).items()):
        budget = line_budget(bid["budget"][index])
        if spent > budget:
            yield Check("overspend", "spend",
                        f"Spending on budget line {index + 1} (“{clip(descriptions[index])}”) is "
                        f"{format_gbp(spent)}, {format_gbp(spent - budget)} over its budget of "
                        f"{format_gbp(budget)}.", WARNING)


def check_participants(report: Mapping[str, Any]) -> Iterator[Check]:
    participants = report["participants"]
    counted = sum(participants["by_partner"].values())
    total = participants["total"]
    if participants["by_partner"] and counted != total:
        gap = (f"{total - counted} not accounted for" if counted < total
               else f"{counted - total} more than the total")
        yield Check("participants_mismatch", "participants.by_partner",
                    f"Participants by partner add up to {counted} but the total is {total} ({gap}).", ERROR)


def describe(reference: int | str) -> str:
    return f"number {reference}" if isinstance(reference, int) else f"“{clip(reference)}”"
