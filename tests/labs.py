"""Generated projects for the drafter's tests: the example bid and report stretched to their edges (no, one or
many workstreams, long and short text, emoji and other scripts, empty optional fields, the largest values the
bid and report schemas allow), each validated as a real bid and report."""

from __future__ import annotations

import copy
import random
from typing import Any

from labdocs.schemas.bid import load_bid
from labdocs.schemas.report import load_report

TEXT = ("co-operative governance means deciding together, in the open, with the people a decision affects; "
        "residents, officers and councillors learn it by doing it.")
WORDS = TEXT.split(" ")
LONG_SENTENCE = " ".join(WORDS * 12).replace(".", "") + "."  # one sentence of 276 words
SCRIPTS = ("Cyngor Sir Gâr a chymunedau lleol 🤝 🌱 — Συνεργατική διακυβέρνηση, кооперативное управление, "
           "التعاون في الحكم المحلي, 協同組合の自治体運営を学ぶ。 地域の人々と一緒に決める。 ")

# Words in the scripts a zine may mix: Greek and Cyrillic are in every bundled font; Arabic, Devanagari, Japanese
# and emoji in none (they print in whatever stand-in font the machine has, or as empty boxes).
SCRIPT_WORDS = {"latin": ["co-operative", "governance", "decides", "together", "in", "the", "open"],
                "greek": ["Συνεργατική", "διακυβέρνηση", "αποφασίζουμε", "μαζί"],
                "cyrillic": ["кооперативное", "управление", "решаем", "вместе"],
                "arabic": ["التعاون", "في", "الحكم", "المحلي"],
                "devanagari": ["सहकारी", "शासन", "मिलकर", "निर्णय"],
                "cjk": ["協同組合の", "自治体運営を学ぶ。", "地域の人々と"],
                "emoji": ["🤝", "🌱", "🏛️"]}


def mixed(seed: int, count: int) -> str:
    """Generated text: `count` runs of one to four words, each run in a script chosen at random."""
    rng = random.Random(seed)
    runs = []
    for _ in range(count):
        words = SCRIPT_WORDS[rng.choice(list(SCRIPT_WORDS))]
        start = rng.randrange(len(words))
        runs.append(" ".join(words[start:start + rng.randint(1, 4)]))
    return " ".join(runs)


def prose(characters: int, sentence_words: int = 12) -> str:
    """Plain sentences of about `characters` characters (at most that many), `sentence_words` words each."""
    words: list[str] = []
    out = ""
    while True:
        words.append(WORDS[len(words) % len(WORDS)])
        sentence = " ".join(words).capitalize() + "."
        if len(words) % sentence_words == 0:
            if len(out) + len(sentence) + 1 > characters:
                return out.strip() or sentence[:characters]
            out, words = f"{out} {sentence}", []
        elif len(out) + len(sentence) + 1 > characters:
            return (out or sentence[:characters - 1] + ".").strip()


def lab(name: str, example_bid: dict[str, Any], example_report: dict[str, Any]) -> tuple[dict[str, Any],
                                                                                          dict[str, Any] | None]:
    """One generated project by name (see CASES): its validated bid and report (None: no report yet)."""
    bid, report = copy.deepcopy(example_bid), copy.deepcopy(example_report)
    CASES[name](bid, report)
    return load_bid(bid), (load_report(report) if report.get("period") else None)


def no_report(bid: dict[str, Any], report: dict[str, Any]) -> None:
    report.clear()


def workstreams(count: int, characters: int = 60) -> Any:
    def change(bid: dict[str, Any], report: dict[str, Any]) -> None:
        bid["workstreams"] = [f"Workstream {n + 1}: " + prose(characters - 16, 6) for n in range(count)]
    return change


def largest(bid: dict[str, Any], report: dict[str, Any]) -> None:
    """Every field the drafter reads at the longest the schemas allow, and every list at its cap."""
    bid.update(title=prose(300, 40), lead_organisation=prose(300, 40), summary="\n\n".join([prose(2400, 30)] * 2),
               idea=prose(20000, 30), walking_the_talk=prose(20000, 30), sharing_learning=prose(20000, 30),
               workstreams=[prose(500, 80) for _ in range(50)],
               partners=[{"name": f"{n} " + prose(290, 60), "kind": "other"} for n in range(50)])
    bid["contact"]["email"] = "a" * 64 + "@" + ".".join(["b" * 60] * 3) + ".org"
    study = {"title": prose(300, 50), "story": prose(10000), "quote": prose(2000, 40), "quote_by": prose(300, 50),
             "image": "asset:round-table.png", "alt": prose(500)}
    report.update(notice="Example report: " + prose(280), case_studies=[study] * 20,
                  co_operative_difference=prose(20000), next_steps=prose(20000))


def shortest(bid: dict[str, Any], report: dict[str, Any]) -> None:
    """One-word answers, no workstreams or partners, optional fields empty; a report without case studies."""
    bid.update(title="Lab", lead_organisation="Rochdale", summary="Hi.", idea="", walking_the_talk="",
               sharing_learning="", workstreams=[], partners=[], values_and_principles="")
    report.update(case_studies=[], next_steps="", notice="", co_operative_difference="Yes.")


def unspaced(bid: dict[str, Any], report: dict[str, Any]) -> None:
    """Words no line can hold (a long URL, a run with no spaces) and a sentence longer than a page."""
    bid.update(summary="See https://example.org/" + "a" * 400 + " for more.\n" + LONG_SENTENCE,
               workstreams=["x" * 500, "Short one"])
    report["case_studies"][0]["quote"] = LONG_SENTENCE[:1200] + "."


def scripts(bid: dict[str, Any], report: dict[str, Any]) -> None:
    """Emoji, Welsh, Greek, Cyrillic, Arabic and Japanese in every field the drafter uses."""
    bid.update(title="Cydweithio 🤝 協同", summary=SCRIPTS * 12, idea=SCRIPTS * 30,
               workstreams=[SCRIPTS[: 40 + 7 * n] for n in range(15)])
    bid["partners"] = [{"name": SCRIPTS[n * 10: n * 10 + 30], "kind": "other"} for n in range(10)]
    report["case_studies"][0]["quote"] = SCRIPTS * 2
    report["co_operative_difference"] = SCRIPTS * 20


def long_summary(bid: dict[str, Any], report: dict[str, Any]) -> None:
    bid["summary"] = "\n".join(prose(600) for _ in range(8))


def bulleted(bid: dict[str, Any], report: dict[str, Any]) -> None:
    """Lists inside the answers: the summary and the difference as a lead-in and bullet points."""
    bid["summary"] = "We will:\n" + "\n".join(f"- {prose(90, 6)}" for _ in range(12))
    report["co_operative_difference"] = "How we worked:\n- openly\n- by consent\n- sharing the budget"


def unquoted(bid: dict[str, Any], report: dict[str, Any]) -> None:
    """Case studies with no quotes and no pictures (the quote page gives way)."""
    for study in report["case_studies"]:
        study.update(quote="", quote_by="", image=None, alt="")


CASES = {
    "example": lambda bid, report: None, "no report": no_report, "0 workstreams": workstreams(0),
    "1 workstream": workstreams(1), "15 workstreams": workstreams(15), "40 workstreams": workstreams(40, 200),
    "largest": largest, "shortest": shortest, "unspaced": unspaced, "scripts": scripts,
    "long summary": long_summary, "bulleted": bulleted, "unquoted": unquoted,
}
