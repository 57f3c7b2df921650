"""tools/build_docx_templates.py: the committed templates are exactly what the build script makes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from labdocs.render import TEMPLATES
from tests.conftest import ROOT

DOCX = TEMPLATES / "docx"
BUILD = ROOT / "tools" / "build_docx_templates.py"


def test_committed_templates_match_their_build_script(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(BUILD), str(tmp_path)], check=True, capture_output=True)
    built = sorted(path.name for path in tmp_path.glob("*.docx"))
    assert built, "the build script wrote no templates"
    for name in built:
        assert (tmp_path / name).read_bytes() == (DOCX / name).read_bytes(), (
            f"{DOCX / name} differs from its build script: run `python tools/build_docx_templates.py`")
