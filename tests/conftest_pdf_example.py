"""Example of the ``built_pdf`` fixture used by tests/test_pdf.py.

NOT loaded by pytest (the name does not start with ``conftest.py``): the lead
wires the real fixture into tests/conftest.py.  This is how the prototype in
/tmp/pdfproto built it: executed notebooks already in the book folder
(papermill, ``injected-parameters`` cell tagged ``remove-cell``), then
``jupyter-book build --builder pdflatex`` with ``execute_notebooks: off``.

    pytest -m pdf -p tests.conftest_pdf_example      # to try it stand-alone
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

BOOK = Path(os.environ.get("PDF_BOOK_DIR", "/tmp/pdfproto/book"))
JB = Path(sys.executable).with_name("jupyter-book")


@dataclass
class BuiltPdf:
    pdf: Path
    latex_dir: Path
    expected_charts: int


def count_chart_outputs(book: Path) -> int:
    """Charts = outputs carrying application/pdf in the executed notebooks
    (cells tagged remove-cell are dropped by myst-nb, so they are not counted;
    glue'd charts are counted where a {glue:figure} shows them, i.e. once per
    glue(..., display=False) output)."""
    n = 0
    for nb_path in book.rglob("*.ipynb"):
        if "_build" in nb_path.parts or ".ipynb_checkpoints" in nb_path.parts:
            continue
        nb = json.loads(nb_path.read_text(encoding="utf-8"))
        for cell in nb.get("cells", []):
            if cell.get("cell_type") != "code":
                continue
            tags = cell.get("metadata", {}).get("tags", [])
            glued = any(o.get("metadata", {}).get("scrapbook") for o in cell.get("outputs", []))
            if ("remove-cell" in tags or "remove-output" in tags) and not glued:
                continue
            for out in cell.get("outputs", []):
                data = out.get("data", {})
                if "application/pdf" in data or "application/papermill.record/application/pdf" in data:
                    n += 1
    return n


@pytest.fixture(scope="session")
def built_pdf() -> BuiltPdf:
    if shutil.which("xelatex") is None:
        pytest.skip("xelatex not installed")
    latex_dir = BOOK / "_build" / "latex"
    shutil.rmtree(BOOK / "_build", ignore_errors=True)
    proc = subprocess.run(
        [str(JB), "build", "--builder", "pdflatex", str(BOOK)],
        capture_output=True, text=True, timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return BuiltPdf(pdf=latex_dir / "book.pdf", latex_dir=latex_dir,
                    expected_charts=count_chart_outputs(BOOK))
