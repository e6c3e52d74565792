"""Every figure an edition shows, with where it comes from: what the provenance tables
(provenance.py) list and what the year-on-year comparison (year_on_year.py) compares."""
from __future__ import annotations

from dataclasses import dataclass, replace

from beichen.model.edition import Edition, Value


@dataclass(frozen=True)
class Figure:
    """One figure the edition shows, with where it comes from."""

    file: str
    what: str
    value: Value
    current: bool = True   # the figure the edition shows for it (a metric's latest year); False: history
    name: str = ""         # `what` without the year of a history figure

    @property
    def key(self) -> tuple[str, str]:
        return self.file, self.what


def _value_figures(edition: Edition) -> list[Figure]:
    """Every figure of the edition: indicators (base, target, actual), metrics (every row the
    edition knows, stated_* rows excepted: those are the audit's), chains (each column)."""
    out: list[Figure] = []
    kinds = {"base": "基数", "target": "目标", "actual": "实际值"}
    plan_years = {"base": edition.plan.base_year, "target": edition.plan.target_year}
    for ind in edition.indicators():
        for kind, word in kinds.items():
            value = getattr(ind, kind)
            if kind in plan_years:  # the model dates base and target by the edition; here: the plan's year
                value = replace(value, year=plan_years[kind])
            if not value.missing:
                out.append(Figure("indicator_values.csv", f"{ind.name}（{word}）", value))
    metrics = edition.data.metrics
    metrics = metrics[~metrics["kind"].str.startswith("stated_")]
    # Of each metric the edition shows the latest year up to its own (a target: the latest); that
    # figure is named without a year, so it pairs with last year's edition in `changes`. Other years
    # (the base year, an in-year snapshot) are listed with their year.
    latest = {}
    for _, row in metrics.iterrows():
        key, year = (row["metric_id"], row["kind"]), int(row["year"])
        if row["kind"] == "target" or year <= edition.year:
            latest[key] = max(latest.get(key, year), year)
    seen = set()
    for _, row in metrics.iterrows():
        key = (row["metric_id"], row["kind"], int(row["year"]))
        if key in seen:
            continue
        seen.add(key)
        year = int(row["year"])
        value = replace(edition.metric(row["metric_id"], row["kind"], year=year), year=year)
        word = "目标" if row["kind"] == "target" else ""
        current = latest.get(key[:2]) == year
        what = f"{row['name']}{word}" if current else f"{row['name']}{word}（{year}年）"
        out.append(Figure("metrics.csv", what, value, current, f"{row['name']}{word}"))
    frame = edition.chains()
    for _, row in frame.sort_index().iterrows():
        for column in ("enterprises", "output_100m_yuan", "yoy_growth_pct"):
            value = edition.chain_value(row, column)
            if not value.missing:
                out.append(Figure("chains.csv", value.label, value))
    return out


def figures(data, year: int) -> list[Figure]:
    """The figures of the edition of `year` (a scratch edition: the report's missing list stays as is)."""
    return _value_figures(Edition(data, year))
