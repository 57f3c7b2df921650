"""Preflight on generated zines: every layout on light and dark themes and page colours, 1 to 40 pages, booklets
and mini-zines, home and print-shop. Every word is measured again here, independently (poppler's own text boxes
and rendering), and must either meet its contrast threshold or be failed by preflight on its page."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from PIL import Image

from labdocs.render import bundled_sources
from labdocs.render.geometry import geometry
from labdocs.render.legibility import Measured, Run
from labdocs.render.palette import contrast
from labdocs.render.preflight import check_type_size
from labdocs.render.zine import render_zine
from labdocs.schemas.zine import load_zine

SOURCES = bundled_sources(lambda key: b"")
THEMES = {  # (paper, ink, accent): two that read well, light and dark, and two that do not
    "light": ("#FFFDF7", "#1A1A1A", "#0B4F6C"),
    "dark": ("#14213D", "#F5F0E6", "#FCA311"),
    "red": ("#FFFFFF", "#222222", "#C1121F"),
    "faint": ("#F4E9D8", "#8A8A8A", "#E9C46A"),
}
BACKGROUNDS = [None, "#0B2545", "#A31F1F", "#F2E8CF", "#2A9D8F", "#000000", "#FFFFFF", "#6C757D"]
MIDDLE = ["text", "quote", "image-full", "text-image", "text"]


def page(layout: str, number: int, background: str | None) -> dict[str, Any]:
    body = f"Page {number} says what the lab found.\n- a first point\n- a second point"
    base = {"layout": layout, "heading": f"Heading {number}", "body": body, "background": background}
    if layout == "quote":
        return {**base, "quote": "We changed how decisions are made.", "quote_by": "A resident"}
    if layout == "image-full":
        return {**base, "image": "asset:garden.jpg", "alt": "A drawing of a community garden."}
    if layout == "text-image":
        return {**base, "layout": "text", "image": "asset:round-table.png", "alt": "People round a table."}
    return base


def generated(count: int, fmt: str, mode: str, theme: str, seed: int) -> dict[str, Any]:
    """A zine of `count` pages: cover, then every layout in turn on the page colours in turn, then the back."""
    paper, ink, accent = THEMES[theme]
    middle = [page(MIDDLE[(n + seed) % len(MIDDLE)], n + 1, BACKGROUNDS[(n * 3 + seed) % len(BACKGROUNDS)])
              for n in range(1, max(count - 1, 0))]
    pages = [{"layout": "cover", "heading": "", "body": "A policy lab"}, *middle]
    if count > 1:
        pages.append({"layout": "back", "heading": "Who made this", "body": "- Us\n- Them",
                      "background": BACKGROUNDS[seed % len(BACKGROUNDS)]})
    return load_zine({"title": f"Zine {seed}", "subtitle": "Generated", "format": fmt, "print": {"mode": mode},
                      "theme": {"paper": paper, "ink": ink, "accent": accent, "font": ["lato", "inter"][seed % 2]},
                      "pages": pages})


class Word(NamedTuple):
    page: int
    text: str
    ratio: float


def poppler_words(reader: bytes, folder: Path, dpi: int) -> list[Word]:
    """Each word poppler finds, with the contrast of its darkest-or-lightest ink pixel against the colour most
    common in its box (the background), on poppler's own rendering of the page."""
    (folder / "reader.pdf").write_bytes(reader)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(folder / "reader.pdf"), str(folder / "p")], check=True)
    html = subprocess.run(["pdftotext", "-bbox", str(folder / "reader.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    words, number, image = [], 0, None
    for line in html.splitlines():
        line = line.strip()
        if line.startswith("<page "):
            number += 1
            image = Image.open(sorted(folder.glob("p-*.png"))[number - 1]).convert("RGB")
        elif line.startswith("<word ") and image is not None:
            attributes = dict(part.split("=") for part in line[6:line.index(">")].replace('"', "").split())
            left, top, right, bottom = (round(float(attributes[k]) * dpi / 72)
                                        for k in ("xMin", "yMin", "xMax", "yMax"))
            words.append(Word(number, line[line.index(">") + 1:line.rindex("<")],
                              measure(image.crop((left, top, right, bottom)))))
    return words


def measure(crop: Image.Image) -> float:
    colours: list[tuple[int, Any]] = crop.getcolors(1 << 20) or [(1, (255, 255, 255))]
    background = max(colours)[1]
    hexes = ["#{:02X}{:02X}{:02X}".format(*colour) for _, colour in colours]
    back = "#{:02X}{:02X}{:02X}".format(*background)
    return max(contrast(colour, back) for colour in hexes)


def check(rendered: Any, tmp_path: Path, dpi: int) -> dict[str, Any]:
    report = json.loads(rendered.files["preflight.json"])
    finding = next(item for item in report["checks"] if item["code"] == "contrast")
    weak_pages = {run["page"] for run in report["text_runs"] if run["contrast"] < run["minimum"]}
    words = poppler_words(rendered.files["reader.pdf"], tmp_path, dpi)
    assert words, "poppler found no text"
    for word in words:
        if word.ratio < 3.0 - 0.1:  # below even the large-text threshold, whatever its size
            assert finding["status"] == "fail" and word.page in weak_pages, word
    for run in report["text_runs"]:  # and no false alarm: what preflight fails, poppler sees as weak too
        if run["contrast"] < run["minimum"]:
            assert any(w.page == run["page"] and w.ratio < run["minimum"] + 0.3 for w in words), run
    assert finding["passed"] == (not weak_pages)
    return report


CASES = [(8, "booklet-a5", "print-shop", "light", 0), (8, "booklet-a5", "home", "dark", 1),
         (8, "booklet-a5", "print-shop", "red", 2), (8, "booklet-a5", "home", "faint", 3),
         (8, "minizine-a4", "print-shop", "dark", 4), (8, "minizine-letter", "home", "light", 5),
         (8, "minizine-a4", "home", "faint", 6), (2, "booklet-a5", "print-shop", "dark", 7)]
SLOW = [(1, "booklet-a5", "home", "light", 8), (13, "booklet-a5", "print-shop", "dark", 9),
        (40, "booklet-a5", "print-shop", "light", 10), (40, "booklet-a5", "home", "red", 11),
        (8, "minizine-letter", "print-shop", "red", 12)]


def run_case(count: int, fmt: str, mode: str, theme: str, seed: int, tmp_path: Path) -> dict[str, Any]:
    zine = generated(count, fmt, mode, theme, seed)
    rendered = render_zine(SOURCES, {"zine": zine, "images": {}, "generated_on": "2026-11-24"})
    report = check(rendered, tmp_path, 300 if fmt.startswith("minizine") else 200)
    weak = [run for run in report["text_runs"] if run["contrast"] < run["minimum"]]
    assert not [run for run in weak if run["text"].startswith("Heading")], weak  # headings' colours are automatic
    if theme == "faint":  # grey ink on cream: the body text cannot pass, and preflight says so
        assert any(run["text"].startswith("Page") for run in weak)
    return report


@pytest.mark.parametrize(("count", "fmt", "mode", "theme", "seed"), CASES)
def test_every_word_meets_its_threshold_or_preflight_fails_it(count: int, fmt: str, mode: str, theme: str,
                                                              seed: int, tmp_path: Path) -> None:
    run_case(count, fmt, mode, theme, seed, tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize(("count", "fmt", "mode", "theme", "seed"), SLOW)
def test_long_and_short_zines_too(count: int, fmt: str, mode: str, theme: str, seed: int, tmp_path: Path) -> None:
    run_case(count, fmt, mode, theme, seed, tmp_path)


def test_a_designer_heading_colour_is_kept_and_failed_where_it_fades(tmp_path: Path) -> None:
    """The designer asked for the accent on every heading: kept, and the dark page where it fades fails."""
    zine = generated(8, "booklet-a5", "home", "light", 1)
    zine["theme"]["heading"] = "#0B4F6C"
    report = check(render_zine(SOURCES, {"zine": zine, "images": {}}), tmp_path, 200)
    finding = next(item for item in report["checks"] if item["code"] == "contrast")
    assert finding["status"] == "fail" and "#0B4F6C on #0B2545" in finding["message"]


@pytest.mark.parametrize(("text", "expected"), [
    ("A smile 😀 here.", "“😀” (U+1F600) on page 5: no bundled font has it"),
    ("Thumbs 👍 up.", "“👍” (U+1F44D) on page 5: no bundled font has it"),
    ("Heta Ͱ, archaic Greek.", "“Ͱ” (U+0370) on page 5: Inter has it: choose that font"),
])
def test_a_character_no_zine_font_has_fails_naming_page_and_font(text: str, expected: str) -> None:
    zine = generated(8, "booklet-a5", "print-shop", "light", 0)
    zine["pages"][4]["body"] = text  # a text page
    rendered = render_zine(SOURCES, {"zine": zine, "images": {}})
    finding = next(item for item in rendered.findings if item["code"] == "glyphs")
    assert finding["status"] == "fail" and expected in finding["message"], finding
    assert json.loads(rendered.files["preflight.json"])["status"] == "fail"


def test_no_text_in_a_mini_zine_is_under_8_pt() -> None:
    """A mini-zine's body, captions, credits and page numbers are all at least 8 pt, read back from the reader:
    the type-size check passes without a warning."""
    rendered = render_zine(SOURCES, {"zine": generated(8, "minizine-a4", "home", "light", 0), "images": {}})
    finding = next(item for item in rendered.findings if item["code"] == "type_size")
    assert finding["status"] == "pass", finding
    runs = json.loads(rendered.files["preflight.json"])["text_runs"]
    folios = [run for run in runs if run["text"].isdigit()]
    assert min(run["size_pt"] for run in runs) >= 8.0 and folios
    assert {run["size_pt"] for run in folios} == {8.0}


def test_small_type_warns() -> None:
    """Text measured under 8 pt (a page number under 7 pt) warns, saying what to do."""
    geo = geometry("minizine-a4", "home", False)
    body = Run(2, "Some words", (20.0, 100.0, 150.0, 108.0), 7.4, False, "#1A1A1A", "Lato-Regular")
    folio = Run(2, "2", (100.0, 10.0, 104.0, 16.0), 6.0, False, "#1A1A1A", "Lato-Regular")
    finding = check_type_size([Measured(run, 12.0, "#FFFFFF", 4.5) for run in (body, folio)], geo)
    assert finding["status"] == "warn" and "text at 7.4 pt" in finding["message"]
    assert "page numbers at 6 pt" in finding["message"]
    assert "choose the A5 booklet, whose type is larger" in finding["message"]


def test_the_measured_runs_are_in_the_report() -> None:
    """Headings at 21 pt bold are large text (3:1); the full-page picture's 11 pt caption is not (4.5:1)."""
    report = json.loads(render_zine(SOURCES, {"zine": generated(8, "booklet-a5", "home", "light", 0),
                                              "images": {}}).files["preflight.json"])
    headings = [run for run in report["text_runs"] if run["text"].startswith("Heading")]
    assert {(run["size_pt"], run["bold"], run["minimum"]) for run in headings} == {(21.0, True, 3.0),
                                                                                   (11.0, True, 4.5)}
    assert all(run["contrast"] >= run["minimum"] for run in headings)
