"""Reading DOCX output as Word users see it: paragraphs with styles, tables as rows of cell text."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocumentObject


def open_docx(data: bytes) -> DocumentObject:
    return Document(io.BytesIO(data))


def paragraphs(doc: DocumentObject) -> list[tuple[str, str]]:
    return [(p.style.name if p.style is not None else "", p.text) for p in doc.paragraphs]


def headings(doc: DocumentObject, level: int) -> list[str]:
    return [text for style, text in paragraphs(doc) if style == f"Heading {level}"]


def rows(table: Any) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def section(doc: DocumentObject, heading: str) -> list[tuple[str, str]]:
    """The paragraphs after a heading, up to the next heading of the same or a higher level."""
    found = paragraphs(doc)
    start = next(i for i, (style, text) in enumerate(found) if text == heading and style.startswith("Heading"))
    level = found[start][0]
    out = []
    for style, text in found[start + 1:]:
        if style.startswith("Heading") and style <= level:
            break
        out.append((style, text))
    return out


def libreoffice_pdf(docx: Path, outdir: Path) -> Path:
    """Convert with LibreOffice headless, as a recipient's office suite would open it."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is not installed (.ci/run installs libreoffice-writer-nogui)"
    profile = outdir / "lo-profile"
    result = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(outdir), str(docx)],
        capture_output=True, text=True, timeout=180,
    )
    pdf = outdir / (docx.stem + ".pdf")
    assert result.returncode == 0 and pdf.exists(), f"LibreOffice failed: {result.stdout} {result.stderr}"
    return pdf


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
