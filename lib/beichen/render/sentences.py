"""Data-driven Chinese sentences: every number in them is looked up or computed, never typed.

Each builder returns a clause without the final “。”, so chapters and narrative templates
can join clauses into the source's long sentences.
"""
from __future__ import annotations

from beichen.model import formulas as calc
from beichen import formatting as fmt
from beichen.model.edition import IndicatorView, Value



def difference(delta: float, unit: str) -> str:
    """A difference in the indicator's unit: “2.8个百分点”, “65家”, “12.5亿元”."""
    if unit == "%":
        return fmt.points(delta)
    if unit in fmt.COUNT_UNITS:
        return fmt.count(abs(delta), unit)
    return fmt.with_unit(abs(delta), unit, 1)


def against_target(ind: IndicatorView) -> str:
    """“较“十四五”目标（37%）超额2.8个百分点” or “距“十四五”目标（55%）尚差5.2个百分点”."""
    plan = ind.plan.quoted
    if not ind.complete:
        return f"{plan}目标为{ind.target.text}，实际值{fmt.MISSING}"
    gap = ind.gap_to_target if ind.direction == "higher" else -ind.gap_to_target
    if gap >= 0:
        return f"较{plan}目标（{ind.target.plain}）超额{difference(gap, ind.unit)}"
    return f"距{plan}目标（{ind.target.plain}）尚差{difference(gap, ind.unit)}"


def against_base(ind: IndicatorView) -> str:
    """Change since the plan's base: percentages in points, counts as growth in %.

    “较“十三五”末（36.6%）提升3.2个百分点”; “较2020年的442家增长61.8%”.
    """
    base_year = ind.plan.base_year
    if ind.actual.missing or ind.base.missing:
        return f"{base_year}年基数{ind.base.text}"
    if ind.unit == "%":
        delta = ind.change_since_base
        verb = "提升" if delta >= 0 else "下降"
        return f"较{ind.plan.previous_quoted}末（{ind.base.plain}）{verb}{fmt.points(delta)}"
    return f"较{base_year}年的{ind.base.plain}{fmt.growth(calc.growth_pct(ind.actual.value, ind.base.value))}"


def points_since_base(ind: IndicatorView) -> str:
    """The change since the base in the indicator's unit, unsigned: “3.2个百分点”, “273家”."""
    if ind.change_since_base is None:
        return fmt.MISSING
    return difference(ind.change_since_base, ind.unit)


def completion_text(ind: IndicatorView) -> str:
    """The completion rate alone: “107.6%” (or 暂无数据)."""
    if ind.completion_pct is None:
        return fmt.MISSING
    return fmt.percent(ind.completion_pct)


def completion(ind: IndicatorView) -> str:
    """“完成度107.6%”."""
    return f"完成度{completion_text(ind)}"


def change_from_previous(ind: IndicatorView) -> str | None:
    """Year-over-year change of the actual: “提高0.6个百分点”, “增加65家”, “持平”; None without last year's value.

    Compared with the actual of the year before the actual's own year (a 2023 value with 2022).
    """
    delta = ind.change_from_previous
    if delta is None:
        return None
    if ind.unit == "%":
        if round(delta, 1) == 0:
            return "持平"
        return f"{'提高' if delta > 0 else '下降'}{fmt.points(delta)}"
    if ind.unit in fmt.COUNT_UNITS:
        if round(delta) == 0:
            return "持平"
        return f"{'增加' if delta > 0 else '减少'}{fmt.count(abs(delta), ind.unit)}"
    if round(delta, 1) == 0:
        return "持平"
    return fmt.growth(calc.growth_pct(ind.actual.value, ind.previous.value))


def against_previous_year(ind: IndicatorView) -> str:
    """“较上年提高0.6个百分点” / “与上年持平”; empty text when last year's value is not in the data."""
    change = change_from_previous(ind)
    if change is None:
        return ""
    return "与上年持平" if change == "持平" else f"较上年{change}"


def indicator_sentence(ind: IndicatorView, with_base: bool = True) -> str:
    """The source's standard indicator sentence, e.g.
    “制造业增加值占GDP比重39.8%，较“十四五”目标（37%）超额2.8个百分点，较“十三五”末（36.6%）提升3.2个百分点，完成度107.6%”.
    """
    parts = [f"{ind.name}{ind.actual.text}", against_target(ind)]
    if with_base:
        parts.append(against_base(ind))
    if against_previous_year(ind):
        parts.append(against_previous_year(ind))
    parts.append(completion(ind))
    return "，".join(parts)


def status_counts(indicators: list[IndicatorView]) -> str:
    """“5项核心指标中，4项超额完成、1项接近目标” — counted from the indicators' status words."""
    if not indicators:
        return f"核心指标{fmt.MISSING}"
    order = indicators[0].plan.status_order() + [fmt.MISSING]
    counts = {word: sum(1 for i in indicators if i.status == word) for word in order}
    parts = [f"{n}项{word}" for word, n in counts.items() if n]
    return f"{len(indicators)}项核心指标中，" + "、".join(parts)


def schedule_counts(indicators: list[IndicatorView]) -> str:
    """“4项快于序时进度、1项慢于序时进度” (progress against the plan period)."""
    if not indicators:
        return fmt.MISSING
    order = indicators[0].plan.schedule_order()
    counts = {w: sum(1 for i in indicators if i.schedule == w) for w in order}
    return "、".join(f"{n}项{w}" for w, n in counts.items() if n) or fmt.MISSING


def gap_at_end(ind: IndicatorView) -> str:
    """The actual against its target at the plan's end, in the indicator's unit:
    “超出3.4个百分点”, “超出118家”, “差5.2个百分点”, “持平” (as printed: 0.0个百分点 is 持平)."""
    gap = ind.gap_beyond_target
    if gap is None:
        return fmt.MISSING
    printed = difference(gap, ind.unit)
    if printed == difference(0.0, ind.unit):
        return "持平"
    return f"{'超出' if gap > 0 else '差'}{printed}"


def final_counts(indicators: list[IndicatorView]) -> str:
    """The final evaluation's count: “5项核心指标中，4项超额完成、1项完成”, each indicator judged by
    `IndicatorView.final_verdict`; an actual older than the edition is named with its year
    (“（国家级高新技术企业数量为2024年数据）”), so the count never passes an older figure off as the last year's."""
    if not indicators:
        return f"核心指标{fmt.MISSING}"
    plan = indicators[0].plan
    order = plan.final_order() + [fmt.MISSING]
    counts = {word: sum(1 for i in indicators if i.final_verdict == word) for word in order}
    text = f"{len(indicators)}项核心指标中，" + "、".join(f"{n}项{word}" for word, n in counts.items() if n)
    older = [i for i in indicators if i.actual.stale]
    if older:
        text += "（" + "、".join(f"{i.name}为{i.actual.year}年数据" for i in older) + "）"
    return text


def shortfalls(indicators: list[IndicatorView]) -> str:
    """The indicators that missed their target, each with its actual (and year), completion and gap:
    “战略性新兴产业增加值占比49.8%（2023年），完成度90.5%，距目标差5.2个百分点”; empty when none missed."""
    missed = [i for i in indicators if i.final_verdict == i.plan.missed_word]
    return "；".join(f"{i.name}{i.actual.text}，{completion(i)}，距目标{gap_at_end(i)}" for i in missed)


def final_assessment_lead(indicators: list[IndicatorView], reference: str = "") -> str:
    """The final evaluation's paragraph above its table: the count by verdict, each missed target with
    its completion and gap, and how the table's figures are read (`reference`: “表1-2”)."""
    if not indicators:
        return f"核心指标{fmt.MISSING}。"
    plan = indicators[0].plan
    cite = f"（见{reference}）" if reference else ""
    text = f"{plan.quoted}规划期末，{final_counts(indicators)}{cite}。"
    missed = shortfalls(indicators)
    if missed:
        text += f"{plan.missed_word}的有：{missed}。"
    return text + ("完成度按“实际值÷目标值”计算（数值越低越好的指标取倒数），与目标相比为实际值与目标值之差；"
                   "实际值早于报告年份的，注明其所属年份。")


def chain_sentence(name: str, enterprises: int, output: float, total_output: float,
                   yoy_growth_pct: float | None = None) -> str:
    """“现代轻工产业链，101家在链企业实现产值324.4亿元，同比增长3.6%，占比23.3%”."""
    parts = [f"{name}，{fmt.count(enterprises, '家')}企业实现产值{fmt.yi(output, None)}"]
    if yoy_growth_pct is not None and yoy_growth_pct == yoy_growth_pct:  # not NaN
        parts.append(f"同比{fmt.growth(yoy_growth_pct)}")
    parts.append(f"占规上工业总产值{fmt.percent(calc.share_pct(output, total_output))}")
    return "，".join(parts)


# -- the chains, each shown at its latest year; sums and rankings over one year --------------------
def chain_short_name(name: str) -> str:
    """“新材料产业链” → “新材料” (as the source lists chains before “两条产业链”)."""
    return name.removesuffix("产业链")


def chain_year_counts(frame) -> str:
    """How many chains each year shows, newest first: “2025年1条、2024年8条”."""
    years = sorted({int(y) for y in frame["year"]}, reverse=True)
    return "、".join(f"{y}年{int((frame['year'] == y).sum())}条" for y in years)


def chains_caption(edition, subject: str, frame=None) -> str:
    """A chain table's or chart's title naming the years it shows: “2024年9条产业链发展情况”, or over
    chains of several years “9条产业链发展情况（2025年1条、2024年8条）”. `subject` may hold {n}, the
    number of chains shown; `frame` (default: every chain at its latest year) needs a `year` column."""
    frame = edition.chains() if frame is None else frame
    text = subject.format(n=len(frame))
    years = sorted({int(y) for y in frame["year"]})
    if len(years) == 1:
        return f"{years[0]}年{text}"
    return f"{text}（{chain_year_counts(frame)}）" if years else text


def chains_entered_note(edition) -> str:
    """Which chains have figures newer than the year the chain totals are of, when only some have:
    “2025年已录入1条产业链（新材料产业链）的数据，其余8条为2024年数”; empty when every chain shows one year."""
    frame = edition.chains()
    common = edition.chains_common_year()
    # no year every chain has (a chain added to the plan late): every chain is “newer”
    newer = frame[frame["year"] > common] if common is not None else frame
    if newer.empty:
        return ""
    parts = [f"{y}年已录入{len(rows)}条产业链（{'、'.join(rows['name'])}）的数据"
             for y, rows in sorted(newer.groupby("year"), key=lambda g: -g[0])]
    rest = frame[frame["year"] <= common] if common is not None else frame.iloc[0:0]
    if rest.empty:
        return "，".join(parts)
    rest_text = (f"其余{len(rest)}条为{common}年数" if rest["year"].nunique() == 1
                 else f"其余{len(rest)}条为{chain_year_counts(rest)}")
    return "，".join(parts) + "，" + rest_text


def in_year(figure) -> str:
    """A derived figure as it reads after its year has been said: “80.8%” for “80.8%（2024年）”."""
    if figure.year is None or figure.value is None:
        return figure.text
    return figure.text.removesuffix(f"（{figure.year}年）")


def of_year(figure) -> str:
    """A chain figure in front of its noun, its year first when older: “480家”, “2024年480家”."""
    return f"{figure.year}年{in_year(figure)}" if figure.stale else figure.text


def _large_chains_name(edition) -> str:
    """The plan's class of large chains (report.yml `large_chains`, “超百亿元产业链”), “” without one."""
    from beichen.model.derived import large_chains

    large = large_chains(edition)
    return large[1] if large else ""


def chains_summary(edition, k: dict) -> str:
    """The chains in one clause, every figure of the one year all chains have (named when older):
    “480家在链企业完成工业产值1294.1亿元，占规上工业总产值的93.1%；5条超百亿元产业链合计占80.8%”,
    in the 2025 edition with one chain entered “2024年480家在链企业……；2025年已录入1条产业链……”."""
    firms, output, share = k["in_chain_firms_sum"], k["in_chain_output"], k["in_chain_share"]
    over, over_share = k["over_100_count"], k["over_100_share"]
    stale = firms.stale or output.stale
    lead = f"{firms.year}年" if stale else ""
    show = in_year if stale else str
    text = f"{lead}{show(firms)}在链企业完成工业产值{show(output)}，占规上工业总产值的{show(share)}"
    if _large_chains_name(edition):
        text += f"；{show(over)}{_large_chains_name(edition)}合计占{show(over_share)}"
    note = chains_entered_note(edition)
    return f"{text}；{note}" if note else text


def chains_share_takeaway(edition, k: dict, top2: list[str]) -> str:
    """图2-1's reading: “5条超百亿元产业链合计占规上工业总产值的80.8%，新材料、现代轻工两条产业链合计占53.9%。”
    — over the one year every chain has, said first when older than the edition."""
    over, over_share, top2_share = k["over_100_count"], k["over_100_share"], k["top2_share"]
    stale = over_share.stale or top2_share.stale
    lead = f"{over_share.year or top2_share.year}年" if stale else ""
    show = in_year if stale else str
    names = "、".join(chain_short_name(n) for n in top2)
    large = (f"{show(over)}{_large_chains_name(edition)}合计占规上工业总产值的{show(over_share)}，"
             if _large_chains_name(edition) else "")
    text = f"{lead}{large}{names}两条产业链合计占{show(top2_share)}"
    note = chains_entered_note(edition)
    return text + (f"；{note}" if note else "") + "。"


def growth_group(rows, year_text: str = "") -> str:
    """The chains of one year that state a growth rate, their words following the signs:
    “公布增速的4条产业链均保持增长，信息技术应用创新产业链增速最高（增长27.8%）”;
    all declining “…均有所下降，X降幅最小（下降1.2%）”; mixed “…中3条增长、1条下降，X增速最高（…）”;
    one chain “新材料产业链同比下降5.9%”."""
    rates = rows["yoy_growth_pct"].astype(float)
    if len(rows) == 1:
        return f"{year_text}{rows['name'].iloc[0]}同比{fmt.growth(rates.iloc[0], None)}"
    best = rows.loc[rates.idxmax()]
    rate = fmt.growth(best["yoy_growth_pct"], None)
    lead = f"{year_text}公布增速的{len(rows)}条产业链"
    up, down = int((rates > 0).sum()), int((rates < 0).sum())
    if down == 0 and up == len(rows):
        return f"{lead}均保持增长，{best['name']}增速最高（{rate}）"
    if up == 0 and down == len(rows):
        return f"{lead}均有所下降，{best['name']}降幅最小（{rate}）"
    counts = "、".join(part for part in (f"{up}条增长" if up else "", f"{down}条下降" if down else "",
                                         f"{len(rows) - up - down}条持平" if len(rows) - up - down else "") if part)
    return f"{lead}中{counts}，{best['name']}{'增速最高' if best['yoy_growth_pct'] > 0 else '降幅最小'}（{rate}）"


def chain_growth_takeaway(frame, edition_year: int) -> str:
    """图2-2's reading, one clause per year shown (a ranking never spans years): in one year of the
    edition “公布增速的4条产业链均保持增长，……”; otherwise each year named, newest first."""
    years = sorted({int(y) for y in frame["year"]}, reverse=True)
    if years == [edition_year]:
        return growth_group(frame) + "。"
    return "；".join(growth_group(frame[frame["year"] == y], f"{y}年") for y in years) + "。"


def snapshot_sentence(edition) -> str:
    """The in-year snapshot published with the edition (the following year's months of plan.yml).

    With report.yml `snapshot.sentence` (its firms, output, output_growth and va_growth figures):
    “2025年1-10月份，全区574家规上工业企业累计实现产值1152.5亿元，同比下降0.3%，增加值增速1%。”;
    without it, each figure of the snapshot's table named: “2025年1-10月，规上工业总产值1152.5亿元。”.
    """
    period = edition.snapshot_period
    snapshot = _snapshot_meta(edition)
    named = snapshot.get("sentence") or {}
    if not named:
        ids = snapshot.get("table") or []
        if all(edition.snapshot_metric(i).missing for i in ids):
            return snapshot_absent(edition)
        return (f"{period}，" + "，".join(f"{edition.metric_name(i)}{edition.snapshot_metric(i).plain}"
                                        for i in ids) + "。")
    firms = edition.snapshot_metric(named["firms"])
    output = edition.snapshot_metric(named["output"])
    growth = edition.snapshot_metric(named["output_growth"])
    va = edition.snapshot_metric(named["va_growth"])
    if output.missing:
        return snapshot_absent(edition) or f"{period}规上工业总产值{fmt.MISSING}。"
    return (f"{period}份，全区{firms.plain}规上工业企业累计实现产值{output.plain}，"
            f"同比{fmt.growth(growth.value, None) if not growth.missing else fmt.MISSING}，"
            f"增加值增速{va.plain}。")


def _snapshot_meta(edition) -> dict:
    """report.yml `snapshot` ({} when the plan's report carries no in-year snapshot)."""
    return (edition.data.meta.get("report") or {}).get("snapshot") or {}


def has_snapshot(edition) -> bool:
    """Whether the plan's report carries an in-year snapshot (report.yml `snapshot` names figures)."""
    return bool(snapshot_figures(edition))


def snapshot_figures(edition) -> list[str]:
    """The ids of the in-year snapshot's figures (its table's and its chart's, data/meta/report.yml)."""
    snapshot = _snapshot_meta(edition)
    return list(dict.fromkeys((snapshot.get("table") or []) + [e["figure"] for e in snapshot.get("chart") or []]))


def snapshot_absent(edition) -> str:
    """The one sentence said instead of the in-year snapshot when the edition has none of its figures,
    “” when it has some. “尚未发布” only when every figure is recorded as not published (data/unpublished.csv);
    figures merely not entered are said to be missing, never unpublished."""
    ids = snapshot_figures(edition)
    if not all(edition.snapshot_metric(i).missing for i in ids):
        return ""
    period = edition.snapshot_period
    if all(edition.unpublished(i, edition.snapshot_year) for i in ids):
        return f"{period}快报数据尚未发布。"
    return f"{period}快报数据未录入。"


def multiple_since(new: Value, old: Value) -> str:
    """“较2020年的16个翻倍” when the value doubled, else “为2020年16个的3.1倍” (source 一(一)3–4 style)."""
    if new.missing or old.missing:
        return f"较{old.year or ''}年变化{fmt.MISSING}"
    times = calc.multiple(new.value, old.value)
    if fmt.multiple(times) == "翻倍":
        return f"较{old.year}年的{old.plain}翻倍"
    return f"为{old.year}年{old.plain}的{fmt.multiple(times)}"


def summary_findings(edition) -> str:
    """The summary's data-driven findings, one bullet each: generated from the edition's figures every
    year, never pending. The bullets between the core line and the outlook are the plan's
    (data/meta/report.yml `summary`; without it one per dimension with core indicators). Before the
    target year the outlook is the linear projection; in it, the result. “近期运行” only with a snapshot."""
    from beichen.model import projection
    from beichen.model.derived import derived_figures

    core = edition.indicators(core=True)
    k = derived_figures(edition)
    # The target year's edition assesses completion; before it, progress is read against the plan period.
    core_line = (f"{edition.plan.quoted}规划期末，{final_counts(core)}" if edition.is_final
                 else f"{status_counts(core)}；对照规划序时进度，{schedule_counts(core)}")
    bullets = [f"**核心指标**：{core_line}"]
    for entry in summary_entries(edition, core):
        text = summary_bullet(edition, entry, k)
        if text:
            bullets.append(f"**{entry['label']}**：{text}")
    if edition.is_final:
        bullets.append(f"**目标完成情况**：{final_outcome(core)}")
    else:
        bullets.append(f"**{edition.plan.target_year}年展望**：{projection.projection_counts(core)}")
    if has_snapshot(edition):
        bullets.append(f"**近期运行**：{snapshot_sentence(edition).removesuffix('。')}")
    return "\n".join(f"- {b}。" for b in bullets)


def summary_entries(edition, core: list[IndicatorView]) -> list[dict]:
    """The summary's bullets as report.yml `summary` lists them, or one per plan dimension that has core
    indicators (in plan.yml order), when the plan lists none."""
    listed = (edition.data.meta.get("report") or {}).get("summary") or []
    if listed:
        return listed
    return [{"label": dimension, "indicators": [i.indicator_id for i in core if i.dimension == dimension]}
            for dimension in edition.plan.dimensions if any(i.dimension == dimension for i in core)]


def summary_bullet(edition, entry: dict, k: dict) -> str:
    """One bullet's text (report.yml `summary` entry): the chain line, or the entry's indicators with
    their actual values and completion, after its lead figure if any; “” for a chain line of a plan
    without chains."""
    if entry.get("chains"):
        return chains_summary(edition, k) if edition.chain_count().value else ""
    inds = [edition.indicator(i) for i in entry.get("indicators") or []]
    lead = entry.get("lead")
    head = f"{edition.metric_name(lead)}{edition.metric(lead).text}，" if lead else ""
    if entry.get("style") == "sentence" and len(inds) == 1:
        return head + indicator_sentence(inds[0], with_base=False)
    if len(inds) == 1:
        return f"{head}{inds[0].name}{inds[0].actual.text}，{completion(inds[0])}"
    rates = [completion_text(i) for i in inds]
    return (head + "，".join(f"{i.name}{i.actual.text}" for i in inds)
            + f"，完成度分别为{'、'.join(rates[:-1])}和{rates[-1]}")


def final_outcome(indicators: list[IndicatorView]) -> str:
    """“5项核心指标均完成“十四五”目标” or “5项核心指标中4项完成“十四五”目标；未完成的……” (the final edition)."""
    if not indicators:
        return f"核心指标{fmt.MISSING}"
    plan = indicators[0].plan
    done = [i for i in indicators if i.final_verdict in plan.final_order()[:2]]
    if len(done) == len(indicators):
        return f"{len(indicators)}项核心指标均完成{plan.quoted}目标"
    text = f"{len(indicators)}项核心指标中{len(done)}项完成{plan.quoted}目标"
    missed = shortfalls(indicators)
    if missed:
        text += f"；{plan.missed_word}的{missed}"
    unknown = [i.name for i in indicators if i.final_verdict == fmt.MISSING]
    return text + (f"；{'、'.join(unknown)}{fmt.MISSING}" if unknown else "")


def cite_figure(sentence: str, number: str) -> str:
    """The sentence that first speaks of a figure, with its citation: “……目标（见图1-1）。”.

    The citation goes before the sentence's closing punctuation; a text without one ends with
    it (“……（见图1-1）”); an empty text stays empty (nothing refers to the figure there)."""
    text = (sentence or "").rstrip()
    if not text or not number:
        return text
    cite = f"（见{number}）"
    if text[-1] in "。；！？":
        return text[:-1] + cite + text[-1]
    return text + cite
