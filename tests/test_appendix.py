"""The public appendix: indicator definitions, sources in words, downloads with Chinese headers."""
import re

import pandas as pd
import pytest

from beichen.render import appendix


def test_definitions_of_every_indicator(edition_2024, report_data):
    table = appendix.definitions_table(edition_2024)
    assert len(table) == len(report_data.indicators) == 7
    assert set(table["方向"]) == {"越大越好"} and table["含义"].str.len().min() > 10
    assert list(table.columns) == ["维度", "指标", "单位", "方向", "含义"]


def test_sources_in_words(edition_2024):
    text = appendix.sources_text(edition_2024)
    # base and target from the plan; the in-year snapshot is 2025年1-10月 (source 四(二)2)
    assert "2020年基数和2025年目标值取自“十四五”规划" in text and "2025年1-10月数据为快报数" in text
    assert "csv" not in text and "原报告" not in text


# The figure queries a build would find in the chapters' reads (lib/beichen/model/reads.py keys): a sample.
READS = [
    ("metric", ["little_giant_firms"], {}),                     # 三(三)1: “小巨人”企业19家
    ("metric", ["little_giant_firms"], {}),                     # asked twice: one row
    ("lookup", ["first_sets", "actual"], {}),                   # 一(一)3: 首台（套）32个
    ("metric", ["first_sets"], {"year": 2020}),                 # 一(一)3: 较2020年的16个
    ("metric", ["chain_output", "stated_sum"], {}),             # 一(一)1: 在链企业完成工业产值1294.1亿元
    ("lookup", ["beijing_relocation_projects", "actual"], {}),  # 一(三)3: 超200个
    ("snapshot_metric", ["above_scale_industrial_output_jan_oct_growth"], {}),  # 四(二)2: 同比下降0.3%
    ("metric", ["smart_factories_target_5y", "target"], {}),    # 五2: 40家（目标）
    ("lookup", ["hightech_firms", "actual"], {}),               # an indicator: 评价指标.csv, not here
]


def _rows(path):
    import csv

    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


@pytest.fixture
def downloads(edition_2024, tmp_path):
    written = appendix.write_downloads(edition_2024, tmp_path, READS)
    return tmp_path, written


def test_downloads_are_the_readme_and_three_tables_in_utf8_with_bom(downloads):
    folder, written = downloads
    assert [name for name, _ in written] == ["说明.txt", "评价指标.csv", "产业链.csv", "其他统计数字.csv"]
    assert sorted(p.name for p in folder.iterdir()) == sorted(name for name, _ in written)
    for name, _ in written:
        raw = (folder / name).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw, name  # BOM: Excel reads UTF-8
        raw.decode("utf-8")


def test_downloads_speak_to_readers(downloads):
    """Chinese headers, no ids or codes, none of the analyst's words (issue 20 item 6)."""
    folder, written = downloads
    for name, _ in written[1:]:
        rows = _rows(folder / name)
        assert not any(re.search(r"[A-Za-z_]", header) for header in rows[0]), (name, rows[0])
        assert not any("代码" in header or "出处" in header for header in rows[0])
        text = (folder / name).read_text(encoding="utf-8-sig")
        for word in ("所载", "计算值", "正文", "原报告", "stated", "metrics", ".csv", "一(", "二("):
            assert word not in text, (name, word)
        ids = {"little_giant_firms", "first_sets", "new_materials", "mfg_va_share_gdp", "higher"}
        assert not any(i in text for i in ids)


def test_other_figures_are_those_the_report_shows_as_it_shows_them(downloads):
    folder, _ = downloads
    rows = _rows(folder / "其他统计数字.csv")
    assert rows[0] == ["名称", "类型", "年份", "数值", "单位", "写法（含单位、约数和年份）"]
    by_name = {(r[0], r[2]): r for r in rows[1:]}
    assert len(by_name) == len(rows) - 1  # one row per quantity and year
    # 三(三)1: 19家 is the report's figure; the source's other 20 (一(一)3) is not offered (departures.yml).
    assert by_name[("“小巨人”企业", "2024")][3:] == ["19", "家", "19家"]
    assert not any(r[0].startswith("“小巨人”企业（累计）") for r in rows)
    # 一(一)3: 32 in 2024 against 16 in 2020, the older one labelled with its year.
    assert by_name[("首台（套）重大技术装备（累计）", "2024")][3:] == ["32", "个", "32个"]
    assert by_name[("首台（套）重大技术装备（累计）", "2020")][3:] == ["16", "个", "16个（2020年）"]
    assert by_name[("在链企业完成工业产值", "2024")][3:] == ["1294.1", "亿元", "1294.1亿元"]
    assert by_name[("承接非首都功能疏解项目", "2024")][3:] == ["200", "个", "超200个"]
    # 四(二)2: −0.3% is a number (not neutralised); its written form is text and starts with “-”.
    assert by_name[("规上工业总产值同比增长（1-10月）", "2025")][3:] == ["-0.3", "%", "'-0.3%"]
    assert by_name[("智能工厂和数字化车间累计目标", "2030")][1] == "目标值"
    # Only what was asked: no restated shares or multiples of the audit (90 and 93.1, a multiple of 2),
    # no 2.3% (一(一)2, declined for 49.8%), no indicator (they are in 评价指标.csv).
    names = {r[0] for r in rows[1:]}
    assert len(names) == 6 and not any("占比" in n or "倍数" in n or "高新技术企业" in n for n in names)


def test_indicators_as_table_1_1_shows_them(downloads):
    folder, _ = downloads
    rows = _rows(folder / "评价指标.csv")
    assert rows[0] == ["维度", "指标名称", "单位", "方向", "2020年基数", "2025年目标值", "实际值", "实际值年份",
                       "完成度（%）", "实际值（含单位和年份）"]
    by_name = {r[1]: r for r in rows[1:]}
    assert len(by_name) == 7
    # 一(二)表: 49.8% of 2023 against 55% → 90.5%; 715 / 650 → 110.0%; 31 / 20 → 155.0%.
    assert by_name["战略性新兴产业增加值占比"][4:] == ["45", "55", "49.8", "2023", "90.5", "49.8%（2023年）"]
    assert by_name["国家级高新技术企业数量"][4:9] == ["442", "650", "715", "2024", "110"]
    assert by_name["智能工厂/数字化车间数量"][8] == "155"
    # 一(一)2: 1.1%, no base or target stated, so no completion.
    assert by_name["高技术产业（制造业）增加值占比"][4:9] == ["", "", "1.1", "2024", ""]


def test_chains_as_table_2_1_shows_them(downloads):
    folder, _ = downloads
    rows = _rows(folder / "产业链.csv")
    assert rows[0] == ["产业链", "类别", "年份", "企业数（家）", "产值（亿元）", "同比增长（%）", "占规上工业总产值比重（%）"]
    by_name = {r[0]: r for r in rows[1:]}
    assert len(by_name) == 9
    # 二(一)1: 新材料 115家, 425.1亿元, 425.1 / 1389.9 = 30.6%; 中医药 69.2 / 1389.9 = 4.98 → 5.0.
    assert by_name["新材料产业链"][1:] == ["超百亿", "2024", "115", "425.1", "", "30.6"]
    assert by_name["中医药产业链"][6] == "5"
    assert by_name["现代轻工产业链"][5] == "3.6"


def test_readme_says_what_each_file_holds(downloads, edition_2024):
    folder, written = downloads
    text = (folder / "说明.txt").read_text(encoding="utf-8-sig")
    for name, _ in written[1:]:
        assert f"{name}：" in text
    for words in ("2020年基数", "2025年目标值", "“49.8%（2023年）”", "2025年1-10月", "早于2024年", "撇号", "UTF-8"):
        assert words in text, words


@pytest.mark.parametrize("text", ["=1+1", "+8610", "-2", "@SUM(A1)", "\t=1", "\r=1", "＝1+1", "=HYPERLINK(\"x\")"])
def test_a_text_cell_is_never_a_formula(text):
    assert appendix.excel_safe(text) == "'" + text


def test_numbers_stay_numbers():
    assert [appendix._cell(v) for v in (-0.3, 1474.425, 2.0, None, "北辰")] == ["-0.3", "1474.425", "2", "", "北辰"]


def test_report_reads_are_the_editions_figure_queries(tmp_path):
    """The figures the chapters asked of the edition of the year (lib/beichen/model/reads.py keys)."""
    import json

    def key(year, query, args, kwargs=None):
        return {"key": json.dumps([year, query, args, kwargs or {}], ensure_ascii=False), "digest": "", "label": ""}

    (tmp_path / "01_targets.reads.json").write_text(json.dumps({"reads": [
        key(2024, "metric", ["first_sets"]), key(2024, "metric", ["first_sets"], {"year": 2020}),
        key(2023, "metric", ["first_sets"]),           # an earlier edition's answer: not this edition's figure
        key(2024, "indicators", []), key(2024, "metric_row", ["first_sets"]),   # not one figure printed
    ]}), encoding="utf-8")
    (tmp_path / "02_industry.reads.json").write_text(json.dumps({"reads": [key(2024, "metric", ["first_sets"])]}),
                                                    encoding="utf-8")
    (tmp_path / "01_targets.json").write_text("{}", encoding="utf-8")  # the chapter's notes: not reads
    assert appendix.report_reads(tmp_path, 2024) == [("metric", ["first_sets"], {}),
                                                     ("metric", ["first_sets"], {"year": 2020})]


def test_the_download_list_is_for_the_site_and_print_says_where_to_find_it():
    links = appendix.downloads_text()
    assert all(f"(../_static/data/{name})" in links for name in appendix.DOWNLOADS)
    assert links.index("说明.txt") < links.index(".csv")
    printed = appendix.downloads_print_text()
    assert "网页版" in printed and "_static" not in printed and "](" not in printed


def test_the_share_example_is_the_plans_own(edition_2024, report_data):
    import dataclasses

    from beichen.model.edition import Edition

    # 十四五: chains and a scale output (report.yml scale_output: 规模以上工业总产值, metrics.csv name)
    assert "**占比**：部分 ÷ 总量 × 100%，如产业链产值 ÷ 规模以上工业总产值。" in appendix.methods_text(edition_2024)
    # a plan without chains gives no chain example
    no_chains = Edition(dataclasses.replace(report_data, chains=report_data.chains.iloc[0:0]), 2024)
    assert "**占比**：部分 ÷ 总量 × 100%。" in appendix.methods_text(no_chains)


def test_no_snapshot_no_promise_of_flash_figures(report_data):
    import dataclasses

    from beichen.model.edition import Edition

    meta = dict(report_data.meta)
    meta["report"] = {**report_data.meta["report"], "snapshot": None}
    edition = Edition(dataclasses.replace(report_data, meta=meta), 2024)
    assert "快报数" not in appendix.sources_text(edition)
    # the plan's band (plan.yml near_target_pct 90), as in the 2024 appendix
    assert "不低于90%为“接近目标”" in appendix.methods_text(edition)
