"""The edition's view of the data: latest value up to the year, vintage, missing figures."""
import pytest

from beichen.model.edition import Edition


def test_actual_older_than_report_year_carries_its_year(edition_2024):
    # Source 一(二)表 prints 战略性新兴产业增加值占比 “49.8%（2023）” in the 2024 report.
    sei = edition_2024.indicator("sei_va_share")
    assert sei.actual.value == 49.8 and sei.actual.year == 2023
    assert sei.actual.stale
    assert sei.actual.text == "49.8%（2023年）"
    assert sei.actual.plain == "49.8%"


def test_current_value_has_no_year_marker(edition_2024):
    mfg = edition_2024.indicator("mfg_va_share_gdp")
    assert mfg.actual.text == "39.8%"
    assert not mfg.actual.stale
    # base and target print as stated in the source table: 36.6%, 37%.
    assert (mfg.base.plain, mfg.target.plain) == ("36.6%", "37%")


def test_indicator_view_derives_completion_status_progress(edition_2024):
    mfg = edition_2024.indicator("mfg_va_share_gdp")
    # Source 一(二)表: 107.6%; hand calculation of progress: (39.8 − 36.6) / (37 − 36.6) = 8.0.
    assert round(mfg.completion_pct, 1) == 107.6
    assert mfg.status == "超额完成"
    assert mfg.progress == pytest.approx(8.0)
    assert mfg.elapsed == pytest.approx(0.8)
    sei = edition_2024.indicator("sei_va_share")
    # Elapsed share is taken at the actual's year 2023: (2023 − 2020) / 5 = 0.6; progress 0.48.
    assert sei.elapsed == pytest.approx(0.6)
    assert sei.schedule == "慢于序时进度"
    assert sei.status == "接近目标"


def test_an_edition_sees_only_rows_entered_for_it_or_earlier(report_data):
    # Every row of the source was entered for the 2024 edition: a 2023 edition knows none of them.
    edition = Edition(report_data, 2023)
    mfg = edition.indicator("mfg_va_share_gdp")
    assert mfg.actual.missing and mfg.actual.text == "暂无数据"
    assert mfg.completion_pct is None and mfg.status == "暂无数据"
    assert "制造业增加值占GDP比重（实际值）" in edition.missing


def test_every_value_carries_its_provenance(edition_2024):
    # indicator_values.csv line 4 (header = line 1): mfg_va_share_gdp,2024,actual,39.8,一(二)表,2024.
    actual = edition_2024.indicator("mfg_va_share_gdp").actual
    assert actual.provenance.cite == "indicator_values.csv 第4行（一(二)表）"
    assert actual.provenance.edition == 2024 and actual.year == 2024


def test_metric_lookup_latest_exact_and_target(edition_2024):
    # Source 一(一)3: 首台(套) 32 in 2024, 16 in 2020.
    assert edition_2024.metric("first_sets").text == "32个"
    assert edition_2024.metric("first_sets", year=2020).plain == "16个"
    # The snapshot of the next year (四(二)2: 2025年1-10月 1152.5亿元) is asked for explicitly.
    assert edition_2024.metric("above_scale_industrial_output_jan_oct", year=2025).plain == "1152.5亿元"
    # Targets apply whatever their year (五2: 40).
    assert edition_2024.metric("smart_factories_target_5y", "target").value == 40
    with pytest.raises(KeyError):
        edition_2024.metric("no_such_metric")


def test_chains_of_latest_year_sorted_by_output(edition_2024):
    chains = edition_2024.chains()
    assert list(chains["name"][:2]) == ["新材料产业链", "现代轻工产业链"]
    assert edition_2024.chains_year() == 2024


def test_lookup_reaches_metrics_and_indicators(edition_2024):
    assert edition_2024.lookup("hightech_firms").text == "715家"
    assert edition_2024.lookup("above_scale_industrial_output").text == "1389.9亿元"
    with pytest.raises(KeyError):
        edition_2024.lookup("nothing_here")
