"""Organisation names: one canonical name per organisation, its aliases, its org-id, and names that nearly match.

Pure functions over register entries, so the rules can be tested without a database. The network's own page
named "Rochdale Borough Council" as "Rochdale Metropolitan Borough Council" and dropped a partner: a register
of canonical names, with the other names each organisation goes by, keeps every document naming it one way.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any, Literal, TypedDict

KINDS = ("council", "combined authority", "charity", "company", "co-operative", "other")

# org-id.guide lists: English and Scottish local authorities, charities, companies, mutuals (FCA's register), and
# 360Giving's own prefix for organisations with none of these.
IDENTIFIER = re.compile(r"GB-LAE-[A-Z]{3}|GB-LAS-[A-Z]{3}|GB-CHC-[0-9]{6,7}|GB-COH-[A-Z0-9]{8}"
                        r"|GB-MPR-[A-Z0-9]{1,12}|360G-[A-Za-z0-9]+-[A-Za-z0-9_.-]+")
IDENTIFIER_HINT = ("Use an org-id: GB-LAE-XXX (English council), GB-LAS-XXX (Scottish council), GB-CHC-1234567 "
                   "(charity), GB-COH-01234567 (company), GB-MPR-1234R (mutual), or 360G-<prefix>-<your id>.")

# Words that say what kind of body an organisation is rather than which one: "Rochdale Borough Council" and
# "Rochdale Metropolitan Borough Council" share the same core, "rochdale".
DESIGNATORS = frozenset({"the", "and", "of", "council", "borough", "metropolitan", "city", "county", "district",
                         "london", "royal", "ltd", "limited", "cio", "cic", "plc", "llp", "co", "uk"})
SIMILAR = 0.88  # difflib ratio between cores at or above which two names are taken to be one organisation


class Entry(TypedDict):
    """A register entry as the rules see it."""

    name: str
    kind: str
    identifier: str | None
    aliases: list[str]


class Match(TypedDict):
    """What the register says about a name: canonical as given, an alias, similar to one, or unknown."""

    name: str
    status: Literal["canonical", "alias", "similar", "unknown"]
    canonical: str | None
    identifier: str | None


def normalise(name: str) -> str:
    """A name compared without case, punctuation, '&' or extra spaces ("Co-operative" equals "Cooperative")."""
    text = unicodedata.normalize("NFKC", name).casefold().replace("&", " and ")
    text = re.sub(r"[^\w\s]", "", text)
    return " ".join(text.split())


def core(name: str) -> str:
    """The words that say which organisation, not what kind of body ("rochdale" for either Rochdale council)."""
    words = [word for word in normalise(name).split() if word not in DESIGNATORS]
    return " ".join(words) or normalise(name)


def is_identifier(text: str) -> bool:
    return IDENTIFIER.fullmatch(text) is not None


def match_name(name: str, entries: Sequence[Entry]) -> Match:
    """What the register knows of this name, the closest entry first."""
    wanted = normalise(name)
    for entry in entries:
        if normalise(entry["name"]) == wanted:
            return Match(name=name, status="canonical", canonical=entry["name"], identifier=entry["identifier"])
    for entry in entries:
        if any(normalise(alias) == wanted for alias in entry["aliases"]):
            return Match(name=name, status="alias", canonical=entry["name"], identifier=entry["identifier"])
    nearest = nearest_entry(name, entries)
    if nearest is not None:
        return Match(name=name, status="similar", canonical=nearest["name"], identifier=nearest["identifier"])
    return Match(name=name, status="unknown", canonical=None, identifier=None)


def fill_recipient(award: dict[str, Any], lead: str, entries: Sequence[Entry]) -> dict[str, Any]:
    """The award with recipient_org_id from the register's entry for the lead (by name or alias) if it had none."""
    found = match_name(lead, entries)
    if award.get("recipient_org_id") or found["status"] not in ("canonical", "alias"):
        return award
    return {**award, "recipient_org_id": found["identifier"]}


def nearest_entry(name: str, entries: Sequence[Entry]) -> Entry | None:
    """The entry whose name or alias is nearly this name (same core, or a core within SIMILAR), if any."""
    wanted, best, best_score = core(name), None, SIMILAR
    for entry in entries:
        for known in (entry["name"], *entry["aliases"]):
            score = difflib.SequenceMatcher(None, wanted, core(known)).ratio()
            if score >= best_score:
                best, best_score = entry, score
    return best


def canonical_name(name: str, entries: Sequence[Entry]) -> str:
    """The register's name for this organisation when the name is its own or an alias; else the name as given."""
    found = match_name(name, entries)
    return found["canonical"] or name if found["status"] in ("canonical", "alias") else name


def clashes(entries: Iterable[Entry]) -> list[str]:
    """Names given to two entries (as a name or an alias): each must name one organisation only."""
    seen: dict[str, str] = {}
    problems = []
    for entry in entries:
        for known in dict.fromkeys(normalise(n) for n in (entry["name"], *entry["aliases"])):
            if known in seen and seen[known] != entry["name"]:
                problems.append(f"“{known}” names both {seen[known]} and {entry['name']}.")
            seen.setdefault(known, entry["name"])
    return problems
