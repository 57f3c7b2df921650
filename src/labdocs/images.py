"""Uploaded images: checked before they are decoded, stripped of metadata, stored once per project."""

from __future__ import annotations

import io
import re
import struct
import threading
import unicodedata
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO

from flask import current_app, has_app_context
from PIL import Image, ImageOps, UnidentifiedImageError
from PIL import ImageFile as PillowImageFile
from sqlalchemy import select

from labdocs.access import owned
from labdocs.errors import BadImage, Invalid, TooLarge, Unavailable
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
# Decoding one photo at the pixel limit takes about half a gigabyte (the pixels, the turned copy, the shrunk
# one), so each process decodes at most IMAGE_DECODES at once (a setting; this outside an app). An upload that
# finds them all busy waits up to IMAGE_DECODE_WAIT seconds, then is refused with 503 and Retry-After.
DECODES = 2
DECODE_WAIT = 10.0
BUSY_RETRY_AFTER = 5
# Stored names are for showing: the last part of the name sent, in printable characters, this long at most.
FILENAME_CHARS = 120
FALLBACK_STEM = "photo"

NOT_AN_IMAGE = "That file is not a JPEG, PNG or WebP image."
DAMAGED = "The image could not be read: it may be damaged or only partly there. Open it and save it again as a " \
    "JPEG or PNG, then upload that."
BUSY = "labdocs is reading other photos just now. Nothing is wrong with yours: upload it again in a few seconds."
# What Pillow raises, from the header to the last pixel, on a damaged or hostile file: oversized text or colour
# profile chunks and truncated headers are ValueError, broken chunks SyntaxError or struct.error, cut-off data
# OSError or EOFError, a broken compressed stream zlib.error, and a plugin's own checks the rest.
UNREADABLE: tuple[type[Exception], ...] = (OSError, SyntaxError, ValueError, TypeError, IndexError, KeyError,
                                           EOFError, struct.error, zlib.error)


@dataclass(frozen=True)
class Prepared:
    """An image ready to store: normalised bytes and what a page needs to know about them."""

    data: bytes
    media_type: str
    width: int
    height: int


def prepare_image(stream: IO[bytes]) -> Prepared:
    """Validate an upload and re-encode it: EXIF orientation applied, metadata (GPS included) dropped.

    Everything Pillow does with the file, from reading its header to encoding the result, happens in one of the
    process's decode slots and inside one guard, so no file can take more memory than its share or answer 500.
    """
    with decode_slot(), strict_decoding(), plain_image_errors():
        image = open_checked(stream)  # pixel count is checked from the header, before any decoding
        image.load()  # the whole decode, here, where its errors are caught (Pillow decodes lazily)
        image = ImageOps.exif_transpose(image)
        if max(image.size) > PRINT_SIDE:
            image.thumbnail((PRINT_SIDE, PRINT_SIDE), Image.Resampling.LANCZOS)
        return encode(image)


@contextmanager
def plain_image_errors() -> Iterator[None]:
    """Turn whatever Pillow raises on a bad file into BadImage or TooLarge, in words a person can act on."""
    try:
        yield
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_large() from None  # the warning is raised only where warnings are errors; either way, a bomb
    except MemoryError:  # within the limits, so the process is short of memory: not the photo's fault
        raise Unavailable(BUSY, retry_after=BUSY_RETRY_AFTER) from None
    except UnidentifiedImageError:
        raise bad_image(NOT_AN_IMAGE) from None
    except UNREADABLE:
        raise bad_image(DAMAGED) from None


def bad_image(message: str) -> BadImage:
    """A 422 naming the upload's form field, as the missing-file error does."""
    return BadImage(message, {"file": [message]})


def decode_limits() -> tuple[int, float]:
    """How many decodes at once, and how long to wait for one: the app's settings, else the defaults."""
    config = current_app.config if has_app_context() else {}
    return max(1, int(config.get("IMAGE_DECODES", DECODES))), float(config.get("IMAGE_DECODE_WAIT", DECODE_WAIT))


_slots_lock = threading.Lock()
_slots: dict[int, threading.BoundedSemaphore] = {}


def decode_slots(count: int) -> threading.BoundedSemaphore:
    """The process's semaphore for `count` decodes at once, made on first use (one per setting)."""
    with _slots_lock:
        if count not in _slots:
            _slots[count] = threading.BoundedSemaphore(count)
        return _slots[count]


@contextmanager
def decode_slot() -> Iterator[None]:
    """Hold one decode slot; when none frees within the wait, refuse (503, Retry-After) rather than queue on."""
    count, wait = decode_limits()
    slots = decode_slots(count)
    if not slots.acquire(timeout=max(wait, 0.0)):
        raise Unavailable(BUSY, retry_after=BUSY_RETRY_AFTER)
    try:
        yield
    finally:
        slots.release()


class StrictDecoding:
    """Refuse truncated files while any upload decodes, whatever the process-wide setting.

    WeasyPrint sets Pillow's LOAD_TRUNCATED_IMAGES at import, which would let a damaged upload through as a
    half-grey picture. Decodes run side by side, so the setting is turned off by the first to start and put back
    by the last to finish (a count, not each one's own copy, which the other would undo). Only validated images
    ever reach WeasyPrint, so it is safe for a render to run meanwhile.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.holders = 0
        self.previous = False

    @contextmanager
    def __call__(self) -> Iterator[None]:
        with self.lock:
            if not self.holders:
                self.previous = PillowImageFile.LOAD_TRUNCATED_IMAGES
            self.holders += 1
            PillowImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            with self.lock:
                self.holders -= 1
                if not self.holders:
                    PillowImageFile.LOAD_TRUNCATED_IMAGES = self.previous


strict_decoding = StrictDecoding()


def open_checked(stream: IO[bytes]) -> Image.Image:
    """Open (header only) and refuse unknown formats and oversized images before decoding pixels."""
    with plain_image_errors():
        image = Image.open(stream, formats=list(FORMATS))
    width, height = image.size
    if width < 1 or height < 1:
        raise bad_image(DAMAGED)
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


# Characters never kept in a stored name: controls (C0, DEL, C1), format characters (the bidirectional
# overrides, embeddings and isolates, the left-to-right and Arabic letter marks, zero-width spaces and joiners,
# the byte order mark), lone surrogates, and line and paragraph separators. Those that separate words (tabs,
# line breaks) become a space; the rest are dropped.
UNSHOWN_CATEGORIES = {"Cc", "Cf", "Cs", "Zl", "Zp"}
EXTENSION = re.compile(r"\.[^\s.]{1,9}$")


def clean_filename(name: str, suffix: str, fallback: str = FALLBACK_STEM) -> str:
    """The name an upload was sent with, made safe to store and show (its own extension kept where it can be).

    Only the last path part is kept; characters that are invisible, reorder the text around them or break a
    line or header are dropped; the rest is NFC, its spaces single, at most FILENAME_CHARS long. A name with
    nothing left becomes `fallback` (photo) plus the stored file's suffix.
    """
    shown = "".join(" " if char.isspace() else char for char in name
                    if char.isspace() or unicodedata.category(char) not in UNSHOWN_CATEGORIES)
    last_part = re.split(r"[/\\]", unicodedata.normalize("NFC", shown))[-1]
    single_spaced = re.sub(r" +", " ", last_part).strip()
    found = EXTENSION.search(single_spaced)
    extension = found[0] if found else ""
    stem = single_spaced.removesuffix(extension).strip(" .")
    if not stem:
        return fallback + suffix
    return stem[:FILENAME_CHARS - len(extension)].rstrip(" .") + extension


def save_image(org_id: str, project_id: str, filename: str, prepared: Prepared) -> ImageFile:
    """Store a prepared image and its record; the name sent with it is kept only as clean_filename leaves it."""
    suffix = ".png" if prepared.media_type == "image/png" else ".jpg"
    record = ImageFile(org_id=org_id, project_id=project_id, filename=clean_filename(filename, suffix),
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
