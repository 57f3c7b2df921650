"""Zines: the reader PDF (pages in order, with bleed), and everything made from it in one job."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Mapping
from typing import Any

import pikepdf

from labdocs.domain.text import to_blocks
from labdocs.render import Rendered, Sources, pdf_bytes
from labdocs.render.geometry import FOLIO_ROOM_MM, SAFE_MM, Geometry, finish_page, geometry
from labdocs.render.impose import impose_booklet, impose_minizine, padded
from labdocs.render.pdf import render_html, render_pdf
from labdocs.render.preflight import preflight, summary_text
from labdocs.render.theme import page_background, readable_on
from labdocs.render.thumbnails import thumbnails

FAMILIES = {"lato": "Lato", "inter": "Inter", "roboto-slab": "RobotoSlab"}
NUMBERED = {"text", "quote", "image-full"}  # cover, back and blanks carry no page number


def zine_geometry(zine: Mapping[str, Any]) -> Geometry:
    return geometry(zine["format"], zine["print"]["mode"], zine["print"]["crop_marks"])


def page_context(page: Mapping[str, Any], number: int, zine: Mapping[str, Any],
                 image_urls: Mapping[str, str]) -> dict[str, Any]:
    theme = zine["theme"]
    background = page_background(page, theme)
    return {
        "layout": page["layout"],
        "heading": page["heading"] or (zine["title"] if page["layout"] == "cover" else ""),
        "blocks": to_blocks(page["body"]),
        "quote": page["quote"],
        "quote_by": page["quote_by"],
        "image": {"src": image_urls[page["image"]], "alt": page["alt"]} if page["image"] else None,
        "background": background,
        "colour": readable_on(background, theme),
        "folio": number if page["layout"] in NUMBERED else None,
    }


def size_context(geo: Geometry) -> dict[str, Any]:
    scale = geo.scale
    page_w, page_h = (side + 2 * geo.bleed_mm for side in geo.page_mm)
    safe = geo.bleed_mm + SAFE_MM
    return {"media_w": round(page_w + 2 * geo.slug_mm, 3), "media_h": round(page_h + 2 * geo.slug_mm, 3),
            "slug": geo.slug_mm, "page_w": round(page_w, 3), "page_h": round(page_h, 3), "safe": safe,
            "content_bottom": safe + FOLIO_ROOM_MM[scale], "scale": scale}


def zine_context(zine: Mapping[str, Any], geo: Geometry, image_urls: Mapping[str, str]) -> dict[str, Any]:
    theme = zine["theme"]
    pages = padded(list(zine["pages"]), geo.booklet)
    return {
        "title": zine["title"],
        "subtitle": zine["subtitle"],
        "size": size_context(geo),
        "theme": {**theme, "family": FAMILIES[theme["font"]], "on_accent": readable_on(theme["accent"], theme)},
        "pages": [page_context(page, number, zine, image_urls) for number, page in enumerate(pages, start=1)],
    }


def render_reader(sources: Sources, payload: Mapping[str, Any], geo: Geometry) -> tuple[bytes, dict[str, Any]]:
    """Single pages in reading order, trim + bleed, with page boxes set (and crop marks if asked); and the
    context they were made from, which preflight checks them against."""
    zine = payload["zine"]
    refs = sorted({page["image"] for page in zine["pages"] if page["image"]})
    urls = {ref: f"labdocs:image/{number}" for number, ref in enumerate(refs)}
    resources = {urls[ref]: (sources.image(ref, payload), "image/*") for ref in refs}
    context = zine_context(zine, geo, urls)
    html = render_html(sources.templates, "zine.html", context)
    pdf = render_pdf(html, sources.templates / "html" / "zine.css", sources.assets, resources, variant=None)
    return finish_pages(pdf, geo), context


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


def render_zine(sources: Sources, payload: Mapping[str, Any]) -> Rendered:
    """Every output of one zine job: reader, imposed sheets, preflight, thumbnails, and a bundle of all."""
    zine = payload["zine"]
    geo = zine_geometry(zine)
    reader, context = render_reader(sources, payload, geo)
    files: dict[str, bytes] = {"reader.pdf": reader}
    if geo.booklet:
        files["imposed.pdf"] = impose_booklet(reader, geo, long_edge=False)
        files["imposed-long-edge.pdf"] = impose_booklet(reader, geo, long_edge=True)
    else:
        files["imposed.pdf"] = impose_minizine(reader, geo, render_instructions(sources, zine, geo))
    report = preflight(files["reader.pdf"], files["imposed.pdf"], geo, zine, context)
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
