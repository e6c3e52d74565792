"""Progress against the plan period and the linear projection to 2025.

Expected values are hand-worked from the source's table 一(二) (base 2020, target 2025, actual);
each test says how. The projection is a linear extrapolation, not a forecast.
"""
import pytest

from beichen.model import projection as pj
from beichen.render import sentences
from beichen.model.edition import IndicatorView, Value


# --- the arithmetic, hand-worked ---------------------------------------------------------------

def test_annual_change_is_the_views_hand_worked(edition_2024):
    inds = {i.indicator_id: i for i in edition_2024.indicators(core=True)}
    # Source 一(二)表: 高新技术企业 442 (2020) → 715 (2024): (715 − 442) / 4 = 68.25 a year.
    assert inds["hightech_firms"].avg_annual_change == pytest.approx(68.25)
    # 战略性新兴产业占比 45 (2020) → 49.8 (2023): 4.8 / 3 = 1.6 points a year.
    assert inds["sei_va_share"].avg_annual_change == pytest.approx(1.6)
    # The projection shows that one figure, not its own.
    assert pj.project_indicator(inds["hightech_firms"]).annual_change == inds["hightech_firms"].avg_annual_change


def test_linear_projection_hand_worked():
    # mfg share: 39.8 in 2024, (39.8 − 36.6) / 4 = 0.8 a year → 39.8 + 0.8 = 40.6 in 2025.
    assert pj.linear_projection(39.8, 0.8, 2024, 2025) == pytest.approx(40.6)
    # SEI share: 49.8 in 2023, 1.6 a year → 49.8 + 1.6 × 2 = 53.0.
    assert pj.linear_projection(49.8, 1.6, 2023, 2025) == pytest.approx(53.0)
    # 高企: 715 + 68.25 = 783.25; 智能工厂 31 + 5.25 = 36.25; 绿色工厂 33 + 3.5 = 36.5.
    assert pj.linear_projection(715, 68.25, 2024, 2025) == pytest.approx(783.25)
    assert pj.linear_projection(31, 5.25, 2024, 2025) == pytest.approx(36.25)
    assert pj.linear_projection(33, 3.5, 2024, 2025) == pytest.approx(36.5)
    # An actual of the target year is the value itself; a later one is an error.
    assert pj.linear_projection(31, 5.25, 2025, 2025) == 31
    with pytest.raises(ValueError):
        pj.linear_projection(31, 5.25, 2026, 2025)


def test_lower_is_better_is_direction_aware():
    # Lower is better: 10 (2020) → 8 (2022) is −1 a year → 8 − 3 = 5 in 2025, below a target of 6.
    value = pj.linear_projection(8, -1, 2022, 2025)
    assert value == pytest.approx(5)
    assert pj.meets_target(value, 6, "lower") is True
    assert pj.meets_target(7, 6, "lower") is False
    assert pj.meets_target(7, 6, "higher") is True
    with pytest.raises(ValueError):
        pj.meets_target(1, 1, "sideways")


def test_required_annual_change_hand_worked():
    # 战略性新兴产业: (55 − 49.8) / (2025 − 2023) = 2.6 points a year still needed.
    assert pj.required_annual_change(49.8, 55, 2023, 2025) == pytest.approx(2.6)
    assert pj.required_annual_change(49.8, 55, 2025, 2025) is None


def test_half_up_rounding_as_printed():
    # Hand-worked: 68.25 prints as 68.3 and 36.5 as 37 in Chinese statistics (Python's round gives 68.2, 36).
    assert pj.half_up(68.25, 1) == 68.3
    assert pj.half_up(36.5, 0) == 37
    assert pj.half_up(-1.25, 1) == -1.3


# --- the edition's indicators --------------------------------------------------------------------

def _by_id(edition):
    return {p.indicator.indicator_id: p for p in pj.projections(edition.indicators(core=True))}


def test_projections_of_the_2024_edition(edition_2024):
    ps = _by_id(edition_2024)
    sei = ps["sei_va_share"]
    assert sei.projected == pytest.approx(53.0)      # hand-worked above
    assert sei.meets is False and sei.meets_now is False
    assert sei.verdict == pj.MISSES
    assert sei.projected_text == "53.0%"
    assert sei.required_change_text == "+2.6个百分点"
    for key in ("mfg_va_share_gdp", "hightech_firms", "smart_factories_digital_workshops", "green_factories"):
        assert ps[key].verdict == pj.KEEPS, key
    assert ps["hightech_firms"].projected_text == "约783家"
    assert ps["green_factories"].projected_text == "约37家"   # 36.5 rounds half up
    assert ps["hightech_firms"].annual_change_text == "+68家"  # 68.25 firms a year, printed whole


def test_projection_counts_sentence(edition_2024):
    text = pj.projection_counts(edition_2024.indicators(core=True))
    assert text == ("按线性外推，5项核心指标中4项2025年可达目标（其中4项已提前达标）；"
                    "战略性新兴产业增加值占比预计为53.0%，低于目标55%，"
                    "须年均提高2.6个百分点，而2020年以来年均提高1.6个百分点")
    # Indicators without base and target (the two non-core ones) are left out, not counted.
    assert pj.projection_counts(edition_2024.indicators()) == text


def test_projection_table_and_sources(edition_2024):
    core = edition_2024.indicators(core=True)
    frame = pj.projection_table(edition_2024, core)
    assert list(frame.columns) == ["指标", "2020年基数", "最新实际", "年均变化", "2025年外推值", "2025年目标", "判断"]
    assert len(pj.PROJECTION_ALIGN) == len(frame.columns)
    assert list(frame["2025年外推值"]) == ["40.6%", "53.0%", "约783家", "约36个", "约37家"]
    assert frame["最新实际"].iloc[1] == "49.8%（2023年）"   # the vintage is shown
    # The report cites in words; the data rows (for the analyst) come from each value's provenance:
    # lines of indicator_values.csv holding base, target and actual (header is line 1).
    assert "csv" not in pj.projection_sources(edition_2024, core)
    assert pj.projection_provenance(core) == ["indicator_values.csv 第2–4、6–8、10–12、14–16、18–20行"]


def test_missing_inputs_give_no_projection(edition_2024):
    p = pj.project_indicator(edition_2024.indicator("rd_intensity"))  # no base, no target in the source
    assert not p.available and p.verdict == "暂无数据" and p.projected_text == "暂无数据"


def _view(plan, base, actual, actual_year, target, direction="higher"):
    unit = "%"
    return IndicatorView("x", "测试指标", "质量效益", unit, direction, True, 1,
                         Value(base, 2024, unit, 2024), Value(target, 2024, unit, 2024),
                         Value(actual, actual_year, unit, 2024), plan)


def test_a_target_reached_can_slip_back(report_data):
    plan = report_data.plan
    # Hand-worked: base 50, 41 in 2024, target 40: at target now, but −2.25 a year → 38.75 in 2025.
    p = pj.project_indicator(_view(plan, 50, 41, 2024, 40))
    assert p.meets_now is True and p.meets is False and p.verdict == pj.SLIPS
    # Lower-is-better: base 10, 8 in 2024, target 7.5: −0.5 a year → 7.5 in 2025, reached.
    q = pj.project_indicator(_view(plan, 10, 8, 2024, 7.5, "lower"))
    assert q.projected == pytest.approx(7.5) and q.verdict == pj.REACHES
    assert q.change_words(q.annual_change) == "下降0.5个百分点"


# --- progress against the plan period (序时进度), hand-worked ---------------------------------------

def test_progress_against_the_plan_period(edition_2024):
    inds = {i.indicator_id: i for i in edition_2024.indicators(core=True)}
    # Elapsed share: (2024 − 2020) / 5 = 0.8; the SEI actual is of 2023: 3 / 5 = 0.6.
    assert inds["mfg_va_share_gdp"].elapsed == pytest.approx(0.8)
    assert inds["sei_va_share"].elapsed == pytest.approx(0.6)
    # Progress (actual − base) / (target − base):
    # mfg (39.8 − 36.6) / 0.4 = 8.0; SEI 4.8 / 10 = 0.48; 高企 273 / 208 = 1.3125; 智能工厂 21 / 10 = 2.1; 绿色工厂 14 / 10 = 1.4.
    expected = {"mfg_va_share_gdp": 8.0, "sei_va_share": 0.48, "hightech_firms": 1.3125,
                "smart_factories_digital_workshops": 2.1, "green_factories": 1.4}
    for key, value in expected.items():
        assert inds[key].progress == pytest.approx(value), key
    assert inds["sei_va_share"].schedule == "慢于序时进度"   # 48% against 60%
    assert inds["hightech_firms"].schedule == "快于序时进度"  # 131% against 80%
    core = list(inds.values())
    assert sentences.schedule_counts(core) == "4项快于序时进度、1项慢于序时进度"
    assert sentences.status_counts(core) == "5项核心指标中，4项超额完成、1项接近目标"


def test_a_level_in_another_unit_keeps_the_indicators_decimals(report_data):
    import dataclasses

    plan = report_data.plan
    unit = "吨标准煤/万元"
    # Hand-worked (a made-up energy intensity, 2 decimals): base 0.50 (2025), 0.49 in 2026, target 0.40 in
    # 2030, lower is better: −0.01 a year → 0.49 − 4 × 0.01 = 0.45 in 2030, above the target.
    ten = dataclasses.replace(plan, base_year=2025, target_year=2030)
    view = IndicatorView("e", "单位工业增加值能耗", "绿色低碳", unit, "lower", True, 2,
                         Value(0.5, 2025, unit, 2026), Value(0.4, 2030, unit, 2026),
                         Value(0.49, 2026, unit, 2026), ten)
    p = pj.project_indicator(view)
    assert p.projected_text == "0.45吨标准煤/万元"            # not “0.4”, the target's own figure
    assert p.annual_change_text == "−0.01吨标准煤/万元"
    # still needed: (0.40 − 0.49) ÷ 4 = −0.0225 → −0.02 a year
    assert p.required_change_text == "−0.02吨标准煤/万元"
