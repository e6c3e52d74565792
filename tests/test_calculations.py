"""Calculations. Expected values come from the source report (section named) or hand calculation."""
import pytest

from beichen.model import formulas as calc


def test_completion_rate_higher_is_better_matches_source_table():
    # Source 一(二)表: 39.8 / 37 → 107.6%; 49.8 / 55 → 90.5%; 715 / 650 → 110%; 31 / 20 → 155%; 33 / 29 → 113.8%.
    assert round(calc.completion_rate(39.8, 37), 1) == 107.6
    assert round(calc.completion_rate(49.8, 55), 1) == 90.5
    assert round(calc.completion_rate(715, 650), 1) == 110.0
    assert round(calc.completion_rate(31, 20), 1) == 155.0
    assert round(calc.completion_rate(33, 29), 1) == 113.8


def test_completion_rate_lower_is_better_inverts():
    # Hand calculation: energy use target 0.5, actual 0.4 (lower is better) → 0.5 / 0.4 = 125%.
    assert calc.completion_rate(0.4, 0.5, "lower") == pytest.approx(125.0)
    with pytest.raises(ValueError):
        calc.completion_rate(1, 1, "sideways")


def test_pp_gap_matches_source():
    # Source 一(一)1: 39.8% vs target 37% → 超额2.8个百分点; vs 2020 36.6% → 提升3.2个百分点.
    assert round(calc.pp_gap(39.8, 37), 1) == 2.8
    assert round(calc.pp_gap(39.8, 36.6), 1) == 3.2


def test_growth_and_multiple_match_source():
    # Source 一(一)3: 715 vs 442 → 增长61.8%; 单项冠军 15 vs 8 → 87.5%; 首台(套) 32 vs 16 → 翻倍.
    assert round(calc.growth_pct(715, 442), 1) == 61.8
    assert round(calc.growth_pct(15, 8), 1) == 87.5
    assert calc.multiple(32, 16) == 2.0
    # Source 一(一)4: 31 vs 10 → 增长210%.
    assert round(calc.growth_pct(31, 10), 1) == 210.0


def test_share_matches_source():
    # Source 一(一)1: 1294.1 / 1389.9 → 93.1%; 二(一)1: 425.1 / 1389.9 → 30.6%.
    assert round(calc.share_pct(1294.1, 1389.9), 1) == 93.1
    assert round(calc.share_pct(425.1, 1389.9), 1) == 30.6


def test_average_annual_increase():
    # Source 一(二)表 says 高新技术企业 “年均新增超50家”: hand calc (715 − 442) / 4 years = 68.25.
    assert calc.avg_annual_increase(715, 442, 4) == pytest.approx(68.25)
    with pytest.raises(ValueError):
        calc.avg_annual_increase(1, 0, 0)


def test_progress_hand_worked():
    # Hand calculation: mfg share (39.8 − 36.6) / (37 − 36.6) = 3.2 / 0.4 = 8.0 (800%).
    assert calc.plan_progress(39.8, 36.6, 37) == pytest.approx(8.0)
    # Hand calculation: SEI share (49.8 − 45) / (55 − 45) = 0.48.
    assert calc.plan_progress(49.8, 45, 55) == pytest.approx(0.48)
    # Lower-is-better: base 10, target 6, actual 8 → (8 − 10) / (6 − 10) = 0.5.
    assert calc.plan_progress(8, 10, 6) == pytest.approx(0.5)
    with pytest.raises(ValueError):
        calc.plan_progress(1, 2, 2)
