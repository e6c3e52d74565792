"""Formatted report tables, emitted as MyST Markdown so the same table renders in HTML and LaTeX.

A table is a pandas DataFrame of *already formatted* text cells (units, decimals, status words);
`markdown_table` wraps it in a numbered ``{table}`` directive with a caption.
"""
from __future__ import annotations

import math
import re

import pandas as pd

from beichen import formatting as fmt
from beichen.model.edition import Edition, IndicatorView


def _cell(x) -> str:
    text = fmt.MISSING if x is None or (isinstance(x, float) and x != x) else str(x)
    return text.replace("|", "\\|").replace("\n", " ")


# Long tables break across PDF pages with their header rows repeated.
LONGTABLE_ROWS = 12


def _width(text: str) -> int:
    """Display width in half-em units: CJK characters count 2, others 1."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(text))


def _min_width(text: str) -> int:
    """Narrowest a cell can get: runs of digits/Latin do not break, CJK breaks anywhere."""
    runs = re.findall(r"[\x21-\u2e7f]+", str(text))  # a space is a break opportunity
    return max([len(r) for r in runs] + [2])


def latex_widths(frame: pd.DataFrame, font_bp: float = 12.0, text_bp: float = 442.0,
                 pad_bp: float = 8.0) -> list[int]:
    """Relative column widths for the PDF so a table fits the 156 mm text block (小四 type).

    Everything on one line if it fits; else headers wrap first; else the widest columns are
    capped (water-filling), never below their unbreakable runs. Without explicit widths Sphinx
    sizes CJK columns badly and long tables run past the margin.
    """
    columns = list(frame.columns)
    budget = (text_bp - pad_bp * len(columns)) / (font_bp / 2)
    full, body, mins = [], [], []
    for col in columns:
        cells = [str(v) for v in frame[col]]
        low = max([_min_width(v) for v in cells] + [_min_width(col), 4])
        wide = max([_width(v) for v in cells] + [low])
        mins.append(low)
        body.append(wide)
        full.append(max(wide, _width(col)))
    if sum(full) <= budget:
        widths = full
    elif sum(body) <= budget:
        extra = budget - sum(body)
        deficit = [f - b for f, b in zip(full, body)]
        widths = [b + d * extra / sum(deficit) for b, d in zip(body, deficit)]
    else:
        lo, hi = 0.0, float(max(body))
        for _ in range(40):
            cap = (lo + hi) / 2
            total = sum(min(b, max(cap, m)) for b, m in zip(body, mins))
            lo, hi = (cap, hi) if total < budget else (lo, cap)
        widths = [min(b, max(lo, m)) for b, m in zip(body, mins)]
    pad_units = pad_bp / (font_bp / 2)  # LaTeX subtracts cell padding from each share
    return [max(1, math.ceil(w + pad_units)) for w in widths]


def markdown_table(frame: pd.DataFrame, caption: str, label: str | None = None,
                   align: str | None = None) -> str:
    """A MyST table directive: caption, column widths for the PDF, pipe table body.

    align: one character per column, 'l', 'c' or 'r' (numbers right-aligned).
    """
    align = align or "l" * len(frame.columns)
    if len(align) != len(frame.columns):
        raise ValueError(f"align {align!r} has {len(align)} letters for {len(frame.columns)} columns")
    rule = {"l": ":--", "c": ":-:", "r": "--:"}
    lines = ["| " + " | ".join(_cell(c) for c in frame.columns) + " |",
             "|" + "|".join(rule[a] for a in align) + "|"]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    options = [f":name: {label}"] if label else []
    options.append(":widths: " + " ".join(str(w) for w in latex_widths(frame)))
    if len(frame) > LONGTABLE_ROWS:
        options.append(":class: longtable")
    options.append(":align: center")
    return f"```{{table}} {caption}\n" + "\n".join(options) + "\n\n" + "\n".join(lines) + "\n```"


def core_indicator_table(edition: Edition, indicators: list[IndicatorView],
                         merits: dict[str, str] | None = None) -> pd.DataFrame:
    """The source's table 一(二): base, target, latest actual (with vintage), completion, status, and
    (with `merits`, the year's narrative by indicator id) the source's column 突出成效.

    A “较上年” column (change against the previous year's actual) is added only when the data
    holds a previous-year value for at least one indicator; the 2024 edition has none.
    """
    from beichen.render import sentences
    with_yoy = any(ind.change_from_previous is not None for ind in indicators)
    rows = []
    for ind in indicators:
        row = {
            "指标类别": ind.dimension,
            "关键指标": ind.name,
            f"{edition.plan.base_year}年基数": ind.base.plain,
            f"{edition.plan.target_year}年目标": ind.target.plain,
            f"{edition.year}年实际": ind.actual.text,
        }
        if with_yoy:
            row["较上年"] = sentences.change_from_previous(ind) or "—"
        row["完成度"] = fmt.percent(ind.completion_pct) if ind.completion_pct is not None else fmt.MISSING
        row["状态"] = ind.status
        if merits is not None:
            row["突出成效"] = merits.get(ind.indicator_id, "")
        rows.append(row)
    return pd.DataFrame(rows)


def core_indicator_align(frame: pd.DataFrame) -> str:
    """Column alignment for core_indicator_table: text left, figures right, status centred."""
    merit = "突出成效" in frame.columns
    return "ll" + "r" * (len(frame.columns) - 3 - merit) + "c" + ("l" if merit else "")


def progress_table(edition: Edition, indicators: list[IndicatorView]) -> pd.DataFrame:
    """Progress against the plan period (序时进度) for indicators with base and target.

    Every figure is the indicator view's; where progress explodes (a target close to its base) the
    table says how far the target is exceeded instead of printing the ratio."""
    rows = []
    for ind in indicators:
        rows.append({
            "指标": ind.name,
            "数据年份": f"{ind.actual.year}年" if not ind.actual.missing else fmt.MISSING,
            "序时进度": fmt.percent(ind.elapsed * 100) if ind.elapsed is not None else fmt.MISSING,
            "目标进度": progress_text(ind),
            "判断": ind.schedule,
        })
    return pd.DataFrame(rows)


def progress_text(ind: IndicatorView) -> str:
    """“81.0%”, or “已超出目标0.8个百分点” where the ratio explodes (`IndicatorView.progress_explodes`)."""
    if ind.progress is None:
        return fmt.MISSING
    if ind.progress_explodes:
        from beichen.render import sentences
        gap = ind.gap_to_target if ind.direction == "higher" else -ind.gap_to_target
        return f"已超出目标{sentences.difference(gap, ind.unit)}"
    return fmt.percent(ind.progress * 100)


def chains_table(edition: Edition) -> pd.DataFrame:
    """The nine industrial chains: firms, output, growth where stated, computed share of total output."""
    from beichen.model import formulas as calc
    chains = edition.chains()
    total = edition.metric("above_scale_industrial_output")
    rows = []
    for row in chains.itertuples(index=False):
        share = calc.share_pct(row.output_100m_yuan, total.value) if not total.missing else None
        rows.append({
            "产业链": row.name,
            "类别": row.group,
            "企业数（家）": fmt.number(row.enterprises, 0),
            "产值（亿元）": fmt.number(row.output_100m_yuan, 1),
            "同比增长": fmt.percent(row.yoy_growth_pct) if row.yoy_growth_pct == row.yoy_growth_pct else "—",
            "占规上工业总产值": fmt.percent(share),
        })
    return pd.DataFrame(rows)


def figures_table(edition: Edition, figure_ids: list[str]) -> pd.DataFrame:
    """Name, value (with vintage) and period of metrics, in the order given."""
    rows = []
    metrics = edition.data.metrics
    for figure_id in figure_ids:
        kind = "target" if (metrics.loc[metrics["metric_id"] == figure_id, "kind"] == "target").all() else "actual"
        value = edition.metric(figure_id, kind)
        rows.append({"指标": edition.metric_name(figure_id), "数值": value.text})
    return pd.DataFrame(rows)


def data_table(frame: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """A data file shown whole in the appendix: chosen columns renamed, numbers as stated."""
    out = frame[list(columns)].rename(columns=columns).copy()
    for col in out.columns:
        out[col] = [fmt.number(v) if isinstance(v, float) else ("" if v is None else str(v)) for v in out[col]]
    return out


def key_figures_table(edition: Edition, derived: dict) -> pd.DataFrame:
    """The front page's key figures at a glance: value and what it is measured against."""
    mfg, hightech, smart, green = (edition.indicator(i) for i in edition.data.meta["report"]["key_indicators"])
    from beichen.render import sentences

    def versus(ind: IndicatorView) -> str:
        text = f"目标{ind.target.plain}，完成度{fmt.percent(ind.completion_pct)}"
        yoy = sentences.against_previous_year(ind)
        return f"{text}；{yoy}" if yoy else text

    rows = [
        ("规模以上工业总产值", edition.metric("above_scale_industrial_output").text, "—"),
        (mfg.name, mfg.actual.text, versus(mfg)),
        ("在链企业产值占规上工业总产值比重", derived["in_chain_share"].text,
         f"{derived['in_chain_firms_sum'].text}在链企业"),
        ("超百亿元产业链产值占比", derived["over_100_share"].text, f"{derived['over_100_count'].text}产业链"),
        (hightech.name, hightech.actual.text, versus(hightech)),
        (smart.name, smart.actual.text, versus(smart)),
        (green.name, green.actual.text, versus(green)),
        ("5G基站", edition.metric("base_stations_5g").text, f"每万人拥有量{_per_10k(edition)}"),
    ]
    return pd.DataFrame(rows, columns=["指标", "数值", "对照"])


def _per_10k(edition: Edition) -> str:
    """“54个” (5G基站 per 10,000 people; the unit 个/万人 is in the words around it), with its year if older."""
    value = edition.metric("base_stations_5g_per_10k")
    if value.missing:
        return fmt.MISSING
    return fmt.vintage(fmt.count(value.value, "个"), value.year, edition.year)


def snapshot_table(edition: Edition) -> pd.DataFrame:
    """The in-year snapshot published with the edition (the plan's months of the following year)."""
    rows = []
    for metric_id in edition.data.meta["report"]["snapshot"]["table"]:
        rows.append({"指标": edition.metric_name(metric_id), "数值": edition.snapshot_metric(metric_id).plain})
    return pd.DataFrame(rows)


def targets_table(edition: Edition) -> pd.DataFrame:
    """Quantified targets of the recommendations, with the current value and what is still to do."""
    rows = []
    for entry in edition.data.meta["report"]["recommendation_targets"]:
        metric_id, current = entry["target"], edition.lookup(entry["current"])
        target = edition.metric(metric_id, "target")
        gap = (fmt.value_with_unit(target.value - current.value, target.unit)
               if not (target.missing or current.missing) else fmt.MISSING)
        # the current figure in the target's measure word (智能工厂 counted as 家 like the target), with its year
        now = (fmt.MISSING if current.missing
               else fmt.vintage(fmt.value_with_unit(current.value, target.unit), current.year, edition.year))
        rows.append({"目标": edition.metric_name(metric_id), "目标值": target.plain,
                     "现状": now, "尚需新增": gap})
    return pd.DataFrame(rows)
