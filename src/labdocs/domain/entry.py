"""An entry already made on the network's web form (its text export, "Entry # 510") read back into a bid record,
with a plain report of what was recognised and what needs a person."""

from __future__ import annotations

import re
from typing import Any, TypedDict

from labdocs.domain.funder_form import AIMS, DECLARATION, QUESTIONS, WALKING_THE_TALK_LEAD
from labdocs.domain.money import parse_money

RUNNING_HEADER = re.compile(r"^(?P<round>.+?)\s*:\s*Entry\s*#\s*\d+\s*$")
TAIL = ("Notes", "Admin Notification")
SENTENCE_END = ('.', '!', '?', ':', '"', '”', ')')
HEADINGS = {text.casefold(): key for key, text in QUESTIONS.items()
            if key not in ("workstreams", "walking_the_talk", "co_operative_difference_agreed")}
AMOUNT = re.compile(r"^£\s?(?P<amount>\d[\d,]*(?:\.\d{1,2})?)\s*(?P<rest>.*)$", re.S)
ITEM_START = re.compile(r"(?<=[.)])\s+(?=£\s?\d)")
EACH = re.compile(r"^\s*\(£\s?(?P<amount>\d[\d,]*(?:\.\d{1,2})?) × (?P<quantity>\d+)\)")
MATCH_SENTENCE = re.compile(r"\.?\s*Match funding (?:£(?P<amount>\d[\d,]*(?:\.\d{1,2})?) )?from (?P<source>.+)$")
TARGET = re.compile(r"\b(?P<figure>\d[\d,]*)\s+(?P<unit>[a-z]+)")


class EntryImport(TypedDict):
    """A bid read from an entry export: the record, the questions recognised, and what a person must look at."""

    bid: dict[str, Any]
    recognised: list[str]
    needs_person: list[str]


def read_entry(text: str) -> EntryImport:
    """The bid an entry export holds, as far as its text allows; nothing read is guessed silently."""
    funding_round, paragraphs = entry_paragraphs(text)
    sections, stray = split_sections(paragraphs)
    result = EntryImport(bid={"funding_round": funding_round or ""}, recognised=[], needs_person=[])
    if not funding_round:
        result["needs_person"].append("The funding round: the export has no \"…: Entry # N\" line naming it.")
    if stray:
        result["needs_person"].append(f"{len(stray)} paragraph(s) before the first question, not read "
                                      "(not shown here: they may hold contact details).")
    for key, body in sections.items():
        READERS.get(key, read_text)(result, key, body)
        result["recognised"].append(QUESTIONS[key])
    missing = [QUESTIONS[key] for key in HEADINGS.values() if key not in sections]
    result["needs_person"] += [f"Not found in the export: “{question}”." for question in missing]
    return result


def entry_paragraphs(text: str) -> tuple[str, list[str]]:
    """The export's paragraphs without its running page headers (a paragraph a page break cut is joined up)."""
    funding_round, joining = "", False
    paragraphs: list[str] = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        lines = [line.strip() for line in block.strip().splitlines() if line.strip()]
        if not lines:
            continue
        header = RUNNING_HEADER.match(lines[0]) if len(lines) == 1 else None
        if header:
            funding_round = funding_round or " ".join(header["round"].split())
            joining = bool(paragraphs) and not paragraphs[-1].endswith(SENTENCE_END)
            continue
        if lines[0] in TAIL or lines[0].startswith(TAIL):
            break
        paragraph = "\n".join(lines)
        if joining:
            paragraphs[-1] += " " + paragraph
        else:
            paragraphs.append(paragraph)
        joining = False
    return funding_round, paragraphs


def split_sections(paragraphs: list[str]) -> tuple[dict[str, list[str]], list[str]]:
    """Each question's paragraphs, by the question's heading; the paragraphs before any heading."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    stray: list[str] = []
    for paragraph in paragraphs:
        key = HEADINGS.get(" ".join(paragraph.split()).casefold())
        if key and key not in sections:
            current = sections[key] = []
        elif current is None:
            stray.append(paragraph)
        else:
            current.append(paragraph)
    return sections, stray


def clip(text: str, words: int = 8) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def set_field(bid: dict[str, Any], key: str, value: Any) -> None:
    """Set a dotted field (contact.email) in the bid being built."""
    *parents, leaf = key.split(".")
    target = bid
    for part in parents:
        target = target.setdefault(part, {})
    target[leaf] = value


def read_text(result: EntryImport, key: str, body: list[str]) -> None:
    set_field(result["bid"], key, "\n\n".join(body))
    if not body:
        result["needs_person"].append(f"“{QUESTIONS[key]}” is in the export with no answer.")


def read_line(result: EntryImport, key: str, body: list[str]) -> None:
    set_field(result["bid"], key, " ".join(" ".join(body).split()))
    if not body:
        result["needs_person"].append(f"“{QUESTIONS[key]}” is in the export with no answer.")


def read_funding(result: EntryImport, key: str, body: list[str]) -> None:
    try:
        result["bid"][key] = str(parse_money(" ".join(body).replace("£", "").replace(" ", "")))
    except (ArithmeticError, ValueError):
        result["needs_person"].append("The funding asked for could not be read as an amount: "
                                      f"“{clip(' '.join(body))}”.")


def read_partners(result: EntryImport, key: str, body: list[str]) -> None:
    """"A, B and C." → names; a name with "Council" in it is taken as a council, the rest as affiliates."""
    text = " ".join(body).strip().rstrip(".")
    names = [name.strip() for name in re.split(r",|;|\n", text) if name.strip()]
    if names and " and " in names[-1]:
        last, _, final = names[-1].rpartition(" and ")
        names[-1:] = [last.strip(), final.strip()]
    result["bid"]["partners"] = [{"name": name, "kind": guess_kind(name)} for name in names]
    if names:
        result["needs_person"].append("Partners' kinds (council or affiliate) are guessed from their names: "
                                      "check them.")


def guess_kind(name: str) -> str:
    """A partner's kind from its name alone: a name with "Council" in it is a council, the rest affiliates."""
    return "council" if "council" in name.casefold() else "affiliate"


def read_budget(result: EntryImport, key: str, body: list[str]) -> None:
    """One budget line per "£amount …" item; an item without an amount is kept as text for a person."""
    lines: list[dict[str, Any]] = []
    for item in budget_items(body):
        if re.match(r"^Total:\s*£", item.strip()):
            continue  # labdocs' own total line: the lines are the budget
        line = budget_line(" ".join(item.split()))
        if line is None:
            result["needs_person"].append(f"Budget text not read as a line (no amount at its start): “{item}”")
            continue
        lines.append(line)
        if re.search(r"\beach\b", item, re.IGNORECASE):
            result["needs_person"].append(f"Budget line {len(lines)} is per item (“each”): set how many; "
                                          "labdocs counted one.")
        if line["match_funding"] and line["match_funding"]["amount"] is None:
            result["needs_person"].append(f"Budget line {len(lines)} names match funding without an amount: add "
                                          "it if you know it.")
    result["bid"]["budget"] = lines


def budget_items(body: list[str]) -> list[str]:
    """The budget's items: each line or "£…" sentence that starts with an amount; other lines continue one."""
    items: list[str] = []
    for line in (line for paragraph in body for line in paragraph.splitlines()):
        for part in ITEM_START.split(line.strip()):
            if items and not re.match(r"^(£|Total:)", part) and not items[-1].startswith("Total:"):
                items[-1] += " " + part
            else:
                items.append(part)
    return items


def budget_line(item: str) -> dict[str, Any] | None:
    """£5,000 towards X (matched with Y) → amount, description, match funding; None when there is no amount.

    Also reads labdocs' own paste sheet: "£6,000.00 (£1,000.00 × 6): X. Match funding £500.00 from Y."
    """
    found = AMOUNT.match(item)
    if not found or not found["rest"]:
        return None
    amount, quantity, description = found["amount"], 1, found["rest"]
    each = EACH.match(description)
    if each:
        amount, quantity, description = each["amount"], int(each["quantity"]), description[each.end():]
    description, match = match_funding(description.lstrip(":–- ").strip())
    description = description.rstrip(".").strip()
    return {"description": description[:1].upper() + description[1:], "quantity": quantity,
            "amount": str(parse_money(amount.replace(",", ""))), "match_funding": match}


def match_funding(text: str) -> tuple[str, dict[str, Any] | None]:
    """A line's match funding, as a bracket that mentions it or labdocs' "Match funding … from …" sentence."""
    stated = MATCH_SENTENCE.search(text)
    if stated:
        amount = str(parse_money(stated["amount"].replace(",", ""))) if stated["amount"] else None
        return text[:stated.start()], {"amount": amount, "source": stated["source"].rstrip(".")}
    opening = next((m.start() for m in re.finditer(r"\(", text) if "match" in text[m.start():m.start() + 60]
                    .casefold()), None)
    if opening is None:
        return text, None
    return text[:opening].strip(), {"amount": None, "source": text[opening + 1:].strip().rstrip(".").rstrip(")")}


def read_idea(result: EntryImport, key: str, body: list[str]) -> None:
    read_text(result, key, body)
    result["bid"]["workstreams"] = [line[2:].strip() for paragraph in body for line in paragraph.splitlines()
                                    if line.startswith("- ")]


def read_outcomes(result: EntryImport, key: str, body: list[str]) -> None:
    """"Input: …", "Outputs:" and "Outcomes:" with a paragraph each, as the form's entry writes them."""
    parts: dict[str, list[str]] = {"inputs": [], "outputs": [], "outcomes": []}
    current = None
    for paragraph in body:
        label, _, rest = paragraph.partition(":")
        name = {"input": "inputs", "inputs": "inputs", "outputs": "outputs", "output": "outputs",
                "outcomes": "outcomes", "outcome": "outcomes"}.get(label.strip().casefold())
        if name:
            current = name
            paragraph = rest.strip()
        if current is None:
            result["needs_person"].append(f"Outcomes text before any “Input/Outputs/Outcomes” label: "
                                          f"“{clip(paragraph)}”")
        elif paragraph:
            parts[current].append(" ".join(paragraph.split()))
    result["bid"]["outcomes"] = {"inputs": parts["inputs"], "outcomes": parts["outcomes"],
                                 "outputs": [output(text) for text in parts["outputs"]]}


def output(text: str) -> dict[str, Any]:
    """An output, with its target where the text starts by giving one ("A minimum of 30 people …")."""
    found = TARGET.search(text[:60])
    if not found:
        return {"description": text.rstrip("."), "target": None, "unit": None}
    return {"description": text.rstrip("."), "target": int(found["figure"].replace(",", "")), "unit": found["unit"]}


def read_aims(result: EntryImport, key: str, body: list[str]) -> None:
    """The eight aims' "We will do" answers and walking the talk, each found by the form's own words."""
    starts = {f"{aim.title}. CCIN says:".casefold(): f"aims.{aim.key}" for aim in AIMS}
    answers: dict[str, list[str]] = {}
    current: list[str] | None = None
    for paragraph in body:
        flat = " ".join(paragraph.split())
        field = next((name for start, name in starts.items() if flat.casefold().startswith(start)), None)
        if field:
            current = answers[field] = []
        elif flat.casefold() in ("walking the talk.", "walking the talk"):
            current = answers["walking_the_talk"] = []
        elif flat in ("We will do:", WALKING_THE_TALK_LEAD) and current is not None and not current:
            continue
        elif current is not None:
            current.append(paragraph)
    for aim in AIMS:
        text = "\n\n".join(answers.get(f"aims.{aim.key}", []))
        set_field(result["bid"], f"aims.{aim.key}", text)
        if not text:
            result["needs_person"].append(f"No “We will do” answer found for the aim “{aim.title}”.")
    walking = answers.get("walking_the_talk", [])
    lead = WALKING_THE_TALK_LEAD.removesuffix(":")
    result["bid"]["walking_the_talk"] = f"{lead} {chr(10).join(walking)}".strip() if walking else ""
    if not walking:
        result["needs_person"].append("No answer found for “Walking the talk”.")


def read_sharing(result: EntryImport, key: str, body: list[str]) -> None:
    """The last question, then the declaration the form prints when its box is ticked."""
    agreed = [paragraph for paragraph in body if " ".join(paragraph.split()) == DECLARATION]
    read_text(result, key, [paragraph for paragraph in body if paragraph not in agreed])
    result["bid"]["co_operative_difference_agreed"] = bool(agreed)
    result["recognised"] += [QUESTIONS["co_operative_difference_agreed"]] if agreed else []
    if not agreed:
        result["needs_person"].append("The Co-operative Difference declaration is not in the export: agree it.")


READERS = {
    "lead_organisation": read_line, "contact.name": read_line, "contact.job_title": read_line,
    "contact.phone": read_line, "contact.email": read_line, "title": read_line, "funding_requested": read_funding,
    "partners": read_partners, "budget": read_budget, "idea": read_idea, "outcomes": read_outcomes,
    "aims": read_aims, "sharing_learning": read_sharing,
}
