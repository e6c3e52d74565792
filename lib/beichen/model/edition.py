"""The one edition model: what edition Y shows for every figure, with its year and provenance.

Every consumer (sentences, tables, charts and their data, projection, audit, data downloads) asks an
`Edition`; none looks a figure up in the data on its own. An edition sees only the rows entered for
it or an earlier edition (column ``edition``), so figures imported later never change it; for each
figure it takes the latest value up to its year, and says how old it is (“49.8%（2023年）”).
The per-indicator figures — completion, gap, progress, schedule verdict, status, change on the
previous year, average yearly change since the base — are computed once, on `IndicatorView`.

Every lookup that finds nothing is recorded in `Edition.missing`, so the build can list every
missing figure of a year instead of crashing or passing off a stale number as current.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING

import pandas as pd

from beichen import formatting as fmt
from beichen.model import formulas
from beichen.inputs.plan import Plan
from beichen.model.reads import Reads, RecordingData, recorded

if TYPE_CHECKING:  # the loader builds ReportData; the model only reads it
    from beichen.inputs.loading import ReportData


@dataclass(frozen=True)
class Provenance:
    """Where a figure comes from: its data row, the source's section, the edition it was entered for."""

    file: str      # data file, e.g. “metrics.csv”
    line: int      # line in that file (the header is line 1)
    key: str       # the row's id (indicator_id, metric_id, chain_id)
    source: str    # human-readable citation: the source's section (“一(二)表”) or an office (“区统计局”)
    edition: int   # the edition the row was entered for

    @property
    def cite(self) -> str:
        """“metrics.csv 第5行（一(一)1）” — for the analyst's 核查报告, never the report."""
        return f"{self.file} 第{self.line}行（{self.source}）"


@dataclass(frozen=True)
class Value:
    """One figure as the edition sees it: the number, the year it refers to, how to print it, whence."""

    value: float | None
    year: int | None
    unit: str
    report_year: int
    decimals: int | None = None  # None: print as stated (shortest exact form)
    provenance: Provenance | None = None
    label: str = ""              # what the figure is, e.g. “国家级高新技术企业数量2020年基数”
    qualifier: str = ""          # how the source qualifies a round number: 超, 余, 近 (“超200家”, “20余家”)

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
        return fmt.qualified(fmt.value_with_unit(self.value, self.unit, self.decimals), self.qualifier,
                             fmt.number(self.value, self.decimals), self.unit)

    @property
    def text(self) -> str:
        """Number, unit and — when older than the report year — its year: “49.8%（2023年）”."""
        return fmt.vintage(self.plain, self.year, self.report_year)

    @property
    def number(self) -> str:
        """The bare number as stated: “49.8”."""
        return fmt.number(self.value)

    def __str__(self) -> str:
        return self.text


def missing_value(unit: str, report_year: int, label: str = "", year: int | None = None) -> Value:
    return Value(None, year, unit, report_year, label=label)


@dataclass(frozen=True)
class IndicatorView:
    """An evaluation indicator in one edition, with every figure derived from it, computed once."""

    indicator_id: str
    name: str
    dimension: str
    unit: str
    direction: str
    core: bool
    decimals: int
    base: Value
    target: Value
    actual: Value
    plan: Plan
    # The actual of the year before the actual's year, when the data has it (year-over-year).
    previous: Value | None = None

    @property
    def measure(self) -> str:
        """The measure word of a count (家/个), or the unit."""
        return self.unit

    @property
    def complete(self) -> bool:
        return not (self.actual.missing or self.target.missing)

    @cached_property
    def completion_pct(self) -> float | None:
        """actual ÷ target × 100 (the inverse for lower-is-better indicators)."""
        if not self.complete:
            return None
        return formulas.completion_rate(self.actual.value, self.target.value, self.direction)

    @cached_property
    def status(self) -> str:
        if self.completion_pct is None:
            return fmt.MISSING
        # 提前完成 only before the target year: in the target year's edition an older actual that
        # reached the target is 完成 (whether it was reached “early” is no longer the question).
        return self.plan.status_word(self.completion_pct, max(self.actual.year, self.actual.report_year),
                                     self.schedule)

    @property
    def reached(self) -> bool:
        return self.status in self.plan.reached_words()

    @cached_property
    def final_verdict(self) -> str:
        """The final evaluation's verdict (超额完成 / 完成 / 未完成, `Plan.final_word`), for the target
        year's edition, which assesses completion instead of progress."""
        if self.completion_pct is None:
            return fmt.MISSING
        return self.plan.final_word(self.completion_pct)

    @cached_property
    def gap_beyond_target(self) -> float | None:
        """How far the actual lies beyond the target in the indicator's better direction (negative: short
        of it), in the indicator's unit (percentage points for %): 40.4 against 37 → 3.4."""
        if self.gap_to_target is None:
            return None
        return self.gap_to_target if self.direction == "higher" else -self.gap_to_target

    @cached_property
    def gap_to_target(self) -> float | None:
        """actual − target, in the indicator's unit (percentage points for %)."""
        if not self.complete:
            return None
        return formulas.pp_gap(self.actual.value, self.target.value)

    @cached_property
    def change_since_base(self) -> float | None:
        if self.actual.missing or self.base.missing:
            return None
        return formulas.pp_gap(self.actual.value, self.base.value)

    @cached_property
    def change_from_previous(self) -> float | None:
        """actual − previous year's actual, in the indicator's unit (points for %); None without both."""
        if self.previous is None or self.previous.missing or self.actual.missing:
            return None
        return formulas.pp_gap(self.actual.value, self.previous.value)

    @property
    def years_since_base(self) -> int | None:
        """Years from the base to the actual's year (2020 → 2024: 4); None without an actual."""
        if self.actual.missing:
            return None
        return self.plan.years_since_base(self.actual.year)

    @cached_property
    def avg_annual_change(self) -> float | None:
        """(actual − base) ÷ years from the base year to the actual's year, in the indicator's unit.

        Hand-worked: 高新技术企业 442 (2020) → 715 (2024): (715 − 442) ÷ 4 = 68.25家 a year. The year is the
        actual's own, not the edition's: a 2024 figure in the 2025 edition is still 4 years of change."""
        if self.change_since_base is None or not self.years_since_base or self.years_since_base <= 0:
            return None
        return formulas.avg_annual_increase(self.actual.value, self.base.value, self.years_since_base)

    @cached_property
    def elapsed(self) -> float | None:
        """Share of the plan elapsed at the year the actual refers to (not the report year)."""
        if self.actual.missing:
            return None
        return self.plan.elapsed_share(self.actual.year)

    @property
    def progress_defined(self) -> bool:
        return not (self.actual.missing or self.base.missing or self.target.missing
                    or self.base.value == self.target.value)

    @cached_property
    def progress(self) -> float | None:
        """(actual − base) ÷ (target − base), 0–1 and beyond."""
        if not self.progress_defined:
            return None
        return formulas.plan_progress(self.actual.value, self.base.value, self.target.value)

    @property
    def progress_explodes(self) -> bool:
        """The target lies so close to its base (less than the plan's target_step_min_pct of the base)
        that progress says more about the target than the indicator: 37% against a base of 36.6% gives
        800%. The report then says “已超出目标X个百分点” instead of printing the ratio."""
        if self.progress is None:
            return False
        step = abs(self.target.value - self.base.value)
        return step < self.plan.target_step_min_pct / 100 * abs(self.base.value)

    @cached_property
    def schedule(self) -> str:
        if self.progress is None:
            return fmt.MISSING
        return self.plan.schedule_verdict(self.progress, self.elapsed)


class Edition:
    """All figures of report year `year`, looked up from validated data.

    With `reads` (a chapter's edition), every outermost query and every table or metadata list read
    directly is recorded with a digest of its answer (lib/beichen/model/reads.py), so a rebuild re-runs the
    chapter only when one of those answers changed."""

    def __init__(self, data: "ReportData", year: int, missing: list[str] | None = None,
                 reads: Reads | None = None):
        self.year = int(year)
        self.missing: list[str] = [] if missing is None else missing
        self.reads = reads
        self.plan: Plan = data.plan
        self.all_data = getattr(data, "_all", None) or data   # every row, of every edition
        self._view = as_of_edition(self.all_data, self.year)
        self._earlier: dict[int, Edition] = {}
        self._indicators = self._view.indicators.set_index("indicator_id")
        self._views: dict[str, IndicatorView] = {}
        self._groups: dict[str, dict] = {}

    @property
    def data(self) -> "ReportData":
        """The rows this edition knows; read directly by a chapter, the read is recorded."""
        if self.reads is None or self.reads.depth:
            return self._view
        return RecordingData(self._view, self.reads, self.year)

    @property
    def raw_data(self) -> "ReportData":
        """The edition's view, unrecorded (for replaying recorded reads)."""
        return self._view

    def _rows(self, table: str, column: str, key: str) -> pd.DataFrame:
        """The rows of one figure in a table of the edition's view (grouped once: the chapters and
        the audit look figures up by the hundred)."""
        groups = self._groups.get(table)
        if groups is None:
            frame = getattr(self._view, table)
            groups = self._groups[table] = {k: g for k, g in frame.groupby(column, sort=False)}
        found = groups.get(key)
        return found if found is not None else getattr(self._view, table).iloc[0:0]

    def _note_missing(self, what: str) -> None:
        if what not in self.missing:
            self.missing.append(what)

    def as_of(self, year: int) -> "Edition":
        """The edition of `year` (≤ this one) from the same data, e.g. to check a figure against the
        data of the edition it was entered for. A fresh object: its lookups don't touch `missing`."""
        year = int(year)
        if year not in self._earlier:
            self._earlier[year] = Edition(self.all_data, year, reads=self.reads)
        return self._earlier[year]

    # -- plan facts for this edition --------------------------------------------------------
    @property
    def is_final(self) -> bool:
        """The target year's edition: final results, no projection, no “提前”."""
        return self.plan.is_final(self.year)

    @property
    def snapshot_year(self) -> int:
        return self.plan.snapshot_year(self.year)

    @property
    def snapshot_period(self) -> str:
        return self.plan.snapshot_period(self.year)

    # -- rows → values ----------------------------------------------------------------------
    def _value(self, row, file: str, key: str, unit: str, decimals: int | None, label: str,
               year: int | None = None) -> Value:
        prov = Provenance(file, int(row.name) + 2, key, str(row["source"]), int(row["edition"]))
        qualifier = row.get("qualifier") or ""
        return Value(float(row["value"]), int(row["year"]) if year is None else year, unit, self.year,
                     decimals, prov, label, qualifier if qualifier in fmt.QUALIFIERS else "")

    # -- indicators -------------------------------------------------------------------------
    @recorded
    def indicator_ids(self, core: bool | None = None) -> list[str]:
        cat = self._view.indicators
        if core is not None:
            cat = cat[cat["core"] == core]
        return list(cat["indicator_id"])

    @recorded
    def indicator_value(self, indicator_id: str, kind: str, at: int | None = None,
                        required: bool = True) -> Value:
        """base / target (whatever their year), or the latest actual (or stated_*) up to `at`
        (default: the edition's year)."""
        meta = self._meta(indicator_id)
        unit = "%" if kind == "stated_completion_pct" else meta["unit"]
        at = self.year if at is None else int(at)
        labels = {"base": f"{self.plan.base_year}年基数", "target": f"{self.plan.target_year}年目标",
                  "actual": "实际值", "stated_completion_pct": "所载完成度"}
        label = f"{meta['name']}{labels.get(kind, kind)}"
        rows = self._rows("indicator_values", "indicator_id", indicator_id)
        rows = rows[rows["kind"] == kind]
        if kind not in ("base", "target"):
            rows = rows[rows["year"] <= at]
        if rows.empty:
            if required:
                self._note_missing(f"{meta['name']}（{labels.get(kind, kind)}）")
            return missing_value(unit, self.year, label)
        row = rows.sort_values("year").iloc[-1]
        # base and target describe the plan, not a moment: they are never “stale”.
        year = None if kind == "actual" or kind.startswith("stated_") else self.year
        decimals = int(meta["decimals"]) if kind.startswith("stated_") else None
        return self._value(row, "indicator_values.csv", indicator_id, unit, decimals, label, year)

    def _meta(self, indicator_id: str):
        if indicator_id not in self._indicators.index:
            raise KeyError(f"unknown indicator {indicator_id!r}; known: {sorted(self._indicators.index)}")
        return self._indicators.loc[indicator_id]

    @recorded
    def indicator(self, indicator_id: str) -> IndicatorView:
        if indicator_id in self._views:
            return self._views[indicator_id]
        meta = self._meta(indicator_id)
        core = bool(meta["core"])
        # Only core indicators are evaluated against a base and target; others may have neither.
        actual = self.indicator_value(indicator_id, "actual")
        view = IndicatorView(
            indicator_id=indicator_id, name=meta["name"], dimension=meta["dimension"], unit=meta["unit"],
            direction=meta["direction"], core=core, decimals=int(meta["decimals"]),
            base=self.indicator_value(indicator_id, "base", required=core),
            target=self.indicator_value(indicator_id, "target", required=core),
            actual=actual, plan=self.plan,
            previous=None if actual.missing else self._previous_actual(indicator_id, actual.year),
        )
        self._views[indicator_id] = view
        return view

    def _previous_actual(self, indicator_id: str, year: int) -> Value | None:
        """The actual of `year` − 1 exactly, or None (no year-over-year then; not recorded as missing)."""
        rows = self._rows("indicator_values", "indicator_id", indicator_id)
        rows = rows[(rows["kind"] == "actual") & (rows["year"] == year - 1)]
        if rows.empty:
            return None
        meta = self._meta(indicator_id)
        return self._value(rows.iloc[0], "indicator_values.csv", indicator_id, meta["unit"], None,
                           f"{meta['name']}{year - 1}年实际值")

    @recorded
    def indicators(self, core: bool | None = None) -> list[IndicatorView]:
        return [self.indicator(i) for i in self.indicator_ids(core)]

    # -- metrics ----------------------------------------------------------------------------
    @recorded
    def has_metric(self, metric_id: str) -> bool:
        return bool((self.all_data.metrics["metric_id"] == metric_id).any())

    @recorded
    def metric(self, metric_id: str, kind: str = "actual", year: int | None = None,
               at: int | None = None) -> Value:
        """Latest value of a metric up to the report year (or up to `at`).

        year: ask for exactly that year instead (e.g. the base year, or the in-year snapshot).
        Targets describe a plan, not a moment: the latest target is used whatever its year.
        """
        catalogue = self.all_data.metrics[self.all_data.metrics["metric_id"] == metric_id]
        if catalogue.empty:
            raise KeyError(f"unknown metric {metric_id!r} (not in metrics.csv)")
        known = self._rows("metrics", "metric_id", metric_id)
        rows = known[known["kind"] == kind]
        if year is not None:
            rows = rows[rows["year"] == int(year)]
        elif kind != "target":
            rows = rows[rows["year"] <= (self.year if at is None else int(at))]
        unit, name = catalogue["unit"].iloc[0], catalogue["name"].iloc[0]
        label = name if year is None else f"{name}（{year}年）"
        if rows.empty:
            self._note_missing(f"{name}（{'' if year is None else f'{year}年，'}{_KIND_WORDS.get(kind, kind)}）")
            return missing_value(unit, self.year, label, year)
        row = rows.sort_values("year").iloc[-1]
        shown_year = self.year if kind == "target" else None
        return self._value(row, "metrics.csv", metric_id, unit, int(row["decimals"]) if kind.startswith("stated_")
                           else None, label, shown_year)

    @recorded
    def metric_row(self, metric_id: str, kind: str = "actual", year: int | None = None) -> pd.Series | None:
        """The data row behind `metric` (its period, qualifier, note), or None."""
        rows = self._rows("metrics", "metric_id", metric_id)
        rows = rows[rows["kind"] == kind]
        rows = rows[rows["year"] == year] if year is not None else rows[rows["year"] <= self.year]
        return None if rows.empty else rows.sort_values("year").iloc[-1]

    @recorded
    def target_indicator(self, metric_id: str) -> str:
        """The evaluation indicator a recommended target is a target of (metrics.csv indicator_id of its
        latest target row), or "" when it stands alone."""
        rows = self._rows("metrics", "metric_id", metric_id)
        rows = rows[rows["kind"] == "target"]
        return "" if rows.empty else str(rows.sort_values("year").iloc[-1].get("indicator_id") or "")

    @recorded
    def metric_is_target(self, metric_id: str) -> bool:
        """True for a metric the edition knows only as a target (a goal figure such as “建成40家”)."""
        return bool((self._rows("metrics", "metric_id", metric_id)["kind"] == "target").all())

    @recorded
    def sources(self) -> list[str]:
        """The citations of every row the edition knows (metrics, indicator values, chains), each once."""
        return list(dict.fromkeys(self._view.metrics["source"].tolist() + self._view.indicator_values["source"].tolist()
                                  + self._view.chains["source"].tolist()))

    @recorded
    def metric_name(self, metric_id: str) -> str:
        rows = self.all_data.metrics[self.all_data.metrics["metric_id"] == metric_id]
        if rows.empty:
            raise KeyError(f"unknown metric {metric_id!r}")
        return rows["name"].iloc[0]

    @recorded
    def snapshot_metric(self, metric_id: str) -> Value:
        """A metric of the in-year snapshot the edition carries (the 2024 edition: 2025年1-10月)."""
        return self.metric(metric_id, year=self.snapshot_year)

    @recorded
    def unpublished(self, metric_id: str, year: int) -> bool:
        """True when the metric's figure of `year` is recorded as not yet published by its source
        (data/unpublished.csv, for this edition or an earlier one) and no value has been entered since.
        A figure merely missing is not: the report then says 暂无数据, never 尚未发布."""
        records = getattr(self.all_data, "unpublished", None)
        if records is None or records.empty:
            return False
        records = records[records["edition"] <= self.year]
        if not ((records["metric_id"] == metric_id) & (records["year"] == int(year))).any():
            return False
        rows = self._rows("metrics", "metric_id", metric_id)
        return rows[(rows["kind"] == "actual") & (rows["year"] == int(year))].empty

    # -- chains -----------------------------------------------------------------------------
    @recorded
    def chains_year(self, at: int | None = None) -> int | None:
        """The newest year of any chain's figures up to the report year (or `at`)."""
        at = self.year if at is None else int(at)
        years = self._view.chains.loc[self._view.chains["year"] <= at, "year"]
        return int(years.max()) if not years.empty else None

    def _chain_rows_up_to(self, at: int | None) -> pd.DataFrame:
        at = self.year if at is None else int(at)
        return self._view.chains[self._view.chains["year"] <= at]

    @recorded
    def chains(self, at: int | None = None) -> pd.DataFrame:
        """Every chain with its latest figures up to the report year (or `at`), largest output first.

        A chain without figures of that year shows its latest earlier year (the row's `year` says
        which), as an indicator does: entering one chain's new figures never hides the others.
        The frame keeps the data's row index, so `chain_value` can cite the row."""
        frame = self._chain_rows_up_to(at)
        if frame.empty:
            self._note_missing("产业链数据")
            return frame.iloc[0:0].copy()
        latest = frame.sort_values("year", kind="stable").groupby("chain_id", sort=False).tail(1)
        frame = frame.loc[sorted(latest.index)].copy()
        return frame.sort_values("output_100m_yuan", ascending=False, kind="stable")

    @recorded
    def chains_years(self, at: int | None = None) -> list[int]:
        """The years `chains` shows, newest first: one year unless some chains lack the newest."""
        frame = self.chains(at)
        return sorted({int(y) for y in frame["year"]}, reverse=True)

    @recorded
    def chains_common_year(self, at: int | None = None) -> int | None:
        """The latest year for which every chain has figures (up to the report year or `at`), or None.

        Totals, shares, counts and rankings over the chains are computed over this year's rows alone:
        they never mix years, nor count the few chains entered for a newer year as if they were all."""
        frame = self._chain_rows_up_to(at)
        every = set(frame["chain_id"])
        for year in sorted(set(frame["year"]), reverse=True):
            if set(frame.loc[frame["year"] == year, "chain_id"]) == every:
                return int(year)
        return None

    @recorded
    def chains_of_year(self, year: int | None) -> pd.DataFrame:
        """The chain rows of exactly `year` (the edition's view: revisions included), largest output first."""
        frame = self._view.chains
        frame = frame[frame["year"] == int(year)] if year is not None else frame.iloc[0:0]
        return frame.sort_values("output_100m_yuan", ascending=False, kind="stable").copy()

    CHAIN_COLUMNS = {"enterprises": ("家", "企业数"), "output_100m_yuan": ("亿元", "产值"),
                     "yoy_growth_pct": ("%", "同比增长"), "stated_share_pct": ("%", "所载占比")}

    def chain_value(self, row: pd.Series, column: str) -> Value:
        """One cell of the chain table as a Value with its provenance."""
        unit, what = self.CHAIN_COLUMNS[column]
        label = f"{row['name']}{what}"
        value = row[column]
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return missing_value(unit, self.year, label, int(row["year"]))
        prov = Provenance("chains.csv", int(row.name) + 2, row["chain_id"], str(row["source"]), int(row["edition"]))
        return Value(float(value), int(row["year"]), unit, self.year, None, prov, label)

    @property
    def scale_output_id(self) -> str | None:
        """The metric a chain's share is a share of (data/meta/report.yml `scale_output`, e.g. 规模以上工业总产值)."""
        return (self.data.meta.get("report") or {}).get("scale_output") or None

    def chain_share(self, row: pd.Series) -> Value:
        """A chain's output ÷ 规模以上工业总产值 of the chain's own year × 100 (never another year's total:
        a 2025 output over a 2024 total is no share); missing without that year's total."""
        output = self.chain_value(row, "output_100m_yuan")
        label = f"{row['name']}产值占规上工业总产值比重"
        year = int(row["year"])
        scale = self.scale_output_id
        if output.missing or not scale or not self.has_metric(scale):
            return missing_value("%", self.year, label, year)
        total = self.metric(scale, year=year)
        if total.missing:
            return missing_value("%", self.year, label, year)
        return Value(formulas.share_pct(output.value, total.value), year, "%", self.year, 1, None, label)

    def chain_total(self, column: str, rows: pd.DataFrame | None = None, label: str = "") -> Value:
        """Sum of a chain column over `rows` (default: every chain in the latest year all of them have),
        with their year; missing over rows of several years (a sum mixing years is no figure)."""
        rows = self.chains_of_year(self.chains_common_year()) if rows is None else rows
        unit, what = self.CHAIN_COLUMNS[column]
        label = label or f"产业链{what}合计"
        if rows.empty or rows["year"].nunique() > 1:
            return missing_value(unit, self.year, label)
        # chain figures carry one decimal: the sum is printed as such, without float residue
        decimals = 0 if unit in fmt.COUNT_UNITS else 1
        return Value(round(float(rows[column].sum()), decimals), int(rows["year"].iloc[0]), unit, self.year,
                     None, None, label)

    def chain_count(self, rows: pd.DataFrame | None = None, label: str = "产业链条数") -> Value:
        """The number of chains in `rows` (default: every chain, a fact of the plan with no year); the
        count of a subset of one year's rows carries that year."""
        if rows is None:
            rows, year = self.chains(), None
        else:
            year = int(rows["year"].iloc[0]) if not rows.empty and rows["year"].nunique() == 1 else None
        if rows.empty:
            return missing_value("条", self.year, label)
        return Value(float(len(rows)), year, "条", self.year, None, None, label)

    # -- one entry point for narrative templates ----------------------------------------------
    @recorded
    def lookup(self, figure_id: str, kind: str = "actual") -> Value:
        """A metric or an indicator value by id — the narrative templates' single entry point."""
        if self.has_metric(figure_id):
            return self.metric(figure_id, kind)
        if figure_id in self._indicators.index:
            view = self.indicator(figure_id)
            return {"base": view.base, "target": view.target, "actual": view.actual}[kind]
        raise KeyError(f"unknown figure {figure_id!r}: not a metric_id in metrics.csv nor an indicator_id")


_KIND_WORDS = {"actual": "实际值", "target": "目标"}


def as_of_edition(data: "ReportData", year: int) -> "ReportData":
    """The data as the edition of `year` knows it: only rows entered for it or an earlier edition,
    and of several entries of one figure (a later edition's revision) the latest one up to `year`.

    Row indexes are kept (line = index + 2), so every value can cite its line in the data file.
    """
    def known(frame: pd.DataFrame, key: list[str]) -> pd.DataFrame:
        frame = frame[frame["edition"] <= year]
        latest = frame.sort_values("edition", kind="stable").groupby(key, sort=False).tail(1)
        return frame.loc[sorted(latest.index)]

    return replace(data,
                   indicator_values=known(data.indicator_values, ["indicator_id", "year", "kind"]),
                   metrics=known(data.metrics, ["metric_id", "year", "kind"]),
                   chains=known(data.chains, ["chain_id", "year"]))
