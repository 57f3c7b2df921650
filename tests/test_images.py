"""service/images.py and /projects/<id>/images: what is accepted, what is refused, and why."""

from __future__ import annotations

import io
import re
import struct
import threading
import urllib.parse
import uuid
import zlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image

from labdocs import images
from labdocs.errors import BadImage, LabdocsError, Unavailable
from labdocs.http.errors import http_status
from labdocs.images import clean_filename, prepare_image

from .conftest import BACKENDS, new_key, new_project, signed_in

NOT_AN_IMAGE = "That file is not a JPEG, PNG or WebP image."
DAMAGED = "The image could not be read: it may be damaged or only partly there. Open it and save it again as a " \
    "JPEG or PNG, then upload that."
BUSY = "labdocs is reading other photos just now. Nothing is wrong with yours: upload it again in a few seconds."
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def jpeg(width: int = 300, height: int = 200, exif: Image.Exif | None = None) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (width, height), (200, 80, 40)).save(output, "JPEG", exif=exif or Image.Exif())
    return output.getvalue()


def noisy_jpeg() -> bytes:
    output = io.BytesIO()
    Image.effect_noise((600, 400), 60).convert("RGB").save(output, "JPEG", quality=95)
    return output.getvalue()


def chunk(kind: bytes, data: bytes) -> bytes:
    """One PNG chunk: length, type, data, CRC of type and data."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def ihdr(width: int = 4, height: int = 4, depth: int = 8, colour: int = 2) -> bytes:
    return chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0))


def idat(width: int = 4, height: int = 4) -> bytes:
    """RGB pixel rows, each after its filter byte, compressed: the image data of an IHDR of that size."""
    return chunk(b"IDAT", zlib.compress(b"".join(b"\0" + b"\x80" * 3 * width for _ in range(height))))


def png(*extra: bytes, width: int = 4, height: int = 4) -> bytes:
    """A valid small PNG, with `extra` chunks between its header and its pixels."""
    return PNG_SIGNATURE + ihdr(width, height) + b"".join(extra) + idat(width, height) + chunk(b"IEND", b"")


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims a size; its pixels are never there (a decompression bomb's shape)."""
    return PNG_SIGNATURE + ihdr(width, height) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


# 20 MB of text squeezed into about 20 KB: past what Pillow lets a text or colour-profile chunk unpack to.
SWOLLEN = zlib.compress(b"a" * (20 * 2**20))


def saved(mode: str, kind: str, **options: Any) -> bytes:
    output = io.BytesIO()
    Image.new(mode, (8, 8), "red" if mode != "1" else 1).save(output, kind, **options)
    return output.getvalue()


def animated(kind: str) -> bytes:
    """Two frames, red then blue."""
    output = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(output, kind, save_all=True, append_images=[Image.new("RGB", (8, 8), "blue")])
    return output.getvalue()


WEBP = saved("RGB", "WEBP")


def test_orientation_is_applied_and_metadata_dropped() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° when shown
    exif[0x8825] = {1: "N", 2: (53.0, 37.0, 0.0)}  # GPS: where the photo was taken
    prepared = prepare_image(io.BytesIO(jpeg(300, 200, exif)))
    assert (prepared.width, prepared.height, prepared.media_type) == (200, 300, "image/jpeg")
    stored = Image.open(io.BytesIO(prepared.data))
    assert stored.size == (200, 300)
    assert not stored.getexif()


def test_large_photos_are_shrunk_once_to_what_print_needs() -> None:
    prepared = prepare_image(io.BytesIO(jpeg(6000, 4000)))
    assert (prepared.width, prepared.height) == (2600, 1733)  # 300 ppi across a full-bleed A5 page and more
    small = prepare_image(io.BytesIO(jpeg(1800, 2500)))
    assert (small.width, small.height) == (1800, 2500)  # already within what print needs: untouched


def test_transparency_keeps_png() -> None:
    output = io.BytesIO()
    Image.new("RGBA", (40, 40), (0, 0, 0, 0)).save(output, "PNG")
    assert prepare_image(io.BytesIO(output.getvalue())).media_type == "image/png"


@pytest.mark.parametrize(("data", "status", "message"), [
    (b"not an image at all", 422, "That file is not a JPEG, PNG or WebP image."),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>', 422,
     "That file is not a JPEG, PNG or WebP image."),
    (png_header_only(8000, 8000), 413,
     "The image is 8,000 × 8,000 pixels; it must be at most 40 megapixels and 12,000 pixels on its longest side."),
    (png_header_only(50_000, 50_000), 413,
     "The image must be at most 40 megapixels and 12,000 pixels on its longest side."),
    (png_header_only(13_000, 10), 413,
     "The image is 13,000 × 10 pixels; it must be at most 40 megapixels and 12,000 pixels on its longest side."),
    (noisy_jpeg()[:20_000], 422, "The image could not be read: it may be damaged"),
])
def test_refused_uploads(data: bytes, status: int, message: str) -> None:
    with pytest.raises(LabdocsError) as caught:
        prepare_image(io.BytesIO(data))
    assert http_status(caught.value) == status
    assert caught.value.message.startswith(message)


def test_truncated_upload_is_refused_even_after_weasyprint_loosens_pillow() -> None:
    import weasyprint  # noqa: F401  (sets PIL.ImageFile.LOAD_TRUNCATED_IMAGES = True at import)
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES is True
    with pytest.raises(LabdocsError, match="could not be read"):
        prepare_image(io.BytesIO(noisy_jpeg()[:20_000]))
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # WeasyPrint's own setting is left as it was


# Every way an upload can be bad that a person can send: each is a plain 422 (413 when it is too big), never a 500.
# The first five gave 500 before (Pillow's ValueError from Image.open, uncaught).
@pytest.mark.parametrize(("data", "status", "message"), [
    (png(chunk(b"zTXt", b"Comment\0\0" + SWOLLEN)), 422, DAMAGED),
    (png(chunk(b"iCCP", b"profile\0\0" + SWOLLEN)), 422, DAMAGED),
    (png(chunk(b"iTXt", b"Comment\0\x01\0\0\0" + SWOLLEN)), 422, DAMAGED),
    (PNG_SIGNATURE + chunk(b"IHDR", b"\0\0\0\4\0\0\0\4") + idat() + chunk(b"IEND", b""), 422, DAMAGED),
    (PNG_SIGNATURE + chunk(b"IHDR", b"\0\0\0\4") + idat() + chunk(b"IEND", b""), 422, DAMAGED),
    (PNG_SIGNATURE + ihdr()[:12], 422, DAMAGED),  # the file ends inside the header
    (PNG_SIGNATURE + ihdr(0, 0) + idat() + chunk(b"IEND", b""), 422, NOT_AN_IMAGE),
    (PNG_SIGNATURE + ihdr(4, 4, depth=7) + idat() + chunk(b"IEND", b""), 422, NOT_AN_IMAGE),
    (PNG_SIGNATURE + ihdr(2**31 - 1, 2**31 - 1) + idat() + chunk(b"IEND", b""), 413,
     "The image must be at most 40 megapixels"),
    (PNG_SIGNATURE + ihdr(12_001, 3_000) + idat(), 413, "The image is 12,001 × 3,000 pixels"),
    ((PNG_SIGNATURE + ihdr(100, 100) + idat(100, 100))[:-40], 422, DAMAGED),  # the pixels cut off
    (PNG_SIGNATURE + ihdr() + chunk(b"IDAT", b"\x78\x9cnot deflate") + chunk(b"IEND", b""), 422, DAMAGED),
    (PNG_SIGNATURE + ihdr() + chunk(b"IEND", b""), 422, DAMAGED),  # no pixels at all
    (PNG_SIGNATURE, 422, NOT_AN_IMAGE),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00", 422, NOT_AN_IMAGE),  # a header only
    (noisy_jpeg()[:2_000], 422, DAMAGED),
    (WEBP[:20] + b"\xff" * (len(WEBP) - 20), 422, DAMAGED),  # its VP8 chunk broken
    (WEBP[:len(WEBP) // 2], 422, DAMAGED),
    (b"RIFF\x20\x00\x00\x00WEBPVP8 \x10\x00\x00\x00" + b"\0" * 8, 422, DAMAGED),
    (saved("P", "GIF"), 422, NOT_AN_IMAGE),
    (saved("RGB", "BMP"), 422, NOT_AN_IMAGE),
    (saved("RGB", "TIFF"), 422, NOT_AN_IMAGE),
    (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>', 422, NOT_AN_IMAGE),
    (b"", 422, NOT_AN_IMAGE),
], ids=["huge-zTXt", "huge-iCCP", "huge-iTXt", "IHDR-short", "IHDR-shorter", "IHDR-cut-off", "IHDR-zero",
        "IHDR-bad-depth", "IHDR-absurd", "IHDR-too-wide", "IDAT-cut-off", "IDAT-not-deflate", "no-IDAT",
        "signature-only", "JPEG-header-only", "JPEG-cut-off", "WebP-broken-chunk", "WebP-cut-off", "WebP-empty-VP8",
        "GIF", "BMP", "TIFF", "SVG", "zero-bytes"])
def test_malformed_uploads_are_refused_in_plain_words(data: bytes, status: int, message: str) -> None:
    with pytest.raises(LabdocsError) as caught:
        prepare_image(io.BytesIO(data))
    assert http_status(caught.value) == status
    assert caught.value.message.startswith(message)
    if status == 422:
        assert isinstance(caught.value, BadImage) and caught.value.errors == {"file": [message]}


def test_strict_decoding_holds_until_the_last_overlapping_decode_ends(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two decodes that overlap: the first to end must not loosen Pillow while the second still decodes."""
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)  # as WeasyPrint leaves it
    first, second = images.strict_decoding(), images.strict_decoding()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
    second.__exit__(None, None, None)
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True


@pytest.mark.parametrize("kind", ["PNG", "WEBP"])
def test_an_animation_is_kept_as_a_still_of_its_first_frame(kind: str) -> None:
    """labdocs does not refuse animations: print has no time, so the first frame is the picture."""
    prepared = prepare_image(io.BytesIO(animated(kind)))
    stored = Image.open(io.BytesIO(prepared.data))
    assert (prepared.media_type, stored.format, getattr(stored, "n_frames", 1)) == ("image/jpeg", "JPEG", 1)
    red, _, blue = stored.convert("RGB").getpixel((4, 4))  # type: ignore[misc]
    assert red > 200 and blue < 60


def test_gif_is_refused() -> None:
    output = io.BytesIO()
    Image.new("P", (10, 10)).save(output, "GIF")
    with pytest.raises(LabdocsError, match="not a JPEG, PNG or WebP"):
        prepare_image(io.BytesIO(output.getvalue()))


# --- filenames ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("sent", "stored"), [
    ("hall.jpg", "hall.jpg"),
    ("evil\r\nSet-Cookie: a=b.jpg", "evil Set-Cookie: a=b.jpg"),
    ("a\x00b\x07\x1b[31m.png", "ab[31m.png"),
    ("\x85next\x9bline\x7f.jpg", "nextline.jpg"),
    ("invoice\u202egnp.exe", "invoicegnp.exe"),  # shown as "invoiceexe.png" with the override
    ("\u2066\u2067\u2068\u2069\u202a\u202b\u202c\u200e\u200f\u061cname.jpg", "name.jpg"),
    ("zero\u200bwidth\u200c\u200d\u2060\ufeff.jpg", "zerowidth.jpg"),
    ("e\u0301cole.jpg", "\u00e9cole.jpg"),  # NFC: one é, not e and a combining accent
    ("../../etc/passwd", "passwd"),
    ("C:\\Users\\me\\IMG 0001.JPG", "IMG 0001.JPG"),
    ("tab\tand\u00a0\u2028 spaces  .jpg", "tab and spaces.jpg"),
    ("x" * 300 + ".jpeg", "x" * 115 + ".jpeg"),
    ("half\ud800.jpg", "half.jpg"),
    ("\u202e\u200b\r\n", "photo.jpg"),
    ("...", "photo.jpg"),
    (".jpg", "photo.jpg"),
    ("folder/", "photo.jpg"),
    ("", "photo.jpg"),
], ids=["plain", "CR-LF", "C0-and-escape", "C1-and-DEL", "right-to-left-override", "bidi-controls", "zero-width",
        "NFC", "path", "windows-path", "spaces", "long", "lone-surrogate", "nothing-left", "dots", "extension-only",
        "folder", "empty"])
def test_stored_filenames_are_clean(sent: str, stored: str) -> None:
    cleaned = clean_filename(sent, ".jpg")
    assert cleaned == stored
    assert len(cleaned) <= images.FILENAME_CHARS and cleaned.isprintable()


def multipart(data: bytes, filename: str) -> tuple[bytes, str]:
    """A form with one file whose name is sent as RFC 5987 (filename*=UTF-8''…), which carries any character."""
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename*=UTF-8''{urllib.parse.quote(filename, safe='')}\r\nContent-Type: image/jpeg\r\n\r\n").encode()
    return body + data + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def test_a_hostile_filename_is_stored_and_served_clean(client: FlaskClient, auth: dict[str, str],
                                                      project: dict[str, Any]) -> None:
    body, content_type = multipart(jpeg(), "../evil\r\nX-Injected: 1\x00\u202egpj.exe")
    response = client.post(f"/api/v1/projects/{project['id']}/images", headers=auth, data=body,
                           content_type=content_type)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["filename"] == "evil X-Injected: 1gpj.exe"
    listed = client.get(f"/api/v1/projects/{project['id']}/images", headers=auth).get_json()["images"]
    assert [image["filename"] for image in listed] == ["evil X-Injected: 1gpj.exe"]
    fetched = client.get(response.get_json()["links"]["file"], headers=auth)
    assert fetched.status_code == 200 and "X-Injected" not in fetched.headers
    # The download is named by its stored key, never by the name sent: nothing of it reaches a header.
    assert re.fullmatch(r"inline; filename=[0-9a-f]{64}\.jpg", fetched.headers["Content-Disposition"])
    assert all(value.isprintable() for _, value in fetched.headers.items())


# --- decodes at once -----------------------------------------------------------------------------


class HeldDecodes:
    """Stands in for encode (the last step inside a decode slot): holds each decode there until let go,
    counting how many are inside at once."""

    def __init__(self, encode: Callable[[Image.Image], images.Prepared]) -> None:
        self.encode = encode
        self.changed = threading.Condition()
        self.inside = 0
        self.peak = 0
        self.go = threading.Semaphore(0)

    def __call__(self, image: Image.Image) -> images.Prepared:
        with self.changed:
            self.inside += 1
            self.peak = max(self.peak, self.inside)
            self.changed.notify_all()
        self.go.acquire(timeout=30)
        try:
            return self.encode(image)
        finally:
            with self.changed:
                self.inside -= 1
                self.changed.notify_all()

    def until_inside(self, count: int) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: self.inside == count, timeout=10)


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> Iterator[HeldDecodes]:
    holder = HeldDecodes(images.encode)
    monkeypatch.setattr(images, "encode", holder)
    yield holder
    for _ in range(10):  # let go of any a failed test left inside
        holder.go.release()


def uploads_in_threads(count: int, app: Flask | None = None) -> tuple[list[threading.Thread], list[Any]]:
    """`count` uploads decoding at once, each in its own thread (in `app`'s context if given)."""
    results: list[Any] = []

    def upload_one() -> None:
        try:
            if app is None:
                results.append(prepare_image(io.BytesIO(jpeg(64, 48))))
            else:
                with app.app_context():
                    results.append(prepare_image(io.BytesIO(jpeg(64, 48))))
        except LabdocsError as exc:
            results.append(exc)

    threads = [threading.Thread(target=upload_one) for _ in range(count)]
    for thread in threads:
        thread.start()
    return threads, results


def test_concurrent_decodes_never_exceed_the_bound(held: HeldDecodes) -> None:
    threads, results = uploads_in_threads(6)
    for left in range(6, 0, -1):  # let one go each time the slots are full (or all that are left are in)
        assert held.until_inside(min(images.DECODES, left)), f"{held.inside} decoding at once"
        held.go.release()
    for thread in threads:
        thread.join(timeout=30)
    assert held.peak == images.DECODES == 2
    assert [type(result) for result in results] == [images.Prepared] * 6


def test_an_upload_that_finds_every_slot_busy_is_refused_with_retry_after(held: HeldDecodes,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(images, "DECODE_WAIT", 0)
    threads, results = uploads_in_threads(2)
    assert held.until_inside(2)
    with pytest.raises(Unavailable) as caught:
        prepare_image(io.BytesIO(jpeg()))
    assert (http_status(caught.value), caught.value.retry_after, caught.value.message) == (503, 5, BUSY)
    for _ in range(3):  # the two held, and the one after
        held.go.release()
    for thread in threads:
        thread.join(timeout=30)
    assert [type(result) for result in results] == [images.Prepared] * 2
    assert isinstance(prepare_image(io.BytesIO(jpeg())), images.Prepared)  # the slots are free again


def test_the_api_answers_503_while_the_settings_decodes_are_busy(make_app: Callable[..., Flask], bid: dict[str, Any],
                                                                 held: HeldDecodes) -> None:
    app = make_app(IMAGE_DECODES=1, IMAGE_DECODE_WAIT=0)
    client = app.test_client()
    auth = {"Authorization": f"Bearer {new_key(app, 'Busy council')}"}
    project_id = client.post("/api/v1/projects", json=bid, headers=auth).get_json()["id"]
    threads, _ = uploads_in_threads(1, app)
    assert held.until_inside(1)
    busy = upload(client, auth, project_id, jpeg())
    assert busy.status_code == 503 and busy.headers["Retry-After"] == "5"
    assert busy.get_json() == {"code": "unavailable", "status": 503, "message": BUSY, "errors": {}}
    held.go.release()
    threads[0].join(timeout=30)
    held.go.release()
    assert upload(client, auth, project_id, jpeg()).status_code == 201


# --- the API ------------------------------------------------------------------------------------


def upload(client: FlaskClient, auth: dict[str, str], project_id: str, data: bytes, name: str = "photo.jpg") -> Any:
    return client.post(f"/api/v1/projects/{project_id}/images", headers=auth,
                       data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


@pytest.mark.parametrize("backend", BACKENDS, indirect=True)
def test_upload_list_and_fetch(client: FlaskClient, auth: dict[str, str], project: dict[str, Any]) -> None:
    response = upload(client, auth, project["id"], jpeg(640, 480))
    assert response.status_code == 201
    image = response.get_json()
    assert response.headers["Location"] == f"/api/v1/images/{image['id']}"
    assert (image["width"], image["height"], image["media_type"]) == (640, 480, "image/jpeg")
    listed = client.get(f"/api/v1/projects/{project['id']}/images", headers=auth).get_json()["images"]
    assert [item["id"] for item in listed] == [image["id"]]
    fetched = client.get(image["links"]["file"], headers=auth)
    assert fetched.mimetype == "image/jpeg" and Image.open(io.BytesIO(fetched.data)).size == (640, 480)
    # The caller's browser may keep it; a shared cache between the caller and us must not.
    assert fetched.cache_control.private and not fetched.cache_control.public
    assert "Authorization" in fetched.vary


def test_upload_errors_use_the_error_shape(client: FlaskClient, auth: dict[str, str],
                                           project: dict[str, Any]) -> None:
    too_big = upload(client, auth, project["id"], b"\xff" * (16 * 1024 * 1024))
    assert too_big.status_code == 413
    assert too_big.get_json()["message"] == "Images must be at most 15 MB."
    missing = client.post(f"/api/v1/projects/{project['id']}/images", headers=auth, data={},
                          content_type="multipart/form-data")
    assert missing.status_code == 422 and missing.get_json()["errors"] == {"file": ["This is required."]}
    bad = upload(client, auth, project["id"], b"GIF89a....", "x.gif")
    assert bad.status_code == 422 and bad.get_json()["code"] == "bad_image"


@pytest.mark.parametrize("data", [
    png(chunk(b"zTXt", b"Comment\0\0" + SWOLLEN)),
    png(chunk(b"iCCP", b"profile\0\0" + SWOLLEN)),
    PNG_SIGNATURE + chunk(b"IHDR", b"\0\0\0\4\0\0\0\4") + idat() + chunk(b"IEND", b""),
], ids=["huge-zTXt", "huge-iCCP", "IHDR-short"])
def test_uploads_that_gave_500_are_422s_in_the_error_shape(client: FlaskClient, auth: dict[str, str],
                                                           project: dict[str, Any], data: bytes) -> None:
    response = upload(client, auth, project["id"], data, "broken.png")
    assert response.status_code == 422
    assert response.get_json() == {"code": "bad_image", "status": 422, "message": DAMAGED,
                                   "errors": {"file": [DAMAGED]}}


def test_another_organisation_cannot_see_or_use_an_image(client: FlaskClient, auth: dict[str, str],
                                                        other_auth: dict[str, str], project: dict[str, Any],
                                                        report: dict[str, Any], bid: dict[str, Any]) -> None:
    image = upload(client, auth, project["id"], jpeg()).get_json()
    for url in (image["links"]["self"], image["links"]["file"]):
        assert client.get(url, headers=other_auth).status_code == 404
    theirs = client.post("/api/v1/projects", json=bid, headers=other_auth).get_json()
    report["case_studies"][1].update(image=image["id"], alt="A photo.")
    response = client.put(f"/api/v1/projects/{theirs['id']}/report", json=report, headers=other_auth)
    assert response.status_code == 422
    assert response.get_json()["errors"] == {
        "case_studies.1.image": ["There is no uploaded image with this id in this project."]}


def test_a_page_upload_of_a_damaged_photo_says_so(web_app: Flask) -> None:
    client, csrf = signed_in(web_app)
    project_id = new_project(client, csrf).split("/")[2]
    back = f"/projects/{project_id}/report"
    response = client.post(f"/projects/{project_id}/images", content_type="multipart/form-data",
                           data={"csrf_token": csrf, "back": back,
                                 "file": (io.BytesIO(png(chunk(b"zTXt", b"Comment\0\0" + SWOLLEN))), "x.png")})
    assert response.status_code == 303 and response.headers["Location"] == back
    assert "The image could not be read: it may be damaged or only partly there." in client.get(back).text
