"""How to print each file a zine job makes: the sheet's real size, what to ask a print shop for, and for home
printing the exact paper and scaling. Shown in preflight.txt and on the zine's web page."""

from __future__ import annotations

from labdocs.render.geometry import geometry, mm

SHEETS = {"booklet-a5": "A4", "minizine-a4": "A4", "minizine-letter": "US Letter"}


def size_text(width_mm: float, height_mm: float) -> str:
    return f"{width_mm:.4g} × {height_mm:.4g} mm"


def sheet_size(fmt: str, mode: str, crop_marks: bool) -> tuple[float, float]:
    """The imposed sheet's whole page (media box) in mm: the trimmed sheet plus bleed and slug."""
    media = geometry(fmt, mode, crop_marks).media(geometry(fmt, mode, crop_marks).sheet_mm)
    return round(mm(media.width), 1), round(mm(media.height), 1)


def page_size(fmt: str, mode: str, crop_marks: bool) -> tuple[float, float]:
    geo = geometry(fmt, mode, crop_marks)
    media = geo.media(geo.page_mm)
    return round(mm(media.width), 2), round(mm(media.height), 2)


def print_steps(fmt: str, mode: str, crop_marks: bool, pages: int) -> list[str]:
    """The steps for this zine's files, one plain sentence each."""
    if mode == "home":
        return home_steps(fmt, pages)
    return shop_booklet(fmt, crop_marks, pages) if fmt == "booklet-a5" else shop_minizine(fmt, crop_marks)


def home_steps(fmt: str, pages: int) -> list[str]:
    sheet = SHEETS[fmt]
    if fmt == "booklet-a5":
        return [f"Print imposed.pdf double-sided on {sheet} paper (210 × 297 mm), landscape, at 100% (“actual "
                "size”, not “fit to page”), flipping on the SHORT edge. If your printer only flips on the long "
                "edge, print imposed-long-edge.pdf instead.",
                f"Keep the {pages // 4} sheet(s) in order, fold them in half together and staple twice on the fold."]
    return [f"Print page 1 of imposed.pdf on one side of {sheet} paper ({size_text(*sheet_size(fmt, 'home', False))}),"
            " landscape, at 100% (“actual size”, not “fit to page”).",
            "Fold and cut as page 2 of imposed.pdf shows: dashed lines fold, the solid line is the one cut."]


def shop_booklet(fmt: str, crop_marks: bool, pages: int) -> list[str]:
    width, height = page_size(fmt, "print-shop", crop_marks)
    sheet_w, sheet_h = sheet_size(fmt, "print-shop", crop_marks)
    marks = ", with crop marks" if crop_marks else ""
    return [f"Send print.pdf and ask for an A5 (148 × 210 mm) saddle-stitched booklet of {pages} pages, printed "
            f"in colour both sides and trimmed. Each page is {size_text(width, height)}: A5 with 3 mm bleed{marks}; "
            "it is PDF/X-4, CMYK, with TrimBox and BleedBox set, so the shop imposes it itself.",
            f"If the shop wants printer's sheets instead, send print-imposed.pdf: {pages // 2} sides of "
            f"{size_text(sheet_w, sheet_h)} (two A5 pages side by side, 297 × 210 mm once trimmed), to print "
            "double-sided flipping on the short edge, trim, fold and staple.",
            "reader.pdf is the same zine in RGB, for reading on screen; imposed.pdf is its sheets in RGB."]


def shop_minizine(fmt: str, crop_marks: bool) -> list[str]:
    sheet = SHEETS[fmt]
    trimmed = "297 × 210 mm" if sheet == "A4" else "279.4 × 215.9 mm"
    sheet_w, sheet_h = sheet_size(fmt, "print-shop", crop_marks)
    guides = ("fold marks (dashed) are in the margin outside the trim, in line with the folds; the cut runs along "
              "the middle fold between the first and third vertical folds" if crop_marks else
              "nothing is printed outside the pages, so give the shop the folding steps below")
    return [f"Send print-imposed.pdf and ask for one-sided colour prints on {sheet} ({trimmed} once trimmed), "
            f"trimmed to size. The sheet is {size_text(sheet_w, sheet_h)} with 3 mm bleed"
            f"{' and crop marks' if crop_marks else ''}: it is larger than {sheet}, so it is printed on a larger "
            f"sheet (SRA4 or A3) and cut; {guides}.",
            "Fold each print in half lengthways, then into four columns; cut along the middle between the first "
            "and third folds; fold it into the booklet with page 1 on the front.",
            "print.pdf has the eight pages one by one (PDF/X-4, CMYK) if the shop prefers to impose itself; "
            "reader.pdf is the RGB edition for screens."]
