"""Print colour: the CMYK profile print.pdf is made for, theme colours and images in it, and its output intent."""

from __future__ import annotations

import hashlib
import io
import threading
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path
from typing import Any, TypedDict, cast

import pikepdf

PROFILE = "icc/artifex-cmyk-swop.icc"  # see assets/icc/README.txt for what it is and its licence
INK_LIMIT = 300  # total area coverage, per cent: the most ink a press lays down on coated paper without trouble
JPEG_QUALITY = 92


class Condition(TypedDict):
    """The printing condition print.pdf names in its PDF/X output intent."""

    identifier: str
    condition: str
    info: str


CONDITION: Condition = {
    "identifier": "SWOP coated (Artifex CMYK SWOP Profile)",
    "condition": "Web offset printing on coated paper to SWOP (as CGATS TR 001)",
    "info": "Artifex CMYK SWOP Profile, embedded",
}


def profile_path(assets: Path) -> Path:
    return assets / PROFILE


@lru_cache(maxsize=2)
def to_cmyk(assets: Path) -> Any:
    """A cached sRGB → CMYK transform (relative colorimetric, as WeasyPrint's profiles default to)."""
    from PIL import ImageCms

    return ImageCms.buildTransform(ImageCms.createProfile("sRGB"), ImageCms.getOpenProfile(str(profile_path(assets))),
                                   "RGB", "CMYK", renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC)


def rgb(hex_colour: str) -> tuple[int, int, int]:
    return int(hex_colour[1:3], 16), int(hex_colour[3:5], 16), int(hex_colour[5:7], 16)


def near_black(hex_colour: str) -> bool:
    """Dark and neutral, as body text ink is: printed in four inks it would only risk misregistration."""
    channels = rgb(hex_colour)
    return max(channels) <= 0x40 and max(channels) - min(channels) <= 0x18


def cmyk_of(hex_colour: str, assets: Path, black_as_k: bool) -> tuple[float, float, float, float]:
    """A #RRGGBB colour as CMYK fractions through the profile; near-black as 100% K alone when asked."""
    from PIL import Image, ImageCms

    if black_as_k and near_black(hex_colour):
        return 0.0, 0.0, 0.0, 1.0
    converted = ImageCms.applyTransform(Image.new("RGB", (1, 1), rgb(hex_colour)), to_cmyk(assets))
    c, m, y, k = cast(tuple[int, int, int, int], converted.getpixel((0, 0)) if converted else (0, 0, 0, 0))
    return round(c / 255, 3), round(m / 255, 3), round(y / 255, 3), round(k / 255, 3)


def css_colour(hex_colour: str, assets: Path | None, black_as_k: bool = True) -> str:
    """The colour as CSS: itself for screens (assets None), device-cmyk() for the print file."""
    if assets is None:
        return hex_colour
    return "device-cmyk({:g} {:g} {:g} {:g})".format(*cmyk_of(hex_colour, assets, black_as_k))


class Converted:
    """The CMYK versions of images already converted by this process, by the SHA-256 of the RGB bytes, up to
    `limit` bytes of output (oldest dropped first): a designer's next print of the same zine skips LittleCMS,
    which was a third of the zine's render."""

    def __init__(self, limit: int) -> None:
        self.limit, self.size, self.items, self.lock = limit, 0, OrderedDict[str, bytes](), threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
            return self.items.get(key)

    def put(self, key: str, value: bytes) -> None:
        with self.lock:
            if key in self.items:
                return
            self.items[key], self.size = value, self.size + len(value)
            while self.size > self.limit and len(self.items) > 1:
                self.size -= len(self.items.popitem(last=False)[1])


CONVERTED = Converted(limit=48 * 1024 * 1024)


def cmyk_image(data: bytes, assets: Path) -> bytes:
    """An image converted to CMYK through the profile (transparency flattened onto white), as a JPEG; each
    distinct image once per process."""
    key = f"{hashlib.sha256(data).hexdigest()}:{assets}"
    converted = CONVERTED.get(key)
    if converted is None:
        converted = convert_image(data, assets)
        CONVERTED.put(key, converted)
    return converted


def convert_image(data: bytes, assets: Path) -> bytes:
    """The conversion itself, through LittleCMS."""
    from PIL import Image, ImageCms

    with Image.open(io.BytesIO(data)) as image:
        flat = Image.new("RGB", image.size, (255, 255, 255))
        converted = image.convert("RGBA")
        flat.paste(converted, mask=converted.getchannel("A"))
    output = io.BytesIO()
    cmyk = ImageCms.applyTransform(flat, to_cmyk(assets))
    assert cmyk is not None  # applyTransform returns None only when asked to work in place
    cmyk.save(output, "JPEG", quality=JPEG_QUALITY)
    return output.getvalue()


# --- the PDF ---------------------------------------------------------------------------------------


def name_condition(pdf: pikepdf.Pdf) -> None:
    """The output intent names the printing condition (WeasyPrint names only the profile) and the Info
    dictionary says PDF/X-4 too, as well as the XMP metadata."""
    for intent in pdf.Root.get("/OutputIntents", []):
        intent.OutputConditionIdentifier = pikepdf.String(CONDITION["identifier"])
        intent.OutputCondition = pikepdf.String(CONDITION["condition"])
        intent.Info = pikepdf.String(CONDITION["info"])
    pdf.docinfo["/GTS_PDFXVersion"] = pikepdf.String("PDF/X-4")


def keep_intent(source: pikepdf.Pdf, target: pikepdf.Pdf) -> None:
    """Carry a PDF/X file's output intent, metadata and Info onto a new file made from its pages (the sheets)."""
    if "/OutputIntents" not in source.Root:
        return
    target.Root.OutputIntents = pikepdf.Array([copied(target, intent) for intent in source.Root.OutputIntents])
    if "/Metadata" in source.Root:
        target.Root.Metadata = target.copy_foreign(source.Root.Metadata)
    for key, value in source.docinfo.items():
        target.docinfo[key] = value


def saved(pdf: pikepdf.Pdf) -> bytes:
    """The file as bytes; a PDF/X-4 one (it has an output intent) as PDF 1.6 at least, as the standard asks."""
    output = io.BytesIO()
    pdf.save(output, min_version="1.6" if "/OutputIntents" in pdf.Root else "")
    return output.getvalue()


def copied(target: pikepdf.Pdf, value: Any) -> Any:
    """A value of another PDF, for `target`: indirect objects copied across, direct dictionaries rebuilt."""
    if isinstance(value, pikepdf.Object) and value.is_indirect:
        return target.copy_foreign(value)
    if isinstance(value, pikepdf.Dictionary):
        return pikepdf.Dictionary({key: copied(target, item) for key, item in value.items()})
    return value


def k_operators(holder: Any) -> bytes:
    """A content stream with `/DeviceCMYK cs … scn` written as the plain `k` (and `K`) operators.

    `/DeviceCMYK cs` becomes `0 0 0 1 k` (the colour `cs` sets) and each following 4-value `scn` a `k`:
    the same colours, in the operators every prepress tool reads as process colour.
    """
    fill, stroke, stack, out = False, False, [], []
    for instruction in pikepdf.parse_content_stream(holder):
        operands: list[Any] = list(instruction.operands)
        operator = instruction.operator
        name = str(operator)
        if name in ("cs", "CS") and [str(o) for o in operands] == ["/DeviceCMYK"]:
            fill, stroke = (True, stroke) if name == "cs" else (fill, True)
            operands, operator = [0, 0, 0, 1], pikepdf.Operator("k" if name == "cs" else "K")
        elif name in ("cs", "CS"):
            fill, stroke = (False, stroke) if name == "cs" else (fill, False)
        elif name in ("scn", "sc") and fill and len(operands) == 4:
            operator = pikepdf.Operator("k")
        elif name in ("SCN", "SC") and stroke and len(operands) == 4:
            operator = pikepdf.Operator("K")
        elif name == "q":
            stack.append((fill, stroke))
        elif name == "Q" and stack:
            fill, stroke = stack.pop()
        out.append((operands, operator))
    return pikepdf.unparse_content_stream(out)


def plain_k(pdf: pikepdf.Pdf) -> None:
    """Every page's content and every form it draws, with DeviceCMYK colours set by k and K."""
    for page in pdf.pages:
        page.obj.Contents = pdf.make_stream(k_operators(page))
        resources = page.obj.get("/Resources")
        xobjects = resources.get("/XObject") if resources is not None else None
        for xobject in (xobjects.values() if xobjects is not None else []):
            if xobject.get("/Subtype") == "/Form":
                xobject.write(k_operators(xobject))


def finish_print(data: bytes) -> bytes:
    """WeasyPrint's PDF/X-4, with its printing condition named and its colours in plain k operators."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        name_condition(pdf)
        plain_k(pdf)
        return saved(pdf)
