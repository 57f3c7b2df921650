"""Print geometry in millimetres and points: trim, bleed, safe area, sheets, and the page boxes a printer reads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

import pikepdf

POINTS_PER_MM = 72 / 25.4
BLEED_MM = 3.0
SAFE_MM = 6.0  # text stays this far inside the trim
FOLIO_ROOM_MM = {"booklet": 6.0, "mini": 5.0}  # kept free above the safe line for the page number
HOME_EDGE_MM = 5.0  # home printers cannot print nearer the sheet edge than this
SLUG_MM = 10.0  # room outside the bleed for crop marks, when asked for
MARK_GAP_MM = 0.5  # crop marks start this far beyond the bleed, so they never print on the page
MARK_LENGTH_MM = 5.0
INLINE_IMAGE = 0.45  # a picture on a zine's text page is at most this share of the text box high

SIZES = {  # trim size of one page and the sheet it is imposed on, both in mm (sheets landscape)
    "booklet-a5": ((148.0, 210.0), (297.0, 210.0)),
    "minizine-a4": ((297.0 / 4, 210.0 / 2), (297.0, 210.0)),
    "minizine-letter": ((279.4 / 4, 215.9 / 2), (279.4, 215.9)),
}
NAMES = {"booklet-a5": "A5", "minizine-a4": "A4 mini-zine", "minizine-letter": "US Letter mini-zine"}


def pt(mm: float) -> float:
    return mm * POINTS_PER_MM


def mm(points: float) -> float:
    return points / POINTS_PER_MM


class Rect(NamedTuple):
    """A rectangle in PDF points: left, bottom, right, top."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    def inset(self, by: float) -> Rect:
        return Rect(self.x0 + by, self.y0 + by, self.x1 - by, self.y1 - by)

    def contains(self, other: Rect, tolerance: float = 0.5) -> bool:
        return (other.x0 >= self.x0 - tolerance and other.y0 >= self.y0 - tolerance
                and other.x1 <= self.x1 + tolerance and other.y1 <= self.y1 + tolerance)

    def as_array(self) -> list[float]:
        return [round(v, 4) for v in self]


@dataclass(frozen=True)
class Geometry:
    """One zine's sizes: its pages (trim), the bleed and slug around them, and its imposition sheet."""

    format: str
    page_mm: tuple[float, float]
    sheet_mm: tuple[float, float]
    bleed_mm: float
    slug_mm: float

    @property
    def booklet(self) -> bool:
        return self.format == "booklet-a5"

    def media(self, size_mm: tuple[float, float]) -> Rect:
        """The whole page for a trim of `size_mm`: trim + bleed + slug on every side."""
        margin = 2 * (self.bleed_mm + self.slug_mm)
        return Rect(0, 0, pt(size_mm[0] + margin), pt(size_mm[1] + margin))

    def trim(self, size_mm: tuple[float, float]) -> Rect:
        return self.media(size_mm).inset(pt(self.bleed_mm + self.slug_mm))

    def bleed(self, size_mm: tuple[float, float]) -> Rect:
        return self.media(size_mm).inset(pt(self.slug_mm))

    @property
    def scale(self) -> str:
        return "booklet" if self.booklet else "mini"

    def content_floor(self) -> float:
        """Where a page's text box ends, in points above the bottom of a reader page: text below is cut off."""
        return pt(self.slug_mm + self.bleed_mm + SAFE_MM + FOLIO_ROOM_MM[self.scale])


def geometry(fmt: str, mode: str, crop_marks: bool) -> Geometry:
    """Print shops get 3 mm bleed (and a slug for crop marks if asked); home printing gets neither."""
    page, sheet = SIZES[fmt]
    bleed = BLEED_MM if mode == "print-shop" else 0.0
    return Geometry(fmt, page, sheet, bleed, SLUG_MM if crop_marks and bleed else 0.0)


def set_boxes(page: pikepdf.Page, media: Rect, trim: Rect, bleed: Rect) -> None:
    """MediaBox, TrimBox and BleedBox as a printer reads them; no ArtBox (it would only confuse)."""
    page.obj.MediaBox = pikepdf.Array(media.as_array())
    page.obj.TrimBox = pikepdf.Array(trim.as_array())
    page.obj.BleedBox = pikepdf.Array(bleed.as_array())
    for stray in ("/ArtBox", "/CropBox"):
        if stray in page.obj:
            del page.obj[stray]


def crop_marks(trim: Rect, bleed_mm: float) -> bytes:
    """Content-stream lines at each corner of the trim, outside the bleed (in the slug), marked as a production
    artifact (PDF 14.8.2.2: cut marks are /Page artifacts), so a tagged reader's screen readers skip them."""
    start, end = pt(bleed_mm + MARK_GAP_MM), pt(bleed_mm + MARK_GAP_MM + MARK_LENGTH_MM)
    lines = []
    for x, sx in ((trim.x0, -1), (trim.x1, 1)):
        for y, sy in ((trim.y0, -1), (trim.y1, 1)):
            lines.append(f"{x + sx * start:.3f} {y:.3f} m {x + sx * end:.3f} {y:.3f} l S")
            lines.append(f"{x:.3f} {y + sy * start:.3f} m {x:.3f} {y + sy * end:.3f} l S")
    return ("/Artifact <</Type /Page>> BDC q 0 G 0.25 w " + " ".join(lines) + " Q EMC\n").encode()


def append_content(pdf: pikepdf.Pdf, page: pikepdf.Page, content: bytes) -> None:
    """Draw on top of a page's existing content, leaving it untouched."""
    page.contents_add(pdf.make_stream(content), prepend=False)


def finish_page(pdf: pikepdf.Pdf, page: pikepdf.Page, geo: Geometry, size_mm: tuple[float, float]) -> None:
    """A reader page or an imposed sheet as a printer reads it: its boxes, and crop marks when there is a slug."""
    trim = geo.trim(size_mm)
    set_boxes(page, geo.media(size_mm), trim, geo.bleed(size_mm))
    if geo.slug_mm:
        append_content(pdf, page, crop_marks(trim, geo.bleed_mm))


def size_context(geo: Geometry) -> dict[str, Any]:
    """A zine page's sizes in mm as its template and the drafter's measurements use them."""
    scale = geo.scale
    page_w, page_h = (side + 2 * geo.bleed_mm for side in geo.page_mm)
    safe = geo.bleed_mm + SAFE_MM
    bottom = safe + FOLIO_ROOM_MM[scale]
    return {"media_w": round(page_w + 2 * geo.slug_mm, 3), "media_h": round(page_h + 2 * geo.slug_mm, 3),
            "slug": geo.slug_mm, "page_w": round(page_w, 3), "page_h": round(page_h, 3), "safe": safe,
            "content_bottom": bottom, "image_max": round((page_h - safe - bottom) * INLINE_IMAGE, 3),
            "scale": scale}
