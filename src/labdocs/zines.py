"""Zines of a project: drafted from its bid and report, then edited page by page."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, TypedDict

from sqlalchemy import select

from labdocs.access import owned
from labdocs.domain.text import Block, blocks_text, to_blocks
from labdocs.images import resolve_uploads
from labdocs.infra.db import session
from labdocs.infra.models import Project, Zine
from labdocs.projects import require_complete
from labdocs.render.fitting import Frame, frame
from labdocs.render.geometry import geometry
from labdocs.render.impose import padded
from labdocs.render.instructions import print_steps
from labdocs.render.palette import contrast
from labdocs.render.theme import LARGE_TEXT, NORMAL_TEXT, page_background, readable_on
from labdocs.reports import get_report
from labdocs.schemas.zine import FORMATS, HEX, MAX_PAGES, REQUIRED_FIELDS, load_zine

NETWORK = "A policy lab of the Co-operative Councils' Innovation Network"
BODY_CHARACTERS = 3000  # a zine page's body (schemas/zine.py PageSchema)
HEADING_CHARACTERS = 200
QUOTE_CHARACTERS = 600
BY_CHARACTERS = 300
# A sentence ends at . ! ? … (then a space) or at a CJK full stop, exclamation or question mark.
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|(?<=[。！？])")
CLAUSE_END = re.compile(r"[,;:—–]$")
EXAMPLE = re.compile(r"invent|example|fiction|illustrat|made up|not real", re.IGNORECASE)
CONTINUED = " (continued)"
SUBTITLE = "A policy lab zine"
INVENTED = " (an invented example)"


def shorter(text: str, limit: int) -> str:
    """`text` if it has at most `limit` characters, else its first words that do, with "…"."""
    if len(text) <= limit:
        return text
    return text[: limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def sentences(text: str) -> list[str]:
    """A paragraph's sentences, each with its own closing punctuation."""
    return [part for part in SENTENCE_END.split(" ".join(text.split())) if part]


def block_height(space: Frame, blocks: list[Block]) -> float:
    """The height of blocks of body text laid out one after another, in points (no space after the last)."""
    lines = sum(space.height_of(block["text"], "body", block["bullet"]) for block in blocks)
    return lines + space.gap("body") * max(len(blocks) - 1, 0)


def fits(space: Frame, blocks: list[Block], room: float) -> bool:
    """Whether blocks fit in `room` points and in a page body's characters (counted first: it is cheaper)."""
    return len(blocks_text(blocks)) <= BODY_CHARACTERS and block_height(space, blocks) <= room


def most(count: int, fitting: Callable[[int], bool]) -> int:
    """The largest n ≤ count with fitting(n), found by halving (fitting more never takes less room; 0 fits)."""
    low, high = 0, count
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if fitting(middle) else (low, middle - 1)
    return low


def cut_words(space: Frame, text: str, room: float, bullet: bool, role: str = "body") -> str:
    """The first words of `text` that fit in `room` with an ellipsis, saying it was cut, ending at a clause
    when one ends in the second half of what fits; empty when not even one word fits."""
    words = text.split()
    count = most(len(words), lambda n: space.height_of(" ".join(words[:n]) + "…", role, bullet) <= room)
    clauses = [index for index in range(count // 2, count) if CLAUSE_END.search(words[index])]
    kept = words[: clauses[-1] + 1] if clauses else words[:count]
    return (" ".join(kept).rstrip(",;:—–") + "…") if kept else ""


def split_block(space: Frame, block: Block, room: float, alone: bool) -> tuple[Block | None, Block | None]:
    """What of one paragraph fits in `room`: its whole sentences (or, `alone` on the page, the words that fit),
    and what is left for another page. A list item moves on whole unless it is alone."""
    parts = [] if block["bullet"] else sentences(block["text"])
    count = most(len(parts), lambda n: fits(space, [{"bullet": False, "text": " ".join(parts[:n])}], room))
    if count:
        rest = " ".join(parts[count:])
        return {"bullet": False, "text": " ".join(parts[:count])}, ({"bullet": False, "text": rest} if rest else None)
    if not alone:
        return None, block
    cut = cut_words(space, block["text"], room, block["bullet"])
    return ({"bullet": block["bullet"], "text": cut} if cut else None), None


def fill(space: Frame, blocks: list[Block], room: float) -> tuple[list[Block], list[Block]]:
    """The blocks that fit in `room` points, in order, breaking a paragraph at a sentence end; and the rest."""
    kept: list[Block] = []
    for index, block in enumerate(blocks):
        if fits(space, [*kept, block], room):
            kept.append(block)
            continue
        left = room - block_height(space, kept) - (space.gap("body") if kept else 0.0)
        part, rest = split_block(space, block, left, alone=not kept)
        kept += [part] if part and fits(space, [*kept, part], room) else []
        return kept, ([rest] if rest else []) + blocks[index + 1 :]
    return kept, []


def fill_counted(space: Frame, items: list[Block], room: float, more: str) -> list[Block]:
    """List items that fit in `room`; when some do not, as many as fit and a last line saying how many more
    there are (`more` is a format string with {count} and {s}), so nothing is dropped silently."""
    kept, _ = fill(space, items, room)
    if len(kept) == len(items):
        return kept
    def note(shown: int) -> Block:
        count = len(items) - shown
        return {"bullet": False, "text": more.format(count=count, s="" if count == 1 else "s")}
    while kept and not fits(space, [*kept, note(len(kept))], room):
        kept.pop()
    return [*kept, note(len(kept))]


def safe_words(space: Frame, text: str) -> str:
    """`text` with any word too wide for a line shortened to what fits, with an ellipsis (a browser would not
    break it, and the page would cut it off at the side)."""
    def shorten(word: str) -> str:
        while len(word) > 1 and not space.fits_line(word + "…"):
            word = word[:-1]
        return word + "…"
    return "\n".join(" ".join(word if space.fits_line(word) else shorten(word) for word in line.split(" "))
                     for line in text.splitlines())


def heading_room(space: Frame, heading: str) -> float:
    """What a page's text box has left below its heading, in points."""
    return space.height - space.height_of(heading, "heading") - space.gap("heading")


def text_page(heading: str, body: str, image: str | None = None, alt: str = "") -> dict[str, Any]:
    return {"layout": "text", "heading": heading, "body": body, "image": image, "alt": alt}


def flow_pages(space: Frame, heading: str, blocks: list[Block], pages: int,
               image: Mapping[str, Any] | None = None) -> tuple[list[dict[str, Any]], list[Block]]:
    """Up to `pages` text pages of blocks under one heading (then "… (continued)"), each filled to its space; a
    picture goes below the text of the first page. Returns the pages and the blocks that did not fit."""
    made: list[dict[str, Any]] = []
    rest = blocks
    while (rest and len(made) < pages) or not made:
        title = heading if not made else heading + CONTINUED
        pictured = image if not made else None
        room = heading_room(space, title) - (space.image_room() if pictured else 0.0)
        kept, rest = fill(space, rest, room)
        made.append(text_page(title, blocks_text(kept), pictured["image"] if pictured else None,
                              pictured["alt"] if pictured else ""))
        if not kept:
            break
    return made, rest


def prepared(space: Frame, text: str) -> list[Block]:
    """User text as blocks for a page: its paragraphs and list items, no word too wide for a line."""
    return to_blocks(safe_words(space, text))


def fit_line(space: Frame, text: str, role: str, room: float, limit: int = HEADING_CHARACTERS) -> str:
    """A heading or title as it is if it fits in `room` and the schema's limit, else its first words with "…"."""
    text = safe_words(space, " ".join(text.split()))
    if space.height_of(text, role) <= room and len(text) <= limit:
        return text
    cut = cut_words(space, text, room, False, role)
    return cut if len(cut) <= limit else cut_words(space, text[: limit - 1], room, False, role)


def cover_page(space: Frame, bid: Mapping[str, Any], subtitle: str) -> dict[str, Any]:
    """The bid's title over the lead organisation and the network's name, as much as the cover holds."""
    kicker = space.height_of(subtitle, "kicker") + space.gap("kicker") if subtitle else 0.0
    blocks = prepared(space, f"{bid['lead_organisation']}\n{NETWORK}")
    room = space.height - kicker - space.gap("title", "before") - space.gap("title")
    title = fit_line(space, bid["title"], "title", room - block_height(space, blocks[:1]))
    kept, _ = fill(space, blocks, room - space.height_of(title, "title"))
    return {"layout": "cover", "heading": title, "body": blocks_text(kept)}


def workstream_pages(space: Frame, bid: Mapping[str, Any], pages: int) -> list[dict[str, Any]]:
    """The workstreams as a list over up to `pages` pages; those that do not fit are counted on the last."""
    items: list[Block] = [{"bullet": True, "text": safe_words(space, " ".join(item.split()))}
                          for item in bid["workstreams"]]
    made, rest = flow_pages(space, "What we are working on", items, pages)
    if rest:
        last = made[-1]
        last["body"] = blocks_text(fill_counted(space, [*to_blocks(last["body"]), *rest],
                                                heading_room(space, last["heading"]),
                                                "…and {count} more workstream{s}, in the full bid"))
    return made


def quote_page(space: Frame, study: Mapping[str, Any], notice: str) -> dict[str, Any] | None:
    """A case study's quote, whole if it fits (else its first sentences, with "…"), and who said it, saying
    so when the report says its quotes are invented."""
    by = " ".join(study["quote_by"].split())
    if notice and EXAMPLE.search(notice):
        by = f"{shorter(by, BY_CHARACTERS - len(INVENTED))}{INVENTED}" if by else "An invented example"
    heading = "In their words"
    by = safe_words(space, by)
    room = (heading_room(space, heading) - space.gap("quote", "before") - space.gap("quote")
            - space.height_of(by, "by"))
    quote = fit_quote(space, safe_words(space, " ".join(study["quote"].split())), room)
    return {"layout": "quote", "heading": heading, "quote": quote, "quote_by": by} if quote else None


def fit_quote(space: Frame, quote: str, room: float) -> str:
    """The whole quote, or its first whole sentences with "…" (its first words if no sentence fits)."""
    def fitting(text: str) -> bool:
        return space.height_of(f"“{text}”", "quote") <= room and len(text) <= QUOTE_CHARACTERS
    if fitting(quote):
        return quote
    parts = sentences(quote)
    count = most(len(parts), lambda n: fitting(" ".join(parts[:n]) + " …"))
    if count:
        return " ".join(parts[:count]) + " …"
    cut = cut_words(space, f"“{quote[: QUOTE_CHARACTERS - 2]}", room, False, "quote")
    return cut[1:] if len(cut) > 1 else ""


def back_page(space: Frame, bid: Mapping[str, Any], notice: str) -> dict[str, Any]:
    """Who made it: the lead and partners (counting those that do not fit), a contact, and the report's notice."""
    heading = "Who made this"
    credit = space.gap("credit", "before") + space.height_of(
        "Made with labdocs for the Co-operative Councils' Innovation Network.", "credit")
    email = bid["contact"]["email"]
    contact = f"Contact: {email}" if space.fits_line(email, bullet=False) else "Contact details are in the full bid."
    tail, _ = fill(space, prepared(space, "\n".join(filter(None, [contact, notice]))), heading_room(space, heading))
    room = heading_room(space, heading) - credit - block_height(space, tail) - space.gap("body")
    names = [bid["lead_organisation"], *(partner["name"] for partner in bid["partners"])]
    items: list[Block] = [{"bullet": True, "text": safe_words(space, " ".join(name.split()))} for name in names]
    listed = fill_counted(space, items, room, "…and {count} more partner{s}, in the full bid")
    return {"layout": "back", "heading": heading, "body": blocks_text([*listed, *tail])}


def spare_pages(space: Frame, bid: Mapping[str, Any], report: Mapping[str, Any] | None,
                used: set[str]) -> list[dict[str, Any]]:
    """Pages that can fill a gap: the report's case studies, then where the idea came from and the values
    (each that is not already on a page, `used`)."""
    studies = report["case_studies"] if report else []
    sources = [*((study["title"], study["story"]) for study in studies),
               ("Where the idea came from", bid["idea"]), ("Our values", bid["values_and_principles"])]
    made = []
    for heading, text in sources:
        if text.strip() and text not in used:
            title = fit_line(space, heading, "heading", space.height / 3)
            made += flow_pages(space, title, prepared(space, text), 1)[0]
    return made


def filled(pages: list[dict[str, Any]], spares: list[dict[str, Any]], keep: bool) -> list[dict[str, Any]]:
    """The pages with each one left empty (nothing to say) replaced by a spare page, or dropped unless `keep`
    (a mini-zine keeps its eight pages). Takes the spares it uses from `spares`."""
    out = []
    for page in pages:
        empty = page["layout"] == "text" and not page["body"].strip() and not page["image"]
        if empty and spares:
            out.append(spares.pop(0))
        elif keep or not empty:
            out.append(page)
    return out


def inside_pages(space: Frame, bid: Mapping[str, Any], report: Mapping[str, Any] | None,
                 notice: str) -> list[dict[str, Any]]:
    """The pages between the covers: what and why, the workstreams, a voice from the report, the co-operative
    difference and what happens next; a booklet's grow in steps of four, a mini-zine's are six."""
    booklet = space.scale == "booklet"
    studies = report["case_studies"] if report else []
    quoted = next((study for study in studies if study["quote"]), None)
    pictured = next((study for study in studies if study["image"]), None)
    quote = quote_page(space, quoted, notice) if quoted else None
    about, rest = flow_pages(space, "What this lab is about", prepared(space, bid["summary"]), 1)
    why, _ = flow_pages(space, "Why it matters", rest or prepared(space, bid["idea"]), 1)
    spares = spare_pages(space, bid, report, set() if rest else {bid["idea"]})
    working = workstream_pages(space, bid, (MAX_PAGES - 8) if booklet else (1 if quote else 2))
    middle = [quote] if quote else [] if booklet else working[1:2] or [text_page("And also", "")]
    body = filled([*about, *why, *(working if booklet else working[:1]), *middle], spares, not booklet)
    ending = filled(closing_pages(space, bid, report, pictured), spares, not booklet)
    while booklet and (len(body) + len(ending) + 2) % 4 and spares and len(body) + len(ending) + 2 < MAX_PAGES:
        body.append(spares.pop(0))
    return [*body, *ending]


def closing_pages(space: Frame, bid: Mapping[str, Any], report: Mapping[str, Any] | None,
                  pictured: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """The co-operative difference (with the report's picture) and what happens next: the report's words,
    else the bid's."""
    difference = report["co_operative_difference"] if report else bid["walking_the_talk"]
    next_steps = (report["next_steps"] if report else "") or bid["sharing_learning"]
    return [*flow_pages(space, "The co-operative difference", prepared(space, difference), 1, pictured)[0],
            *flow_pages(space, "What happens next", prepared(space, next_steps), 1)[0]]


def draft(bid: Mapping[str, Any], report: Mapping[str, Any] | None, fmt: str,
          font: str = "lato", subtitle: str = SUBTITLE) -> dict[str, Any]:
    """A first draft: the cover, the pages inside, and the partners on the back, every page filled to its space
    as measured in the format's type and the theme's font. A booklet's workstreams carry on over more pages (in
    steps of four); a mini-zine has exactly eight, so what does not fit is counted ("…and 10 more")."""
    space = frame(fmt if fmt in FORMATS else "booklet-a5", font)  # a bad format is the schema's to report
    notice = " ".join((report or {}).get("notice", "").split())
    cover = cover_page(space, bid, subtitle)
    title, cover["heading"] = cover["heading"], ""  # the cover prints the zine's title: the bid's, as it fits
    pages = [cover, *inside_pages(space, bid, report, notice), back_page(space, bid, notice)]
    return {"title": title, "subtitle": subtitle, "format": fmt, "pages": pages}


def create_zine(project: Project, data: dict[str, Any]) -> Zine:
    check_images(project, data)
    zine = Zine(org_id=project.org_id, project_id=project.id, title=data["title"], data=data)
    session().add(zine)
    session().commit()
    return zine


def draft_choices(options: Mapping[str, Any]) -> tuple[str, str, str]:
    """The format, theme font and cover kicker the caller chose, which the draft is measured in (a bad value
    is the schema's to report: the draft is made with the default meanwhile)."""
    fmt, subtitle = options.get("format", "booklet-a5"), options.get("subtitle", SUBTITLE)
    theme = options.get("theme")
    font = theme.get("font", "lato") if isinstance(theme, Mapping) else "lato"
    return (fmt if isinstance(fmt, str) else "", font if isinstance(font, str) else "lato",
            subtitle if isinstance(subtitle, str) else "")


def draft_for(project: Project, options: Mapping[str, Any]) -> dict[str, Any]:
    """A validated draft from the project, with the caller's choices (format, print, theme, title) on top."""
    bid = require_complete(project).bid  # a draft is made from the finished bid
    report = get_report(project)
    generated = draft(bid, report.data if report else None, *draft_choices(options))
    return load_zine({**generated, **{k: v for k, v in options.items() if k != "generate"}})


def update_zine(zine: Zine, project: Project, data: dict[str, Any]) -> Zine:
    check_images(project, data)
    zine.data, zine.title = data, data["title"]
    session().commit()
    return zine


def get_zine(org_id: str, zine_id: str) -> Zine:
    return owned(Zine, org_id, zine_id, "zine")


def list_zines(project_id: str) -> list[Zine]:
    query = select(Zine).where(Zine.project_id == project_id).order_by(Zine.updated_at.desc())
    return list(session().scalars(query))


def check_images(project: Project, data: Mapping[str, Any]) -> dict[str, str]:
    """Uploaded images the zine names must be this project's; returns id → stored file key."""
    return resolve_uploads(project.id, {f"pages.{number}.image": page["image"]
                                        for number, page in enumerate(data["pages"])})


class Contrast(TypedDict):
    """How well text reads on a colour: the WCAG ratio, the threshold it must meet, and whether it does."""

    text: str
    background: str
    ratio: float
    minimum: float
    passed: bool


def measured(text: str, background: str, minimum: float) -> Contrast:
    """The contrast of `text` on `background` against `minimum`, rounded as the editor shows it."""
    ratio = contrast(text, background)
    return {"text": text.upper(), "background": background.upper(), "ratio": round(ratio, 2),
            "minimum": minimum, "passed": ratio >= minimum}


def valid_colours(theme: Mapping[str, Any]) -> bool:
    """Whether the theme's paper, ink and accent are all #RRGGBB (a draft may hold what was mistyped)."""
    return all(isinstance(theme.get(key), str) and HEX.match(theme[key]) for key in ("paper", "ink", "accent"))


def theme_contrasts(theme: Mapping[str, Any]) -> dict[str, Contrast]:
    """Beside each theme colour, its text measured on it: ink on paper, the readable text on the accent, and a
    chosen heading colour on the paper (large text)."""
    if not valid_colours(theme):
        return {}
    found: dict[str, Contrast] = {
        "paper": measured(theme["ink"], theme["paper"], NORMAL_TEXT),
        "accent": measured(readable_on(theme["accent"], theme), theme["accent"], NORMAL_TEXT),
    }
    found["ink"] = found["paper"]
    heading = theme.get("heading")
    if isinstance(heading, str) and HEX.match(heading):
        found["heading"] = measured(heading, theme["paper"], LARGE_TEXT)
    return found


def page_contrasts(data: Mapping[str, Any]) -> list[Contrast | None]:
    """For each page, its text (the theme's ink or paper, whichever reads better) measured on its background."""
    theme = data.get("theme") or {}
    pages = data.get("pages") or []
    if not valid_colours(theme):
        return [None for _ in pages]
    return [page_contrast(page, theme) for page in pages]


def page_contrast(page: Mapping[str, Any], theme: Mapping[str, Any]) -> Contrast | None:
    """One page's text on its background, or None while its background colour is not #RRGGBB."""
    own = page.get("background")
    if own and not (isinstance(own, str) and HEX.match(own)):
        return None
    background = page_background({"background": own or None, "layout": page.get("layout")}, theme)
    return measured(readable_on(background, theme), background, NORMAL_TEXT)


def how_to_print(data: Mapping[str, Any]) -> list[str]:
    """How to print the files made from this zine's data, as its zip's preflight.txt says it (its format, print
    mode, crop marks, and its pages as printed: a booklet's padded to a multiple of four, as the renderer pads
    them); empty for data that makes no files. The editor and a made zine's document page both show these."""
    pages, options, fmt = list(data.get("pages") or []), data.get("print") or {}, data.get("format")
    if fmt not in FORMATS or not pages:
        return []
    mode = "home" if options.get("mode") == "home" else "print-shop"
    crop_marks = bool(options.get("crop_marks"))
    printed = len(padded(pages, geometry(fmt, mode, crop_marks).booklet))
    return print_steps(fmt, mode, crop_marks, printed)


def layout_changes(pages: list[Mapping[str, Any]], shown: list[str]) -> dict[int, str]:
    """The pages (by index) whose layout was changed on a form that still shows another layout's fields: each
    page's new layout (`shown` is the layout whose fields the form showed for each page)."""
    return {index: page.get("layout", "") for index, page in enumerate(pages)
            if index < len(shown) and shown[index] and shown[index] != page.get("layout")}


def fields_to_fill(pages: list[Mapping[str, Any]], changed: Mapping[int, str]) -> dict[int, list[str]]:
    """For each page whose layout changed, the fields its new layout needs that are still empty (a quote page's
    quote; a full-page picture's picture and its description)."""
    wanted = {index: [name for name in REQUIRED_FIELDS.get(layout, ()) if not pages[index].get(name)]
              for index, layout in changed.items()}
    return {index: names for index, names in wanted.items() if names}


def deferred(errors: Mapping[str, list[str]], wanted: Mapping[int, list[str]]) -> dict[str, list[str]]:
    """The errors left once those on fields a changed layout still needs are set aside (they are not mistakes:
    the form had not shown those fields yet)."""
    expected = {f"pages.{index}.{name}" for index, names in wanted.items() for name in names}
    return {path: messages for path, messages in errors.items() if path not in expected}


def pending_fields(values: Mapping[str, Any], saved: Mapping[str, Any]) -> dict[int, list[str]]:
    """In a draft, the fields still to fill on pages given a new layout since the zine was saved."""
    pages, before = list(values.get("pages") or []), list(saved.get("pages") or [])
    changed = {index: page.get("layout", "") for index, page in enumerate(pages)
               if index >= len(before) or before[index].get("layout") != page.get("layout")}
    return fields_to_fill(pages, changed)
