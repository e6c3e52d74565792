"""The public appendix: what each indicator measures, how the report's figures are calculated,
where the data come from, and the figures the report shows as downloads for its readers: a 说明.txt
and three CSV tables (UTF-8 with BOM, Chinese headers, no ids, numbers as numbers, text that cannot
be read as a spreadsheet formula), listed on the site's appendix (the PDF says where to find them).

Everything here speaks to the report's readers; the audit and the provenance of each figure are
the analyst's (the 核查报告), not the appendix's.
"""
from __future__ import annotations

import pandas as pd

from beichen.inputs import text_policy
from beichen.render import escape
from beichen import formatting as fmt
from beichen.model.edition import Edition

DIRECTION_WORDS = {"higher": "越大越好", "lower": "越小越好"}

# The downloads (written by the build into the staging book's _static/data/, linked from the appendix on
# the site): file name → what it holds, for the appendix's list. 说明.txt first: what the files hold.
README = "说明.txt"
DOWNLOADS = {
    README: "说明（各表的内容、单位和年份）",
    "评价指标.csv": "评价指标：基数、目标值、实际值和完成度",
    "产业链.csv": "产业链：企业数、产值、增速和占规上工业总产值的比重",
    "其他统计数字.csv": "其他统计数字：报告正文和图表引用的其他数字",
}
# The edition model's queries that answer with one figure (lib/beichen/model/edition.py), as a chapter's reads
# record them (lib/beichen/model/reads.py): the figures a chapter printed.
FIGURE_QUERIES = ("metric", "lookup", "snapshot_metric")
# A text cell a spreadsheet would read as a formula begins with one of these (OWASP, CSV injection; the
# full-width forms too, which some input methods turn into the ASCII ones): one rule for every writer
# of a CSV or .xlsx file, in lib/beichen/inputs/text_policy.py.
FORMULA_START = text_policy.FORMULA_START


def definitions_table(edition: Edition) -> pd.DataFrame:
    """Each evaluation indicator: dimension, name, unit, direction, and what it measures."""
    words = edition.data.meta["report"].get("indicator_definitions", {})
    rows = []
    for ind in edition.indicators():
        rows.append({"维度": ind.dimension, "指标": ind.name, "单位": ind.unit,
                     "方向": DIRECTION_WORDS[ind.direction], "含义": words.get(ind.indicator_id, "")})
    return pd.DataFrame(rows)


def methods_text(edition: Edition) -> str:
    """The appendix's 计算方法: how every computed figure and verdict word of the edition is obtained, with
    the plan's years, band and thresholds (data/meta/plan.yml). The target year's edition assesses
    completion at the plan's end: it defines its verdict words and no progress, schedule or projection."""
    plan = edition.plan
    final = edition.is_final
    items = [
        "**完成度**：数值越大越好的指标，完成度 = 实际值 ÷ 目标值 × 100%；数值越小越好的指标，完成度 = 目标值 ÷ 实际值 × 100%。",
        "**差距**：两个百分比之差，以“个百分点”表示，如实际值 − 目标值。",
        "**增长率**：(本期值 ÷ 基期值 − 1) × 100%；**倍数**：本期值 ÷ 基期值，约为2倍的称“翻倍”。",
        f"**占比**：部分 ÷ 总量 × 100%{_share_example(edition)}。",
        "**年均增量**：(本期值 − 基期值) ÷ 间隔年数。",
    ]
    items += _final_items(plan) if final else _progress_items(plan)
    older = [ind.actual.text for ind in edition.indicators() if ind.actual.stale]
    example = f"，如“{older[0]}”" if older else ""
    items += [
        f"**数据年份**：每个数字取报告年份及以前的最新值；早于报告年份的，在数字后注明所属年份{example}；暂缺的，标注“{fmt.MISSING}”。",
        "**数字格式**：统计数字按发布的原值印出；计算所得的百分比、亿元和百分点保留一位小数，尾数四舍五入。",
    ]
    what = "完成度、差距、增长和占比" if final else "完成度、差距、增长、占比和进度"
    return (f"报告中的{what}等数字，均按下列方法由基础数据计算得出：\n\n"
            + "\n".join(f"- {item}" for item in items))


def _share_example(edition: Edition) -> str:
    """The share's example from the plan's own figures: “，如产业链产值 ÷ 规模以上工业总产值” for a plan
    with chains and a scale output (data/meta/report.yml `scale_output`), none otherwise."""
    scale = edition.scale_output_id
    if not scale or not edition.has_metric(scale) or edition.data.chains.empty:
        return ""
    return f"，如产业链产值 ÷ {edition.metric_name(scale)}"


def _progress_items(plan) -> list[str]:
    """序时进度, 目标进度, the projection and the status words: editions before the target year."""
    from beichen.model import projection

    band, years = fmt.number(plan.schedule_band_pp), plan.target_year - plan.base_year
    words, schedule = plan.status_words, plan.schedule_words
    return [
        f"**序时进度**：截至实际值所属年份，规划期已过去的比例 = (实际值所属年份 − {plan.base_year}) ÷ {years}。"
        f"**目标进度** = (实际值 − 基数) ÷ (目标值 − 基数)。目标进度高于序时进度{band}个百分点以上为“{schedule['ahead']}”，"
        f"低于{band}个百分点以上为“{schedule['behind']}”，其余为“{schedule['on_time']}”。"
        "目标值与基数十分接近的指标，目标进度不宜以比例表示，改为说明已超出目标的幅度。",
        f"**{plan.target_year}年外推值** = 实际值 + 年均变化 × ({plan.target_year} − 实际值所属年份)，"
        f"其中年均变化 = (实际值 − 基数) ÷ (实际值所属年份 − {plan.base_year})，即按基期以来的年均变化线性延伸；"
        f"{projection.verdict_rule()}外推只是现有趋势的算术延伸，不是预测。",
        f"**完成状态**：完成度高于100%为“{words['exceeded']}”；等于100%，在目标年之前为“{words['reached_early']}”、"
        f"在目标年为“{words['reached']}”；不低于{fmt.number(plan.near_target_pct)}%为“{words['near']}”；"
        + (f"其余目标进度{schedule['ahead'].removesuffix('序时进度')}或{schedule['on_time']}的为“{plan.on_track_word}”，"
           f"{schedule['behind']}的为“{words['behind']}”。" if plan.on_track_word else f"其余为“{words['behind']}”。"),
    ]


def _final_items(plan) -> list[str]:
    """The target year's edition: the verdict words of the final evaluation and the gap to the target."""
    words = plan.status_words
    return [
        f"**与目标相比**：实际值 − 目标值（数值越小越好的指标为目标值 − 实际值），百分比之差以“个百分点”表示；"
        "高于目标的称“超出”，低于目标的称“差”，相等的称“持平”。",
        f"**完成情况**：{plan.quoted}规划期末（{plan.target_year}年）对照规划目标判断，完成度高于100%为“{words['exceeded']}”，"
        f"等于100%为“{words['reached']}”，低于100%为“{plan.missed_word}”。",
    ]


def snapshot_entered(edition: Edition) -> bool:
    """Whether the edition holds any figure of its in-year snapshot (2025年1-10月 for the 2024 edition):
    only then do the appendix and the downloads' 说明 speak of 快报数. Looked up without noting anything
    missing (the snapshot's own section says what is missing)."""
    ids = (edition.data.meta["report"].get("snapshot") or {}).get("table") or []
    return any(edition.metric_row(i, year=edition.snapshot_year) is not None for i in ids)


def sources_text(edition: Edition) -> str:
    """Where the figures come from, in words: the plan for base and target, then the offices and
    statistics the data name (sections of the evaluation are not cited to readers)."""
    plan = edition.plan
    offices = [s for s in edition.sources() if not s[:1] in "一二三四五六七八九十"]
    text = (f"各项评价指标的{plan.base_year}年基数和{plan.target_year}年目标值取自{plan.quoted}规划；"
            f"实际值和其他数字为截至{edition.year}年的统计和工作数据"
            + (f"，{edition.snapshot_period}数据为快报数" if snapshot_entered(edition) else ""))
    if offices:
        text += "，其中部分数字由" + "、".join(escape.myst(o) for o in offices) + "提供"  # data text, shown as text
    return text + "。实际值早于报告年份的，在数字后注明所属年份。"


def excel_safe(text) -> str:
    """A text cell as a spreadsheet must show it, never run it: one that begins like a formula (= + - @,
    a tab or a carriage return) is prefixed with an apostrophe (OWASP's advice against CSV injection).
    Numbers are not text: they are written as numbers (see `_cell`)."""
    return text_policy.spreadsheet_text(text)


def _cell(value) -> str:
    """A CSV cell: a number as a plain number (“-0.3” stays a number), anything else as safe text."""
    if isinstance(value, bool) or value is None:
        return excel_safe("" if value is None else ("是" if value else "否"))
    if isinstance(value, (int, float)):
        return "" if value != value else fmt.number(value)
    return excel_safe(value)


def _rounded(value: float | None, decimals: int) -> float | None:
    """A computed figure as the report prints it (one decimal, half up), still a number."""
    return None if value is None else fmt.round_half_up(value, decimals)


def indicator_rows(edition: Edition) -> list[dict]:
    """Each evaluation indicator as the report shows it: base, target, the latest actual with its year,
    the completion (one decimal) and the actual as printed (with its year when older than the edition)."""
    plan = edition.plan
    rows = []
    for ind in edition.indicators():
        rows.append({
            "维度": ind.dimension, "指标名称": ind.name, "单位": ind.unit, "方向": DIRECTION_WORDS[ind.direction],
            f"{plan.base_year}年基数": None if ind.base.missing else ind.base.value,
            f"{plan.target_year}年目标值": None if ind.target.missing else ind.target.value,
            "实际值": None if ind.actual.missing else ind.actual.value,
            "实际值年份": None if ind.actual.missing else ind.actual.year,
            "完成度（%）": _rounded(ind.completion_pct, 1),
            "实际值（含单位和年份）": ind.actual.text,
        })
    return rows


def chain_rows(edition: Edition) -> list[dict]:
    """Every chain at its latest year (年份 says which), as table 2-1 shows them: firms, output, growth
    where stated, and the share of above-scale output of the same year (computed, one decimal; empty
    without that year's total)."""
    chains = edition.chains()
    if chains.empty:  # a plan whose data has no chains (e.g. a first 十五五 edition) has no chain table
        return []
    rows = []
    for _, row in chains.iterrows():
        output = edition.chain_value(row, "output_100m_yuan")
        growth = edition.chain_value(row, "yoy_growth_pct")
        share = edition.chain_share(row)
        share = None if share.missing else share.value
        rows.append({
            "产业链": row["name"], "类别": row["group"], "年份": int(row["year"]),
            "企业数（家）": edition.chain_value(row, "enterprises").value,
            "产值（亿元）": output.value,
            "同比增长（%）": None if growth.missing else growth.value,
            "占规上工业总产值比重（%）": _rounded(share, 1),
        })
    return rows


def report_reads(notes_dir, year: int) -> list[tuple[str, list, dict]]:
    """The figure queries the report's chapters asked of the edition of `year`, from the reads each
    chapter recorded beside its notes (<chapter>.reads.json; lib/beichen/render/chapter.py): (query, args, kwargs)."""
    import json
    from pathlib import Path

    found = []
    for path in sorted(Path(notes_dir).glob("*.reads.json")):
        for entry in json.loads(path.read_text(encoding="utf-8")).get("reads", []):
            asked_year, query, args, kwargs = json.loads(entry["key"])
            if int(asked_year) == int(year) and query in FIGURE_QUERIES and (query, args, kwargs) not in found:
                found.append((query, args, kwargs))
    return found


def metric_rows(edition: Edition, reads) -> list[dict]:
    """The other figures the report shows (`reads`, see report_reads), each asked again of the edition
    model: one row per figure and year, in the data's order, with the value as printed. Figures the
    report does not show — the source's restated shares and multiples kept for the audit, a figure the
    report declines (see data/meta/departures.yml) — are not among its reads, so not here either."""
    values = {}
    for query, args, kwargs in reads:
        try:
            value = getattr(edition, query)(*args, **kwargs)
        except (KeyError, TypeError, AttributeError):
            continue
        prov = getattr(value, "provenance", None)
        if prov is None or prov.file != "metrics.csv" or value.missing:
            continue  # an indicator's figure (评价指标.csv), or nothing to show
        values.setdefault(prov.line, value)
    frame = edition.raw_data.metrics
    rows, seen = [], set()
    for line, value in sorted(values.items()):
        row = frame.loc[line - 2]  # the row behind the figure (the header is line 1)
        key = (row["metric_id"], int(row["year"]))
        if key in seen:  # one quantity, one row a year
            continue
        seen.add(key)
        text = f"第{value.text}" if value.unit == "位" else value.text  # a rank: 第1位
        rows.append({"名称": row["name"], "类型": "目标值" if row["kind"] == "target" else "实际值",
                     "年份": int(row["year"]), "数值": value.value, "单位": value.unit,
                     "写法（含单位、约数和年份）": text})
    return rows


def _chains_years_words(edition: Edition) -> str:
    """“2024年各产业链”, or over chains of several years “各产业链最近一年（2025年1条、2024年8条，见“年份”列）”."""
    from beichen.render import sentences

    chains = edition.chains()
    years = sorted(set(chains["year"]))
    if len(years) > 1:
        return f"各产业链最近一年（{sentences.chain_year_counts(chains)}，见“年份”列）"
    return f"{int(years[0])}年各产业链" if years else "各产业链"


def readme_text(edition: Edition) -> str:
    """说明.txt: what each file holds, units, years, and how to read them."""
    plan, year = edition.plan, edition.year
    chains = _chains_years_words(edition)
    mixed_chains = len(edition.chains_years()) > 1
    older = [ind.actual.text for ind in edition.indicators() if ind.actual.stale]
    example = f"，如“{older[0]}”" if older else ""
    return "\n".join([
        f"{plan.report_title}（{year}年版）数据下载说明",
        "",
        "这里的表格是报告所用数字的电子表格版本，与报告正文和图表中的数字一致。"
        "均为 CSV 格式（UTF-8 编码），可用 Excel、WPS 等电子表格软件直接打开。",
        "",
        f"评价指标.csv：{plan.quoted}规划的评价指标，每项一行：所属维度、单位、方向（越大越好或越小越好）、"
        f"{plan.base_year}年基数、{plan.target_year}年目标值、实际值及其所属年份、完成度（%），"
        "以及实际值连同单位和年份的写法。未设基数和目标值的指标，这两列和完成度为空。",
        f"产业链.csv：{chains}的企业数（家）、产值（亿元）、同比增长（%，报告未载的为空）"
        + ("和产值占同一年规上工业总产值的比重（%，该年无总产值的为空）。" if mixed_chains
           else "和产值占规上工业总产值的比重（%）。"),
        "其他统计数字.csv：报告正文和图表引用的其他数字，每个数字每年一行：名称、类型（实际值或目标值）、"
        "所属年份、数值、单位，以及连同单位的写法（约数带“超”“余”“近”等字样，与报告一致）。",
        "",
        "单位：见表头括号或“单位”列；百分比的数值以 % 计，不带百分号。",
        f"年份：每个数字取{year}年及以前的最新值；所属年份早于{year}年的，“年份”列写明该年，"
        f"写法一列也注明年份{example}。"
        + (f"{edition.snapshot_period}的数字为快报数。" if snapshot_entered(edition) else ""),
        "计算所得的完成度和比重按报告的写法保留一位小数；统计数字按发布的原值列出。计算方法见报告附录。",
        "以撇号（'）开头的单元格是文字，撇号是为防止电子表格软件把它当作公式而加的，不属于内容。",
        "",
    ])


def _write_csv(path, rows: list[dict], columns: list[str]) -> None:
    import csv

    with open(path, "w", encoding="utf-8-sig", newline="") as handle:  # BOM: Excel reads UTF-8 then
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow([excel_safe(c) for c in columns])
        for row in rows:
            writer.writerow([_cell(row.get(c)) for c in columns])


def write_downloads(edition: Edition, folder, reads) -> list[tuple[str, str]]:
    """Write the edition's downloads into `folder` — 说明.txt and three CSV files, UTF-8 with BOM (so
    Excel opens them) — with the figures the report shows (`reads`: report_reads, the figure queries
    of its chapters, or a notes folder holding them); returns [(file name, title)]."""
    from pathlib import Path

    folder = Path(folder)
    if isinstance(reads, (str, Path)):
        reads = report_reads(reads, edition.year)
    folder.mkdir(parents=True, exist_ok=True)
    plan = edition.plan
    tables = {
        "评价指标.csv": (indicator_rows(edition), ["维度", "指标名称", "单位", "方向", f"{plan.base_year}年基数",
                                                f"{plan.target_year}年目标值", "实际值", "实际值年份", "完成度（%）",
                                                "实际值（含单位和年份）"]),
        "产业链.csv": (chain_rows(edition), ["产业链", "类别", "年份", "企业数（家）", "产值（亿元）", "同比增长（%）",
                                           "占规上工业总产值比重（%）"]),
        "其他统计数字.csv": (metric_rows(edition, reads), ["名称", "类型", "年份", "数值", "单位", "写法（含单位、约数和年份）"]),
    }
    (folder / README).write_text(readme_text(edition), encoding="utf-8-sig", newline="\n")
    for name, (rows, columns) in tables.items():
        _write_csv(folder / name, rows, columns)
    return list(DOWNLOADS.items())


def downloads_text() -> str:
    """The appendix's list of downloads on the site (Markdown links into the site's static folder)."""
    lines = ["报告所用数字的电子表格版本（CSV 格式，可用 Excel、WPS 等软件打开），各表的内容、单位和年份见“说明”：", ""]
    for file_name, title in DOWNLOADS.items():
        lines.append(f"- [{title}](../_static/data/{file_name})")
    return "\n".join(lines)


def downloads_print_text() -> str:
    """The same section in print, where a link cannot be followed: where the files are."""
    return "报告所用数字的电子表格版本（CSV 格式）及其说明随本报告的网页版发布，见网页版附录“数据下载”。"
