"""web/report: the coordinator's report written part by part; nothing typed is lost, photos included."""

from __future__ import annotations

import io
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image

from labdocs.infra.models import Report
from labdocs.orgs import find_org
from labdocs.reports import get_report, report_so_far
from labdocs.web.report import PARTS

from .conftest import signed_in


@pytest.fixture
def project_id(web_project_id: str) -> str:
    """The example bid (complete) as a project of the signed-in person's organisation."""
    return web_project_id


def part_url(project_id: str, slug: str) -> str:
    return f"/projects/{project_id}/report/{slug}"


def stored(app: Flask, project_id: str) -> tuple[Report | None, dict[str, Any]]:
    with app.app_context():
        from labdocs.projects import get_project
        project = get_project(find_org("Rochdale Borough Council").id, project_id)  # type: ignore[union-attr]
        return get_report(project), report_so_far(project)


def photo(size: tuple[int, int] = (40, 30)) -> io.BytesIO:
    data = io.BytesIO()
    Image.new("RGB", size, "#1d70b8").save(data, "PNG")
    data.seek(0)
    return data


def post(client: FlaskClient, csrf: str, project_id: str, slug: str, fields: dict[str, Any], **kwargs: Any) -> Any:
    return client.post(part_url(project_id, slug), data={"csrf_token": csrf, **fields}, **kwargs)


def test_every_part_opens_and_the_overview_lists_them(web_app: Flask, project_id: str) -> None:
    client, _ = signed_in(web_app)
    overview = client.get(f"/projects/{project_id}/report")
    assert overview.status_code == 200
    for part in PARTS:
        assert part.title in overview.text
        page = client.get(part_url(project_id, part.slug))
        assert page.status_code == 200 and f"<h1 class=\"heading-l\">{part.title}</h1>" in page.text
    assert "Still to do" in overview.text and "When the lab ran</a>: This is required." in overview.text
    assert client.get(part_url(project_id, "nonsense")).status_code == 404


def test_parts_are_kept_until_the_report_is_whole_then_it_is_stored(web_app: Flask, project_id: str) -> None:
    client, csrf = signed_in(web_app)
    response = post(client, csrf, project_id, "people", {"participants-total": "47", "people-0": "40",
                                                         "action": "continue"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/report/activities")
    report, so_far = stored(web_app, project_id)
    assert report is None and so_far["participants"] == {"total": 47, "by_partner": {"Rochdale Borough Council": 40}}
    assert 'value="47"' in client.get(part_url(project_id, "people")).text  # saved, shown again
    post(client, csrf, project_id, "dates", {"period-start": "2024-04-01", "period-end": "2025-03-31"})
    assert stored(web_app, project_id)[0] is None
    overview = client.get(f"/projects/{project_id}/report").text
    assert "The co-operative difference" in overview and "Download report as PDF" not in overview
    post(client, csrf, project_id, "meaning", {"co_operative_difference": "Residents decided."})
    report, _ = stored(web_app, project_id)
    assert report is not None and report.data["participants"]["total"] == 47
    assert report.data["period"] == {"start": "2024-04-01", "end": "2025-03-31"}
    overview = client.get(f"/projects/{project_id}/report").text
    assert "Download report as PDF" in overview and "Download report as a web page" in overview
    assert "Still to do" not in overview


def test_a_stored_report_cannot_lose_a_field_it_needs(web_app: Flask, project_id: str) -> None:
    client, csrf = signed_in(web_app)
    post(client, csrf, project_id, "dates", {"period-start": "2024-04-01", "period-end": "2025-03-31"})
    post(client, csrf, project_id, "meaning", {"co_operative_difference": "Residents decided."})
    emptied = post(client, csrf, project_id, "meaning", {"co_operative_difference": "", "learning": "Lots"})
    assert emptied.status_code == 422 and 'href="#co_operative_difference"' in emptied.text
    report, _ = stored(web_app, project_id)
    assert report is not None and report.data["co_operative_difference"] == "Residents decided."
    again = client.get(part_url(project_id, "meaning")).text  # the draft, with what was typed and its error
    assert "Lots" in again and "There is a problem" in again
    assert "Not saved: has errors" in client.get(f"/projects/{project_id}/report").text


@pytest.mark.parametrize(("slug", "fields", "field_id"), [
    ("dates", {"period-start": "2025-04-01", "period-end": "2024-03-31"}, "period-end"),
    ("dates", {"period-start": "2025-02-30", "period-end": "2025-03-31"}, "period-start"),
    ("dates", {"period-start": "2024-04-01"}, "period-end"),
    ("results", {"results-0-achieved": "lots"}, "results-0-achieved"),
    ("results", {"results-2-achieved": "1e999"}, "results-2-achieved"),
    ("spend", {"spend-1-spent": "12.345"}, "spend-1-spent"),
    ("spend", {"amount_awarded": "-5"}, "amount_awarded"),
    ("people", {"participants-total": "-3"}, "participants-total"),
    ("people", {"participants-total": "4", "people-1": "²"}, "people-1"),
    ("activities", {"activities-0-title": "Launch"}, "activities-0-date"),
    ("case-studies", {"case_studies-0-title": "A story"}, "case_studies-0-story"),
    ("case-studies", {"case_studies-0-title": "T", "case_studies-0-story": "S",
                      "case_studies-0-image": "asset:round-table.png"}, "case_studies-0-alt"),
    ("case-studies", {"case_studies-0-title": "T", "case_studies-0-story": "S", "case_studies-0-alt": "A",
                      "case_studies-0-image": "0" * 32}, "case_studies-0-image"),
    ("principles", {"principles_met": "world_peace"}, "principles_met"),
    ("contact", {"contact-name": "Sam"}, "contact-email"),
    ("contact", {"contact-name": "Sam", "contact-email": "sam at example"}, "contact-email"),
])
def test_mistakes_are_named_beside_their_field_and_what_was_typed_stays(web_app: Flask, project_id: str, slug: str,
                                                                        fields: dict[str, str], field_id: str) -> None:
    client, csrf = signed_in(web_app)
    response = post(client, csrf, project_id, slug, {**fields, "action": "continue"})
    assert response.status_code == 422
    assert f'href="#{field_id}"' in response.text and f'id="{field_id}-error"' in response.text
    again = client.get(part_url(project_id, slug)).text
    typed = [value for key, value in fields.items() if not key.endswith(("-image", "principles_met"))]  # not boxes
    assert all(value in again for value in typed)
    assert stored(web_app, project_id)[1] == {}  # nothing wrong was stored


def test_a_photo_uploads_inside_its_case_study_and_keeps_what_was_typed(web_app: Flask, project_id: str) -> None:
    client, csrf = signed_in(web_app)
    post(client, csrf, project_id, "dates", {"period-start": "2024-04-01", "period-end": "2025-03-31"})
    typed = {"case_studies-0-title": "Young people decide", "case_studies-0-story": "They chose three grants.",
             "case_studies-0-quote": "We were listened to."}
    response = post(client, csrf, project_id, "case-studies",
                    {**typed, "case_studies-0-photo": (photo(), "hall.png"), "action": "upload-case_studies-0"},
                    content_type="multipart/form-data")
    # The photo is chosen for the case study; what was typed is all there; the page asks for the photo's description.
    assert response.status_code == 422
    assert all(value in response.text for value in typed.values())
    assert "Uploaded hall.png (40 × 30 pixels) for case study 1." in response.text
    assert 'href="#case_studies-0-alt"' in response.text
    assert '" selected>hall.png</option>' in response.text
    described = post(client, csrf, project_id, "case-studies",
                     {**typed, "case_studies-0-image": image_id(response.text),
                      "case_studies-0-alt": "A hall of young people voting"})
    assert described.status_code == 303
    _, so_far = stored(web_app, project_id)
    assert so_far["case_studies"][0]["image"] == image_id(response.text)
    assert so_far["case_studies"][0]["quote"] == "We were listened to."


def image_id(html: str) -> str:
    start = html.index('" selected>hall.png</option>')
    return html[html.rindex('value="', 0, start) + len('value="'):start]


@pytest.mark.parametrize(("upload", "message"), [
    ((io.BytesIO(b"not an image"), "notes.png"), "is not a JPEG, PNG or WebP image"),
    (None, "Choose a photo to upload."),
])
def test_a_bad_photo_is_refused_beside_its_field_and_keeps_what_was_typed(web_app: Flask, project_id: str,
                                                                          upload: Any, message: str) -> None:
    client, csrf = signed_in(web_app)
    typed = {"case_studies-0-title": "Young people decide", "case_studies-0-story": "They chose three grants."}
    fields: dict[str, Any] = {**typed, "action": "upload-case_studies-0"}
    if upload:
        fields["case_studies-0-photo"] = upload
    response = post(client, csrf, project_id, "case-studies", fields, content_type="multipart/form-data")
    assert response.status_code == 422 and message in response.text
    assert 'id="case_studies-0-photo-error"' in response.text
    assert stored(web_app, project_id)[1]["case_studies"][0]["title"] == "Young people decide"


def test_rows_are_added_and_removed_without_losing_the_others(web_app: Flask, project_id: str) -> None:
    client, csrf = signed_in(web_app)
    rows = {"activities-0-date": "2024-05-01", "activities-0-title": "Launch",
            "activities-1-date": "2024-06-01", "activities-1-title": "Workshop"}
    added = post(client, csrf, project_id, "activities", {**rows, "action": "add-activities"})
    assert added.status_code == 200 and "Activity 3" in added.text and "Workshop" in added.text
    removed = post(client, csrf, project_id, "activities", {**rows, "action": "remove-activities-0"})
    assert removed.status_code == 200
    assert [a["title"] for a in stored(web_app, project_id)[1]["activities"]] == ["Workshop"]


def test_another_organisation_gets_404_for_every_part(web_app: Flask, project_id: str) -> None:
    other, csrf = signed_in(web_app, "other@example.org")
    for part in PARTS:
        assert other.get(part_url(project_id, part.slug)).status_code == 404
        assert post(other, csrf, project_id, part.slug, {"notice": "Hijack"}).status_code == 404
    assert other.get(f"/projects/{project_id}/report").status_code == 404
