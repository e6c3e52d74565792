"""Data-driven sentences, compared with the source's own wording."""
from beichen.render import sentences


def test_indicator_sentence_reads_as_the_source(edition_2024):
    # Source 一(一)1: “…占全区生产总值比重39.8%，较“十四五”目标（37%）超额2.8个百分点，
    # 较“十三五”末（36.6%）提升3.2个百分点”; completion 107.6% from 一(二)表.
    mfg = edition_2024.indicator("mfg_va_share_gdp")
    assert sentences.indicator_sentence(mfg) == (
        "制造业增加值占GDP比重39.8%，较“十四五”目标（37%）超额2.8个百分点，"
        "较“十三五”末（36.6%）提升3.2个百分点，完成度107.6%")


def test_below_target_and_count_units(edition_2024):
    # Hand calculation: 55 − 49.8 = 5.2 points short; 715 − 650 = 65家 above.
    sei = edition_2024.indicator("sei_va_share")
    assert sentences.against_target(sei) == "距“十四五”目标（55%）尚差5.2个百分点"
    hightech = edition_2024.indicator("hightech_firms")
    assert sentences.against_target(hightech) == "较“十四五”目标（650家）超额65家"
    # Source 一(一)3: “较2020年的442家增长61.8%”.
    assert sentences.against_base(hightech) == "较2020年的442家增长61.8%"


def test_status_and_schedule_counts(edition_2024):
    core = edition_2024.indicators(core=True)
    # Source 一(二)表: four above 100%, 战略性新兴产业 at 90.5%.
    assert sentences.status_counts(core) == "5项核心指标中，4项超额完成、1项接近目标"
    # Hand calculation: only 战略性新兴产业 (0.48 vs 0.6) is behind the plan period.
    assert sentences.schedule_counts(core) == "4项快于序时进度、1项慢于序时进度"


def test_chain_sentence(edition_2024):
    # Source 二(一)1: “现代轻工产业链，101家在链企业实现产值324.4亿元，同比增长3.6%，占比23.3%”.
    assert sentences.chain_sentence("现代轻工产业链", 101, 324.4, 1389.9, 3.6) == (
        "现代轻工产业链，101家企业实现产值324.4亿元，同比增长3.6%，占规上工业总产值23.3%")
    # No growth stated → no growth clause (新能源 二(一)1: 130.6亿元, 9.4%).
    assert sentences.chain_sentence("新能源产业链", 16, 130.6, 1389.9, float("nan")) == (
        "新能源产业链，16家企业实现产值130.6亿元，占规上工业总产值9.4%")


def test_snapshot_sentence(edition_2024, report_data):
    # Source 四(二)2: “2025年1-10月份，全区574家规上工业企业累计实现产值1152.5亿元，同比下降0.3%，增加值增速1%”.
    assert sentences.snapshot_sentence(edition_2024) == (
        "2025年1-10月份，全区574家规上工业企业累计实现产值1152.5亿元，同比下降0.3%，增加值增速1%。")
    from beichen.model.edition import Edition
    # nothing entered and nothing recorded as unpublished (data/unpublished.csv): 未录入, never 尚未发布
    assert sentences.snapshot_sentence(Edition(report_data, 2021)) == "2022年1-10月快报数据未录入。"


def test_multiple_since_reads_naturally(edition_2024):
    # Source 一(一)3: 首台(套) 32 “较2020年的16个翻倍”; hand calc for 智能工厂 31 / 10 = 3.1倍.
    assert sentences.multiple_since(edition_2024.metric("first_sets"),
                                    edition_2024.metric("first_sets", year=2020)) == "较2020年的16个翻倍"
    smart = edition_2024.indicator("smart_factories_digital_workshops")
    base = smart.base.__class__(smart.base.value, 2020, smart.unit, 2024)
    assert sentences.multiple_since(smart.actual, base) == "为2020年10个的3.1倍"


def test_cite_figure():
    from beichen.render.sentences import cite_figure
    # the citation goes inside the sentence, before its full stop (as in “……（见图1-1）。”)
    assert cite_figure("5项核心指标中，4项超额完成、1项接近目标。", "图1-1") == \
        "5项核心指标中，4项超额完成、1项接近目标（见图1-1）。"
    assert cite_figure("产值合计1294.1亿元", "图2-1") == "产值合计1294.1亿元（见图2-1）"
    assert cite_figure("", "图2-1") == ""


# --- the summary from the plan's catalogue (data/meta/report.yml `summary`, issue 23) --------------

def _with_report(report_data, **changes):
    import dataclasses

    meta = dict(report_data.meta)
    meta["report"] = {**report_data.meta["report"], **changes}
    return dataclasses.replace(report_data, meta=meta)


def test_summary_bullets_are_the_plans(edition_2024):
    # 摘要 of the source: 质量效益 (规模以上工业总产值1389.9亿元, 一(一)1), 产业链, 智能创新与数字经济,
    # 绿色发展 — as report.yml `summary` lists them; then the outlook and 近期运行 (the snapshot).
    text = sentences.summary_findings(edition_2024)
    labels = [line.split("**")[1] for line in text.splitlines()]
    assert labels == ["核心指标", "质量效益", "产业链", "智能创新与数字经济", "绿色发展", "2025年展望", "近期运行"]
    assert "- **质量效益**：规模以上工业总产值1389.9亿元，制造业增加值占GDP比重39.8%，" in text
    # 一(二)表: 715家 at 110.0%, 31个 at 155.0%
    assert ("- **智能创新与数字经济**：国家级高新技术企业数量715家，智能工厂/数字化车间数量31个，"
            "完成度分别为110.0%和155.0%。") in text


def test_without_a_summary_list_one_bullet_per_dimension_and_no_snapshot_line(report_data):
    from beichen.model.edition import Edition

    data = _with_report(report_data, summary=[], snapshot={"table": [], "chart": []})
    text = sentences.summary_findings(Edition(data, 2024))
    labels = [line.split("**")[1] for line in text.splitlines()]
    # The five dimensions of plan.yml, each with one core indicator (indicators.csv core=true), in
    # plan.yml order; no 近期运行 without a snapshot.
    assert labels == ["核心指标", "质量效益", "结构调整", "智能创新", "数字经济", "绿色发展", "2025年展望"]
    assert "- **结构调整**：战略性新兴产业增加值占比49.8%（2023年），完成度90.5%。" in text


def test_a_snapshot_without_its_sentence_names_each_figure(report_data):
    from beichen.model.edition import Edition

    snapshot = {"table": ["above_scale_industrial_output_jan_oct"], "chart": []}
    text = sentences.snapshot_sentence(Edition(_with_report(report_data, snapshot=snapshot), 2024))
    # 四(二)2: 2025年1-10月 规上工业总产值1152.5亿元 (metrics.csv name of the figure)
    assert text.startswith("2025年1-10月，") and "1152.5亿元" in text and text.endswith("。")
    assert sentences.has_snapshot(Edition(_with_report(report_data, snapshot={}), 2024)) is False


def test_no_class_of_large_chains_no_clause(report_data):
    from beichen.model.derived import derived_figures
    from beichen.model.edition import Edition

    edition = Edition(_with_report(report_data, large_chains=None), 2024)
    k = derived_figures(edition)
    # 一(一)1: 480家, 1294.1亿元, 93.1% — and nothing about 超百亿元产业链
    assert sentences.chains_summary(edition, k) == "480家在链企业完成工业产值1294.1亿元，占规上工业总产值的93.1%"
