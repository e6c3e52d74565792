"""Classes of contradiction a careful reader of the source finds, beyond recomputing stated figures.

Each class is a list in data/meta/audit.yml (the source's words quoted verbatim, the figures named
by id); the rules are here, and every check is a `Check` (lib/beichen/audit/base.py) with its evidence;
lib/beichen/audit/checks.py runs them with the others:

- 增量与累计  a stated increase (新增 X) against the difference of the stated levels (累计 − 基数);
              no base in the data → 无法核查.
- 占比合理性  a share implausible for what it measures: against the same share stated for another
              year (it cannot move more than N points a year), or below the share of industries it
              must contain (医药制造 is 高技术制造业).
- 前后表述    a problem stated in chapter 四 against an achievement claimed in chapter 一: 不一致
              when the data bears the achievement out (the two cannot both be true); when the data
              does not, the problem stands and the claim's own check reports the achievement.
              Passages that contradict each other with no figure to decide (text_tensions) are
              不一致 until resolved.
- 产业链名称  a chain named outside the chain list that is not one of the chains of the data.
- 文字表述    a claim of exceeding targets: every subject needs a stated target and must reach it;
              a subject without a target makes the claim 无法核查, never 一致.
"""
from __future__ import annotations

from beichen import formatting as fmt
from beichen.audit.base import (MISMATCH, OK, UNCHECKABLE, AuditInputMissing, Check, Input, _half_up, _terms,
                                ref_from, value_text)
from beichen.model import formulas as calc
from beichen.model.edition import Edition



def _entries(edition: Edition, key: str, year: int) -> list[tuple[dict, Edition, int]]:
    """The registry's entries of `key` that apply to the edition of `year` (entered for it or earlier),
    each with the edition it was entered for and that edition's year: a claim is checked against the
    data of its own edition."""
    return [(e, edition.as_of(int(e["edition"])), int(e["edition"]))
            for e in edition.data.meta["audit"].get(key) or [] if int(e["edition"]) <= year]


def _one(spec: dict, db: Edition, year: int) -> Input:
    return ref_from(spec)(db, year)[0]


def _uncheckable(e: dict, category: str, item: str, err: Exception, stated: str = "") -> Check:
    return Check(e["id"], category, item, e.get("source", "—"), stated or f"“{e.get('words', '')}”",
                 fmt.MISSING, "—", UNCHECKABLE, note=f"缺少输入：{err}")


def increase_checks(edition: Edition, year: int) -> list[Check]:
    """新增 X vs 累计 − 基数 (exact for counts)."""
    checks = []
    for e, db, at in _entries(edition, "increases", year):
        try:
            inc, level = _one(e["increase"], db, at), _one(e["level"], db, at)
        except AuditInputMissing as err:
            checks.append(_uncheckable(e, "增量与累计", e["item"], err))
            continue
        stated = f"新增{inc.plain}，累计{level.plain}"
        if "base" not in e:
            checks.append(Check(e["id"], "增量与累计", e["item"], e["source"], stated, fmt.MISSING, "—", UNCHECKABLE,
                                formula="新增 = 累计 − 基数（缺基数）", inputs=(inc, level),
                                note="原报告未载基数及“新增”的统计期，无法由累计数核对新增数"))
            continue
        try:
            base = _one(e["base"], db, at)
        except AuditInputMissing as err:
            checks.append(_uncheckable(e, "增量与累计", e["item"], err, stated))
            continue
        diff = level.value - base.value
        verdict = OK if abs(diff - inc.value) < 1e-9 else MISMATCH
        base_year = db.plan.base_year
        checks.append(Check(
            e["id"], "增量与累计", e["item"], e["source"], f"{stated}，{base_year}年{base.plain}",
            f"累计 − 基数 = {value_text(diff, level.unit, 0)}", "0（计数）", verdict,
            formula=f"{level.number} − {base.number} = {fmt.number(diff)}（原报告新增{inc.number}）",
            inputs=(inc, level, base), computed=diff,
            note=("" if verdict == OK else
                  f"原报告未载明“新增”的统计期：若指{base_year + 1}—{at}年，应为{fmt.number(diff)}{level.unit}；"
                  f"若指{at}年当年，则{base_year + 1}—{at - 1}年仅净增{fmt.number(diff - inc.value)}{level.unit}，"
                  "与其他表述（如年均新增数）须一并核对")))
    return checks


def plausible_share_checks(edition: Edition, year: int) -> list[Check]:
    """A share against the same measure in another year, or against the shares it must contain."""
    checks = []
    for e, db, at in _entries(edition, "plausible_shares", year):
        try:
            share = _one(e["figure"], db, at)
            if "same_measure" in e:
                checks.append(_same_measure(e, db, at, share))
            else:
                checks.append(_at_least_chains(e, db, at, share))
        except AuditInputMissing as err:
            checks.append(_uncheckable(e, "占比合理性", e["item"], err))
    return checks


def _same_measure(e: dict, db: Edition, at: int, share: Input) -> Check:
    other = _one(e["same_measure"], db, at)
    years = max(1, abs(share.year - other.year))
    limit = float(e["max_pp_per_year"]) * years
    diff = abs(share.value - other.value)
    verdict = OK if diff <= limit + 1e-9 else MISMATCH
    return Check(
        e["id"], "占比合理性", e["item"], e["source"], f"{share.plain}（{share.year}年）",
        f"同一指标{other.plain}（{other.year}年），相差{value_text(diff, '个百分点', 1)}",
        f"每年至多{fmt.number(float(e['max_pp_per_year']))}个百分点×{years}年", verdict,
        formula=f"|{share.number} − {other.number}| = {fmt.number(_half_up(diff, 1), 1)}",
        inputs=(share, other), computed=diff,
        note=("" if verdict == OK else
              "一项结构性占比不可能在这一期间变动如此之大；所载数字疑为增速或其他口径"))


def _at_least_chains(e: dict, db: Edition, at: int, share: Input) -> Check:
    frame = db.chains(at=at)
    ids = list(e["at_least_chains"])
    missing = set(ids) - set(frame["chain_id"])
    if missing:
        raise AuditInputMissing(f"chains.csv 无 {sorted(missing)}")
    parts = [db.chain_value(row, "output_100m_yuan") for _, row in frame.iterrows() if row["chain_id"] in ids]
    total = _one(e["total"], db, at)
    floor = calc.share_pct(sum(p.value for p in parts), total.value)
    verdict = OK if share.value >= floor - 1e-9 else MISMATCH
    names = "、".join(p.label.removesuffix("产值") for p in parts)
    return Check(
        e["id"], "占比合理性", e["item"], e["source"], share.plain,
        f"不低于{value_text(floor, '%', 1)}（{names}产值占比）", f"下限：不低于{fmt.number(_half_up(floor, 1), 1)}",
        verdict,
        formula=f"{_terms(parts)} ÷ {total.number} × 100 = {fmt.number(_half_up(floor, 2), 2)}",
        inputs=(share, *parts, total), computed=floor,
        note=e.get("why", "") + ("" if verdict == OK else "；所载占比低于其所含产业的占比，疑为增速或其他口径"))


def _holds(db: Edition, evidence: Input, spec: dict, holds) -> tuple[bool, str]:
    """Whether the data bears an achievement out, and the figures that say so."""
    if holds == "reached":
        ind = db.indicator(spec["indicator"])
        if ind.completion_pct is None:
            raise AuditInputMissing(f"{ind.name}无目标值")
        return ind.reached, f"{ind.name}{ind.actual.text}，目标{ind.target.plain}，完成度{fmt.percent(ind.completion_pct)}，{ind.status}"
    floor = float(holds["at_least"])
    return evidence.value >= floor, f"{evidence.label}{evidence.text}"


def tension_checks(edition: Edition, year: int) -> list[Check]:
    checks = []
    for e, db, at in _entries(edition, "tensions", year):
        problem, achievement = e["problem"], e["achievement"]
        stated = f"“{problem['words']}”；“{achievement['words']}”"   # in the order of `where`
        where = f"{problem['source']}；{achievement['source']}"
        try:
            evidence = _one(e["evidence"], db, at)
            holds, facts = _holds(db, evidence, e["evidence"], e["holds"])
        except (AuditInputMissing, KeyError) as err:
            checks.append(Check(e["id"], "前后表述", e["item"], where, stated, fmt.MISSING, "—", UNCHECKABLE,
                                note=f"缺少输入：{err}"))
            continue
        verdict = MISMATCH if holds else OK
        note = (f"数据支持第一部分的表述，第四部分所称问题与之矛盾" if holds else
                f"数据不支持第一部分的表述（见该项文字表述核查），第四部分所称问题与数据相符")
        checks.append(Check(e["id"], "前后表述", e["item"], where, stated, facts, "—", verdict,
                            formula="第一部分的成绩由数据成立，则第四部分的问题不能同时成立",
                            inputs=(evidence,), note=note))
    return checks


def named_chain_checks(edition: Edition, year: int) -> list[Check]:
    checks = []
    aliases = edition.data.meta["audit"].get("chain_aliases") or {}
    for e, db, at in _entries(edition, "named_chains", year):
        frame = db.chains(at=at)
        names = list(frame.sort_index()["name"])
        wanted = aliases.get(e["chain"], e["chain"])
        found = wanted in names
        computed = (f"即{wanted}，在{len(names)}条产业链之中" if found and wanted != e["chain"]
                    else f"在{len(names)}条产业链之中" if found else f"不在{len(names)}条产业链之中")
        inputs = tuple(db.chain_value(row, "output_100m_yuan") for _, row in frame.sort_index().iterrows())
        checks.append(Check(
            e["id"], "产业链名称", f"所称“{e['chain']}”是否为所列产业链", e["source"], f"“{e['words']}”",
            computed, "—", OK if found else MISMATCH,
            formula=f"所列产业链：{'、'.join(names)}", inputs=inputs,
            note="" if found else f"原报告第二部分所列{len(names)}条产业链中没有{e['chain']}，其产值、企业数均未载明"))
    return checks


def exceeded_claim_checks(edition: Edition, year: int) -> list[Check]:
    """“超额完成目标”: every subject must have a stated target and reach it."""
    checks = []
    for e, db, at in _entries(edition, "exceeded_claims", year):
        without, behind, facts, inputs = [], [], [], []
        for subject in e["subjects"]:
            if "indicator" in subject:
                ind = db.indicator(subject["indicator"])
                if ind.completion_pct is None:
                    without.append(ind.name)
                    continue
                inputs += [ind.actual, ind.target]
                facts.append(f"{ind.name}完成度{fmt.percent(ind.completion_pct)}")
                if not ind.reached:
                    behind.append(ind.name)
            elif "metric" in subject:
                target = db.metric(subject["metric"], "target")
                actual = db.metric(subject["metric"], at=at)
                if target.missing or actual.missing:
                    without.append(db.metric_name(subject["metric"]))
                    continue
                inputs += [actual, target]
                facts.append(f"{actual.label}{actual.text}，目标{target.plain}")
                if actual.value < target.value:
                    behind.append(actual.label)
            else:
                without.append(subject["name"])
        if behind:
            verdict = MISMATCH
        elif without:
            verdict = UNCHECKABLE
        else:
            verdict = OK
        computed = "；".join(facts + ([f"{'、'.join(without)}：原报告未载目标"] if without else [])) or fmt.MISSING
        checks.append(Check(
            e["id"], "文字表述", e["item"], e["source"], f"“{e['words']}”", computed, "—", verdict,
            formula="“超额完成目标”须每一项均载有目标且完成度不低于100%", inputs=tuple(inputs),
            note=(f"{'、'.join(behind)}未达目标" if behind else
                  f"{'、'.join(without)}没有可比的目标值，无法判断是否超额完成" if without else "")))
    return checks


def text_tension_checks(edition: Edition, year: int) -> list[Check]:
    """Passages that cannot all be true as written, where no figure decides between them (a chain
    called complete and coordinated in one chapter and without coordination in another): always
    不一致, until the analyst's resolution (data/meta/resolutions.yml) says what the edition does."""
    checks = []
    for e, _, _ in _entries(edition, "text_tensions", year):
        quotes = e["quotes"]
        checks.append(Check(e["id"], "前后表述", e["item"], "；".join(q["source"] for q in quotes),
                            "；".join(f"“{q['words']}”" for q in quotes), "两处（或多处）表述不能同时成立", "—",
                            MISMATCH, formula="通读原文的判断，无数字可据以取舍", note=e.get("why", "")))
    return checks


def all_checks(edition: Edition, year: int) -> list[Check]:
    return (increase_checks(edition, year) + plausible_share_checks(edition, year)
            + tension_checks(edition, year) + text_tension_checks(edition, year) + named_chain_checks(edition, year)
            + exceeded_claim_checks(edition, year))
