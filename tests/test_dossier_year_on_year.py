"""The 核查报告's 三、与上年版相比变化的数字 (lib/beichen/dossier/year_on_year.py): changes and revisions."""
from __future__ import annotations

from beichen.dossier import year_on_year
from _dossier_fixtures import final_year_dossier  # noqa: F401  (fixtures)


def test_changes_since_last_year(report_data):
    """The 2025 edition against 2024 in the real data (entered for 2024 only): nothing to compare for
    2024; for a copy with a 2025 row, that figure is listed with old, new and change."""
    assert year_on_year.changes(report_data, 2024) is None
    import dataclasses

    import pandas as pd
    values = report_data.indicator_values
    extra = pd.DataFrame([{"indicator_id": "hightech_firms", "year": 2025, "kind": "actual", "value": 768.0,
                           "source": "区科技局", "edition": 2025}], index=[len(values)])
    data = dataclasses.replace(report_data, indicator_values=pd.concat([values, extra]))
    table = year_on_year.changes(data, 2025).set_index("数字")
    row = table.loc["国家级高新技术企业数量（实际值）"]
    # 715家（2024，一(二)表） → 768家（2025）: +53家.
    assert (row["上年版"], row["本版"], row["变化"]) == ("715家（2024年）", "768家（2025年）", "+53家")
    assert len(table) == 1


def test_the_review_lists_each_revision_with_old_new_who_and_why(final_year_dossier):
    scenario, d = final_year_dossier
    assert d.revisions.to_dict("records") == [{
        "数字": "新材料产业链产值", "所属年份": "2024年", "原值（版本）": "425.1亿元（2024年版）",   # source 二(一)1
        "修订值": "426.5亿元", "修订人（来源）": scenario.REVISION_SOURCE, "修订原因": scenario.REVISION_REASON}]
    assert "表3-2 本版修订的往年数字" in d.changes_page()
    assert "本版修订的往年数字：1个" in d.index()


def test_a_new_figure_is_not_also_listed_as_unchanged(final_year_dossier):
    _, d = final_year_dossier
    new = d.changes[d.changes["变化"] == "新增"]["数字"].tolist()
    assert new == ["新材料产业链同比增长"]   # 2024 edition: no growth stated for 新材料 (二(一)1); 2025: −5.9
    same = year_on_year.changes(d.data, 2025, same_value=True)
    assert "新材料产业链同比增长" not in same["数字"].tolist()
    assert "数值与上年版相同" not in d.changes_page() or "新材料产业链同比增长" not in d.changes_page().split("数值与上年版相同")[1]
