"""Projection to the plan's target year: where each indicator lands then if its trend holds.

The method is a plain linear extrapolation, and the report says so wherever it shows one:
the average yearly change from the base year to the latest actual (`IndicatorView.avg_annual_change`,
the one home of that figure) is carried forward to the target year,

    value_T = actual + (actual − base) / (actual_year − base_year) × (T − actual_year),

and compared with the target in the indicator's direction (higher or lower is better). The target
year's own edition shows observed results and no projection (`Edition.is_final`).
It is an arithmetic statement about the trend, not a forecast: it ignores cycles, policy and
changes of statistical scope, and a share is not capped at 100%.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from beichen import formatting as fmt
from beichen.model.edition import Edition, IndicatorView
from beichen.inputs.plan import Plan


def method_note(plan: Plan) -> str:
    return (f"外推按{plan.quoted}基期（{plan.base_year}年）至最新实际值的年均变化，线性外推至{plan.target_year}年，"
            "即假定此前的年均变化保持不变；它只是趋势的算术延伸，不是预测模型，"
            "未考虑经济周期、政策调整和统计口径变化，仅用于提示哪些指标需要加快进度。")

# Verdict words of a projection, by (meets the target now, meets it in the projection).
KEEPS = "保持达标"             # already at target, and the trend keeps it there
SLIPS = "可能回落至目标以下"    # already at target, but the trend falls below it by 2025
REACHES = "预计可达目标"        # not yet at target, the trend reaches it
MISSES = "预计难以达标"         # not yet at target, the trend falls short


def verdict_rule() -> str:
    """How the projection's verdict words are given, for the appendix: the one definition of the
    words 表1-3 prints (the claims ledger checks that every word a table prints is defined)."""
    return (f"已达到目标、外推值仍达到目标的，判断为“{KEEPS}”；已达到目标、外推值低于目标的，为“{SLIPS}”；"
            f"尚未达到目标、外推值达到目标（数值越小越好的指标为不高于目标）的，为“{REACHES}”；"
            f"外推值仍达不到目标的，为“{MISSES}”。")


half_up = fmt.round_half_up  # Chinese statistics round halves up (68.25 → 68.3)


def linear_projection(actual: float, yearly_change: float, actual_year: int, target_year: int) -> float:
    """The value in `target_year` if `yearly_change` continues from the actual's year.

    value = actual + yearly_change × (target_year − actual_year). An actual of the target year itself
    is returned unchanged; a later one is an error.
    Hand-worked: 战略性新兴产业占比 45 (2020) → 49.8 (2023), 1.6 a year: 49.8 + 1.6 × 2 = 53.0.
    """
    if actual_year > target_year:
        raise ValueError(f"actual year {actual_year} is after the target year {target_year}")
    return float(actual) + float(yearly_change) * (target_year - actual_year)


def meets_target(value: float, target: float, direction: str = "higher") -> bool:
    """Whether `value` reaches `target`: ≥ for higher-is-better, ≤ for lower-is-better."""
    if direction == "higher":
        return float(value) >= float(target)
    if direction == "lower":
        return float(value) <= float(target)
    raise ValueError(f"direction must be 'higher' or 'lower', got {direction!r}")


def required_annual_change(actual: float, target: float, actual_year: int, target_year: int) -> float | None:
    """Change per year still needed to reach the target by `target_year` (None in the target year).

    Hand-worked: 战略性新兴产业占比 49.8 (2023), target 55 in 2025: (55 − 49.8) / 2 = 2.6 points a year.
    """
    if actual_year >= target_year:
        return None
    return (float(target) - float(actual)) / (target_year - actual_year)


@dataclass(frozen=True)
class Projection:
    """One indicator's linear projection to the target year, with the inputs it came from."""

    indicator: IndicatorView
    target_year: int
    annual_change: float | None
    projected: float | None
    required_change: float | None
    meets_now: bool | None
    meets: bool | None

    @property
    def available(self) -> bool:
        return self.projected is not None

    @property
    def verdict(self) -> str:
        """保持达标 / 可能回落至目标以下 / 预计可达目标 / 预计难以达标 (or 暂无数据)."""
        if not self.available:
            return fmt.MISSING
        if self.meets_now:
            return KEEPS if self.meets else SLIPS
        return REACHES if self.meets else MISSES

    def _in_unit(self, x: float | None, signed: bool = False) -> str:
        """A projected level or a yearly change in the indicator's unit, one decimal for %."""
        if x is None:
            return fmt.MISSING
        unit = self.indicator.unit
        if signed:  # a yearly change: “+1.6个百分点”, “+68.3家”
            sign = "+" if x >= 0 else "−"
            if unit == "%":
                return f"{sign}{fmt.points(half_up(abs(x), 1))}"
            if unit in fmt.COUNT_UNITS:  # whole firms and workshops: “+68家”
                return f"{sign}{fmt.count(half_up(abs(x), 0), unit)}"
            return f"{sign}{fmt.with_unit(half_up(abs(x), self.decimals), unit, self.decimals)}"
        if unit == "%":
            return fmt.percent(half_up(x, 1))
        if unit in fmt.COUNT_UNITS:
            return f"约{fmt.count(half_up(x, 0), unit)}"  # counts are whole: 783.25 → “约783家”
        return fmt.with_unit(half_up(x, self.decimals), unit, self.decimals)

    @property
    def decimals(self) -> int:
        """Decimals of a level in another unit: the indicator's own (0.49吨标准煤/万元: 2), at least one."""
        return max(1, int(self.indicator.decimals or 0))

    def change_words(self, x: float | None) -> str:
        """A yearly change in words: “提高2.6个百分点”, “增加68.3家”, “下降0.5个百分点”."""
        if x is None:
            return fmt.MISSING
        unit = self.indicator.unit
        if unit == "%":
            return f"{fmt.change_word(x, '提高', '下降')}{fmt.points(half_up(abs(x), 1))}"
        return (f"{fmt.change_word(x, '增加', '减少')}"
                f"{fmt.with_unit(half_up(abs(x), self.decimals), unit, self.decimals)}")

    @property
    def projected_text(self) -> str:
        return self._in_unit(self.projected)

    @property
    def annual_change_text(self) -> str:
        return self._in_unit(self.annual_change, signed=True)

    @property
    def required_change_text(self) -> str:
        """The yearly change still needed, or “—” when the target is already reached."""
        if self.meets_now or self.required_change is None:
            return "—"
        return self._in_unit(self.required_change, signed=True)


def _rounded(ind: IndicatorView, x: float) -> float:
    """Compare at the precision the report prints: 1 decimal for %, whole numbers for counts."""
    return half_up(x, 1) if ind.unit == "%" else half_up(x, 0) if ind.unit in fmt.COUNT_UNITS else x


def project_indicator(ind: IndicatorView) -> Projection:
    """Project one indicator; any missing input (or an actual of the base year) gives no projection."""
    target_year = ind.plan.target_year
    if ind.base.missing or ind.target.missing or ind.avg_annual_change is None:
        return Projection(ind, target_year, None, None, None, None, None)
    actual, target, year = ind.actual.value, ind.target.value, ind.actual.year
    projected = linear_projection(actual, ind.avg_annual_change, year, target_year)
    return Projection(
        indicator=ind, target_year=target_year, annual_change=ind.avg_annual_change, projected=projected,
        required_change=required_annual_change(actual, target, year, target_year),
        meets_now=meets_target(actual, target, ind.direction),
        meets=meets_target(_rounded(ind, projected), target, ind.direction),
    )


def projections(indicators: list[IndicatorView]) -> list[Projection]:
    return [project_indicator(ind) for ind in indicators]


def projection_table(edition: Edition, indicators: list[IndicatorView]) -> pd.DataFrame:
    """表1-3: base, latest actual (with its year if older), yearly change, the 2025 value if the
    trend holds, the target and the verdict. Inputs are listed by `projection_sources`."""
    rows = []
    for p in projections(indicators):
        ind = p.indicator
        rows.append({
            "指标": ind.name,
            f"{edition.plan.base_year}年基数": ind.base.plain,
            "最新实际": ind.actual.text,
            "年均变化": p.annual_change_text,
            f"{p.target_year}年外推值": p.projected_text,
            f"{p.target_year}年目标": ind.target.plain,
            "判断": p.verdict,
        })
    return pd.DataFrame(rows)


def projection_sources(edition: Edition, indicators: list[IndicatorView]) -> str:
    """Where 表1-3's inputs come from, in words: the base, target and latest actual of each indicator."""
    values = [v for ind in indicators for v in (ind.base, ind.target, ind.actual) if not v.missing]
    if not values:
        return ""
    return "资料来源：各指标的基数、目标和最新实际值"


def projection_provenance(indicators: list[IndicatorView]) -> list[str]:
    """The data rows behind 表1-3, for the analyst (file and lines)."""
    files: dict[str, list[int]] = {}
    for ind in indicators:
        for v in (ind.base, ind.target, ind.actual):
            if v.provenance is not None:
                files.setdefault(v.provenance.file, []).append(v.provenance.line)
    return [f"{f} 第{_spans(lines)}行" for f, lines in files.items()]


def _spans(lines: list[int]) -> str:
    """[2, 3, 4, 6] → “2–4、6”."""
    spans: list[list[int]] = []
    for line in sorted(set(lines)):
        if spans and line == spans[-1][1] + 1:
            spans[-1][1] = line
        else:
            spans.append([line, line])
    return "、".join(str(a) if a == b else f"{a}–{b}" for a, b in spans)


PROJECTION_ALIGN = "lrrrrrc"


def projection_counts(indicators: list[IndicatorView]) -> str:
    """“按线性外推，5项核心指标中4项2025年可达目标（其中4项已提前达标）；战略性新兴产业增加值占比
    预计为53.0%，低于目标55%，须年均提高2.6个百分点，而2020年以来年均提高1.6个百分点”.

    Indicators without base, target or actual are left out (they cannot be projected).
    """
    ps = [p for p in projections(indicators) if p.available]
    if not ps:
        return f"目标外推{fmt.MISSING}"
    year = ps[0].target_year
    ok = [p for p in ps if p.meets]
    already = sum(1 for p in ok if p.meets_now)
    text = f"按线性外推，{len(ps)}项核心指标中{len(ok)}项{year}年可达目标"
    if already:
        text += f"（其中{already}项已提前达标）"
    short = [p for p in ps if not p.meets]
    if short:
        parts = []
        for p in short:
            ind = p.indicator
            word = "低于" if ind.direction == "higher" else "高于"
            need = (f"，须年均{p.change_words(p.required_change)}，"
                    f"而{ind.plan.base_year}年以来年均{p.change_words(p.annual_change)}"
                    if p.required_change is not None and not p.meets_now else "")
            parts.append(f"{ind.name}预计为{p.projected_text}，{word}目标{ind.target.plain}{need}")
        text += "；" + "；".join(parts)
    return text


def projection_lead(indicators: list[IndicatorView]) -> str:
    """The sentence above 表1-3: the method in brief, then the counts."""
    counts = projection_counts(indicators).removeprefix("按线性外推，")
    plan = indicators[0].plan if indicators else None
    quoted = plan.quoted if plan else ""
    return (f"若各项核心指标保持{quoted}以来的年均变化（线性外推），{counts}。"
            "外推结果见表1-3，反映的是现有趋势延续时的数值，并非预测。")
