"""The arithmetic of a plan evaluation: pure functions on floats, units in the docstrings.

The words and thresholds that judge the results (status, 序时进度) are the plan's (inputs/plan.py).
"""
from __future__ import annotations


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


def plan_progress(actual: float, base: float, target: float) -> float:
    """Progress from base towards target, 0–1 and beyond ((actual − base) / (target − base)).

    Works for lower-is-better indicators too, since numerator and denominator change sign together.
    """
    if float(target) == float(base):
        raise ValueError("target equals base: progress is undefined")
    return (float(actual) - float(base)) / (float(target) - float(base))
