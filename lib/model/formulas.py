"""Derived figures of a plan evaluation. Pure functions on floats; units in the docstrings.

Rules follow Chinese plan-evaluation practice (see DESIGN.md “Domain rules”).
"""
from __future__ import annotations

from beichen.paths import PLAN_BASE_YEAR, PLAN_TARGET_YEAR

# An indicator whose completion is at least this share of its target (but below 100%)
# is “接近目标”; below it, “滞后”. The source calls 90.5% “接近”.
NEAR_TARGET_PCT = 90.0
# Progress within ±this many percentage points of the elapsed share counts as 符合时序进度.
ON_SCHEDULE_TOLERANCE_PP = 2.0


def completion_rate(actual: float, target: float, direction: str = "higher") -> float:
    """Completion rate in % of the target.

    higher-is-better: actual / target × 100 (source 一(二): 39.8 / 37 → 107.6%);
    lower-is-better: target / actual × 100 (reaching below the target scores above 100%).
    """
    if direction == "higher":
        return float(actual) / float(target) * 100.0
    if direction == "lower":
        return float(target) / float(actual) * 100.0
    raise ValueError(f"direction must be 'higher' or 'lower', got {direction!r}")


def pp_gap(a: float, b: float) -> float:
    """Difference of two percentages in percentage points (a − b)."""
    return float(a) - float(b)


def growth_pct(new: float, old: float) -> float:
    """Growth of new over old in % ((new / old − 1) × 100)."""
    return (float(new) / float(old) - 1.0) * 100.0


def multiple(new: float, old: float) -> float:
    """How many times old is new (new / old)."""
    return float(new) / float(old)


def share_pct(part: float, total: float) -> float:
    """Share of part in total, in %."""
    return float(part) / float(total) * 100.0


def avg_annual_increase(new: float, old: float, years: int) -> float:
    """Average absolute increase per year over `years` years ((new − old) / years)."""
    if years <= 0:
        raise ValueError("years must be positive")
    return (float(new) - float(old)) / years


def elapsed_share(year: int, base_year: int = PLAN_BASE_YEAR,
                  target_year: int = PLAN_TARGET_YEAR) -> float:
    """Share of the plan period elapsed by the end of `year` (时序进度), 0–1.

    2024 → (2024 − 2020) / 5 = 0.8.
    """
    if not base_year <= year <= target_year:
        raise ValueError(f"year {year} is outside the plan period {base_year}–{target_year}")
    return (year - base_year) / (target_year - base_year)


def plan_progress(actual: float, base: float, target: float) -> float:
    """Progress from base towards target, 0–1 and beyond ((actual − base) / (target − base)).

    Works for lower-is-better indicators too, since numerator and denominator change sign together.
    """
    if float(target) == float(base):
        raise ValueError("target equals base: progress is undefined")
    return (float(actual) - float(base)) / (float(target) - float(base))


def schedule_verdict(progress: float, elapsed: float,
                     tolerance_pp: float = ON_SCHEDULE_TOLERANCE_PP) -> str:
    """快于/符合/慢于时序进度, comparing progress with the elapsed share (both 0–1)."""
    diff_pp = (progress - elapsed) * 100.0
    if diff_pp > tolerance_pp:
        return "快于时序进度"
    if diff_pp < -tolerance_pp:
        return "慢于时序进度"
    return "符合时序进度"


def status_word(completion_pct: float, year: int,
                target_year: int = PLAN_TARGET_YEAR) -> str:
    """Status of an indicator against its target, in national practice.

    > 100%: 超额完成; = 100%: 提前完成 before the target year, 完成 in it;
    ≥ NEAR_TARGET_PCT: 接近目标; otherwise 滞后.
    """
    c = round(float(completion_pct), 1)
    if c > 100.0:
        return "超额完成"
    if c == 100.0:
        return "提前完成" if year < target_year else "完成"
    if c >= NEAR_TARGET_PCT:
        return "接近目标"
    return "滞后"
