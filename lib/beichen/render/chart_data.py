"""The data behind each report chart, as tidy frames built from an edition.

Each function returns (frame, takeaway): the frame follows the column contract of the
matching function in :mod:`beichen.render.charts`, the takeaway is a one-sentence reading of
the chart computed from the same data.
"""
from __future__ import annotations

import pandas as pd

from beichen.model import formulas as calc
from beichen import formatting as fmt
from beichen.render import sentences
from beichen.model.derived import derived_figures, large_chains, top2_chain_names
from beichen.render import charts, tables
from beichen.model.edition import Edition


def years_span(years) -> str:
    """The years a chart shows, as its title says them: {2025} → “2025年”, {2024, 2025} → “2024—2025年”."""
    years = sorted({int(y) for y in years})
    if not years:
        return ""
    return f"{years[0]}年" if len(years) == 1 else f"{years[0]}—{years[-1]}年"


def older_years_note(years, edition_year: int) -> str:
    """“（2024—2025年）” for a chart title when some of its figures are older than the edition, else empty."""
    years = {int(y) for y in years}
    return f"（{years_span(years)}）" if any(y < int(edition_year) for y in years) else ""


def completion(edition: Edition) -> tuple[pd.DataFrame, str]:
    core = edition.indicators(core=True)
    palette = charts.status_palette(edition.plan)
    frame = pd.DataFrame({"name": [i.name for i in core],
                          "completion_pct": [i.completion_pct for i in core],
                          # a completion computed from an older actual says that actual's year, as the text does
                          "label": [fmt.vintage(sentences.completion_text(i), i.actual.year, edition.year)
                                    for i in core],
                          "status": [i.status for i in core],
                          "color": [palette.get(i.status, charts.NA_GREY) for i in core]})
    return frame, sentences.status_counts(core) + "。"


def progress(edition: Edition) -> tuple[pd.DataFrame, str]:
    plan = edition.plan
    core = [i for i in edition.indicators(core=True) if i.progress is not None]
    palette = charts.schedule_palette(plan)
    frame = pd.DataFrame({"name": [i.name for i in core], "unit": [i.unit for i in core],
                          "base": [i.base.value for i in core], "actual": [i.actual.value for i in core],
                          "target": [i.target.value for i in core],
                          "actual_year": [i.actual.year for i in core],
                          "report_year": edition.year,   # an actual of an earlier year is labelled with it
                          # a progress that explodes (target close to its base) is drawn as reached,
                          # labelled with how far the target is exceeded, as the table says
                          "progress_pct": [100.0 if i.progress_explodes else i.progress * 100 for i in core],
                          "progress_text": [tables.progress_text(i) for i in core],
                          "elapsed_pct": [i.elapsed * 100 for i in core],
                          "schedule": [i.schedule for i in core],
                          "color": [palette.get(i.schedule, charts.NA_GREY) for i in core],
                          "base_year": plan.base_year, "target_year": plan.target_year})
    if not core:
        return frame, fmt.MISSING
    fastest = max((i for i in core if not i.progress_explodes), key=lambda i: i.progress, default=core[0])
    behind_word = plan.schedule_words["behind"]
    behind = [i for i in core if i.schedule == behind_word]
    text = f"{fastest.name}目标进度最快（{fmt.percent(fastest.progress * 100)}）"
    if behind:
        text += "；" + "、".join(f"{i.name}{behind_word}（目标进度{fmt.percent(i.progress * 100)}，"
                                f"序时进度{fmt.percent(i.elapsed * 100)}）" for i in behind)
    return frame, text + "。"


def before_after(edition: Edition) -> tuple[pd.DataFrame, str]:
    base_year = edition.plan.base_year
    rows = []
    for entry in edition.data.meta["report"].get("before_after") or []:
        figure_id, label = entry["figure"], entry["label"]
        if figure_id in edition.indicator_ids():
            view = edition.indicator(figure_id)
            before, after = view.base, view.actual
        else:
            before, after = edition.metric(figure_id, year=base_year), edition.metric(figure_id)
        if before.missing or after.missing:
            continue
        rows.append({"name": label, "unit": after.unit, "value_before": before.value,
                     "value_after": after.value, "year_before": base_year, "year_after": after.year})
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame, fmt.MISSING
    from beichen.render import outline

    return frame, before_after_takeaway(frame, base_year, outline.before_after_title(edition))


def before_after_title(frame: pd.DataFrame, base_year: int) -> str:
    """图1-2's comparison, naming the years its bars show: “2020年与2025年对比”, “2020年与2024—2025年对比”."""
    after = years_span(frame["year_after"]) if not frame.empty else fmt.MISSING
    return f"{base_year}年与{after}对比"


def before_after_takeaway(frame: pd.DataFrame, base_year: int, noun: str = "主要成果") -> str:
    """How many figures grew since the base year (counted, not assumed) and which grew most. The largest
    increase is picked among the figures of the latest year only: growth over four years and over five
    are not ranked together; the sentence then says which year it ranks. `noun`: what the figures are
    (data/meta/report.yml `before_after_title`, “创新与数字化成果”)."""
    growth = [calc.growth_pct(a, b) for a, b in zip(frame["value_after"], frame["value_before"])]
    up = sum(1 for g in growth if g > 0)
    counted = (f"{len(frame)}项{noun}{'均' if len(frame) > 1 else ''}有增长" if up == len(frame)
               else f"{len(frame)}项{noun}中{up}项增长")
    latest = int(frame["year_after"].max())
    ranked = [(g, name) for g, name, y in zip(growth, frame["name"], frame["year_after"]) if int(y) == latest and g > 0]
    if not ranked:
        return f"与{base_year}年相比，{counted}。"
    best, name = max(ranked)
    scope = "其中" if frame["year_after"].nunique() == 1 else f"{latest}年数据中"
    return f"与{base_year}年相比，{counted}，{scope}{name}增幅最大（{fmt.growth(best)}）。"


def chains(edition: Edition) -> tuple[pd.DataFrame, str, float | None]:
    """Every chain at its latest year with its share of 规上工业总产值 of that same year (none without
    that year's total); also the combined share of the chains above 100亿元, computed over one year
    (`derived.chain_totals`) and returned for the chart's note only when the chart shows that one year."""
    table = edition.chains()
    shares = [edition.chain_share(row) for _, row in table.iterrows()]
    frame = pd.DataFrame({
        "name": table["name"], "output_100m_yuan": table["output_100m_yuan"],
        "share_pct": [None if v.missing else v.value for v in shares],
        "group": table["group"],
        "over_100": table["output_100m_yuan"] >= (large_chains(edition) or (float("inf"), ""))[0],
        "year": table["year"].astype(int),
        # a chain older than the edition is labelled with its year, as in the text
        "note": [f"{int(y)}年" if int(y) < edition.year else "" for y in table["year"]]})
    k = derived_figures(edition)
    takeaway = sentences.chains_share_takeaway(edition, k, top2_chain_names(edition))
    one_year = (large_chains(edition) is not None and frame["year"].nunique() == 1
                and k["over_100_share"].year in set(frame["year"]))
    return frame, takeaway, k["over_100_share"].value if one_year else None


def large_chains_chart_args(edition: Edition) -> dict:
    """图2-1's class of large chains (data/meta/report.yml `large_chains`): its threshold and name;
    none for a plan without such a class (no threshold line, one colour)."""
    large = large_chains(edition)
    return {"threshold_100m_yuan": large[0], "class_name": large[1]} if large else {"class_name": None}


def chain_growth(edition: Edition) -> tuple[pd.DataFrame, str]:
    """The chains that state a growth rate, each at its latest year (labelled when older); the reading
    ranks within one year at a time, its words following the signs."""
    table = edition.chains()
    rows = table.loc[table["yoy_growth_pct"].notna()]
    frame = pd.DataFrame({"name": rows["name"], "yoy_growth_pct": rows["yoy_growth_pct"],
                          "year": rows["year"].astype(int),
                          "note": [f"{int(y)}年" if int(y) < edition.year else "" for y in rows["year"]]}
                         ).reset_index(drop=True)
    if frame.empty:
        return frame, fmt.MISSING
    return frame, sentences.chain_growth_takeaway(frame, edition.year)


def ladder(edition: Edition) -> tuple[pd.DataFrame, str]:
    rows, step = [], {}
    for entry in edition.data.meta["report"].get("ladder") or []:
        path, name = entry["path"], entry["label"]
        step[path] = step.get(path, 0) + 1
        value = edition.lookup(entry["figure"])
        # a figure older than the edition carries its year (“776家（2024年）”): the chart shows it beside
        # the tier's name (`note`), the text after the figure (`text`)
        older = value.stale
        rows.append({"path": path, "step": step[path], "name": name, "value": value.value, "label": value.plain,
                     "note": f"{value.year}年" if older else "", "text": value.text, "year": value.year})
    frame = pd.DataFrame(rows)
    # The figures alone, each with its year when older (as the funnel labels them); no verdict on the
    # pyramid's shape: its tiers may be of different years and are not compared.
    first = {p: frame[frame["path"] == p].iloc[0] for p in frame["path"].unique()}
    return frame, "，".join(f"{p}以{row['name']}{row['text']}为基础" for p, row in first.items()) + "。"


def snapshot(edition: Edition) -> tuple[pd.DataFrame, str]:
    period = edition.snapshot_period
    entries = (edition.data.meta["report"].get("snapshot") or {}).get("chart") or []
    values = [edition.snapshot_metric(e["figure"]) for e in entries]
    frame = pd.DataFrame({"label": [e["label"] for e in entries],
                          "value": [v.value for v in values], "unit": [v.unit for v in values]})
    if any(v.missing for v in values):   # said as the figures stand: missing, or recorded as not published
        absent = sentences.snapshot_absent(edition)
        return frame, absent or ("、".join(e["label"] for e, v in zip(entries, values) if v.missing) + fmt.MISSING + "。")
    if len(values) != 2:   # not the output/value-added pair: each figure with its label
        return frame, (f"{period}" + "，".join(f"{e['label']}{v.plain}" for e, v in zip(entries, values)) + "。"
                       if values else "")
    output, va = values
    # A judgement computed by its rule, not fixed wording: output falling year on year is pressure
    # on growth (the source's 四(二)2 reads 产值同比下降 so); otherwise the figures speak alone.
    judgement = "，稳增长压力较大" if output.value < 0 else ""
    return frame, (f"{period}规上工业总产值同比{fmt.growth(output.value, None)}，"
                   f"增加值同比{fmt.growth(va.value, None)}{judgement}。")
