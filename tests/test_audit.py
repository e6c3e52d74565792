"""The data audit: every stated figure recomputed, every inconsistency of the source found.

Expected values come from the source report (section named) or hand calculation, as noted.
"""

import pytest

from beichen.audit import checks as audit
from beichen.inputs.loading import load_all
from beichen.render.narrative import Narrative
from beichen.paths import REPO_ROOT
from beichen.model.edition import Edition, Provenance

SOURCE = REPO_ROOT.parent / "shared" / "source" / "000_bca0e5e0cc621ee0.txt"

# The inconsistencies found by reading the source (data/README.md “Known inconsistencies” 1–6).
EXPECTED_MISMATCHES = {
    "little_giant_firms-twice",            # 一(一)3 累计20家 vs 三(三)1 19家
    "sei_va_share-claim",                  # 一(一)2 “双达标” vs 90.5%
    "green_factories-near-claim",          # 一(一)5 “接近目标” vs 113.8%
    "smart_factories-doubled-claim",       # 一(一)4 “翻倍” vs 3.1倍
}
# The classes of contradiction of lib/beichen/audit/contradictions.py (data/meta/audit.yml), found by reading:
# They quote the source in data/meta/audit.yml (words), so they need no finding passage of their own.
QUOTED_MISMATCHES = {
    "hightech_firms-increase",             # 一(一)3 新增208家 vs 715 − 442 = 273
    "sei_va_share_in_text-plausible",      # 一(一)2 2.3% vs 49.8%（2023）: 47.5 points in a year
    "hightech_mfg_va_share-plausible",     # 一(一)2 1.1% < (69.2 + 20.1) ÷ 1389.9 = 6.42% (医药制造)
    "mfg_va-tension",                      # 四(一)2 “制造业增加值不高” vs 一(一)1 超目标 (107.6%)
    # Passages that cannot all hold, with no figure to decide (a careful reader's findings):
    "chain_coordination-tension",          # 一(一)1 “产业链协同效应显著” vs 四(一)1 “没有形成…协同发展”
    "digital_level-tension",               # 三(一)2 “数字化转型标杆” vs 四(一)3 “平台还处于初级水平”
    "chain_system-tension",                # “3+4+2” vs “四个支柱产业链” vs “5条超百亿元产业链”
    "robot-chain", "machine_tool-chain",   # 四(一)1 机器人、工业母机产业链: not among the nine
    "robot_growth-chain",                  # 四(二)2 机器人产业链产值同比增长60%
}
EXPECTED_MISMATCHES |= QUOTED_MISMATCHES
EXPECTED_ROUNDING = {"chain_output-stated_sum-2024"}  # 1294.1 vs nine chains 1294.3
EXPECTED_UNCHECKABLE = {"hightech_mfg_va_share-claim", "rd_intensity-claim",  # no target in the source
                        "enterprise_tech_centers-increase",   # 新增4家，累计84家: no base stated
                        "projects-exceeded",                  # 三 “三大工程均超额完成阶段目标”: no targets
                        "green_transition-exceeded"}          # 一(三)4 节能诊断、去产能: no targets
# Points found by reading that no number can check (README items 7–9 and the “2+3” composition).
EXPECTED_TEXTUAL = {"chapter_numbering", "smart_factories_units", "smart_factories_target_5y",
                    "industrial_system_2_3"}


@pytest.fixture(scope="module")
def checks(report_data):
    return audit.run_audit(Edition(report_data, 2024))


def _by_id(checks):
    return {c.check_id: c for c in checks}


def _verdicts(checks, verdict):
    return {c.check_id for c in checks if c.verdict == verdict}


# --- the real data ------------------------------------------------------------------------------

def test_audit_finds_every_inconsistency_of_the_source(checks):
    assert _verdicts(checks, audit.MISMATCH) == EXPECTED_MISMATCHES
    assert _verdicts(checks, audit.ROUNDING) == EXPECTED_ROUNDING
    assert _verdicts(checks, audit.UNCHECKABLE) == EXPECTED_UNCHECKABLE
    # 62 checks: the 2.3% contradiction counted once (not also as “同一数字两处”), no false alarm on the
    # solution providers, no lower-bound reading of “翻倍”, three passages-against-passages added.
    assert len(checks) == 62
    assert audit.verdict_counts(checks) == {"一致": 42, "在舍入误差内": 1, "不一致": 14, "无法核查": 5}
    assert [c.number for c in checks] == list(range(1, len(checks) + 1))
    assert len({c.check_id for c in checks}) == len(checks)


def test_every_stated_figure_in_the_data_is_checked(report_data, checks):
    ids = {c.check_id for c in checks}
    metrics = report_data.metrics
    for row in metrics[metrics["kind"].str.startswith("stated_")].itertuples():
        assert f"{row.metric_id}-{row.kind}-{row.year}" in ids, row.metric_id
    values = report_data.indicator_values
    for row in values[values["kind"] == "stated_completion_pct"].itertuples():
        assert f"completion-{row.indicator_id}-{row.year}" in ids
    for row in report_data.chains[report_data.chains["stated_share_pct"].notna()].itertuples():
        assert f"chain_share-{row.chain_id}-{row.year}" in ids
    # …and every one has a rule: nothing is 无法核查 for want of one.
    assert not [c.check_id for c in checks if "未定义" in c.note]


def test_figures_the_source_states_are_reproduced(checks):
    c = _by_id(checks)
    # 一(一)1: 1294.1 / 1389.9 = 93.107% → 93.1%.
    share = c["chain_output_share-stated_share_pct-2024"]
    assert share.verdict == audit.OK and share.computed == pytest.approx(93.107, abs=1e-3)
    # 一(一)1 480家 = sum of the nine chains (二(一)): 115+101+16+110+55+49+4+19+11 = 480, exact.
    firms = c["chain_firms-stated_sum-2024"]
    assert firms.verdict == audit.OK and firms.computed == 480 and firms.tolerance_text == "0（计数）"
    # 1294.1 vs 1294.3 (hand sum of 二(一)), 9 rounded parts → ±0.45.
    output = c["chain_output-stated_sum-2024"]
    assert output.computed == pytest.approx(1294.3) and output.tolerance_text == "±0.45（9项×0.05）"
    # 中医药 “占比5%”: 69.2 / 1389.9 = 4.98%, stated without decimals → ±0.5.
    tcm = c["chain_share-tcm-2024"]
    assert tcm.verdict == audit.OK and tcm.tolerance_text == "±0.5"
    # 一(三)1 “超80%”: (425.1+324.4+130.6+126.7+116.4) / 1389.9 = 80.81% ≥ 80.
    over = c["chains_over_100bn_output_share-stated_share_min_pct-2024"]
    assert over.verdict == audit.OK and over.computed == pytest.approx(80.81, abs=0.01)
    # 一(二)表 “年均新增超50家”: (715 − 442) / 4 = 68.25 ≥ 50.
    assert c["hightech_firms_avg_annual_increase-stated_avg_annual_increase_min-2024"].computed == pytest.approx(68.25)
    # 一(一)4 “翻倍”: one claim, one verdict — 31 ÷ 10 = 3.1倍 is not “about twice” (no second,
    # lower-bound reading of the same words that would call it 一致).
    assert c["smart_factories-doubled-claim"].computed_text == "3.1倍"
    assert c["smart_factories-doubled-claim"].verdict == audit.MISMATCH
    assert not [k for k in c if k.startswith("smart_factories_multiple_of_base")]
    # 三(三)1 “两位数增长”: 机器人60%, 信创27.8% hold; 生物医药 7.7% (二(一)2) is noted.
    growth = c["emerging_chains_growth-stated_growth_min_pct-2024"]
    assert growth.verdict == audit.OK and "生物医药产业链同比增长为7.7%" in growth.note
    # 一(一)5: 9 + 24 = 33; 二(一)1 新材料 is the largest chain; 9 chains; 5 over 100亿元.
    assert c["green_factories-sum"].verdict == audit.OK
    assert c["new_materials_chain_rank-stated_rank-2024"].computed == 1
    assert c["industrial_chains-stated_count-2024"].computed == 9
    assert c["chains_over_100bn-stated_count-2024"].computed == 5


def test_every_input_is_traceable_to_its_data_row(report_data, checks):
    """Each Input names a file and line: that line of the CSV holds the key it claims."""
    lines = {name: (report_data.data_dir / name).read_text(encoding="utf-8").splitlines()
             for name in ("metrics.csv", "indicator_values.csv", "chains.csv")}
    refs = [r for c in checks for r in c.refs]
    assert len(refs) > 100
    for ref in refs:
        prov = ref.provenance
        line = lines[prov.file][prov.line - 1]
        assert line.startswith(prov.key + ","), (ref, line)
        assert f",{prov.source}," in line and line.endswith(f",{prov.edition}"), (ref, line)


def test_tables_for_the_appendix(checks):
    results = audit.results_table(checks)
    assert list(results.columns) == ["序号", "核查项", "原报告位置", "原报告数值", "计算值", "误差容限", "结论"]
    assert len(audit.RESULTS_ALIGN) == len(results.columns)
    assert len(results) == len(checks)
    assert (results["结论"] == "不一致").sum() == 14  # EXPECTED_MISMATCHES
    assert not results.apply(lambda col: col.str.contains("*", regex=False)).any().any()  # no Markdown in cells
    inputs = audit.inputs_table(checks)
    assert len(audit.INPUTS_ALIGN) == len(inputs.columns)
    row = inputs[inputs["序号"] == str(_by_id(checks)["chain_output-stated_sum-2024"].number)].iloc[0]
    assert row["计算式"] == "425.1 + 324.4 + 130.6 + 126.7 + 116.4 + 74.8 + 69.2 + 20.1 + 7 = 1294.3"
    assert "chains.csv 第2–10行" in row["数据来源与说明"] and "metrics.csv 第12行" in row["数据来源与说明"]
    assert audit.summary_sentence(checks).startswith("共运行62项核查（完成度5项、占比11项、占比合理性2项、")


# --- tolerances, hand-worked ------------------------------------------------------------------------

def _stated(value, decimals, unit="%", kind="stated_share_pct"):
    ref = audit.Input(value, 2024, unit, 2024, decimals, Provenance("metrics.csv", 2, "x", "一", 2024), "x")
    return audit.Stated("x", value, unit, decimals, kind, "一", ref)


def _computed(value, parts=1, unit="%"):
    return audit.Computed(value, (), "", unit, parts=parts)


def test_judge_rounding_tolerance():
    # 93.1 stated: |93.107 − 93.1| = 0.007 ≤ 0.05 → 一致; 93.16 is 0.06 off → 不一致.
    assert audit.judge(_stated(93.1, 1), _computed(93.107))[0] == audit.OK
    assert audit.judge(_stated(93.1, 1), _computed(93.16))[0] == audit.MISMATCH
    # A sum of 9 one-decimal parts: 0.2 off is within 9 × 0.05 = 0.45, 0.5 is not.
    total = _stated(1294.1, 1, "亿元", "stated_sum")
    assert audit.judge(total, _computed(1294.3, 9, "亿元"))[0] == audit.ROUNDING
    assert audit.judge(total, _computed(1294.6, 9, "亿元"))[0] == audit.MISMATCH
    # Counts are exact: 480 vs 479 → 不一致 with tolerance 0.
    assert audit.judge(_stated(480, 0, "家", "stated_sum"), _computed(479, 9, "家")) == (audit.MISMATCH, "0（计数）")
    # Lower bounds (“超80%”): 80.81 ≥ 80 → 一致; 79.9 → 不一致.
    bound = _stated(80, 0, "%", "stated_share_min_pct")
    assert audit.judge(bound, _computed(80.81))[0] == audit.OK
    assert audit.judge(bound, _computed(79.9))[0] == audit.MISMATCH


def test_stated_text_in_the_sources_words():
    assert audit.stated_text(90, "%", 0, "超") == "超90%"
    assert audit.stated_text(20, "家", 0, "余") == "20余家"
    assert audit.stated_text(2, "倍", 0) == "翻倍"
    assert audit.stated_text(1, "位", 0) == "第1位"
    assert audit.printed_decimals(5.0) == 0 and audit.printed_decimals(30.6) == 1


# --- seeded inconsistencies in a copy of the data ----------------------------------------------------

def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not found in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_seeded_inconsistencies_are_caught(data_copy, tmp_path):
    # A chain's stated share, the stated in-chain total, a part of a count and a stated completion.
    _edit(data_copy / "chains.csv", "new_materials,新材料产业链,超百亿,2024,115,425.1,,30.6,",
          "new_materials,新材料产业链,超百亿,2024,115,425.1,,32.6,")
    _edit(data_copy / "metrics.csv", "chain_output,在链企业完成工业产值,亿元,1,2024,2024,1294.1,",
          "chain_output,在链企业完成工业产值,亿元,1,2024,2024,1290.0,")
    _edit(data_copy / "metrics.csv", "im_projects_pilot_demo,获批试点示范项目,个,0,2024,截至2024年,9,",
          "im_projects_pilot_demo,获批试点示范项目,个,0,2024,截至2024年,8,")
    _edit(data_copy / "indicator_values.csv", "hightech_firms,2024,stated_completion_pct,110,",
          "hightech_firms,2024,stated_completion_pct,101,")
    # …and one inconsistency of the source corrected: both passages now say 20.
    _edit(data_copy / "metrics.csv", "little_giant_firms,“小巨人”企业,家,0,2024,截至2024年,19,",
          "little_giant_firms,“小巨人”企业,家,0,2024,截至2024年,20,")
    edition = Edition(load_all(data_copy), 2024)
    checks = _by_id(audit.run_audit(edition))
    assert checks["chain_share-new_materials-2024"].verdict == audit.MISMATCH   # 30.58 vs 32.6
    assert checks["chain_output-stated_sum-2024"].verdict == audit.MISMATCH     # 1294.3 vs 1290.0
    assert checks["chain_output_share-stated_share_pct-2024"].verdict == audit.MISMATCH  # 1290/1389.9 = 92.81
    assert checks["im_projects-stated_sum-2024"].verdict == audit.MISMATCH      # 15 + 8 + 5 = 28 ≠ 29
    assert checks["completion-hightech_firms-2024"].verdict == audit.MISMATCH   # 110.0 vs 101
    assert checks["little_giant_firms-twice"].verdict == audit.OK
    # The appendix lists each of them; those without a passage of their own get a generated text.
    narrative = Narrative(edition, "check")
    listed = "\n".join(audit.findings(list(checks.values()), narrative))
    assert "新材料产业链产值占比" in listed and "原报告二(一)1载为32.6%" in listed
    assert "获批新模式、试点示范或系统解决方案供应商的项目（合计）" in listed
    assert "“小巨人”企业数量前后不一" in listed   # the year's passage is kept, with the new verdict
    assert "〔表1-1第" in listed and "：一致〕" in listed


def test_a_stated_figure_without_a_rule_is_listed_not_skipped(data_copy):
    with (data_copy / "metrics.csv").open("a", encoding="utf-8") as f:
        f.write("new_thing_share,新事物占比,%,1,2024,2024,12.5,stated_share_pct,三(一)1,,,,2024\n")
    checks = _by_id(audit.run_audit(Edition(load_all(data_copy), 2024)))
    new = checks["new_thing_share-stated_share_pct-2024"]
    assert new.verdict == audit.UNCHECKABLE and "未定义" in new.note


def test_missing_input_makes_a_check_uncheckable(data_copy):
    _edit(data_copy / "indicator_values.csv", "green_factories,2025,target,29,一(二)表,2024\n", "")
    checks = _by_id(audit.run_audit(Edition(load_all(data_copy), 2024)))
    assert checks["completion-green_factories-2024"].verdict == audit.UNCHECKABLE
    assert checks["green_factories-near-claim"].verdict == audit.UNCHECKABLE


def test_a_later_edition_without_narrative_still_audits(report_data, tmp_path):
    edition = Edition(report_data, 2025)
    checks = audit.run_audit(edition)
    assert len(checks) == 62
    items = audit.findings(checks, Narrative(edition, "check", tmp_path))
    assert len(items) == 15   # 14 不一致 + 1 在舍入误差内, generated text
    assert all("〔表1-1第" in item for item in items)


# --- the year's finding passages quote the source faithfully --------------------------------------

@pytest.fixture(scope="module")
def source_text():
    if not SOURCE.exists():
        pytest.skip(f"source report not found at {SOURCE}")
    return SOURCE.read_text(encoding="utf-8")


def test_finding_passages_quote_the_source(report_data, source_text):
    edition = Edition(report_data, 2024)
    narrative = Narrative(edition, "check")
    names = audit.finding_passages(narrative)
    assert names
    for name in names:
        text = narrative.render(name)
        assert audit.quotes(text), f"{name}: no quote of the source"
        assert not audit.unquoted(text, source_text), (name, audit.unquoted(text, source_text))


def test_findings_cover_checks_and_textual_points(report_data, checks):
    edition = Edition(report_data, 2024)
    narrative = Narrative(edition, "check")
    ids = {c.check_id for c in checks}
    names = {n.removeprefix(audit.FINDING_PREFIX) for n in audit.finding_passages(narrative)}
    # A passage either belongs to a check (no typo in its name) or is one of the textual points.
    assert names - ids == EXPECTED_TEXTUAL
    # Every inconsistency has its own passage quoting both sides.
    assert (EXPECTED_MISMATCHES - QUOTED_MISMATCHES) | EXPECTED_ROUNDING <= names
    items = audit.findings(checks, narrative)
    assert len(items) == len(names | QUOTED_MISMATCHES)
    # Those without a passage: the source's words and the evidence, generated from the check.
    robot = next(i for i in items if "所称“机器人产业链”" in i)
    assert "原报告四(一)1：“工业母机、机器人产业链拥有较高知名度”；核查：不在9条产业链之中" in robot
    assert items[0].startswith("（1）") and "不一致〕" in items[0]   # contradictions come first


def test_quote_checker_catches_a_misquote(source_text):
    good = "> 一(一)3：“小巨人”企业累计20家"
    assert audit.unquoted(good, source_text) == []
    assert audit.unquoted("> 一(一)3：“小巨人”企业累计21家", source_text)
    # Table cells in order, whitespace ignored; out of order fails.
    assert audit.unquoted("> 一(二)表：国家级/市级绿色工厂数量｜19家｜29家｜33家", source_text) == []
    assert audit.unquoted("> 一(二)表：国家级/市级绿色工厂数量｜33家｜19家", source_text)


def test_claims_and_named_lists_are_in_the_source(source_text, edition_2024):
    for claim in audit.claims(edition_2024):
        assert claim.words in source_text, claim.words
    for entry in audit.named_counts(edition_2024):
        for name in entry.names:
            assert name in source_text, name


# --- the audit's rules as data (data/meta/audit.yml metric_rules, issue 23) ---------------------------

def test_a_rule_for_a_new_stated_figure_is_written_in_audit_yml(data_copy):
    # A share added with its rule in audit.yml, no code: 全国重点实验室 2 of 2 + 16 重点实验室 (三(三)1)
    # hand: 2 ÷ (2 + 16) × 100 = 11.1%
    with (data_copy / "metrics.csv").open("a", encoding="utf-8") as f:
        f.write("national_labs_share,全国重点实验室占比,%,1,2024,2024,11.1,stated_share_pct,三(三)1,,,,2024\n")
    import yaml

    path = data_copy / "meta" / "audit.yml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    raw["metric_rules"]["national_labs_share"] = {
        "rule": "share", "part": {"metric": "national_key_labs"},
        "whole": [{"metric": "national_key_labs"}, {"metric": "municipal_key_labs"}]}
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    checks = _by_id(audit.run_audit(Edition(load_all(data_copy), 2024)))
    new = checks["national_labs_share-stated_share_pct-2024"]
    assert new.verdict == audit.OK and new.computed == pytest.approx(100 * 2 / 18)


def test_without_metric_rules_the_registry_is_empty(report_data):
    import dataclasses

    meta = dict(report_data.meta)
    meta["audit"] = {k: v for k, v in report_data.meta["audit"].items() if k != "metric_rules"}
    assert audit.metric_rules(Edition(dataclasses.replace(report_data, meta=meta), 2024)) == {}
    # the 十四五 plan's twelve rules (data/meta/audit.yml), among them the rank of 新材料 (二(三): first)
    rules = audit.metric_rules(Edition(report_data, 2024))
    assert len(rules) == 12 and "new_materials_chain_rank" in rules


def test_a_malformed_rule_is_refused_in_chinese():
    with pytest.raises(audit.MetricRuleError, match="metric_rules.x: rule “mean” 应为 total"):
        audit.audit_rule("x", {"rule": "mean"})
    with pytest.raises(audit.MetricRuleError, match="应为 metric、indicator、chains 之一"):
        audit.audit_ref({"figure": "first_sets"})


def test_the_near_target_band_is_the_plans(report_data):
    import dataclasses

    # plan.yml rules.near_target_pct: 90 (the source calls 90.5% 接近目标); another plan's 85
    assert "“接近目标”须完成度在90%至100%之间" in audit.method_text(report_data.plan)
    other = dataclasses.replace(report_data.plan, near_target_pct=85.0)
    assert "“接近目标”须完成度在85%至100%之间" in audit.method_text(other)


def test_an_unknown_id_in_a_metric_rule_is_named_before_the_audit_runs(report_data):
    raw = {"chain_firms": {"rule": "total", "parts": {"chains": "enterprises"}},
           "first_sets_multiple_of_base": {"rule": "ratio", "new": {"metric": "first_set"},
                                           "old": {"metric": "first_sets", "year": "base"}},
           "new_materials_chain_rank": {"rule": "rank", "chain": "new_material"},
           "no_such_metric": {"rule": "mean"}}
    problems = audit.metric_rule_problems(raw, set(report_data.indicators["indicator_id"]),
                                          set(report_data.metrics["metric_id"]), set(report_data.chains["chain_id"]))
    assert problems == [
        "meta/audit.yml: metric_rules.first_sets_multiple_of_base: “first_set” 不在 metrics.csv 的 metric_id 中；改正：改为已有的标识",
        "meta/audit.yml: metric_rules.new_materials_chain_rank: “new_material” 不在 chains.csv 的 chain_id 中；改正：改为已有的标识",
        "meta/audit.yml: metric_rules.no_such_metric: “no_such_metric” 不是本规划的统计数字（不在 metrics.csv 的 metric_id 中）；"
        "改正：改为其中已有的标识，或删去这条规则",
        "meta/audit.yml: metric_rules.no_such_metric: rule 应为 total、count、share、ratio、growth、rank、each_at_least 之一；"
        "改正：按 data/meta/audit.yml 的说明填写"]
    # the 十四五 plan's own rules are all sound
    assert audit.metric_rule_problems(report_data.meta["audit"]["metric_rules"], set(report_data.indicators["indicator_id"]),
                                      set(report_data.metrics["metric_id"]), set(report_data.chains["chain_id"])) == []
