"""The public appendix: indicator definitions, sources in words, downloads with Chinese headers."""
import pandas as pd

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


def test_downloads_have_chinese_headers_and_the_editions_rows(edition_2024, tmp_path):
    written = appendix.write_downloads(edition_2024, tmp_path)
    assert [name for name, _ in written] == ["评价指标目录.csv", "评价指标数值.csv", "其他统计数字.csv", "产业链.csv"]
    values = pd.read_csv(tmp_path / "评价指标数值.csv", dtype=str, encoding="utf-8-sig")
    assert list(values.columns) == ["指标代码", "年份", "类型", "数值", "出处"]
    assert len(values) == len(edition_2024.data.indicator_values)
    assert {"基数", "目标值", "实际值", "所载计算值"} == set(values["类型"])
    metrics = pd.read_csv(tmp_path / "其他统计数字.csv", dtype=str, encoding="utf-8-sig")
    assert "1474.425" in set(metrics["数值"])  # numbers as stated (三(一)1: 配套区级资金1474.425万元)
    links = appendix.downloads_text()
    assert all(f"(../_static/data/{name})" in links for name, _ in written)
