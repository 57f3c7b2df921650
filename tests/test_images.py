"""service/images.py and /projects/<id>/images: what is accepted, what is refused, and why."""

from __future__ import annotations

import io
import struct
import zlib
from typing import Any

import pytest
from flask.testing import FlaskClient
from PIL import Image

from labdocs.errors import LabdocsError
from labdocs.http.errors import http_status
from labdocs.images import prepare_image

from .conftest import BACKENDS


def jpeg(width: int = 300, height: int = 200, exif: Image.Exif | None = None) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (width, height), (200, 80, 40)).save(output, "JPEG", exif=exif or Image.Exif())
    return output.getvalue()


def noisy_jpeg() -> bytes:
    output = io.BytesIO()
    Image.effect_noise((600, 400), 60).convert("RGB").save(output, "JPEG", quality=95)
    return output.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims a size; its pixels are never there (a decompression bomb's shape)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + \
        chunk(b"IEND", b"")


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


def test_gif_is_refused() -> None:
    output = io.BytesIO()
    Image.new("P", (10, 10)).save(output, "GIF")
    with pytest.raises(LabdocsError, match="not a JPEG, PNG or WebP"):
        prepare_image(io.BytesIO(output.getvalue()))


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
