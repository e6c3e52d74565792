"""Data audit (数据核查): every figure the source derives is recomputed from its inputs and judged.

What is checked, in the order of the appendix table:

1. 完成度  — every ``stated_completion_pct`` in indicator_values.csv vs actual ÷ target.
2. 占比    — every chain's ``stated_share_pct`` (chains.csv) vs output ÷ 规上工业总产值, and every
             ``stated_share_pct``/``stated_share_min_pct`` row of metrics.csv.
3. 合计与计数 — ``stated_sum`` (sum of the parts), ``stated_count`` (rows counted), ``stated_rank``,
             a total stated as an indicator value (绿色工厂 33 = 9 + 24), and counts given with a list
             of names (“4个产业集群”: the four names).
4. 增长、倍数与差距 — ``stated_gap_pp``, ``stated_change_pp``, ``stated_growth_pct``, ``stated_multiple``
             (and ``_min``), ``stated_avg_annual_increase_min``, ``stated_growth_min_pct``.
5. 同一数字两处 — the same quantity printed twice with its two values.
6. 文字表述 — qualitative claims (“接近目标”, “双达标”, “翻倍”) vs the status the data gives.

Metrics rows are data-driven: a ``stated_*`` row is recomputed by the rule for its ``metric_id`` in
data/meta/audit.yml ``metric_rules`` or, failing that, by the generic rule for its ``kind`` applied to its
``indicator_id`` (gap = actual − target, change = actual − base, growth and multiple of actual
over base, average yearly increase since 2020). A stated row with neither is listed as 无法核查,
so a new figure added to the data is never silently skipped.

Verdicts (tolerance = half a unit of the stated value's last printed decimal; 0 for counts):

- 一致         the stated value is the computed one rounded as printed (|差| ≤ 半个末位单位),
               or, for a lower bound (kinds with ``_min``: 超…, 两位数), computed ≥ stated;
- 在舍入误差内  a stated total differs from the sum of its n rounded parts by no more than
               n × half a unit (the parts' rounding errors can add up);
- 不一致       anything else;
- 无法核查     an input is missing (e.g. no target), or no rule exists.

The claims, pairs and named lists below are the 2024 source's (registry entries carry the year
of the edition whose source prints them, and apply to that edition and later ones).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Callable

import pandas as pd

from beichen.inputs.audit_registry import RULE_KINDS, metric_rule_problems  # noqa: F401 (re-exported)
from beichen.model import formulas as calc
from beichen import formatting as fmt
from beichen.model.edition import Edition, missing_value
# The pieces shared with lib/beichen/audit/contradictions.py (re-exported: callers use checks.OK, checks.Check, …).
from beichen.audit import contradictions
from beichen.audit.base import (  # noqa: F401
    OK, ROUNDING, MISMATCH, UNCHECKABLE, VERDICTS, CATEGORIES, EPS, AuditInputMissing, Input, Stated, Computed, Check, value_text, stated_text, printed_decimals, _metric, _indicator, _chains, _chain_input, _row_input, Ref, BASE_YEAR, M, IND, CHAINS, ALL, _total, _terms, _half_up, ref_from)

# The audit is printed in the 核查报告 (lib/beichen/dossier/document.py), whose first part numbers these 表1-1, 表1-2.
RESULTS_CAPTION = "表1-1 数据核查结果"
INPUTS_CAPTION = "表1-2 核查依据：计算式与数据来源"
RESULTS_ALIGN = "rlllrcc"
INPUTS_ALIGN = "rll"
FINDING_PREFIX = "finding-"

# A claim that accepts “the target is reached” lists this instead of status words (the plan's words).

# --- rules: how a stated figure is recomputed -----------------------------------------------------
# A rule takes (data, stated) and returns Computed. Factories below build the usual ones.

Rule = Callable[[Edition, Stated], Computed]


def share(part: Ref, total: Ref) -> Rule:
    """part ÷ total × 100 (%)."""
    def rule(db: Edition, st: Stated) -> Computed:
        p, t = part(db, st.ref.year), total(db, st.ref.year)
        value = calc.share_pct(_total(p), _total(t))
        return Computed(value, tuple(p + t), f"{_terms(p)} ÷ {_terms(t)} × 100 = {fmt.number(_half_up(value, 2), 2)}", "%")
    return rule


def total(parts: Ref) -> Rule:
    """The sum of the parts; n rounded parts allow n × half a unit."""
    def rule(db: Edition, st: Stated) -> Computed:
        p = parts(db, st.ref.year)
        value = _total(p)
        return Computed(value, tuple(p), f"{' + '.join(i.number for i in p)} = {fmt.number(value, st.decimals)}",
                        st.unit, decimals=st.decimals, parts=len(p))
    return rule


def count(rows: Ref, unit: str = "条") -> Rule:
    """How many rows (e.g. chains with output ≥ 100亿元)."""
    def rule(db: Edition, st: Stated) -> Computed:
        r = rows(db, st.ref.year)
        names = "、".join(i.label.removesuffix("产值").removesuffix("企业数") for i in r)
        return Computed(float(len(r)), tuple(r), f"{names}：共{len(r)}{unit}", unit, decimals=0)
    return rule


def rank(chain_id: str, column: str = "output_100m_yuan") -> Rule:
    """Rank of one chain by `column` among the chains of the year (1 = largest)."""
    def rule(db: Edition, st: Stated) -> Computed:
        frame = _chains(db, st.ref.year)
        if chain_id not in set(frame["chain_id"]):
            raise AuditInputMissing(f"chains.csv 无 {chain_id}")
        ordered = frame.sort_values(column, ascending=False)
        position = list(ordered["chain_id"]).index(chain_id) + 1
        inputs = [_chain_input(db, row, column) for _, row in ordered.iterrows()]
        return Computed(float(position), tuple(inputs),
                        f"按产值排序：{' > '.join(i.number for i in inputs)}，{inputs[position - 1].label}居第{position}位",
                        "位", decimals=0)
    return rule


def _binary(calculate, formula: str, unit: str):
    """A rule factory for a figure computed from two inputs: formula shows the working."""
    def factory(a: Ref, b: Ref) -> Rule:
        def rule(db: Edition, st: Stated) -> Computed:
            x, y = a(db, st.ref.year), b(db, st.ref.year)
            value = calculate(_total(x), _total(y))
            working = formula.format(x=_terms(x), y=_terms(y), v=fmt.number(_half_up(value, 2), 2))
            return Computed(value, tuple(x + y), working, unit)
        return rule
    return factory


difference = _binary(calc.pp_gap, "{x} − {y} = {v}", "个百分点")             # a − b, in points
growth = _binary(calc.growth_pct, "({x} ÷ {y} − 1) × 100 = {v}", "%")     # (new ÷ old − 1) × 100
ratio = _binary(calc.multiple, "{x} ÷ {y} = {v}", "倍")                    # new ÷ old


def avg_increase(new: Ref, old: Ref) -> Rule:
    """(new − old) ÷ years between them."""
    def rule(db: Edition, st: Stated) -> Computed:
        x, y = new(db, st.ref.year), old(db, st.ref.year)
        years = x[0].year - y[0].year
        value = calc.avg_annual_increase(_total(x), _total(y), years)
        return Computed(value, tuple(x + y),
                        f"({_terms(x)} − {_terms(y)}) ÷ {years} = {fmt.number(_half_up(value, 2), 2)}", st.unit)
    return rule


def each_at_least(*refs: Ref, others: Ref | None = None) -> Rule:
    """The smallest of the named figures (a claim such as “保持两位数增长” holds for each).

    others: figures of the same kind that the source does not name; any below the stated bound
    is reported in the note.
    """
    def rule(db: Edition, st: Stated) -> Computed:
        inputs = [i for ref in refs for i in ref(db, st.ref.year)]
        value = min(i.value for i in inputs)
        note = ""
        if others is not None:
            named = {i.provenance.key for i in inputs}
            below = [i for i in others(db, st.ref.year) if i.provenance.key not in named and i.value < st.value]
            if below:
                note = ("；".join(f"同类的{i.label}为{i.text}" for i in below)
                        + f"，低于{st.text}，原文未列举")
        terms = "、".join(f"{i.label}{i.text}" for i in inputs)
        return Computed(value, tuple(inputs), f"min({terms}) = {fmt.number(value)}", st.unit, decimals=1, note=note)
    return rule


# The explicit registry is data: data/meta/audit.yml `metric_rules` (metric_id → rule), read by
# `metric_rules`. Rows of metrics.csv with an indicator_id and a generic kind need no entry (see
# GENERIC_RULES). A rule names its inputs as references (`audit_ref`).


class MetricRuleError(ValueError):
    """An entry of audit.yml `metric_rules` that is not a rule as documented."""


def audit_ref(spec) -> Ref:
    """A reference of audit.yml `metric_rules`: {metric: id, year: base|YYYY, kind: …},
    {indicator: id, kind: …}, {chains: column, ids: […], min_output: N, group: …, skip_missing: true},
    or a list of references (their parts together)."""
    if isinstance(spec, list):
        return ALL(*(audit_ref(s) for s in spec))
    if "metric" in spec:
        year = BASE_YEAR if spec.get("year") == "base" else spec.get("year")
        return M(spec["metric"], year, spec.get("kind", "actual"))
    if "indicator" in spec:
        return IND(spec["indicator"], spec.get("kind", "actual"))
    if "chains" in spec:
        ids = spec.get("ids")
        return CHAINS(spec["chains"], ids=tuple(ids) if ids else None,
                      min_output=float(spec["min_output"]) if spec.get("min_output") is not None else None,
                      group=spec.get("group"), skip_missing=bool(spec.get("skip_missing")))
    raise MetricRuleError(f"audit.yml metric_rules: 引用 {spec} 应为 metric、indicator、chains 之一；"
                          "修正：按 data/meta/audit.yml 开头的说明填写")


def audit_rule(metric_id: str, spec: dict) -> Rule:
    """One rule of audit.yml `metric_rules`: total (parts), count (rows), share (part, whole),
    ratio / growth (new, old), rank (chain), each_at_least (figures, others)."""
    kind = spec.get("rule")
    if kind == "total":
        return total(audit_ref(spec["parts"]))
    if kind == "count":
        return count(audit_ref(spec["rows"]))
    if kind == "share":
        return share(audit_ref(spec["part"]), audit_ref(spec["whole"]))
    if kind in ("ratio", "growth"):
        return (ratio if kind == "ratio" else growth)(audit_ref(spec["new"]), audit_ref(spec["old"]))
    if kind == "rank":
        return rank(spec["chain"])
    if kind == "each_at_least":
        others = spec.get("others")
        return each_at_least(*(audit_ref(f) for f in spec["figures"]),
                             others=audit_ref(others) if others else None)
    raise MetricRuleError(f"audit.yml metric_rules.{metric_id}: rule “{kind}” 应为 total、count、share、ratio、"
                          "growth、rank、each_at_least 之一")


def metric_rules(edition: Edition) -> dict[str, Rule]:
    """metric_id → rule, from data/meta/audit.yml `metric_rules` ({} when the plan has none)."""
    raw = (edition.data.meta.get("audit") or {}).get("metric_rules") or {}
    data = edition.raw_data
    problems = metric_rule_problems(raw, set(data.indicators["indicator_id"]), set(data.metrics["metric_id"]),
                                    set(data.chains["chain_id"]))
    if problems:
        raise MetricRuleError("\n".join(problems))
    return {metric_id: audit_rule(metric_id, spec) for metric_id, spec in raw.items()}




# kind → rule for a metric row linked to an indicator (indicator_id column).
GENERIC_RULES: dict[str, Callable[[str], Rule]] = {
    "stated_gap_pp": lambda i: difference(IND(i), IND(i, "target")),
    "stated_change_pp": lambda i: difference(IND(i), IND(i, "base")),
    "stated_growth_pct": lambda i: growth(IND(i), IND(i, "base")),
    "stated_multiple": lambda i: ratio(IND(i), IND(i, "base")),
    "stated_multiple_min": lambda i: ratio(IND(i), IND(i, "base")),
    "stated_avg_annual_increase_min": lambda i: avg_increase(IND(i), IND(i, "base")),
}

KIND_CATEGORY = {
    "stated_share_pct": "占比", "stated_share_min_pct": "占比",
    "stated_sum": "合计与计数", "stated_count": "合计与计数", "stated_rank": "合计与计数",
}


def rule_for(row, rules: dict[str, Rule] | None = None) -> Rule | None:
    """The rule that recomputes a stated metrics row (`rules`: `metric_rules` of the edition), or None
    when there is none."""
    if row["metric_id"] in (rules or {}):
        return rules[row["metric_id"]]
    indicator_id = row.get("indicator_id")
    if indicator_id and row["kind"] in GENERIC_RULES:
        return GENERIC_RULES[row["kind"]](indicator_id)
    return None


# --- judging -------------------------------------------------------------------------------------

def judge(stated: Stated, computed: Computed) -> tuple[str, str]:
    """(verdict, tolerance text) for a stated figure against its computed value."""
    if stated.lower_bound:
        return (OK if computed.value >= stated.value - EPS else MISMATCH), f"下限：不低于{fmt.number(stated.value)}"
    half = stated.half_unit
    tolerance = half * computed.parts
    diff = abs(computed.value - stated.value)
    if diff <= half + EPS:
        verdict = OK
    elif diff <= tolerance + EPS:
        verdict = ROUNDING
    else:
        verdict = MISMATCH
    if half == 0:
        text = "0（计数）"
    elif computed.parts > 1:
        text = f"±{fmt.number(tolerance)}（{computed.parts}项×{fmt.number(half)}）"
    else:
        text = f"±{fmt.number(half)}"
    return verdict, text


def _check(check_id: str, category: str, item: str, stated: Stated, rule: Rule | None, db: Edition) -> Check:
    if rule is None:
        return Check(check_id, category, item, stated.source, stated.text, fmt.MISSING, "—", UNCHECKABLE,
                     stated=stated, note="data/meta/audit.yml 的 metric_rules 未定义该数字的核查规则")
    try:
        computed = rule(db, stated)
    except (AuditInputMissing, ZeroDivisionError, ValueError) as err:
        return Check(check_id, category, item, stated.source, stated.text, fmt.MISSING, "—", UNCHECKABLE,
                     stated=stated, note=f"缺少输入：{err}")
    verdict, tolerance = judge(stated, computed)
    return Check(check_id, category, item, stated.source, stated.text, computed.text, tolerance, verdict,
                 formula=computed.formula, inputs=computed.inputs, stated=stated, computed=computed.value,
                 note=computed.note)


# --- the checks of each family --------------------------------------------------------------------

def _stated_rows(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    return frame[frame["year"] <= year]


def completion_checks(edition: Edition, year: int) -> list[Check]:
    """Every stated completion rate vs actual ÷ target (direction-aware), in the data of the edition
    the stated figure was entered for."""
    checks = []
    rows = edition.data.indicator_values
    rows = _stated_rows(rows[rows["kind"] == "stated_completion_pct"], year)
    cat = edition.data.indicators.set_index("indicator_id")
    for _, row in rows.iterrows():
        ind_id, at = row["indicator_id"], int(row["year"])
        ed = edition.as_of(int(row["edition"]))
        ref = _row_input(ed, row, "indicator_values.csv", ind_id, f"{cat.loc[ind_id, 'name']}完成度",
                         row["value"], "%")
        stated = Stated(ref.label, ref.value, "%", printed_decimals(ref.value), "stated_completion_pct",
                        row["source"], ref)
        direction = cat.loc[ind_id, "direction"]

        def rule(db: Edition, st: Stated, ind_id=ind_id, at=at, direction=direction) -> Computed:
            actual = _indicator(db, ind_id, "actual", at)
            if actual.year != at:
                raise AuditInputMissing(f"indicator_values.csv 无 {ind_id} {at}年实际值")
            target = _indicator(db, ind_id, "target", at)
            value = calc.completion_rate(actual.value, target.value, direction)
            formula = (f"{actual.number} ÷ {target.number} × 100" if direction == "higher"
                       else f"{target.number} ÷ {actual.number} × 100")
            return Computed(value, (actual, target), f"{formula} = {fmt.number(_half_up(value, 2), 2)}", "%")

        checks.append(_check(f"completion-{ind_id}-{at}", "完成度", ref.label, stated, rule, ed))
    return checks


def chain_share_checks(edition: Edition, year: int) -> list[Check]:
    """Every chain's stated share vs its output ÷ 规上工业总产值 of the same year."""
    checks = []
    rows = edition.data.chains
    rows = _stated_rows(rows[rows["stated_share_pct"].notna()], year)
    for _, row in rows.iterrows():
        at = int(row["year"])
        ed = edition.as_of(int(row["edition"]))
        ref = _row_input(ed, row, "chains.csv", row["chain_id"], f"{row['name']}产值占比",
                         row["stated_share_pct"], "%")
        stated = Stated(ref.label, ref.value, "%", printed_decimals(ref.value), "stated_share_pct", row["source"], ref)
        rule = share(CHAINS("output_100m_yuan", ids=(row["chain_id"],)), M(edition.scale_output_id))
        checks.append(_check(f"chain_share-{row['chain_id']}-{at}", "占比", ref.label, stated, rule, ed))
    return checks


def metric_checks(edition: Edition, year: int) -> list[Check]:
    """Every stated_* row of metrics.csv, by the registry or the generic rule of its kind."""
    checks = []
    rows = edition.data.metrics
    rows = _stated_rows(rows[rows["kind"].str.startswith("stated_")], year)
    rules = metric_rules(edition)
    for _, row in rows.iterrows():
        at = int(row["year"])
        ed = edition.as_of(int(row["edition"]))
        ref = _row_input(ed, row, "metrics.csv", row["metric_id"], row["name"], row["value"], row["unit"],
                         int(row["decimals"]))
        stated = Stated(row["name"], float(row["value"]), row["unit"], int(row["decimals"]), row["kind"],
                        row["source"], ref, row.get("qualifier") or "")
        category = KIND_CATEGORY.get(row["kind"], "增长、倍数与差距")
        suffix = {"stated_sum": "（合计）", "stated_count": "（计数）"}.get(row["kind"], "")
        item = row["name"] + suffix + ("（下限）" if stated.lower_bound else "")
        checks.append(_check(f"{row['metric_id']}-{row['kind']}-{at}", category, item, stated,
                             rule_for(row, rules), ed))
    return checks


@dataclass(frozen=True)
class PartsTotal:
    """A total stated as a figure of its own, with its parts elsewhere in the data."""

    check_id: str
    item: str
    stated: Ref
    parts: tuple[Ref, ...]
    source: str                # where the total is printed (the stated row may name another passage)
    year: int


@dataclass(frozen=True)
class NamedCount:
    """A count printed together with the names of what it counts (“4个产业集群”: four names)."""

    check_id: str
    metric_id: str
    names: tuple[str, ...]
    year: int


@dataclass(frozen=True)
class SameQuantity:
    """The same quantity printed twice; the two values should agree."""

    check_id: str
    item: str
    first: Ref
    second: Ref
    year: int
    note: str = ""


@dataclass(frozen=True)
class StatusClaim:
    """A qualitative claim about an indicator (达标, 接近目标) vs the status word its completion gives."""

    check_id: str
    item: str
    indicator_id: str
    source: str
    words: str                 # the claim as printed (a quote of the source)
    accepts: tuple[str, ...]   # status words that make the claim true
    year: int


@dataclass(frozen=True)
class MultipleClaim:
    """A claim in words about a multiple (“翻倍”) vs how the report words the computed multiple."""

    check_id: str
    item: str
    new: Ref
    old: Ref
    source: str
    words: str
    year: int


@dataclass(frozen=True)
class OverallClaim:
    """The source's summary of all core indicators (“超额领跑、少数接近”)."""

    check_id: str
    item: str
    source: str
    words: str
    year: int


def parts_totals(edition: Edition) -> list[PartsTotal]:
    return [PartsTotal(e["id"], e["item"], ref_from(e["stated"]), tuple(ref_from(p) for p in e["parts"]),
                       e["source"], int(e["edition"])) for e in edition.data.meta["audit"]["parts_totals"]]


def named_counts(edition: Edition) -> list[NamedCount]:
    return [NamedCount(e["id"], e["metric"], tuple(e["names"]), int(e["edition"]))
            for e in edition.data.meta["audit"]["named_counts"]]


def same_quantities(edition: Edition) -> list[SameQuantity]:
    return [SameQuantity(e["id"], e["item"], ref_from(e["first"]), ref_from(e["second"]), int(e["edition"]),
                         e.get("note", "")) for e in edition.data.meta["audit"]["same_quantities"]]


def claims(edition: Edition) -> list:
    out = []
    for e in edition.data.meta["audit"]["claims"]:
        common = dict(check_id=e["id"], item=e["item"], source=e["source"], words=e["words"], year=int(e["edition"]))
        if e["type"] == "overall":
            out.append(OverallClaim(**common))
        elif e["type"] == "status":
            out.append(StatusClaim(indicator_id=e["indicator"], accepts=tuple(e["accepts"]), **common))
        else:
            out.append(MultipleClaim(new=ref_from(e["new"]), old=ref_from(e["old"]), **common))
    return out


def _missing_input(check_id: str, category: str, item: str, err: Exception) -> Check:
    """A check whose inputs are not in the data (e.g. a later edition without that figure)."""
    return Check(check_id, category, item, "—", fmt.MISSING, fmt.MISSING, "—", UNCHECKABLE,
                 note=f"缺少输入：{err}")


def parts_total_checks(edition: Edition, year: int) -> list[Check]:
    checks = []
    for entry in parts_totals(edition):
        if year < entry.year:
            continue
        db = edition.as_of(entry.year)
        try:
            ref = entry.stated(db, entry.year)[0]
        except AuditInputMissing as err:
            checks.append(_missing_input(entry.check_id, "合计与计数", entry.item, err))
            continue
        stated = Stated(entry.item, ref.value, ref.unit, ref.decimals or 0, "stated_sum", entry.source, ref)
        rule = total(ALL(*entry.parts))
        checks.append(_check(entry.check_id, "合计与计数", entry.item, stated, rule, db))
    return checks


def named_count_checks(edition: Edition, year: int) -> list[Check]:
    checks = []
    for entry in named_counts(edition):
        if year < entry.year:
            continue
        db = edition.as_of(entry.year)
        try:
            ref = _metric(db, entry.metric_id, entry.year)
        except AuditInputMissing as err:
            checks.append(_missing_input(entry.check_id, "合计与计数", entry.metric_id, err))
            continue
        stated = Stated(ref.label, ref.value, ref.unit, 0, "stated_count", ref.provenance.source, ref)

        def rule(db: Edition, st: Stated, names=entry.names) -> Computed:
            return Computed(float(len(names)), (), f"原报告所列：{'、'.join(names)}，共{len(names)}{st.unit}",
                            st.unit, decimals=0)

        checks.append(_check(entry.check_id, "合计与计数", f"{ref.label}：数量与所列名称", stated, rule, db))
    return checks


def same_quantity_checks(edition: Edition, year: int) -> list[Check]:
    checks = []
    for entry in same_quantities(edition):
        if year < entry.year:
            continue
        db = edition.as_of(entry.year)
        try:
            a, b = entry.first(db, entry.year)[0], entry.second(db, entry.year)[0]
        except AuditInputMissing as err:
            checks.append(_missing_input(entry.check_id, "同一数字两处", entry.item, err))
            continue

        def half(i: Input) -> float:
            exact = i.unit in fmt.COUNT_UNITS and not i.decimals
            return 0.0 if exact else 0.5 * 10 ** (-(i.decimals if i.decimals is not None else printed_decimals(i.value)))

        tolerance = half(a) + half(b)
        diff = abs(a.value - b.value)
        verdict = OK if diff <= tolerance + EPS else MISMATCH
        year_a = f"（{a.year}年）" if a.year != b.year else ""
        year_b = f"（{b.year}年）" if a.year != b.year else ""
        diff_text = value_text(diff, "个百分点" if a.unit == "%" else a.unit, a.decimals or 0)
        checks.append(Check(
            entry.check_id, "同一数字两处", entry.item, f"{a.provenance.source}；{b.provenance.source}",
            f"{a.text}{year_a}；{b.text}{year_b}", f"相差{diff_text}",
            "0（计数）" if tolerance == 0 else f"±{fmt.number(tolerance)}", verdict,
            formula=f"|{a.number} − {b.number}| = {fmt.number(diff, a.decimals or 0)}",
            inputs=(a, b), computed=diff, note=entry.note))
    return checks


def _accepted(edition: Edition, accepts: tuple[str, ...]) -> tuple[str, ...]:
    """Status words a claim accepts: “reached” (the plan's words for a reached target) or a status key."""
    words = []
    for key in accepts:
        words += list(edition.plan.reached_words()) if key == "reached" else [edition.plan.status_words[key]]
    return tuple(words)


def _status_of(edition: Edition, indicator_id: str):
    ind = edition.indicator(indicator_id)
    return ind, ind.completion_pct, ind.status


def claim_checks(edition: Edition, year: int) -> list[Check]:
    """Every qualitative claim of CLAIMS that applies to the edition (a missing input → 无法核查)."""
    checks: list[Check] = []
    for claim in claims(edition):
        if year < claim.year:
            continue
        try:
            _claim_check(edition.as_of(claim.year), claim, checks)
        except (AuditInputMissing, KeyError) as err:
            checks.append(Check(claim.check_id, "文字表述", claim.item, claim.source, f"“{claim.words}”",
                                fmt.MISSING, "—", UNCHECKABLE, note=f"缺少输入：{err}"))
    return checks


def _claim_check(db: Edition, claim, checks: list[Check]) -> None:
    """Judge one claim and append its Check."""
    edition = db
    if isinstance(claim, StatusClaim):
        ind, completion, status = _status_of(edition, claim.indicator_id)
        inputs = []
        for kind in ("actual", "target"):
            try:
                inputs.append(_indicator(db, claim.indicator_id, kind, claim.year))
            except AuditInputMissing:
                pass
        if completion is None:
            checks.append(Check(claim.check_id, "文字表述", claim.item, claim.source, f"“{claim.words}”",
                                f"实际值{ind.actual.text}，原报告未载目标值", "—", UNCHECKABLE,
                                formula="完成度 = 实际值 ÷ 目标值（缺目标值）", inputs=tuple(inputs),
                                note="原报告未载该指标的基数和目标值，无法判断是否达标"))
            return
        verdict = OK if status in _accepted(edition, claim.accepts) else MISMATCH
        a, t = inputs
        checks.append(Check(claim.check_id, "文字表述", claim.item, claim.source, f"“{claim.words}”",
                            f"完成度{fmt.percent(completion)}，{status}", "—", verdict,
                            formula=f"{a.number} ÷ {t.number} × 100 = {fmt.number(_half_up(completion, 2), 2)} → {status}",
                            inputs=tuple(inputs), computed=completion))
    elif isinstance(claim, MultipleClaim):
        new, old = claim.new(db, claim.year)[0], claim.old(db, claim.year)[0]
        m = calc.multiple(new.value, old.value)
        words = fmt.multiple(m)
        verdict = OK if words == "翻倍" else MISMATCH
        checks.append(Check(claim.check_id, "文字表述", claim.item, claim.source, f"“{claim.words}”",
                            f"{fmt.number(_half_up(m, 1), 1)}倍", "—", verdict,
                            formula=f"{new.number} ÷ {old.number} = {fmt.number(_half_up(m, 2), 2)}",
                            inputs=(new, old), computed=m,
                            note="“翻倍”指约为2倍；数量上“至少翻倍”成立（见倍数下限核查）"))
    elif isinstance(claim, OverallClaim):
        core = edition.indicators(core=True)
        statuses = [i.status for i in core]
        words = edition.plan.status_words
        reached = sum(s in edition.plan.reached_words() for s in statuses)
        near = statuses.count(words["near"])
        behind = statuses.count(words["behind"])
        verdict = OK if (reached > near >= 1 and behind == 0) else MISMATCH
        inputs = []
        for i in core:
            for kind in ("actual", "target"):
                try:
                    inputs.append(_indicator(db, i.indicator_id, kind, claim.year))
                except AuditInputMissing:
                    pass
        checks.append(Check(claim.check_id, "文字表述", claim.item, claim.source, f"“{claim.words}”",
                            f"{len(core)}项中{reached}项达标、{near}项{words['near']}、{behind}项{words['behind']}", "—", verdict,
                            formula="按各核心指标完成度判断状态：“超额领跑、少数接近”即多数达标、少数接近且无滞后",
                            inputs=tuple(inputs)))


def run_audit(edition: Edition) -> list[Check]:
    """Every check of the edition's data, numbered in the order of the appendix table."""
    year = edition.year
    checks = (completion_checks(edition, year) + chain_share_checks(edition, year) + metric_checks(edition, year)
              + parts_total_checks(edition, year) + named_count_checks(edition, year)
              + same_quantity_checks(edition, year) + claim_checks(edition, year))
    checks += contradictions.all_checks(edition, year)
    order = {c: i for i, c in enumerate(CATEGORIES)}
    checks = sorted(checks, key=lambda c: order[c.category])  # stable: file order within a category
    return [replace(c, number=n) for n, c in enumerate(checks, start=1)]


# --- what the appendix shows ---------------------------------------------------------------------

def verdict_counts(checks: list[Check]) -> dict[str, int]:
    return {v: sum(1 for c in checks if c.verdict == v) for v in VERDICTS}


def summary_sentence(checks: list[Check]) -> str:
    """“共运行50项核查：一致42项，在舍入误差内1项，不一致5项，无法核查2项”."""
    counts = verdict_counts(checks)
    parts = "，".join(f"{v}{n}项" for v, n in counts.items() if n)
    by_cat = "、".join(f"{cat}{n}项" for cat in CATEGORIES if (n := sum(c.category == cat for c in checks)))
    return f"共运行{len(checks)}项核查（{by_cat}）：{parts}"


def coverage_sentence(edition: Edition) -> str:
    """How much of the plan's indicator set the source gives figures for."""
    planned_id = (edition.data.meta.get("audit") or {}).get("planned_indicators")
    planned = edition.metric(planned_id) if planned_id else missing_value("项", edition.year)
    with_values = edition.indicators()
    evaluable = [i for i in with_values if not (i.base.missing or i.target.missing or i.actual.missing)]
    head = (f"原报告称规划共有{fmt.count(planned.value, '项')}指标，" if not planned.missing else "")
    # the target year's edition computes completion only (no 序时进度, no projection to a year that has come)
    computed = "完成度" if edition.is_final else f"完成度、序时进度和{edition.plan.target_year}年外推值"
    return (f"{head}其中载有数值的{len(with_values)}项，载有基数、目标和实际值、可计算{computed}"
            f"的{len(evaluable)}项；其余指标原报告未载数值，无从核查")


def results_table(checks: list[Check]) -> pd.DataFrame:
    """表1-1: one row per check."""
    return pd.DataFrame([{
        "序号": str(c.number), "核查项": c.item, "原报告位置": c.source,
        "原报告数值": c.stated_text, "计算值": c.computed_text, "误差容限": c.tolerance_text,
        # No emphasis: a table cell is text (escaped), and its rows are read by the verdict word itself.
        "结论": c.verdict,
    } for c in checks])


def rows_text(inputs: tuple[Input, ...]) -> str:
    """Data rows, grouped by file, consecutive lines as ranges: “chains.csv 第2–10行〔二(一)1、二(一)2〕”."""
    groups: dict[str, list[Input]] = {}
    for i in inputs:
        groups.setdefault(i.provenance.file, []).append(i)
    parts = []
    for file, items in groups.items():
        lines = sorted(dict.fromkeys(i.provenance.line for i in items))
        spans, start, prev = [], lines[0], lines[0]
        for line in lines[1:] + [None]:
            if line is not None and line == prev + 1:
                prev = line
                continue
            spans.append(f"{start}" if start == prev else f"{start}–{prev}")
            if line is not None:
                start = prev = line
        sources = "、".join(dict.fromkeys(i.provenance.source for i in items))
        parts.append(f"{file} 第{'、'.join(spans)}行〔{sources}〕")
    return "；".join(parts)


def inputs_table(checks: list[Check]) -> pd.DataFrame:
    """表1-2: for each check the formula with its numbers, the data rows used and notes."""
    rows = []
    for c in checks:
        stated = f"原报告值：{rows_text((c.stated.ref,))}" if c.stated is not None else ""
        used = f"输入：{rows_text(c.inputs)}" if c.inputs else ""
        rows.append({
            "序号": str(c.number),
            "计算式": c.formula or "—",
            "数据来源与说明": "；".join(p for p in (stated, used, c.note) if p),
        })
    return pd.DataFrame(rows)


def method_text(plan) -> str:
    """The audit's rules, for the 核查报告 (constants and verdict words from this module, the band of
    “接近目标” from the edition's plan: meta/plan.yml near_target_pct)."""
    near = f"在{fmt.number(plan.near_target_pct)}%至100%之间"
    return "\n".join([
        "- **核查对象**：原报告中凡可由其他数字推算的数字（完成度、占比、合计、计数、增长率、倍数、百分点差、年均增量），"
        "以及同一数字在两处的表述、关于指标是否达标的文字表述。原报告所载的这些数字在数据表中以“stated_”开头的类型单独保存，"
        "不参与本报告的计算，只用于核查。",
        "- **计算方法**：按报告附录所列公式由原始数字重新计算；各项核查的计算式、所用数据行及其在原报告中的位置见表1-2。",
        "- **误差容限**：原报告数字按其印出的末位小数四舍五入，容限为末位的半个单位（如93.1%的容限为±0.05，5%为±0.5）；"
        "计数（家、个、项、条）为精确数，容限为0；n个已舍入数字之和，容限为n个半单位。",
        f"- **结论**：计算值按原报告的位数舍入后与原报告数值相同，为“{OK}”；合计与各部分之和的差不超过累积舍入误差，"
        f"为“{ROUNDING}”；超出容限，为“{MISMATCH}”；“超”“两位数”等下限表述，计算值不低于该下限即为“{OK}”；"
        f"缺少目标值等输入，为“{UNCHECKABLE}”。",
        f"- **文字表述**：“达标”“超额完成”“超目标值”须完成度不低于100%；“接近目标”须完成度{near}；"
        "“翻倍”须约为2倍（按本报告措辞规则，1.95至2.05倍）。“超额完成目标”所指各项须均载有目标值，"
        f"任一项未载目标即为“{UNCHECKABLE}”。",
        "- **增量与累计**：“新增X”须等于累计数减基数；原报告未载基数的，为“无法核查”。",
        "- **占比合理性**：同一占比在不同年份的两个数值，每年变动不应超过规定的百分点；"
        "一个占比不应低于其必然包含的产业的占比（如高技术产业（制造业）包含医药制造）。",
        "- **前后表述**：第四部分所述问题与第一部分所称成绩相对照；数据支持该成绩的，两处表述不能同时成立，为“不一致”。",
        "- **产业链名称**：原报告其他部分提到的产业链须在第二部分所列产业链之中。",
    ])


def finding_passages(narrative) -> list[str]:
    """Names of the year's finding passages (``finding-…``) in file order."""
    return [name for name in narrative.passages if name.startswith(FINDING_PREFIX)]


# The classes of lib/beichen/audit/contradictions.py: what they find is said with its evidence, not as a
# figure out of tolerance that the report replaces.
TEXT_CATEGORIES = ("占比合理性", "增量与累计", "前后表述", "产业链名称")


def default_finding(c: Check) -> str:
    """The data-generated description of a failing check that has no passage of its own."""
    # A check of words, names or plausibility (no stated figure the report replaces): its evidence speaks.
    if c.tolerance_text == "—" or c.category in TEXT_CATEGORIES:
        note = f"{c.note}。" if c.note else ""
        return f"**{c.item}**。原报告{c.source}：{c.stated_text}；核查：{c.computed_text}。{note}"
    if c.verdict == ROUNDING:
        tail = f"差异在{c.tolerance_text}的累积舍入误差之内。本报告合计数沿用原报告数值，分项按原报告列示"
    else:
        tail = f"超出误差容限（{c.tolerance_text}）。本报告采用按数据计算的数值"
    computed = f"按{c.formula}计算为{c.computed_text}" if c.formula else f"计算值为{c.computed_text}"
    return f"**{c.item}**。原报告{c.source}载为{c.stated_text}，{computed}，{tail}。"


def findings(checks: list[Check], narrative, treatment: dict[str, str] | None = None,
             place=None) -> list[str]:
    """原报告不一致之处: every check not 一致 (and not 无法核查), plus every check or textual point
    the year's narrative has a ``finding-<check_id>`` / ``finding-<name>`` passage for.

    Each item is numbered and carries the verdict of its check; the passage (quotes of the source
    passages by section) is rendered from the year's narrative; `treatment` ({check_id: text}) says
    what the edition does about each 不一致 (every one has a line: its resolution, or 尚未处理).
    `place` (check → “表1-1第17项”) says where the check is listed; by default 表1-1's row.
    """
    place = place or (lambda c: f"表1-1第{c.number}项")
    passages = finding_passages(narrative)
    by_check = {c.check_id: c for c in checks}
    items: list[tuple[str, Check | None]] = []
    # Contradictions first, then rounding differences, then points the narrative raises on
    # checks that pass or cannot be made; textual points (no check) last.
    for verdicts in ((MISMATCH,), (ROUNDING,), (UNCHECKABLE, OK)):
        for c in checks:
            name = FINDING_PREFIX + c.check_id
            if c.verdict in verdicts and (c.verdict in (MISMATCH, ROUNDING) or name in passages):
                items.append((name, c))
    items += [(name, None) for name in passages if name.removeprefix(FINDING_PREFIX) not in by_check]
    out = []
    for n, (name, c) in enumerate(items, start=1):
        text = narrative.render(name) if name in passages else default_finding(c)
        first, _, rest = text.partition("\n")
        tag = f"〔{place(c)}：{c.verdict}〕" if c is not None else "〔文字与口径〕"
        # What the edition does about a contradiction: the analyst's recorded decision, or that it is open.
        done = (treatment or {}).get(c.check_id) if c is not None and c.verdict == MISMATCH else None
        tail = f"\n\n{done}" if done else ""
        out.append(f"（{n}）{first}{tag}" + (f"\n{rest}" if rest else "") + tail)
    return out


# --- quotes of the source in the finding passages --------------------------------------------------
# A finding passage quotes the source as Markdown block-quote lines “> 一(一)3：<text>”; in <text>,
# “……” marks an omission and “｜” a cell boundary of the source's table (adjacent cells). The tests
# check that every quote, so rendered, is in the source (fragments in order, whitespace ignored).

def quotes(text: str) -> list[tuple[str, list[str]]]:
    """(label, fragments) of every block-quote line “> label：quote” of a rendered passage."""
    out = []
    for line in text.splitlines():
        line = line.strip()
        if not line.startswith(">"):
            continue
        body = line.lstrip(">").strip()
        label, sep, quote = body.partition("：")
        if not sep:
            continue
        # Cells of one table row are adjacent in the source: only “……” leaves a gap.
        fragments = [f.replace("｜", "") for f in quote.split("……") if f.strip()]
        out.append((label, fragments))
    return out


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def unquoted(text: str, source: str) -> list[str]:
    """Quotes of `text` that are not in `source` (each as label：quote); empty when all are found."""
    haystack = _squeeze(source)
    missing = []
    for label, fragments in quotes(text):
        at = 0
        for fragment in fragments:
            found = haystack.find(_squeeze(fragment), at)
            if found < 0:
                missing.append(f"{label}：{'……'.join(fragments)}（未找到“{fragment}”）")
                break
            at = found + len(_squeeze(fragment))
    return missing
