"""render/fitting.py: text measured in the bundled fonts, checked against WeasyPrint's own layout of the zine.

The drafter fills pages by these measurements; here drafted zines (tests/labs.py: the example and projects at
their edges) are laid out by the real renderer, and WeasyPrint's layout tree is read back: every line and picture
in a page's text box must end inside that box. If zine.css changes and fitting.TYPE does not, this fails.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from weasyprint import HTML
from weasyprint.formatting_structure import boxes

from labdocs.render import ASSETS, TEMPLATES, bundled_sources, fitting
from labdocs.render.fitting import TYPE, Style, frame, line_count, text_width
from labdocs.render.geometry import mm
from labdocs.render.legibility import measure_text
from labdocs.render.pdf import SCHEME, make_fetcher, stylesheet
from labdocs.render.zine import reader_html, render_zine, zine_geometry
from labdocs.schemas.bid import load_bid
from labdocs.schemas.report import load_report
from labdocs.schemas.zine import FORMATS, load_zine
from labdocs.zines import draft
from tests.labs import CASES, SCRIPT_WORDS, WORDS, lab, mixed

SOURCES = bundled_sources(lambda key: (ASSETS / "images" / "round-table.png").read_bytes())
PX_PER_PT = 4 / 3  # WeasyPrint lays out in CSS pixels
Problem = tuple[int, str, float]


def laid_out(zine: dict[str, Any]) -> Any:
    """The zine's reader pages as WeasyPrint lays them out (the same HTML and stylesheet as reader.pdf)."""
    html, resources, _ = reader_html(SOURCES, {"zine": zine, "images": {}}, zine_geometry(zine), False)
    path = TEMPLATES / "html" / "zine.css"
    css, fonts = stylesheet(path, path.stat().st_mtime_ns, ASSETS)
    document = HTML(string=html, base_url=SCHEME, url_fetcher=make_fetcher(ASSETS, resources))
    return document.render(stylesheets=[css], font_config=fonts)


def classes(box: Any) -> list[str]:
    element = getattr(box, "element", None)
    return (element.get("class") or "").split() if element is not None and hasattr(element, "get") else []


def text_boxes(document: Any) -> Iterator[tuple[int, Any, Any]]:
    """Each page's number, its page box and each `.content` box on it."""
    for number, page in enumerate(document.pages, start=1):
        for box in page._page_box.descendants():
            if "content" in classes(box):
                yield number, page._page_box, box


def overflows(zine: dict[str, Any]) -> list[Problem]:
    """Every line or picture that ends below its page's text box (or, on a cover, whose text box rises above the
    page's top), and every run of text wider than the box: (page, what, by how many points)."""
    found: list[Problem] = []
    measured = list(text_boxes(laid_out(zine)))
    worded = [page for page in zine["pages"] if page["layout"] in ("cover", "text", "quote", "back")]
    assert len(measured) == len(worded), "the zine's text boxes are no longer .content: update this test"
    for number, page, box in measured:
        bottom, right = box.content_box_y() + box.height, box.content_box_x() + box.width
        if box.content_box_y() < page.content_box_y() - 0.01:
            found.append((number, "rises above the page", (page.content_box_y() - box.content_box_y()) / PX_PER_PT))
        for inner in box.descendants():
            end = inner.position_y + inner.margin_height()
            if isinstance(inner, boxes.LineBox | boxes.ReplacedBox) and end > bottom + 0.01:
                found.append((number, f"{type(inner).__name__} below the box", (end - bottom) / PX_PER_PT))
            if isinstance(inner, boxes.TextBox) and inner.position_x + inner.width > right + 0.5:
                found.append((number, f"text wider than the box: {inner.text[:30]}",
                               (inner.position_x + inner.width - right) / PX_PER_PT))
    return found


def drafted(name: str, fmt: str, font: str, bid: dict[str, Any], report: dict[str, Any]) -> dict[str, Any]:
    made_bid, made_report = lab(name, bid, report)
    return load_zine({**draft(made_bid, made_report, fmt, font), "theme": {"font": font}})


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", list(CASES))
def test_drafted_text_stays_inside_its_box(name: str, fmt: str, bid: dict[str, Any],
                                           report: dict[str, Any]) -> None:
    assert overflows(drafted(name, fmt, "lato", bid, report)) == []


@pytest.mark.parametrize("font", ["inter", "roboto-slab"])
@pytest.mark.parametrize("name", ["example", "largest", "scripts", "40 workstreams"])
@pytest.mark.parametrize("fmt", ["booklet-a5", "minizine-letter"])
def test_drafted_text_fits_in_every_theme_font(name: str, font: str, fmt: str, bid: dict[str, Any],
                                               report: dict[str, Any]) -> None:
    assert overflows(drafted(name, fmt, font, bid, report)) == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_long_kicker_still_leaves_the_cover_inside_the_page(fmt: str, bid: dict[str, Any],
                                                             report: dict[str, Any]) -> None:
    made_bid, made_report = lab("largest", bid, report)
    kicker = ("A policy lab zine for every council that wants to decide together " * 5)[:300]
    zine = load_zine({**draft(made_bid, made_report, fmt, subtitle=kicker), "subtitle": kicker})
    assert zine["title"].endswith("…")  # the 300-character title gives way on the cover
    assert overflows(zine) == []


def test_a_type_table_that_disagrees_with_zine_css_is_caught(monkeypatch: pytest.MonkeyPatch, bid: dict[str, Any],
                                                             report: dict[str, Any]) -> None:
    """If the body text grows in zine.css and TYPE still says the old size, drafted pages overflow, and the
    check above sees it (here TYPE is made to say the body is a third smaller than zine.css makes it)."""
    smaller = {scale: {**styles, "body": styles["body"]._replace(size=styles["body"].size * 2 / 3)}
               for scale, styles in TYPE.items()}
    monkeypatch.setattr(fitting, "TYPE", smaller)
    problems = overflows(drafted("long summary", "booklet-a5", "lato", bid, report))
    assert 2 in {page for page, _, _ in problems}  # the summary's page
    assert all(by > 0 for _, _, by in problems)


@pytest.mark.parametrize("mode", [{"mode": "home"}, {"mode": "print-shop", "crop_marks": True}])
@pytest.mark.parametrize("fmt", FORMATS)
def test_the_frame_is_the_text_box_weasyprint_lays_out(fmt: str, mode: dict[str, Any]) -> None:
    zine = load_zine({"title": "T", "format": fmt, "print": mode,
                      "pages": [{"layout": "text", "heading": "H", "body": "B"}] * 8})
    _, _, box = next(text_boxes(laid_out(zine)))
    space = frame(fmt)
    assert box.width / PX_PER_PT == pytest.approx(space.width, abs=0.05)
    assert (box.padding_top + box.height) / PX_PER_PT == pytest.approx(space.height, abs=0.05)  # lowered or not


def rendered_lines(fmt: str, body: str) -> int:
    """How many lines WeasyPrint breaks one paragraph into on a text page of the format."""
    zine = load_zine({"title": "T", "format": fmt, "pages": [{"layout": "text", "body": body}] * 8})
    _, _, box = next(text_boxes(laid_out(zine)))
    return sum(isinstance(inner, boxes.LineBox) for inner in box.descendants())


@pytest.mark.parametrize("body", [
    "Short.",
    "The lab was run as a co-operative: every session was open to any CCIN member, the core group decided its "
    "programme by consent, and partners shared the budget for local people's involvement rather than keeping it.",
    "WWWW MMMM " * 30,
    "iiii llll " * 60,
    "Ageing well in communities, co-production and Community Wealth Building. " * 12,
])
@pytest.mark.parametrize("fmt", ["booklet-a5", "minizine-a4"])
def test_measured_lines_are_never_fewer_and_rarely_more_than_laid_out(fmt: str, body: str) -> None:
    space = frame(fmt)
    measured = line_count(body, space.width, TYPE[space.scale]["body"], "lato")
    laid = rendered_lines(fmt, body)
    assert laid <= measured <= laid + max(1, laid // 6)


@pytest.mark.parametrize("fmt", ["booklet-a5", "minizine-a4"])
def test_text_in_fonts_labdocs_does_not_bundle_is_measured_generously(fmt: str) -> None:
    """Arabic, Japanese and emoji come from whatever stand-in font the machine has (or print as boxes): each
    is measured in the font that prints it, or counted as a whole em where none does, so such text is never
    measured short."""
    body = "Cydweithio 🤝 協同組合の自治体運営を学ぶ。 кооперативное управление, التعاون في الحكم المحلي " * 4
    space = frame(fmt)
    assert line_count(body, space.width, TYPE[space.scale]["body"], "lato") >= rendered_lines(fmt, body)


@pytest.mark.parametrize("fmt", ["booklet-a5", "minizine-a4"])
@pytest.mark.parametrize("seed", range(4))
def test_mixed_script_text_is_measured_in_the_fonts_that_print_it(fmt: str, seed: int,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Generated text mixing seven scripts, and Arabic alone: measured in the machine's stand-in fonts (as
    fontconfig lists them) it is never fewer lines than WeasyPrint lays out, and no more than counting every
    character the bundled fonts lack as an em, the guess there is no font to measure."""
    space, body = frame(fmt), fitting.TYPE[frame(fmt).scale]["body"]
    for text in (mixed(seed, 30), " ".join(SCRIPT_WORDS["arabic"][seed:] * 25)):
        measured = line_count(text, space.width, body, "lato")
        with monkeypatch.context() as guess:
            guess.setattr(fitting, "stand_ins", lambda family, face: ())
            fitting.stand_in_width.cache_clear()
            fitting.text_width.cache_clear()
            guessed = line_count(text, space.width, body, "lato")
        fitting.stand_in_width.cache_clear()
        fitting.text_width.cache_clear()
        assert rendered_lines(fmt, text) <= measured <= guessed


def test_the_stand_in_measured_is_the_font_that_prints() -> None:
    """The first stand-in font with Arabic is the one WeasyPrint printed the Arabic in (pdfium names it)."""
    font = next((font for font in fitting.stand_ins("lato", "regular") if font.has(ord("ا"))), None)
    if font is None:
        pytest.skip("no font on this machine has Arabic")
    zine = load_zine({"title": "T", "format": "minizine-a4", "print": {"mode": "home"},
                      "pages": [{"layout": "text", "body": "Local التعاون في الحكم"}] * 8})
    reader = render_zine(SOURCES, {"zine": zine, "images": {}, "generated_on": "2026-12-03"}).files["reader.pdf"]
    arabic = next(item.run for item in measure_text(reader) if "التعاون" in item.run.text)
    def letters(name: str) -> str:
        return "".join(character for character in name.lower() if character.isalnum())
    assert letters(arabic.font) == letters(Path(font.path).stem)


def test_widths_are_the_fonts_advances() -> None:
    body = Style("regular", 10.0, 1.35)
    assert text_width("MMMM", body, "lato") > 2 * text_width("iiii", body, "lato")
    assert text_width("governance", body, "inter") > text_width("governance", body, "lato")  # Inter is wider
    assert text_width("\U0010fffd", body, "lato") == pytest.approx(10.0 * fitting.MISSING_EM)  # no font has it
    kicker = Style("bold", 10.0, 1.35, spacing=0.08, upper=True)
    assert text_width("zine", kicker, "lato") == pytest.approx(text_width("ZINE", kicker._replace(upper=False),
                                                                          "lato"))


@pytest.mark.parametrize(("text", "lines"), [("", 0), ("one", 1), ("one two", 1), ("one two three four", 2),
                                             ("x" * 40, 4)])
def test_line_count_breaks_at_spaces_and_counts_a_word_wider_than_the_line(text: str, lines: int) -> None:
    body = Style("regular", 10.0, 1.35)
    width = max(text_width("one two", body, "lato"), text_width("x" * 10, body, "lato")) / fitting.SLACK + 0.01
    assert line_count(text, width, body, "lato") == lines


def test_sizes_are_in_millimetres_and_points_as_geometry_has_them() -> None:
    space = frame("booklet-a5")
    assert mm(space.width) == pytest.approx(148 - 2 * 6)


@pytest.mark.parametrize(("name", "fmt"), [("example", "booklet-a5"), ("example", "minizine-a4"),
                                           ("40 workstreams", "booklet-a5"), ("largest", "minizine-letter"),
                                           ("long summary", "minizine-a4"), ("bulleted", "booklet-a5")])
def test_preflight_finds_every_drafted_word_printed(name: str, fmt: str, bid: dict[str, Any],
                                                    report: dict[str, Any]) -> None:
    """A second opinion from the other end: preflight reads the finished reader.pdf back with pdfium and
    finds every word of every drafted page printed, and no line halved at the foot of a text box."""
    made_bid, made_report = lab(name, bid, report)
    zine = load_zine({**draft(made_bid, made_report, fmt), "print": {"mode": "home"}})
    findings = render_zine(SOURCES, {"zine": zine, "images": {}, "generated_on": "2026-12-03"}).findings
    assert next(item for item in findings if item["code"] == "text_fits")["status"] == "pass"


def slack(zine: dict[str, Any]) -> list[float]:
    """Per text box, the points left free below its last line."""
    found = []
    for _, _, box in text_boxes(laid_out(zine)):
        ends = [inner.position_y + inner.height for inner in box.descendants() if isinstance(inner, boxes.LineBox)]
        found.append((box.content_box_y() + box.height - max(ends)) / PX_PER_PT)
    return found


@pytest.mark.parametrize("fmt", FORMATS)
def test_pages_with_more_to_say_are_filled_to_the_foot(fmt: str, bid: dict[str, Any],
                                                       report: dict[str, Any]) -> None:
    """The long summary's two pages and the 40 workstreams' first page: what is left below the last line is
    less than the next sentence (12 words, up to three lines) or item would take."""
    space = frame(fmt)
    line = space.style("body").size * space.style("body").leading
    summary = slack(drafted("long summary", fmt, "lato", bid, report))
    listed = slack(drafted("40 workstreams", fmt, "lato", bid, report))
    assert max(summary[1:3]) < 3 * line + space.gap("body")
    # An item of 200 characters is up to five lines, with a one-line "…and N more" in a mini-zine; at the
    # mini-zine's 8 pt, each of the three items kept may measure one line longer than it lays out (never shorter).
    assert listed[3] < 6 * line + space.gap("body") + (3 * line if space.scale == "mini" else 0.0)


VOCABULARY = [*WORDS, "Rochdale", "Co-operative", "participatory", "neighbourhood", "a", "of", "WWWW", "illicit", "I",
              "co-production", "—", "https://example.org/lab/notes"]


def generated_items(seed: int, count: int, longest: int) -> list[str]:
    """`count` list items of one to `longest` words, drawn at random (with a seed) from a mixed vocabulary."""
    rng = random.Random(seed)
    return [" ".join(rng.choice(VOCABULARY) for _ in range(rng.randint(1, longest))) for _ in range(count)]


def item_lines(zine: dict[str, Any]) -> list[int]:
    """How many lines WeasyPrint breaks each list item on the zine's first text page into (its marker aside)."""
    _, _, box = next(text_boxes(laid_out(zine)))
    listed = next(inner for inner in box.descendants() if getattr(inner, "element_tag", None) == "ul")
    return [sum(isinstance(line, boxes.LineBox) for part in item.children if isinstance(part, boxes.BlockBox)
                for line in part.children) for item in listed.children if getattr(item, "element_tag", None) == "li"]


@pytest.mark.parametrize("font", ["lato", "inter", "roboto-slab"])
@pytest.mark.parametrize(("fmt", "seed"), [("minizine-a4", 1), ("minizine-letter", 2), ("booklet-a5", 3)])
def test_list_items_measure_as_many_lines_as_they_wrap_to(fmt: str, seed: int, font: str) -> None:
    """Generated list items, laid out by WeasyPrint in a mini-zine's 8 pt (and a booklet's): each is measured at
    the list's own width (the text box less ul's 1.1em padding) and never as fewer lines than it wraps to."""
    space = frame(fmt, font)
    body = space.style("body")
    for round_ in range(4):
        items = generated_items(seed * 10 + round_, 3, 45)
        zine = load_zine({"title": "T", "format": fmt, "theme": {"font": font},
                          "pages": [{"layout": "text", "body": "\n".join(f"- {item}" for item in items)}] * 8})
        measured = [round(space.height_of(item, "body", bullet=True) / (body.size * body.leading)) for item in items]
        laid = item_lines(zine)
        assert len(laid) == len(items) and max(laid) > 1  # every item laid out; some wrap
        assert all(lines <= count <= lines + 1 for lines, count in zip(laid, measured, strict=True)), (laid, measured)


@pytest.mark.parametrize(("fmt", "seed"), [("minizine-a4", 1), ("minizine-letter", 2)])
def test_mini_zines_drafted_from_long_generated_lists_pass_preflight(fmt: str, seed: int, bid: dict[str, Any],
                                                                     report: dict[str, Any]) -> None:
    """Long generated workstreams and partners, drafted into a mini-zine: WeasyPrint's layout keeps every line in
    its box, and preflight finds every word printed and inside the safe area."""
    bid["workstreams"] = [item[:500] for item in generated_items(seed, 30, 70)]
    bid["partners"] = [{"name": name[:290], "kind": "other"} for name in generated_items(seed + 100, 25, 30)]
    bid["summary"] = "We will:\n" + "\n".join(f"- {item}" for item in generated_items(seed + 200, 8, 40))
    zine = load_zine({**draft(load_bid(bid), load_report(report), fmt), "print": {"mode": "home"}})
    assert overflows(zine) == []
    found = {item["code"]: item for item in render_zine(SOURCES, {"zine": zine, "images": {},
                                                                  "generated_on": "2026-12-03"}).findings}
    assert found["text_fits"]["status"] == "pass", found["text_fits"]["message"]
    assert found["safe_area"]["status"] == "pass", found["safe_area"]["message"]


def mixed_script(seed: int) -> Any:
    """A generated project whose summary, workstreams, quote and difference mix seven scripts at random."""
    def change(bid: dict[str, Any], report: dict[str, Any]) -> None:
        bid["summary"] = "\n".join(mixed(seed * 100 + n, 20) for n in range(6))
        bid["workstreams"] = [mixed(seed * 100 + 10 + n, 6) for n in range(12)]
        report["case_studies"][0]["quote"] = mixed(seed * 100 + 30, 40)[:2000]
        report["co_operative_difference"] = mixed(seed * 100 + 40, 120)
    return change


@pytest.mark.parametrize(("fmt", "seed"), [("booklet-a5", 1), ("minizine-a4", 2), ("minizine-letter", 3)])
def test_mixed_script_drafts_are_measured_generously_and_preflight_says_what_it_could_not(
        fmt: str, seed: int, bid: dict[str, Any], report: dict[str, Any]) -> None:
    """Characters no bundled font has are measured as a whole em (a guess, on the long side): the drafted pages
    keep every line in its box and every word is found printed, and preflight fails them plainly by name; if
    their stand-in glyphs run out of the box, the safe area says that is the cause."""
    mixed_script(seed)(bid, report)
    zine = load_zine({**draft(load_bid(bid), load_report(report), fmt), "print": {"mode": "home"}})
    assert overflows(zine) == []
    found = {item["code"]: item for item in render_zine(SOURCES, {"zine": zine, "images": {},
                                                                  "generated_on": "2026-12-03"}).findings}
    assert found["text_fits"]["status"] == "pass", found["text_fits"]["message"]
    assert found["glyphs"]["status"] == "fail" and "no bundled font has it" in found["glyphs"]["message"]
    assert found["safe_area"]["status"] == "pass" or "hold characters no bundled font has" in \
        found["safe_area"]["message"]


def generated_quote(seed: int, words: int) -> str:
    """A generated quote: short sentences of words drawn at random (with a seed; no URLs, which a quote rarely
    holds and a line may break inside)."""
    rng = random.Random(seed)
    chosen = [rng.choice([word for word in VOCABULARY if "/" not in word]) for _ in range(words)]
    return " ".join(" ".join(chosen[at:at + 9]).capitalize() + "." for at in range(0, words, 9))


@pytest.mark.parametrize("font", ["lato", "inter", "roboto-slab"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_quotes_are_measured_in_the_bold_italic_face_they_print_in(fmt: str, font: str) -> None:
    """A quote is measured in its bold italic face (Roboto Slab's bold, which WeasyPrint slants) and wraps to
    no more lines than measured, and rarely fewer; the quote's run is printed in that face."""
    space = frame(fmt, font)
    for seed in range(3):
        quote = generated_quote(seed, 25 + 20 * seed)
        zine = load_zine({"title": "T", "format": fmt, "theme": {"font": font}, "print": {"mode": "home"},
                          "pages": [{"layout": "quote", "heading": "H", "quote": quote, "quote_by": "A"}] * 8})
        _, _, box = next(text_boxes(laid_out(zine)))
        said = next(inner for inner in box.descendants() if getattr(inner, "element_tag", None) == "p")
        laid = sum(isinstance(line, boxes.LineBox) for line in said.children)
        assert laid <= line_count(f"“{quote}”", space.width, space.style("quote"), font) <= laid + max(1, laid // 6)
    reader = render_zine(SOURCES, {"zine": zine, "images": {}, "generated_on": "2026-12-03"}).files["reader.pdf"]
    faces = {item.run.font for item in measure_text(reader) if item.run.page == 1
             and item.run.size_pt == space.style("quote").size}
    assert faces and all("Bold" in face and ("Italic" in face or "Oblique" in face) for face in faces), faces
