"""templates/docx/build.py: the committed templates are exactly what the build script makes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from service.config import ROOT

DOCX = ROOT / "templates" / "docx"


def test_committed_templates_match_their_build_script(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(DOCX / "build.py"), str(tmp_path)], check=True, capture_output=True)
    built = sorted(path.name for path in tmp_path.glob("*.docx"))
    assert built, "the build script wrote no templates"
    for name in built:
        assert (tmp_path / name).read_bytes() == (DOCX / name).read_bytes(), (
            f"templates/docx/{name} differs from its build script: run `python templates/docx/build.py`")
