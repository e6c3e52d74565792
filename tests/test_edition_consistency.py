"""One fact, one home: the figure a chart shows equals the table's and the sentence's, in the 2024
import sys
sys.path.insert(0, str(__import__("pathlib").Path(__file__).parent))
edition and in a 2025 edition built from the made-up fixture (tests/fixtures/2025)."""
from dataclasses import replace
from pathlib import Path

import pytest

from beichen.audit import checks as audit
from beichen.inputs.intake import import_entry
from beichen.inputs.loading import load_all
from beichen.model import projection
from beichen.model.derived import derived_figures
from beichen.model.edition import Edition, IndicatorView, Value
from beichen.render import chart_data, charts, sentences, tables

FIXTURE = Path(__file__).parent / "fixtures" / "2025" / "entry-2025.csv"


@pytest.fixture(scope="module")
def data_2025(tmp_path_factory):
    import shutil

    from beichen.paths import DATA_DIR
    folder = tmp_path_factory.mktemp("d") / "data"
    shutil.copytree(DATA_DIR, folder)
    import_entry(2025, FIXTURE, folder, backup_dir=folder.parent / "backup", log=lambda *_: None)
    return load_all(folder)


@pytest.fixture(scope="module", params=["2024", "2025"])
def edition(request, report_data, data_2025):
    return Edition(report_data, 2024) if request.param == "2024" else Edition(data_2025, 2025)


def test_schedule_verdict_chart_equals_table_equals_sentence(edition):
    core = edition.indicators(core=True)
    frame, _ = chart_data.progress(edition)
    chart = dict(zip(frame["name"], frame["schedule"]))
    table = dict(zip(*tables.progress_table(edition, core)[["指标", "判断"]].T.values))
    for ind in core:
        if ind.progress is not None:
            assert chart[ind.name] == table[ind.name] == ind.schedule, ind.name
    counts = sentences.schedule_counts(core)
    for word in edition.plan.schedule_order():
        n = sum(ind.schedule == word for ind in core)
        assert (f"{n}项{word}" in counts) == (n > 0)


def test_status_and_its_colour_chart_equals_table(edition):
    core = edition.indicators(core=True)
    frame, _ = chart_data.completion(edition)
    table = tables.core_indicator_table(edition, core)
    palette = charts.status_palette(edition.plan)
    assert list(frame["status"]) == list(table["状态"]) == [i.status for i in core]
    assert list(frame["color"]) == [palette[i.status] for i in core]


def test_average_annual_increase_has_one_value(edition):
    """derived text, projection and audit all show the view's (actual − base) ÷ years-to-the-actual."""
    hightech = edition.indicator("hightech_firms")
    expected = (hightech.actual.value - hightech.base.value) / (hightech.actual.year - edition.plan.base_year)
    assert hightech.avg_annual_change == pytest.approx(expected)
    assert derived_figures(edition)["hightech_avg_increase"].value == pytest.approx(expected)
    assert projection.project_indicator(hightech).annual_change == pytest.approx(expected)


def test_hand_worked_values_of_both_editions(report_data, data_2025):
    # 2024 (source 一(二)表): (715 − 442) / 4 = 68.25 → “约68家”.
    assert derived_figures(Edition(report_data, 2024))["hightech_avg_increase"].text == "约68家"
    # 2025 fixture: 768 in 2025 → (768 − 442) / 5 = 65.2 → “约65家”.
    assert derived_figures(Edition(data_2025, 2025))["hightech_avg_increase"].text == "约65家"


def test_a_2024_figure_in_the_2025_edition_keeps_its_years(data_2025):
    """Without a 2025 figure the 2025 edition shows the 2024 one with its year, and its yearly change
    still divides by 4 years (not 5): the issue's “约55家（2024年）” was wrong."""
    rows = data_2025.indicator_values
    keep = ~((rows["indicator_id"] == "hightech_firms") & (rows["year"] == 2025))
    edition = Edition(replace(data_2025, indicator_values=rows[keep]), 2025)
    figure = derived_figures(edition)["hightech_avg_increase"]
    assert figure.value == pytest.approx(68.25) and figure.text == "约68家（2024年）"


def test_the_audit_of_the_2024_source_reads_the_2024_data(data_2025):
    """In the 2025 edition the source's claims (“战略性新兴产业…达标”, 90.5% completion) are checked
    against the 2024 edition's data (49.8 ÷ 55 = 90.55), not a 2024 value entered later (51.2)."""
    checks = {c.check_id: c for c in audit.run_audit(Edition(data_2025, 2025))}
    assert checks["sei_va_share-claim"].formula.startswith("49.8 ÷ 55 × 100 = 90.55")
    assert checks["completion-sei_va_share-2023"].formula.startswith("49.8 ÷ 55 × 100 = 90.55")
    assert checks["completion-sei_va_share-2023"].verdict == audit.OK


def test_every_status_word_the_rules_can_give_has_a_colour_final_year_included(report_data):
    plan = report_data.plan
    palette = charts.status_palette(plan)
    unit = "%"
    # (completion, the actual's year, the edition, word): before the target year the national-practice
    # words; in the target year's edition (the final evaluation) a target is met or not — an older actual
    # at 100% is 完成 there, not 提前完成, and below 100% is 未完成 (data/meta/plan.yml missed_word).
    for completion, year, edition, word in [(110, 2024, 2024, "超额完成"), (100, 2024, 2024, "提前完成"),
                                            (95, 2024, 2024, "接近目标"), (50, 2023, 2024, "滞后"),
                                            (100, 2025, 2025, "完成"), (100, 2024, 2025, "完成"),
                                            (95, 2025, 2025, "未完成"), (50, 2024, 2025, "未完成")]:
        view = IndicatorView("x", "测试指标", "质量效益", unit, "higher", True, 1,
                             Value(0.0, edition, unit, edition), Value(100.0, edition, unit, edition),
                             Value(float(completion), year, unit, edition), plan)
        assert view.status == word
        assert word in palette


def test_the_equation_checker_catches_a_false_equation():
    from _equations import equations, false_equations

    # The example: 51.6 ÷ 55 × 100 is 93.82, not 90.55.
    assert false_equations("核查：51.6 ÷ 55 × 100 = 90.55。") == ["51.6 ÷ 55 × 100 = 90.55 (is 93.8182)"]
    assert false_equations("49.8 ÷ 55 × 100 = 90.55；(715 − 442) ÷ 4 = 68.25；|20 − 19| = 1") == []
    assert len(equations("425.1 + 324.4 + 130.6 = 880.1")) == 1
