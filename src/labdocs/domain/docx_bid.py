"""A draft bid DOCX that labdocs made and partners edited in Word, read back answer by answer.

The file is checked as a zip before any of it is parsed (its size, how many parts, how large each part unpacks
to and how far it is compressed, no macros), its XML is parsed with no DTD, no entities and no network, and it
must carry the marker property labdocs writes into every draft (tools/build_docx_templates.py). Each answer is
then read by the question heading above it, into the same plain text the paste sheet gives for the box
(labdocs.render.paste), so an unchanged answer reads back exactly as it was. Tracked changes and comments are
reported; tracked changes are taken all or none, as the person chooses.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any, Literal, TypedDict

from lxml import etree

from labdocs.domain.funder_form import AIMS, DECLARATION, QUESTIONS, WALKING_THE_TALK_LEAD
from labdocs.domain.text import Block, blocks_text
from labdocs.errors import ChoiceNeeded, FileRefused, TooLarge

MAX_BYTES = 10 * 1024 * 1024  # a draft bid is well under 1 MB; photos pasted in by partners may add some
MAX_MEMBERS = 300  # a Word file has a dozen or two parts
MAX_MEMBER_BYTES = 25 * 1024 * 1024  # one part, unpacked (a photo partners pasted in)
MAX_XML_BYTES = 5 * 1024 * 1024  # one XML part labdocs parses: a draft's document.xml is about 100 KB
MAX_TOTAL_BYTES = 60 * 1024 * 1024  # every part, unpacked
MAX_RATIO = 100  # unpacked size over packed size, for a part over RATIO_FLOOR bytes (XML packs about 10:1)
RATIO_FLOOR = 1024 * 1024
MARKER = "labdocs-document"  # the custom property the template carries, with the value "bid"

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
MAIN_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
INSERTED = (f"{{{W}}}ins", f"{{{W}}}moveTo")
DELETED = (f"{{{W}}}del", f"{{{W}}}moveFrom")
CHOICES = ("accept", "reject")
Choice = Literal["accept", "reject"]

NOT_A_DOCX = "This file is not a Word document (.docx). Upload the draft bid labdocs made, as Word saved it."
NOT_LABDOCS = ("This Word document was not made by labdocs, so its answers cannot be matched to the bid's "
               "questions. Download the draft bid from labdocs, edit that, and upload it.")
MACROS = ("This file carries macros (a macro-enabled .docm). labdocs does not take files with macros: in Word, "
          "save it as a Word Document (.docx) and upload that.")
BOMB = ("This file unpacks to far more than any draft bid ({detail}), so labdocs has not opened it. Save it "
        "again in Word and upload that.")
TOO_MANY = f"This file has more than {MAX_MEMBERS} parts inside it, far more than a Word document, so labdocs " \
    "has not opened it."
DTD = ("This file's XML declares a document type or entities, which Word never writes and labdocs does not "
       "read. Save it again in Word and upload that.")
DAMAGED = "This Word document could not be read: it may be damaged or only partly there. Open it in Word, save " \
    "it again and upload that."
ENCRYPTED = "This file is protected with a password. Remove the password in Word, save it and upload that."

# The headings the draft prints above each answer (the form's questions), and where its own notes begin.
HEADINGS = {text.casefold(): key for key, text in QUESTIONS.items()
            if key in ("summary", "partners", "budget", "idea", "outcomes", "aims", "values_and_principles",
                       "sharing_learning", "co_operative_difference_agreed")}
DETAILS = {QUESTIONS[key].casefold(): key for key in ("lead_organisation", "contact.name", "contact.job_title",
                                                      "contact.phone", "contact.email", "title",
                                                      "funding_requested")}
AIM_TITLES = {aim.title.casefold(): f"aims.{aim.key}" for aim in AIMS}
END = ("appendix: the budget and outputs as tables", "checklist before you submit")
PLACEHOLDERS = ("Not answered yet.", "No partners named yet.")
SKIPPED = ("we will do:", WALKING_THE_TALK_LEAD.casefold(), "project details")
LIST_STYLES = re.compile(r"^(List|ListBullet|ListParagraph|ListNumber)\d*$")


class TrackedChange(TypedDict):
    kind: str  # "insertion" or "deletion"
    field: str  # the bid field it is in ("" when outside any answer)
    author: str
    date: str
    text: str


class Comment(TypedDict):
    field: str
    author: str
    text: str


class DocxReading(TypedDict):
    """What a draft holds: each box's answer as paste text, and the tracked changes and comments found."""

    answers: dict[str, str]
    funding_round: str  # the line under the title
    tracked_changes: list[TrackedChange]
    comments: list[Comment]
    tracked_changes_taken: str | None  # "accept", "reject", or None when there were none


def read_bid_docx(data: bytes, tracked_changes: str | None = None) -> DocxReading:
    """Check the file, then read its answers; tracked changes are taken as `tracked_changes` says (all or none).

    Raises TooLarge (over MAX_BYTES), FileRefused (not a labdocs draft, damaged or hostile), and ChoiceNeeded
    when the file has tracked changes and no choice was made.
    """
    parts = open_package(data)
    document = parse_xml(parts["word/document.xml"])
    found = list(tracked(document))
    changes = [change for _, change in found]
    if changes and tracked_changes not in CHOICES:
        count = len(changes)
        message = f"This file has {count} tracked change{'' if count == 1 else 's'}: choose whether to accept " \
            "them all or reject them all."
        raise ChoiceNeeded(message, {"tracked_changes": [message]})
    mode: Choice = "reject" if tracked_changes == "reject" else "accept"
    answers, places, funding_round = read_answers(document, mode)
    for element, change in found:
        change["field"] = places.get(id(element), "")
    comments = read_comments(parts.get("word/comments.xml"), places)
    return DocxReading(answers=answers, funding_round=funding_round, tracked_changes=changes, comments=comments,
                       tracked_changes_taken=mode if changes else None)


# --- the package: checked before anything is parsed --------------------------------------------------------


def open_package(data: bytes) -> dict[str, bytes]:
    """The parts labdocs reads, after every check on the zip; refuses in plain words what it will not open."""
    if len(data) > MAX_BYTES:
        raise TooLarge(f"This file is over {MAX_BYTES // 2**20} MB, far larger than a draft bid.",
                       {"file": [f"The file must be at most {MAX_BYTES // 2**20} MB."]}, code="file_too_large")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise refused(NOT_A_DOCX) from None
    check_members(members)
    names = {info.filename for info in members}
    if "[Content_Types].xml" not in names or "word/document.xml" not in names:
        raise refused(NOT_A_DOCX)
    parts = {name: read_member(archive, name) for name in names
             if name.lower().endswith((".xml", ".rels"))}
    if any(has_dtd(content) for content in parts.values()):
        raise refused(DTD)
    types = parse_xml(parts["[Content_Types].xml"])
    content_types = [node.get("ContentType", "") for node in types]
    if any("macroEnabled" in kind or "vbaProject" in kind for kind in content_types):
        raise refused(MACROS)
    if MAIN_TYPE not in content_types:
        raise refused(NOT_A_DOCX)
    if marker(parts.get("docProps/custom.xml")) != "bid":
        raise refused(NOT_LABDOCS)
    return parts


def check_members(members: list[zipfile.ZipInfo]) -> None:
    """Counts and sizes from the zip's directory, before a byte is unpacked: a zip bomb is refused unread."""
    if len(members) > MAX_MEMBERS:
        raise refused(TOO_MANY)
    total = 0
    for info in members:
        name = info.filename.lower()
        if name.endswith(("vbaproject.bin", "vbadata.xml")):
            raise refused(MACROS)
        if info.flag_bits & 0x1:
            raise refused(ENCRYPTED)
        total += info.file_size
        if info.file_size > MAX_MEMBER_BYTES:
            raise refused(BOMB.format(detail=f"one part unpacks to {info.file_size // 2**20:,} MB"))
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise refused(BOMB.format(detail=f"one part is packed {info.file_size // max(info.compress_size, 1):,} "
                                             "to 1"))
    if total > MAX_TOTAL_BYTES:
        raise refused(BOMB.format(detail=f"{total // 2**20:,} MB in all"))


def read_member(archive: zipfile.ZipFile, name: str) -> bytes:
    """One XML part, never more than MAX_XML_BYTES even if the zip's directory lied about its size."""
    try:
        with archive.open(name) as member:
            content = member.read(MAX_XML_BYTES + 1)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        raise refused(DAMAGED) from None
    if len(content) > MAX_XML_BYTES:
        raise refused(BOMB.format(detail=f"its text unpacks past {MAX_XML_BYTES // 2**20} MB"))
    return content


def has_dtd(content: bytes) -> bool:
    """A document type declaration (where entities live), in whatever encoding the part is in."""
    head = content.replace(b"\x00", b"")  # UTF-16 spelled as bytes
    return b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in head.upper()


PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                         huge_tree=False, remove_comments=True, remove_pis=True)


def parse_xml(content: bytes) -> Any:
    """A part's XML with no DTD, entities or network (a DTD is refused, never read)."""
    try:
        root = etree.fromstring(content, PARSER)
    except etree.XMLSyntaxError:
        raise refused(DAMAGED) from None
    if root.getroottree().docinfo.doctype:
        raise refused(DTD)
    return root


def marker(content: bytes | None) -> str | None:
    """The value of labdocs' marker property, if the file has one."""
    if content is None:
        return None
    for prop in parse_xml(content).iter(f"{{{CUSTOM}}}property"):
        if prop.get("name") == MARKER:
            return "".join(prop.itertext()).strip()
    return None


def refused(message: str) -> FileRefused:
    return FileRefused(message, {"file": [message]})


# --- the answers --------------------------------------------------------------------------------------------


def tracked(document: Any) -> Iterator[tuple[Any, TrackedChange]]:
    """Every insertion and deletion Word tracked in the body, with its element (to place it afterwards)."""
    for element in document.iter(*INSERTED, *DELETED):
        text = "".join(element.itertext()).strip()
        if not text:
            continue  # a paragraph mark or formatting only
        kind = "insertion" if element.tag in INSERTED else "deletion"
        yield element, {"kind": kind, "field": "", "author": element.get(f"{{{W}}}author", ""),
                        "date": element.get(f"{{{W}}}date", ""), "text": " ".join(text.split())}


def paragraph_text(paragraph: Any, mode: Choice) -> str:
    """A paragraph's text with tracked insertions kept (accept) or dropped (reject), deletions the other way."""
    out: list[str] = []

    def walk(element: Any) -> None:
        for child in element:
            tag = child.tag
            if (tag in INSERTED and mode == "reject") or (tag in DELETED and mode == "accept"):
                continue
            if tag in (f"{{{W}}}t", f"{{{W}}}delText"):
                out.append(child.text or "")
            elif tag == f"{{{W}}}tab":
                out.append(" ")
            elif tag in (f"{{{W}}}br", f"{{{W}}}cr"):
                out.append("\n")
            elif tag != f"{{{W}}}pPr":
                walk(child)

    walk(paragraph)
    return "".join(out)


def style_of(paragraph: Any) -> str:
    style = paragraph.find(f"{{{W}}}pPr/{{{W}}}pStyle")
    return str(style.get(f"{{{W}}}val", "")) if style is not None else ""


def is_heading(paragraph: Any) -> bool:
    return style_of(paragraph).startswith("Heading")


def is_bullet(paragraph: Any) -> bool:
    return bool(LIST_STYLES.match(style_of(paragraph))) or paragraph.find(f"{{{W}}}pPr/{{{W}}}numPr") is not None


def blocks_of(paragraph: Any, mode: Choice) -> list[Block]:
    bullet = is_bullet(paragraph)
    return [{"bullet": bullet, "text": " ".join(line.split())}
            for line in paragraph_text(paragraph, mode).split("\n") if line.strip()]


def read_answers(document: Any, mode: Choice) -> tuple[dict[str, str], dict[object, str], str]:
    """Each box's answer by its heading, the field each element (a tracked change, a comment) sits in, and the
    funding round (the line under the title)."""
    body = document.find(f"{{{W}}}body")
    if body is None:
        raise refused(NOT_LABDOCS)
    found: dict[str, list[Block]] = {}
    places: dict[object, str] = {}
    current, opening = "", []
    for element in body_blocks(body):
        if element.tag == f"{{{W}}}tbl":
            if not found and not current:
                read_details(element, mode, found, places)
            continue
        if element.tag != f"{{{W}}}p":
            continue
        flat = " ".join(paragraph_text(element, "accept").split()).casefold()
        within_aims = current.startswith("aims") and is_heading(element)  # an aim's title, not a word in an answer
        heading = HEADINGS.get(flat) or (AIM_TITLES.get(flat) if within_aims else None) or \
            ("walking_the_talk" if within_aims and flat == "walking the talk" else None)
        if flat in END:
            break
        if heading:
            current = heading
            found.setdefault(current, [])
            continue
        note_places(element, current, places)
        if not current and not found and flat and flat not in SKIPPED:
            opening.append(" ".join(paragraph_text(element, mode).split()))  # the title, then the funding round
        if not current or flat in SKIPPED or flat.startswith("ccin says:") or current == "aims":
            continue
        found[current] += blocks_of(element, mode)
    answers = {key: answer_text(key, blocks) for key, blocks in found.items() if key != "aims"}
    return answers, places, opening[1] if len(opening) > 1 else ""


def body_blocks(container: Any) -> Iterator[Any]:
    """The body's paragraphs and tables in order, including those Word wraps in content controls (w:sdt)."""
    for element in container:
        if element.tag in (f"{{{W}}}sdt", f"{{{W}}}customXml"):
            content = element.find(f"{{{W}}}sdtContent")
            yield from body_blocks(content if content is not None else element)
        else:
            yield element


def read_details(table: Any, mode: Choice, found: dict[str, list[Block]], places: dict[object, str]) -> None:
    """The project details table: the form's question in the first cell, the answer in the second."""
    for row in table.iter(f"{{{W}}}tr"):
        cells = row.findall(f"{{{W}}}tc")
        if len(cells) < 2:
            continue
        label = " ".join(" ".join(paragraph_text(p, "accept") for p in cells[0].iter(f"{{{W}}}p")).split())
        key = DETAILS.get(label.casefold())
        if key:
            found[key] = [block for p in cells[1].iter(f"{{{W}}}p") for block in blocks_of(p, mode)]
            note_places(cells[1], key, places)


def note_places(element: Any, field: str, places: dict[object, str]) -> None:
    for inner in element.iter(*INSERTED, *DELETED, f"{{{W}}}commentRangeStart", f"{{{W}}}commentReference"):
        if inner.tag in INSERTED or inner.tag in DELETED:
            places[id(inner)] = field
        else:
            places.setdefault(("comment", inner.get(f"{{{W}}}id")), field)


def answer_text(key: str, blocks: list[Block]) -> str:
    """The answer as the paste sheet writes it (labdocs.render.paste), from the paragraphs under its heading."""
    blocks = [block for block in blocks if block["text"] not in PLACEHOLDERS]
    if key in ("partners", "budget") or ("." in key and not key.startswith("aims.")):
        return "\n".join(block["text"] for block in blocks)  # one name, one budget line, one value a line
    if key == "funding_requested":
        return " ".join(block["text"] for block in blocks).removeprefix("£").strip()
    if key == "co_operative_difference_agreed":
        text = " ".join(block["text"] for block in blocks)
        return "Agreed" if re.match(r"^\s*Agreed\b", text) and DECLARATION[:20] in text else ""
    if key in ("lead_organisation", "title"):
        return " ".join(block["text"] for block in blocks)
    return blocks_text(blocks)


def read_comments(content: bytes | None, places: dict[object, str]) -> list[Comment]:
    """Each comment's author and words, with the field it was made on."""
    if content is None:
        return []
    comments: list[Comment] = []
    for comment in parse_xml(content).iter(f"{{{W}}}comment"):
        words = " ".join(" ".join(comment.itertext()).split())
        field = places.get(("comment", comment.get(f"{{{W}}}id")), "")
        comments.append({"field": field, "author": comment.get(f"{{{W}}}author", ""), "text": words})
    return comments
