"""/projects/<id>/images: upload (multipart), list, and fetch a project's images."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request, url_for
from werkzeug.exceptions import RequestEntityTooLarge

from labdocs import deletion, images, projects
from labdocs.errors import Invalid, TooLarge
from labdocs.http.auth import caller
from labdocs.http.body import timestamp
from labdocs.http.limits import accepts_upload
from labdocs.infra.models import ImageFile
from labdocs.infra.storage import file_store

bp = Blueprint("images", __name__)


@bp.post("/projects/<project_id>/images")
@accepts_upload(images.UPLOAD_BYTES)
def upload(project_id: str) -> tuple[Response, int, dict[str, str]]:
    project = projects.get_project(caller().org_id, project_id)
    try:
        upload = request.files.get("file")
    except RequestEntityTooLarge:
        raise TooLarge(f"Images must be at most {images.MAX_BYTES // (1024 * 1024)} MB.") from None
    if upload is None or not upload.filename:
        raise Invalid("Send the image as a multipart form field called 'file'.",
                       {"file": ["This is required."]})
    record = images.save_image(project.org_id, project.id, upload.filename, images.prepare_image(upload.stream))
    return jsonify(image_json(record)), 201, {"Location": url_for(".show", image_id=record.id)}


@bp.get("/projects/<project_id>/images")
def index(project_id: str) -> Response:
    project = projects.get_project(caller().org_id, project_id)
    return jsonify({"images": [image_json(image) for image in images.list_images(project.id)]})


@bp.get("/images/<image_id>")
def show(image_id: str) -> Response:
    return jsonify(image_json(images.get_image(caller().org_id, image_id)))


@bp.get("/images/<image_id>/file")
def download(image_id: str) -> Response:
    image = images.get_image(caller().org_id, image_id)
    response = file_store().send(image.file_key, mimetype=image.media_type, max_age=3600)
    # Stored images never change, so the caller's browser may keep one; a shared cache must not (it is private).
    response.cache_control.public = False
    response.cache_control.private = True
    response.vary.add("Authorization")
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def image_json(image: ImageFile) -> dict[str, Any]:
    return {"id": image.id, "project_id": image.project_id, "filename": image.filename,
            "media_type": image.media_type, "width": image.width, "height": image.height, "size": image.size,
            "created_at": timestamp(image.created_at),
            "links": {"self": url_for("api.images.show", image_id=image.id),
                      "file": url_for("api.images.download", image_id=image.id)}}


@bp.delete("/images/<image_id>")
def remove(image_id: str) -> tuple[str, int]:
    """Delete a photo (409 while the report or a zine still shows it)."""
    deletion.delete_image(caller().org_id, image_id)
    return "", 204
