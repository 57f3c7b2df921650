"""service/render/preflight.py and the print files: boxes, bleed, marks, fonts, image resolution, safe area,
checked from the PDFs and against poppler's own reading where it has one."""

from __future__ import annotations

import io
import json
import random
import subprocess
from pathlib import Path
from typing import Any

import pikepdf
import pypdfium2 as pdfium
import pytest
from PIL import Image

from labdocs.config import EXAMPLES
from labdocs.render import bundled_sources
from labdocs.render.geometry import SAFE_MM, Rect, mm, pt
from labdocs.render.zine import render_zine
from labdocs.schemas.bid import load_bid
from labdocs.schemas.report import load_report
from labdocs.schemas.zine import load_zine
from labdocs.zines import draft

from .labs import SCRIPT_WORDS, mixed
from .test_impose import numbered_zine

UPLOADS: dict[str, bytes] = {}
SOURCES = bundled_sources(lambda key: UPLOADS[key])
EXAMPLE = json.loads((EXAMPLES / "zine.json").read_text("utf-8"))


def render(zine: dict[str, Any], images: dict[str, str] | None = None) -> Any:
    return render_zine(SOURCES, {"zine": zine, "images": images or {}, "generated_on": "2026-11-24"})


def findings(rendered: Any) -> dict[str, dict[str, Any]]:
    return {item["code"]: item for item in rendered.findings}


@pytest.fixture(scope="module")
def example() -> Any:
    return render(load_zine(EXAMPLE))


@pytest.fixture(scope="module")
def example_files(example: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("zine")
    for name, data in example.files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return folder


def boxes_mm(pdf: bytes, page: int = 0) -> dict[str, list[float]]:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        obj = document.pages[page].obj
        return {name: [round(mm(float(v)), 2) for v in obj[name]] for name in ("/MediaBox", "/TrimBox", "/BleedBox")
                if name in obj} | {"art": ["/ArtBox" in obj]}


def test_example_passes_preflight(example: Any) -> None:
    assert {code: item["status"] for code, item in findings(example).items()} == {
        "trim": "pass", "bleed": "pass", "page_boxes": "pass", "page_count": "pass", "fonts": "pass",
        "glyphs": "pass", "image_resolution": "pass", "text_fits": "pass", "safe_area": "pass", "sheet_edges": "pass",
        "guides": "pass", "colour": "pass", "ink": "pass", "contrast": "pass", "type_size": "pass",
        "screen_edition": "pass",
    }
    report = json.loads(example.files["preflight.json"])
    assert report["status"] == "pass" and report["pages"] == 8 and report["trim_mm"] == [148.0, 210.0]
    assert "How to print" in example.files["preflight.txt"].decode()


def poppler_box(pdfinfo: str, name: str) -> list[float]:
    line = next(line for line in pdfinfo.splitlines() if line.startswith(f"{name}:"))
    return [float(value) for value in line.split()[1:]]


def test_print_shop_pages_have_bleed_boxes_and_marks_outside_the_bleed(example_files: Path) -> None:
    """Crop marks asked for: the media grows by a 10 mm slug; trim is A5; bleed 3 mm beyond it."""
    reader = (example_files / "reader.pdf").read_bytes()
    for page in range(8):
        assert boxes_mm(reader, page) == {"/MediaBox": [0, 0, 174, 236], "/TrimBox": [13, 13, 161, 223],
                                          "/BleedBox": [10, 10, 164, 226], "art": [False]}
    poppler = subprocess.run(["pdfinfo", "-box", str(example_files / "reader.pdf")], capture_output=True,
                             text=True, check=True).stdout
    assert poppler_box(poppler, "TrimBox") == [36.85, 36.85, 456.38, 632.13]
    assert poppler_box(poppler, "BleedBox") == [28.35, 28.35, 464.88, 640.63]
    with pikepdf.open(io.BytesIO(reader)) as pdf:
        marks = [tuple(mm(float(v)) for v in instruction.operands)
                 for instruction in pikepdf.parse_content_stream(pdf.pages[0])
                 if str(instruction.operator) in ("m", "l")]
    assert len(marks) == 16  # two strokes at each of four corners
    bleed = (10, 10, 164, 226)
    for x, y in marks:
        assert not (bleed[0] < x < bleed[2] and bleed[1] < y < bleed[3]), "a crop mark inside the bleed"
        assert 0 <= x <= 174 and 0 <= y <= 236


def test_print_shop_without_marks_is_trim_plus_bleed() -> None:
    reader = render(numbered_zine(8, mode="print-shop")).files["reader.pdf"]
    assert boxes_mm(reader) == {"/MediaBox": [0, 0, 154, 216], "/TrimBox": [3, 3, 151, 213],
                                "/BleedBox": [0, 0, 154, 216], "art": [False]}


def test_full_bleed_background_reaches_the_edge() -> None:
    zine = numbered_zine(8, mode="print-shop")
    reader = render(zine).files["reader.pdf"]
    document = pdfium.PdfDocument(reader)
    cover = document[0].render(scale=1).to_pil()  # page 1: the cover, on the accent colour
    accent = tuple(int(zine["theme"]["accent"][i:i + 2], 16) for i in (1, 3, 5))
    for corner in ((0, 0), (cover.width - 1, 0), (0, cover.height - 1), (cover.width - 1, cover.height - 1)):
        assert cover.getpixel(corner) == accent
    document.close()


def test_home_printing_has_no_bleed_and_keeps_clear_of_the_sheet_edge() -> None:
    rendered = render(numbered_zine(8, "minizine-a4", mode="home"))
    assert boxes_mm(rendered.files["reader.pdf"]) == {"/MediaBox": [0, 0, 74.25, 105], "/TrimBox": [0, 0, 74.25, 105],
                                                      "/BleedBox": [0, 0, 74.25, 105], "art": [False]}
    assert findings(rendered)["sheet_edges"]["status"] == "pass"
    assert findings(rendered)["bleed"]["message"] == "No bleed (home printing): the trim is the page."


def test_fonts_are_embedded_and_only_the_bundled_ones(example_files: Path) -> None:
    for name in ("reader.pdf", "imposed.pdf"):
        fonts = subprocess.run(["pdffonts", str(example_files / name)], capture_output=True, text=True,
                               check=True).stdout.splitlines()[2:]
        assert fonts and all(line.split()[-5:-2] == ["yes", "yes", "yes"] for line in fonts), fonts
        assert all("Lato" in line for line in fonts), fonts


def test_image_resolution_matches_poppler(example: Any, example_files: Path) -> None:
    ours = json.loads(example.files["preflight.json"])["images"]
    listed = subprocess.run(["pdfimages", "-list", str(example_files / "reader.pdf")], capture_output=True,
                            text=True, check=True).stdout.splitlines()[2:]
    poppler = sorted((int(line.split()[0]), min(int(line.split()[12]), int(line.split()[13]))) for line in listed)
    mine = sorted((image["page"], image["ppi"]) for image in ours)
    assert [page for page, _ in mine] == [page for page, _ in poppler] == [1, 3, 6]
    assert all(abs(a - b) <= 1 for (_, a), (_, b) in zip(mine, poppler, strict=True)), (mine, poppler)
    assert all(image["ppi"] >= 300 for image in ours)


def upload(name: str, size: tuple[int, int]) -> str:
    output = io.BytesIO()
    Image.new("RGB", size, (120, 60, 30)).save(output, "JPEG")
    UPLOADS[name] = output.getvalue()
    return name


@pytest.mark.parametrize(("pixels", "status", "message"), [
    ((600, 800), "fail", "Images too coarse to print (under 150 ppi): page 2: 600 × 800 px at 162 × 216 mm = "
                         "94 ppi. Use a larger original or place it smaller."),
    ((1200, 1600), "warn", "Images under 300 ppi will print soft: page 2: 1200 × 1600 px at 162 × 216 mm = 188 ppi. "
                           "Fine for photocopying; for a print shop use a larger original."),
])
def test_low_resolution_photos_are_caught(pixels: tuple[int, int], status: str, message: str) -> None:
    """A 3:4 photo covering a full A5 page with bleed (154 × 216 mm) is scaled to 162 × 216 mm."""
    zine = numbered_zine(8, mode="print-shop")
    image_id = f"{pixels[0]:032d}"
    zine["pages"][1] = {**zine["pages"][1], "layout": "image-full", "image": image_id, "alt": "A photo."}
    rendered = render(zine, images={image_id: upload(image_id, pixels)})
    assert findings(rendered)["image_resolution"] == {"code": "image_resolution", "status": status,
                                                      "passed": status != "fail", "message": message}
    assert json.loads(rendered.files["preflight.json"])["status"] == status


def test_text_that_overflows_the_safe_area_fails() -> None:
    zine = numbered_zine(8, "minizine-a4")
    zine["pages"][2]["body"] = " ".join(["Far too many words for one small page."] * 60)
    result = findings(render(zine))["safe_area"]
    assert result["status"] == "fail"
    assert result["message"].startswith("Text on page(s) 3 runs outside the safe area (6 mm inside the trim)")


HOOKED = ["jigsaw", "juggling", "gathering", "joined", "fjord", "jury", "yearly", "giving", "justice", "jobs"]


def hooked_quote(seed: int, words: int) -> str:
    """A generated quote in short sentences of words that begin with letters an italic face hooks to the left
    (j, g, y, f), so many of its lines start with one."""
    rng = random.Random(seed)
    chosen = [rng.choice(HOOKED) for _ in range(words)]
    return " ".join(" ".join(chosen[at:at + 7]).capitalize() + "." for at in range(0, words, 7))


def ink_outside(reader: bytes, page: int) -> float:
    """How far (points) any glyph's ink on a reader page reaches left of, or right of, the safe area."""
    document = pdfium.PdfDocument(reader)
    try:
        safe = Rect(*document[page].get_mediabox()).inset(pt(SAFE_MM))  # home printing: the page is the trim
        text = document[page].get_textpage()
        boxes = [text.get_charbox(index) for index in range(text.count_chars())]
        return max(max(safe.x0 - left, right - safe.x1) for left, _, right, _ in boxes)
    finally:
        document.close()


@pytest.mark.parametrize("font", ["lato", "inter", "roboto-slab"])
@pytest.mark.parametrize(("fmt", "seed"), [("booklet-a5", 1), ("minizine-a4", 2), ("minizine-letter", 3)])
def test_long_bold_italic_quotes_are_set_inside_the_safe_area(fmt: str, seed: int, font: str, bid: dict[str, Any],
                                                              report: dict[str, Any]) -> None:
    """A long quote is cut to fit its page and set inside the safe area; where an italic j or g starts a line
    its ink hooks a point or two left of where it is set (the typeface's side bearing, not a layout error), which
    the check no longer mistakes for text outside the safe area."""
    report["case_studies"][0]["quote"] = hooked_quote(seed, 250)[:2000]
    zine = load_zine({**draft(load_bid(bid), load_report(report), fmt, font), "theme": {"font": font},
                      "print": {"mode": "home"}})
    number = next(n for n, page in enumerate(zine["pages"]) if page["layout"] == "quote")
    assert zine["pages"][number]["quote"].endswith("…")  # cut to fit
    rendered = render(zine)
    found = findings(rendered)
    assert found["safe_area"]["status"] == "pass", found["safe_area"]["message"]
    assert found["text_fits"]["status"] == "pass", found["text_fits"]["message"]
    if font == "lato":  # Lato Bold Italic's j and g hook furthest: the case this test is about is really there
        assert ink_outside(rendered.files["reader.pdf"], number) > 0.5


@pytest.mark.parametrize("fmt", ["booklet-a5", "minizine-a4"])
@pytest.mark.parametrize("seed", range(3))
def test_mixed_script_text_that_fits_is_found_printed(seed: int, fmt: str) -> None:
    """Latin mixed with Greek, Cyrillic, Arabic, Devanagari, Japanese and emoji, a few lines a page: every word
    is found printed, though pdfium reads a line holding Arabic back to front (and an emoji's two UTF-16 halves
    low first, which once crashed writing preflight.json); the characters no bundled font has fail plainly."""
    zine = numbered_zine(8, fmt)
    for number in (1, 2, 3):
        zine["pages"][number]["body"] = mixed(seed * 10 + number, 12 if fmt == "booklet-a5" else 8)
    rendered = render(zine)
    found = findings(rendered)
    assert found["text_fits"]["status"] == "pass", found["text_fits"]["message"]
    assert found["glyphs"]["status"] == "fail" and "no bundled font has it" in found["glyphs"]["message"]
    report = json.loads(rendered.files["preflight.json"].decode("utf-8"))
    printed = "".join(run["text"] for run in report["text_runs"])
    assert all(character in printed for character in "🤝🌱" if any(character in zine["pages"][n]["body"]
                                                                     for n in (1, 2, 3)))


@pytest.mark.parametrize("fmt", ["booklet-a5", "minizine-a4"])
def test_text_no_bundled_font_can_measure_fails_saying_so(fmt: str) -> None:
    """Devanagari, which no bundled font (nor this machine) has, prints as empty boxes wider than the layout
    gave them, so the lines run out of their box: the safe area fails, naming those characters as the cause
    (shortening alone would not help); text in the bundled fonts that runs out says nothing of the kind."""
    zine = numbered_zine(8, fmt)
    zine["pages"][1]["body"] = "Devanagari: सहकारी शासन का अर्थ है मिलकर निर्णय लेना। " * 6
    zine["pages"][2]["body"] = " ".join(["Far too many words for one small page."] * 76)
    result = findings(render(zine))["safe_area"]
    outside = "2, 3" if fmt == "minizine-a4" else "2"  # the booklet's box holds the Latin page's words
    assert result["status"] == "fail" and result["message"].startswith(f"Text on page(s) {outside} runs outside")
    assert "Page(s) 2 hold characters no bundled font has (see Characters)" in result["message"]


def test_an_emoji_on_a_line_read_right_to_left_is_one_character() -> None:
    zine = numbered_zine(8, "minizine-a4")
    zine["pages"][1]["body"] = "Local التعاون 🤝 and more"
    rendered = render(zine)
    runs = [run["text"] for run in json.loads(rendered.files["preflight.json"].decode("utf-8"))["text_runs"]]
    assert any("🤝" in text for text in runs)
    assert "“🤝” (U+1F91D) on page 2" in findings(rendered)["glyphs"]["message"]


@pytest.mark.parametrize("script", ["arabic", "devanagari", "cjk", "emoji"])  # no bundled font has these
def test_mixed_script_text_cut_off_is_still_found_cut(script: str) -> None:
    """Counting words rather than following them (as a page holding Arabic needs) still finds the end cut off."""
    zine = numbered_zine(8, "minizine-a4")
    body = " ".join(f"word{n} {SCRIPT_WORDS[script][n % len(SCRIPT_WORDS[script])]}" for n in range(400))
    zine["pages"][1]["body"] = body[: body.rindex(" ", 0, 3000)]
    result = findings(render(zine))["text_fits"]
    assert result["status"] == "fail" and result["message"].startswith("More text than fits, so the end is cut "
                                                                        "off: page 2 (from “word")


@pytest.mark.parametrize(("words", "status"), [(60, "pass"), (145, "fail"), (300, "fail")])
def test_text_cut_off_by_the_end_of_its_box_fails(words: int, status: str) -> None:
    """Near the limit the last line is halved and the rest never printed, while every printed glyph still sits
    inside the safe area: the check reads each word back from the PDF, and finds lines cut by the box's end."""
    zine = numbered_zine(8, "minizine-a4")
    zine["pages"][1]["body"] = " ".join(f"word{n}" for n in range(words))
    rendered = render(zine)
    result = findings(rendered)["text_fits"]
    assert result["status"] == status
    if status == "fail":
        assert result["message"].startswith("More text than fits, so the end is cut off: page 2 (from “word1")
        assert json.loads(rendered.files["preflight.json"])["status"] == "fail"


def test_weak_contrast_fails_naming_the_text() -> None:
    """Grey ink on white, 3.45:1: body text needs 4.5:1, so preflight fails and says which text, where."""
    zine = numbered_zine(8)
    zine["theme"] = {**zine["theme"], "ink": "#8A8A8A", "paper": "#FFFFFF"}
    result = findings(render(zine))["contrast"]
    assert result["status"] == "fail" and result["message"].startswith("Text too faint against what it is printed on")
    assert "page 2: “This is page 2.” (12.5 pt, #8A8A8A on #FFFFFF) 3.45:1, needs 4.5:1" in result["message"]


def test_contrast_names_pages_as_they_are_printed() -> None:
    """Ten pages print as twelve (blanks before the back cover): a weak back cover is page 12, not 10."""
    zine = numbered_zine(10)
    zine["theme"]["heading"] = "#777777"  # the designer's: 4.4:1 on the paper, enough for 21 pt headings
    zine["pages"][-1]["background"] = "#808080"  # and 1.1:1 on the back cover's grey
    result = findings(render(zine))["contrast"]
    assert result["status"] == "fail" and "page 12: " in result["message"] and "page 10: " not in result["message"]


def test_colour_is_reported_plainly(example: Any) -> None:
    """A print-shop zine: the PDF/X-4 file is what to send; a home one is RGB, as home printers expect."""
    assert findings(example)["colour"]["message"].startswith("Colour: print.pdf is PDF/X-4, all CMYK")
    home = findings(render(numbered_zine(8, "minizine-a4", mode="home")))["colour"]
    assert home == {"code": "colour", "status": "pass", "passed": True,
                    "message": "Colour: RGB, as home printers expect."}


def test_thumbnails_show_the_trimmed_pages(example: Any) -> None:
    reader = sorted(name for name in example.files if name.startswith("thumbnails/reader-"))
    sheets = sorted(name for name in example.files if name.startswith("thumbnails/imposed-"))
    assert len(reader) == 8 and len(sheets) == 4
    page = Image.open(io.BytesIO(example.files[reader[0]]))
    assert page.width == 360 and abs(page.height / page.width - 210 / 148) < 0.01
    sheet = Image.open(io.BytesIO(example.files[sheets[0]]))
    assert sheet.width == 1000 and abs(sheet.height / sheet.width - 210 / 297) < 0.01
