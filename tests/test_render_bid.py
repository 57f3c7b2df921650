"""service/render/bid.py and docx.py: the draft bid as Word and LibreOffice see it."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from labdocs.domain.funder_form import AIMS
from labdocs.render import bundled_sources
from labdocs.render.bid import render_bid_docx
from labdocs.schemas.bid import load_bid

from .docx_reading import headings, libreoffice_pdf, open_docx, paragraphs, pdf_text, rows, section

SOURCES = bundled_sources(lambda key: b"")


def render(bid: dict[str, Any]) -> bytes:
    return render_bid_docx(SOURCES, {"bid": load_bid(bid), "generated_on": "2026-11-24"}).data


@pytest.fixture
def example_docx(bid: dict[str, Any]) -> bytes:
    return render(bid)


def test_follows_the_form_in_order(example_docx: bytes) -> None:
    doc = open_docx(example_docx)
    assert paragraphs(doc)[:2] == [("Title", "Co-operative Governance"),
                                   ("Subtitle Line", "CCIN Innovation Funding 2024 - Policy Lab")]
    assert headings(doc, 1) == [
        "Project details",
        "Summary of project idea (150 words max)",
        "Which other CCIN members will work on this project?",
        "Provide a detailed budget of how you will spend the budget and whether you are bringing in other "
        "funding.",
        "What is your idea and how will you allocate the budget?",
        "What are the outcomes you hope to achieve?",
        "How does your project support the aims and objectives of the Co-operative Councils Innovation Network?",
        "How does your project support the CCIN Statement of Values and Principles?",
        "How will you share your learning across the Co-operative Councils' Innovation Network?",
        "Declaration",
        "Appendix: the budget and outputs as tables",
        "Checklist before you submit",
    ]
    assert doc.core_properties.title == "Co-operative Governance: draft bid"


def test_contact_table(example_docx: bytes) -> None:
    table = open_docx(example_docx).tables[0]
    assert rows(table) == [
        ["Organisation leading the project", "Rochdale Borough Council"],
        ["Lead Councillor or Officer", "Sam Example"],
        ["Job Title", "Reform and Prevention Lead"],
        ["Contact Telephone", "01632 960000"],
        ["Contact Email", "policy.lab@example.org"],
        ["Project Title", "Co-operative Governance"],
        ["How much funding are you applying for?", "£17,500.00"],
    ]


def test_budget_is_the_forms_prose_one_line_per_budget_line(example_docx: bytes) -> None:
    doc = open_docx(example_docx)
    body = section(doc, headings(doc, 1)[3])
    assert [style for style, _ in body] == ["Normal"] * 5
    assert body[1][1].startswith("£6,000.00 (£1,000.00 × 6): £1,000 each core partner")
    assert body[0][1].endswith('Match funding from Lottery funding for a "Live Well" accelerator led by Rochdale '
                               "Borough Council and Action Together.")
    assert body[-1][1] == "Total: £22,500.00"


def test_the_appendix_has_the_budget_as_a_table_with_a_computed_total(example_docx: bytes) -> None:
    doc = open_docx(example_docx)
    budget = rows(doc.tables[1])
    assert budget[0] == ["Item", "Amount", "Qty", "Line total", "Match funding"]
    assert [row[1:4] for row in budget[1:5]] == [
        ["£5,000.00", "1", "£5,000.00"],
        ["£1,000.00", "6", "£6,000.00"],
        ["£5,000.00", "1", "£5,000.00"],
        ["£6,500.00", "1", "£6,500.00"],
    ]
    assert budget[1][4] == ('Lottery funding for a "Live Well" accelerator led by Rochdale Borough Council and '
                            "Action Together (amount not stated)")
    assert budget[4][4] == ""
    assert budget[5][0] == "Total of budget lines" and budget[5][3] == "£22,500.00"
    assert len(budget) == 6
    header = doc.tables[1].rows[0]._tr
    assert header.find(".//{*}tblHeader") is not None, "header row repeats on each page"
    notes = section(doc, "Checklist before you submit")
    assert ("Note", "Funding requested: £17,500.00. Budget lines total: £22,500.00. They differ by £5,000.00.") \
        in notes  # labdocs' sum is a note in the checklist, not in the bid


def test_idea_list_is_real_word_bullets(example_docx: bytes, bid: dict[str, Any]) -> None:
    doc = open_docx(example_docx)
    idea = section(doc, "What is your idea and how will you allocate the budget?")
    bullets = [text for style, text in idea if style == "List Bullet"]
    assert bullets == bid["workstreams"]  # the idea's own list, once: the form has no Workstreams question
    assert "Workstreams" not in headings(doc, 2)
    assert ("Normal", "Please note, we are not seeking funding \"for\" these pieces of work; this is a list of "
            "work that is already happening. The lab would be to explore and understand how a co-operative "
            "governance approach could support these agendas, making the processes around them clearer and "
            "more inclusive.") in idea


def test_each_aim_has_the_networks_words_and_the_labs(example_docx: bytes, bid: dict[str, Any]) -> None:
    doc = open_docx(example_docx)
    for aim in AIMS:
        body = section(doc, aim.title)
        assert body[0] == ("CCIN Says", f"CCIN says: {aim.ccin_says}")
        assert body[1] == ("Label", "We will do:")
        assert body[2] == ("Normal", bid["aims"][aim.key])


def test_outcomes_are_the_forms_prose_and_the_appendix_shows_targets(example_docx: bytes,
                                                                     bid: dict[str, Any]) -> None:
    doc = open_docx(example_docx)
    outcomes = [text for _, text in section(doc, "What are the outcomes you hope to achieve?")]
    assert outcomes == [f"Input: {bid['outcomes']['inputs'][0]}", "Outputs:",
                        *(output["description"] for output in bid["outcomes"]["outputs"]), "Outcomes:",
                        *bid["outcomes"]["outcomes"]]
    outputs = rows(doc.tables[2])
    assert outputs[0] == ["Output", "Target"]
    assert outputs[1][1] == "30 people"
    assert [row[1] for row in outputs[2:]] == [""] * 4


def test_checklist_ends_the_draft(example_docx: bytes) -> None:
    doc = open_docx(example_docx)
    tail = section(doc, "Checklist before you submit")
    assert tail[0][1].startswith("Delete this checklist and the appendix before you submit the application: they "
                                 "are labdocs' notes, not part of the bid. This draft was prepared with labdocs on "
                                 "24 November 2026")
    assert ("Note", "Summary of project idea (150 words max): 130 words (the form allows 150).") in tail
    checklist = rows(doc.tables[-1])
    assert [row[:2] for row in checklist] == [
        ["Rule", "Result"],
        ["Summary is 150 words or fewer", "Pass"],
        ["Budget lines add up to the funding requested", "Fix"],
        ["Every question is answered", "Pass"],
        ["Every output has a measurable target", "Improve"],
        ["Every network aim says what the lab will do", "Pass"],
        ["The Co-operative Difference declaration is agreed", "Pass"],
    ]
    assert checklist[2][2].startswith("The budget lines add up to £22,500.00")
    assert checklist[1][2] == "Nothing to fix."
    assert tail[-1][1] == "1 to fix before submitting, 4 worth improving."


def test_declaration(bid: dict[str, Any]) -> None:
    agreed = section(open_docx(render(bid)), "Declaration")[0][1]
    assert agreed.startswith("Agreed: I agree that the final report will clearly show the Co-operative")
    bid["co_operative_difference_agreed"] = False
    assert section(open_docx(render(bid)), "Declaration")[0][1].startswith("Not yet agreed: I agree")


HOSTILE = [
    "{{ config }}",
    "{{ 7 * 7 }} {% for x in range(3) %}x{% endfor %}",
    "</w:t></w:r></w:p><w:p><w:r><w:t>injected",
    "Fish & chips <b>bold</b> \"quoted\" 'single' {%p if true %}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_user_text_renders_literally(bid: dict[str, Any], text: str) -> None:
    bid["title"] = text
    bid["summary"] = text
    bid["budget"][0]["description"] = text
    bid["aims"]["innovation"] = text
    doc = open_docx(render(bid))
    assert paragraphs(doc)[0] == ("Title", text)
    assert section(doc, "Summary of project idea (150 words max)")[0] == ("Normal", text)
    assert rows(doc.tables[1])[1][0] == text
    assert section(doc, headings(doc, 1)[3])[0][1].startswith(f"£5,000.00: {' '.join(text.split())}")
    assert section(doc, "Innovation")[2] == ("Normal", text)
    assert doc.core_properties.title == f"{text}: draft bid"


def test_newlines_become_paragraphs_and_empty_answers_are_visible(bid: dict[str, Any]) -> None:
    bid["summary"] = "First line.\nSecond line.\n\n\nThird, after blank lines."
    bid["aims"]["learning"] = ""
    doc = open_docx(render(bid))
    assert section(doc, "Summary of project idea (150 words max)")[:3] == [
        ("Normal", "First line."), ("Normal", "Second line."), ("Normal", "Third, after blank lines.")]
    assert section(doc, "Learning")[2] == ("Normal", "Not answered yet.")


@pytest.mark.slow
def test_libreoffice_opens_and_converts_it(example_docx: bytes, tmp_path: Path) -> None:
    source = tmp_path / "bid.docx"
    source.write_bytes(example_docx)
    pdf = libreoffice_pdf(source, tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert 6 <= pages <= 14
    text = pdf_text(pdf)
    for expected in ("Co-operative Governance", "£22,500.00", "Checklist before you submit",
                     "Trauma informed engagement", "CCIN says: We will embrace innovation"):
        assert expected in text
