"""domain/entry.py and `labdocs import`: an entry made on the network's form, read back into a bid record.

fixtures/entry_510.txt is the network's text export of entry 510 (seed 003; the same public bid text as the
bundled example), with the named lead's telephone, email and name replaced by example values.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from labdocs.domain.entry import read_entry
from labdocs.domain.funder_form import AIMS, QUESTIONS
from labdocs.domain.rules import check_bid
from labdocs.render.paste import paste_answers
from labdocs.schemas.bid import load_bid

ROOT = Path(__file__).resolve().parents[1]
ENTRY = Path(__file__).parent / "fixtures" / "entry_510.txt"
SEED_PARTNERS = ["Hackney Council", "Cheshire West and Chester Council", "Anthony Collins Solicitors",
                 "Co-Operative and Mutual Solutions", "Action Together"]


@pytest.fixture(scope="module")
def imported() -> Any:
    return read_entry(ENTRY.read_text(encoding="utf-8"))


def test_the_seed_entry_becomes_a_valid_bid(imported: Any, bid: dict[str, Any]) -> None:
    record = load_bid(imported["bid"])
    assert record["title"] == "Co-operative Governance"
    assert record["funding_round"] == "CCIN Innovation Funding 2024 - Policy Lab"
    assert record["funding_requested"] == "17500.00"
    assert record["lead_organisation"] == "Prevention Lead, Rochdale Borough Council"  # as the entry has it
    assert record["summary"] == bid["summary"]
    assert [partner["name"] for partner in record["partners"]] == SEED_PARTNERS
    assert [partner["kind"] for partner in record["partners"]] == ["council"] * 2 + ["affiliate"] * 3
    for aim in AIMS:
        assert record["aims"][aim.key] == bid["aims"][aim.key], aim.title
    for field in ("idea", "walking_the_talk", "values_and_principles", "sharing_learning", "workstreams"):
        assert record[field] == bid[field], field  # a page break mid-sentence is joined up again
    assert record["co_operative_difference_agreed"] is True
    assert record["outcomes"]["inputs"] == bid["outcomes"]["inputs"]
    assert record["outcomes"]["outcomes"] == bid["outcomes"]["outcomes"]
    assert record["outcomes"]["outputs"][0] == bid["outcomes"]["outputs"][0]


def test_the_seed_budget_is_read_into_its_four_lines(imported: Any) -> None:
    lines = load_bid(imported["bid"])["budget"]
    assert [(line["amount"], line["quantity"]) for line in lines] == [
        ("5000.00", 1), ("1000.00", 1), ("5000.00", 1), ("6500.00", 1)]
    assert [line["description"] for line in lines] == [
        "Towards match funding for training and participation in workshops",
        "Each core partner to support attendance and involvement of local people in attending the training and "
        "community of practice",
        "To support co-production activities with core partners",
        "For design, printing and distribution of materials such as Zines and other creative materials, along with "
        "a report",
    ]
    assert lines[0]["match_funding"] == {"amount": None, "source": 'this will be matched with some lottery funding '
                                         'for a "Live Well" accelerator led by Rochdale (Borough Council and Action '
                                         "Together"}
    assert lines[2]["match_funding"] == {"amount": None, "source": "again, this is matched in Rochdale with "
                                         "lottery funding"}
    assert not [check for check in check_bid(load_bid(imported["bid"])) if check.code == "budget_mismatch"]


def test_the_report_says_what_was_recognised_and_what_needs_a_person(imported: Any) -> None:
    expected = [text for key, text in QUESTIONS.items() if key not in ("workstreams", "walking_the_talk")]
    assert sorted(imported["recognised"]) == sorted(expected)
    assert imported["needs_person"] == [
        "Partners' kinds (council or affiliate) are guessed from their names: check them.",
        "Budget line 1 names match funding without an amount: add it if you know it.",
        "Budget line 2 is per item (“each”): set how many; labdocs counted one.",
        "Budget line 3 names match funding without an amount: add it if you know it.",
    ]


def entry_text(bid: dict[str, Any]) -> str:
    """An entry export as the network's form writes one, from labdocs' own paste sheet of a bid."""
    blocks = [f"{bid['funding_round']}: Entry # 1"]
    for item in paste_answers(load_bid(bid)):
        if item["key"] == "co_operative_difference_agreed":
            blocks += [item["question"]] if item["answer"] else []
            continue
        if item["key"] == "aims.social_partnerships":
            blocks.append(item["group"])
        blocks += [item["heading"]] if item["heading"] else []
        blocks += [item["question"], item["answer"]]
    return "\n\n".join(blocks) + "\n\nNotes\n\nAdmin Notification (ID: 1)\n"


@pytest.mark.parametrize("change", ["example", "emoji", "stated match and quantities", "not agreed"])
def test_an_export_of_any_bid_reads_back_into_the_same_record(bid: dict[str, Any], change: str) -> None:
    data = copy.deepcopy(bid)
    if change == "emoji":
        data["title"] = "Co-op 🤝 Café"
        data["aims"]["learning"] = "We learn 🎉 together.\n\nAnd share “everything”."
    elif change == "stated match and quantities":
        data["budget"] = [{"description": "Workshops 🧶", "amount": "250.50", "quantity": 3,
                           "match_funding": {"amount": "1000.00", "source": "The lottery"}}]
        data["funding_requested"] = "751.50"
    elif change == "not agreed":
        data["co_operative_difference_agreed"] = False
    original = load_bid(data)
    record = load_bid(read_entry(entry_text(data))["bid"])
    for field in ("title", "funding_requested", "summary", "idea", "aims", "walking_the_talk",
                  "values_and_principles", "sharing_learning", "co_operative_difference_agreed"):
        assert record[field] == original[field], field
    assert [partner["name"] for partner in record["partners"]] == [p["name"] for p in original["partners"]]
    assert [(line["amount"], line["quantity"], line["match_funding"]) for line in record["budget"]] == \
        [(line["amount"], line["quantity"], line["match_funding"]) for line in original["budget"]]


@pytest.mark.parametrize(("text", "needs"), [
    ("", "Not found in the export: “Project Title”."),
    ("Some words before anything\n\nProject Title\n\nX", "1 paragraph(s) before the first question, not read"),
    ("Project Title\n\nX\n\nProvide a detailed budget of how you will spend the budget and whether you are bringing "
     "in other funding.\n\nAbout five thousand for workshops", "Budget text not read as a line (no amount at its "
     "start): “About five thousand for workshops”"),
    ("How much funding are you applying for?\n\nlots", "The funding asked for could not be read as an amount"),
    ("Project Title\n\n", "“Project Title” is in the export with no answer."),
    ("How does your project support the aims and objectives of the Co-operative Councils Innovation Network?\n\n"
     "Learning. CCIN says: whatever\n\nWe will do:\n\nWe learn.", "No “We will do” answer found for the aim "
     "“Social partnerships”."),
])
def test_what_cannot_be_read_is_listed_for_a_person(text: str, needs: str) -> None:
    result = read_entry(text)
    assert any(line.startswith(needs) for line in result["needs_person"]), result["needs_person"]


def labdocs(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "labdocs.cli", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)


def test_the_command_line_imports_offline_and_the_file_passes_check(tmp_path: Path) -> None:
    output = tmp_path / "bid.json"
    result = labdocs("import", str(ENTRY), "-o", str(output))
    assert result.returncode == 0, result.stderr
    assert "Recognised 16 question(s):" in result.stderr and "✓ Project Title" in result.stderr
    assert "! Budget line 2 is per item (“each”)" in result.stderr
    record = json.loads(output.read_text(encoding="utf-8"))
    assert record["contact"]["email"] == "policy.lab@example.org"  # in the organisation's own record only
    for private in ("Sam Example", "01632 960000", "policy.lab@example.org"):
        assert private not in result.stdout + result.stderr
    checked = labdocs("check", str(output))
    assert checked.returncode == 0 and "valid" in checked.stderr


@pytest.mark.parametrize(("name", "content", "says"), [
    ("entry.pdf", b"%PDF-1.7", "labdocs imports the network's entry export as text (.txt), or a draft bid"),
    ("entry.docx", b"PK\x03\x04", "is not a Word document (.docx)"),
    ("entry.txt", b"\xff\xfe\x00bad", "is not UTF-8 text"),
    ("entry.txt", b"x" * (2 * 1024 * 1024 + 1), "is over 2 MB"),
])
def test_the_command_line_refuses_what_it_cannot_read(tmp_path: Path, name: str, content: bytes, says: str) -> None:
    source = tmp_path / name
    source.write_bytes(content)
    result = labdocs("import", str(source), "-o", str(tmp_path / "bid.json"))
    assert result.returncode == 1 and says in result.stderr and not (tmp_path / "bid.json").exists()
