"""Ready for the funder's form: each box of the network's web form, in its order and words, with the answer as
plain text to paste into it (as .txt or .md)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, TypedDict

from labdocs.domain.funder_form import AIMS_QUESTION, FORM, FormQuestion
from labdocs.domain.money import format_gbp, to_decimal
from labdocs.domain.rules import budget_total, line_budget
from labdocs.domain.text import blocks_text, count_words, figure, to_blocks
from labdocs.render import Rendered, Sources
from labdocs.render.page import md

WALKING_LEAD = re.compile(r'^\s*We will demonstrate how CCIN ["“”]?walks the talk["“”]? by:?\s*', re.IGNORECASE)
RULE, THIN = "=" * 72, "-" * 72


class PasteAnswer(TypedDict):
    """One box of the form: its number, field, words, the answer to paste, and notes that are not pasted."""

    number: int
    key: str
    group: str  # the form's question a box belongs under (the aims), else ""
    heading: str
    question: str
    answer: str
    words: int
    word_limit: int | None
    note: str


def paste_answers(bid: Mapping[str, Any]) -> list[PasteAnswer]:
    """Every box of the form, in the form's order, with its paste-ready answer."""
    return [paste_answer(number, question, bid) for number, question in enumerate(FORM, start=1)]


def paste_answer(number: int, question: FormQuestion, bid: Mapping[str, Any]) -> PasteAnswer:
    """One box's answer and its word count against the form's limit (a bid still being filled in, saved part by
    part on the web pages, may lack what an answer is made from: that box is not answered yet)."""
    try:
        answer, note = ANSWERS.get(question.key, plain_answer)(bid, question.key)
    except (KeyError, TypeError):
        answer, note = "", ""
    group = AIMS_QUESTION if question.key.startswith("aims.") or question.key == "walking_the_talk" else ""
    if not answer and not note:
        note = "Not answered yet."
    return PasteAnswer(number=number, key=question.key, group=group, heading=question.heading,
                       question=question.question, answer=answer, words=count_words(answer),
                       word_limit=question.word_limit, note=note)


def field_value(bid: Mapping[str, Any], key: str) -> Any:
    """The value at a dotted path (contact.name, aims.learning)."""
    value: Any = bid
    for part in key.split("."):
        value = value.get(part, "") if isinstance(value, Mapping) else ""
    return value


def plain_answer(bid: Mapping[str, Any], key: str) -> tuple[str, str]:
    return blocks_text(to_blocks(str(field_value(bid, key) or ""))), ""


def funding_answer(bid: Mapping[str, Any], key: str) -> tuple[str, str]:
    return format_gbp(to_decimal(bid["funding_requested"])).removeprefix("£"), "The form puts the £ in front."


def partners_answer(bid: Mapping[str, Any], key: str) -> tuple[str, str]:
    return "\n".join(partner["name"] for partner in bid["partners"]), ""


def budget_answer(bid: Mapping[str, Any], key: str) -> tuple[str, str]:
    """One line per budget line (amount, what it is for, any match funding), then the total."""
    lines = [budget_line(line) for line in bid["budget"]]
    total = budget_total(bid)
    requested = bid.get("funding_requested")
    note = "" if requested is None or total == to_decimal(requested) else \
        "The lines do not add up to the funding requested: see the funder checks."
    return "\n".join([*lines, f"Total: {format_gbp(total)}"]) if lines else "", note


def budget_line(line: Mapping[str, Any]) -> str:
    """£6,000.00 (£1,000.00 × 6): what it is for. Match funding: £2,000.00 from the lottery."""
    amount = format_gbp(line_budget(line))
    if line["quantity"] != 1:
        amount += f" ({format_gbp(to_decimal(line['amount']))} × {line['quantity']})"
    text = f"{amount}: {' '.join(line['description'].split())}"
    match = line.get("match_funding")
    if match:
        stated = f"{format_gbp(to_decimal(match['amount']))} from " if match["amount"] is not None else "from "
        text += f"{'' if text.endswith('.') else '.'} Match funding {stated}{match['source']}."
    return text


def idea_answer(bid: Mapping[str, Any], key: str) -> tuple[str, str]:
    """The idea; workstreams it does not already list are added to it as a list (the form has no box for them)."""
    idea = bid["idea"]
    missing = [item for item in bid["workstreams"] if item.casefold() not in idea.casefold()]
    blocks = to_blocks(idea) + [{"bullet": True, "text": item} for item in missing]
    note = f"{len(missing)} workstream(s) not in the idea added to it as a list." if missing else ""
    return blocks_text(blocks), note


def output_text(output: Mapping[str, Any]) -> str:
    description, target = output["description"], output.get("target")
    if target is None or figure(target) in description:
        return description
    return f"{description} (target: {figure(target)} {output.get('unit') or ''}".rstrip() + ")"


def outcomes_answer(bid: Mapping[str, Any], key: str) -> tuple[str, str]:
    """Inputs, outputs and outcomes as the form's entry writes them: a label, then a paragraph each."""
    outcomes = bid["outcomes"]
    inputs = outcomes["inputs"]
    parts = [f"Input: {inputs[0]}"] if len(inputs) == 1 else (["Inputs:", *inputs] if inputs else [])
    if outcomes["outputs"]:
        parts += ["Outputs:", *(output_text(output) for output in outcomes["outputs"])]
    if outcomes["outcomes"]:
        parts += ["Outcomes:", *outcomes["outcomes"]]
    return "\n\n".join(" ".join(part.split()) for part in parts), ""


def walking_answer(bid: Mapping[str, Any], key: str) -> tuple[str, str]:
    """The answer after the form's own lead-in ("We will demonstrate how CCIN "walks the talk" by:")."""
    text = WALKING_LEAD.sub("", bid["walking_the_talk"], count=1)
    return blocks_text(to_blocks(text)), ""


def declaration_answer(bid: Mapping[str, Any], key: str) -> tuple[str, str]:
    if bid["co_operative_difference_agreed"] is True:
        return "Agreed", "A tick box on the form: tick it."
    return "", "Not agreed yet: the network funds no bid without it."


ANSWERS: dict[str, Callable[[Mapping[str, Any], str], tuple[str, str]]] = {
    "funding_requested": funding_answer, "partners": partners_answer, "budget": budget_answer,
    "idea": idea_answer, "outcomes": outcomes_answer, "walking_the_talk": walking_answer,
    "co_operative_difference_agreed": declaration_answer,
}


def words_note(item: PasteAnswer) -> str:
    """130 words (the form allows 150)."""
    limit = f" (the form allows {item['word_limit']})" if item["word_limit"] else ""
    over = "; over the limit" if item["word_limit"] and item["words"] > item["word_limit"] else ""
    return f"{item['words']} word{'' if item['words'] == 1 else 's'}{limit}{over}"


def txt_block(item: PasteAnswer) -> list[str]:
    head = [f"{item['number']}. {item['group'] or item['question']}"]
    head += [item["heading"], item["question"]] if item["group"] else []
    return [RULE, *head, THIN, item["answer"], THIN,
            words_note(item) + (f". {item['note']}" if item["note"] else "")]


def bid_txt(bid: Mapping[str, Any]) -> str:
    """The paste sheet as plain text: each answer between two lines of dashes, exactly as it is pasted."""
    lines = [f"Ready for the funder's form: {bid['title']}", bid["funding_round"], "",
             "Each box of the network's application form, in its order and words. Paste the text between the "
             "dashed lines into the box; the line under it is a note, not part of the answer.", ""]
    for item in paste_answers(bid):
        lines += [*txt_block(item), ""]
    return "\n".join(lines)


def md_block(item: PasteAnswer) -> list[str]:
    lines = [f"## {item['number']}. {md(item['question'])}", ""]
    if item["group"]:
        lines += [f"> {md(item['group'])}", ">", f"> {md(item['heading'])}", ""]
    answer = [md(line) if line.strip() else "" for line in item["answer"].split("\n")]
    answer = [f"- {line[3:]}" if line.startswith("\\- ") else line for line in answer]
    return [*lines, *answer, "", f"*{md(words_note(item) + ('. ' + item['note'] if item['note'] else ''))}*", ""]


def bid_md(bid: Mapping[str, Any]) -> str:
    """The paste sheet as Markdown: each box a heading in the form's words, the answer its paragraphs."""
    lines = [f"# Ready for the funder's form: {md(bid['title'])}", "", md(bid["funding_round"]), "",
             "Each box of the network's application form, in its order and words; the line in italics under an "
             "answer is a note, not part of it.", ""]
    for item in paste_answers(bid):
        lines += md_block(item)
    return "\n".join(lines)


def render_bid_txt(sources: Sources, payload: Mapping[str, Any]) -> Rendered:
    """The paste sheet as UTF-8 plain text, from a document's input: {"bid": ..., "generated_on": ...}."""
    return Rendered(bid_txt(payload["bid"]).encode("utf-8"))


def render_bid_md(sources: Sources, payload: Mapping[str, Any]) -> Rendered:
    """The paste sheet as UTF-8 Markdown."""
    return Rendered(bid_md(payload["bid"]).encode("utf-8"))
