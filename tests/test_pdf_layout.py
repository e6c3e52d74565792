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

from _pdf_layout import (BINDING, BLOCK_BOTTOM, BLOCK_TOP, BLOCK_WIDTH, BODY_SIZE, GRID_FIRST_BASELINE,
                         LINES_PER_PAGE, MM, PAGE_NUMBER_GAP, PAGE_NUMBER_SIZE, body_pages, chapter_start_pages,
                         chart_text_sizes, dash_centre, grid_offsets, headings, measure, stranded_lines,
                         table_single_character_lines, text_left, text_right)

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


def test_no_page_but_the_last_more_than_a_third_empty(layout):
    """Text runs on (issue 24): chapters follow one another as in a 公文 and a float goes where it is
    cited, so every page of the body but the last is at least two thirds full. (This replaces "no
    page under 40% unless a chapter ends": chapters no longer start a page, so a chapter's end is
    no excuse; 2/3 is the issue's own measure — "no page but the last more than a third empty".)"""
    pages, _ = layout
    body = body_pages(pages)
    thin = [(p.number_value, f"{1 - p.fill:.0%} empty") for p in body[:-1] if p.fill < 2 / 3]
    assert not thin, thin


def test_chapters_run_on(layout):
    """No 一、 chapter but the first of the body (评估摘要) begins a page: at least one starts below
    the top of a page (the 2024 report has six chapters on 27 pages; if each began a page, every
    chapter start would be a page top)."""
    pages, starts = layout
    body = body_pages(pages)
    chapter_lines = [(p.index, l.baseline) for p in body for l in p.body
                     if l.text[:2] in ("一、", "二、", "三、", "四、", "五、") and any("Hei" in f for f in l.fonts)]
    assert len(chapter_lines) == 5, chapter_lines
    below_top = [c for c in chapter_lines if c[1] > GRID_FIRST_BASELINE + 1]
    assert below_top, chapter_lines


def test_front_matter_for_two_sided_printing(built_pdf, layout):
    """Cover (sheet 1), its back blank (nothing printed, not even the 征求意见稿 mark), the 目录 on a
    right-hand page (3), its back blank, the body's page 1 on a right-hand page (5)."""
    pages, _ = layout
    doc = pymupdf.open(str(built_pdf.pdf))
    for blank in (1, 3):
        assert not doc[blank].get_text().strip() and not doc[blank].get_drawings(), f"sheet {blank + 1} not blank"
    toc = "".join(l.text for l in pages[2].lines).replace(" ", "").replace("\u3000", "")
    assert "目录" in toc
    first = body_pages(pages)[0]
    assert (first.index + 1, first.number_value) == (5, 1)


def test_binding_margin_follows_the_page_side(layout):
    """Printed on both sides, the 28 mm binding margin (GB/T 9704 §5.2.2 订口) is on the inside: the
    text starts 28 mm from the left edge of a right-hand (odd) sheet (the 目录 too) and ends 28 mm
    from the right edge of a left-hand (even) one, 210 − 28 = 182 mm (±0.5 mm)."""
    pages, _ = layout
    odd_checked = even_checked = 0
    for p in [pages[2]] + body_pages(pages):
        if (p.index + 1) % 2 == 1:
            left = text_left(p)
            if left is not None:
                assert abs(left - BINDING) < 0.5 * MM, (p.index + 1, round(left / MM, 1))
                odd_checked += 1
        else:
            right = text_right(p)
            if right is not None:
                assert abs(right - (210 * MM - BINDING)) < 0.5 * MM, (p.index + 1, round(right / MM, 1))
                even_checked += 1
    assert odd_checked > 5 and even_checked > 5, (odd_checked, even_checked)


def test_lead_in_on_the_page_of_its_table(layout):
    """"补充分析：建议目标与现状" (chapters/05_recommendations.ipynb) introduces 表5-1: the caption follows
    it on the same page, directly under it (within two lines)."""
    pages, _ = layout
    lead = [(p.index, l) for p in pages for l in p.lines if l.text.startswith("补充分析：建议目标与现状")]
    caption = [(p.index, l) for p in pages for l in p.lines if l.text.startswith("表5-1")]
    assert len(lead) == 1 and len(caption) == 1, (lead, caption)
    assert lead[0][0] == caption[0][0], f"lead-in on sheet {lead[0][0] + 1}, table on {caption[0][0] + 1}"
    assert 0 < caption[0][1].baseline - lead[0][1].baseline < 2 * 29


def test_one_style_per_heading_level(built_pdf, layout):
    """GB/T 9704 §7.3.3: 一、 黑体, （一） 楷体, 1． 仿宋 bold — every heading of a level in the same face,
    size (三号) and weight, at the paragraph indent of two characters (a number hung in front of it,
    as an ordered list's label was in 核心亮点, or a regular "1." before a bold title, fails)."""
    pages, _ = layout
    found = headings(built_pdf.pdf, pages)
    levels = {h["level"] for h in found}
    assert levels == {1, 2, 3}, levels
    expected = {1: ("Hei", False), 2: ("Kai", False), 3: ("Fang", True)}
    wrong = [h for h in found if expected[h["level"]][0] not in h["font"] or h["bold"] != expected[h["level"]][1]
             or abs(h["size"] - BODY_SIZE) > 0.3 or abs(h["indent"] - 2) > 0.1]
    assert not wrong, wrong


def test_heading_numbers_do_not_fuse_with_figures(built_pdf):
    """"2.2025年目标实现情况外推" reads as the number 2.2025: after a heading's Arabic number the point is
    the full-width "．" (GB/T 9704 §7.3.3 "1．"), in the text and in the PDF's bookmarks."""
    import re
    doc = pymupdf.open(str(built_pdf.pdf))
    titles = [title for _level, title, _page in doc.get_toc()]
    numbered = [t for t in titles if re.match(r"\d", t)]
    assert numbered, titles
    assert all(re.match(r"\d{1,2}．", t) for t in numbered), numbered
    text = "".join(page.get_text() for page in doc)
    assert "2．2025年" in text and "2.2025" not in text


def test_chapter_five_sections_print_run_in_as_the_source_sets_them(built_pdf):
    """五's recommendations are sections on the site (its 本页目录, issue 25); on paper they open their
    paragraphs, as the source prints 五1–4 ("1．标题。一是…"), in no 目录 or bookmark of their own."""
    import re
    doc = pymupdf.open(str(built_pdf.pdf))
    assert not [t for _l, t, _p in doc.get_toc() if "京津冀协同" in t or "优化产业生态" in t]
    text = re.sub(r"\s+", "", "".join(page.get_text() for page in doc))
    for n, words in enumerate(["强化京津冀协同，加快引育新动能", "实施创新驱动，推动数字化转型",
                               "完善产业链机制，打造优势产业集群", "优化产业生态，提高发展质量和效益"], start=1):
        assert f"{n}．{words}。一是" in text, words


def test_screen_only_sections_not_in_print(built_pdf):
    """附录（四）数据下载 is a list of links: not in the PDF nor its 目录 and bookmarks; the printed
    appendix says the files come with the web version instead (test_build checks that sentence)."""
    doc = pymupdf.open(str(built_pdf.pdf))
    assert not [t for _l, t, _p in doc.get_toc() if "数据下载" in t]
    toc_page = doc[2].get_text().replace(" ", "")
    assert "指标说明" in toc_page and "数据下载" not in toc_page


def test_summary_table_numbered_as_the_report_numbers(built_pdf):
    """No table of a chapter 0: the 摘要's table is 摘要表1 (like the appendix's 附表1)."""
    text = "".join(page.get_text() for page in pymupdf.open(str(built_pdf.pdf)))
    assert "表0-1" not in text and "摘要表1" in text


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
