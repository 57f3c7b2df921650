"""Editing a rendered draft bid as partners would in Word: python-docx for text, raw WordprocessingML for tracked
changes, and zips put together by hand for hostile files."""

from __future__ import annotations

import base64
import copy
import io
import random
import zipfile
from collections.abc import Callable
from typing import Any

from docx.document import Document as DocumentObject
from docx.oxml import parse_xml
from docx.text.paragraph import Paragraph

from labdocs.render import bundled_sources
from labdocs.render.bid import render_bid_docx
from labdocs.schemas.bid import load_bid

from .docx_reading import open_docx

SOURCES = bundled_sources(lambda key: b"")
W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def render(bid: dict[str, Any]) -> bytes:
    return render_bid_docx(SOURCES, {"bid": load_bid(bid), "generated_on": "2026-11-24"}).data


def variant(bid: dict[str, Any]) -> dict[str, Any]:
    """Another bid: bullets in the summary, a line bought three times with match funding stated, an output
    whose target its words do not give, two partners, the declaration not yet agreed."""
    data = copy.deepcopy(bid)
    data["title"] = "Rethinking the high street"
    data["summary"] = "We will test three things:\n- a community shop\n- a repair café\n- a tool library"
    data["partners"] = [{"name": "Hackney Council", "kind": "council"}, {"name": "Action Together",
                                                                          "kind": "affiliate"}]
    data["budget"] = [
        {"description": "Facilitation days", "amount": "1500.00", "quantity": 3,
         "match_funding": {"amount": "2000.00", "source": "the Lottery"}},
        {"description": "Printing", "amount": "13000.00", "quantity": 1},
    ]
    data["funding_requested"] = "17500.00"
    data["outcomes"]["outputs"] = [{"description": "Residents trained in repair", "target": 40, "unit": "people"}]
    data["workstreams"] = ["A workstream the idea does not mention"]
    data["co_operative_difference_agreed"] = False
    return data


def long(bid: dict[str, Any]) -> dict[str, Any]:
    """Many budget lines and long answers to every aim (as tests/test_bid_docx.py lays them out)."""
    from .test_bid_docx import long_bid

    return long_bid(bid, 40, 6)


BIDS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {"example": lambda bid: bid, "variant": variant,
                                                                "long": long}


def edited(data: bytes, edit: Callable[[DocumentObject], None]) -> bytes:
    doc = open_docx(data)
    edit(doc)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def paragraph_starting(doc: DocumentObject, start: str) -> Paragraph:
    return next(p for p in doc.paragraphs if p.text.startswith(start))


def under(doc: DocumentObject, heading: str) -> list[Paragraph]:
    """The paragraphs with words under a heading, up to the next heading."""
    found = doc.paragraphs
    start = next(i for i, p in enumerate(found) if p.text == heading) + 1
    end = next(i for i, p in enumerate(found[start:], start) if p.style is not None
               and p.style.name.startswith("Heading"))
    return [p for p in found[start:end] if p.text]


def set_text(paragraph: Paragraph, text: str) -> None:
    """Replace a paragraph's words, keeping its style (as typing over it in Word does)."""
    for run in paragraph.runs[1:]:
        run._r.getparent().remove(run._r)
    if paragraph.runs:
        paragraph.runs[0].text = text
    else:
        paragraph.add_run(text)


def add_after(paragraph: Paragraph, text: str, style: str) -> Paragraph:
    new = copy.deepcopy(paragraph._p)
    paragraph._p.addnext(new)
    added = Paragraph(new, paragraph._parent)
    set_text(added, text)
    added.style = style
    return added


def track_insertion(paragraph: Paragraph, text: str, author: str = "A partner") -> None:
    """Word's own markup for typing with Track Changes on: the new run inside w:ins."""
    paragraph._p.append(parse_xml(
        f'<w:ins {W_NS} w:id="901" w:author="{author}" w:date="2026-11-25T10:00:00Z">'
        f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:ins>'))


def track_deletion(paragraph: Paragraph, author: str = "A partner") -> None:
    """Word's own markup for deleting a paragraph's words with Track Changes on: w:del around w:delText."""
    text = paragraph.text
    for run in list(paragraph.runs):
        run._r.getparent().remove(run._r)
    paragraph._p.append(parse_xml(
        f'<w:del {W_NS} w:id="902" w:author="{author}" w:date="2026-11-25T10:05:00Z">'
        f'<w:r><w:delText xml:space="preserve">{text}</w:delText></w:r></w:del>'))


def comment_on(doc: DocumentObject, paragraph: Paragraph, text: str, author: str = "A partner") -> None:
    doc.add_comment(paragraph.runs, text=text, author=author, initials="AP")


def zip_of(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def members_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def hostile_files(bid: dict[str, Any]) -> dict[str, bytes]:
    """Files an import must refuse before reading an answer from them, by what is wrong with each."""
    good = members_of(render(bid))
    document = good["word/document.xml"].decode("utf-8")
    xxe = document.replace("?>", '?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', 1)
    xxe = xxe.replace("<w:t>", "<w:t>&xxe;", 1)
    docm_types = good["[Content_Types].xml"].replace(
        b"wordprocessingml.document.main+xml", b"wordprocessingml.document.macroEnabled.main+xml")
    from docx import Document

    plain = io.BytesIO()
    Document().save(plain)
    return {
        "not a zip": b"This is not a Word document at all, just some text.",
        "zip bomb": zip_of({**good, "word/media/image1.png": b"\0" * (30 * 1024 * 1024)}),
        "highly compressed part": zip_of({**good, "word/document.xml": good["word/document.xml"] + b" " * 2**21}),
        "huge XML part": zip_of({**good, "word/document.xml": good["word/document.xml"]
                                 + base64.b64encode(random.Random(1).randbytes(5 * 2**20))}),
        "too many members": zip_of({**good, **{f"customXml/item{n}.xml": b"<a/>" for n in range(400)}}),
        "xxe entity": zip_of({**good, "word/document.xml": xxe.encode("utf-8")}),
        "docm with vbaProject.bin": zip_of({**good, "[Content_Types].xml": docm_types,
                                             "word/vbaProject.bin": b"\xd0\xcf\x11\xe0 macros"}),
        "not made by labdocs": plain.getvalue(),
    }
