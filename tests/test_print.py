"""print.pdf and print-imposed.pdf, the print-shop files: PDF/X-4 with a CMYK output intent, read back with
pikepdf; their inks measured by Ghostscript's separations; the guides of a print-shop sheet outside the trim."""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from PIL import Image, ImageCms, ImageMath

from labdocs.render import ASSETS, bundled_sources
from labdocs.render.cmyk import CONDITION, INK_LIMIT, PROFILE
from labdocs.render.geometry import mm
from labdocs.render.inks import read_inks
from labdocs.render.preflight import check_ink
from labdocs.render.zine import render_zine

from .test_impose import numbered_zine

UPLOADS: dict[str, bytes] = {}
SOURCES = bundled_sources(lambda key: UPLOADS[key])
PHOTO = "0" * 31 + "1"
needs_gs = pytest.mark.skipif(shutil.which("gs") is None, reason="Ghostscript (gs) is not installed")


def photo() -> bytes:
    """A dark, saturated RGBA photo (the most ink a picture can ask for), with a transparent corner."""
    image = Image.new("RGBA", (1200, 1600), (20, 10, 60, 255))
    image.paste((0, 0, 0, 0), (0, 0, 300, 300))
    output = io.BytesIO()
    image.save(output, "PNG")
    return output.getvalue()


def render(zine: dict[str, Any]) -> dict[str, bytes]:
    UPLOADS[PHOTO] = photo()
    return render_zine(SOURCES, {"zine": zine, "images": {PHOTO: PHOTO}, "generated_on": "2026-11-24"}).files


def shop_zine(fmt: str = "booklet-a5", **theme: str) -> dict[str, Any]:
    zine = numbered_zine(8, fmt, mode="print-shop", crop_marks=True)
    zine["pages"][2] = {**zine["pages"][2], "layout": "image-full", "image": PHOTO, "alt": "A dark photo."}
    zine["pages"][4]["background"] = "#111111"  # a near-black page: K only
    zine["theme"] = {**zine["theme"], **theme}
    return zine


@pytest.fixture(scope="module", params=["booklet-a5", "minizine-a4"])
def files(request: pytest.FixtureRequest) -> dict[str, bytes]:
    return render(shop_zine(request.param))


def print_files(files: dict[str, bytes]) -> Iterator[tuple[str, pikepdf.Pdf]]:
    for name in ("print.pdf", "print-imposed.pdf"):
        with pikepdf.open(io.BytesIO(files[name])) as pdf:
            yield name, pdf


def test_output_intent_names_the_condition_and_embeds_the_profile(files: dict[str, bytes]) -> None:
    bundled = ImageCms.getOpenProfile(str(ASSETS / PROFILE)).profile
    for _, pdf in print_files(files):
        [intent] = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFX" and str(intent.OutputConditionIdentifier) == CONDITION["identifier"]
        assert str(intent.OutputCondition) == CONDITION["condition"]
        profile = intent.DestOutputProfile
        assert int(profile.N) == 4
        embedded = ImageCms.getOpenProfile(io.BytesIO(profile.read_bytes())).profile
        assert (embedded.xcolor_space, embedded.profile_description) == ("CMYK", bundled.profile_description)


def test_pdfx_version_in_metadata_and_info(files: dict[str, bytes]) -> None:
    for _, pdf in print_files(files):
        assert str(pdf.docinfo["/GTS_PDFXVersion"]) == "PDF/X-4"
        with pdf.open_metadata() as xmp:
            assert xmp["pdfxid:GTS_PDFXVersion"] == "PDF/X-4"
        assert pdf.pdf_version >= "1.6"


def test_trim_and_bleed_on_every_page(files: dict[str, bytes]) -> None:
    for _, pdf in print_files(files):
        for page in pdf.pages:
            trim, bleed = ([float(v) for v in page.obj[name]] for name in ("/TrimBox", "/BleedBox"))
            assert [round(mm(b - t), 2) for b, t in zip(bleed[:2], trim[:2], strict=True)] == [-3.0, -3.0]
            assert [round(mm(b - t), 2) for b, t in zip(bleed[2:], trim[2:], strict=True)] == [3.0, 3.0]


def every_stream(pdf: pikepdf.Pdf) -> Iterator[Any]:
    """Every page's content and every form and pattern stream in the file."""
    yield from pdf.pages
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream) and (obj.get("/Subtype") == "/Form" or obj.get("/PatternType") == 1):
            yield obj


def test_no_rgb_anywhere(files: dict[str, bytes]) -> None:
    """No DeviceRGB in any dictionary (images, resources, groups, shadings) and no rg/RG operator in any stream."""
    for name, pdf in print_files(files):
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
                dictionary = obj.stream_dict if isinstance(obj, pikepdf.Stream) else obj
                assert b"/DeviceRGB" not in dictionary.unparse(), (name, obj.objgen)
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image":
                assert obj.ColorSpace in ("/DeviceCMYK", "/DeviceGray"), (name, obj.objgen)
        for stream in every_stream(pdf):
            operators = {str(item.operator) for item in pikepdf.parse_content_stream(stream)}
            assert not operators & {"rg", "RG"}, name


def text_fills(stream: Any) -> list[tuple[float, ...]]:
    """The fill colour in force at each text-showing operator, as the k operator set it ((), if set otherwise)."""
    fill: tuple[float, ...] = ()
    stack, found = [], []
    for item in pikepdf.parse_content_stream(stream):
        operands, name = list(item.operands), str(item.operator)
        if name == "k":
            fill = tuple(float(v) for v in operands)
        elif name in ("rg", "g", "sc", "scn", "cs"):
            fill = ()
        elif name == "q":
            stack.append(fill)
        elif name == "Q" and stack:
            fill = stack.pop()
        elif name in ("Tj", "TJ", "'", '"'):
            found.append(fill)
    return found


@pytest.mark.parametrize(("black_as_k", "expected"), [(True, (0.0, 0.0, 0.0, 1.0)), (False, None)])
def test_near_black_text_is_k_only_when_asked(black_as_k: bool, expected: tuple[float, ...] | None) -> None:
    """Page 2's body text is in the ink (#1A1A1A): 0 0 0 1 k by default; four inks when the designer says so."""
    zine = shop_zine()
    zine["print"]["black_as_k"] = black_as_k
    with pikepdf.open(io.BytesIO(render(zine)["print.pdf"])) as pdf:
        fills = text_fills(pdf.pages[1])
    heading, body = fills[0], set(fills[1:])
    assert len(heading) == 4 and heading != (0, 0, 0, 1)  # the accent, in CMYK
    if expected:
        assert body == {expected}
    else:
        [rich] = body
        assert len(rich) == 4 and min(rich[:3]) > 0.3 and rich[3] > 0.5


def test_reader_stays_rgb(files: dict[str, bytes]) -> None:
    with pikepdf.open(io.BytesIO(files["reader.pdf"])) as pdf:
        assert "/OutputIntents" not in pdf.Root
        assert "rg" in {str(item.operator) for item in pikepdf.parse_content_stream(pdf.pages[1])}


def test_home_printing_makes_no_print_shop_files() -> None:
    files = render(numbered_zine(8, "minizine-a4", mode="home"))
    assert "print.pdf" not in files and "print-imposed.pdf" not in files


def separations_coverage(pdf: Path, folder: Path) -> list[float]:
    """Ghostscript's own rendering of the CMYK file into separations: per page, the most ink at any pixel (%)."""
    subprocess.run(["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=tiffsep", "-r72",
                    f"-sOutputFile={folder}/page-%02d.tif", str(pdf)], check=True, capture_output=True)
    peaks = []
    for composite in sorted(folder.glob("page-??.tif")):  # the CMYK composite beside the per-ink files
        with Image.open(composite) as image:
            assert image.mode == "CMYK"
            c, m, y, k = (channel.convert("I") for channel in image.split())
            total = ImageMath.lambda_eval(lambda a: a["c"] + a["m"] + a["y"] + a["k"], c=c, m=m, y=y, k=k)
            peaks.append(100 * total.getextrema()[1] / 255)
    return peaks


@needs_gs
@pytest.mark.parametrize("name", ["print.pdf", "print-imposed.pdf"])
def test_ghostscript_measures_ink_under_the_limit(files: dict[str, bytes], name: str, tmp_path: Path) -> None:
    """The darkest photo and colours stay under 300% total area coverage, as Ghostscript's separations show;
    preflight's own figure (read from the file at full resolution) is at least what Ghostscript sees."""
    (tmp_path / name).write_bytes(files[name])
    peaks = separations_coverage(tmp_path / name, tmp_path)
    assert peaks and max(peaks) <= INK_LIMIT, peaks
    assert max(peaks) > 200  # the dark photo and the accent really are heavy: the measurement sees ink
    assert read_inks(files[name]).coverage >= max(peaks) - 2


def test_ink_over_the_limit_fails() -> None:
    """A file whose colours lay down 400% fails the ink check, naming where."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(100, 100))
    pdf.pages[0].obj.Contents = pdf.make_stream(b"1 1 1 1 k 0 0 50 50 re f")
    output = io.BytesIO()
    pdf.save(output)
    result = check_ink(read_inks(output.getvalue()))
    assert result["status"] == "fail" and result["message"].startswith("Ink: up to 400% at page 1, a colour")


# --- print-shop guides ------------------------------------------------------------------------------


def blank_zine(fmt: str, mode: str, crop_marks: bool) -> dict[str, Any]:
    """Pages all white, their text white too: anything not white on a rendered sheet is a mark."""
    zine = numbered_zine(8, fmt, mode=mode, crop_marks=crop_marks)
    zine["theme"] = {**zine["theme"], "paper": "#FFFFFF", "ink": "#FFFFFF", "accent": "#FFFFFF", "heading": "#FFFFFF"}
    for page in zine["pages"]:
        page["background"] = "#FFFFFF"
    return zine


def marks_inside_trim(pdf: bytes, tmp_path: Path) -> int:
    """Pixels that are not white inside the trim of the first sheet, rendered by poppler at 100 dpi."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "sheet.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "100", "-f", "1", "-l", "1", "-png", str(tmp_path / "sheet.pdf"),
                    str(tmp_path / "sheet")], check=True)
    with pikepdf.open(io.BytesIO(pdf)) as document:
        media, trim = ([float(v) for v in document.pages[0].obj[name]] for name in ("/MediaBox", "/TrimBox"))
    [png] = tmp_path.glob("sheet*.png")
    with Image.open(png) as image:
        scale = image.width / (media[2] - media[0])
        inside = image.convert("L").crop((round(trim[0] * scale) + 2, round((media[3] - trim[3]) * scale) + 2,
                                          round(trim[2] * scale) - 2, round((media[3] - trim[1]) * scale) - 2))
        colours: list[tuple[int, int]] = inside.getcolors(256) or []  # type: ignore[assignment]
        return sum(count for count, value in colours if value < 250)


@pytest.mark.parametrize("fmt", ["minizine-a4", "minizine-letter", "booklet-a5"])
@pytest.mark.parametrize("crop_marks", [True, False])
def test_print_shop_sheets_have_no_mark_inside_the_trim(fmt: str, crop_marks: bool, tmp_path: Path) -> None:
    files = render(blank_zine(fmt, "print-shop", crop_marks))
    for name in ("imposed.pdf", "print-imposed.pdf"):
        assert marks_inside_trim(files[name], tmp_path / name.removesuffix(".pdf")) == 0, name


def test_home_sheets_keep_their_guides(tmp_path: Path) -> None:
    """The same white zine printed at home: its fold and cut lines are on the sheet (the test can see marks)."""
    files = render(blank_zine("minizine-a4", "home", False))
    assert marks_inside_trim(files["imposed.pdf"], tmp_path) > 100


def test_print_shop_fold_marks_are_in_the_slug() -> None:
    """With crop marks, the mini-zine's folds are marked by dashed ticks beyond the bleed on every edge."""
    files = render(blank_zine("minizine-a4", "print-shop", True))
    with pikepdf.open(io.BytesIO(files["print-imposed.pdf"])) as pdf:
        page = pdf.pages[0]
        trim = [float(v) for v in page.obj.TrimBox]
        ticks, dashed, stack = [], False, []
        for item in pikepdf.parse_content_stream(page):
            operands, operator = list(item.operands), item.operator
            if str(operator) == "q":
                stack.append(dashed)
            elif str(operator) == "Q":
                dashed = stack.pop()
            elif str(operator) == "d":
                dashed = len(operands[0]) > 0
            elif str(operator) == "m" and dashed:
                ticks.append(tuple(round(mm(float(v)), 2) for v in operands))
    left, bottom, right, top = (round(mm(v), 2) for v in trim)
    assert sorted(x for x, y in ticks if y > top) == [13 + 74.25, 13 + 148.5, 13 + 222.75]
    assert sorted(x for x, y in ticks if y < bottom) == [13 + 74.25, 13 + 148.5, 13 + 222.75]
    assert sorted(y for x, y in ticks if x < left or x > right) == [13 + 105.0, 13 + 105.0]


def test_rendering_a_zine_logs_no_font_header_warning(caplog: pytest.LogCaptureFixture) -> None:
    """The bundled Lato's header had its creation date in the wrong epoch; fontTools said so on every render."""
    with caplog.at_level("WARNING", logger="fontTools"):
        render(numbered_zine(8, "minizine-a4", mode="home"))
    assert not [record for record in caplog.records if "timestamp" in record.getMessage()]
