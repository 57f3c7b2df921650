"""The draft bid: from validated bid data to the context the bid.docx template expects."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from labdocs.domain.funder_form import AIMS, DECLARATION
from labdocs.domain.money import format_gbp, to_decimal
from labdocs.domain.rules import ERROR, WARNING, Check, budget_total, check_bid, checklist
from labdocs.domain.text import Block, figure, to_blocks
from labdocs.render import Rendered, Sources
from labdocs.render.docx import render_docx
from labdocs.render.paste import PasteAnswer, paste_answers, words_note

SHORT_FIELDS = ("lead_organisation", "contact.name", "contact.job_title", "contact.phone", "contact.email", "title",
                "funding_requested", "partners", "co_operative_difference_agreed")

NOT_ANSWERED: list[Block] = [{"bullet": False, "text": "Not answered yet."}]


def render_bid_docx(sources: Sources, payload: Mapping[str, Any]) -> Rendered:
    """The draft bid as DOCX, from a document's input: {"bid": ..., "generated_on": "YYYY-MM-DD"}."""
    bid = payload["bid"]
    today = date.fromisoformat(payload["generated_on"])
    context = bid_context(bid, check_bid(bid), today)
    template = sources.templates / "docx" / "bid.docx"
    return Rendered(render_docx(template, context, today, title=f"{bid['title']}: draft bid",
                                subject=f"{bid['funding_round']}: application", author=bid["lead_organisation"]))


def bid_context(bid: Mapping[str, Any], checks: list[Check], today: date) -> dict[str, Any]:
    """Everything the template shows: the bid as the form asks it; labdocs' own notes only in the checklist."""
    sheet = {item["key"]: item for item in paste_answers(bid)}
    return {
        **{key: bid[key] for key in ("title", "funding_round", "lead_organisation", "contact")},
        "generated_on": f"{today.day} {today:%B %Y}",
        "funding_requested": format_gbp(to_decimal(bid["funding_requested"])),
        "summary": to_blocks(bid["summary"]),
        "partners": bid["partners"],
        "budget_lines": sheet["budget"]["answer"].splitlines() or ["Not answered yet."],
        **budget_context(bid),
        "idea": answer(sheet["idea"]["answer"]),
        "outcomes_text": answer(sheet["outcomes"]["answer"]),
        "outputs": [output_row(output) for output in bid["outcomes"]["outputs"]],
        "aims": [
            {"title": aim.title, "ccin_says": aim.ccin_says, "blocks": answer(bid["aims"][aim.key])}
            for aim in AIMS
        ],
        "walking_the_talk": answer(sheet["walking_the_talk"]["answer"]),
        "values_and_principles": answer(bid["values_and_principles"]),
        "sharing_learning": answer(bid["sharing_learning"]),
        "declaration": DECLARATION,
        "declaration_box": "Agreed:" if bid["co_operative_difference_agreed"] else "Not yet agreed:",
        "checklist": [checklist_row(row) for row in checklist(checks)],
        "tool_notes": tool_notes(bid, list(sheet.values())),
        "checks_summary": checks_summary(checks),
    }


def tool_notes(bid: Mapping[str, Any], sheet: list[PasteAnswer]) -> list[str]:
    """labdocs' notes on the draft (the budget's sum, word counts), for the checklist, never the body."""
    counts = [f"{item['heading'].split('.')[0] if item['heading'] else item['question']}: {words_note(item)}."
              for item in sheet if item["words"] and item["key"] not in SHORT_FIELDS]
    return [budget_verdict(bid), "Word counts, as the form counts them:", *counts]


def budget_verdict(bid: Mapping[str, Any]) -> str:
    total, requested = budget_total(bid), to_decimal(bid["funding_requested"])
    verdict = "These match." if total == requested else f"They differ by {format_gbp(abs(total - requested))}."
    return f"Funding requested: {format_gbp(requested)}. Budget lines total: {format_gbp(total)}. {verdict}"


def answer(text: str) -> list[Block]:
    """An answer's paragraphs, or a visible placeholder so a gap in the draft is obvious."""
    return to_blocks(text) or NOT_ANSWERED


def budget_context(bid: Mapping[str, Any]) -> dict[str, Any]:
    """The budget as a table, for the optional appendix."""
    matched = [to_decimal(line["match_funding"]["amount"]) for line in bid["budget"]
               if line.get("match_funding") and line["match_funding"]["amount"] is not None]
    return {
        "budget": [budget_row(line) for line in bid["budget"]],
        "budget_total": format_gbp(budget_total(bid)),
        "match_total": f"{format_gbp(sum(matched, to_decimal(0)))} stated" if matched else "",
    }


def budget_row(line: Mapping[str, Any]) -> dict[str, str]:
    amount = to_decimal(line["amount"])
    return {
        "description": line["description"],
        "amount": format_gbp(amount),
        "quantity": str(line["quantity"]),
        "total": format_gbp(amount * line["quantity"]),
        "match": match_text(line.get("match_funding")),
    }


def match_text(match: Mapping[str, Any] | None) -> str:
    if not match:
        return ""
    amount = match["amount"]
    if amount is None:
        return f"{match['source']} (amount not stated)"
    return f"{format_gbp(to_decimal(amount))} from {match['source']}"


def output_row(output: Mapping[str, Any]) -> dict[str, str]:
    target = output.get("target")
    text = "" if target is None else f"{figure(target)} {output.get('unit') or ''}".strip()
    return {"description": output["description"], "target": text}


RESULTS = {None: "Pass", ERROR: "Fix", WARNING: "Improve"}


def checklist_row(row: Mapping[str, Any]) -> dict[str, Any]:
    return {**row, "result": RESULTS[row["severity"]]}


def checks_summary(checks: list[Check]) -> str:
    errors = sum(check.severity == ERROR for check in checks)
    warnings = len(checks) - errors
    if not checks:
        return "No problems found."
    return f"{errors} to fix before submitting, {warnings} worth improving."
