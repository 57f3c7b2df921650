"""`labdocs import` with a draft bid DOCX: offline into a bid JSON file that passes `labdocs check`, and with
--project to a running service, printing each proposed change and applying the ones named."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from labdocs.domain.docx_bid import MACROS, NOT_A_DOCX
from labdocs.schemas.bid import load_bid

from .docx_editing import edited, hostile_files, paragraph_starting, render, set_text, track_insertion
from .test_cli import labdocs, served_project


def test_a_draft_becomes_a_bid_file_offline_that_passes_check(tmp_path: Path, bid: dict[str, Any]) -> None:
    source = tmp_path / "draft.docx"
    source.write_bytes(render(bid))
    output = tmp_path / "bid.json"
    result = labdocs("import", str(source), "-o", str(output))
    assert result.returncode == 0, result.stderr
    assert "Recognised 24 question(s):" in result.stderr and "✓ Project Title" in result.stderr
    assert "! Kinds guessed from their names" in result.stderr
    record = json.loads(output.read_text(encoding="utf-8"))
    expected = load_bid(bid)
    assert record == {**expected, "workstreams": []}  # the draft writes the workstreams into the idea
    for private in ("Sam Example", "01632 960000", "policy.lab@example.org"):
        assert private not in result.stdout + result.stderr
    checked = labdocs("check", str(output))
    assert checked.returncode == 0 and "valid" in checked.stderr


def test_tracked_changes_need_a_choice_on_the_command_line(tmp_path: Path, bid: dict[str, Any]) -> None:
    source = tmp_path / "draft.docx"
    source.write_bytes(edited(render(bid), lambda doc: track_insertion(
        paragraph_starting(doc, bid["sharing_learning"][:30]), " And a podcast.")))
    unchosen = labdocs("import", str(source), "-o", str(tmp_path / "bid.json"))
    assert unchosen.returncode == 1 and "--tracked-changes accept" in unchosen.stderr
    assert not (tmp_path / "bid.json").exists()
    taken = labdocs("import", str(source), "-o", str(tmp_path / "bid.json"), "--tracked-changes", "accept")
    assert taken.returncode == 0, taken.stderr
    assert "And a podcast." in json.loads((tmp_path / "bid.json").read_text())["sharing_learning"]


@pytest.mark.parametrize(("name", "says"), [("not a zip", NOT_A_DOCX), ("docm with vbaProject.bin", MACROS)])
def test_hostile_files_are_refused_on_the_command_line(tmp_path: Path, bid: dict[str, Any], name: str,
                                                      says: str) -> None:
    source = tmp_path / "draft.docx"
    source.write_bytes(hostile_files(bid)[name])
    result = labdocs("import", str(source), "-o", str(tmp_path / "bid.json"))
    assert result.returncode == 1 and says in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "bid.json").exists()


@pytest.mark.slow
def test_a_draft_sent_to_a_project_prints_its_changes_and_applies_those_named(tmp_path: Path,
                                                                              bid: dict[str, Any]) -> None:
    with served_project(tmp_path, bid) as (base, key, project, _):
        source = tmp_path / "draft.docx"
        source.write_bytes(edited(render(bid), lambda doc: set_text(
            paragraph_starting(doc, bid["aims"]["innovation"][:30]), "We will try new things together.")))
        shown = labdocs("import", str(source), "--project", project["id"], "--server", base,
                        env={"LABDOCS_API_KEY": key})
        assert shown.returncode == 0, shown.stderr
        assert "1 field(s) changed" in shown.stdout and "aims.innovation (Innovation: we will do)" in shown.stdout
        assert "[-This project aims" in shown.stdout and "things together.+}" in shown.stdout
        applied = labdocs("import", str(source), "--project", project["id"], "--server", base, "--accept",
                          "aims.innovation", env={"LABDOCS_API_KEY": key})
        assert applied.returncode == 0, applied.stderr
        assert "Applied 1 change(s): aims.innovation." in applied.stdout
        again = labdocs("import", str(source), "--project", project["id"], "--server", base,
                        env={"LABDOCS_API_KEY": key})
        assert "No changes to the bid." in again.stdout
        wrong = labdocs("import", str(source), "--project", "0" * 32, "--server", base, env={"LABDOCS_API_KEY": key})
        assert wrong.returncode == 1 and "HTTP 404" in wrong.stderr
