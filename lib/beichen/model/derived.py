"""Derived figures of an edition — shares, sums, growth and multiples the report prints.

`derived_figures(edition)` returns {name: DerivedFigure}; chapters and narrative templates
print them (``{{ k.in_chain_share }}``) and the data audit compares them with what the
source states. Any missing input gives “暂无数据”, never a crash or a stale number.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

from beichen.model import formulas as calc
from beichen import formatting as fmt
from beichen.model.edition import Edition, Value, missing_value


def large_chains(edition: Edition) -> tuple[float, str] | None:
    """The class of large chains the report names (data/meta/report.yml `large_chains`: min_output in 亿元
    and name, e.g. 100 and 超百亿元产业链), or None: a plan that names none has no such class, and its
    report no sentence, chart note or 表0-1 row about it."""
    spec = (edition.data.meta.get("report") or {}).get("large_chains") or {}
    if not spec:
        return None
    if "min_output" not in spec or not spec.get("name"):
        raise DerivedRuleError("report.yml: large_chains 应有 min_output（产值下限，亿元）和 name（如 超百亿元产业链）；"
                               "修正：按 templates/plan/meta/report.yml 的说明填写，或删去 large_chains")
    return float(spec["min_output"]), str(spec["name"])


@dataclass(frozen=True)
class DerivedFigure:
    """A computed number with its printed form and the inputs it came from."""

    name: str
    value: float | None
    text: str
    inputs: tuple[Value, ...] = ()

    @property
    def year(self) -> int | None:
        """The year the figure is of: its first input's (None when missing or of no year, e.g. the plan's chains)."""
        return None if self.value is None or not self.inputs else self.inputs[0].year

    @property
    def stale(self) -> bool:
        """True when the figure is of a year before the edition's (its text then carries the year)."""
        return self.value is not None and bool(self.inputs) and self.inputs[0].stale

    def __str__(self) -> str:
        return self.text


def _derive(name: str, fn: Callable[..., float], printer: Callable[[float], str],
            *inputs: Value) -> DerivedFigure:
    if any(v.missing for v in inputs):
        return DerivedFigure(name, None, fmt.MISSING, inputs)
    value = fn(*(v.value for v in inputs))
    # The first input is the current figure (later ones are bases or totals): its year
    # is the derived figure's vintage.
    text = fmt.vintage(printer(value), inputs[0].year, inputs[0].report_year)
    return DerivedFigure(name, value, text, inputs)


def chain_totals(edition: Edition) -> dict[str, Value]:
    """Sums over the chains, each over the rows of one year: the latest year every chain has
    (`Edition.chains_common_year`), so a year entered for a few chains is never summed, counted or
    ranked as if it were all of them. The number of chains is the plan's, with no year."""
    chains = edition.chains_of_year(edition.chains_common_year())
    large = large_chains(edition)
    threshold, name = large if large else (math.inf, "")   # no class: no chain is in it, its figures missing
    over = chains[chains["output_100m_yuan"] >= threshold]
    top2 = chains.nlargest(2, "output_100m_yuan")
    return {
        "firms": edition.chain_total("enterprises", chains),
        "output": edition.chain_total("output_100m_yuan", chains),
        "over_100_output": (edition.chain_total("output_100m_yuan", over, f"{name}产值合计") if large
                            else missing_value("亿元", edition.year)),
        "over_100_count": edition.chain_count(over, f"{name}条数") if large else missing_value("条", edition.year),
        "top2_output": edition.chain_total("output_100m_yuan", top2, "产值前两位产业链产值合计"),
        "count": edition.chain_count(),
    }


def top2_chain_names(edition: Edition) -> list[str]:
    """The two chains of largest output in the year the chain totals are of (as `top2_share` sums)."""
    chains = edition.chains_of_year(edition.chains_common_year())
    return list(chains.nlargest(2, "output_100m_yuan")["name"])


# Rounding leeway of a stated chain total against the sum of its rows: each row carries one decimal.
_ROW_ROUNDING = 0.05


def in_chain_output(edition: Edition, totals: dict[str, Value] | None = None) -> Value:
    """在链企业完成工业产值 as the edition prints it, agreeing with the chain table.

    The source's stated sum (the metric report.yml `stated_chain_output` names, kind stated_sum) only when it is of the year the
    chain rows are summed over, no row of that year was entered or revised after it, and it equals
    their sum within the rows' rounding (1294.1 against 1294.3 over nine rows in 2024); otherwise the
    sum of that year's rows (a revised 2024 row makes 1295.7, not the source's 1294.1)."""
    totals = chain_totals(edition) if totals is None else totals
    computed = totals["output"]
    stated_id = (edition.data.meta.get("report") or {}).get("stated_chain_output")
    if computed.missing or not stated_id or not edition.has_metric(stated_id):
        return computed
    stated = edition.metric(stated_id, "stated_sum")
    rows = edition.chains_of_year(computed.year)
    if (stated.missing or stated.year != computed.year
            or rows["edition"].max() > stated.provenance.edition
            or abs(stated.value - computed.value) > _ROW_ROUNDING * len(rows) + 1e-9):
        return computed
    return stated


def _same_year_total(edition: Edition, part: Value) -> Value:
    """The scale output (report.yml `scale_output`, e.g. 规模以上工业总产值) of the part's own year: a
    share never divides one year by another's total. Missing when the plan names no scale output."""
    total_id = scale_output_id(edition)
    if part.missing or total_id is None:
        return part if part.missing else missing_value(part.unit, edition.year)
    return edition.metric(total_id, year=part.year)


def scale_output_id(edition: Edition) -> str | None:
    """The metric the chain shares are shares of (data/meta/report.yml `scale_output`), or None."""
    return (edition.data.meta.get("report") or {}).get("scale_output") or None


class DerivedRuleError(ValueError):
    """A `derived` entry of report.yml that cannot be computed as written."""


def _current_and_base(edition: Edition, figure_id: str) -> tuple[Value, Value]:
    """An indicator's actual and base (its view), or a metric's latest value and its base-year value."""
    if edition.has_metric(figure_id):
        return edition.metric(figure_id), edition.metric(figure_id, year=edition.plan.base_year)
    view = edition.indicator(figure_id)
    return view.actual, view.base


def _current(edition: Edition, figure_id: str) -> Value:
    return edition.metric(figure_id) if edition.has_metric(figure_id) else edition.indicator(figure_id).actual


def _from_rule(edition: Edition, name: str, rule: dict) -> DerivedFigure:
    """One figure of report.yml `derived` (the template documents each op)."""
    op = rule.get("op")
    pct = fmt.percent
    if op == "growth_since_base":
        return _derive(name, calc.growth_pct, pct, *_current_and_base(edition, rule["figure"]))
    if op == "multiple_since_base":
        return _derive(name, calc.multiple, fmt.multiple, *_current_and_base(edition, rule["figure"]))
    if op == "avg_increase":
        view = edition.indicator(rule["figure"])
        return _view_figure(name, view, view.avg_annual_change, lambda x: f"约{fmt.count(x, view.measure)}")
    if op == "sum":
        unit = rule.get("unit") or "个"
        return _derive(name, lambda *parts: sum(parts), lambda x: fmt.count(x, unit),
                       *(_current(edition, f) for f in rule["figures"]))
    if op == "share":
        decimals = rule.get("decimals", 1)
        part, whole = rule["figures"]
        return _derive(name, calc.share_pct, lambda x: pct(x, decimals), _current(edition, part),
                       _current(edition, whole))
    if op == "to_go":
        unit = rule.get("unit") or "个"
        return _derive(name, lambda target, actual: target - actual, lambda x: fmt.count(x, unit),
                       edition.metric(rule["target"], "target"), _current(edition, rule["figure"]))
    raise DerivedRuleError(f"report.yml: derived.{name}: op “{op}” 不是可用的计算"
                           "（growth_since_base、multiple_since_base、avg_increase、sum、share、to_go）；"
                           "修正：按 templates/plan/meta/report.yml 的说明填写")


def derived_figures(edition: Edition) -> dict[str, DerivedFigure]:
    """The chain figures every plan with chains has, then the plan's own (report.yml `derived`)."""
    chains = chain_totals(edition)
    chain_output = in_chain_output(edition, chains)
    pct = fmt.percent
    figures = [
        _derive("in_chain_share", calc.share_pct, pct, chain_output, _same_year_total(edition, chain_output)),
        DerivedFigure("in_chain_output", chain_output.value, chain_output.text, (chain_output,)),
        _derive("in_chain_firms_sum", lambda x: x, lambda x: fmt.count(x, "家"), chains["firms"]),
        _derive("in_chain_output_sum", lambda x: x, fmt.yi, chains["output"]),
        _derive("chains_count", lambda x: x, lambda x: fmt.count(x, "条"), chains["count"]),
        _derive("over_100_count", lambda x: x, lambda x: fmt.count(x, "条"), chains["over_100_count"]),
        _derive("over_100_share", calc.share_pct, pct, chains["over_100_output"],
                _same_year_total(edition, chains["over_100_output"])),
        _derive("top2_share", calc.share_pct, pct, chains["top2_output"],
                _same_year_total(edition, chains["top2_output"])),
    ]
    rules = (edition.data.meta.get("report") or {}).get("derived") or {}
    figures += [_from_rule(edition, name, rule) for name, rule in rules.items()]
    return {f.name: f for f in figures}


def _view_figure(name: str, view, value: float | None, printer: Callable[[float], str]) -> DerivedFigure:
    """A figure the indicator's view computed (one home for it), printed with the actual's vintage."""
    if value is None:
        return DerivedFigure(name, None, fmt.MISSING, (view.actual, view.base))
    text = fmt.vintage(printer(value), view.actual.year, view.actual.report_year)
    return DerivedFigure(name, value, text, (view.actual, view.base))
