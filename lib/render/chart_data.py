"""The data behind each report chart, as tidy frames built from an edition.

Each function returns (frame, takeaway): the frame follows the column contract of the
matching function in :mod:`beichen.render.charts`, the takeaway is a one-sentence reading of
the chart computed from the same data.
"""
from __future__ import annotations

import pandas as pd

from beichen.model import formulas as calc
from beichen.render import formatting as fmt
from beichen.render import sentences
from beichen.model.derived import OVER_100_THRESHOLD, derived_figures
from beichen.paths import PLAN_BASE_YEAR
from beichen.model.edition import Edition


def completion(edition: Edition) -> tuple[pd.DataFrame, str]:
    core = edition.indicators(core=True)
    frame = pd.DataFrame({"name": [i.name for i in core],
                          "completion_pct": [i.completion_pct for i in core],
                          "status": [i.status for i in core]})
    return frame, sentences.status_counts(core) + "。"


def progress(edition: Edition) -> tuple[pd.DataFrame, str]:
    core = [i for i in edition.indicators(core=True) if i.progress is not None]
    frame = pd.DataFrame({"name": [i.name for i in core], "unit": [i.unit for i in core],
                          "base": [i.base.value for i in core], "actual": [i.actual.value for i in core],
                          "target": [i.target.value for i in core],
                          "actual_year": [i.actual.year for i in core]})
    if not core:
        return frame, fmt.MISSING
    fastest = max(core, key=lambda i: i.progress)
    behind = [i for i in core if i.schedule == "慢于时序进度"]
    text = f"{fastest.name}目标进度最快（{fmt.percent(fastest.progress * 100)}）"
    if behind:
        text += "；" + "、".join(f"{i.name}慢于时序进度（目标进度{fmt.percent(i.progress * 100)}，"
                                f"时序进度{fmt.percent(i.elapsed * 100)}）" for i in behind)
    return frame, text + "。"


# The before/after pairs of the source (一(一)3–5): base-year count → latest count.
BEFORE_AFTER = [("indicator", "hightech_firms", "国家级高新技术企业"),
                ("metric", "first_sets", "首台（套）重大技术装备"),
                ("metric", "single_champions", "制造业单项冠军"),
                ("indicator", "smart_factories_digital_workshops", "智能工厂/数字化车间"),
                ("indicator", "green_factories", "国家级/市级绿色工厂")]


def before_after(edition: Edition) -> tuple[pd.DataFrame, str]:
    rows = []
    for kind, figure_id, label in BEFORE_AFTER:
        if kind == "indicator":
            view = edition.indicator(figure_id)
            before, after = view.base, view.actual
        else:
            before, after = edition.metric(figure_id, year=PLAN_BASE_YEAR), edition.metric(figure_id)
        if before.missing or after.missing:
            continue
        rows.append({"name": label, "unit": after.unit, "value_before": before.value,
                     "value_after": after.value, "year_before": PLAN_BASE_YEAR, "year_after": after.year})
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame, fmt.MISSING
    growth = [calc.growth_pct(a, b) for a, b in zip(frame["value_after"], frame["value_before"])]
    top = frame.iloc[max(range(len(growth)), key=growth.__getitem__)]
    return frame, (f"与{PLAN_BASE_YEAR}年相比，{len(frame)}项创新与数字化成果均有增长，"
                   f"其中{top['name']}增幅最大（{fmt.growth(max(growth))}）。")


def chains(edition: Edition) -> tuple[pd.DataFrame, str, float | None]:
    """Chains with computed shares; also the combined share of the chains above 100亿元."""
    table = edition.chains()
    total = edition.metric("above_scale_industrial_output")
    frame = pd.DataFrame({
        "name": table["name"], "output_100m_yuan": table["output_100m_yuan"],
        "share_pct": [calc.share_pct(v, total.value) if not total.missing else None
                      for v in table["output_100m_yuan"]],
        "group": table["group"], "over_100": table["output_100m_yuan"] >= OVER_100_THRESHOLD})
    k = derived_figures(edition)
    combined = k["over_100_share"].value
    takeaway = (f"{k['over_100_count'].text}超百亿元产业链合计占规上工业总产值的{k['over_100_share'].text}，"
                f"新材料、现代轻工两条产业链合计占{k['top2_share'].text}。")
    return frame, takeaway, combined


def chain_growth(edition: Edition) -> tuple[pd.DataFrame, str]:
    table = edition.chains()
    frame = table.loc[table["yoy_growth_pct"].notna(), ["name", "yoy_growth_pct"]].reset_index(drop=True)
    if frame.empty:
        return frame, fmt.MISSING
    best = frame.loc[frame["yoy_growth_pct"].idxmax()]
    return frame, (f"原报告载明增速的{len(frame)}条产业链均保持增长，"
                   f"{best['name']}增速最高（{fmt.growth(best['yoy_growth_pct'], None)}）。")


# The two cultivation paths of 三(三)1 and the metric of each step (None: no figure stated).
LADDER = [("科技型企业路径", "科技型中小企业", "tech_smes"),
          ("科技型企业路径", "高新技术企业", "hightech_firms"),
          ("专精特新路径", "创新型中小企业", "innovative_smes"),
          ("专精特新路径", "专精特新中小企业", "specialized_smes"),
          ("专精特新路径", "专精特新“小巨人”", "little_giant_firms"),
          ("专精特新路径", "制造业单项冠军", "single_champions")]


def ladder(edition: Edition) -> tuple[pd.DataFrame, str]:
    rows, step = [], {}
    for path, name, figure_id in LADDER:
        step[path] = step.get(path, 0) + 1
        value = edition.lookup(figure_id)
        rows.append({"path": path, "step": step[path], "name": name, "value": value.value})
    frame = pd.DataFrame(rows)
    first = {p: frame[frame["path"] == p].iloc[0] for p in frame["path"].unique()}
    return frame, ("梯度培育“金字塔”基础扎实：" + "，".join(
        f"{p}以{row['name']}{fmt.count(row['value'], '家')}为基础" for p, row in first.items()) + "。")


SNAPSHOT = [("规上工业总产值增速", "above_scale_industrial_output_jan_oct_growth"),
            ("规上工业增加值增速", "above_scale_industrial_va_jan_oct_growth")]


def snapshot(edition: Edition) -> tuple[pd.DataFrame, str]:
    year = edition.year + 1
    values = [edition.metric(metric_id, year=year) for _, metric_id in SNAPSHOT]
    frame = pd.DataFrame({"label": [label for label, _ in SNAPSHOT],
                          "value": [v.value for v in values], "unit": [v.unit for v in values]})
    if any(v.missing for v in values):
        return frame, f"{year}年1-10月数据{fmt.MISSING}。"
    output, va = values
    return frame, (f"{year}年1-10月规上工业总产值同比{fmt.growth(output.value, None)}，"
                   f"增加值同比{fmt.growth(va.value, None)}，稳增长压力较大。")
