"""What an audit check is made of, shared by lib/beichen/audit/checks.py (stated figures recomputed) and
lib/beichen/audit/contradictions.py (classes of contradiction in the text): verdicts, categories, the
figures a check uses (the edition model's Values) and how references to them are resolved.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

import pandas as pd

from beichen import formatting as fmt
from beichen.model.edition import Edition, Provenance, Value

OK = "一致"
ROUNDING = "在舍入误差内"
MISMATCH = "不一致"
UNCHECKABLE = "无法核查"
VERDICTS = [OK, ROUNDING, MISMATCH, UNCHECKABLE]

# The later classes (占比合理性, 增量与累计, 前后表述, 产业链名称, and “超额完成” claims under 文字表述)
# are lib/beichen/audit/contradictions.py's.
CATEGORIES = ["完成度", "占比", "占比合理性", "合计与计数", "增量与累计", "增长、倍数与差距", "同一数字两处",
              "前后表述", "产业链名称", "文字表述"]

EPS = 1e-9


class AuditInputMissing(LookupError):
    """An input of a check is not in the data (the check is then 无法核查)."""


# --- what a check is made of ------------------------------------------------------------------

# One figure a check uses: the edition model's Value, traceable through its provenance
# (file, line, key, source section, edition entered for).
Input = Value


@dataclass(frozen=True)
class Stated:
    """A figure as the source prints it, to be compared with what the data implies."""

    label: str
    value: float
    unit: str
    decimals: int
    kind: str
    source: str
    ref: Input              # the data row that holds it
    qualifier: str = ""

    @property
    def lower_bound(self) -> bool:
        return "_min" in self.kind  # stated_share_min_pct, stated_multiple_min, …

    @property
    def exact(self) -> bool:
        """Counts, counted rows and ranks are exact: nothing to round."""
        return (self.kind in ("stated_count", "stated_rank")
                or (self.unit in fmt.COUNT_UNITS and self.decimals == 0))

    @property
    def half_unit(self) -> float:
        return 0.0 if self.exact else 0.5 * 10 ** (-self.decimals)

    @property
    def text(self) -> str:
        # A bound is printed as a round number (“超90%”), whatever the decimals of its metric.
        decimals = printed_decimals(self.value) if self.lower_bound else self.decimals
        return stated_text(self.value, self.unit, decimals, self.qualifier)


@dataclass(frozen=True)
class Computed:
    """What the data gives for a stated figure: value, inputs and the formula with its numbers."""

    value: float
    inputs: tuple[Input, ...]
    formula: str
    unit: str
    decimals: int = 2          # decimals shown for the computed value
    parts: int = 1             # rounded parts whose errors add up (a sum of n parts → n)
    note: str = ""

    @property
    def text(self) -> str:
        return value_text(self.value, self.unit, self.decimals)


@dataclass(frozen=True)
class Check:
    """One audit check with everything the appendix shows about it."""

    check_id: str
    category: str
    item: str
    source: str
    stated_text: str
    computed_text: str
    tolerance_text: str
    verdict: str
    formula: str = ""
    inputs: tuple[Input, ...] = ()
    stated: Stated | None = None
    computed: float | None = None
    note: str = ""
    number: int = 0            # 序号 in 表1-1, set by run_audit

    @property
    def refs(self) -> tuple[Input, ...]:
        """The data rows behind the check: the stated figure's row first, then the inputs."""
        rows = (self.stated.ref,) if self.stated is not None else ()
        return rows + tuple(self.inputs)


# --- printing ------------------------------------------------------------------------------------

_half_up = fmt.round_half_up  # the report's one rounding rule (halves up)


def value_text(x: float, unit: str, decimals: int | None) -> str:
    """A number with its unit as the audit prints it: “93.11%”, “480家”, “第1位”, “3.10倍”."""
    if x is None:
        return fmt.MISSING
    shown = fmt.number(x, decimals)  # formatting rounds halves up
    if unit == "位":
        return f"第{shown}位"
    return f"{shown}{unit}"


def stated_text(value: float, unit: str, decimals: int, qualifier: str = "") -> str:
    """A stated figure in the source's words: “超90%”, “20余家”, “翻倍”, “两位数（≥10%）”."""
    number = fmt.number(value, decimals)
    if unit == "位":
        return f"第{number}位"
    if unit == "倍" and abs(value - 2) < EPS:
        core = "翻倍"
    else:
        core = f"{number}{unit}"
    if qualifier == "超":
        return f"超{core}"
    if qualifier == "近":
        return f"近{core}"
    if qualifier == "余":
        return f"{number}余{unit}"
    if qualifier == "两位数":
        return f"两位数（≥{core}）"
    return core


def printed_decimals(value: float) -> int:
    """Decimals of a stated value in its shortest form, as the source prints it (5 → 0, 30.6 → 1).

    Used where the data file has no ``decimals`` column (chains.csv, indicator_values.csv): the
    source drops trailing zeros (“110%”, “占比5%”), so the shortest form is what it printed.
    """
    text = fmt.number(value)
    return len(text.split(".")[1]) if "." in text else 0


# --- looking figures up, with their data rows --------------------------------------------------

def _metric(ed: Edition, metric_id: str, year: int, kind: str = "actual", exact_year: bool = False) -> Input:
    value = ed.metric(metric_id, kind, year=year) if exact_year else ed.metric(metric_id, kind, at=year)
    if value.missing:
        raise AuditInputMissing(f"metrics.csv 无 {metric_id}（{kind}，{year}年{'' if exact_year else '及以前'}）")
    return value


def _indicator(ed: Edition, indicator_id: str, kind: str, year: int) -> Input:
    """base and target with the plan's years; actual (and stated_*): the latest up to `year`."""
    value = ed.indicator_value(indicator_id, kind, at=year, required=False)
    if value.missing:
        raise AuditInputMissing(f"indicator_values.csv 无 {indicator_id}（{kind}）")
    plan_year = {"base": ed.plan.base_year, "target": ed.plan.target_year}.get(kind)
    return replace(value, year=plan_year) if plan_year else value


def _chains(ed: Edition, year: int) -> pd.DataFrame:
    """The chain rows of the latest chain year up to `year` (file order)."""
    frame = ed.chains(at=year)
    if frame.empty:
        raise AuditInputMissing(f"chains.csv 无{year}年及以前的产业链数据")
    return frame.sort_index()


def _chain_input(ed: Edition, row, column: str) -> Input:
    value = ed.chain_value(row, column)
    if value.missing:
        raise AuditInputMissing(f"chains.csv 无 {row['chain_id']} 的 {column}")
    return value


def _row_input(ed: Edition, row, file: str, key: str, label: str, value: float, unit: str,
               decimals: int | None = None) -> Input:
    """A stated figure's own data row as an Input."""
    prov = Provenance(file, int(row.name) + 2, key, str(row["source"]), int(row["edition"]))
    return Value(float(value), int(row["year"]), unit, ed.year, decimals, prov, label)


# References to inputs, resolved for the year of the stated figure: each returns a list of Inputs
# whose values add up to the quantity (one Input for a single figure).
Ref = Callable[[Edition, int], list[Input]]


BASE_YEAR = "base"  # M(…, year=BASE_YEAR): the plan's base year


def M(metric_id: str, year: int | str | None = None, kind: str = "actual") -> Ref:
    """A metric: of the stated figure's year (latest up to it), or of exactly `year` (BASE_YEAR: the
    plan's base year)."""
    def resolve(ed: Edition, at: int) -> list[Input]:
        exact = ed.plan.base_year if year == BASE_YEAR else year
        return [_metric(ed, metric_id, exact if exact is not None else at, kind, exact_year=exact is not None)]
    return resolve


def IND(indicator_id: str, kind: str = "actual") -> Ref:
    def resolve(db: Edition, at: int) -> list[Input]:
        return [_indicator(db, indicator_id, kind, at)]
    return resolve


def CHAINS(column: str, ids: tuple[str, ...] | None = None, min_output: float | None = None,
           group: str | None = None, skip_missing: bool = False) -> Ref:
    """Chain figures, each chain one Input: all chains, the named ones, those with output ≥
    min_output, or those of one group; skip_missing leaves out chains without the figure."""
    def resolve(db: Edition, at: int) -> list[Input]:
        frame = _chains(db, at)
        if ids is not None:
            unknown = set(ids) - set(frame["chain_id"])
            if unknown:
                raise AuditInputMissing(f"chains.csv 无 {sorted(unknown)}")
            frame = frame[frame["chain_id"].isin(ids)]
        if min_output is not None:
            frame = frame[frame["output_100m_yuan"] >= min_output]
        if group is not None:
            frame = frame[frame["group"] == group]
        if skip_missing:
            frame = frame[frame[column].notna()]
        return [_chain_input(db, row, column) for _, row in frame.iterrows()]
    return resolve


def ALL(*refs: Ref) -> Ref:
    """Several references as one list of parts (e.g. the three kinds of project in a total)."""
    def resolve(db: Edition, at: int) -> list[Input]:
        return [i for ref in refs for i in ref(db, at)]
    return resolve


def _total(inputs: list[Input]) -> float:
    return sum(i.value for i in inputs)


def _terms(inputs: list[Input]) -> str:
    text = " + ".join(i.number for i in inputs)
    return f"({text})" if len(inputs) > 1 else text

def ref_from(spec: dict) -> Ref:
    """A figure reference of data/meta/audit.yml as a Ref."""
    if "metric" in spec:
        return M(spec["metric"], BASE_YEAR if spec.get("year") == "base" else spec.get("year"))
    return IND(spec["indicator"], spec.get("kind", "actual"))
