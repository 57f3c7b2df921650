"""Build the docxtpl templates in this folder from code, so every template change is a reviewable diff.

Run `python templates/docx/build.py` after editing; commit the script and the .docx together.
The output is byte-for-byte reproducible (fixed timestamps), and tests/test_templates.py checks that
the committed files match this script.
"""

from __future__ import annotations

import io
import sys
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

# The package's DOCX templates, which this script writes (commit what it writes).
HERE = Path(__file__).resolve().parent.parent / "src" / "labdocs" / "render" / "templates" / "docx"
FONT = "Arial"  # on every council laptop; LibreOffice maps it to Liberation Sans
INK = RGBColor(0x1A, 0x1A, 0x1A)
ACCENT = RGBColor(0x0B, 0x4F, 0x6C)
MUTED = RGBColor(0x4A, 0x4A, 0x4A)
WARN = RGBColor(0xA3, 0x1F, 0x1F)
HEADER_FILL = "DCE9F0"
LABEL_FILL = "F1F5F7"
FIXED_TIME = datetime(2024, 1, 1)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)

Container = DocumentObject | _Cell


# --- styles -------------------------------------------------------------------------------------


def set_font(style_or_run, size: float | None = None, bold: bool | None = None, color: RGBColor | None = None,
             italic: bool | None = None) -> None:
    """Set an explicit font, removing theme fonts that would otherwise win in Word."""
    font = style_or_run.font
    font.name = FONT
    rpr = style_or_run.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:cs"), FONT)
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if italic is not None:
        font.italic = italic
    if color is not None:
        font.color.rgb = color


def setup_styles(doc: DocumentObject) -> None:
    """House styles: Arial, teal headings, British English proofing."""
    styles = doc.styles
    normal = styles["Normal"]
    set_font(normal, 11, color=INK)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    set_language(doc, "en-GB")
    for name, size in (("Title", 24), ("Heading 1", 15), ("Heading 2", 12.5), ("Heading 3", 11.5)):
        style = styles[name]
        set_font(style, size, bold=True, color=ACCENT)
        style.paragraph_format.space_before = Pt(14 if name != "Title" else 0)
        style.paragraph_format.space_after = Pt(4)
        style.paragraph_format.keep_with_next = True
    title = styles["Title"].element.get_or_add_pPr()
    border = title.find(qn("w:pBdr"))
    if border is not None:
        title.remove(border)
    set_font(styles["List Bullet"], 11, color=INK)
    styles["List Bullet"].paragraph_format.space_after = Pt(3)
    add_paragraph_style(doc, "Subtitle Line", size=13, color=MUTED)
    add_paragraph_style(doc, "Note", size=9, color=MUTED, italic=True)
    add_paragraph_style(doc, "CCIN Says", size=10.5, color=MUTED, italic=True, indent=Cm(0.6))
    add_paragraph_style(doc, "Label", size=11, bold=True)
    doc.styles["Label"].paragraph_format.keep_with_next = True
    add_paragraph_style(doc, "Table Text", size=10, space_after=0)
    add_paragraph_style(doc, "Warning", size=11, bold=True, color=WARN)
    quote = styles["Quote"]
    set_font(quote, 13, italic=True, color=INK)
    quote.paragraph_format.left_indent = Cm(0.8)
    quote.paragraph_format.space_before = Pt(6)
    add_paragraph_style(doc, "Quote Source", size=10, color=MUTED, indent=Cm(0.8))
    set_font(styles["Caption"], 9, italic=True, color=MUTED, bold=False)


def add_paragraph_style(doc: DocumentObject, name: str, size: float, color: RGBColor = INK, bold: bool = False,
                        italic: bool = False, indent: Cm | None = None, space_after: float = 6) -> None:
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    style.quick_style = True
    set_font(style, size, bold=bold, color=color, italic=italic)
    style.paragraph_format.space_after = Pt(space_after)
    if indent is not None:
        style.paragraph_format.left_indent = indent


def set_language(doc: DocumentObject, tag: str) -> None:
    """Proofing language for every run that does not say otherwise."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), tag)
    lang.set(qn("w:eastAsia"), tag)
    lang.set(qn("w:bidi"), "ar-SA")


def setup_page(doc: DocumentObject, header: str) -> None:
    """A4 portrait, 2.2 cm margins, a running draft header and 'Page X of Y' footer."""
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.2))
    if header:  # a document the funder's form has no header for gets none (and no header part)
        head = section.header.paragraphs[0]
        head.text = header
        head.style = doc.styles["Note"]
        head.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    foot = section.footer.paragraphs[0]
    foot.style = doc.styles["Note"]
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    foot.add_run("Page ")
    add_field(foot, "PAGE")
    foot.add_run(" of ")
    add_field(foot, "NUMPAGES")


def contents_field(doc: DocumentObject) -> None:
    """A Word table of contents (headings 1 and 2, linked) that Word fills in when the file is opened."""
    paragraph = para(doc)
    parts = [("begin", None), (None, ' TOC \\o "1-2" \\h \\z \\u '), ("separate", None),
             (None, "The contents appear when Word updates the fields (it asks as the file opens)."), ("end", None)]
    for kind, text in parts:
        run = OxmlElement("w:r")
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            if kind == "begin":
                char.set(qn("w:dirty"), "true")
            run.append(char)
        elif text and text.startswith(" TOC"):
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = text
            run.append(instruction)
        else:
            shown = OxmlElement("w:t")
            shown.text = text
            run.append(shown)
        paragraph._p.append(run)
    settings = doc.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)


def add_field(paragraph: Paragraph, instruction: str) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


# --- content helpers ----------------------------------------------------------------------------


def para(where: Container, text: str = "", style: str | None = None) -> Paragraph:
    return where.add_paragraph(text, style=style)


def tag(where: Container, statement: str) -> None:
    """A docxtpl paragraph tag ({%p ... %}): the whole paragraph is replaced by the statement."""
    where.add_paragraph(f"{{%p {statement} %}}")


def blocks(where: Container, expression: str) -> None:
    """User text as paragraphs and real Word bullets (see service/text.py: to_blocks)."""
    tag(where, f"for b in {expression}")
    tag(where, "if b.bullet")
    para(where, "{{ b.text }}", "List Bullet")
    tag(where, "else")
    para(where, "{{ b.text }}")
    tag(where, "endif")
    tag(where, "endfor")


def bullets(where: Container, expression: str, empty: str) -> None:
    """A list of strings as Word bullets, or a note when there are none."""
    tag(where, f"for item in {expression}")
    para(where, "{{ item }}", "List Bullet")
    tag(where, "endfor")
    tag(where, f"if not {expression}")
    para(where, empty, "Note")
    tag(where, "endif")


def shade(cell: _Cell, fill: str) -> None:
    props = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    props.append(shading)


def repeat_header(table: Table) -> None:
    """Mark the first row as a header row: Word repeats it on each page and screen readers announce it."""
    props = table.rows[0]._tr.get_or_add_trPr()
    props.append(OxmlElement("w:tblHeader"))


def cell_text(cell: _Cell, text: str, bold: bool = False, align: WD_ALIGN_PARAGRAPH | None = None) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.style = "Table Text"
    run = paragraph.add_run(text)
    run.bold = bold or None
    if align is not None:
        paragraph.alignment = align


def grid(doc: DocumentObject, widths: list[float], rows: int) -> Table:
    table = doc.add_table(rows=rows, cols=len(widths))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for row in table.rows:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # a row is never split across pages
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)
    # Word reads the cell widths; LibreOffice reads the grid. Set both, and a fixed layout.
    for column, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        column.set(qn("w:w"), str(int(Cm(width).twips)))
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    return table


def header_row(table: Table, labels: list[str], right: set[int] | None = None) -> None:
    for index, (cell, label) in enumerate(zip(table.rows[0].cells, labels, strict=True)):
        align = WD_ALIGN_PARAGRAPH.RIGHT if right and index in right else None
        cell_text(cell, label, bold=True, align=align)
        shade(cell, HEADER_FILL)
    repeat_header(table)


def loop_rows(table: Table, first: int, statement: str) -> None:
    """Put docxtpl row tags ({%tr ... %}) in the first cell of rows `first` and `first + 2`."""
    table.rows[first].cells[0].paragraphs[0].add_run(f"{{%tr {statement} %}}")
    table.rows[first + 2].cells[0].paragraphs[0].add_run("{%tr endfor %}")


# --- the bid ------------------------------------------------------------------------------------


def start_document(header: str, subtitle: str) -> DocumentObject:
    """A new template with the house styles, the running header and footer, a title and a subtitle."""
    doc = Document()
    setup_styles(doc)
    setup_page(doc, header)
    para(doc, "{{ title }}", "Title")
    para(doc, subtitle, "Subtitle Line")
    return doc


def build_bid() -> DocumentObject:
    """The CCIN Innovation Funding application form, in the form's own order and wording: the bid only, every
    labdocs note in the checklist at the end."""
    doc = start_document("", "{{ funding_round }}")
    doc.styles["CCIN Says"].paragraph_format.keep_with_next = True  # the network's words stay with the answer
    doc.styles["CCIN Says"].paragraph_format.keep_together = True

    para(doc, "Project details", "Heading 1")
    details = [
        ("Organisation leading the project", "{{ lead_organisation }}"),
        ("Lead Councillor or Officer", "{{ contact.name }}"),
        ("Job Title", "{{ contact.job_title }}"),
        ("Contact Telephone", "{{ contact.phone }}"),
        ("Contact Email", "{{ contact.email }}"),
        ("Project Title", "{{ title }}"),
        ("How much funding are you applying for?", "{{ funding_requested }}"),
    ]
    table = grid(doc, [6.5, 10.1], len(details))
    for row, (label, value) in zip(table.rows, details, strict=True):
        cell_text(row.cells[0], label, bold=True)
        shade(row.cells[0], LABEL_FILL)
        cell_text(row.cells[1], value)

    para(doc, "Summary of project idea (150 words max)", "Heading 1")
    blocks(doc, "summary")

    para(doc, "Which other CCIN members will work on this project?", "Heading 1")
    tag(doc, "for partner in partners")
    para(doc, "{{ partner.name }}", "List Bullet")
    tag(doc, "endfor")
    tag(doc, "if not partners")
    para(doc, "No partners named yet.", "Note")
    tag(doc, "endif")

    para(doc, "Provide a detailed budget of how you will spend the budget and whether you are bringing in "
         "other funding.", "Heading 1")
    tag(doc, "for line in budget_lines")  # the form's budget box: one line per budget line
    para(doc, "{{ line }}")
    tag(doc, "endfor")

    para(doc, "What is your idea and how will you allocate the budget?", "Heading 1")
    blocks(doc, "idea")

    add_outcomes(doc)
    add_aims(doc)

    para(doc, "How does your project support the CCIN Statement of Values and Principles?", "Heading 1")
    blocks(doc, "values_and_principles")
    para(doc, "How will you share your learning across the Co-operative Councils' Innovation Network?",
         "Heading 1")
    blocks(doc, "sharing_learning")

    para(doc, "Declaration", "Heading 1")
    para(doc, "{{ declaration_box }} {{ declaration }}")

    add_appendix(doc)
    add_checklist(doc)
    mark_as_labdocs(doc, "bid")
    # The title is set as metadata by the renderer (service/render/docx.py), not templated here.
    return doc


# A custom document property (File > Properties > Custom in Word) saying labdocs made the file and which
# document it is: Word and LibreOffice keep custom properties when they save, so an edited draft can be told
# from any other Word file when it comes back in (labdocs/domain/docx_bid.py reads it).
MARKER_PROPERTY = "labdocs-document"
CUSTOM_PROPERTIES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    '<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="2" name="{name}">'
    "<vt:lpwstr>{value}</vt:lpwstr></property></Properties>"
)


def mark_as_labdocs(doc: DocumentObject, document: str) -> None:
    """Add docProps/custom.xml with labdocs' marker property (python-docx keeps the part through every render)."""
    package = doc.part.package
    xml = CUSTOM_PROPERTIES.format(name=MARKER_PROPERTY, value=document).encode("utf-8")
    part = Part(PackURI("/docProps/custom.xml"), CT.OFC_CUSTOM_PROPERTIES, xml, package)
    package.relate_to(part, RT.CUSTOM_PROPERTIES)


def add_appendix(doc: DocumentObject) -> None:
    """The budget and outputs as tables, for partners who want them; the form asks for them as text."""
    breaker = para(doc)
    breaker.add_run().add_break(WD_BREAK.PAGE)
    para(doc, "Appendix: the budget and outputs as tables", "Heading 1")
    para(doc, "For partners who want them as tables: the form asks for the budget and outputs as the text "
         "above, so delete this appendix with the checklist before you submit.")
    para(doc, "Budget lines", "Heading 2")
    add_budget(doc)
    para(doc, "Outputs and their targets", "Heading 2")
    table = grid(doc, [12.6, 4.0], 4)
    header_row(table, ["Output", "Target"])
    loop_rows(table, 1, "for output in outputs")
    cell_text(table.rows[2].cells[0], "{{ output.description }}")
    cell_text(table.rows[2].cells[1], "{{ output.target }}")


def add_budget(doc: DocumentObject) -> None:
    """One row per budget line, then a total row computed by the service."""
    right = {1, 2, 3}
    table = grid(doc, [6.4, 2.4, 1.4, 2.6, 3.8], 5)
    header_row(table, ["Item", "Amount", "Qty", "Line total", "Match funding"], right)
    loop_rows(table, 1, "for line in budget")
    cells = table.rows[2].cells
    for index, text in enumerate(["{{ line.description }}", "{{ line.amount }}", "{{ line.quantity }}",
                                  "{{ line.total }}", "{{ line.match }}"]):
        cell_text(cells[index], text, align=WD_ALIGN_PARAGRAPH.RIGHT if index in right else None)
    total = table.rows[4].cells
    cell_text(total[0], "Total of budget lines", bold=True)
    cell_text(total[3], "{{ budget_total }}", bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    cell_text(total[4], "{{ match_total }}", bold=True)
    for cell in total:
        shade(cell, LABEL_FILL)


def add_outcomes(doc: DocumentObject) -> None:
    """Inputs, outputs and outcomes as the form's entry writes them: a label, then a paragraph each."""
    para(doc, "What are the outcomes you hope to achieve?", "Heading 1")
    blocks(doc, "outcomes_text")


def each_aim(doc: DocumentObject, heading: str) -> None:
    """A loop over the network's aims: its title, the network's own words, then what this lab will do."""
    tag(doc, "for aim in aims")
    para(doc, "{{ aim.title }}", heading)
    para(doc, "CCIN says: {{ aim.ccin_says }}", "CCIN Says")
    para(doc, "We will do:", "Label")
    blocks(doc, "aim.blocks")
    tag(doc, "endfor")


def add_aims(doc: DocumentObject) -> None:
    """Each network aim: the network's own words, then what this lab will do."""
    para(doc, "How does your project support the aims and objectives of the Co-operative Councils "
         "Innovation Network?", "Heading 1")
    each_aim(doc, "Heading 2")
    para(doc, "Walking the talk", "Heading 2")
    para(doc, 'We will demonstrate how CCIN "walks the talk" by:', "Label")  # the form's words
    blocks(doc, "walking_the_talk")


def add_checklist(doc: DocumentObject) -> None:
    """The funder-rule checks, on their own page, marked for deletion before submission."""
    breaker = para(doc)
    breaker.add_run().add_break(WD_BREAK.PAGE)
    para(doc, "Checklist before you submit", "Heading 1")
    para(doc, "Delete this checklist and the appendix before you submit the application: they are labdocs' "
         "notes, not part of the bid. This draft was prepared with labdocs on {{ generated_on }} and checked "
         "against the funder's rules; check every answer before you copy it into the funder's form.", "Warning")
    table = grid(doc, [5.6, 2.6, 8.4], 4)
    header_row(table, ["Rule", "Result", "What to fix"])
    loop_rows(table, 1, "for item in checklist")
    cells = table.rows[2].cells
    cell_text(cells[0], "{{ item.title }}")
    cell_text(cells[1], "{{ item.result }}", bold=True)
    cells[2].paragraphs[0].style = "Table Text"
    cells[2].paragraphs[0].add_run("{%p for finding in item.findings %}")
    cells[2].add_paragraph("{{ finding }}", style="Table Text")
    cells[2].add_paragraph("{%p endfor %}", style="Table Text")
    # A table cell must keep at least one paragraph, so a passing rule says so.
    cells[2].add_paragraph("{%p if not item.findings %}", style="Table Text")
    cells[2].add_paragraph("Nothing to fix.", style="Table Text")
    cells[2].add_paragraph("{%p endif %}", style="Table Text")
    tag(doc, "for note in tool_notes")  # word counts and the budget's sum: notes on the draft, not the bid
    para(doc, "{{ note }}", "Note")
    tag(doc, "endfor")
    para(doc, "{{ checks_summary }}", "Note")


# --- the final report ---------------------------------------------------------------------------


def build_report() -> DocumentObject:
    """The final report: promised against achieved, budget against spend, stories, learning."""
    doc = start_document("{{ title }} · Final report", "Final report · {{ funding_round }}")
    para(doc, "Led by {{ lead_organisation }}{% if partners %} with {{ partners_text }}{% endif %}.")
    para(doc, "{{ period }}")
    tag(doc, "if notice")
    para(doc, "{{ notice }}", "Warning")
    tag(doc, "endif")

    para(doc, "Summary", "Heading 1")
    table = grid(doc, [4.4, 12.2], 4)
    header_row(table, ["In numbers", "What it counts"])
    loop_rows(table, 1, "for figure in headline")
    cell_text(table.rows[2].cells[0], "{{ figure.value }}", bold=True)
    cell_text(table.rows[2].cells[1], "{{ figure.label }}")
    para(doc, "{{ summary_title }}", "Heading 2")
    blocks(doc, "summary_text")
    para(doc, "Contents", "Heading 2")
    contents_field(doc)

    tag(doc, "if introduction")
    para(doc, "Context", "Heading 1")
    blocks(doc, "introduction")
    tag(doc, "endif")
    tag(doc, "if principles")
    para(doc, "Principles met", "Heading 1")
    para(doc, "The network principles this lab met, in the network's own words.")
    tag(doc, "for principle in principles")
    item = para(doc, style="List Bullet")
    item.add_run("{% if principle.title %}{{ principle.title }}. {% endif %}").bold = True
    item.add_run("{{ principle.text }}")
    tag(doc, "for point in principle.points")
    para(doc, "{{ point }}", "List Bullet 2")
    tag(doc, "endfor")
    tag(doc, "endfor")
    tag(doc, "endif")

    add_report_outputs(doc)
    add_report_budget(doc)
    add_report_people(doc)
    add_case_studies(doc)

    para(doc, "The co-operative difference", "Heading 1")
    blocks(doc, "co_operative_difference")
    tag(doc, "for part in reflections")
    para(doc, "{{ part.title }}", "Heading 1")
    blocks(doc, "part.blocks")
    tag(doc, "endfor")
    tag(doc, "if contact")
    para(doc, "For further information", "Heading 1")
    para(doc, "For further information contact the project lead:")
    para(doc, "{{ contact.name }}{% if contact.role %}, {{ contact.role }}{% endif %}"
              "{% if contact.organisation %}, {{ contact.organisation }}{% endif %}")
    para(doc, "{{ contact.email }}{% if contact.phone %} · {{ contact.phone }}{% endif %}")
    tag(doc, "endif")

    para(doc, "Appendix: the original bid", "Heading 1")
    para(doc, "Summary of the project idea", "Heading 2")
    blocks(doc, "original_summary")
    para(doc, "The network's aims", "Heading 2")
    each_aim(doc, "Heading 3")
    para(doc, "Made with labdocs on {{ generated_on }}.", "Note")
    return doc


def chart(doc: DocumentObject, name: str) -> None:
    """A chart picture (with alt text, set by the renderer) and its caption, when there is one."""
    tag(doc, f"if {name}_chart")
    para(doc, f"{{{{ {name}_chart }}}}").paragraph_format.keep_with_next = True
    para(doc, f"{{{{ {name}_caption }}}}", "Caption")
    tag(doc, "endif")


def add_report_outputs(doc: DocumentObject) -> None:
    para(doc, "Promised and achieved", "Heading 1")
    para(doc, "What the bid promised for each output, and what the lab delivered.")
    table = grid(doc, [8.2, 2.9, 2.9, 2.6], 4)
    header_row(table, ["Output", "Promised", "Achieved", "Result"])
    loop_rows(table, 1, "for row in outputs")
    cells = table.rows[2].cells
    for index, text in enumerate(["{{ row.number }}. {{ row.description }}", "{{ row.promised }}",
                                  "{{ row.achieved }}", "{{ row.status }}"]):
        cell_text(cells[index], text, bold=index == 3)
    para(doc, "Evidence", "Heading 2")
    tag(doc, "for row in outputs")
    tag(doc, "if row.evidence")
    evidence = para(doc)
    evidence.add_run("Output {{ row.number }}. ").bold = True
    evidence.add_run("{{ row.evidence }}")
    tag(doc, "endif")
    tag(doc, "endfor")
    chart(doc, "outputs")


def add_report_budget(doc: DocumentObject) -> None:
    para(doc, "Budget and spend", "Heading 1")
    para(doc, "{{ budget_note }}")
    right = {1, 2, 3}
    table = grid(doc, [8.0, 2.8, 2.8, 3.0], 5)
    header_row(table, ["Budget line", "Budget", "Spent", "Variance"], right)
    loop_rows(table, 1, "for row in budget")
    cells = table.rows[2].cells
    for index, text in enumerate(["{{ row.number }}. {{ row.description }}", "{{ row.budget }}",
                                  "{{ row.spent }}", "{{ row.variance }}"]):
        cell_text(cells[index], text, align=WD_ALIGN_PARAGRAPH.RIGHT if index in right else None)
    total = table.rows[4].cells
    for index, text in enumerate(["Total", "{{ budget_total }}", "{{ spent_total }}", "{{ variance_total }}"]):
        cell_text(total[index], text, bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT if index in right else None)
        shade(total[index], LABEL_FILL)
    chart(doc, "budget")


def add_report_people(doc: DocumentObject) -> None:
    para(doc, "Who took part", "Heading 1")
    tag(doc, "if participants")
    table = grid(doc, [10.6, 3.0, 3.0], 5)
    header_row(table, ["Partner", "People", "Share"], {1, 2})
    loop_rows(table, 1, "for row in participants")
    cells = table.rows[2].cells
    for index, text in enumerate(["{{ row.name }}", "{{ row.count }}", "{{ row.share }}"]):
        cell_text(cells[index], text, align=WD_ALIGN_PARAGRAPH.RIGHT if index else None)
    total = table.rows[4].cells
    for index, text in enumerate(["Total", "{{ participants_total }}", "100%"]):
        cell_text(total[index], text, bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT if index else None)
        shade(total[index], LABEL_FILL)
    tag(doc, "else")
    para(doc, "{{ participants_total }} people took part; the report does not break this down by partner.")
    tag(doc, "endif")

    para(doc, "Activities", "Heading 1")
    table = grid(doc, [3.4, 10.8, 2.4], 4)
    header_row(table, ["Date", "Activity", "Attendees"], {2})
    loop_rows(table, 1, "for row in activities")
    cells = table.rows[2].cells
    cell_text(cells[0], "{{ row.date }}")
    cell_text(cells[1], "{{ row.title }}", bold=True)
    cells[1].add_paragraph("{{ row.description }}", style="Table Text")
    cell_text(cells[2], "{{ row.attendees }}", align=WD_ALIGN_PARAGRAPH.RIGHT)


def add_case_studies(doc: DocumentObject) -> None:
    tag(doc, "if case_studies")
    para(doc, "Case studies", "Heading 1")
    tag(doc, "for study in case_studies")
    para(doc, "{{ study.title }}", "Heading 2")
    tag(doc, "if study.image")
    para(doc, "{{ study.image }}")
    tag(doc, "endif")
    blocks(doc, "study.story")
    tag(doc, "if study.quote")
    para(doc, "“{{ study.quote }}”", "Quote")
    tag(doc, "if study.quote_by")
    para(doc, "{{ study.quote_by }}", "Quote Source")
    tag(doc, "endif")
    tag(doc, "endif")
    tag(doc, "endfor")
    tag(doc, "endif")


# --- reproducible output ------------------------------------------------------------------------


STYLE_REFERENCES = ("w:pStyle", "w:rStyle", "w:tblStyle")
STYLE_LINKS = ("w:basedOn", "w:link", "w:next")
UNWANTED_RELATIONSHIPS = (
    "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",  # Word 2010 leftover
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail",  # python-docx's sample
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml",  # an unused bibliography
)
# python-docx's sample says it was made by "Microsoft Macintosh Word" from Normal.dotm: say what made it.
APP_XML = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
           b"<Application>labdocs</Application><DocSecurity>0</DocSecurity></Properties>")


def prune_styles(doc: DocumentObject) -> None:
    """Keep the styles the template uses (with what they are based on, linked to and followed by) and the
    defaults. python-docx's base template defines 171 styles in 350 KB; Word recreates any built-in style
    from its own definitions when someone picks it, and every render no longer carries them."""
    parts = [doc.element] + [part._element for section in doc.sections for part in (section.header, section.footer)
                             if not part.is_linked_to_previous]  # reading a missing header would add one
    wanted = {node.get(qn("w:val")) for element in parts for tag in STYLE_REFERENCES for node in element.iter(qn(tag))}
    styles = doc.styles.element
    by_id = {style.get(qn("w:styleId")): style for style in styles.findall(qn("w:style"))}
    wanted |= {style_id for style_id, style in by_id.items() if style.get(qn("w:default")) == "1"}
    pending = list(wanted)
    while pending:
        style = by_id.get(pending.pop())
        for link in STYLE_LINKS:
            found = style.find(qn(link)) if style is not None else None
            if found is not None and found.get(qn("w:val")) not in wanted:
                wanted.add(found.get(qn("w:val")))
                pending.append(found.get(qn("w:val")))
    for style_id, style in by_id.items():
        if style_id not in wanted:
            styles.remove(style)


def drop_unwanted_parts(doc: DocumentObject) -> None:
    """Relationships (and so parts) that no labdocs document should carry, and a false proofing state.

    The sample's settings tell Word the spelling and grammar are already checked (proofState clean): a draft
    that partners edit must be checked afresh.
    """
    for owner in (doc.part, doc.part.package):
        for r_id, relationship in list(owner.rels.items()):
            if relationship.reltype in UNWANTED_RELATIONSHIPS:
                del owner.rels[r_id]
    for proof in doc.settings.element.findall(qn("w:proofState")):
        doc.settings.element.remove(proof)


def save_reproducibly(doc: DocumentObject, path: Path) -> None:
    """Save with fixed metadata and zip timestamps, so an unchanged template builds to the same bytes."""
    prune_styles(doc)
    drop_unwanted_parts(doc)
    props = doc.core_properties
    props.author = "labdocs"
    props.last_modified_by = "labdocs"
    props.created = props.modified = FIXED_TIME  # each render sets its own times; the template is reproducible
    props.revision = 1
    props.comments = ""  # not "generated by python-docx"
    props.language = "en-GB"
    buffer = io.BytesIO()
    doc.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            data = APP_XML if info.filename == "docProps/app.xml" else source.read(info.filename)
            target.writestr(fixed, data)


TEMPLATES: dict[str, Callable[[], DocumentObject]] = {"bid.docx": build_bid, "report.docx": build_report}


def build_all(folder: Path = HERE) -> list[Path]:
    written = []
    for name, build in TEMPLATES.items():
        save_reproducibly(build(), folder / name)
        written.append(folder / name)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    for path in build_all(target):
        print(f"wrote {path}")
