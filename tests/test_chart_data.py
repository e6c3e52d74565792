"""The frames and takeaways behind the charts (values from the source, section named)."""
import pytest

from beichen.render import chart_data
from beichen.model.edition import Edition


def test_completion_frame(edition_2024):
    frame, takeaway = chart_data.completion(edition_2024)
    # Source 一(二)表: 107.6, 90.5, 110, 155, 113.8.
    assert [round(x, 1) for x in frame["completion_pct"]] == [107.6, 90.5, 110.0, 155.0, 113.8]
    assert takeaway == "5项核心指标中，4项超额完成、1项接近目标。"


def test_progress_takeaway_names_the_laggard(edition_2024):
    frame, takeaway = chart_data.progress(edition_2024)
    assert len(frame) == 5 and list(frame["actual_year"]).count(2023) == 1
    # Hand calculation: (49.8 − 45) / (55 − 45) = 48.0% against (2023 − 2020) / 5 = 60.0%.
    assert "战略性新兴产业增加值占比慢于序时进度（目标进度48.0%，序时进度60.0%）" in takeaway


def test_before_after_pairs(edition_2024):
    frame, takeaway = chart_data.before_after(edition_2024)
    # Source 一(一)3–5: 442→715, 16→32, 8→15, 10→31, 19→33.
    pairs = list(zip(frame["value_before"], frame["value_after"]))
    assert pairs == [(442, 715), (16, 32), (8, 15), (10, 31), (19, 33)]
    assert "智能工厂/数字化车间增幅最大（增长210.0%）" in takeaway


def test_chains_frame_and_combined_share(edition_2024):
    frame, takeaway, combined = chart_data.chains(edition_2024)
    assert frame["over_100"].sum() == 5
    # Hand calculation: 1123.2 / 1389.9 = 80.81%.
    assert combined == pytest.approx(80.81, abs=0.01)
    assert "80.8%" in takeaway and "53.9%" in takeaway


def test_chain_growth_only_stated_rates(edition_2024):
    frame, takeaway = chart_data.chain_growth(edition_2024)
    # Source 二(一): growth stated for 现代轻工 3.6, 汽车 3.4, 生物医药 7.7, 信创 27.8.
    assert sorted(frame["yoy_growth_pct"]) == [3.4, 3.6, 7.7, 27.8]
    assert "信息技术应用创新产业链增速最高（增长27.8%）" in takeaway


def test_ladder_uses_the_source_counts(edition_2024):
    frame, _ = chart_data.ladder(edition_2024)
    # Source 三(三)1 and 一(二)表: 776 → 715; 421 → 184 → 19 → 15.
    assert list(frame["value"]) == [776, 715, 421, 184, 19, 15]
    assert list(frame["step"]) == [1, 2, 1, 2, 3, 4]


def test_snapshot_of_the_following_year(edition_2024, report_data):
    frame, takeaway = chart_data.snapshot(edition_2024)
    # Source 四(二)2: 产值同比下降0.3%, 增加值增速1%.
    assert list(frame["value"]) == [-0.3, 1.0]
    assert "同比下降0.3%" in takeaway
    # −0.3 < 0: output falling, so the pressure is said; with output rising (made up: +2.1%) it is not.
    assert takeaway.endswith("稳增长压力较大。")
    from dataclasses import replace as _replace
    rising = _replace(edition_2024.snapshot_metric("above_scale_industrial_output_jan_oct_growth"), value=2.1)
    original = edition_2024.snapshot_metric
    edition_2024.snapshot_metric = lambda figure: rising if figure.endswith("output_jan_oct_growth") else original(figure)
    _, takeaway = chart_data.snapshot(edition_2024)
    assert "稳增长压力" not in takeaway and "同比增长2.1%" in takeaway
    frame, takeaway = chart_data.snapshot(Edition(report_data, 2023))
    assert takeaway == "2024年1-10月快报数据未录入。"   # blank, not recorded as unpublished (issue 22)


def test_before_after_names_what_it_compares_from_report_yml(edition_2024):
    # report.yml before_after_title: “创新与数字化成果” (the source's 图 of 一(三)); all five grew (一(一)3–5).
    _, takeaway = chart_data.before_after(edition_2024)
    assert takeaway.startswith("与2020年相比，5项创新与数字化成果均有增长")
    import pandas as pd

    one = pd.DataFrame({"name": ["瞪羚企业"], "value_before": [40], "value_after": [52],
                        "year_after": [2026]})
    # a plan naming no title: “主要成果”; one figure is not “均”: hand 52 ÷ 40 − 1 = 30.0%
    text = chart_data.before_after_takeaway(one, 2025)
    assert text.startswith("与2025年相比，1项主要成果有增长") and "30.0%" in text


def test_no_ladder_or_snapshot_in_report_yml_gives_empty_frames(report_data):
    import dataclasses

    meta = dict(report_data.meta)
    meta["report"] = {k: v for k, v in report_data.meta["report"].items() if k not in ("ladder", "snapshot")}
    edition = Edition(dataclasses.replace(report_data, meta=meta), 2024)
    assert chart_data.snapshot(edition)[0].empty
