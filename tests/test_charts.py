"""service/render/charts.py: bar charts whose text alternative states the numbers."""

from __future__ import annotations

import io
from xml.etree import ElementTree

import pytest
from PIL import Image

from labdocs.render import ASSETS
from labdocs.render.charts import Chart, Group, label_lines, nice_maximum

CHART = Chart("Budget and spend", "Bar chart: line 1, £5,000.00 budgeted and £4,000.00 spent.", ("Budget", "Spent"),
              (Group("1. Training", (5000.0, 4000.0), ("£5,000.00", "£4,000.00")),
               Group("2. Printing <zines> & more", (6500.0, None), ("£6,500.00", "not reported"))))


def text_of(element: ElementTree.Element | None) -> str | None:
    return None if element is None else element.text


def number(element: ElementTree.Element, name: str) -> float:
    return float(element.attrib[name])


def test_svg_is_well_formed_and_carries_its_alternative() -> None:
    root = ElementTree.fromstring(CHART.svg())
    ns = "{http://www.w3.org/2000/svg}"
    assert root.get("role") == "img"
    assert text_of(root.find(f"{ns}title")) == CHART.alt
    texts = [t.text for t in root.iter(f"{ns}text")]
    assert texts[:2] == ["Budget", "Spent"]
    assert "2. Printing <zines> & more" in texts and "not reported" in texts
    bars = [r for r in root.iter(f"{ns}rect") if r.get("height") == "15"]
    assert len(bars) == 3  # no bar for a missing value
    assert number(bars[0], "width") / number(bars[1], "width") == pytest.approx(5000 / 4000)


def test_png_for_word_is_wide_enough_to_print_and_matches_the_svg() -> None:
    image = Image.open(io.BytesIO(CHART.png(ASSETS / "fonts" / "lato" / "Lato-Regular.ttf")))
    assert image.format == "PNG" and image.width == 1200
    scale = 1200 / 680
    # The first bar (£5,000 budgeted) sits where the SVG puts it, in the "promised" colour.
    bar = next(r for r in ElementTree.fromstring(CHART.svg()).iter("{http://www.w3.org/2000/svg}rect")
               if r.get("height") == "15")
    x, y = (number(bar, "x") + 5) * scale, (number(bar, "y") + 7) * scale
    assert image.getpixel((round(x), round(y))) == (0x5F, 0x87, 0xA3)


@pytest.mark.parametrize(("value", "nice"), [(47, 50), (6500, 8000), (22500, 25000), (0, 1), (1, 1), (130, 150)])
def test_axis_maximum_is_a_round_number(value: float, nice: float) -> None:
    assert nice_maximum(value) == nice


def test_long_labels_wrap_whole_and_only_paragraphs_are_cut() -> None:
    label = ("4. Design, printing and distribution of materials such as zines and other creative "
             "materials, along with a report")
    lines = label_lines(label)
    assert len(lines) == 4 and " ".join(lines) == label  # wrapped, not cut
    paragraph = label_lines(" ".join(["co-operative"] * 60))
    assert len(paragraph) == 8 and paragraph[-1].endswith("…")
    assert label_lines("1. Short") == ["1. Short"]
