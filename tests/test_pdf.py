"""Checks of the print-grade Chinese PDF (issue "Print-grade Chinese PDF").

The build itself is provided by a fixture ``built_pdf`` (wired up in
tests/conftest.py by the lead; tests/conftest_pdf_example.py shows one way).
It must return an object with:
    .pdf             Path of the built PDF (e.g. <book>/_build/latex/book.pdf)
    .latex_dir       Path of the LaTeX build folder (book.tex, book.log, chart PDFs)
    .expected_charts number of chart outputs in the executed notebooks
Run with:  pytest -m pdf
"""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest

pytestmark = pytest.mark.pdf

HEADLINE_FIGURES = ["107.6%", "90.5%", "110.0%", "155.0%", "113.8%", "30.6%", "23.3%", "93.1%"]

# Sphinx / LaTeX interface words that must never reach the Chinese PDF.
ENGLISH_UI = re.compile(
    r"\b(Contents|Table of Contents|Chapter|Release|Index|Figure|Fig\.|Table"
    r"|continued from previous page|continues on next page|Continued on next page"
    r"|Page|page|Python Module Index|Search Page)\b"
)
# Code and papermill leftovers that mean a hidden cell did not vanish.
CODE_TRACES = re.compile(r"(\bimport \w|\bdisplay\(|injected|papermill|\bdef \w+\(|^\s*year\s*=)", re.M)

A4_PTS = (595.28, 841.89)


def _need(tool: str) -> None:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} not installed (poppler-utils)")


def _run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def pdf_text(built_pdf) -> str:
    _need("pdftotext")
    return _run("pdftotext", "-enc", "UTF-8", str(built_pdf.pdf), "-")


@pytest.fixture(scope="module")
def tex_source(built_pdf) -> str:
    texs = [p for p in built_pdf.latex_dir.glob("*.tex")]
    assert texs, f"no .tex in {built_pdf.latex_dir}"
    # the main document is the one with \begin{document}
    main = [p for p in texs if "\\begin{document}" in p.read_text(encoding="utf-8")]
    assert len(main) == 1, main
    return main[0].read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def xelatex_log(built_pdf) -> str:
    logs = [p for p in built_pdf.latex_dir.glob("*.log")
            if p.with_suffix(".tex").exists()]
    assert logs, f"no xelatex log in {built_pdf.latex_dir}"
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in logs)


def test_pdf_builds(built_pdf):
    assert built_pdf.pdf.is_file(), built_pdf.pdf
    assert built_pdf.pdf.stat().st_size > 10_000
    assert built_pdf.pdf.read_bytes()[:5] == b"%PDF-"


def test_all_fonts_embedded(built_pdf):
    _need("pdffonts")
    lines = _run("pdffonts", str(built_pdf.pdf)).splitlines()[2:]
    assert lines, "pdffonts lists no font"
    not_embedded = []
    for line in lines:
        # columns: name type encoding emb sub uni id gen; name and type may hold spaces,
        # so read the three yes/no flags from the right.
        cols = line.split()
        emb = cols[-5]
        if emb != "yes":
            not_embedded.append(line)
    assert not not_embedded, "fonts not embedded:\n" + "\n".join(not_embedded)


def test_no_missing_characters(xelatex_log):
    missing = [l for l in xelatex_log.splitlines() if l.startswith("Missing character")]
    assert not missing, "\n".join(missing[:20])


def test_no_unresolved_references(xelatex_log, pdf_text):
    assert "??" not in pdf_text
    assert not re.search(r"(Reference|Citation) `[^']*' on page \d+ undefined", xelatex_log)
    assert "There were undefined references" not in xelatex_log


@pytest.mark.parametrize("figure", HEADLINE_FIGURES)
def test_headline_figures_present(pdf_text, figure):
    # pdftotext may put a space between digits and '%' around CJK: normalise
    text = re.sub(r"(?<=\d)\s+(?=%)", "", pdf_text)
    assert figure in text


def test_no_english_interface_words(pdf_text):
    found = sorted(set(m.group(0) for m in ENGLISH_UI.finditer(pdf_text)))
    assert not found, f"English UI words in PDF: {found}"


def test_no_code_or_parameters(pdf_text):
    found = [m.group(0) for m in CODE_TRACES.finditer(pdf_text)]
    assert not found, f"code cell traces in PDF: {found}"


def test_title_page_and_toc(pdf_text):
    first = pdf_text.split("\f")[0]
    assert "后评估报告" in first
    assert re.search(r"\d{4}\s*年\s*\d{1,2}\s*月", first), "date (YYYY年M月) missing on title page"
    # sheet 2 is the cover's blank back (printed on both sides); the 目录 is the right-hand sheet 3
    assert re.search(r"目\s*录", pdf_text.split("\f")[2]), "目录 page missing"


def test_no_doubled_heading_numbers(pdf_text, tex_source):
    # LaTeX must not number the headings that already carry 一、 （一） 1.
    assert not re.search(r"第[一二三四五六七八九十]+章", pdf_text)
    assert not re.search(r"^\s*\d+(\.\d+)+\s+[一二三四五六七八九十]、", pdf_text, re.M)
    assert not re.search(r"\\chapter\{第", tex_source)


def test_page_size_a4(built_pdf):
    _need("pdfinfo")
    info = _run("pdfinfo", str(built_pdf.pdf))
    m = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert m, info
    w, h = float(m.group(1)), float(m.group(2))
    assert abs(w - A4_PTS[0]) < 1 and abs(h - A4_PTS[1]) < 1, (w, h)


def test_every_chart_is_a_vector_figure(built_pdf, tex_source):
    """Count the charts in the LaTeX source (robust, unlike counting captions in
    pdftotext output): every chart output becomes one \\sphinxincludegraphics of a
    .pdf file (myst-nb prefers application/pdf for LaTeX); raster fall-backs
    (.png) would mean the vector output was lost."""
    includes = []
    for m in re.finditer(
        r"\\sphinxincludegraphics(?:\[[^\]]*\])?\{(?:\{([^{}]*)\}(\.\w+)|([^{}]*))\}", tex_source
    ):
        includes.append(m.group(1) + m.group(2) if m.group(1) is not None else m.group(3))
    pdf_includes = [i for i in includes if i.endswith(".pdf")]
    raster = [i for i in includes if i.endswith((".png", ".jpg", ".jpeg"))]
    assert not raster, f"raster images in the PDF: {raster}"
    assert len(pdf_includes) == built_pdf.expected_charts, includes
    # every chart sits in a numbered figure with a caption ("图1 …")
    figures = re.findall(r"\\begin\{figure\}.*?\\end\{figure\}", tex_source, re.S)
    captioned = [f for f in figures if "\\caption{" in f and "\\sphinxincludegraphics" in f]
    assert len(captioned) == built_pdf.expected_charts
    for inc in pdf_includes:
        assert (built_pdf.latex_dir / inc).is_file(), inc


def test_cjk_fonts_are_simplified_chinese(built_pdf):
    """Fandol (GB 2312), the office's GB fonts and the SC faces of Noto CJK only: no JP/KR/TC
    glyph forms can slip in."""
    _need("pdffonts")
    names = [line.split()[0].split("+")[-1] for line in
             _run("pdffonts", str(built_pdf.pdf)).splitlines()[2:]]
    # the office's fonts (GB 2312/GBK faces) are used when installed (latex/README.md)
    office = ("FangSong", "SimHei", "KaiTi", "SimSun", "FZ")
    cjk = [n for n in names if "CJK" in n or n.startswith(("Fandol",) + office)]
    assert cjk, names
    wrong = [n for n in cjk if not (n.startswith(("Fandol",) + office) or "CJKsc" in n)]
    assert not wrong, wrong
