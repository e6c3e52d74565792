"""Chinese rules of composition, measured on the built 2024 PDF (issue 24, items 3 and 4).

What the office that prints the report checks by eye, read from the text positions (pymupdf,
tests/_pdf_composition.py): table cells break only between words, a figure never ends a line
while its measure word starts the next, ranges of years and months take the 一字线 (GB/T
15834-2011 4.13.3.2), no paragraph ends on a line of one character, every glyph comes from the
document's fonts, and figures are written as the source writes them.
"""
from __future__ import annotations

import re

import pytest

pymupdf = pytest.importorskip("pymupdf")

from _pdf_composition import (breaks_inside_words, hyphen_ranges, multiline_cells, numbers_cut_from_units,
                              one_character_last_lines)
from _pdf_layout import measure

pytestmark = pytest.mark.pdf


@pytest.fixture(scope="module")
def pdf(built_pdf):
    return pymupdf.open(str(built_pdf.pdf))


@pytest.fixture(scope="module")
def pages(built_pdf):
    return measure(built_pdf.pdf)


@pytest.fixture(scope="module")
def cells(pdf):
    return [c for page in pdf for c in multiline_cells(page)]


@pytest.fixture(scope="module")
def text(pdf):
    return "".join(page.get_text() for page in pdf)


def test_the_tables_have_wrapped_cells_to_check(cells):
    # 表1-1 alone has a 突出成效 of several lines in each of its five rows: the reader of cells works
    assert len(cells) >= 10, cells


def test_no_table_cell_breaks_inside_a_word(cells):
    from beichen.render.print_text import words

    assert not breaks_inside_words(cells, words)


@pytest.mark.parametrize("broken", [
    # issue 24, as the 2024 PDF printed them before: "国家/级/市级/绿色工/厂数量", "国家级高新技/术企业数量",
    # "预计难/以达标", and "战略性新/兴产业增/加值占比" in 表1-1
    ("国家", "级"), ("绿色工", "厂"), ("高新技", "术"), ("预计难", "以"), ("战略性新", "兴"), ("产业增", "加值"),
])
def test_the_breaks_the_issue_found_are_gone(cells, broken):
    first, second = broken
    for lines in cells:
        for a, b in zip(lines, lines[1:]):
            assert not (a.endswith(first) and b.startswith(second)), lines


def test_rows_of_wrapped_cells_stand_apart(pdf):
    """A row's lines are 18 bp apart (小四); the next row starts further down, so a reader sees where
    a wrapped row ends (latex/beichen-report.sty: row struts 1.3 times the cell line)."""
    from _pdf_composition import cell_pieces

    gaps = set()
    for page in pdf:
        baselines = sorted({p.baseline for p in cell_pieces(page)})
        gaps |= {round(b - a, 1) for a, b in zip(baselines, baselines[1:]) if b - a < 30}
    assert 18.0 in gaps                                   # lines within a cell
    assert any(22.0 <= g <= 25.0 for g in gaps), gaps      # rows: 18 bp + 5.4 bp


def test_figures_stay_with_their_measure_words(pages):
    # before: "442|家", "19|家", "2020|年", "29|个", "5|条", "11|家", "2025|年" at line ends
    assert not numbers_cut_from_units(pages)


def test_no_paragraph_ends_on_a_line_of_one_character(pages):
    # before: "标。", "验”。", "群。"
    assert not one_character_last_lines(pages)


def test_ranges_take_the_one_em_dash(text):
    assert not hyphen_ranges(text)
    # source 一(一)3 “（2021-2025年）” and 四(二)2 “2025年1-10月份”, set per GB/T 15834
    assert "2021—2025" in text and "1—10" in text
    # a table's number keeps its hyphen (表1-1)
    assert re.search(r"表1-1", text)


def test_figures_as_the_source_writes_them(text):
    # source 三(二)1: “规划形成近千名高层次人才团队”
    assert "近千名" in text and "近1000名" not in text


def test_every_glyph_from_the_documents_fonts(pdf):
    """Text is set in the document's faces (Fandol here, the office's when installed); the minus of
    the appendix's formulas is no longer DejaVu Serif's. Chart text (Noto Sans CJK) is the charts'."""
    fonts = {f[3].split("+")[-1] for page in pdf for f in page.get_fonts()}
    assert not [f for f in fonts if "DejaVu" in f], fonts
    for page in pdf:
        for block in page.get_text("dict")["blocks"]:
            for line in block.get("lines", []):
                for span in line["spans"]:
                    if any(sign in span["text"] for sign in "−–－"):
                        assert "Fandol" in span["font"], span


def test_the_fonts_are_named_in_the_pdf_properties(pdf, built_pdf):
    keywords = pdf.metadata["keywords"]
    assert keywords.startswith("字体：正文 "), keywords
    # this machine has no office font: Fandol, and the log line says which one is missing
    assert "正文 FandolFang（未安装仿宋_GB2312）" in keywords or "正文 仿宋_GB2312" in keywords
