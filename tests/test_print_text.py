"""Chinese rules of composition for the PDF (lib/beichen/render/print_text.py, lib/beichen/pdf/composition.py).

Expected words are hand-checked against how a reader breaks the report's own headers and names
(issue 24: "国家/级/市级/绿色工/厂数量", "国家级高新技/术企业数量", "预计难/以达标" were wrong), and
the composition rules against GB/T 15834-2011 (4.13.3.2: 一字线 for the start and end of a time)
and 公文 practice (a number with its measure word, no one-character last line).
"""
import pytest

from beichen import formatting as fmt
from beichen.render import print_text as pt

J, JM, BR = pt.JOIN, pt.JOIN_MIXED, pt.BREAK


@pytest.mark.parametrize("text, expected", [
    # the three headers of issue 24, broken where a reader would break them
    ("国家级/市级绿色工厂数量", ("国家级/", "市级", "绿色工厂", "数量")),
    ("国家级高新技术企业数量", ("国家级", "高新技术企业", "数量")),
    ("预计难以达标", ("预计", "难以达标")),
    # a figure with its unit or measure word, a year with 年, a bracketed unit whole
    ("2020年基数", ("2020年", "基数")),
    ("产值（亿元）", ("产值", "（亿元）")),
    ("49.8%（2023年）", ("49.8%", "（2023年）")),
    ("已超出目标0.8个百分点", ("已", "超出", "目标", "0.8个百分点")),
    # the genre's terms that jieba's dictionary splits ("专精|特新", "小|巨人", "十三|五", "占|比")
    ("专精特新“小巨人”企业", ("专精特新", "“小巨人”", "企业")),
    ("较“十三五”末提升", ("较", "“十三五”", "末", "提升")),
    ("战略性新兴产业增加值占比", ("战略性", "新兴产业", "增加值", "占比")),
    ("5G+工业互联网", ("5G+", "工业互联网")),
    # an approximate figure keeps its qualifier (表1-3 printed "约 / 783家")
    ("约783家", ("约783家",)),
])
def test_words_are_where_a_reader_breaks(text, expected):
    assert pt.words(text) == expected
    assert "".join(expected) == text


def test_a_table_cell_breaks_only_between_words():
    marked = pt.table_cell("国家级高新技术企业数量")
    # joins inside 国家级, 高新技术企业 and 数量; none between the words
    assert marked == f"国{J}家{J}级高{J}新{J}技{J}术{J}企{J}业数{J}量"
    assert pt.strip_marks(marked) == "国家级高新技术企业数量"
    # after "/" xeCJK makes no break of its own: the cell gets one between the words
    assert pt.table_cell("智能工厂/数字化车间") == f"智{J}能{J}工{J}厂/{BR}数{J}字{J}化{J}车{J}间"
    # a figure and its unit: the mixed join (keeps xeCJK's space between the two)
    assert pt.table_cell("715家") == f"715{JM}家"


def test_running_text_keeps_numbers_with_their_units_and_sets_ranges():
    text = pt.running_text("共有4家企业，自2020年起，第5条，规划期（2021-2025），2025年1-10月，见表1-1")
    assert text == (f"共有4{JM}家企业，自2020{JM}年起，第{JM}5{JM}条，规划期（2021—2025），"
                    f"2025{JM}年1—10{JM}月，见表1-1")


def test_a_formulas_minus_is_the_full_width_sign_of_the_chinese_face():
    # the appendix: “如实际值 − 目标值”, “(本期值 ÷ 基期值 − 1)”
    assert pt.print_minus("如实际值 − 目标值。") == "如实际值－目标值。"
    assert pt.print_minus("(本期值 ÷ 基期值 − 1)") == "(本期值 ÷ 基期值－1)"
    assert pt.print_minus("−2.0个百分点") == "−2.0个百分点"   # a negative number is left to the style


@pytest.mark.parametrize("text, printed", [
    ("2021-2025年", "2021—2025年"),
    ("（2021-2025）", "（2021—2025）"),
    ("2021-2025累计", "2021—2025累计"),
    ("1-10月", "1—10月"),
    ("表1-1", "表1-1"),            # a table's number keeps its hyphen (GB/T 15834 4.13.3.1)
    ("图2-1", "图2-1"),
    ("2024-12-01", "2024-12-01"),  # a date is no range
])
def test_ranges_of_years_and_months_take_the_one_em_dash(text, printed):
    assert pt.print_range(text) == printed


def test_the_last_two_characters_of_a_paragraph_stay_together():
    assert pt.tie_last("形成“培育-壮大-强链”的良性循环，实体经济持续提升。") == \
        f"形成“培育-壮大-强链”的良性循环，实体经济持续提{J}升。"
    assert pt.tie_last("产业集群。”") == f"产业集{J}群。”"
    assert pt.tie_last("达到90.5%。") == "达到90.5%。"   # the last line is "90.5%。" at least


def test_round_counts_in_characters_as_the_source_writes_them():
    # source 三(二)1: “规划形成近千名高层次人才团队” (metrics.csv: 1000, qualifier 近)
    assert fmt.chinese_round(1000, bare_one=True) == "千"
    assert fmt.chinese_round(1000) == "一千"
    assert fmt.chinese_round(200) == "两百"
    assert fmt.chinese_round(30000) == "三万"
    with pytest.raises(ValueError):
        fmt.chinese_round(1313)


def test_the_2024_passage_prints_jin_qian_ming(edition_2024):
    from beichen.paths import NARRATIVE_DIR
    from beichen.render.narrative import Narrative

    text = Narrative(edition_2024, "03_projects", NARRATIVE_DIR).render("collab_results")
    assert "规划形成近千名高层次人才团队" in text and "近1000名" not in text


def test_marks_are_set_in_the_latex_source_only():
    """The post-transform runs for the LaTeX builder only: the site's pages keep their text."""
    from beichen.pdf.composition import PrintComposition

    assert PrintComposition.builders == ("latex",)
