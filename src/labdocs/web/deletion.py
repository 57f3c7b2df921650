"""Deleting from the pages: a confirmation page saying what will go, then the same use cases as the API."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, url_for

from labdocs import deletion, documents, images, zines
from labdocs.web.projects import project_for
from labdocs.web.session import person, signed_in

bp = Blueprint("deletion", __name__)


@bp.get("/projects/<project_id>/delete")
@signed_in
def confirm_project(project_id: str) -> str:
    """What deleting the project removes, before anything is removed."""
    project = project_for(project_id)
    goes = [f"{len(documents.list_documents(project.org_id, project.id))} document(s) made from it",
            f"{len(images.list_images(project.id))} uploaded photo(s)", f"{len(zines.list_zines(project.id))} zine(s)",
            "its final report, if it has one"]
    return render_template("delete.html", title=project.title, what="project", goes=goes,
                           action=url_for(".delete_project", project_id=project.id),
                           back=url_for("web.projects.show", project_id=project.id))


@bp.post("/projects/<project_id>/delete")
@signed_in
def delete_project(project_id: str) -> Any:
    deletion.delete_project(person().org_id, project_id)
    return redirect(url_for("web.projects.index", deleted="project"), 303)


@bp.get("/documents/<document_id>/delete")
@signed_in
def confirm_document(document_id: str) -> str:
    document = documents.get_document(person().org_id, document_id)
    project = project_for(document.project_id)
    return render_template("delete.html", title=project.title, what="document", goes=["the file and its parts"],
                           action=url_for(".delete_document", document_id=document.id),
                           back=url_for("web.documents.show", document_id=document.id))


@bp.post("/documents/<document_id>/delete")
@signed_in
def delete_document(document_id: str) -> Any:
    document = documents.get_document(person().org_id, document_id)
    deletion.delete_document(person().org_id, document_id)
    return redirect(url_for("web.projects.show", project_id=document.project_id, deleted="document"), 303)


@bp.get("/zines/<zine_id>/delete")
@signed_in
def confirm_zine(zine_id: str) -> str:
    zine = zines.get_zine(person().org_id, zine_id)
    return render_template("delete.html", title=zine.title, what="zine", goes=[],
                           action=url_for(".delete_zine", zine_id=zine.id),
                           back=url_for("web.zine.edit", zine_id=zine.id))


@bp.post("/zines/<zine_id>/delete")
@signed_in
def delete_zine(zine_id: str) -> Any:
    zine = zines.get_zine(person().org_id, zine_id)
    deletion.delete_zine(person().org_id, zine_id)
    return redirect(url_for("web.projects.show", project_id=zine.project_id, deleted="zine"), 303)


@bp.get("/images/<image_id>/delete")
@signed_in
def confirm_image(image_id: str) -> str:
    image = images.get_image(person().org_id, image_id)
    used = deletion.image_uses(image)
    return render_template("delete.html", title=image.filename, what="photo", goes=[], used=used,
                           action=url_for(".delete_image", image_id=image.id),
                           back=url_for("web.projects.show", project_id=image.project_id))


@bp.post("/images/<image_id>/delete")
@signed_in
def delete_image(image_id: str) -> Any:
    """Deleted, or (still shown in the report or a zine) the 409 page saying where."""
    image = images.get_image(person().org_id, image_id)
    deletion.delete_image(person().org_id, image_id)
    return redirect(url_for("web.projects.show", project_id=image.project_id, deleted="photo"), 303)
