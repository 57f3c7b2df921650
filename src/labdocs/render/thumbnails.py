"""PNG previews of every reader page and imposed sheet, cropped to the trim, for a quick look in a browser."""

from __future__ import annotations

import io

READER_WIDTH_PX = 360
SHEET_WIDTH_PX = 1000


def thumbnails(reader: bytes, imposed: bytes) -> dict[str, bytes]:
    """thumbnails/reader-01.png … and thumbnails/imposed-1.png …, keyed by their file names."""
    return {**render_pages(reader, "reader", READER_WIDTH_PX, "{:02d}"),
            **render_pages(imposed, "imposed", SHEET_WIDTH_PX, "{}")}


def render_pages(data: bytes, name: str, width_px: int, number_format: str) -> dict[str, bytes]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        out = {}
        for number, page in enumerate(document, start=1):
            media, trim = page.get_mediabox(), page.get_trimbox()
            crop = (trim[0] - media[0], trim[1] - media[1], media[2] - trim[2], media[3] - trim[3])
            image = page.render(scale=width_px / (trim[2] - trim[0]), crop=crop).to_pil()
            output = io.BytesIO()
            # Photographs barely compress; zlib's default level spends 4× the time for a few per cent.
            image.save(output, "PNG", compress_level=1)
            out[f"thumbnails/{name}-{number_format.format(number)}.png"] = output.getvalue()
        return out
    finally:
        document.close()
