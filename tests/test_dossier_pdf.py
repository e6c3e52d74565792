"""The printed 核查报告 to the report's standard (issue 24 item 7), measured on the built 2024
dossier PDF (tests/_dossier_pdf.py). Before the fix the 2024 dossier printed “** 不一致 **” 14
times (28 markers), nested “““小巨人”…”” 9 times, captioned three tables with file names, left
“（二）核查结果” at a page's foot and set 13 cells of narrow columns 6 to 12 lines tall."""
from __future__ import annotations

import re

import pymupdf
import pytest

import _dossier_pdf as measure


@pytest.fixture(scope="module")
def dossier_pdf(built_2024):
    return pymupdf.open(str(built_2024.check / "dossier-2024.pdf"))


@pytest.mark.pdf
def test_no_markdown_is_printed(dossier_pdf):
    assert measure.literal_markup(dossier_pdf) == []


@pytest.mark.pdf
def test_quotations_inside_quotations_take_single_marks(dossier_pdf):
    assert measure.misnested_quotes(dossier_pdf) == []
    text = re.sub(r"\s+", "", "".join(page.get_text() for page in dossier_pdf))   # xeCJK's glue reads as spaces
    assert "改写：“‘小巨人’企业累计20家”" in text   # resolutions.yml: the report's words, quoted


@pytest.mark.pdf
def test_captions_say_what_the_table_holds(dossier_pdf):
    assert measure.file_name_captions(dossier_pdf) == []


@pytest.mark.pdf
def test_no_heading_at_a_page_foot(dossier_pdf):
    assert measure.headings_at_foot(dossier_pdf) == []


@pytest.mark.pdf
def test_no_narrow_column_is_set_many_lines_tall(dossier_pdf):
    assert measure.tall_narrow_cells(dossier_pdf) == []


@pytest.mark.pdf
def test_the_cover_sets_the_title_in_two_lines(dossier_pdf):
    """The report's title, then 核查报告 on a line of its own (it broke after “·”); the PDF's
    properties keep the one-line title."""
    lines = [l[4] for l in measure._lines(dossier_pdf[0])]
    assert lines[:2] == ["北辰区工业经济“十四五”规划后评估报告", "核查报告"]
    assert "（）" not in lines   # an empty status mark
    assert dossier_pdf.metadata["title"] == "北辰区工业经济“十四五”规划后评估报告·核查报告"


@pytest.mark.pdf
def test_file_names_are_not_hyphenated(dossier_pdf):
    text = "".join(page.get_text() for page in dossier_pdf)
    assert "indica-" not in text and "_values.csv" in text


@pytest.mark.pdf
def test_no_page_but_the_last_is_mostly_empty(dossier_pdf):
    """Issue 24's rule for white space: no page but the last more than a third empty (a part of one
    line took a page of its own: 88% of the 2024 dossier's 三、 page was empty)."""
    assert measure.mostly_empty_pages(dossier_pdf) == []
