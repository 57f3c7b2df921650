"""The organisation's projects, newest first, and each project's page."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, url_for

from labdocs import images, projects, reports, zines
from labdocs.documents import list_documents, recent_documents
from labdocs.imports import DRAFT
from labdocs.infra.models import Project
from labdocs.render.page import award_facts
from labdocs.web.session import person, signed_in

bp = Blueprint("projects", __name__)


@bp.get("/")
def home() -> Any:
    return redirect(url_for(".index"))


@bp.get("/projects")
@signed_in
def index() -> str:
    org_id = person().org_id
    documents = recent_documents(org_id)
    listed = projects.list_projects(org_id)
    return render_template("projects.html", projects=listed, documents=documents,
                           titles={p.id: p.title for p in listed})


@bp.get("/projects/<project_id>")
@signed_in
def show(project_id: str) -> str:
    project = projects.get_project(person().org_id, project_id)
    return render_template("project.html", project=project, assessment=projects.assess(project.bid),
                           report=reports.get_report(project), report_started=bool(reports.report_so_far(project)),
                           zines=zines.list_zines(project.id), photos=images.list_images(project.id),
                           documents=list_documents(project.org_id, project.id),
                           pending_import=(project.drafts or {}).get(DRAFT), award_facts=award_facts(project.award))


def project_for(project_id: str) -> Project:
    return projects.get_project(person().org_id, project_id)
