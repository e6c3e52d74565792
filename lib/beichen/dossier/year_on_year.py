"""第三部分 与上年版相比变化的数字 of the 核查报告: every figure whose value differs from last
year's edition (and those entered again with the same value), and the earlier years' figures the
edition revised, with who supplied them and why."""
from __future__ import annotations

import pandas as pd

from beichen import formatting as fmt
from beichen.dossier.figures import figures
from beichen.dossier.wording import _esc
from beichen.model.edition import Edition
from beichen.render.tables import markdown_table


def has_edition(data, year: int) -> bool:
    """Whether the data holds an edition of `year` (rows entered for it or before, within the plan)."""
    if year < data.plan.first_edition:
        return False
    return any((getattr(data, name)["edition"] <= year).any() for name in ("indicator_values", "metrics", "chains"))


def changes(data, year: int, same_value: bool = False) -> pd.DataFrame | None:
    """Every figure whose value differs between the edition of year − 1 and that of `year`
    (old, new, change), new figures included; None for the plan's first edition (nothing to compare
    with). same_value: instead, the figures entered again for a later year with the same value."""
    if not has_edition(data, year - 1):
        return None
    earlier = figures(data, year - 1)
    old = {f.key: f.value for f in earlier if f.current}
    # Last year's in-year snapshot (e.g. 2025年1-10月 in the 2024 edition) is this year's current figure.
    history = {(f.file, f.name, f.value.year): f.value for f in earlier if not f.current}
    rows = []
    for f in figures(data, year):
        if not f.current:   # a base-year or snapshot figure of another year: history, not a change
            continue
        before = old.get(f.key) or history.get((f.file, f.name or f.what, f.value.year))
        now = f.value
        if before is None or before.missing:
            if before is None and not same_value:   # a new figure is a change, never “the same as last year”
                rows.append({"数据文件": f.file, "数字": f.what, "上年版": "（无）", "本版": now.text,
                             "变化": "新增"})
            continue
        if abs(before.value - now.value) < 1e-9 and before.year == now.year:
            continue
        if (abs(before.value - now.value) < 1e-9) != same_value:
            continue
        diff = now.value - before.value
        unit = "个百分点" if now.unit == "%" else now.unit
        change = f"{'+' if diff > 0 else ''}{fmt.number(fmt.round_half_up(diff, 2))}{unit}"
        if abs(diff) < 1e-9:
            change = f"数值未变（{before.year}年→{now.year}年）"
        rows.append({"数据文件": f.file, "数字": f.what, "上年版": f"{before.plain}（{before.year}年）",
                     "本版": f"{now.plain}（{now.year}年）", "变化": change})
    return pd.DataFrame(rows, columns=["数据文件", "数字", "上年版", "本版", "变化"])


def revisions(data, year: int) -> pd.DataFrame:
    """The figures of earlier years the edition of `year` revised (lib/beichen/inputs/loading.revisions_in):
    each with its year, the value the earlier edition shows (and which edition), the new value, who
    supplied it (the new row's source) and why (data/revisions.csv)."""
    from beichen.inputs.loading import revisions_in

    rows = [{"数字": revision_name(data, r), "所属年份": f"{r.year}年",
             "原值（版本）": f"{_revised_value(data, r, r.old)}（{r.old_edition}年版）",
             "修订值": _revised_value(data, r, r.new), "修订人（来源）": r.who,
             "修订原因": r.reason or "（未记录修订原因）"} for r in revisions_in(data, year)]
    return pd.DataFrame(rows, columns=["数字", "所属年份", "原值（版本）", "修订值", "修订人（来源）", "修订原因"])


def revision_name(data, r) -> str:
    """A revised figure by its Chinese name (“新材料产业链产值”, “国家级高新技术企业数量（实际值）”)."""
    if r.table == "chains":
        name = data.chains.loc[data.chains["chain_id"] == r.figure_id, "name"].iloc[-1]
        return f"{name}{Edition.CHAIN_COLUMNS[r.field][1]}"
    if r.table == "indicator_values":
        name = data.indicators.set_index("indicator_id").loc[r.figure_id, "name"]
        return f"{name}（{_INDICATOR_KINDS.get(r.field, r.field)}）"
    name = data.metrics.loc[data.metrics["metric_id"] == r.figure_id, "name"].iloc[0]
    return name + ("目标" if r.field == "target" else "")


_INDICATOR_KINDS = {"base": "基数", "target": "目标", "actual": "实际值", "stated_completion_pct": "原报告所载完成度"}


def _revised_value(data, r, value) -> str:
    if value is None:
        return "（无）"
    if r.table == "chains":
        unit = Edition.CHAIN_COLUMNS[r.field][0]
    elif r.table == "indicator_values":
        unit = "%" if r.field == "stated_completion_pct" else data.indicators.set_index("indicator_id").loc[r.figure_id, "unit"]
    else:
        unit = data.metrics.loc[data.metrics["metric_id"] == r.figure_id, "unit"].iloc[0]
    return fmt.with_unit(value, unit)


class YearOnYearPage:
    """The page 与上年版相比变化的数字 (a part of dossier.document.Dossier)."""

    def changes_page(self) -> str:
        lines = [f"# {self._heading('changes')}", ""]
        if self.changes is None:
            lines.append("本版为规划期首个评估版本，无上年版可比。")
        elif self.changes.empty:
            lines.append(f"本版与{self.year - 1}年版相比，没有数值不同的数字。")
        else:
            lines += [f"下表列出本版与{self.year - 1}年版数值不同的全部数字（含新增的数字），供签发前逐项核对录入。", "",
                      markdown_table(self.changes, f"表{self._part('changes')}-1 与{self.year - 1}年版相比变化的数字", align="llrrr")]
        same = changes(self.data, self.year, same_value=True)
        if same is not None and not same.empty:
            lines += ["", f"另有{len(same)}个数字按{self.year}年重新录入，数值与上年版相同（请确认确未变化）：", "",
                      "、".join(_esc(w) for w in same["数字"]) + "。"]
        if self.changes is None and self.revisions.empty:   # the plan's first edition: nothing to revise
            return "\n".join(lines)
        lines += ["", "## 本版修订的往年数字", ""]
        if self.revisions.empty:
            lines.append("本版没有修订往年的数字。")
        else:
            lines += [f"下表列出本版通过填报表修订的往年数字：原值是更早一版所载的数，该版不因修订而改变；修订值只用于"
                      f"{self.year}年版及以后各版。修订人为提供修订数的单位（填报表“来源”列），修订原因见填报表“修订原因”列"
                      "（data/revisions.csv）。", "",
                      markdown_table(self.revisions, f"表{self._part('changes')}-2 本版修订的往年数字", align="lrrrll")]
        return "\n".join(lines)
