"""The public appendix: what each indicator measures, how the report's figures are calculated,
where the data come from, and the edition's data as downloads with Chinese column headers.

Everything here speaks to the report's readers; the audit and the provenance of each figure are
the analyst's (the 核查报告), not the appendix's.
"""
from __future__ import annotations

import pandas as pd

from beichen.render import escape
from beichen import formatting as fmt
from beichen.model.edition import Edition

DIRECTION_WORDS = {"higher": "越大越好", "lower": "越小越好"}
KIND_WORDS = {"base": "基数", "target": "目标值", "actual": "实际值"}

# The downloads: a file name and title for each, and its columns in Chinese (others are left out).
DOWNLOADS = {
    "indicators": ("评价指标目录.csv", "评价指标目录", {
        "indicator_id": "指标代码", "dimension": "维度", "name": "指标名称", "unit": "单位", "direction": "方向",
        "core": "是否核心指标", "decimals": "小数位数"}),
    "indicator_values": ("评价指标数值.csv", "评价指标的基数、目标值和实际值", {
        "indicator_id": "指标代码", "year": "年份", "kind": "类型", "value": "数值", "source": "出处"}),
    "metrics": ("其他统计数字.csv", "其他统计数字", {
        "metric_id": "数字代码", "name": "名称", "unit": "单位", "year": "年份", "period": "统计期", "value": "数值",
        "qualifier": "约数用语", "kind": "类型", "source": "出处"}),
    "chains": ("产业链.csv", "产业链企业数、产值和增速", {
        "chain_id": "产业链代码", "name": "产业链", "group": "类别", "year": "年份", "enterprises": "企业数（家）",
        "output_100m_yuan": "产值（亿元）", "yoy_growth_pct": "同比增长（%）", "source": "出处"}),
}


def definitions_table(edition: Edition) -> pd.DataFrame:
    """Each evaluation indicator: dimension, name, unit, direction, and what it measures."""
    words = edition.data.meta["report"].get("indicator_definitions", {})
    rows = []
    for ind in edition.indicators():
        rows.append({"维度": ind.dimension, "指标": ind.name, "单位": ind.unit,
                     "方向": DIRECTION_WORDS[ind.direction], "含义": words.get(ind.indicator_id, "")})
    return pd.DataFrame(rows)


def sources_text(edition: Edition) -> str:
    """Where the figures come from, in words: the plan for base and target, then the offices and
    statistics the data name (sections of the evaluation are not cited to readers)."""
    plan = edition.plan
    offices = [s for s in edition.sources() if not s[:1] in "一二三四五六七八九十"]
    text = (f"各项评价指标的{plan.base_year}年基数和{plan.target_year}年目标值取自{plan.quoted}规划；"
            f"实际值和其他数字为截至{edition.year}年的统计和工作数据，"
            f"{edition.snapshot_period}数据为快报数")
    if offices:
        text += "，其中部分数字由" + "、".join(escape.myst(o) for o in offices) + "提供"  # data text, shown as text
    return text + "。实际值早于报告年份的，在数字后注明所属年份。"


def download_frame(edition: Edition, name: str) -> pd.DataFrame:
    """One data file of the edition, as readers download it: Chinese headers, codes in words."""
    _, _, columns = DOWNLOADS[name]
    frame = getattr(edition.data, name)
    out = frame[[c for c in columns if c in frame.columns]].copy()
    if "direction" in out:
        out["direction"] = out["direction"].map(DIRECTION_WORDS)
    if "core" in out:
        out["core"] = out["core"].map({True: "是", False: "否"})
    if "kind" in out:
        out["kind"] = [KIND_WORDS.get(k, "所载计算值") for k in out["kind"]]
    for col in out.columns:
        if out[col].dtype == float:
            out[col] = [fmt.number(v) if v == v else "" for v in out[col]]
    return out.rename(columns=columns)


def write_downloads(edition: Edition, folder) -> list[tuple[str, str]]:
    """Write the edition's downloads (UTF-8 with BOM, so Excel opens them); [(file name, title)]."""
    from pathlib import Path

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (file_name, title, _) in DOWNLOADS.items():
        download_frame(edition, name).to_csv(folder / file_name, index=False, encoding="utf-8-sig",
                                             lineterminator="\n")
        written.append((file_name, title))
    return written


def downloads_text() -> str:
    """The list of downloads for the appendix page (Markdown links into the site's static folder)."""
    lines = ["各数据表可下载（CSV 格式，可用电子表格软件打开）：", ""]
    for file_name, title, _ in DOWNLOADS.values():
        lines.append(f"- [{title}](../_static/data/{file_name})")
    return "\n".join(lines)
