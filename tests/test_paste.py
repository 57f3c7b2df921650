"""render/paste.py: "Ready for the funder's form", the bid box by box as the network's web form asks it."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest

from labdocs.domain.funder_form import AIMS, FORM
from labdocs.domain.text import count_words
from labdocs.render import bundled_sources
from labdocs.render.kinds import FORMATS, find_kind
from labdocs.render.paste import RULE, THIN, bid_md, bid_txt, paste_answers
from labdocs.schemas.bid import load_bid

SOURCES = bundled_sources(lambda key: b"")

# The form's boxes in order, in the words of the network's own entry export (seed 003, "Entry # 510").
FORM_WORDS = [
    "Organisation leading the project", "Lead Councillor or Officer", "Job Title", "Contact Telephone",
    "Contact Email", "Project Title", "How much funding are you applying for?",
    "Summary of project idea (150 words max)", "Which other CCIN members will work on this project?",
    "Provide a detailed budget of how you will spend the budget and whether you are bringing in other funding.",
    "What is your idea and how will you allocate the budget?", "What are the outcomes you hope to achieve?",
    *["We will do:"] * 8, 'We will demonstrate how CCIN "walks the talk" by:',
    "How does your project support the CCIN Statement of Values and Principles?",
    "How will you share your learning across the Co-operative Councils' Innovation Network?",
    "I agree that the final report will clearly show the Co-operative Difference that this project will deliver.",
]
AIM_HEADINGS = ["Social partnerships. CCIN says: We will strengthen", "Democratic engagement. CCIN says:",
                "Co-production. CCIN says:", "Enterprise and social economy. CCIN says:",
                "Community leadership and a new role for councillors. CCIN says:",
                "New models of meeting priority needs. CCIN says:", "Innovation. CCIN says:", "Learning. CCIN says:"]


def paragraphs(text: str) -> list[str]:
    """Text as its paragraphs and list items, whitespace normalised: what a person reads."""
    return [" ".join(re.sub(r"^\s*-\s+", "", line).split()) for line in text.splitlines() if line.strip()]


def split_txt(text: str) -> list[tuple[list[str], str, str]]:
    """The .txt sheet back into (header lines, answer, note) per box."""
    boxes = []
    for chunk in text.split(RULE + "\n")[1:]:
        header, answer, note = chunk.split(THIN + "\n")
        boxes.append((header.strip().splitlines(), answer.removesuffix("\n"), note.strip()))
    return boxes


def expected_answers(bid: dict[str, Any]) -> list[list[str]]:
    """What each box must hold for this bid, read straight from the record, in the form's order."""
    aims = [paragraphs(bid["aims"][aim.key]) for aim in AIMS]
    walking = paragraphs(bid["walking_the_talk"])
    walking[0] = re.sub(r'^We will demonstrate how CCIN "walks the talk" by ', "", walking[0])
    outcomes = bid["outcomes"]
    return [
        [bid["lead_organisation"]], [bid["contact"]["name"]], [bid["contact"]["job_title"]],
        [bid["contact"]["phone"]], [bid["contact"]["email"]], [bid["title"]], ["17,500.00"],
        paragraphs(bid["summary"]), [partner["name"] for partner in bid["partners"]],
        [], paragraphs(bid["idea"]),
        [f"Input: {outcomes['inputs'][0]}", "Outputs:", *(o["description"] for o in outcomes["outputs"]),
         "Outcomes:", *outcomes["outcomes"]],
        *aims, walking, paragraphs(bid["values_and_principles"]), paragraphs(bid["sharing_learning"]), ["Agreed"],
    ]


def test_the_sheet_asks_every_question_of_the_form_in_its_order_and_words(bid: dict[str, Any]) -> None:
    answers = paste_answers(load_bid(bid))
    assert [item["question"] for item in answers] == FORM_WORDS == [question.question for question in FORM]
    assert [item["heading"][:len(start)] for item, start in zip(answers[12:20], AIM_HEADINGS, strict=True)] == \
        AIM_HEADINGS
    assert [item["number"] for item in answers] == list(range(1, len(FORM_WORDS) + 1))


def test_every_answer_of_the_example_is_there_and_nothing_added(bid: dict[str, Any]) -> None:
    answers = paste_answers(load_bid(bid))
    for item, expected in zip(answers, expected_answers(bid), strict=True):
        if item["key"] == "budget":
            continue  # below: the form's budget box is written from the lines
        assert paragraphs(item["answer"]) == expected, item["question"]
        assert item["words"] == count_words(item["answer"])
    assert answers[7]["words"] == 130 and answers[7]["word_limit"] == 150


def test_the_budget_is_one_line_per_budget_line_with_amount_purpose_and_match(bid: dict[str, Any]) -> None:
    budget = next(item for item in paste_answers(load_bid(bid)) if item["key"] == "budget")
    assert budget["answer"].splitlines() == [
        "£5,000.00: Towards match funding for training and participation in workshops. Match funding from "
        'Lottery funding for a "Live Well" accelerator led by Rochdale Borough Council and Action Together.',
        "£6,000.00 (£1,000.00 × 6): £1,000 each core partner (Rochdale and the five partners above) to support the "
        "attendance and involvement of local people in the training and community of practice",
        "£5,000.00: Co-production activities with core partners. Match funding from Lottery funding in Rochdale.",
        "£6,500.00: Design, printing and distribution of materials such as zines and other creative materials, "
        "along with a report",
        "Total: £22,500.00",
    ]
    assert "do not add up" in budget["note"]


def test_the_text_file_holds_the_same_answers_exactly(bid: dict[str, Any]) -> None:
    loaded = load_bid(bid)
    boxes = split_txt(bid_txt(loaded))
    answers = paste_answers(loaded)
    assert len(boxes) == len(FORM)
    for (header, answer, note), item in zip(boxes, answers, strict=True):
        assert header[-1].endswith(item["question"]) and answer == item["answer"]
        assert note.startswith(f"{item['words']} word")
    assert boxes[12][0] == [f"13. {answers[12]['group']}", answers[12]["heading"], "We will do:"]


@pytest.mark.parametrize("text", ["Workstreams", "(council)", "(affiliate)", "None", "No target set", "☒",
                                  "DRAFT"])
def test_the_sheet_adds_nothing_the_form_does_not_ask(bid: dict[str, Any], text: str) -> None:
    loaded = load_bid(bid)
    assert text not in bid_txt(loaded) and text not in bid_md(loaded)


def test_markdown_heads_each_box_with_the_forms_words(bid: dict[str, Any]) -> None:
    markdown = bid_md(load_bid(bid))
    headings = [line for line in markdown.splitlines() if line.startswith("## ")]
    assert len(headings) == len(FORM)
    assert headings[6] == "## 7. How much funding are you applying for?"
    assert "\n- Trauma informed engagement\n- Holding the Met to account\n" in markdown


def variant(bid: dict[str, Any], change: str) -> dict[str, Any]:
    data = copy.deepcopy(bid)
    if change == "empty optional":
        data.update(idea="", walking_the_talk="", values_and_principles="", sharing_learning="", partners=[],
                    workstreams=[], aims={}, outcomes={}, co_operative_difference_agreed=False)
    elif change == "emoji":
        data["summary"] = "We co-operate 🤝 with <b>everyone</b> & *all* # of us 🎉"
        data["partners"] = [{"name": "Café 🌱 Co-op", "kind": "other"}]
    elif change == "longest":
        data["summary"] = " ".join(["word"] * 1000)  # 4,999 characters: the limit
        data["budget"] = [{"description": "x" * 2000, "amount": "1.00", "quantity": 10000}] * 100
        data["partners"] = [{"name": "P" * 300, "kind": "council"}] * 50
    elif change == "workstreams not in the idea":
        data["workstreams"] = ["A new strand of work"]
    elif change == "stated match":
        data["budget"][0]["match_funding"] = {"amount": "2500", "source": "The lottery"}
    return data


@pytest.mark.parametrize("change", ["empty optional", "emoji", "longest", "workstreams not in the idea",
                                    "stated match"])
def test_every_box_is_there_for_any_bid(bid: dict[str, Any], change: str) -> None:
    loaded = load_bid(variant(bid, change))
    answers = paste_answers(loaded)
    assert [item["question"] for item in answers] == FORM_WORDS
    assert len(split_txt(bid_txt(loaded))) == len(FORM)
    by_key = {item["key"]: item for item in answers}
    if change == "empty optional":
        assert by_key["idea"]["answer"] == "" and by_key["idea"]["note"] == "Not answered yet."
        assert by_key["co_operative_difference_agreed"]["note"].startswith("Not agreed yet")
    elif change == "emoji":
        assert by_key["partners"]["answer"] == "Café 🌱 Co-op"
        assert by_key["summary"]["answer"] == loaded["summary"]  # plain text, pasted as typed
        assert "with <b>everyone</b> & *all* # of us" in bid_txt(loaded)  # the text file is the typed text
        assert r"with \<b\>everyone\</b\> & \*all\* # of us" in bid_md(loaded)  # Markdown reads no markup
    elif change == "longest":
        assert by_key["summary"]["words"] == 1000 and "over the limit" in bid_txt(loaded)
        assert len(by_key["budget"]["answer"].splitlines()) == 101
    elif change == "workstreams not in the idea":
        assert by_key["idea"]["answer"].endswith("\n- A new strand of work")
    else:
        assert "Match funding £2,500.00 from The lottery." in by_key["budget"]["answer"]


@pytest.mark.parametrize(("fmt", "media", "start"), [("txt", "text/plain; charset=utf-8", "Ready for the funder"),
                                                      ("md", "text/markdown; charset=utf-8", "# Ready for the")])
def test_the_kinds_table_offers_the_sheet(bid: dict[str, Any], fmt: str, media: str, start: str) -> None:
    assert fmt in FORMATS["bid"] and FORMATS["bid"][0] == "docx"
    row = find_kind("bid", fmt)
    rendered = row.render(SOURCES, {"bid": load_bid(bid), "generated_on": "2026-11-24"})
    assert row.media_type == media and rendered.data.decode("utf-8").startswith(start)
