"""Uploaded images: checked before they are decoded, stripped of metadata, stored once per project."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO

from PIL import Image, ImageOps, UnidentifiedImageError
from PIL import ImageFile as PillowImageFile
from sqlalchemy import select

from labdocs.access import owned
from labdocs.errors import BadImage, Invalid, TooLarge
from labdocs.infra.db import session
from labdocs.infra.models import ImageFile
from labdocs.infra.storage import file_store

FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
MAX_BYTES = 15 * 1024 * 1024
UPLOAD_BYTES = MAX_BYTES + 64 * 1024  # the image and the form fields sent with it
MAX_PIXELS = 40_000_000  # a 40-megapixel photograph; more is a decompression bomb or needless
MAX_SIDE = 12_000
# The largest place a picture goes is a full-bleed A5 page (154 × 216 mm): 2551 px long at 300 ppi. Anything
# bigger is shrunk once, at upload, rather than carried (and decoded) in every PDF and preview after.
PRINT_SIDE = 2600


@dataclass(frozen=True)
class Prepared:
    """An image ready to store: normalised bytes and what a page needs to know about them."""

    data: bytes
    media_type: str
    width: int
    height: int


def prepare_image(stream: IO[bytes]) -> Prepared:
    """Validate an upload and re-encode it: EXIF orientation applied, metadata (GPS included) dropped."""
    image = open_checked(stream)  # pixel count is checked from the header, before any decoding
    try:
        with strict_decoding():
            image.load()
        image = ImageOps.exif_transpose(image)
    except (OSError, SyntaxError, ValueError) as exc:
        raise BadImage(f"The image could not be read: it may be damaged ({exc}).") from None
    if max(image.size) > PRINT_SIDE:
        image.thumbnail((PRINT_SIDE, PRINT_SIDE), Image.Resampling.LANCZOS)
    return encode(image)


@contextmanager
def strict_decoding() -> Iterator[None]:
    """Refuse truncated files while decoding, whatever the process-wide setting.

    WeasyPrint sets Pillow's LOAD_TRUNCATED_IMAGES at import, which would let a damaged upload through
    as a half-grey picture. Only validated images ever reach WeasyPrint, so restoring it after is safe.
    """
    previous = PillowImageFile.LOAD_TRUNCATED_IMAGES
    PillowImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        PillowImageFile.LOAD_TRUNCATED_IMAGES = previous


def open_checked(stream: IO[bytes]) -> Image.Image:
    """Open (header only) and refuse unknown formats and oversized images before decoding pixels."""
    try:
        image = Image.open(stream, formats=list(FORMATS))
    except (UnidentifiedImageError, OSError):
        raise BadImage("That file is not a JPEG, PNG or WebP image.") from None
    except Image.DecompressionBombError:
        raise too_large() from None
    width, height = image.size
    if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
        raise too_large(width, height)
    return image


def too_large(width: int | None = None, height: int | None = None) -> TooLarge:
    size = f" is {width:,} × {height:,} pixels; it" if width and height else ""
    return TooLarge(f"The image{size} must be at most {MAX_PIXELS // 1_000_000} megapixels and "
                    f"{MAX_SIDE:,} pixels on its longest side.")


def encode(image: Image.Image) -> Prepared:
    """Photographs become JPEG (embedded in PDFs as they are); images with transparency stay PNG."""
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    output = io.BytesIO()
    if has_alpha:
        image.convert("RGBA").save(output, "PNG", optimize=True)
        media_type = "image/png"
    else:
        image.convert("RGB").save(output, "JPEG", quality=90, optimize=True, progressive=False)
        media_type = "image/jpeg"
    return Prepared(output.getvalue(), media_type, image.width, image.height)


def save_image(org_id: str, project_id: str, filename: str, prepared: Prepared) -> ImageFile:
    suffix = ".png" if prepared.media_type == "image/png" else ".jpg"
    record = ImageFile(org_id=org_id, project_id=project_id, filename=filename[:200],
                       media_type=prepared.media_type, width=prepared.width, height=prepared.height,
                       size=len(prepared.data), file_key=file_store().put(prepared.data, suffix))
    session().add(record)
    session().commit()
    return record


def get_image(org_id: str, image_id: str) -> ImageFile:
    return owned(ImageFile, org_id, image_id, "image")


def project_images(project_id: str, ids: set[str]) -> dict[str, ImageFile]:
    """The project's images among `ids`, by id."""
    if not ids:
        return {}
    query = select(ImageFile).where(ImageFile.project_id == project_id, ImageFile.id.in_(ids))
    return {image.id: image for image in session().scalars(query)}


def list_images(project_id: str) -> list[ImageFile]:
    query = select(ImageFile).where(ImageFile.project_id == project_id).order_by(ImageFile.created_at.desc())
    return list(session().scalars(query))


def resolve_uploads(project_id: str, named: dict[str, str | None]) -> dict[str, str]:
    """Uploaded images named at field paths (asset:NAME needs no upload) as id → stored file key.

    Any that is not this project's is a 422 naming its field, as if the schema had caught it.
    """
    wanted = {ref for ref in named.values() if ref and not ref.startswith("asset:")}
    found = project_images(project_id, wanted)
    errors = {path: ["There is no uploaded image with this id in this project."]
              for path, ref in named.items() if ref in wanted - set(found)}
    if errors:
        raise Invalid(f"The data has {len(errors)} problem(s).", errors)
    return {image_id: image.file_key for image_id, image in found.items()}
