"""第一部分 数据核查 of the 核查报告: every check of the audit with its evidence (表1-1 and the
checks set as paragraphs, their working in 表1-2) and the source's inconsistencies with what the
edition does about each; for a plan with no source report, each evaluation indicator's figures and
the computation of its completion and progress, worked out (表1-1)."""
from __future__ import annotations

import pandas as pd

from beichen import formatting as fmt
from beichen.audit import checks as audit
from beichen.dossier.outline import FINDINGS_CHAPTER, NUMERALS
from beichen.dossier.wording import _esc, _reason
from beichen.model.edition import Edition, Value
from beichen.paths import folder_shown
from beichen.render.narrative import Narrative
from beichen.render.tables import markdown_table


# --- the data audit ---------------------------------------------------------------------------------

# The checks of the source's wording (lib/beichen/audit/base.py CATEGORIES): their “figures” are quotations of
# the source, dozens of characters long, which a column of 表1-1 would set ten lines tall. So is any
# other check whose stated value, computed value or tolerance is longer than LONG_FIGURE characters.
STATEMENT_CATEGORIES = ("前后表述", "产业链名称", "文字表述")
LONG_FIGURE = 14


def in_words(c) -> bool:
    """Whether a check is shown as a paragraph after 表1-1 rather than as a row of it."""
    return (c.category in STATEMENT_CATEGORIES
            or max(len(c.stated_text), len(c.computed_text), len(c.tolerance_text)) > LONG_FIGURE)


def split_checks(checks: list) -> tuple[list, list]:
    """(checks shown as rows of 表1-1, checks shown as paragraphs after it), each in order."""
    return [c for c in checks if not in_words(c)], [c for c in checks if in_words(c)]


def _numbers(checks: list) -> str:
    """The checks' numbers as the text names them, runs of three or more as ranges: “17、18、44—62”."""
    runs: list[list[int]] = []
    for n in (c.number for c in checks):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return "、".join(f"{r[0]}—{r[-1]}" if len(r) > 2 else "、".join(map(str, r)) for r in runs)


def statement_check(c) -> str:
    """One check as a paragraph (the columns of 表1-1 in words): number, item and place, what the
    source says, what the data say (with the tolerance, if any), the verdict."""
    tolerance = f"（误差容限：{_esc(c.tolerance_text)}）" if c.tolerance_text not in ("", "—") else ""
    return (f"**第{c.number}项　{_esc(c.item)}**（原报告{_esc(c.source)}）。原报告：{_esc(c.stated_text)}；"
            f"核查：{_esc(c.computed_text)}{tolerance}。结论：{_esc(c.verdict)}。")


# --- the data audit of a plan with no source report ----------------------------------------------

# The registered checks' columns (lib/beichen/audit/checks.py results_table) as a plan without a source names them.
OWN_RESULT_COLUMNS = {"原报告位置": "位置", "原报告数值": "所载数值"}


def _rows(*values: Value) -> str:
    """The data rows of `values`: “indicator_values.csv 第2、3、4行”."""
    by_file: dict[str, list[int]] = {}
    for v in values:
        if v.provenance is not None:
            by_file.setdefault(v.provenance.file, []).append(v.provenance.line)
    return "；".join(f"{file} 第{'、'.join(str(n) for n in sorted(set(lines)))}行" for file, lines in by_file.items()) or "—"


def _points(diff: float) -> str:
    """A signed difference of percentages to one decimal: “+10.0”, “−2.0”, “0.0”."""
    sign = "+" if diff > 0 else ("−" if diff < 0 else "")
    return f"{sign}{fmt.number(abs(diff), 1)}"


def completion_working(ind) -> str:
    """“42.5÷45＝94.4%” (the inverse for a lower-is-better indicator); — without actual or target."""
    if ind.completion_pct is None:
        return "—"
    a, t = ind.actual.number, ind.target.number
    ratio = f"{t}÷{a}" if ind.direction == "lower" else f"{a}÷{t}"
    return f"{ratio}＝{fmt.percent(ind.completion_pct)}"


def schedule_working(ind, plan) -> tuple[str, str]:
    """(progress against the elapsed share, worked; the difference in points and the verdict), as
    lib/beichen/inputs/plan.py schedule_verdict compares them (each printed to one decimal)."""
    if ind.progress is None:
        return "—", "—"
    a, b, t = ind.actual.number, ind.base.number, ind.target.number
    year = ind.actual.year
    progress = fmt.round_half_up(ind.progress * 100, 1)
    elapsed = fmt.round_half_up(ind.elapsed * 100, 1)
    worked = (f"进展（{a}−{b}）÷（{t}−{b}）＝{fmt.percent(progress)}；序时进度（{min(year, plan.target_year)}−{plan.base_year}）"
              f"÷（{plan.target_year}−{plan.base_year}）＝{fmt.percent(elapsed)}")
    if ind.progress_explodes:
        return worked, f"目标距基数不足{fmt.number(plan.target_step_min_pct)}%，不以进展判断"
    diff = fmt.round_half_up(progress - elapsed, 1)
    return worked, f"相差{_points(diff)}个百分点：{ind.schedule}"


def indicator_checks(edition: Edition) -> pd.DataFrame:
    """表1-1 of a plan without a source report: each evaluation indicator's figures with their data
    rows, its completion and (before the target year) its progress against 序时进度, worked out."""
    plan = edition.plan
    rows = []
    for n, ind in enumerate(edition.indicators(), start=1):
        worked, verdict = schedule_working(ind, plan)
        status = ind.final_verdict if edition.is_final else ind.status
        rows.append({
            "序号": str(n),
            "指标": ind.name + ("（越低越好）" if ind.direction == "lower" else ""),
            "数据行": _rows(ind.base, ind.target, ind.actual),
            f"{plan.base_year}年基数": ind.base.plain, f"{plan.target_year}年目标": ind.target.plain,
            "实际值": ind.actual.text,
            "完成度": completion_working(ind),
            "进展与序时进度": "—" if edition.is_final else worked,
            "判断": status if edition.is_final or verdict == "—" else f"{status}；{verdict}",
        })
    columns = ["序号", "指标", "数据行", f"{plan.base_year}年基数", f"{plan.target_year}年目标", "实际值", "完成度",
               "进展与序时进度", "判断"]
    return pd.DataFrame(rows, columns=columns)


class AuditSection:
    """The page 数据核查 (a part of dossier.document.Dossier)."""

    def audit(self) -> str:
        if not self.with_source:
            return self._own_audit()
        ed = self.edition
        parts = [f"# {self._heading('audit')}", "",
                 f"{audit.coverage_sentence(ed)}。{audit.summary_sentence(self.checks)}。", "",
                 "## （一）核查方法", "",
                 audit.method_text(ed.plan), "",
                 "## （二）核查结果", ""]
        if self.checks:
            parts += self._results()
        else:
            parts.append("本版数据中没有原报告所载、可供核查的数字或表述。")
        parts += ["## （三）原报告不一致之处", ""]
        items = audit.findings(self.checks, self._findings_narrative(), self._treatment(), place=self._place)
        # Passages written when the audit was the report's appendix (附表5/6) name its tables so.
        parts += [i.replace("附表5", "表1-1").replace("附表6", "表1-2") for i in items] or ["未发现不一致之处。"]
        return "\n\n".join(p for p in parts if p is not None)

    def _results(self) -> list[str]:
        """（二）核查结果: the checks in 表1-1, but those of wording and those with a long figure
        (quotations, worked sums: too long for a column of a seven-column table), one paragraph
        each after it; the working of every check in 表1-2."""
        tabled, stated = split_checks(self.checks)
        parts = []
        if stated:
            parts += [f"核查结果见表1-1；对原报告表述的核查和引文、计算较长的核查（第{_numbers(stated)}项）"
                      "逐项列于表后。各项核查的计算式与数据来源见表1-2。", ""]
        if tabled:
            parts += [markdown_table(audit.results_table(tabled), audit.RESULTS_CAPTION, align=audit.RESULTS_ALIGN), ""]
        parts += [p for c in stated for p in (statement_check(c), "")]
        parts += [markdown_table(audit.inputs_table(self.checks), audit.INPUTS_CAPTION, align=audit.INPUTS_ALIGN), ""]
        return parts

    def _place(self, c) -> str:
        """Where a check of the audit is listed: its row of 表1-1, or its paragraph after it."""
        return f"表1-1后第{c.number}项" if in_words(c) else f"表1-1第{c.number}项"

    def _own_audit(self) -> str:
        """The data audit of an edition with no source report: every evaluation indicator's figures
        and the computation of its completion, progress and 序时进度, with the data rows they come
        from; checks registered in data/meta/audit.yml, if any, below."""
        plan, ed = self.data.plan, self.edition
        indicators = ed.indicators()
        complete = [i for i in indicators if not (i.base.missing or i.target.missing or i.actual.missing)]
        computed = "完成度" if ed.is_final else f"完成度、进展和序时进度"
        parts = [f"# {self._heading('audit')}", "",
                 f"本版所用的评价指标{len(indicators)}项，载有{plan.base_year}年基数、{plan.target_year}年目标和实际值、"
                 f"可计算{computed}的{len(complete)}项"
                 + (f"；其余{len(indicators) - len(complete)}项缺少数值，列入缺失数据{self._see('gaps')}"
                    if len(complete) < len(indicators) else "") + "。", "",
                 "## （一）核查方法", "", self._own_method(), "",
                 "## （二）核查结果", "",
                 markdown_table(indicator_checks(ed), "表1-1 评价指标的计算复核", align="rllrrrrll"), ""]
        if self.checks:   # checks the analyst registered for this plan (data/meta/audit.yml)
            results = audit.results_table(self.checks).rename(columns=OWN_RESULT_COLUMNS)
            parts += [f"另按 {folder_shown(self.data_dir)}/meta/audit.yml 登记的核查：{audit.summary_sentence(self.checks)}。", "",
                      markdown_table(results, "表1-2 登记的核查", align=audit.RESULTS_ALIGN), "",
                      "## （三）不一致之处", ""]
            items = audit.findings(self.checks, self._findings_narrative(), self._treatment())
            parts += [line for item in items for line in (item, "")] or ["未发现不一致之处。"]
        return "\n".join(parts)

    def _own_method(self) -> str:
        """How the plan's own figures are checked: the rules, with the plan's thresholds and words."""
        plan = self.data.plan
        words, band = plan.status_words, fmt.number(plan.schedule_band_pp)
        lines = [
            "- **核查对象**：本版用到的规划数字：各项评价指标的基数、目标和实际值，以及产业链和其他统计数字。"
            f"每个数字取自数据文件的一行，行号和来源见第{NUMERALS[self._part('provenance') - 1]}部分。",
            f"- **年份**：基数须为规划基期{plan.base_year}年的数，目标须为目标年{plan.target_year}年的数，"
            "实际值不晚于本版年份；载入数据时逐行校验，不符者构建即停止。",
            "- **完成度**：实际值 ÷ 目标值（越低越好的指标为目标值 ÷ 实际值），按一位小数判断："
            + (f"高于100%为“{words['exceeded']}”，等于100%为“{words['reached']}”，其余为“{plan.missed_word}”。"
               if self.edition.is_final else
               f"高于100%为“{words['exceeded']}”，等于100%为“{words['reached_early']}”，"
               f"不低于{fmt.number(plan.near_target_pct)}%为“{words['near']}”，其余为“{words['behind']}”。"),
        ]
        if not self.edition.is_final:
            sw = plan.schedule_words
            lines.append(
                "- **序时进度**：进展 =（实际值 − 基数）÷（目标值 − 基数），序时进度 =（实际值所属年份 − 基期）÷"
                "（目标年 − 基期）；两者各按一位小数相比，相差在±" + band + "个百分点以内（含±" + band + f"个百分点）为“{sw['on_time']}”，"
                f"高于为“{sw['ahead']}”，低于为“{sw['behind']}”。")
        lines += [f"- **缺失**：缺少基数、目标或实际值的指标不作判断，列入缺失数据{self._see('gaps')}。",
                  f"- **表述**：正文中断言数字、比较或判断的表述，逐一与本版数据核对{self._see('claims')}。"]
        return "\n".join(lines)

    def false_statements(self, printed: str) -> list[str]:
        """What this 核查报告's own text (the finding passages, the reasons of the analyst's
        decisions) says of the edition that its printed text does not bear out (lib/beichen/audit/ledger.py
        false_statements); the build stops on any. The treatment lines are generated from decisions
        the build has already checked against the printed text."""
        from beichen.audit.findings import load_resolutions
        from beichen.audit.ledger import false_statements

        texts = audit.findings(self.checks, self._findings_narrative())
        # a carried decision's reason speaks of the edition it was written for, and is shown as such
        texts += [r.reason for r in load_resolutions(self.data_dir, self.year).values() if not r.carried]
        return [p for t in texts for p in false_statements(t, printed)]

    def _treatment(self) -> dict[str, str]:
        """{check_id: what the edition does about it} for every 不一致 check (data/meta/resolutions.yml)."""
        from beichen.audit.findings import load_resolutions

        resolutions = load_resolutions(self.data_dir, self.year)
        out = {}
        for c in self.checks:
            r = resolutions.get(f"audit-{c.check_id}")
            out[c.check_id] = (f"**本版的处理**：{_esc(r.summary)}。{_reason(r)}" if r else
                               f"**本版的处理**：尚未决定（在 {folder_shown(self.data_dir)}/meta/resolutions.yml 中登记；未处理前本版为征求意见稿）")
        return out

    def _findings_narrative(self) -> Narrative:
        """The finding passages describe the source, not a year: the edition's own when written,
        else those of the latest earlier edition that has them (a new year's stubs are not shown)."""
        from beichen.render.narrative import PENDING

        for year in range(self.year, self.data.plan.first_edition - 1, -1):
            narrative = Narrative(Edition(self.data, year), FINDINGS_CHAPTER, self.narrative_dir)
            if (audit.finding_passages(narrative)
                    and not any(PENDING in item for item in audit.findings(self.checks, narrative))):
                return narrative
        return Narrative(self.edition, FINDINGS_CHAPTER, self.narrative_dir)
