"""A new year's files: everything the analyst fills in, and nothing else (`make new-year`,
lib/beichen/publish/new_year.py, writes them; a plan's first year takes its stubs from the chapter
templates instead, lib/beichen/render/stubs.py).

Writes
- data/entry/<year>.csv (UTF-8 with BOM, so Chinese Excel opens it correctly) — or .xlsx —
  one row per figure to fill for the year: every evaluation indicator's actual, each industrial
  chain's firms / output / growth, and every counted figure of metrics.csv that the report
  prints, with name, unit, last value for reference and an empty 本年数值 column; an earlier
  year's figure is revised on a copy of its row (年份 changed, reason in 修订原因), an imported
  figure withdrawn by typing 撤回 (the 说明 column says so on every row);
- data/narrative/<year>/*.md — last year's passages as stubs: placeholders kept, each passage
  opening with a “待更新” line. A stub shows as “本年度文字待补充” until the analyst revises it
  and deletes that line (lib/beichen/inputs/narrative.py), so last year's wording is never published as new.

Refuses to overwrite anything that exists. Then: fill the table, `make import YEAR=<year>`,
`make report YEAR=<year>` (README “新年度更新”).
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from beichen import formatting as fmt
from beichen.inputs import text_policy
from beichen.inputs.intake import CHAIN_FIELDS, CHAIN_UNITS, COLUMNS, TABLE_LABELS, WITHDRAW, default_source
from beichen.inputs.loading import UNPUBLISHED_WORD, ReportData
from beichen.inputs.narrative import REFERENCE_PREFIX, parse_passages

# Stated figures (kind stated_*) that the report prints as inputs, not only audits, are asked for every
# year: the in-chain output that meta/report.yml names as `stated_chain_output` (在链企业完成工业产值 is
# a statistic of its own, the chain table's sum differs by rounding; the in-chain share is computed from it).
def input_stated(report: dict) -> set[tuple[str, str]]:
    """(metric id, kind) of the stated figures the report takes as inputs."""
    stated = report.get("stated_chain_output")
    return {(stated, "stated_sum")} if stated else set()

# Said on every row (说明): how to revise an earlier year's figure and how to withdraw an imported one.
REVISE_HINT = (f"修订往年的数：复制本行，把“年份”改为那一年，填修订后的数，“修订原因”写明原因，“来源”写提供单位；"
               f"撤回已导入的数：填“{WITHDRAW}”")
# Said on the rows that accept it (a statistic's actual value): a figure its office has not published.
UNPUBLISHED_HINT = (f"提供单位尚未公布的（如次年1-10月快报数）：填“{UNPUBLISHED_WORD}”，报告写“尚未发布”；"
                    "留空则写“未录入”。")
STUB_LINE = ("<!-- 待更新：请按{year}年的情况撰写本段，写好后删去本行。下面以“参考｜”开头的各行是{prev}年版的原文，"
             "仅供参考，构建时一律忽略；沿用其中的话须逐句核对是否仍符合{year}年的情况，再去掉行首的“参考｜”。"
             "数字一律用双花括号占位符，不要手填。本段写好之前，报告中显示“本年度文字待补充”。 -->")


def _reference(value: float, value_year: int, year: int) -> str:
    """The last value for reference: “39.8”, or “49.8（2023年）” when it is not last year's."""
    text = fmt.number(value)
    return text if value_year == year - 1 else f"{text}（{value_year}年）"


def entry_rows(data: ReportData, year: int) -> list[dict[str, str]]:
    """The rows of the entry table for `year`, in the order of the data files.

    Figures that already have a value for the year (e.g. transcribed from a report) are left out.
    """
    default_source_text = default_source(year)
    rows: list[dict[str, str]] = []

    def add(table: str, figure_id: str, kind: str, name: str, unit: str, row_year: int, period: str,
            reference: str, hint: str) -> None:
        rows.append({"数据表": TABLE_LABELS[table], "标识": figure_id, "类型": kind, "名称": name, "单位": unit,
                     "年份": str(row_year), "统计期": period, "上年数值": reference, "本年数值": "",
                     "来源": default_source_text, "修订原因": "",
                     "说明": f"{hint}。" + (UNPUBLISHED_HINT if table == "metrics" and kind == "actual" else "")
                             + REVISE_HINT})

    values = data.indicator_values
    for ind in data.indicators.itertuples(index=False):
        actual = values[(values["indicator_id"] == ind.indicator_id) & (values["kind"] == "actual")]
        if (actual["year"] == year).any():
            continue
        earlier = actual[actual["year"] < year].sort_values("year")
        if earlier.empty:   # a plan's first year: the base-year figure (2025 for 2026) is last year's
            base = values[(values["indicator_id"] == ind.indicator_id) & (values["kind"] == "base")
                          & (values["year"] < year)].sort_values("year")
            earlier = base
        reference = (_reference(earlier["value"].iloc[-1], int(earlier["year"].iloc[-1]), year)
                     if not earlier.empty else "")
        add("indicator_values", ind.indicator_id, "actual", ind.name, ind.unit, year, str(year), reference,
            f"评价指标{'（核心）' if ind.core else ''}；只填数字；数值所属年份不是{year}年时改“年份”列")

    chains = data.chains
    earlier = chains[chains["year"] < year]
    if not earlier.empty:
        last_year = int(earlier["year"].max())
        present = set(chains.loc[chains["year"] == year, "chain_id"])
        for chain in earlier[earlier["year"] == last_year].itertuples(index=False):
            if chain.chain_id in present:
                continue
            for field, label in CHAIN_FIELDS.items():
                old = getattr(chain, field)
                reference = "" if old != old else _reference(old, last_year, year)  # NaN: not stated
                hint = {"enterprises": "整数；与产值一并填写",
                        "output_100m_yuan": "亿元；与企业数一并填写",
                        "yoy_growth_pct": "%；可不填"}[field]
                add("chains", chain.chain_id, field, f"{chain.name}·{label}", CHAIN_UNITS[field], year, str(year),
                    reference, hint)

    metrics = data.metrics
    # The in-year snapshot an edition carries (data/meta/report.yml) is of the plan's snapshot year.
    snapshot_meta = data.meta["report"].get("snapshot") or {}   # a plan without an in-year snapshot has none
    snapshot_ids = set(snapshot_meta.get("table") or []) | {e["figure"] for e in snapshot_meta.get("chart") or []}
    inputs = input_stated(data.meta["report"])
    for metric_id in dict.fromkeys(metrics["metric_id"]):  # order of first appearance
        of_id = metrics[metrics["metric_id"] == metric_id]
        for kind in dict.fromkeys(of_id["kind"]):
            if kind != "actual" and (metric_id, kind) not in inputs:
                continue
            of_kind = of_id[of_id["kind"] == kind].sort_values("year")
            latest = of_kind.iloc[-1]
            snapshot = metric_id in snapshot_ids
            wanted = data.plan.snapshot_year(year) if snapshot else year
            if int(latest["year"]) >= wanted:
                continue
            period = str(latest["period"] or "")
            old_year = str(int(latest["year"]))
            period = period.replace(old_year, str(wanted)) if old_year in period else period
            qualifier = latest["qualifier"] or ""
            reference = _reference(latest["value"], int(latest["year"]), wanted)
            if qualifier:
                reference = (f"{qualifier}{reference}" if qualifier in ("超", "近")
                             else f"{reference}{qualifier}" if qualifier == "余" else f"{reference}（{qualifier}）")
            hint = "只填数字；原文为约数时可写“超200”“20余”“近1000”"
            if period.startswith(f"{data.plan.name}规划"):   # “十四五规划（2021-2025）”: the plan's structure
                hint = "规划结构数字，与上年相同时照抄上年数值"
            elif snapshot:
                hint = (f"可不填：随{year}年版报告发布的{wanted}年{data.plan.snapshot_months}快报数（报告第四部分），"
                        f"尚无快报时留空，报告该处显示“暂无数据”")
            add("metrics", metric_id, kind, latest["name"], latest["unit"], wanted, period, reference, hint)
    return rows


# A cell that is a plain number (上年数值 “-0.3”, 年份) is a number to a spreadsheet, not a formula.
PLAIN_NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")


def _csv_cell(text: str) -> str:
    """A cell of the entry CSV: a plain number as it is, any other text never a formula (an apostrophe
    in front of = + - @ …, lib/beichen/inputs/text_policy.py): a name in data/ cannot run in the analyst's Excel."""
    return text if PLAIN_NUMBER.match(text or "") else text_policy.spreadsheet_text(text)


def write_entry_csv(rows: list[dict[str, str]], path: Path) -> None:
    """CSV with a UTF-8 BOM and CRLF line ends: Chinese Excel opens it without garbling."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_csv_cell(c) for c in COLUMNS])
    writer.writerows([_csv_cell(row[c]) for c in COLUMNS] for row in rows)
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))


def write_entry_xlsx(rows: list[dict[str, str]], path: Path, year: int) -> None:
    # openpyxl imported here for start-up speed: only the .xlsx entry sheet needs it.
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    book = Workbook()
    sheet = book.active
    sheet.title = f"{year}年填报"
    # Every cell written as text (openpyxl would make any string beginning with “=” a live formula).
    for column, name in enumerate(COLUMNS, start=1):
        text_policy.set_xlsx_text(sheet.cell(1, column), name)
    for line, row in enumerate(rows, start=2):
        for column, name in enumerate(COLUMNS, start=1):
            text_policy.set_xlsx_text(sheet.cell(line, column), row[name])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    fill = PatternFill("solid", fgColor="FFF2CC")
    value_column = COLUMNS.index("本年数值") + 1
    for row_cells in sheet.iter_rows(min_row=2, min_col=value_column, max_col=value_column):
        for cell in row_cells:
            cell.fill = fill
    widths = {"数据表": 10, "标识": 34, "类型": 18, "名称": 40, "单位": 8, "年份": 8, "统计期": 22,
              "上年数值": 16, "本年数值": 12, "来源": 14, "修订原因": 16, "说明": 60}
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = widths[column]
    sheet.freeze_panes = "A2"
    book.save(path)


def stub_narrative(source: Path, target: Path, prev: int, year: int) -> list[Path]:
    """Stubs of last year's narrative files: every passage opens with the 待更新 line, its body empty,
    last year's text below as reference lines (“参考｜…”) that are never rendered."""
    stub = STUB_LINE.format(prev=prev, year=year)
    written = []
    target.mkdir(parents=True)
    for path in sorted(source.glob("*.md")):
        passages = parse_passages(path.read_text(encoding="utf-8"))
        # Last year's text only as reference lines: deleting the 待更新 line alone publishes nothing.
        text = "\n\n".join(f"<!-- passage: {name} -->\n{stub}\n"
                            + "\n".join(REFERENCE_PREFIX + line for line in body.splitlines())
                            for name, body in passages.items()) + "\n"
        out = target / path.name
        out.write_text(text, encoding="utf-8")
        written.append(out)
    for other in sorted(p for p in source.iterdir() if p.is_file() and p.suffix != ".md"):
        (target / other.name).write_bytes(other.read_bytes())
    return written
