"""Derived figures of an edition — shares, sums, growth and multiples the report prints.

`derived_figures(edition)` returns {name: DerivedFigure}; chapters and narrative templates
print them (``{{ k.in_chain_share }}``) and the data audit compares them with what the
source states. Any missing input gives “暂无数据”, never a crash or a stale number.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from beichen.model import formulas as calc
from beichen import formatting as fmt
from beichen.model.edition import Edition, Value

OVER_100_THRESHOLD = 100.0  # 亿元: the source's “超百亿元产业链”


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
    over = chains[chains["output_100m_yuan"] >= OVER_100_THRESHOLD]
    top2 = chains.nlargest(2, "output_100m_yuan")
    return {
        "firms": edition.chain_total("enterprises", chains),
        "output": edition.chain_total("output_100m_yuan", chains),
        "over_100_output": edition.chain_total("output_100m_yuan", over, "超百亿元产业链产值合计"),
        "over_100_count": edition.chain_count(over, "超百亿元产业链条数"),
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

    The source's stated sum (metrics.csv chain_output, stated_sum) only when it is of the year the
    chain rows are summed over, no row of that year was entered or revised after it, and it equals
    their sum within the rows' rounding (1294.1 against 1294.3 over nine rows in 2024); otherwise the
    sum of that year's rows (a revised 2024 row makes 1295.7, not the source's 1294.1)."""
    totals = chain_totals(edition) if totals is None else totals
    computed = totals["output"]
    if computed.missing or not edition.has_metric("chain_output"):
        return computed
    stated = edition.metric("chain_output", "stated_sum")
    rows = edition.chains_of_year(computed.year)
    if (stated.missing or stated.year != computed.year
            or rows["edition"].max() > stated.provenance.edition
            or abs(stated.value - computed.value) > _ROW_ROUNDING * len(rows) + 1e-9):
        return computed
    return stated


def _same_year_total(edition: Edition, part: Value) -> Value:
    """规模以上工业总产值 of the part's own year (a share never divides one year by another's total)."""
    if part.missing:
        return part
    return edition.metric("above_scale_industrial_output", year=part.year)


def derived_figures(edition: Edition) -> dict[str, DerivedFigure]:
    m = edition.metric
    base_year = edition.plan.base_year
    chains = chain_totals(edition)
    chain_output = in_chain_output(edition, chains)
    hightech = edition.indicator("hightech_firms")
    smart = edition.indicator("smart_factories_digital_workshops")
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
        _derive("hightech_growth", calc.growth_pct, pct, hightech.actual, hightech.base),
        _view_figure("hightech_avg_increase", hightech, hightech.avg_annual_change,
                     lambda x: f"约{fmt.count(x, hightech.measure)}"),
        _derive("first_sets_multiple", calc.multiple, fmt.multiple, m("first_sets"),
                m("first_sets", year=base_year)),
        _derive("champions_growth", calc.growth_pct, pct, m("single_champions"),
                m("single_champions", year=base_year)),
        _derive("smart_growth", calc.growth_pct, pct, smart.actual, smart.base),
        _derive("smart_multiple", calc.multiple, fmt.multiple, smart.actual, smart.base),
        _derive("green_factories_sum", lambda a, b: a + b, lambda x: fmt.count(x, "家"),
                m("national_green_factories"), m("municipal_green_factories")),
        _derive("im_projects_sum", lambda a, b, c: a + b + c, lambda x: fmt.count(x, "个"),
                m("im_projects_new_model"), m("im_projects_pilot_demo"), m("im_projects_solution_providers")),
        _derive("district_match_ratio", calc.share_pct, lambda x: pct(x, 0),
                m("district_matching_funds"), m("municipal_special_funds")),
        _derive("smart_factories_to_go", lambda target, actual: target - actual,
                lambda x: fmt.count(x, "个"), m("smart_factories_target_5y", "target"), smart.actual),
    ]
    return {f.name: f for f in figures}


def _view_figure(name: str, view, value: float | None, printer: Callable[[float], str]) -> DerivedFigure:
    """A figure the indicator's view computed (one home for it), printed with the actual's vintage."""
    if value is None:
        return DerivedFigure(name, None, fmt.MISSING, (view.actual, view.base))
    text = fmt.vintage(printer(value), view.actual.year, view.actual.report_year)
    return DerivedFigure(name, value, text, (view.actual, view.base))
