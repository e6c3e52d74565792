"""Building the 核查报告: Jupyter Book over the staged pages (pages.py), to HTML and with
xelatex to dossier-<year>.pdf, with the dates taken from the edition's issue date."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from beichen.dossier.outline import pdf_name
from beichen.dossier.pages import stage
from beichen.errors import BuildError

if TYPE_CHECKING:
    from beichen.dossier.document import Dossier


def source_date_epoch(issue_date: str) -> int:
    """The first day of the issue month (“2025年11月” → 2025-11-01 00:00 UTC) as a Unix time: the
    date the PDF records, so a rebuild of the same inputs gives the same bytes."""
    import calendar
    import re

    match = re.match(r"(\d{4})年(?:(\d{1,2})月)?", issue_date or "")
    year, month = (int(match.group(1)), int(match.group(2) or 1)) if match else (1970, 1)
    return calendar.timegm((year, month, 1, 0, 0, 0))


def jb_environment(issue_date: str) -> dict:
    """The environment of the 核查报告's Jupyter Book runs."""
    import os

    # TeX and Sphinx take their timestamps from SOURCE_DATE_EPOCH (FORCE_SOURCE_DATE: TeX's \today too).
    from beichen.pdf.latex import latex_environment

    # xelatex as restricted as for the report (no shell escape, reads inside the build tree only).
    return latex_environment(dict(os.environ, SOURCE_DATE_EPOCH=str(source_date_epoch(issue_date)),
                                  FORCE_SOURCE_DATE="1", PYTHONHASHSEED="0"))


def _jupyter_book(folder: Path, builder: str, log_name: str, issue_date: str, warm=None, extra=()) -> None:
    from beichen.site.warm_book import jupyter_book

    result = jupyter_book(["build", str(folder), "--builder", builder, "-n", "-W", "--keep-going", *extra],
                          jb_environment(issue_date), warm)
    (folder / log_name).write_text(result.stdout + result.stderr, encoding="utf-8")
    if result.returncode != 0:
        raise BuildError(f"核查报告构建失败（{builder}），详见 {folder / log_name}:\n{result.stderr[-2000:]}")


def build(dossier: Dossier, folder: Path, pdf: bool = False, warm=None) -> Path:
    """Stage and build the 核查报告; return its HTML folder (with dossier-<year>.pdf when pdf)."""
    from beichen.site.rerun import fresh_static, sphinx_build_args

    stage(dossier, folder)
    fresh_static(Path(folder) / "_build" / "html")
    # Every page rewritten (--all): the 核查报告 is rebuilt only when one of its inputs changed, the
    # program included, and a page whose source did not change is still written by changed code.
    _jupyter_book(folder, "html", "sphinx-html.log", dossier.issue_date, warm, sphinx_build_args([]))
    html = folder / "_build" / "html"  # its .buildinfo (Sphinx's config hash) is left out when published
    if pdf:
        from beichen.pdf.latex import latex_run, missing_characters
        latex = folder / "_build" / "latex"
        with latex_run(latex):  # a killed or failed run leaves no half-written .aux/.toc for the next
            _jupyter_book(folder, "pdflatex", "sphinx-pdf.log", dossier.issue_date)
        built = latex / "book.pdf"
        if not built.exists():
            raise BuildError(f"核查报告 PDF 未生成，详见 {folder / 'sphinx-pdf.log'}")
        lost = missing_characters(latex / "book.log")
        if lost:
            raise BuildError(f"核查报告 PDF 中有缺字: {', '.join(sorted(lost))}")
        shutil.copy2(built, html / pdf_name(dossier.year))
    return html
