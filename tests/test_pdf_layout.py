"""The printed page held to the 公文 grid (GB/T 9704-2012), measured on the built PDF.

Every number comes from the standard (tests/_pdf_layout.py names the clauses): text block
156 x 225 mm from 37 mm below the top edge, 22 lines of 三号 (15.75 bp) at 29 bp, page numbers
四号 宋体 with their dashes 7 mm below the block, odd pages right / even pages left, one character
(14 bp) in from the block's edge. One PDF build (the session fixture built_pdf) serves all.
"""
from __future__ import annotations

import math

import pytest

pymupdf = pytest.importorskip("pymupdf")

from _pdf_layout import (BLOCK_BOTTOM, BLOCK_TOP, BLOCK_WIDTH, GRID_FIRST_BASELINE, LINES_PER_PAGE,
                         MM, PAGE_NUMBER_GAP, PAGE_NUMBER_SIZE, body_pages, chapter_start_pages,
                         chart_text_sizes, dash_centre, grid_offsets, measure, stranded_lines,
                         table_single_character_lines)

pytestmark = pytest.mark.pdf


@pytest.fixture(scope="module")
def layout(built_pdf):
    pages = measure(built_pdf.pdf)
    return pages, chapter_start_pages(built_pdf.pdf)


def test_every_line_within_the_block(layout):
    pages, _ = layout
    outside = [f"p{p.index + 1}: {l.text[:20]} at {l.baseline / MM:.1f} mm"
               for p in body_pages(pages) for l in p.lines
               if l.baseline > BLOCK_BOTTOM + 0.5 or l.top < BLOCK_TOP - 2]
    assert not outside, outside


def test_no_page_over_22_lines(layout):
    pages, _ = layout
    over = [(p.index + 1, len(p.body_baselines())) for p in pages if len(p.body_baselines()) > LINES_PER_PAGE]
    assert not over, over


def test_body_lines_on_the_grid(layout):
    """Every line of running text on one of the 22 grid lines of the page (±1 bp): facing
    pages line up when printed double-sided, whatever figures and tables stand between."""
    pages, _ = layout
    off = [(p.index + 1, round(o, 1)) for p in body_pages(pages) for o in grid_offsets(p, GRID_FIRST_BASELINE)
           if o > 1.0]
    assert not off, off


def test_full_pages_end_on_the_last_grid_line(layout):
    """A page of 22 lines ends on the 22nd baseline: 37 mm + 21 bp + 21 x 29 bp."""
    pages, _ = layout
    last_line = GRID_FIRST_BASELINE + (LINES_PER_PAGE - 1) * 29
    full = [p for p in body_pages(pages) if len(p.body_baselines()) == LINES_PER_PAGE]
    assert full, "no page of running text only"
    wrong = [(p.index + 1, p.body_baselines()[-1]) for p in full if abs(p.body_baselines()[-1] - last_line) > 1]
    assert not wrong, wrong


def test_no_page_under_40_percent_unless_a_chapter_ends(layout):
    pages, starts = layout
    body = body_pages(pages)
    thin = [(p.index + 1, f"{p.fill:.0%}") for i, p in enumerate(body[:-1])
            if p.fill < 0.4 and body[i + 1].index not in starts]
    assert not thin, thin


def test_toc_on_one_page(built_pdf, layout):
    pages, _ = layout
    first_numbered = min(p.index for p in body_pages(pages))
    assert first_numbered == 2, "title page, one page of 目录, then page 1"
    assert "目录" in "".join(l.text for l in pages[1].lines).replace(" ", "").replace("\u3000", "")


def test_no_widows_orphans_or_stranded_headings(layout):
    pages, starts = layout
    problems = stranded_lines(body_pages(pages), starts)
    assert not problems, problems


def test_no_table_line_holds_a_single_character(layout):
    pages, _ = layout
    found = [s for p in pages for s in table_single_character_lines(p)]
    assert not found, found


def test_page_numbers_gb9704(built_pdf, layout):
    """§7.5: 4号 (14 bp) 宋体 digits between 一字线, the dash 7 mm below the block's lower edge;
    odd pages right, even pages left, one character in from the edge of the block."""
    pages, _ = layout
    body = body_pages(pages)
    assert [p.number_value for p in body] == list(range(1, len(body) + 1))
    for p in body:
        n = p.number
        assert abs(n.size - PAGE_NUMBER_SIZE) < 0.1, (p.index + 1, n.size)
        assert all("Song" in f or "SimSun" in f or "宋" in f for f in n.fonts), (p.index + 1, n.fonts)
    inner, outer = 28 * MM, (210 - 28) * MM - BLOCK_WIDTH
    for p in body[:4]:
        n = p.number
        if p.number_value % 2:      # odd: right, block from 28 mm (binding) to 184 mm
            assert abs((inner + BLOCK_WIDTH - PAGE_NUMBER_SIZE) - n.x1) < 1 * MM, (p.number_value, n.x1 / MM)
        else:                       # even: left, block from 26 mm
            assert abs((outer + PAGE_NUMBER_SIZE) - n.x0) < 1 * MM, (p.number_value, n.x0 / MM)
        centre = dash_centre(built_pdf.pdf, p.index)
        assert abs(centre - (BLOCK_BOTTOM + PAGE_NUMBER_GAP)) < 0.5 * MM, (p.number_value, centre / MM)


def test_all_chart_text_at_one_size(layout):
    """五号 (10.5 bp) for every text of every chart at its printed size, to 0.1 bp (a chart's
    width is a whole number of pixels, so its scale on paper moves in steps of about 0.2%)."""
    pages, _ = layout
    sizes = chart_text_sizes(pages)
    assert sizes, "no chart text found"
    off = {k: v[:3] for k, v in sizes.items() if abs(k - 10.5) > 0.1 + 1e-9}
    assert not off, off


def test_charts_print_at_the_same_width(built_pdf):
    """Every chart is placed at the width of the text block (so one size in the chart is one
    size on paper): the LaTeX source includes each chart PDF at \\linewidth."""
    import re
    tex = (built_pdf.latex_dir / "book.tex").read_text(encoding="utf-8")
    includes = re.findall(r"\\sphinxincludegraphics\[([^\]]*)\]\{\{(fig[^}]*)\}\.pdf\}", tex)
    assert includes, "no chart figures in book.tex"
    assert {opts for opts, _ in includes} == {"width=1.000\\linewidth"}, includes


def test_no_stray_notebook_output(built_pdf):
    """The report has no code and no program messages: a verbatim block in the LaTeX source
    is a leaked stream output (as jieba's "Building prefix dict …" once was)."""
    tex = (built_pdf.latex_dir / "book.tex").read_text(encoding="utf-8")
    assert "sphinxVerbatim" not in tex
