"""zines.py: a first draft from the project, each page filled to its space as measured in the format's type.

Whether the drafted text really fits is checked against WeasyPrint's layout in tests/test_fitting.py; here, what
the drafter says: whole sentences, lists as lists, nothing dropped without saying so, the report's notes kept.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from labdocs.domain.text import to_blocks
from labdocs.render.fitting import frame
from labdocs.schemas.bid import load_bid
from labdocs.schemas.report import load_report
from labdocs.schemas.zine import FORMATS, MAX_PAGES, load_zine
from labdocs.zines import cut_words, draft, draft_choices, fill, sentences
from tests.labs import CASES, lab, workstreams

MORE = re.compile(r"…and (\d+) more workstreams?, in the full bid")


def drafted(name: str, fmt: str, bid: dict[str, Any], report: dict[str, Any]) -> dict[str, Any]:
    made_bid, made_report = lab(name, bid, report)
    return load_zine(draft(made_bid, made_report, fmt))


def workstreams_shown(zine: dict[str, Any]) -> tuple[list[str], int]:
    """The workstreams listed on the zine's pages, and how many it says there are besides."""
    pages = [page for page in zine["pages"] if page["heading"].startswith("What we are working on")]
    shown = [block["text"] for page in pages for block in to_blocks(page["body"]) if block["bullet"]]
    more = [int(found[1]) for page in pages if (found := MORE.search(page["body"]))]
    return shown, sum(more)


@pytest.mark.parametrize("fmt", FORMATS)
def test_draft_from_bid_and_report(fmt: str, bid: dict[str, Any], report: dict[str, Any]) -> None:
    zine = load_zine(draft(load_bid(bid), load_report(report), fmt))
    assert [page["layout"] for page in zine["pages"]] == ["cover", "text", "text", "text", "quote", "text", "text",
                                                          "back"]
    assert zine["title"] == "Co-operative Governance" and zine["pages"][0]["heading"] == ""  # the cover prints it
    assert zine["pages"][4]["quote"] == report["case_studies"][0]["quote"]  # whole: it fits
    assert zine["pages"][5]["image"] == "asset:round-table.png"  # the report's pictured case study
    assert "- Action Together" in zine["pages"][7]["body"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_invented_quote_still_says_so(fmt: str, bid: dict[str, Any], report: dict[str, Any]) -> None:
    """The example report says its quotes are invented: the quote's attribution says it, and the back page
    carries the report's notice in full."""
    zine = load_zine(draft(load_bid(bid), load_report(report), fmt))
    assert zine["pages"][4]["quote_by"] == "Panel member, Rochdale (an invented example)"
    assert report["notice"] in zine["pages"][-1]["body"]


def test_a_real_quote_keeps_its_attribution_as_given(bid: dict[str, Any], report: dict[str, Any]) -> None:
    report["notice"] = ""
    zine = load_zine(draft(load_bid(bid), load_report(report), "minizine-a4"))
    assert zine["pages"][4]["quote_by"] == "Panel member, Rochdale"
    assert "invented" not in zine["pages"][-1]["body"]


def test_a_notice_that_is_not_about_examples_is_kept_but_not_called_invented(bid: dict[str, Any],
                                                                            report: dict[str, Any]) -> None:
    report["notice"] = "Draft: not for publication"
    zine = load_zine(draft(load_bid(bid), load_report(report), "booklet-a5"))
    assert zine["pages"][4]["quote_by"] == "Panel member, Rochdale"
    assert zine["pages"][-1]["body"].endswith("Draft: not for publication")


@pytest.mark.parametrize("fmt", FORMATS)
def test_workstreams_stay_a_list_and_none_is_dropped_silently(fmt: str, bid: dict[str, Any],
                                                              report: dict[str, Any]) -> None:
    """The example's 15 workstreams: a booklet lists them all; a mini-zine, with the quote on page 5, lists
    what fits and says how many more the bid has."""
    zine = load_zine(draft(load_bid(bid), load_report(report), fmt))
    shown, more = workstreams_shown(zine)
    assert shown == bid["workstreams"][: len(shown)]  # whole items, in order, as bullet points
    assert len(shown) + more == len(bid["workstreams"]) == 15
    assert (more == 0) == (fmt == "booklet-a5")
    assert " - " not in zine["pages"][3]["body"]


def test_a_mini_zine_without_a_quote_carries_the_list_on(bid: dict[str, Any]) -> None:
    zine = load_zine(draft(load_bid(bid), None, "minizine-a4"))
    assert [page["heading"] for page in zine["pages"][3:5]] == ["What we are working on",
                                                                 "What we are working on (continued)"]
    shown, more = workstreams_shown(zine)
    assert shown == bid["workstreams"] and more == 0


@pytest.mark.parametrize(("name", "fmt"), [("40 workstreams", "booklet-a5"), ("largest", "booklet-a5"),
                                           ("40 workstreams", "minizine-a4"), ("largest", "minizine-letter")])
def test_many_workstreams_carry_on_over_pages_or_are_counted(name: str, fmt: str, bid: dict[str, Any],
                                                             report: dict[str, Any]) -> None:
    made_bid, _ = lab(name, bid, report)
    zine = drafted(name, fmt, bid, report)
    shown, more = workstreams_shown(zine)
    assert len(shown) + more == len(made_bid["workstreams"])
    assert len(zine["pages"]) == 8 if fmt != "booklet-a5" else len(zine["pages"]) % 4 == 0
    assert len(zine["pages"]) <= MAX_PAGES
    headings = [page["heading"] for page in zine["pages"]]
    if fmt == "booklet-a5":
        assert headings.count("What we are working on (continued)") >= 2


@pytest.mark.parametrize("fmt", FORMATS)
def test_paragraphs_break_at_sentence_ends(fmt: str, bid: dict[str, Any], report: dict[str, Any]) -> None:
    """Eight long summary paragraphs: each page ends at the end of a sentence, with no ellipsis, and every
    sentence it shows is one of the summary's."""
    made_bid, _ = lab("long summary", bid, report)
    zine = drafted("long summary", fmt, bid, report)
    source = {sentence for paragraph in made_bid["summary"].splitlines() for sentence in sentences(paragraph)}
    for page in zine["pages"][1:3]:
        blocks = to_blocks(page["body"])
        assert blocks and blocks[-1]["text"].endswith(".") and "…" not in page["body"]
        assert {sentence for block in blocks for sentence in sentences(block["text"])} <= source


def test_a_sentence_longer_than_the_page_is_cut_at_a_word_and_says_so(bid: dict[str, Any],
                                                                      report: dict[str, Any]) -> None:
    zine = drafted("unspaced", "minizine-a4", bid, report)
    cut = to_blocks(zine["pages"][2]["body"])[-1]["text"]  # the 276-word sentence, on the page after the URL
    assert cut.endswith("…") and cut.startswith("co-operative governance means")
    assert zine["pages"][4]["quote"].endswith("…")  # the quote, one long sentence, likewise


def test_a_word_too_wide_for_any_line_is_shortened_and_says_so(bid: dict[str, Any], report: dict[str, Any]) -> None:
    zine = drafted("unspaced", "booklet-a5", bid, report)
    first = to_blocks(zine["pages"][3]["body"])[0]["text"]
    assert first.startswith("xxxx") and first.endswith("…") and len(first) < 100
    assert "https://example.org/aaa" in zine["pages"][1]["body"]


def test_lists_in_answers_stay_lists(bid: dict[str, Any], report: dict[str, Any]) -> None:
    zine = drafted("bulleted", "booklet-a5", bid, report)
    blocks = to_blocks(zine["pages"][1]["body"])
    assert blocks[0] == {"bullet": False, "text": "We will:"}
    assert len(blocks) > 3 and all(block["bullet"] for block in blocks[1:])
    difference = next(page for page in zine["pages"] if page["heading"] == "The co-operative difference")
    assert difference["body"] == "How we worked:\n\n- openly\n- by consent\n- sharing the budget"


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", list(CASES))
def test_every_generated_project_drafts_a_valid_zine(name: str, fmt: str, bid: dict[str, Any],
                                                     report: dict[str, Any]) -> None:
    zine = drafted(name, fmt, bid, report)
    assert zine["pages"][0]["layout"] == "cover" and zine["pages"][-1]["layout"] == "back"
    assert zine["title"] and zine["pages"][-1]["body"]
    assert len(zine["pages"]) == 8 if fmt != "booklet-a5" else len(zine["pages"]) <= MAX_PAGES


def test_empty_pages_give_way_to_something_to_say(bid: dict[str, Any], report: dict[str, Any]) -> None:
    """No workstreams: the case study fills the page in a mini-zine; with nothing at all to say, a booklet drops
    the page (padding to four pages is the renderer's), while a mini-zine keeps its eight."""
    zine = drafted("0 workstreams", "minizine-a4", bid, report)
    assert zine["pages"][3]["heading"] == "A commissioning panel that decides by consent"
    booklet = drafted("shortest", "booklet-a5", bid, report)
    assert booklet["title"] == "Lab"
    assert [page["heading"] for page in booklet["pages"]] == ["", "What this lab is about",
                                                               "The co-operative difference", "Who made this"]
    assert len(drafted("shortest", "minizine-a4", bid, report)["pages"]) == 8


def test_the_partners_that_do_not_fit_are_counted(bid: dict[str, Any], report: dict[str, Any]) -> None:
    made_bid, _ = lab("largest", bid, report)
    back = drafted("largest", "minizine-a4", bid, report)["pages"][-1]
    listed = [block for block in to_blocks(back["body"]) if block["bullet"]]
    found = re.search(r"…and (\d+) more partners, in the full bid", back["body"])
    assert found and len(listed) + int(found[1]) == 1 + len(made_bid["partners"])
    assert "Contact details are in the full bid." in back["body"]  # the address is wider than the page


def test_fill_keeps_whole_sentences_and_hands_on_the_rest() -> None:
    space = frame("booklet-a5")
    first, second, third = (f"Sentence {n} says what the lab did with the people it worked with, at length, in the"
                            " open, and with the residents it served." for n in "123")
    blocks = to_blocks(f"{first} {second} {third}\n- an item")
    kept, rest = fill(space, blocks, space.height_of(f"{first} {second}"))
    assert kept == [{"bullet": False, "text": f"{first} {second}"}]
    assert rest == [{"bullet": False, "text": third}, {"bullet": True, "text": "an item"}]


def test_cut_words_ends_at_a_clause_when_it_can() -> None:
    space = frame("booklet-a5")
    text = "The panel, which had always voted, tried consent decision making for its spring grants round " * 3
    cut = cut_words(space, text, space.height_of("x"), False)
    assert cut.endswith("…") and text.startswith(cut[:-1]) and cut != "…"
    assert cut_words(space, "word", 0.0, False) == ""


def test_pages_are_measured_in_the_theme_font(bid: dict[str, Any], report: dict[str, Any]) -> None:
    """Inter is wider than Lato, so a page drafted for it holds fewer of the same workstreams (140 characters
    each, in a Letter mini-zine: 6 in Lato, 4 in Inter at the mini-zine's 8 pt)."""
    workstreams(40, 140)(bid, report)
    made_bid, made_report = load_bid(bid), load_report(report)
    lato, inter = (load_zine(draft(made_bid, made_report, "minizine-letter", font)) for font in ("lato", "inter"))
    assert len(workstreams_shown(inter)[0]) < len(workstreams_shown(lato)[0])


@pytest.mark.parametrize(("options", "choices"), [
    ({}, ("booklet-a5", "lato", "A policy lab zine")),
    ({"format": "minizine-a4", "theme": {"font": "inter"}, "subtitle": "Our lab"}, ("minizine-a4", "inter", "Our lab")),
    ({"format": [], "theme": "dark", "subtitle": 3}, ("", "lato", "")),  # the schema names these; a draft is made
    ({"theme": {"font": None}}, ("booklet-a5", "lato", "A policy lab zine")),
])
def test_the_draft_is_measured_in_the_callers_choices(options: dict[str, Any], choices: tuple[str, str, str]) -> None:
    assert draft_choices(options) == choices



def test_a_long_attribution_is_shortened_at_a_word_and_still_says_invented(bid: dict[str, Any],
                                                                          report: dict[str, Any]) -> None:
    _, made_report = lab("largest", bid, report)
    zine = drafted("largest", "booklet-a5", bid, report)
    by = next(page for page in zine["pages"] if page["layout"] == "quote")["quote_by"]
    assert by.endswith("… (an invented example)") and len(by) <= 300
    kept = by.removesuffix("… (an invented example)")
    assert made_report and (made_report["case_studies"][0]["quote_by"] + " ").startswith(kept + " ")
