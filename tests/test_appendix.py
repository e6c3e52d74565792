"""The appendix: download links for every data file, codes shown in words."""
from beichen.render import appendix


def test_sources_link_every_data_file(edition_2024):
    text = appendix.sources_text(edition_2024)
    for name in ["indicators.csv", "indicator_values.csv", "metrics.csv", "chains.csv"]:
        assert f"(../_static/data/{name})" in text


def test_data_tables_whole_and_in_words(edition_2024, report_data):
    tables = dict(appendix.data_tables(edition_2024))
    catalogue = tables["附表1 评价指标目录（indicators.csv）"]
    assert len(catalogue) == len(report_data.indicators)
    assert set(catalogue["方向"]) == {"越大越好"}
    values = tables["附表2 评价指标数值（indicator_values.csv）"]
    assert len(values) == len(report_data.indicator_values)
    assert {"基数", "目标", "实际值"} <= set(values["类型"])
    # numbers as stated: 1474.425 keeps its three decimals (三(一)1)
    metrics = tables["附表4 其他统计数字（metrics.csv）"]
    assert "1474.425" in set(metrics["数值"])
    assert not any(k.startswith("stated_") for k in metrics["类型"])
