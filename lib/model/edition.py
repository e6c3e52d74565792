"""The edition's view of the data: for report year Y, the latest value up to Y, with its vintage.

Every lookup that finds nothing is recorded in `Edition.missing`, so the build can list every
missing figure of a year instead of crashing or passing off a stale number as current.
"""
from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass, field

import pandas as pd

from beichen.model import formulas as calc
from beichen.render import formatting as fmt
from beichen.inputs.loading import ReportData
from beichen.paths import PLAN_BASE_YEAR, PLAN_TARGET_YEAR


@dataclass(frozen=True)
class Value:
    """One figure as the edition sees it: the number, the year it refers to, how to print it."""

    value: float | None
    year: int | None
    unit: str
    report_year: int
    decimals: int | None = None  # None: print as stated (shortest exact form)

    @property
    def missing(self) -> bool:
        return self.value is None or (isinstance(self.value, float) and math.isnan(self.value))

    @property
    def stale(self) -> bool:
        """True when the value refers to an earlier year than the report year."""
        return not self.missing and self.year is not None and self.year < self.report_year

    @property
    def plain(self) -> str:
        """Number and unit, without the vintage: “49.8%”."""
        if self.missing:
            return fmt.MISSING
        return fmt.value_with_unit(self.value, self.unit, self.decimals)

    @property
    def text(self) -> str:
        """Number, unit and — when older than the report year — its year: “49.8%（2023年）”."""
        return fmt.vintage(self.plain, self.year, self.report_year)

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class IndicatorView:
    """An evaluation indicator in one edition, with everything derived from it."""

    indicator_id: str
    name: str
    dimension: str
    unit: str
    direction: str
    core: bool
    base: Value
    target: Value
    actual: Value
    # The actual of the year before the actual's year, when the data has it (year-over-year).
    previous: Value | None = None

    @property
    def change_from_previous(self) -> float | None:
        """actual − previous year's actual, in the indicator's unit (points for %); None without both."""
        if self.previous is None or self.previous.missing or self.actual.missing:
            return None
        return calc.pp_gap(self.actual.value, self.previous.value)

    @property
    def complete(self) -> bool:
        return not (self.actual.missing or self.target.missing)

    @property
    def completion_pct(self) -> float | None:
        if not self.complete:
            return None
        return calc.completion_rate(self.actual.value, self.target.value, self.direction)

    @property
    def status(self) -> str:
        if self.completion_pct is None:
            return fmt.MISSING
        return calc.status_word(self.completion_pct, self.actual.year)

    @property
    def gap_to_target(self) -> float | None:
        """actual − target, in the indicator's unit (percentage points for %)."""
        if not self.complete:
            return None
        return calc.pp_gap(self.actual.value, self.target.value)

    @property
    def change_since_base(self) -> float | None:
        if self.actual.missing or self.base.missing:
            return None
        return calc.pp_gap(self.actual.value, self.base.value)

    @property
    def elapsed(self) -> float | None:
        """Share of the plan elapsed at the year the actual refers to (not the report year)."""
        if self.actual.missing:
            return None
        return calc.elapsed_share(min(max(self.actual.year, PLAN_BASE_YEAR), PLAN_TARGET_YEAR))

    @property
    def progress(self) -> float | None:
        if self.actual.missing or self.base.missing or self.target.missing:
            return None
        return calc.plan_progress(self.actual.value, self.base.value, self.target.value)

    @property
    def schedule(self) -> str:
        if self.progress is None:
            return fmt.MISSING
        return calc.schedule_verdict(self.progress, self.elapsed)


ENTRY_SOURCE = re.compile(r"^年度补录(\d{4})")


def as_of_edition(data: ReportData, year: int) -> ReportData:
    """The data as the edition of `year` knew it: without rows imported for a later edition.

    `make import YEAR=2025` may add a late 2024 figure (source “年度补录2025”); the 2024 edition
    keeps the figures it was published with, so rebuilding it gives the same numbers.
    """
    def known(frame: pd.DataFrame) -> pd.DataFrame:
        entry_year = frame["source"].str.extract(ENTRY_SOURCE, expand=False).astype(float)
        return frame[~(entry_year > year)].reset_index(drop=True)

    if not any(frame["source"].str.match(ENTRY_SOURCE).any()
               for frame in (data.indicator_values, data.metrics, data.chains)):
        return data
    return dataclasses.replace(data, indicator_values=known(data.indicator_values),
                               metrics=known(data.metrics), chains=known(data.chains))


@dataclass
class Edition:
    """All figures of report year `year`, looked up from validated data."""

    data: ReportData
    year: int
    missing: list[str] = field(default_factory=list)

    def __post_init__(self):
        self.data = as_of_edition(self.data, self.year)

    def _note_missing(self, what: str) -> None:
        if what not in self.missing:
            self.missing.append(what)

    # -- indicators -----------------------------------------------------------------------
    def indicator_ids(self, core: bool | None = None) -> list[str]:
        cat = self.data.indicators
        if core is not None:
            cat = cat[cat["core"] == core]
        return list(cat["indicator_id"])

    def _indicator_value(self, indicator_id: str, kind: str, unit: str, decimals: int | None,
                         required: bool = True) -> Value:
        rows = self.data.indicator_values
        rows = rows[(rows["indicator_id"] == indicator_id) & (rows["kind"] == kind)]
        if kind == "actual":
            rows = rows[rows["year"] <= self.year]
        if rows.empty:
            if required:
                self._note_missing(f"{indicator_id} ({kind})")
            return Value(None, None, unit, self.year, decimals)
        row = rows.sort_values("year").iloc[-1]
        # base and target describe the plan, not a moment: they are never “stale”.
        year = int(row["year"]) if kind == "actual" else self.year
        return Value(float(row["value"]), year, unit, self.year, decimals)

    def indicator(self, indicator_id: str) -> IndicatorView:
        cat = self.data.indicators.set_index("indicator_id")
        if indicator_id not in cat.index:
            raise KeyError(f"unknown indicator {indicator_id!r}; known: {sorted(cat.index)}")
        meta = cat.loc[indicator_id]
        unit = meta["unit"]
        return IndicatorView(
            indicator_id=indicator_id, name=meta["name"], dimension=meta["dimension"], unit=unit,
            direction=meta["direction"], core=bool(meta["core"]),
            # Only core indicators are evaluated against a base and target; others may have neither.
            base=self._indicator_value(indicator_id, "base", unit, None, required=bool(meta["core"])),
            target=self._indicator_value(indicator_id, "target", unit, None, required=bool(meta["core"])),
            actual=(actual := self._indicator_value(indicator_id, "actual", unit, None)),
            previous=None if actual.missing else self.previous_actual(indicator_id, actual.year),
        )

    def previous_actual(self, indicator_id: str, year: int) -> Value | None:
        """The actual of `year` − 1 exactly, or None (no year-over-year then; not recorded as missing)."""
        rows = self.data.indicator_values
        rows = rows[(rows["indicator_id"] == indicator_id) & (rows["kind"] == "actual")
                    & (rows["year"] == year - 1)]
        if rows.empty:
            return None
        unit = self.data.indicators.set_index("indicator_id").loc[indicator_id, "unit"]
        return Value(float(rows["value"].iloc[0]), year - 1, unit, self.year)

    def indicators(self, core: bool | None = None) -> list[IndicatorView]:
        return [self.indicator(i) for i in self.indicator_ids(core)]

    # -- metrics --------------------------------------------------------------------------
    def metric(self, metric_id: str, kind: str = "actual", year: int | None = None) -> Value:
        """Latest value of a metric up to the report year.

        year: ask for exactly that year instead (e.g. the in-year snapshot after the report year).
        Targets describe a plan, not a moment: the latest target is used whatever its year.
        """
        rows = self.data.metrics
        known = rows[rows["metric_id"] == metric_id]
        if known.empty:
            raise KeyError(f"unknown metric {metric_id!r} (not in metrics.csv)")
        rows = known[known["kind"] == kind]
        if year is not None:
            rows = rows[rows["year"] == year]
        elif kind != "target":
            rows = rows[rows["year"] <= self.year]
        unit = known["unit"].iloc[0]
        if rows.empty:
            self._note_missing(f"{metric_id} ({kind}{'' if year is None else f', {year}'})")
            return Value(None, year, unit, self.year)
        row = rows.sort_values("year").iloc[-1]
        shown_year = self.year if kind == "target" else int(row["year"])
        return Value(float(row["value"]), shown_year, unit, self.year)

    def metric_name(self, metric_id: str) -> str:
        rows = self.data.metrics[self.data.metrics["metric_id"] == metric_id]
        if rows.empty:
            raise KeyError(f"unknown metric {metric_id!r}")
        return rows["name"].iloc[0]

    # -- chains ---------------------------------------------------------------------------
    def chains_year(self) -> int | None:
        years = self.data.chains.loc[self.data.chains["year"] <= self.year, "year"]
        return int(years.max()) if not years.empty else None

    def chains(self) -> pd.DataFrame:
        """The chains of the latest year up to the report year, largest output first."""
        year = self.chains_year()
        if year is None:
            self._note_missing("chains (产业链数据)")
            return self.data.chains.iloc[0:0].copy()
        frame = self.data.chains[self.data.chains["year"] == year].copy()
        return frame.sort_values("output_100m_yuan", ascending=False).reset_index(drop=True)

    def lookup(self, figure_id: str, kind: str = "actual") -> Value:
        """A metric or an indicator value by id — the narrative templates' single entry point."""
        if figure_id in set(self.data.metrics["metric_id"]):
            return self.metric(figure_id, kind)
        if figure_id in set(self.data.indicators["indicator_id"]):
            view = self.indicator(figure_id)
            return {"base": view.base, "target": view.target, "actual": view.actual}[kind]
        raise KeyError(f"unknown figure {figure_id!r}: not a metric_id in metrics.csv nor an indicator_id")
