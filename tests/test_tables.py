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
    assert frame["同比增长"].iloc[0] == "—"


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
    # 8 wide CJK columns must still fit: 442bp text width at 12bp type ≈ 73 half-em units + padding.
    frame = pd.DataFrame({f"列{i}": ["很长的中文单元格内容" * 2] for i in range(8)})
    widths = tables.latex_widths(frame)
    assert len(widths) == 8
    pad = 8 / 6
    assert sum(w - pad for w in widths) <= (442 - 8 * 8) / 6 + 8
