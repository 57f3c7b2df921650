"""What an imported file would change in a bid, field by field, as a diff a person can read.

Both sides are compared as the paste sheet writes each box (labdocs.render.paste): a draft DOCX prints exactly
that text under each question, so an answer nobody touched shows no difference, whatever its stored spacing. A
changed answer is read back into the bid's own shape (the budget into lines, the partners into names) by the
entry importer's readers, keeping any line, name or output that is unchanged exactly as it was stored.
"""

from __future__ import annotations

import copy
import difflib
import re
from collections.abc import Mapping
from typing import Any, NamedTuple, TypedDict

from labdocs.domain.entry import EntryImport, budget_line, guess_kind, read_outcomes, set_field
from labdocs.domain.funder_form import FORM, QUESTIONS, WALKING_THE_TALK_LEAD
from labdocs.domain.money import parse_money
from labdocs.render.paste import budget_line as paste_budget_line
from labdocs.render.paste import output_text, paste_answer

TOKENS = re.compile(r"\n+|[^\s]+")


class Read(NamedTuple):
    """A box's text read as its field's value: what could not be read (it cannot be accepted as it is) and what
    to check once it is."""

    value: Any
    problems: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


class DiffPart(TypedDict):
    op: str  # "same", "removed" or "added"
    text: str


class FieldChange(TypedDict):
    """One field the file changes: the text before and after, the diff, and the value it would store."""

    field: str  # the bid field's dotted path (aims.learning)
    question: str  # the form's words for it
    before: str
    after: str
    diff: list[DiffPart]
    readable: str  # the diff in one line of text: [-removed-] {+added+}
    value: Any  # what the field would hold if the change is accepted
    problems: list[str]  # why it cannot be taken as it stands (a budget line with no amount)
    notes: list[str]  # what to check once it is taken (a new partner's kind, guessed)


def question_of(key: str) -> str:
    """How a page names a box: the form's question, or an aim's title."""
    item = next(item for item in FORM if item.key == key)
    if key.startswith("aims."):
        return f"{item.heading.split('. CCIN says')[0]}: we will do"
    return QUESTIONS.get(key) or item.question


def shown_texts(bid: Mapping[str, Any]) -> dict[str, str]:
    """Each box's answer as the paste sheet writes it; a box a partial bid cannot answer yet is empty."""
    shown: dict[str, str] = {}
    for number, question in enumerate(FORM, start=1):
        try:
            shown[question.key] = paste_answer(number, question, bid)["answer"]
        except (KeyError, TypeError, AttributeError, ArithmeticError, ValueError):
            shown[question.key] = ""
    return shown


def normal(text: str) -> str:
    """Spacing as nobody sees it in Word: runs of spaces, and spaces at the ends of lines."""
    return "\n".join(" ".join(line.split()) for line in text.strip().splitlines()).strip()


SHORT_COMMON = 2  # a run of this many unchanged words or fewer between two changes is shown as part of them


def word_diff(before: str, after: str) -> list[DiffPart]:
    """Word by word (paragraph breaks count as words), the unchanged runs and what was removed and added.

    A rewritten sentence that happens to keep a word or two ("we", "the") reads as one change, not a patchwork:
    such short common runs between changes are folded into them.
    """
    old, new = TOKENS.findall(before), TOKENS.findall(after)
    runs: list[tuple[bool, list[str], list[str]]] = []  # (unchanged?, old tokens, new tokens)
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, start, end, start2, end2 in matcher.get_opcodes():
        runs.append((op == "equal", old[start:end], new[start2:end2]))
    folded: list[tuple[bool, list[str], list[str]]] = []
    for index, (same, gone, came) in enumerate(runs):
        between = 0 < index < len(runs) - 1 and not runs[index - 1][0] and not runs[index + 1][0]
        if same and between and len(gone) <= SHORT_COMMON and not any(token.startswith("\n") for token in gone):
            same = False
        if not same and folded and not folded[-1][0]:
            folded[-1] = (False, folded[-1][1] + gone, folded[-1][2] + came)
        else:
            folded.append((same, list(gone), list(came)))
    parts: list[DiffPart] = []
    for same, gone, came in folded:
        if same:
            parts.append({"op": "same", "text": joined(gone)})
            continue
        parts += [{"op": "removed", "text": joined(gone)}] if gone else []
        parts += [{"op": "added", "text": joined(came)}] if came else []
    return parts


def joined(tokens: list[str]) -> str:
    text = ""
    for token in tokens:
        text += token if token.startswith("\n") or not text or text.endswith("\n") else " " + token
    return text


CONTEXT = 6  # unchanged words kept either side of a change in a shortened diff


def shortened(parts: list[DiffPart]) -> list[DiffPart]:
    """The diff with long unchanged runs cut to the words either side of each change ("…" for the rest)."""
    out: list[DiffPart] = []
    for index, part in enumerate(parts):
        words = part["text"].split(" ")
        if part["op"] != "same" or len(words) <= 2 * CONTEXT:
            out.append(part)
            continue
        head = words[:CONTEXT] if index > 0 else []
        tail = words[-CONTEXT:] if index < len(parts) - 1 else []
        out.append({"op": "same", "text": " ".join([*head, "…", *tail])})
    return out


def readable(parts: list[DiffPart]) -> str:
    """[-removed words-] {+added words+}, with the unchanged words around them (as git's word diff writes it)."""
    shown = {"same": "{}", "removed": "[-{}-]", "added": "{{+{}+}}"}
    return " ".join(shown[part["op"]].format(part["text"]) for part in shortened(parts))


def differences(bid: Mapping[str, Any], answers: Mapping[str, str],
                values: Mapping[str, Any] | None = None) -> list[FieldChange]:
    """The fields whose answer in the file differs from the bid's, in the form's order; the rest show nothing.

    `answers` are the file's boxes as paste text; `values`, where given, the bid values they hold (an entry
    export, read field by field); otherwise each changed answer is read back from its text.
    """
    before_texts = shown_texts(bid)
    changes: list[FieldChange] = []
    for item in FORM:
        if item.key not in answers:
            continue
        before, after = normal(before_texts[item.key]), normal(answers[item.key])
        if item.key == "budget":  # the draft's total is worked out from the lines: not an answer to read back
            before, after = without_total(before), without_total(after)
        if before == after:
            continue
        read = Read(values[item.key]) if values is not None and item.key in values else value_of(item.key, after, bid)
        parts = word_diff(before, after)
        changes.append(FieldChange(field=item.key, question=question_of(item.key), before=before, after=after,
                                   diff=parts, readable=readable(parts), value=read.value,
                                   problems=list(read.problems), notes=list(read.notes)))
    return changes


TOTAL = re.compile(r"^Total:\s*£")


def without_total(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not TOTAL.match(line.strip()))


def total_edited(bid: Mapping[str, Any], answers: Mapping[str, str]) -> list[str]:
    """A note when the draft's budget total was edited: labdocs works it out from the lines, so it is not read."""
    shown = [line for line in normal(shown_texts(bid)["budget"]).splitlines() if TOTAL.match(line)]
    found = [line for line in normal(answers.get("budget", "")).splitlines() if TOTAL.match(line)]
    if not found or found == shown:
        return []
    return [f"The budget's total was changed to “{found[-1]}”. labdocs works the total out from the budget lines, "
            "so the change was not read: change the lines instead."]


def value_of(key: str, text: str, bid: Mapping[str, Any]) -> Read:
    """A box's text as the value its field holds, and what could not be read from it."""
    reader = VALUES.get(key)
    if reader is not None:
        return reader(text, bid)
    if key in ("lead_organisation", "title") or key.startswith("contact."):
        return Read(" ".join(text.split()))
    return Read(text)


def funding_value(text: str, bid: Mapping[str, Any]) -> Read:
    try:
        return Read(str(parse_money(text.replace("£", "").replace(",", "").replace(" ", ""))))
    except (ArithmeticError, ValueError):
        return Read(text, (f"“{text}” is not an amount of money: write it as 17,500.00.",))


def partners_value(text: str, bid: Mapping[str, Any]) -> Read:
    """One name a line; a partner already in the bid keeps its kind, a new one's is guessed from its name."""
    kinds = {partner["name"].casefold(): partner["kind"] for partner in bid.get("partners", [])}
    names = [line.strip() for line in text.splitlines() if line.strip()]
    new = [name for name in names if name.casefold() not in kinds]
    notes = (f"Kinds guessed from their names (council or affiliate) for {', '.join(new)}: check them.",) if new else ()
    return Read([{"name": name, "kind": kinds.get(name.casefold()) or guess_kind(name)} for name in names], (), notes)


def budget_value(text: str, bid: Mapping[str, Any]) -> Read:
    """One budget line a line, as the draft writes them; an unchanged line is kept exactly as stored."""
    stored = {normal(paste_budget_line(line)): line for line in bid.get("budget", [])}
    lines: list[dict[str, Any]] = []
    problems: list[str] = []
    for item in (line for line in text.splitlines() if line.strip()):
        if TOTAL.match(item.strip()):
            continue  # the draft's own total: the lines are the budget
        line = copy.deepcopy(stored.get(normal(item))) or budget_line(" ".join(item.split()))
        if line is None:
            problems.append(f"Budget line {len(lines) + len(problems) + 1} has no amount at its start, so it "
                            f"cannot be read: “{item.strip()}”. Start it with the amount, as £1,000.00: ….")
            continue
        lines.append(line)
    return Read(lines, tuple(problems))


def outcomes_value(text: str, bid: Mapping[str, Any]) -> Read:
    """Input, outputs and outcomes read as the entry importer reads them; unchanged outputs kept as stored."""
    result = EntryImport(bid={}, recognised=[], needs_person=[])
    read_outcomes(result, "outcomes", [part for part in text.split("\n\n") if part.strip()])
    outcomes = result["bid"]["outcomes"]
    stored = {output_text(output).rstrip("."): output for output in bid.get("outcomes", {}).get("outputs", [])}
    outcomes["outputs"] = [copy.deepcopy(stored.get(output["description"], output)) for output in outcomes["outputs"]]
    return Read(outcomes, tuple(result["needs_person"]))


def walking_value(text: str, bid: Mapping[str, Any]) -> Read:
    """The form's own lead-in, then the answer (the draft prints the lead-in as a label above it)."""
    return Read(f"{WALKING_THE_TALK_LEAD.removesuffix(':')} {text}" if text else "")


def agreed_value(text: str, bid: Mapping[str, Any]) -> Read:
    return Read(text == "Agreed")


VALUES = {"funding_requested": funding_value, "partners": partners_value, "budget": budget_value,
          "outcomes": outcomes_value, "walking_the_talk": walking_value,
          "co_operative_difference_agreed": agreed_value}


def with_values(bid: Mapping[str, Any], values: Mapping[str, Any]) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The bid with these fields (dotted paths) set, and the top-level fields touched (contact for contact.email)."""
    changed = copy.deepcopy(dict(bid))
    for field, value in values.items():
        set_field(changed, field, copy.deepcopy(value))
    return changed, tuple(dict.fromkeys(field.split(".")[0] for field in values))


def with_changes(bid: Mapping[str, Any], changes: list[FieldChange]) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The bid with these changes made, and the top-level fields they touch."""
    return with_values(bid, {change["field"]: change["value"] for change in changes})


def bid_from_answers(answers: Mapping[str, str], funding_round: str = "") -> tuple[dict[str, Any], list[str]]:
    """A bid record from a draft's answers alone (no stored bid to compare with), and what a person must check."""
    bid: dict[str, Any] = {"funding_round": funding_round} if funding_round else {}
    notes: list[str] = []
    for item in FORM:
        if item.key in answers:
            read = value_of(item.key, normal(answers[item.key]), {})
            set_field(bid, item.key, read.value)
            notes += [*read.problems, *read.notes]
    return bid, notes
