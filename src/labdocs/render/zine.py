"""Zines: the reader PDF (pages in order, with bleed), and everything made from it in one job."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pikepdf

from labdocs.domain.text import to_blocks
from labdocs.render import Rendered, Sources, pdf_bytes
from labdocs.render.accessibility import check_pdf
from labdocs.render.balance import CREDIT, quote_space, top_space
from labdocs.render.cmyk import PROFILE, cmyk_image, css_colour, finish_print
from labdocs.render.geometry import Geometry, finish_page, geometry, size_context
from labdocs.render.impose import impose_booklet, impose_minizine, padded
from labdocs.render.pdf import render_html, render_pdf, render_watched
from labdocs.render.preflight import Accessibility, Made, preflight, summary_text
from labdocs.render.tagging import without_pdfua_claim
from labdocs.render.theme import (
    FAMILIES,
    LARGE_TEXT,
    heading_colour,
    minimum_contrast,
    page_background,
    readable_on,
    text_colour,
)
from labdocs.render.thumbnails import READER_WIDTH_PX, render_pages, thumbnails

LANGUAGE = "en-GB"  # the zine's language when it names none
NUMBERED = {"text", "quote"}  # covers, full-page pictures and blanks carry no page number
HEADING_PT = {"booklet": 21.0, "mini": 12.0}  # h2, bold (zine.css)
Paint = Callable[[str], str]


def zine_geometry(zine: Mapping[str, Any]) -> Geometry:
    return geometry(zine["format"], zine["print"]["mode"], zine["print"]["crop_marks"])


def page_context(page: Mapping[str, Any], number: int, zine: Mapping[str, Any],
                 image_urls: Mapping[str, str], scale: str) -> dict[str, Any]:
    theme = zine["theme"]
    background = page_background(page, theme)
    context = {
        "heading_colour": page_heading_colour(page, background, theme, scale),
        "band_colour": text_colour(theme["accent"], theme),  # the full-page picture's caption, on the accent
        "layout": page["layout"],
        "heading": zine["title"] if page["layout"] == "cover" else page["heading"],
        "standfirst": standfirst(page, zine["title"]),
        "blocks": to_blocks(page["body"]),
        "quote": page["quote"],
        "quote_by": page["quote_by"],
        "image": picture(page, image_urls),
        "background": background,
        "colour": readable_on(background, theme),  # the designer's ink or paper: preflight fails it if neither reads
        "folio": number if page["layout"] in NUMBERED else None,
    }
    fmt, font = zine["format"], theme["font"]
    return {**context, "top_space": top_space(context, fmt, font), "quote_space": quote_space(context, fmt, font)}


def picture(page: Mapping[str, Any], image_urls: Mapping[str, str]) -> dict[str, Any] | None:
    """The page's picture as the template places it: a decorative one has no alt and is tagged as an artifact."""
    if not page["image"]:
        return None
    decorative = bool(page.get("decorative"))
    return {"src": image_urls[page["image"]], "alt": "" if decorative else page["alt"], "decorative": decorative}


def standfirst(page: Mapping[str, Any], title: str) -> str:
    """A cover's own heading, printed under the zine's title (which every cover carries) unless it repeats it."""
    heading = page["heading"].strip() if page["layout"] == "cover" else ""
    return "" if heading.casefold() == title.strip().casefold() else heading


def page_heading_colour(page: Mapping[str, Any], background: str, theme: Mapping[str, Any], scale: str) -> str:
    """The heading's colour on what it sits on: the accent box of a pictured cover, else the page."""
    cover = page["layout"] == "cover"
    under = theme["accent"] if cover and page["image"] else background
    return heading_colour(under, theme, LARGE_TEXT if cover else minimum_contrast(HEADING_PT[scale], True))


def zine_context(zine: Mapping[str, Any], geo: Geometry, image_urls: Mapping[str, str]) -> dict[str, Any]:
    theme = zine["theme"]
    pages = padded(list(zine["pages"]), geo.booklet)
    return {
        "title": zine["title"],
        "subtitle": zine["subtitle"],
        "credit": CREDIT,
        "language": zine.get("language") or LANGUAGE,
        "size": size_context(geo),
        "theme": {**theme, "family": FAMILIES[theme["font"]], "on_accent": readable_on(theme["accent"], theme)},
        "pages": heading_levels([page_context(page, number, zine, image_urls, geo.scale)
                                 for number, page in enumerate(pages, start=1)]),
    }


def heading_levels(pages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each page's heading level in the tagged reader: a cover's title is 1, as is the first heading of a zine
    that does not open with a cover; every other page heading is 2, so no level is ever skipped."""
    seen = False
    for page in pages:
        page["level"] = 1 if page["layout"] == "cover" or not seen else 2
        seen = seen or bool(page["heading"])
    return pages


def painter(assets: Path | None, zine: Mapping[str, Any]) -> Paint:
    """How the templates write a colour: #RRGGBB for screens (no assets), device-cmyk() for print.pdf."""
    black_as_k = bool(zine["print"].get("black_as_k", True))
    return lambda hex_colour: css_colour(hex_colour, assets, black_as_k)


def image_resources(sources: Sources, payload: Mapping[str, Any], cmyk: bool) -> tuple[dict[str, str], dict[str, Any]]:
    """Each image the zine uses, by reference: its URL in the HTML, and its bytes (converted to CMYK for print)."""
    refs = sorted({page["image"] for page in payload["zine"]["pages"] if page["image"]})
    urls = {ref: f"labdocs:image/{number}" for number, ref in enumerate(refs)}
    def data(ref: str) -> bytes:
        raw = sources.image(ref, payload)
        return cmyk_image(raw, sources.assets) if cmyk else raw
    return urls, {urls[ref]: (data(ref), "image/*") for ref in refs}


def reader_html(sources: Sources, payload: Mapping[str, Any], geo: Geometry,
                cmyk: bool) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """The reader's (or, with `cmyk`, the print file's) HTML, the images it loads, and the context it was made from."""
    zine = payload["zine"]
    urls, resources = image_resources(sources, payload, cmyk)
    context = zine_context(zine, geo, urls)
    paint = painter(sources.assets if cmyk else None, zine)
    html = render_html(sources.templates, "zine.html", {**context, "paint": paint,
                                                        "profile": f"labdocs:asset/{PROFILE}" if cmyk else None})
    return html, resources, context


def render_reader(sources: Sources, payload: Mapping[str, Any], geo: Geometry,
                  cmyk: bool = False) -> tuple[bytes, dict[str, Any], list[str]]:
    """Single pages in reading order, trim + bleed, with page boxes set (and crop marks if asked); the context
    they were made from, which preflight checks them against; and the characters no font could print.

    `cmyk`: the print file, PDF/X-4 with the bundled CMYK profile as its output intent, every colour and image
    in CMYK; else the RGB reader for screens, tagged as PDF/UA-1 (see `accessible_reader`).
    """
    html, resources, context = reader_html(sources, payload, geo, cmyk)
    pdf, missing = render_watched(html, sources.templates / "html" / "zine.css", sources.assets, resources,
                                  variant="pdf/x-4" if cmyk else "pdf/ua-1", tagged=not cmyk)
    pages = finish_pages(pdf, geo)
    return (finish_print(pages) if cmyk else pages), context, missing


def accessible_reader(reader: bytes, missing: list[str]) -> tuple[bytes, Accessibility]:
    """The tagged reader checked by labdocs' accessibility checks, as the report is (its colours are measured by
    preflight instead). One that fails them, or prints a character as an empty box, keeps its tags but loses
    its PDF/UA claim: a document never claims a standard its own check says it fails."""
    findings = [finding.as_dict() for finding in check_pdf(reader, colours=None)]
    claimed = not missing and all(finding["passed"] for finding in findings)
    return (reader if claimed else without_pdfua_claim(reader)), {"pdfua": claimed, "findings": findings}


def finish_pages(data: bytes, geo: Geometry) -> bytes:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            finish_page(pdf, page, geo, geo.page_mm)
        return pdf_bytes(pdf)


def render_instructions(sources: Sources, zine: Mapping[str, Any], geo: Geometry) -> bytes:
    """The folding instructions sheet that follows a mini-zine's imposed sheet."""
    context = {"title": zine["title"], "sheet_w": geo.sheet_mm[0], "sheet_h": geo.sheet_mm[1],
               "sheet_name": "A4" if zine["format"] == "minizine-a4" else "US Letter",
               "family": FAMILIES[zine["theme"]["font"]]}
    html = render_html(sources.templates, "zine-instructions.html", context)
    return render_pdf(html, sources.templates / "html" / "zine.css", sources.assets, {}, variant=None)


def impose(pdf: bytes, geo: Geometry, home: bool, instructions: bytes | None,
           long_edge: bool = True) -> dict[str, bytes]:
    """The sheets made from one set of pages: a booklet's (and its long-edge variant), or a mini-zine's."""
    if not geo.booklet:
        return {"": impose_minizine(pdf, geo, instructions, home=home)}
    sheets = {"": impose_booklet(pdf, geo, long_edge=False)}
    return sheets | ({"-long-edge": impose_booklet(pdf, geo, long_edge=True)} if long_edge else {})


def print_files(sources: Sources, payload: Mapping[str, Any], geo: Geometry) -> tuple[dict[str, bytes], list[str]]:
    """For a print shop: print.pdf (PDF/X-4, CMYK) and its imposed sheets; nothing for home printing."""
    if payload["zine"]["print"]["mode"] == "home":
        return {}, []
    pages, _, missing = render_reader(sources, payload, geo, cmyk=True)
    sheets = impose(pages, geo, home=False, instructions=None, long_edge=False)
    return {"print.pdf": pages, "print-imposed.pdf": sheets[""]}, missing


def render_zine(sources: Sources, payload: Mapping[str, Any]) -> Rendered:
    """Every output of one zine job: reader, imposed sheets, the print-shop files, preflight, thumbnails, and
    a bundle of all."""
    zine = payload["zine"]
    geo = zine_geometry(zine)
    home = zine["print"]["mode"] == "home"
    tagged, context, missing = render_reader(sources, payload, geo)
    reader, accessibility = accessible_reader(tagged, missing)
    files: dict[str, bytes] = {"reader.pdf": reader}
    instructions = render_instructions(sources, zine, geo) if home and not geo.booklet else None
    files |= {f"imposed{suffix}.pdf": data for suffix, data in impose(reader, geo, home, instructions).items()}
    printed, _ = print_files(sources, payload, geo)
    made: Made = {"reader": reader, "imposed": files["imposed.pdf"], "print": printed.get("print.pdf"),
                  "print_imposed": printed.get("print-imposed.pdf"), "missing": missing,
                  "accessibility": accessibility}
    report = preflight(made, geo, zine, context)
    files |= {name: data for name, data in printed.items() if report["print_file"]}  # never a false PDF/X claim
    files["preflight.json"] = json.dumps(report, indent=2, ensure_ascii=False).encode()
    files["preflight.txt"] = summary_text(report).encode()
    files |= thumbnails(files["reader.pdf"], files["imposed.pdf"])
    return Rendered(bundle(files), findings=report["checks"], files=files)


def bundle(files: Mapping[str, bytes]) -> bytes:
    """All outputs in one zip (PDFs and PNGs are already compressed, so they are stored as they are)."""
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        for name, data in files.items():
            compress = zipfile.ZIP_DEFLATED if name.endswith((".json", ".txt")) else zipfile.ZIP_STORED
            archive.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), data, compress_type=compress)
    return output.getvalue()


def render_zine_pages(sources: Sources, payload: Mapping[str, Any]) -> Rendered:
    """Previews of the pages as they will print, for the editor: the RGB reader's pages as PNGs cropped to the
    trim (thumbnails/reader-01.png …; the first page is the document itself), with none of the print files,
    imposition or preflight, so they take a fraction of a full zine job."""
    reader, _, _ = render_reader(sources, payload, zine_geometry(payload["zine"]))
    files = render_pages(reader, "reader", READER_WIDTH_PX, "{:02d}")
    return Rendered(files["thumbnails/reader-01.png"], files=files)
