"""service/render/report.py: the final report as Word, LibreOffice and PDF readers see it."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from labdocs.render import ASSETS, Rendered, RenderError, bundled_sources
from labdocs.render.report import render_report_docx, render_report_pdf
from labdocs.schemas.bid import load_bid
from labdocs.schemas.report import load_report

from .docx_reading import headings, libreoffice_pdf, open_docx, paragraphs, pdf_text, rows

SOURCES = bundled_sources(lambda key: (ASSETS / "images" / key).read_bytes())


def payload(bid: dict[str, Any], report: dict[str, Any], images: dict[str, str] | None = None) -> dict[str, Any]:
    return {"bid": load_bid(bid), "report": load_report(report), "images": images or {},
            "generated_on": "2026-11-24"}


@pytest.fixture(scope="module")
def example_pdf(_example_bid: dict[str, Any], _example_report: dict[str, Any]) -> Rendered:
    return render_report_pdf(SOURCES, payload(_example_bid, _example_report))


@pytest.fixture(scope="module")
def example_docx(_example_bid: dict[str, Any], _example_report: dict[str, Any]) -> bytes:
    return render_report_docx(SOURCES, payload(_example_bid, _example_report)).data


@pytest.fixture(scope="module")
def pdf_file(example_pdf: Rendered, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "report.pdf"
    path.write_bytes(example_pdf.data)
    return path


def table_with_header(doc: Any, first: str) -> list[list[str]]:
    return next(rows(t) for t in doc.tables if rows(t)[0][0] == first)


# --- DOCX ---------------------------------------------------------------------------------------


def test_docx_has_real_headings_in_order(example_docx: bytes) -> None:
    doc = open_docx(example_docx)
    assert headings(doc, 1) == [
        "Summary", "Context", "Principles met", "Promised and achieved", "Budget and spend", "Who took part",
        "Activities", "Case studies", "The co-operative difference", "Learning", "Challenges", "Next steps",
        "For further information", "Appendix: the original bid",
    ]
    assert headings(doc, 2)[:5] == ["What happened", "Contents", "Evidence",
                                    "A commissioning panel that decides by consent", "Young consultants in Hackney"]
    assert len(headings(doc, 3)) == 8  # one per network aim in the appendix
    properties = doc.core_properties
    assert properties.title == "Co-operative Governance: final report"
    assert properties.author == "Rochdale Borough Council" and properties.language == "en-GB"
    assert properties.comments == "" and properties.created == properties.modified
    assert b"proofState" not in zipped(example_docx, "word/settings.xml")
    assert b"labdocs" in zipped(example_docx, "docProps/app.xml")
    assert b"w:cantSplit" in zipped(example_docx, "word/document.xml")
    assert b"TOC \\o" in zipped(example_docx, "word/document.xml")


def zipped(docx: bytes, name: str) -> bytes:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return archive.read(name)


def test_docx_promised_and_achieved_in_the_right_rows(example_docx: bytes) -> None:
    outputs = table_with_header(open_docx(example_docx), "Output")
    assert outputs[0] == ["Output", "Promised", "Achieved", "Result"]
    assert outputs[1] == ["1. A minimum of 30 people from CCIN partners accessing training and / or communities "
                          "of practice", "30 people", "47 people", "Met"]
    assert [row[1:] for row in outputs[2:]] == [["No target set", str(n), "Delivered (no target set)"]
                                                for n in (1, 6, 2, 5)]


def test_docx_budget_against_spend_with_totals(example_docx: bytes) -> None:
    budget = table_with_header(open_docx(example_docx), "Budget line")
    assert [row[1:] for row in budget[1:]] == [
        ["£5,000.00", "£5,000.00", "On budget"],
        ["£6,000.00", "£2,500.00", "£3,500.00 under"],
        ["£5,000.00", "£4,735.40", "£264.60 under"],
        ["£6,500.00", "£5,000.00", "£1,500.00 under"],
        ["£22,500.00", "£17,235.40", "£5,264.60 under"],
    ]
    assert budget[-1][0] == "Total"


def test_docx_tables_repeat_their_header_rows(example_docx: bytes) -> None:
    doc = open_docx(example_docx)
    assert len(doc.tables) == 5
    for table in doc.tables:
        assert table.rows[0]._tr.find(".//{*}tblHeader") is not None


def test_docx_charts_and_photo_are_described_images(example_docx: bytes) -> None:
    doc = open_docx(example_docx)
    described = [e.get("descr") for e in doc.element.body.iter() if e.tag.endswith("}docPr")]
    assert len(described) == 3
    assert described[0].startswith("Bar chart of promised against achieved: output 1, 30 people promised and "
                                   "47 people achieved (met). 4 outputs had no numeric target")
    assert described[1].startswith("Bar chart of budget against spend: line 1, £5,000.00 budgeted and "
                                   "£5,000.00 spent;")
    assert described[2] == "Illustration: eight people seated around a round table, two of them speaking."
    pictures = [part for part in doc.part.package.parts if part.partname.startswith("/word/media/")]
    assert len(pictures) == 3


def test_docx_quotes_are_styled_as_quotes(example_docx: bytes) -> None:
    found = paragraphs(open_docx(example_docx))
    assert ("Quote", "“For the first time the people who use these services had the same say as the officers "
                     "around the table.”") in found
    assert ("Quote Source", "Panel member, Rochdale") in found


@pytest.mark.slow
def test_docx_converts_with_libreoffice(example_docx: bytes, tmp_path: Path) -> None:
    source = tmp_path / "report.docx"
    source.write_bytes(example_docx)
    text = pdf_text(libreoffice_pdf(source, tmp_path))
    for expected in ("Promised and achieved", "47 people", "£17,235.40", "Young consultants in Hackney"):
        assert expected in text


# --- PDF ----------------------------------------------------------------------------------------


def line_with(text: str, start: str) -> str:
    return next(line for line in text.splitlines() if start in line)


def test_pdf_promised_and_achieved_in_the_right_rows(pdf_file: Path) -> None:
    text = pdf_text(pdf_file)
    first = line_with(text, "1. A minimum of 30 people from CCIN partners")
    assert first.split()[-5:] == ["30", "people", "47", "people", "Met"]
    budget = line_with(text, "2. £1,000 each core partner (Rochdale")
    assert budget.split()[-4:] == ["£6,000.00", "£2,500.00", "£3,500.00", "under"]
    total = line_with(text, "Total      ")
    assert total.split() == ["Total", "£22,500.00", "£17,235.40", "£5,264.60", "under"]


def test_pdf_metadata_bookmarks_and_pages(pdf_file: Path) -> None:
    info = subprocess.run(["pdfinfo", str(pdf_file)], capture_output=True, text=True, check=True).stdout
    assert "Title:           Co-operative Governance: final report" in info
    assert "Tagged:          yes" in info
    assert "Page size:       595.276 x 841.89 pts (A4)" in info
    with pikepdf.open(pdf_file) as pdf:
        assert str(pdf.Root.Lang) == "en-GB"
        assert "pdfuaid" in str(pdf.Root.Metadata.read_bytes())
        with pdf.open_outline() as outline:
            titles = [item.title for item in outline.root]
    assert titles == ["Co-operative Governance"]  # the h1, with every section nested beneath it


def test_pdf_charts_are_vectors_and_only_the_photo_is_raster(pdf_file: Path) -> None:
    images = subprocess.run(["pdfimages", "-list", str(pdf_file)], capture_output=True, text=True,
                            check=True).stdout.splitlines()[2:]
    assert len(images) == 1, images  # the case study illustration; charts are drawn, not pictures
    assert "47 people" in pdf_text(pdf_file)  # the chart's value label is real text


def test_pdf_fonts_are_embedded_subsets_with_unicode_maps(pdf_file: Path) -> None:
    fonts = subprocess.run(["pdffonts", str(pdf_file)], capture_output=True, text=True, check=True).stdout
    lines = fonts.splitlines()[2:]
    assert lines and all(line.split()[-5:-2] == ["yes", "yes", "yes"] for line in lines), fonts
    assert all("Lato" in line for line in lines)


def test_pdf_accessibility_findings_all_pass(example_pdf: Rendered) -> None:
    assert [(f["code"], f["passed"]) for f in example_pdf.findings] == [
        ("tagged", True), ("untagged_content", True), ("language", True), ("title", True),
        ("heading_order", True), ("bookmarks", True), ("figures_alt", True), ("table_headers", True),
        ("fonts", True), ("contrast", True),
    ]


def test_uploaded_image_is_read_from_the_store(bid: dict[str, Any], report: dict[str, Any],
                                               tmp_path: Path) -> None:
    report["case_studies"][1]["image"] = "0" * 32
    report["case_studies"][1]["alt"] = "A drawing of a community garden."
    path = tmp_path / "r.pdf"
    path.write_bytes(render_report_pdf(SOURCES, payload(bid, report, images={"0" * 32: "garden.jpg"})).data)
    listed = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True)
    assert [line.split()[3:5] for line in listed.stdout.splitlines()[2:]] == [["1800", "1200"], ["1900", "2650"]]


def test_missing_image_fails_with_a_plain_reason(bid: dict[str, Any], report: dict[str, Any]) -> None:
    """The schema refuses unknown bundled names; data stored before it did still fails in words, not a crash."""
    data = payload(bid, report)
    data["report"]["case_studies"][0]["image"] = "asset:no-such-picture.png"
    with pytest.raises(RenderError, match=r"There is no bundled image called 'no-such-picture\.png'"):
        render_report_pdf(SOURCES, data)


@pytest.mark.parametrize("text", ["<script>alert(1)</script>", "{{ config }}", "<img src=file:///etc/passwd>"])
def test_user_text_is_text_in_the_pdf(bid: dict[str, Any], report: dict[str, Any], text: str,
                                      tmp_path: Path) -> None:
    report["learning"] = text
    path = tmp_path / "r.pdf"
    path.write_bytes(render_report_pdf(SOURCES, payload(bid, report)).data)
    assert text in pdf_text(path).replace("\n", "")


@pytest.mark.parametrize(("field", "text"), [
    ("learning", "An emoji DejaVu Sans draws: 😀 ☺"),
    ("challenges", "Arabic and Welsh: مرحبا بكم, Croeso i Gymru ŵŷ"),
    ("next_steps", "Polish and Greek: Zażółć gęślą jaźń, καλημέρα"),
])
def test_text_in_scripts_the_fonts_draw_is_printed_and_stays_accessible(bid: dict[str, Any], report: dict[str, Any],
                                                                        field: str, text: str, tmp_path: Path) -> None:
    report[field] = text
    rendered = render_report_pdf(SOURCES, payload(bid, report))
    assert all(finding["passed"] for finding in rendered.findings)
    path = tmp_path / "r.pdf"
    path.write_bytes(rendered.data)
    printed = pdf_text(path)
    assert all(word in printed for word in text.split() if word.isascii() and word.isalpha())


@pytest.mark.parametrize("text", ["Egyptian: 𓀀𓁐", "Linear B: 𐀀𐀁", "Cuneiform: 𒀀", "Emoji: 👍", "Chinese: 喜欢"])
def test_characters_no_font_draws_refuse_the_pdf_and_say_where_they_are(bid: dict[str, Any], report: dict[str, Any],
                                                                       text: str) -> None:
    """An empty box (.notdef) would print where they are, and PDF/UA forbids it: the user is told what and where."""
    report["case_studies"][1]["story"] = f"A story with {text} in it."
    character = text.split(": ")[1][0]
    with pytest.raises(RenderError) as refused:
        render_report_pdf(SOURCES, payload(bid, report))
    message = str(refused.value)
    assert f"{character} (U+{ord(character):04X}" in message and "in case studies 2: story" in message
    assert "Take them out or write them in words" in message


def test_a_report_with_nothing_measured_yet_claims_no_figures(bid: dict[str, Any], tmp_path: Path) -> None:
    """Nothing reported is not "0 people took part" or "0 of 5 promised outputs delivered"."""
    bare = {"period": {"start": "2024-04-01", "end": "2025-03-31"}, "co_operative_difference": "Together."}
    rendered = render_report_pdf(SOURCES, payload(bid, bare))
    assert all(finding["passed"] for finding in rendered.findings)
    path = tmp_path / "bare.pdf"
    path.write_bytes(rendered.data)
    summary = pdf_text(path).split("Contents")[0]
    assert "people took part" not in summary and "promised outputs" not in summary and "spent of" not in summary
    partial = {**bare, "participants": {"total": 12}}
    path.write_bytes(render_report_pdf(SOURCES, payload(bid, partial)).data)
    assert "people took part" in pdf_text(path).split("Contents")[0]
