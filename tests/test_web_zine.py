"""web/zine.py: the zine editor shows and keeps every setting a zine has, so saving the page as shown never
resets one set through the API (near-black as K and the heading colour once went back to their defaults)."""

from __future__ import annotations

import io
import zipfile
from html.parser import HTMLParser
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape
from PIL import Image
from werkzeug.datastructures import MultiDict

from labdocs import zines
from labdocs.documents import how_to_print, record_failure, request_document, zine_previews
from labdocs.infra.models import Document
from labdocs.orgs import find_org
from labdocs.projects import get_project
from labdocs.render.impose import padded
from labdocs.render.instructions import print_steps
from labdocs.schemas.zine import FORMATS, LAYOUT_FIELDS, MAX_PAGES, load_zine
from labdocs.zines import create_zine, get_zine

from .conftest import BACKENDS, signed_in

ZINE: dict[str, Any] = {"title": "Our lab", "format": "booklet-a5", "print": {"mode": "print-shop"},
        "theme": {"paper": "#10243E", "ink": "#F5F5F5", "accent": "#E8A33D"},
        "pages": [{"layout": "cover", "heading": "Our lab"},
                  {"layout": "text", "heading": "What we did", "body": "Met."}]}


class FormFields(HTMLParser):
    """The fields a browser would send for the page's main form, as it shows them (checkboxes only if checked)."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        name = found.get("name")
        if tag == "input" and name and found.get("type") not in ("submit", "file"):
            if found.get("type") not in ("checkbox", "radio") or "checked" in found:
                self.fields.append((name, found.get("value", "")))
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select and "selected" in found:
            self.fields.append((self.select, found.get("value", "")))
        elif tag == "textarea" and name:
            self.textarea, self.text = name, ""

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.fields.append((self.textarea, self.text.removeprefix("\n")))
            self.textarea = None


def fields_of(page: str) -> list[tuple[str, str]]:
    parser = FormFields()
    parser.feed(page[page.index('<form method="post" action="/zines/'):])
    return parser.fields


def stored(app: Flask, zine_id: str) -> dict[str, Any]:
    with app.app_context():
        org = find_org("Rochdale Borough Council")
        assert org is not None
        return dict(get_zine(org.id, zine_id).data)


@pytest.mark.parametrize(("settings", "expected"), [
    ({"print": {"mode": "print-shop", "black_as_k": False}, "theme": {"heading": "#FFD166"}, "language": "cy"},
     (False, "#FFD166")),
    ({}, (True, None)),
])
def test_saving_the_editor_as_shown_keeps_every_setting(web_app: Flask, web_project_id: str, settings: dict[str, Any],
                                                        expected: tuple[bool, str | None]) -> None:
    data = {**ZINE, "print": {**ZINE["print"], **settings.get("print", {})},
            "theme": {**ZINE["theme"], **settings.get("theme", {})}, "language": settings.get("language", "en-GB")}
    zine_id = stored_zine(web_app, web_project_id, data)
    before = stored(web_app, zine_id)
    client, _ = signed_in(web_app)
    page = client.get(f"/zines/{zine_id}").text
    assert 'name="theme-heading"' in page and 'name="black_as_k"' in page
    response = client.post(f"/zines/{zine_id}", data=MultiDict([*fields_of(page), ("action", "save")]))
    assert response.status_code == 303, response.text
    after = stored(web_app, zine_id)
    assert (after["print"]["black_as_k"], after["theme"]["heading"]) == expected
    assert after == before


def test_the_editor_sets_them_too(web_app: Flask, web_project_id: str) -> None:
    zine_id = stored_zine(web_app, web_project_id, ZINE)
    client, _ = signed_in(web_app)
    fields = [(name, value) for name, value in fields_of(client.get(f"/zines/{zine_id}").text)
              if name not in ("black_as_k", "theme-heading", "theme-heading-auto")]  # Automatic unticked
    bad = client.post(f"/zines/{zine_id}", data=MultiDict([*fields, ("theme-heading", "gold"), ("action", "save")]))
    assert bad.status_code == 422 and "theme-heading" in bad.text and 'value="gold"' in bad.text
    chosen = MultiDict([*fields, ("theme-heading", "#FFD166"), ("action", "save")])
    response = client.post(f"/zines/{zine_id}", data=chosen)
    assert response.status_code == 303
    assert (stored(web_app, zine_id)["print"]["black_as_k"], stored(web_app, zine_id)["theme"]["heading"]) == \
        (False, "#FFD166")


def visible_fields(page: str, number: int) -> set[str]:
    """The page fields the editor shows (not hidden inputs) for page `number` (0-based); a colour's Automatic box
    counts as its colour."""
    prefix = f"pages-{number}-"
    return {name.removeprefix(prefix).removesuffix("_auto") for name in Controls.of(page) if name.startswith(prefix)}


class Controls(HTMLParser):
    """The names of a page's visible form controls (inputs other than hidden, selects, textareas)."""

    def __init__(self) -> None:
        super().__init__()
        self.names: list[str] = []

    @classmethod
    def of(cls, page: str) -> list[str]:
        """Every visible control's name."""
        parser = cls()
        parser.feed(page)
        return parser.names

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        visible = tag in ("select", "textarea") or (tag == "input" and found.get("type") != "hidden")
        if visible and found.get("name"):
            self.names.append(found["name"])


def stored_zine(web_app: Flask, project_id: str, data: dict[str, Any]) -> str:
    """A zine stored for the signed-in person's organisation: its id."""
    with web_app.app_context():
        org = find_org("Rochdale Borough Council")
        assert org is not None
        return create_zine(get_project(org.id, project_id), load_zine(data)).id


def zine_with_page(web_app: Flask, project_id: str, page: dict[str, Any]) -> str:
    """The test zine with one more page, stored: its id."""
    return stored_zine(web_app, project_id, {**ZINE, "pages": [*ZINE["pages"], page]})


def test_each_page_shows_only_its_layouts_fields_and_a_layout_change_re_shows_them(
        web_app: Flask, web_project_id: str) -> None:
    zine_id = zine_with_page(web_app, web_project_id, {"layout": "quote", "heading": "", "quote": "We listened.",
                                                       "quote_by": "A resident"})
    client, _ = signed_in(web_app)
    page = client.get(f"/zines/{zine_id}").text
    assert visible_fields(page, 1) == {"layout", "heading", "body", "image", "alt", "decorative", "background"}
    assert visible_fields(page, 2) == {"layout", "heading", "quote", "quote_by", "background"}
    changed = {"pages-1-layout": "quote", "pages-1-quote": "Bold."}
    fields = [(name, changed.get(name, value)) for name, value in fields_of(page)]
    response = client.post(f"/zines/{zine_id}", data=MultiDict([*fields, ("action", "layout")]))
    assert response.status_code == 303, response.text
    again = client.get(response.headers["Location"]).text
    assert visible_fields(again, 1) == {"layout", "heading", "quote", "quote_by", "background"}
    assert stored(web_app, zine_id)["pages"][1]["body"] == "Met."  # the text page's text is kept, not lost


def test_colours_are_colour_inputs_with_their_measured_contrast_and_a_bad_one_is_a_form_error(
        web_app: Flask, web_project_id: str) -> None:
    zine_id = zine_with_page(web_app, web_project_id, {"layout": "text", "heading": "Grey", "body": "On grey.",
                                                       "background": "#777777"})
    client, _ = signed_in(web_app)
    page = client.get(f"/zines/{zine_id}").text
    assert 'type="color"' in page and 'name="theme-paper"' in page
    assert 'Now <span data-colour-hex="theme-paper">#10243E</span>.' in page
    assert "Text on it (#F5F5F5) measures 14.33:1: passes; WCAG AA needs at least 4.5:1 for body text." in page
    assert "Text on it (#F5F5F5) measures 4.11:1: fails; WCAG AA needs at least 4.5:1 for body text." in page
    fields = [(name, value) for name, value in fields_of(page) if name != "theme-paper"]
    bad = client.post(f"/zines/{zine_id}", data=MultiDict([*fields, ("theme-paper", "navy"), ("action", "save")]))
    assert bad.status_code == 422 and "Give a colour as #RRGGBB" in bad.text


def test_the_document_page_of_a_made_zine_shows_the_zips_print_instructions(
        web_app: Flask, web_project_id: str) -> None:
    zine_id = stored_zine(web_app, web_project_id, ZINE)
    client, _ = signed_in(web_app)
    fields = fields_of(client.get(f"/zines/{zine_id}").text)
    made = client.post(f"/zines/{zine_id}", data=MultiDict([*fields, ("action", "render")]))
    assert made.status_code == 303, made.text
    document_id = made.headers["Location"].rsplit("/", 1)[-1]
    for _ in range(12):
        if client.get(f"/documents/{document_id}/status?wait=10").get_json()["status"] in ("finished", "failed"):
            break
    page = client.get(made.headers["Location"]).text
    assert 'id="how-to-print"' in page
    with zipfile.ZipFile(io.BytesIO(client.get(f"/documents/{document_id}/download").data)) as bundle:
        text = bundle.read("preflight.txt").decode()
    steps = [line.removeprefix("- ") for line in text.split("How to print\n", 1)[1].splitlines() if line]
    assert steps and all(f"<li>{escape(step)}</li>" in page for step in steps)
    editor = client.get(f"/zines/{zine_id}").text  # the editor says the same of the zine as saved
    assert all(f"<li>{escape(step)}</li>" in editor for step in steps)


def changed_fields(page: str, changes: dict[str, str]) -> list[tuple[str, str]]:
    """The form's fields as shown, with some values changed or chosen as a designer would (the others as they are)."""
    shown = fields_of(page)
    names = {name for name, _ in shown}
    return [(name, changes.get(name, value)) for name, value in shown] + \
        [(name, value) for name, value in changes.items() if name not in names]


@pytest.mark.parametrize(("layout", "message", "fields"), [
    ("quote", "Now fill in the quote for page 2.", {"pages-1-quote": "We listened."}),
    ("image-full", "Now fill in the picture and a description of it for page 2.",
     {"pages-1-image": "asset:street.jpg", "pages-1-alt": "A street and its hall"}),
])
def test_a_layout_change_is_kept_as_a_draft_showing_the_fields_the_new_layout_needs(
        web_app: Flask, web_project_id: str, layout: str, message: str, fields: dict[str, str]) -> None:
    zine_id = stored_zine(web_app, web_project_id, ZINE)
    client, _ = signed_in(web_app)
    page = client.get(f"/zines/{zine_id}").text
    changed = client.post(f"/zines/{zine_id}", data=MultiDict(
        [*changed_fields(page, {"pages-1-layout": layout, "title": "Our lab, again"}), ("action", "layout")]))
    assert changed.status_code == 303 and changed.headers["Location"] == f"/zines/{zine_id}"  # not an error page
    again = client.get(changed.headers["Location"])
    assert again.status_code == 200 and message in again.text and "There is a problem" not in again.text
    assert visible_fields(again.text, 1) == {"layout", *LAYOUT_FIELDS[layout]}
    assert 'value="Our lab, again"' in again.text  # the rest of what was typed is kept with it
    assert stored(web_app, zine_id)["pages"][1]["layout"] == "text"  # the zine as saved is unchanged meanwhile
    # Saved again with the new fields shown but still empty, it is a mistake like any other.
    unfilled = client.post(f"/zines/{zine_id}", data=MultiDict([*fields_of(again.text), ("action", "save")]))
    assert unfilled.status_code == 422 and "There is a problem" in unfilled.text and message not in unfilled.text
    filled = client.post(f"/zines/{zine_id}", data=MultiDict([*changed_fields(again.text, fields), ("action", "save")]))
    assert filled.status_code == 303 and filled.headers["Location"].endswith("saved=1")
    saved = stored(web_app, zine_id)
    assert saved["title"] == "Our lab, again" and saved["pages"][1]["layout"] == layout
    assert saved["pages"][1]["body"] == "Met."  # the text page's text is kept, not lost
    assert message not in client.get(f"/zines/{zine_id}").text


def test_optional_colours_are_colour_pickers_with_an_automatic_box(web_app: Flask, web_project_id: str) -> None:
    zine_id = zine_with_page(web_app, web_project_id, {"layout": "text", "heading": "Grey", "body": "On grey.",
                                                       "background": "#777777"})
    client, _ = signed_in(web_app)
    page = client.get(f"/zines/{zine_id}").text
    for name in ("theme-heading", "pages-1-background", "pages-2-background"):
        assert f'name="{name}" type="color"' in page
    boxes = dict(fields_of(page))  # ticked boxes only
    assert boxes.get("theme-heading-auto") == "yes" and boxes.get("pages-1-background_auto") == "yes"
    assert "pages-2-background_auto" not in boxes  # the page with its own colour
    assert 'Now <span data-colour-hex="theme-heading">automatic</span>.' in page
    assert 'Now <span data-colour-hex="pages-2-background">#777777</span>.' in page
    # An automatic page's picker shows the colour the theme gives it, with what its text measures on it.
    assert 'id="pages-1-background" name="pages-1-background" type="color"\n         value="#10243E"' in page
    assert "Text on it (#F5F5F5) measures 4.11:1: fails" in page
    fields = [(name, value) for name, value in fields_of(page)
              if name not in ("theme-heading-auto", "pages-1-background_auto")]
    chosen = {"theme-heading": "#FFD166", "pages-1-background": "#0B4F6C", "pages-2-background_auto": "yes"}
    response = client.post(f"/zines/{zine_id}", data=MultiDict(
        [*[(name, chosen.get(name, value)) for name, value in fields], ("pages-2-background_auto", "yes"),
         ("action", "save")]))
    assert response.status_code == 303, response.text
    saved = stored(web_app, zine_id)
    assert saved["theme"]["heading"] == "#FFD166"
    assert [p["background"] for p in saved["pages"]] == [None, "#0B4F6C", None]
    shown = client.get(f"/zines/{zine_id}").text
    assert "Text on it (#FFD166) measures" in shown  # the chosen heading colour, measured on the paper


def test_the_script_keeps_each_pickers_hex_in_step_and_the_policy_allows_it(web_app: Flask,
                                                                           web_project_id: str) -> None:
    zine_id = zine_with_page(web_app, web_project_id, {"layout": "text", "heading": "Plain", "body": "Text."})
    client, _ = signed_in(web_app)
    response = client.get(f"/zines/{zine_id}")
    assert '<script src="/static/labdocs.js" defer></script>' in response.text and "<script>" not in response.text
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    script = client.get("/static/labdocs.js").text
    assert "data-colour-hex" in script and "data-automatic-for" in script


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_editor_and_the_document_page_give_the_same_print_steps_for_every_zine(fmt: str) -> None:
    """One use case (zines.how_to_print) for both: the editor's steps for the zine as saved are the document
    page's for a zip made from it, for every print mode and page count, with the pages as the renderer pads them."""
    for mode, crop_marks in (("print-shop", False), ("print-shop", True), ("home", False)):
        for count in range(1, MAX_PAGES + 1):
            pages = [{"layout": "text", "heading": f"Page {n}", "body": ""} for n in range(count)]
            data = {"format": fmt, "print": {"mode": mode, "crop_marks": crop_marks}, "pages": pages}
            made = Document(kind="zine", format="zip", status="finished", input={"zine": data}, files={})
            steps = how_to_print(made)
            assert steps and steps == zines.how_to_print(data), (mode, crop_marks, count)
            printed = len(padded(pages, fmt == "booklet-a5"))
            assert steps == print_steps(fmt, mode, crop_marks, printed)
            if fmt == "booklet-a5" and mode == "print-shop":
                assert f"booklet of {count + -count % 4} pages" in steps[0]
    preview = Document(kind="zine", format="png", status="finished", input={"zine": data}, files={})
    assert how_to_print(preview) == []  # page previews are not printed


class Images(HTMLParser):
    """Each <img> of a page: its alt text and src."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []

    @classmethod
    def of(cls, page: str) -> list[tuple[str, str]]:
        parser = cls()
        parser.feed(page)
        return parser.found

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        if tag == "img":
            self.found.append((found.get("alt", ""), found.get("src", "")))


PREVIEWED: dict[str, Any] = {**ZINE, "pages": [*ZINE["pages"], {"layout": "quote", "heading": "In their words",
                                                                 "quote": "We listened.", "quote_by": "A resident"}]}


def previews_of(web_app: Flask, zine_id: str) -> list[Document]:
    """The zine's preview documents, newest first: the latest asked for, then the latest finished."""
    with web_app.app_context():
        org = find_org("Rochdale Borough Council")
        assert org is not None
        found = zine_previews(get_zine(org.id, zine_id))
        return [document for document in (found["latest"], found["finished"]) if document is not None]


def settled(client: FlaskClient, document_id: str) -> str:
    """Wait (through the status page's own route) until the document is made or failed; its status."""
    for _ in range(12):
        status = str(client.get(f"/documents/{document_id}/status?wait=10").get_json()["status"])
        if status in ("finished", "failed"):
            return status
    raise AssertionError(f"document {document_id} still not made")


def main_colour(png: bytes) -> tuple[int, ...]:
    """The colour most of an image is."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    _, colour = max(image.getcolors(image.width * image.height) or [], key=lambda entry: entry[0])
    assert isinstance(colour, tuple)  # an RGB image's colours are (r, g, b)
    return tuple(int(part) for part in colour)


def near(colour: tuple[int, ...], hex_colour: str) -> bool:
    expected = tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return all(abs(a - b) <= 3 for a, b in zip(colour, expected, strict=True))


@pytest.mark.parametrize("backend", BACKENDS, indirect=True)  # finding a zine's previews reads their JSON input
def test_save_and_preview_shows_each_page_as_it_will_print_beside_its_fields(web_app: Flask,
                                                                           web_project_id: str) -> None:
    zine_id = stored_zine(web_app, web_project_id, PREVIEWED)
    client, _ = signed_in(web_app)
    page = client.get(f"/zines/{zine_id}").text
    assert "Save and preview the pages" in page and not Images.of(page)  # no preview yet
    asked = client.post(f"/zines/{zine_id}", data=MultiDict(
        [*changed_fields(page, {"pages-1-heading": "Who took part"}), ("action", "preview")]))
    assert asked.status_code == 303 and asked.headers["Location"] == f"/zines/{zine_id}?saved=1"
    document = previews_of(web_app, zine_id)[0]
    assert (document.kind, document.format, document.input["zine"]) == ("zine", "png", stored(web_app, zine_id))
    assert settled(client, document.id) == "finished"
    editor = client.get(f"/zines/{zine_id}").text
    assert "Making the preview…" not in editor and editor.count("As it will print.") == 3
    base = f"/documents/{document.id}/files/thumbnails"
    assert Images.of(editor) == [
        ("Page 1 as it will print: Cover layout, heading “Our lab”", f"{base}/reader-01.png"),
        ("Page 2 as it will print: Text layout, heading “Who took part”", f"{base}/reader-02.png"),
        # a booklet of three pages prints as four: with no back cover to go before, the blank comes last
        ("Page 3 as it will print: Quote layout, heading “In their words”", f"{base}/reader-03.png")]
    made = previews_of(web_app, zine_id)[0]
    assert set(made.files) == {f"thumbnails/reader-0{n}.png" for n in (1, 2, 3, 4)}  # no print files, no preflight
    for (_, src), colour in zip(Images.of(editor), ("#E8A33D", "#10243E", "#E8A33D"), strict=True):
        shown = client.get(src)
        assert shown.mimetype == "image/png" and "attachment" not in shown.headers.get("Content-Disposition", "")
        assert abs(Image.open(io.BytesIO(shown.data)).width - 360) <= 1  # the trim, rounded to whole pixels
        assert near(main_colour(shown.data), colour), src  # the cover and quote on the accent, text on the paper
    # A changed page is marked out of date; the others still show as they will print.
    changed = client.post(f"/zines/{zine_id}", data=MultiDict(
        [*changed_fields(editor, {"pages-1-heading": "Who came"}), ("action", "save")]))
    assert changed.status_code == 303
    later = client.get(f"/zines/{zine_id}").text
    assert later.count("Out of date</strong>") == 1 and later.count("As it will print.") == 2
    assert "Some page previews are out of date" in later
    assert Images.of(later)[1][0] == "Page 2 as it will print: Text layout, heading “Who took part”"  # as pictured


def test_the_editor_says_making_the_preview_while_the_job_runs_and_why_one_failed(web_app: Flask,
                                                                                web_project_id: str) -> None:
    with web_app.app_context():
        org = find_org("Rochdale Borough Council")
        assert org is not None
        project = get_project(org.id, web_project_id)
        zine = create_zine(project, load_zine(PREVIEWED))
        zine_id = zine.id
        # Asked for but not yet queued: as the editor sees a preview that a worker has not finished.
        document_id = request_document(project, "zine", "png", False, "user lead@example.org", zine.id).id
    client, _ = signed_in(web_app)
    editor = client.get(f"/zines/{zine_id}").text
    assert "Making the preview…" in editor
    assert f'data-status-url="/documents/{document_id}/status"' in editor
    with web_app.app_context():
        record_failure(document_id, "The worker went away.", final=True)
    failed = client.get(f"/zines/{zine_id}").text
    assert "Making the preview…" not in failed and "The preview could not be made: The worker went away." in failed


def test_a_previews_document_page_shows_its_pages_and_no_preflight(web_app: Flask, web_project_id: str) -> None:
    zine_id = stored_zine(web_app, web_project_id, PREVIEWED)
    client, _ = signed_in(web_app)
    asked = client.post(f"/zines/{zine_id}", data=MultiDict([*fields_of(client.get(f"/zines/{zine_id}").text),
                                                              ("action", "preview")]))
    assert asked.status_code == 303
    document = previews_of(web_app, zine_id)[0]
    assert settled(client, document.id) == "finished"
    page = client.get(f"/documents/{document.id}").text
    assert "Zine (page previews)" in page and "Preflight" not in page and "Sheets to print" not in page
    assert f'href="/zines/{zine_id}"' in page and 'id="how-to-print"' not in page
    assert [alt for alt, _ in Images.of(page)] == [f"Preview of page {n}" for n in (1, 2, 3, 4)]


def test_a_layout_change_with_a_page_removed_above_it_asks_for_the_right_page(web_app: Flask,
                                                                              web_project_id: str) -> None:
    zine_id = zine_with_page(web_app, web_project_id, {"layout": "text", "heading": "Third", "body": "More."})
    client, _ = signed_in(web_app)
    page = client.get(f"/zines/{zine_id}").text
    response = client.post(f"/zines/{zine_id}", data=MultiDict(
        [*changed_fields(page, {"pages-2-layout": "quote"}), ("action", "remove-pages-0")]))
    assert response.status_code == 303 and response.headers["Location"] == f"/zines/{zine_id}"
    again = client.get(response.headers["Location"]).text
    assert "Now fill in the quote for page 2." in again and "There is a problem" not in again
    assert visible_fields(again, 1) == {"layout", *LAYOUT_FIELDS["quote"]}
    assert len(stored(web_app, zine_id)["pages"]) == 3  # nothing saved until the quote is given


@pytest.mark.parametrize(("decorative", "status"), [("yes", 303), (None, 422)])
def test_a_picture_marked_as_decoration_needs_no_description(web_app: Flask, web_project_id: str,
                                                            decorative: str | None, status: int) -> None:
    zine_id = zine_with_page(web_app, web_project_id, {"layout": "text", "heading": "Drawn", "body": "Words."})
    client, _ = signed_in(web_app)
    page = client.get(f"/zines/{zine_id}").text
    changes = {"pages-2-image": "asset:garden.jpg", "pages-2-alt": ""} | (
        {"pages-2-decorative": decorative} if decorative else {})
    response = client.post(f"/zines/{zine_id}", data=MultiDict([*changed_fields(page, changes), ("action", "save")]))
    assert response.status_code == status
    if decorative:
        assert stored(web_app, zine_id)["pages"][2]["decorative"] is True
        assert 'name="pages-2-decorative" type="checkbox" value="yes" checked' in client.get(f"/zines/{zine_id}").text
    else:
        assert "or mark it as decorative" in response.text
