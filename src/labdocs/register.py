"""The installation's register of organisations: loaded from CSV, exported, and used to name organisations one way.

Every organisation using this labdocs shares one register (councils and partners are the same bodies whoever
writes the bid), so it is edited by the operator (`labdocs register load`) and read by everyone.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import Any, TypedDict

from sqlalchemy import select

from labdocs.domain.names import (
    IDENTIFIER_HINT,
    KINDS,
    Entry,
    Match,
    canonical_name,
    clashes,
    fill_recipient,
    is_identifier,
    match_name,
)
from labdocs.domain.rules import Check
from labdocs.errors import Invalid
from labdocs.infra.db import session
from labdocs.infra.models import RegisterEntry

COLUMNS = ("name", "kind", "identifier", "aliases")
MAX_ROWS = 5000
MAX_CSV_BYTES = 2 * 1024 * 1024


class Loaded(TypedDict):
    added: int
    updated: int


def entries() -> list[Entry]:
    """Every entry, by name."""
    rows = session().scalars(select(RegisterEntry).order_by(RegisterEntry.name))
    return [Entry(name=row.name, kind=row.kind, identifier=row.identifier, aliases=list(row.aliases or []))
            for row in rows]


def match(name: str) -> Match:
    """What the register knows of one name."""
    return match_name(name, entries())


def canonical_names(names: list[str]) -> dict[str, str]:
    """The register's name for each of these that it knows by that name or an alias (given → canonical)."""
    known = entries()
    return {name: canonical for name in names if (canonical := canonical_name(name, known)) != name}


def with_identifiers(award: dict[str, Any], lead: str) -> dict[str, Any]:
    """The award, its recipient's org-id filled from the register when left out and the register knows the lead."""
    return fill_recipient(award, lead, entries())


def load_csv(text: str) -> Loaded:
    """Add or update entries from CSV (name, kind, identifier, aliases separated by ';'); all or nothing."""
    parsed = parse_csv(text)
    known = {row.name: row for row in session().scalars(select(RegisterEntry))}
    merged = {name: Entry(name=row.name, kind=row.kind, identifier=row.identifier, aliases=list(row.aliases))
              for name, row in known.items()}
    merged.update({entry["name"]: entry for entry in parsed})
    problems = clashes(merged.values()) + identifier_clashes(merged.values())
    if problems:
        raise Invalid("The register would name one organisation twice.", {"csv": problems})
    for entry in parsed:
        row = known.get(entry["name"]) or RegisterEntry(name=entry["name"])
        row.kind, row.identifier, row.aliases = entry["kind"], entry["identifier"], entry["aliases"]
        session().add(row)
    session().commit()
    return Loaded(added=sum(e["name"] not in known for e in parsed), updated=sum(e["name"] in known for e in parsed))


def parse_csv(text: str) -> list[Entry]:
    """Rows of a register CSV, each checked; errors name the row ("row 3.kind")."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_CSV_BYTES:
        raise Invalid(f"The register file is over {MAX_CSV_BYTES // 2**20} MB.", {"csv": ["Too large."]})
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [column for column in ("name", "kind") if column not in (reader.fieldnames or [])]
    if missing:
        raise Invalid("The register file needs a header row with name, kind, identifier and aliases.",
                      {"csv": [f"No {column!r} column." for column in missing]})
    rows, errors = [], {}
    for number, row in enumerate(reader, start=2):
        if number > MAX_ROWS + 1:
            raise Invalid(f"The register file has more than {MAX_ROWS} rows.", {"csv": ["Too many rows."]})
        entry, problems = parse_row(row)
        errors.update({f"row {number}.{field}": texts for field, texts in problems.items()})
        if entry is not None:
            rows.append(entry)
    if errors:
        raise Invalid(f"The register file has {len(errors)} problem{'s' if len(errors) != 1 else ''}.", errors)
    return rows


def parse_row(row: Mapping[str, Any]) -> tuple[Entry | None, dict[str, list[str]]]:
    """One CSV row as an entry, or what is wrong with it."""
    value = {column: " ".join(str(row.get(column) or "").split()) for column in COLUMNS}
    problems: dict[str, list[str]] = {}
    if not value["name"] or len(value["name"]) > 300:
        problems["name"] = ["Give the organisation's name (up to 300 characters)."]
    if value["kind"] not in KINDS:
        problems["kind"] = [f"Must be one of: {', '.join(KINDS)}."]
    if value["identifier"] and not is_identifier(value["identifier"]):
        problems["identifier"] = [f"{value['identifier']!r} is not an org-id. {IDENTIFIER_HINT}"]
    aliases = [alias.strip() for alias in value["aliases"].split(";") if alias.strip()]
    if problems:
        return None, problems
    return Entry(name=value["name"], kind=value["kind"], identifier=value["identifier"] or None,
                 aliases=aliases), {}


def identifier_clashes(all_entries: Any) -> list[str]:
    """Identifiers given to two entries."""
    owners: dict[str, str] = {}
    problems = []
    for entry in all_entries:
        key = entry["identifier"]
        if key and owners.setdefault(key, entry["name"]) != entry["name"]:
            problems.append(f"{key} is given to both {owners[key]} and {entry['name']}.")
    return problems


def export_csv() -> str:
    """The register as CSV, in the columns it loads from."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for entry in entries():
        writer.writerow([entry["name"], entry["kind"], entry["identifier"] or "", "; ".join(entry["aliases"])])
    return out.getvalue()


def check_names(bid: Mapping[str, Any]) -> list[Check]:
    """Warnings for the bid's lead and partners the register does not know, or knows by another name."""
    known = entries()
    if not known:
        return []  # an installation with no register yet: nothing to compare with
    named = [("lead_organisation", bid.get("lead_organisation") or "")]
    named += [(f"partners.{n}.name", partner["name"]) for n, partner in enumerate(bid.get("partners") or [])]
    return [check for field, name in named if name for check in name_checks(field, match_name(name, known))]


def name_checks(field: str, found: Match) -> list[Check]:
    """The finding for one name, if any: the canonical name to use instead, or that it is not in the register."""
    if found["status"] == "canonical":
        return []
    if found["status"] == "alias":
        return [Check("organisation_alias", field, f"“{found['name']}” is in the register as “{found['canonical']}”: "
                      "the project page and grant data will use that name.", "warning")]
    if found["status"] == "similar":
        return [Check("organisation_similar", field, f"“{found['name']}” is not in the register, but "
                      f"“{found['canonical']}” is. If they are the same organisation, use that name.", "warning")]
    return [Check("organisation_unknown", field, f"“{found['name']}” is not in the register of organisations. "
                  "Check the name, or ask the network to add it.", "warning")]
