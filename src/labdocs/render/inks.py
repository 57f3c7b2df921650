"""What a print file is coloured with, read from the PDF: any RGB left in it, and its total ink coverage."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from typing import Any, NamedTuple

import pikepdf

RGB_OPERATORS = {"rg", "RG"}
CMYK_OPERATORS = {"k", "K"}


class Inks(NamedTuple):
    """Where RGB is used (empty for a clean CMYK file), and the most ink anywhere, in per cent."""

    rgb: list[str]
    coverage: float
    where: str


def names_in(value: Any, depth: int = 0) -> Iterator[str]:
    """Every name inside a PDF dictionary or array (not stream data) and the direct objects it holds; objects
    it refers to are read as objects of their own."""
    if isinstance(value, pikepdf.Name):
        yield str(value)
    elif not isinstance(value, pikepdf.Object) or (depth and value.is_indirect):
        return
    elif isinstance(value, pikepdf.Array) and depth < 12:
        for item in value:
            yield from names_in(item, depth + 1)
    elif isinstance(value, pikepdf.Dictionary) and depth < 12:
        for key in value.keys():  # noqa: SIM118 (a pikepdf Dictionary, not a dict)
            yield from names_in(value[key], depth + 1)


def rgb_spaces(pdf: pikepdf.Pdf) -> list[str]:
    """Objects that name DeviceRGB or a three-channel ICC profile (an image, a resource, a group)."""
    found = []
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Array) and len(obj) == 2 and str(obj[0]) == "/ICCBased" and int(obj[1].N) == 3:
            found.append(f"object {obj.objgen[0]} (an RGB ICC profile)")
        if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            continue
        if "/DeviceRGB" in set(names_in(obj.stream_dict if isinstance(obj, pikepdf.Stream) else obj)):
            found.append(f"object {obj.objgen[0]} ({obj.get('/Subtype', obj.get('/Type', 'dictionary'))})")
    return found


def content_streams(pdf: pikepdf.Pdf) -> Iterator[tuple[str, Any]]:
    """Every page's content and every form, pattern and Type 3 glyph it can draw, once each."""
    seen: set[tuple[int, int]] = set()
    def walk(holder: Any, resources: Any, where: str, depth: int) -> Iterator[tuple[str, Any]]:
        yield where, holder
        for group in ("/XObject", "/Pattern"):
            for name, item in ((resources or {}).get(group, {}) or {}).items():
                if not isinstance(item, pikepdf.Stream) or item.objgen in seen or depth > 8:
                    continue
                seen.add(item.objgen)
                if item.get("/Subtype") == "/Form" or group == "/Pattern":
                    yield from walk(item, item.get("/Resources", resources), f"{where} {name}", depth + 1)
    for number, page in enumerate(pdf.pages, start=1):
        yield from walk(page, page.obj.get("/Resources"), f"page {number}", 0)


def colour_operators(pdf: pikepdf.Pdf) -> tuple[list[str], float, str]:
    """RGB operators found, and the largest CMYK fill or stroke set (per cent of ink) and where."""
    rgb, most, where = [], 0.0, ""
    for place, holder in content_streams(pdf):
        for instruction in pikepdf.parse_content_stream(holder):
            operands, name = list(instruction.operands), str(instruction.operator)
            if name in RGB_OPERATORS or (name in ("cs", "CS") and [str(o) for o in operands] == ["/DeviceRGB"]):
                rgb.append(f"{place} ({name})")
            elif name in CMYK_OPERATORS and 100 * sum(float(o) for o in operands) > most:
                most, where = 100 * sum(float(o) for o in operands), f"{place}, a colour"
    return rgb, most, where


def image_coverage(pdf: pikepdf.Pdf) -> tuple[float, str]:
    """The most ink in any pixel of any CMYK image (per cent), and which image."""
    most, where = 0.0, ""
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Stream) or obj.get("/Subtype") != "/Image":
            continue
        if obj.get("/ColorSpace") == "/DeviceCMYK" and (peak := image_peak(obj)) > most:
            most, where = peak, f"image object {obj.objgen[0]} ({obj.get('/Width')} × {obj.get('/Height')} px)"
    return most, where


# Each CMYK image's peak ink, by the SHA-256 of its stream as stored: the same picture in the next print of a
# zine is not decoded and summed again (it was a quarter of a zine's render).
PEAKS: dict[str, float] = {}


def image_peak(obj: pikepdf.Stream) -> float:
    """The most ink in any pixel of one CMYK image (per cent)."""
    key = hashlib.sha256(obj.read_raw_bytes()).hexdigest()
    if key not in PEAKS:
        if len(PEAKS) >= 1024:
            PEAKS.clear()
        PEAKS[key] = measure_peak(obj)
    return PEAKS[key]


def measure_peak(obj: pikepdf.Stream) -> float:
    from PIL import ImageMath

    image = pikepdf.PdfImage(obj).as_pil_image()
    c, m, y, k = (channel.convert("I") for channel in image.split())
    total = ImageMath.lambda_eval(lambda a: a["c"] + a["m"] + a["y"] + a["k"], c=c, m=m, y=y, k=k)
    return float(100 * total.getextrema()[1] / 255)


def read_inks(data: bytes) -> Inks:
    """RGB anywhere in the file, and the total area coverage: the most of the four inks laid down at any point.

    Fills and strokes are opaque or blended normally, so no point carries more ink than the most of any one
    colour or image pixel under it; that maximum is measured here.
    """
    with pikepdf.open(io.BytesIO(data)) as pdf:
        operators, colour_most, colour_where = colour_operators(pdf)
        image_most, image_where = image_coverage(pdf)
        rgb = rgb_spaces(pdf) + operators
    most, where = max((colour_most, colour_where), (image_most, image_where))
    return Inks(rgb, round(most, 1), where)
