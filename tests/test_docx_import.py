"""domain/docx_bid.py and render/bid_changes.py: a draft bid DOCX labdocs made, edited as partners would in Word,
read back field by field; files labdocs did not make, damaged or hostile ones, refused before they are parsed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from labdocs.domain.docx_bid import (
    BOMB,
    DTD,
    MACROS,
    MAX_BYTES,
    NOT_A_DOCX,
    NOT_LABDOCS,
    TOO_MANY,
    read_bid_docx,
)
from labdocs.domain.funder_form import QUESTIONS
from labdocs.errors import ChoiceNeeded, FileRefused, TooLarge
from labdocs.imports import read_file
from labdocs.render.bid_changes import TOKENS, differences, joined, readable, with_changes, word_diff
from labdocs.schemas.bid import load_bid

from .docx_editing import (
    BIDS,
    add_after,
    comment_on,
    edited,
    hostile_files,
    paragraph_starting,
    render,
    set_text,
    track_deletion,
    track_insertion,
    under,
)


@pytest.fixture(params=sorted(BIDS))
def generated(request: pytest.FixtureRequest, bid: dict[str, Any]) -> dict[str, Any]:
    return load_bid(BIDS[request.param](bid))


def changes_of(bid: dict[str, Any], data: bytes, tracked: str | None = None) -> dict[str, dict[str, Any]]:
    return {change["field"]: dict(change) for change in read_file(bid, "bid.docx", data, tracked)["changes"]}


def side(diff: list[Any], op: str) -> str:
    """The text before (op "removed") or after ("added") a diff, rebuilt from its parts."""
    return joined([token for part in diff if part["op"] in ("same", op) for token in TOKENS.findall(part["text"])])


def test_an_untouched_draft_reads_back_with_no_difference(generated: dict[str, Any]) -> None:
    reading = read_bid_docx(render(generated))
    assert len(reading["answers"]) == 24  # every box of the form
    assert differences(generated, reading["answers"]) == []
    assert reading["tracked_changes"] == [] and reading["comments"] == []
    assert reading["tracked_changes_taken"] is None


def test_partners_edits_show_exactly_their_differences(generated: dict[str, Any]) -> None:
    """Change a paragraph, add a bullet, delete a budget line's text: those three fields differ, nothing else."""
    first_line = generated["budget"][0]

    def edit(doc: Any) -> None:
        aim = paragraph_starting(doc, generated["aims"]["democratic_engagement"][:30])
        set_text(aim, "We will hold open budget meetings in every ward.")
        last_partner = paragraph_starting(doc, generated["partners"][-1]["name"])
        add_after(last_partner, "Rochdale Borough Council", "List Bullet")
        set_text(paragraph_starting(doc, "£" + f"{float(first_line['amount']) * first_line['quantity']:,.2f}"), "")

    changes = changes_of(generated, edited(render(generated), edit))
    assert sorted(changes) == ["aims.democratic_engagement", "budget", "partners"]
    aim = changes["aims.democratic_engagement"]
    assert aim["after"] == "We will hold open budget meetings in every ward."
    assert aim["value"] == "We will hold open budget meetings in every ward."
    assert aim["question"] == "Democratic engagement: we will do"
    assert side(aim["diff"], "removed") == aim["before"] and side(aim["diff"], "added") == aim["after"]
    partners = changes["partners"]
    assert [part for part in partners["diff"] if part["op"] != "same"] == [
        {"op": "added", "text": "\nRochdale Borough Council"}]
    assert partners["value"] == [*generated["partners"], {"name": "Rochdale Borough Council", "kind": "council"}]
    assert partners["problems"] == [] and "Rochdale Borough Council" in partners["notes"][0]
    budget = changes["budget"]
    assert budget["value"] == generated["budget"][1:]  # the other lines exactly as stored
    removed = [part["text"] for part in budget["diff"] if part["op"] == "removed"]
    assert len(removed) == 1 and first_line["description"][:20] in removed[0]
    assert not [part for part in budget["diff"] if part["op"] == "added"]


def test_a_bullet_added_to_the_summary_is_a_bullet_in_the_record(generated: dict[str, Any]) -> None:
    def edit(doc: Any) -> None:
        add_after(under(doc, QUESTIONS["summary"])[-1], "a seed library", "List Bullet")

    changes = changes_of(generated, edited(render(generated), edit))
    assert list(changes) == ["summary"]
    assert changes["summary"]["after"].endswith("- a seed library")
    assert changes["summary"]["readable"].endswith("\n- a seed library+}")


def test_tracked_changes_are_reported_and_taken_all_or_none(generated: dict[str, Any]) -> None:
    def edit(doc: Any) -> None:
        summary = under(doc, QUESTIONS["summary"])[0]
        track_insertion(summary, " Added with Track Changes on.")
        track_deletion(paragraph_starting(doc, generated["sharing_learning"][:30]))
        comment_on(doc, paragraph_starting(doc, generated["values_and_principles"][:30]), "Is this too long?")

    data = edited(render(generated), edit)
    with pytest.raises(ChoiceNeeded) as refused:
        read_bid_docx(data)
    assert refused.value.errors == {"tracked_changes": [
        "This file has 2 tracked changes: choose whether to accept them all or reject them all."]}

    accepted = read_bid_docx(data, "accept")
    assert accepted["tracked_changes_taken"] == "accept"
    assert [(change["kind"], change["field"], change["author"]) for change in accepted["tracked_changes"]] == [
        ("insertion", "summary", "A partner"), ("deletion", "sharing_learning", "A partner")]
    assert accepted["comments"] == [{"field": "values_and_principles", "author": "A partner",
                                     "text": "Is this too long?"}]
    changes = changes_of(generated, data, "accept")
    assert sorted(changes) == ["sharing_learning", "summary"]
    assert [part for part in changes["summary"]["diff"] if part["op"] != "same"] == [
        {"op": "added", "text": "Added with Track Changes on."}]
    first_paragraph = generated["sharing_learning"].split("\n")[0]
    assert changes["sharing_learning"]["diff"][0]["op"] == "removed"
    assert first_paragraph not in changes["sharing_learning"]["value"]

    assert changes_of(generated, data, "reject") == {}  # as the draft was made: the comment changes nothing
    assert read_bid_docx(data, "reject")["tracked_changes_taken"] == "reject"


def test_accepted_changes_make_a_bid_that_validates(generated: dict[str, Any]) -> None:
    def edit(doc: Any) -> None:
        set_text(paragraph_starting(doc, generated["aims"]["learning"][:30]), "We will publish what we learn.")
        set_text(paragraph_starting(doc, "Total: £"), "Total: £1.00")  # the draft's own total is not the budget

    found = read_file(generated, "bid.docx", edited(render(generated), edit))
    changes = found["changes"]
    assert [change["field"] for change in changes] == ["aims.learning"]
    assert found["needs_person"] == ["The budget's total was changed to “Total: £1.00”. labdocs works the total out "
                                     "from the budget lines, so the change was not read: change the lines instead."]
    changed, fields = with_changes(generated, changes)
    assert fields == ("aims",)
    assert load_bid(changed) == {**generated, "aims": {**generated["aims"], "learning":
                                                      "We will publish what we learn."}}


def test_a_budget_line_without_an_amount_cannot_be_taken_as_it_is(bid: dict[str, Any]) -> None:
    def edit(doc: Any) -> None:
        set_text(paragraph_starting(doc, "£6,500.00"), "Design and printing of zines")

    budget = changes_of(bid, edited(render(bid), edit))["budget"]
    assert budget["problems"] == ["Budget line 4 has no amount at its start, so it cannot be read: “Design and "
                                  "printing of zines”. Start it with the amount, as £1,000.00: …."]


def test_the_word_diff_reads_as_words() -> None:
    parts = word_diff("We will meet monthly.\n\nThen we report.", "We will meet weekly.\n\nThen we report.")
    assert parts == [{"op": "same", "text": "We will meet"}, {"op": "removed", "text": "monthly."},
                     {"op": "added", "text": "weekly."}, {"op": "same", "text": "\n\nThen we report."}]
    assert readable(parts) == "We will meet [-monthly.-] {+weekly.+} \n\nThen we report."


@pytest.mark.parametrize(("name", "message"), [
    ("not a zip", NOT_A_DOCX),
    ("zip bomb", BOMB.format(detail="one part unpacks to 30 MB")),
    ("highly compressed part", "packed"),
    ("huge XML part", "its text unpacks past 5 MB"),
    ("too many members", TOO_MANY),
    ("xxe entity", DTD),
    ("docm with vbaProject.bin", MACROS),
    ("not made by labdocs", NOT_LABDOCS),
])
def test_hostile_and_foreign_files_are_refused_in_plain_words(bid: dict[str, Any], name: str, message: str) -> None:
    with pytest.raises(FileRefused) as refused:
        read_bid_docx(hostile_files(bid)[name])
    assert message in refused.value.message
    assert refused.value.errors == {"file": [refused.value.message]}


def test_a_file_over_the_size_limit_is_refused_unread() -> None:
    with pytest.raises(TooLarge) as refused:
        read_bid_docx(b"PK" + b"\0" * MAX_BYTES)
    assert refused.value.code == "file_too_large"


@pytest.mark.slow
def test_a_draft_saved_again_by_libreoffice_is_still_labdocs_and_unchanged(tmp_path: Path,
                                                                          generated: dict[str, Any]) -> None:
    """An office suite rewrites every part when it saves: the marker property and the headings survive it."""
    source = tmp_path / "draft.docx"
    source.write_bytes(edited(render(generated), lambda doc: set_text(
        paragraph_starting(doc, generated["aims"]["innovation"][:30]), "We will try new things together.")))
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is not installed"
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to",
                    "docx:MS Word 2007 XML", "--outdir", str(tmp_path / "saved"), str(source)],
                   capture_output=True, timeout=180, check=True)
    saved = (tmp_path / "saved" / "draft.docx").read_bytes()
    assert saved != source.read_bytes()
    changes = changes_of(generated, saved)
    assert list(changes) == ["aims.innovation"]
    assert changes["aims.innovation"]["value"] == "We will try new things together."


def test_an_aim_title_typed_in_an_answer_does_not_start_a_new_answer(bid: dict[str, Any]) -> None:
    def edit(doc: Any) -> None:
        add_after(paragraph_starting(doc, bid["aims"]["co_production"][:30]), "Innovation", "Normal")

    changes = changes_of(bid, edited(render(bid), edit))
    assert list(changes) == ["aims.co_production"]
    assert changes["aims.co_production"]["after"].endswith("\n\nInnovation")


def test_a_deleted_heading_is_reported(bid: dict[str, Any]) -> None:
    def edit(doc: Any) -> None:
        heading = paragraph_starting(doc, QUESTIONS["values_and_principles"])
        heading._p.getparent().remove(heading._p)

    found = read_file(bid, "bid.docx", edited(render(bid), edit))
    assert found["needs_person"] == [
        f"Not found in the draft, so not read: “{QUESTIONS['values_and_principles']}” (its heading may have been "
        "deleted or retyped; its text then counts as part of the answer above it)."]
    assert [change["field"] for change in found["changes"]] == ["walking_the_talk"]


def test_answers_inside_a_content_control_are_read(bid: dict[str, Any]) -> None:
    """Word wraps paragraphs in a content control (w:sdt) when a partner inserts one: its text is still the answer."""
    from docx.oxml import parse_xml

    def edit(doc: Any) -> None:
        paragraph = paragraph_starting(doc, bid["aims"]["innovation"][:30])
        control = parse_xml('<w:sdt xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                            "<w:sdtPr/><w:sdtContent/></w:sdt>")
        paragraph._p.addprevious(control)
        control[1].append(paragraph._p)
        set_text(paragraph, "We will try new things together.")

    changes = changes_of(bid, edited(render(bid), edit))
    assert list(changes) == ["aims.innovation"]
    assert changes["aims.innovation"]["value"] == "We will try new things together."


def test_a_rewritten_sentence_reads_as_one_change() -> None:
    parts = word_diff("This lab is about power. We will share it widely.", "We will publish what we learn.")
    assert parts == [{"op": "removed", "text": "This lab is about power. We will share it widely."},
                     {"op": "added", "text": "We will publish what we learn."}]
