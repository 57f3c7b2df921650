"""register and domain/names: one canonical name per organisation, loaded from CSV, matched, exported."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from labdocs import register
from labdocs.domain.names import Entry, canonical_name, core, fill_recipient, is_identifier, match_name
from labdocs.errors import Invalid

EXAMPLE = Path(__file__).resolve().parent.parent / "src" / "labdocs" / "examples" / "register.csv"
ROCHDALE = Entry(name="Rochdale Borough Council", kind="council", identifier="GB-LAE-RCH",
                 aliases=["Rochdale Metropolitan Borough Council"])


@pytest.mark.parametrize(("name", "status", "canonical"), [
    ("Rochdale Borough Council", "canonical", "Rochdale Borough Council"),
    ("rochdale  borough council", "canonical", "Rochdale Borough Council"),
    ("Rochdale Metropolitan Borough Council", "alias", "Rochdale Borough Council"),
    ("Rochdale Council", "similar", "Rochdale Borough Council"),  # same core, not a listed alias
    ("Rochdal Borough Council", "similar", "Rochdale Borough Council"),
    ("Oldham Council", "unknown", None),
    ("", "unknown", None),
])
def test_a_name_is_matched_to_its_entry(name: str, status: str, canonical: str | None) -> None:
    found = match_name(name, [ROCHDALE])
    assert (found["status"], found["canonical"]) == (status, canonical)


def test_only_a_listed_name_is_replaced_by_the_canonical_one() -> None:
    assert canonical_name("Rochdale Metropolitan Borough Council", [ROCHDALE]) == "Rochdale Borough Council"
    assert canonical_name("Rochdale Council", [ROCHDALE]) == "Rochdale Council"  # similar is only a warning
    assert core("The Rochdale Metropolitan Borough Council") == "rochdale"


@pytest.mark.parametrize(("identifier", "valid"), [
    ("GB-LAE-RCH", True), ("GB-LAS-ABE", True), ("GB-CHC-1165000", True), ("GB-COH-OC123456", True),
    ("GB-MPR-1234R", True), ("360G-ccin-org-7", True), ("GB-LAE-rch", False), ("GB-CHC-12", False),
    ("GB-LAE-RCH\n", False), ("XI-FOO-1", False), ("", False),
])
def test_identifiers_follow_org_id(identifier: str, valid: bool) -> None:
    assert is_identifier(identifier) is valid


def test_the_example_register_loads_and_exports_as_it_was(app: Flask) -> None:
    with app.app_context():
        assert register.load_csv(EXAMPLE.read_text()) == {"added": 6, "updated": 0}
        assert register.load_csv(EXAMPLE.read_text()) == {"added": 0, "updated": 6}
        exported = register.export_csv()
        register.load_csv(exported)
        assert register.export_csv() == exported
        assert register.match("Rochdale Metropolitan Borough Council")["canonical"] == "Rochdale Borough Council"


BAD_ROWS = [
    ("name,kind\n,council\n", "row 2.name"),
    ("name,kind\nX,county\n", "row 2.kind"),
    ("name,kind,identifier\nX,council,GB-LAE-12\n", "row 2.identifier"),
    ("kind\ncouncil\n", "csv"),
    ("name,kind,aliases\nA,council,Same\nB,council,same\n", "csv"),  # one alias naming two organisations
    ("name,kind,identifier\nA,council,GB-LAE-AAA\nB,council,GB-LAE-AAA\n", "csv"),
]


@pytest.mark.parametrize(("text", "field"), BAD_ROWS)
def test_a_bad_register_file_is_refused_whole_naming_the_row(app: Flask, text: str, field: str) -> None:
    with app.app_context():
        with pytest.raises(Invalid) as refused:
            register.load_csv(text)
        assert field in refused.value.errors
        assert register.entries() == []


def test_bid_names_are_checked_against_the_register(app: Flask, bid: dict[str, Any]) -> None:
    with app.app_context():
        assert register.check_names(bid) == []  # no register yet: nothing to say
        register.load_csv(EXAMPLE.read_text())
        bid["partners"].append({"name": "Oldham Council", "kind": "council"})
        found = {(check.code, check.field) for check in register.check_names(bid)}
    # "Co-operative and Mutual Solutions" and "Action Together" are aliases; the rest are canonical.
    assert found == {("organisation_alias", "partners.3.name"), ("organisation_alias", "partners.4.name"),
                     ("organisation_unknown", "partners.5.name")}


def test_every_organisation_reads_the_register_over_the_api(app: Flask, client: Any, auth: dict[str, str]) -> None:
    with app.app_context():
        register.load_csv(EXAMPLE.read_text())
    listed = client.get("/api/v1/register", headers=auth).get_json()["organisations"]
    assert [entry["name"] for entry in listed][:2] == ["Action Together CIO", "Anthony Collins Solicitors"]
    exported = client.get("/api/v1/register?format=csv", headers=auth)
    assert exported.mimetype == "text/csv" and exported.text == EXAMPLE.read_text()  # the file is in name order
    found = client.get("/api/v1/register/match", query_string={"name": "Rochdale Metropolitan Borough Council"},
                       headers=auth).get_json()
    assert found == {"name": "Rochdale Metropolitan Borough Council", "status": "alias",
                     "canonical": "Rochdale Borough Council", "identifier": "GB-LAE-RCH"}


@pytest.mark.parametrize("query", [{}, {"name": "   "}, {"name": "x" * 301}])
def test_a_match_without_a_usable_name_is_a_422(client: Any, auth: dict[str, str], query: dict[str, str]) -> None:
    response = client.get("/api/v1/register/match", query_string=query, headers=auth)
    assert response.status_code == 422 and "name" in response.get_json()["errors"]


def test_the_command_line_loads_matches_and_exports_the_register(tmp_path: Path) -> None:
    from .test_cli import labdocs

    env = {"LABDOCS_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "LABDOCS_FILE_STORE": str(tmp_path)}
    loaded = labdocs("register", "load", str(EXAMPLE), env=env)
    assert (loaded.returncode, loaded.stdout) == (0, "Register: 6 added, 0 updated.\n"), loaded.stderr
    found = labdocs("register", "match", "Rochdale Metropolitan Borough Council", env=env)
    assert found.stdout == ("Rochdale Metropolitan Borough Council is another name of Rochdale Borough Council "
                            "(GB-LAE-RCH).\n")
    assert labdocs("register", "export", env=env).stdout == EXAMPLE.read_text()
    bad = tmp_path / "bad.csv"
    bad.write_text("name,kind\nSomewhere,county\n")
    refused = labdocs("register", "load", str(bad), env=env)
    assert refused.returncode == 1 and "row 2.kind: Must be one of" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_a_page_renders_offline_under_the_registers_names(tmp_path: Path) -> None:
    from .test_cli import labdocs

    bid_file = EXAMPLE.parent / "bid.json"
    out = tmp_path / "page.md"
    made = labdocs("render", "page", str(bid_file), "-o", str(out), "--register", str(EXAMPLE))
    assert made.returncode == 0, made.stderr
    assert "Action Together CIO" in out.read_text() and "Rochdale Borough Council" in out.read_text()


AWARD = {"amount": "17500", "date": "2024-03-15", "reference": "CCIN-IF-2024-07",
         "funder": {"name": "Oldham Council"}, "locations": [{"name": "Rochdale"}]}


@pytest.mark.parametrize(("lead", "given", "filled"), [
    ("Rochdale Borough Council", None, "GB-LAE-RCH"),
    ("Rochdale Metropolitan Borough Council", None, "GB-LAE-RCH"),  # an alias is the same organisation
    ("Rochdal Borough Council", None, None),  # only similar: not filled on a guess
    ("Oldham Council", None, None),
    ("Rochdale Borough Council", "GB-LAE-XYZ", "GB-LAE-XYZ"),  # what the lab gave is kept
])
def test_the_register_fills_the_recipients_identifier(lead: str, given: str | None, filled: str | None) -> None:
    award = fill_recipient({**AWARD, "recipient_org_id": given}, lead, [ROCHDALE])
    assert award["recipient_org_id"] == filled and award["reference"] == AWARD["reference"]


def test_a_bid_file_carries_its_award_to_the_page_offline(tmp_path: Path) -> None:
    import json

    from .test_cli import labdocs

    bid = json.loads((EXAMPLE.parent / "bid.json").read_text())
    bid_file, out = tmp_path / "funded.json", tmp_path / "page.md"
    bid_file.write_text(json.dumps({**bid, "award": AWARD}))
    made = labdocs("render", "page", str(bid_file), "-o", str(out), "--register", str(EXAMPLE))
    assert made.returncode == 0, made.stderr
    text = out.read_text()
    assert "- **Grant awarded:** £17,500.00 on 15 March 2024" in text and "- **Where:** Rochdale" in text
    for kind, name in (("bid", "bid.docx"), ("page", "page.html")):  # the same file serves every kind
        assert labdocs("render", kind, str(bid_file), "-o", str(tmp_path / name)).returncode == 0
    assert labdocs("check", str(bid_file)).returncode == 0
    bid_file.write_text(json.dumps({**bid, "award": {**AWARD, "date": "15/03/2024", "funder": {}}}))
    refused = labdocs("render", "page", str(bid_file), "-o", str(out))
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert refused.stderr.splitlines() == ["award.date: Enter a date as YYYY-MM-DD, like 2024-04-01.",
                                           "award.funder.name: This is required."]


def test_a_project_shows_the_registers_warnings_beside_the_funders_checks(app: Flask, client: Any,
                                                                         auth: dict[str, str],
                                                                         project: dict[str, Any]) -> None:
    before = client.get(f"/api/v1/projects/{project['id']}", headers=auth).get_json()["checks"]
    with app.app_context():
        register.load_csv(EXAMPLE.read_text())
    after = client.get(f"/api/v1/projects/{project['id']}", headers=auth).get_json()["checks"]
    added = [check for check in after if check not in before]
    assert [(check["code"], check["field"], check["severity"]) for check in added] == [
        ("organisation_alias", "partners.3.name", "warning"), ("organisation_alias", "partners.4.name", "warning")]
    assert "“Action Together” is in the register as “Action Together CIO”" in added[1]["message"]
