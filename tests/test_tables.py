"""Formatted tables: units, vintage, status, and MyST markup that fits the PDF."""
import pandas as pd
import pytest

from beichen.render import tables


def test_core_indicator_table_matches_source_table(edition_2024):
    frame = tables.core_indicator_table(edition_2024, edition_2024.indicators(core=True))
    # Source 一(二)表, completion column (our style prints one decimal: 110.0%, 155.0%).
    assert list(frame["完成度"]) == ["107.6%", "90.5%", "110.0%", "155.0%", "113.8%"]
    assert list(frame["2024年实际"]) == ["39.8%", "49.8%（2023年）", "715家", "31个", "33家"]
    assert list(frame["状态"]) == ["超额完成", "接近目标", "超额完成", "超额完成", "超额完成"]


def test_chains_table_shares_computed(edition_2024):
    frame = tables.chains_table(edition_2024)
    shares = dict(zip(frame["产业链"], frame["占规上工业总产值"]))
    # Source 二(一): 新材料 30.6%, 现代轻工 23.3%, 新能源 9.4%, 高端装备 9.1%, 汽车 8.4%, 绿色石化 5.4%, 中医药 5%.
    assert shares["新材料产业链"] == "30.6%"
    assert shares["现代轻工产业链"] == "23.3%"
    assert shares["新能源产业链"] == "9.4%"
    assert shares["中医药产业链"] == "5.0%"
    # Hand calculation: 7 / 1389.9 = 0.5%.
    assert shares["信息技术应用创新产业链"] == "0.5%"
    assert frame["同比增速"].iloc[0] == "—"


def test_markdown_table_escapes_and_sets_widths():
    frame = pd.DataFrame({"名称": ["a|b"], "数值": ["1"]})
    text = tables.markdown_table(frame, "表9-9 测试", align="lr")
    assert text.startswith("```{table} 表9-9 测试\n")
    assert ":widths:" in text and "a\\|b" in text and "|:--|--:|" in text
    assert ":class: longtable" not in text
    with pytest.raises(ValueError):
        tables.markdown_table(frame, "x", align="l")


def test_long_tables_break_across_pages():
    frame = pd.DataFrame({"a": range(20)})
    assert ":class: longtable" in tables.markdown_table(frame, "x")


def test_latex_widths_fit_the_text_block():
    # 8 wide CJK columns must still fit the 442 bp (156 mm) block: widths are in bp.
    frame = pd.DataFrame({f"列{i}": ["很长的中文单元格内容" * 2] for i in range(8)})
    widths = tables.latex_widths(frame)
    assert len(widths) == 8
    assert sum(widths) <= 442 + 8


def test_wrap_simulation_by_hand():
    # 小四 = 12 bp a CJK character: "汽车与新能源汽车产业链" is 11 characters = 132 bp.
    assert tables.wrap_cell("汽车与新能源汽车产业链", 132) == ["汽车与新能源汽车产业链"]
    # in 120 bp (10 characters) the line breaks between words (汽车|与|新能源|汽车|产业链), not
    # before "链" as xeCJK alone would: 8 characters, then 产业链
    assert tables.wrap_cell("汽车与新能源汽车产业链", 120) == ["汽车与新能源汽车", "产业链"]
    assert tables.cell_lines("汽车与新能源汽车产业链", 120) == 2
    # a bracketed unit stays whole: "（亿元）" is 48 bp, so 40 bp is too narrow for it
    assert tables.wrap_cell("产值（亿元）", 60) == ["产值", "（亿元）"]
    assert tables.wrap_cell("产值（亿元）", 40) is None
    assert tables.wrap_cell("2020年基数", 40) == ["2020年", "基数"]


def test_cells_of_the_issue_break_between_words():
    """Issue 24: "国家/级/市级/绿色工/厂数量", "国家级高新技/术企业数量", "预计难/以达标" in the PDF."""
    assert tables.wrap_cell("国家级/市级绿色工厂数量", 50) == ["国家级/", "市级", "绿色工厂", "数量"]
    assert tables.wrap_cell("国家级高新技术企业数量", 80) == ["国家级", "高新技术企业", "数量"]
    assert tables.wrap_cell("预计难以达标", 50) == ["预计", "难以达标"]
    # a word wider than the column does not fit: the column must be widened, not the word broken
    assert tables.wrap_cell("高新技术企业", 60) is None


def test_figure_columns_are_as_wide_as_their_figures(edition_2024):
    """表2-1: the four columns of figures get no spare width; the names take it. By hand (小四 12 bp,
    digits 6 bp, 4 bp padding each side): 企业数（家） breaks as 企业数 / （家）, 3 characters = 36 bp;
    产值（亿元） as 产值 / （亿元）, 48 bp; 同比增速 (a four-character header stays whole) 48 bp;
    占规上工业总产值 as 占规上工业 / 总产值, 60 bp; each + 8 bp of padding, + the 1 bp the search
    rounds up."""
    frame = tables.chains_table(edition_2024)
    widths = dict(zip(frame.columns, tables.latex_widths_uncached(frame)))
    assert widths["企业数（家）"] <= 36 + 8 + 1
    assert widths["产值（亿元）"] <= 48 + 8 + 1
    assert widths["同比增速"] <= 48 + 8 + 1
    assert widths["占规上工业总产值"] <= 60 + 8 + 1
    # the longest name, 汽车与新能源汽车产业链 (132 bp), stands on one line
    assert widths["产业链"] >= 132 + 8
    assert sum(widths.values()) <= 442 + 1


def test_chain_table_widths_from_content(edition_2024):
    """Table 2-1 (the nine chains): no cell line of one CJK character (the PDF had "链" alone
    under "汽车与新能源汽车产业"), headers broken between words, not as "产值（亿/元）"."""
    frame = tables.chains_table(edition_2024)
    widths = tables.latex_widths(frame)
    assert sum(widths) <= 442 + 1
    for col, w in zip(frame.columns, widths):
        inner = w - tables.PAD_BP
        for text in [col] + list(frame[col]):
            lines = tables.wrap_cell(str(text), inner)
            assert lines is not None, (col, text, w)
            assert not any(len(line) == 1 and "\u4e00" <= line <= "\u9fff" for line in lines), (col, lines)
        header = tables.wrap_cell(col, inner)
        # hand-checked word boundaries of these headers
        allowed = {"企业数（家）": [["企业数（家）"], ["企业数", "（家）"], ["企业", "数（家）"]],
                   "产值（亿元）": [["产值（亿元）"], ["产值", "（亿元）"]],
                   "同比增速": [["同比增速"], ["同比", "增速"]]}
        if col in allowed:
            assert header in allowed[col], (col, header)




def test_figures_are_right_aligned():
    # columns of figures line their digits up (right); words and mixed text stay left
    frame = pd.DataFrame({"名称": ["新材料产业链", "中医药产业链"], "企业数": ["115", "4"],
                          "占比": ["30.6%", "—"], "数量": ["442家", "19家"], "备注": ["约783家", "无"]})
    assert tables.auto_align(frame) == "lrrrl"
    assert "|:--|--:|--:|--:|:--|" in tables.markdown_table(frame, "表9-9 测试")


def test_a_table_taller_than_a_page_breaks_across_pages():
    # 5 rows of a long note in a narrow column: by hand, 8 columns leave the note ~70 bp,
    # i.e. 5 characters a line, so 60 characters take 12 lines a row: 5 × 12 × 18 bp > 510 bp.
    note = "连续三年位居全市第一，较“十三五”末提升3.2个百分点，实体经济根基持续夯实，研发投入强度达2.5%。"
    frame = pd.DataFrame({"指标类别": ["质量效益"] * 5, "关键指标": ["制造业增加值占GDP比重"] * 5,
                          "2020年基数": ["36.6%"] * 5, "2025年目标": ["37%"] * 5,
                          "2024年实际": ["39.8%"] * 5, "完成度": ["107.6%"] * 5, "状态": ["超额完成"] * 5,
                          "突出成效": [note] * 5})
    assert tables.printed_height(frame, tables.latex_widths(frame)) > tables.FLOAT_MAX_BP
    assert ":class: longtable" in tables.markdown_table(frame, "表9-9 测试")
    short = frame.iloc[:2, :3]
    assert ":class: longtable" not in tables.markdown_table(short, "表9-8 测试")


# --- 表0-1 and the projects' tables from report.yml (issue 23) ----------------------------------------

def _with_report(report_data, **changes):
    import dataclasses

    meta = dict(report_data.meta)
    meta["report"] = {**report_data.meta["report"], **changes}
    return dataclasses.replace(report_data, meta=meta)


def test_key_figures_rows_are_report_yml_key_figures(edition_2024):
    from beichen.model.derived import derived_figures

    frame = tables.key_figures_table(edition_2024, derived_figures(edition_2024))
    # 摘要 and 一(一)1: 1389.9亿元; 一(二)表: 39.8% against 37%; 一(一)1: 93.1%, 480家; 三(一)1: 5444个, 54个/万人
    assert list(frame["指标"]) == ["规模以上工业总产值", "制造业增加值占GDP比重", "在链企业产值占规上工业总产值比重",
                                 "超百亿元产业链产值占比", "国家级高新技术企业数量", "智能工厂/数字化车间数量",
                                 "国家级/市级绿色工厂数量", "5G基站"]
    assert list(frame["数值"])[:3] == ["1389.9亿元", "39.8%", "93.1%"]
    assert frame["对照"].iloc[2] == "480家在链企业"
    assert list(frame.iloc[-1]) == ["5G基站", "5444个", "每万人拥有量54个"]


def test_without_key_figures_the_scale_output_then_key_indicators(report_data):
    from beichen.model.derived import derived_figures
    from beichen.model.edition import Edition

    data = _with_report(report_data, key_figures=[], key_indicators=["green_factories"])
    edition = Edition(data, 2024)
    frame = tables.key_figures_table(edition, derived_figures(edition))
    # 一(二)表: 33家 against a target of 29家, 113.8%
    assert [list(r) for _, r in frame.iterrows()] == [["规模以上工业总产值", "1389.9亿元", "—"],
                                                      ["国家级/市级绿色工厂数量", "33家", "目标29家，完成度113.8%"]]


def test_a_chain_row_is_left_out_for_a_plan_without_chains(report_data):
    import dataclasses

    from beichen.model.derived import derived_figures
    from beichen.model.edition import Edition

    data = dataclasses.replace(report_data, chains=report_data.chains.iloc[0:0])
    edition = Edition(data, 2024)
    frame = tables.key_figures_table(edition, derived_figures(edition))
    assert "在链企业产值占规上工业总产值比重" not in list(frame["指标"]) and len(frame) == 6


def test_project_tables_are_numbered_among_the_projects_with_one(edition_2024):
    # 三(一) and 三(三): 表3-1 and 表3-2 (三(二) has no table).
    frame, caption = tables.project_results_table(edition_2024, 1)
    assert caption == "表3-1 “5G+工业互联网”建设工程主要成果"
    assert frame["数值"].iloc[2] == "5444个"   # 三(一)1: 5G基站5444个
    assert tables.project_results_table(edition_2024, 3)[1] == "表3-2 企业梯度培育工程主要成果"


def test_an_empty_cell_sets_on_one_line():
    # A plan whose report.yml has no indicator_definitions: the appendix's 含义 column is empty.
    assert tables.cell_fit("", 20) == (1, 0, 0)
    frame = pd.DataFrame({"指标": ["单位工业增加值能耗"], "含义": [""]})
    assert "附表1 评价指标说明" in tables.markdown_table(frame, "附表1 评价指标说明", None, "ll")
