"""The plan is data: a made-up second plan (“十五五”, 2026–2030, base 2025; tests/fixtures/plan-15) with its
own dimensions, four indicators, two chains and one key project gives its 2026 edition's figures with the
same library, no code change. Expected values are hand-worked here and in the fixture's README; the
whole 2026 edition is built by tests/test_second_plan_build.py."""
from pathlib import Path

import pytest

from beichen.inputs.loading import load_all
from beichen.model import derived, projection
from beichen.model.edition import Edition
from beichen.render import tables

FIXTURE = Path(__file__).parent / "fixtures" / "plan-15"


@pytest.fixture(scope="module")
def data():
    return load_all(FIXTURE)


@pytest.fixture(scope="module")
def edition_2026(data):
    return Edition(data, 2026)


def indicators(edition):
    return {i.indicator_id: i for i in edition.indicators(core=True)}


def test_the_plan_is_its_own(data):
    assert (data.plan.name, data.plan.base_year, data.plan.target_year) == ("十五五", 2025, 2030)
    assert data.plan.dimensions == ("创新驱动", "数智转型", "绿色低碳")       # not the 十四五 five
    assert set(data.indicators["dimension"]) == set(data.plan.dimensions)  # every dimension has indicators
    assert sorted(data.chains["name"].unique()) == ["人工智能产业链", "集成电路产业链"]


def test_completion_and_status_hand_worked(edition_2026):
    inds = indicators(edition_2026)
    # Completion (fixture README): 52 / 80 = 65.0%; 2.3 / 2.5 = 92.0% (≥ 90: 接近目标); 20.9 / 25 = 83.6%;
    # lower is better: 0.40 / 0.49 = 81.63…% → 81.6%.
    # below 90 and not behind the elapsed 20%: 稳步推进 (plan.yml status_words.on_track); 能耗 10.0% vs 20%: 滞后
    expected = {"gazelle_firms": (65.0, "稳步推进"), "rd_spending_share": (92.0, "接近目标"),
                "digital_core_va_share": (83.6, "稳步推进"), "energy_per_va": (81.6, "滞后")}
    assert {k: (round(i.completion_pct, 1), i.status) for k, i in inds.items()} == expected


def test_progress_against_the_elapsed_share_hand_worked(edition_2026):
    inds = indicators(edition_2026)
    # 序时进度 of 2026 in 2026–2030: (2026 − 2025) / (2030 − 2025) = 1/5 = 20%.
    assert [i.elapsed for i in inds.values()] == [pytest.approx(0.2)] * 4
    # Progress: (52 − 40) / (80 − 40) = 30% (+10 points: 快于); (2.3 − 2.0) / 0.5 = 60% (+40: 快于);
    # (20.9 − 20.0) / 5 = 18% (−2.0 points: on the band's edge, 符合); (0.49 − 0.50) / (0.40 − 0.50) = 10%
    # (−10: 慢于).
    progress = {k: round(i.progress * 100, 1) for k, i in inds.items()}
    assert progress == {"gazelle_firms": 30.0, "rd_spending_share": 60.0, "digital_core_va_share": 18.0,
                        "energy_per_va": 10.0}
    schedule = {k: i.schedule for k, i in inds.items()}
    assert schedule == {"gazelle_firms": "快于序时进度", "rd_spending_share": "快于序时进度",
                        "digital_core_va_share": "符合序时进度", "energy_per_va": "慢于序时进度"}


def test_the_band_edge_is_a_floating_point_trap(edition_2026):
    """The fixture's −2.0 case is one where the float difference falls outside the band: 20.9 − 20.0 is
    0.8999999999999986 in binary, so progress − elapsed is −2.0000000000000293 points; only a decimal
    comparison (lib/beichen/inputs/plan.py schedule_verdict) reads it 符合序时进度."""
    digital = indicators(edition_2026)["digital_core_va_share"]
    assert (digital.progress - digital.elapsed) * 100 < -2.0
    assert digital.schedule == "符合序时进度"


def test_projection_to_the_target_year_hand_worked(edition_2026):
    inds = indicators(edition_2026)
    # One year of change since 2025, four years to go: 52 + 12 × 4 = 100 (≥ 80); 2.3 + 0.3 × 4 = 3.5;
    # 20.9 + 0.9 × 4 = 24.5 (< 25); 0.49 − 0.01 × 4 = 0.45 (> 0.40, lower is better: missed).
    got = {k: projection.project_indicator(i) for k, i in inds.items()}
    assert got["gazelle_firms"].projected == pytest.approx(100) and got["gazelle_firms"].meets
    assert got["rd_spending_share"].projected == pytest.approx(3.5) and got["rd_spending_share"].meets
    assert got["digital_core_va_share"].projected == pytest.approx(24.5) and not got["digital_core_va_share"].meets
    assert got["energy_per_va"].projected == pytest.approx(0.45) and not got["energy_per_va"].meets


def test_chains_and_the_project_hand_worked(edition_2026):
    figures = derived.derived_figures(edition_2026)
    # Two chains in 2026: 40 + 60 = 100家, 150.0 + 90.0 = 240.0亿元 of 规上工业总产值 1250.0亿元:
    # 240.0 / 1250.0 = 19.2%; each: 150.0 / 1250.0 = 12.0%, 90.0 / 1250.0 = 7.2%.
    assert figures["chains_count"].text == "2条"
    assert figures["in_chain_firms_sum"].text == "100家"
    assert figures["in_chain_output_sum"].text == "240.0亿元"
    assert figures["in_chain_share"].text == "19.2%"
    shares = {row["chain_id"]: edition_2026.chain_share(row).text for _, row in edition_2026.chains().iterrows()}
    assert shares == {"integrated_circuits": "12.0%", "artificial_intelligence": "7.2%"}
    # The plan's derived figures (meta/report.yml derived): (52 − 40) / 40 = 30.0%; 600 − 320 = 280家.
    assert figures["gazelle_growth"].text == "30.0%"
    assert figures["cloud_firms_to_go"].text == "280家"
    # The key project's figures, as entered.
    assert [edition_2026.metric(m).text for m in ("cloud_firms", "iiot_platforms", "iiot_investment")] == \
        ["320家", "6个", "18.6亿元"]
    assert edition_2026.metric("cloud_firms_target", "target").text == "600家"


def test_the_core_table_is_dated_by_the_plan(edition_2026):
    table = tables.core_indicator_table(edition_2026, list(indicators(edition_2026).values()))
    assert list(table.columns)[2:5] == ["2025年基数", "2030年目标", "2026年实际"]

