"""Formatted report tables, emitted as MyST Markdown so the same table renders in HTML and LaTeX.

A table is a pandas DataFrame of *already formatted* text cells (units, decimals, status words);
`markdown_table` wraps it in a numbered ``{table}`` directive with a caption.
"""
from __future__ import annotations

import pandas as pd

from . import formatting as fmt
from .values import Edition, IndicatorView


def _cell(x) -> str:
    text = fmt.MISSING if x is None or (isinstance(x, float) and x != x) else str(x)
    return text.replace("|", "\\|").replace("\n", " ")


def markdown_table(frame: pd.DataFrame, caption: str, label: str | None = None,
                   align: str | None = None) -> str:
    """A MyST table directive: caption, optional label for cross-references, pipe table body.

    align: one character per column, 'l', 'c' or 'r' (numbers right-aligned).
    """
    align = align or "l" * len(frame.columns)
    rule = {"l": ":--", "c": ":-:", "r": "--:"}
    lines = ["| " + " | ".join(_cell(c) for c in frame.columns) + " |",
             "|" + "|".join(rule[a] for a in align) + "|"]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    name = f":name: {label}\n" if label else ""
    return f"```{{table}} {caption}\n{name}:align: center\n\n" + "\n".join(lines) + "\n```"


def core_indicator_table(edition: Edition, indicators: list[IndicatorView]) -> pd.DataFrame:
    """The source's table 一(二): base, target, latest actual (with vintage), completion, status."""
    rows = []
    for ind in indicators:
        rows.append({
            "指标类别": ind.dimension,
            "关键指标": ind.name,
            "2020年基数": ind.base.plain,
            "2025年目标": ind.target.plain,
            f"{edition.year}年实际": ind.actual.text,
            "完成度": fmt.percent(ind.completion_pct) if ind.completion_pct is not None else fmt.MISSING,
            "状态": ind.status,
        })
    return pd.DataFrame(rows)


def progress_table(edition: Edition, indicators: list[IndicatorView]) -> pd.DataFrame:
    """Progress against the plan period (时序进度) for indicators with base and target."""
    rows = []
    for ind in indicators:
        rows.append({
            "指标": ind.name,
            "数据年份": f"{ind.actual.year}年" if not ind.actual.missing else fmt.MISSING,
            "时序进度": fmt.percent(ind.elapsed * 100) if ind.elapsed is not None else fmt.MISSING,
            "目标进度": fmt.percent(ind.progress * 100) if ind.progress is not None else fmt.MISSING,
            "判断": ind.schedule,
        })
    return pd.DataFrame(rows)
