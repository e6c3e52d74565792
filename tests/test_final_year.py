"""The plan's last year reads as a completion assessment (issue 22): the 2025 edition (the plan's
target year, data/meta/plan.yml) compares each core indicator with its target — no 序时进度, no
projection or forecast words anywhere — and every figure of another year is labelled, in charts as
in text. The 2024 edition keeps its 序时进度 section.

Scenario data: tests/fixtures/final-year/scenario.py (MADE-UP 2025 figures); its docstring's hand
calculations are the expected values here.
"""
import importlib.util
import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest

from beichen.inputs.loading import load_all
from beichen.model.edition import Edition
from beichen.paths import DATA_DIR, REPO_ROOT
from beichen.render import appendix, chart_data, charts, sentences, tables

SCENARIO_FILE = Path(__file__).parent / "fixtures" / "final-year" / "scenario.py"
_spec = importlib.util.spec_from_file_location("final_year_scenario_model", SCENARIO_FILE)
scenario = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(scenario)

# What the final edition must not say (brief: grep for these in what it prints).
FORWARD_WORDS = re.compile(r"序时|外推|预计|预测|提前|进度")


@pytest.fixture(scope="module")
def scenario_data(tmp_path_factory):
    """conftest's data_copy, once for the module, with the scenario entered (no revision row)."""
    target = tmp_path_factory.mktemp("final-year-model") / "data"
    shutil.copytree(DATA_DIR, target, ignore=shutil.ignore_patterns("entry", ".import-work"))
    shutil.rmtree(target / "narrative" / "2025", ignore_errors=True)
    scenario.prepare(target, revise=False)
    return load_all(target)


@pytest.fixture(scope="module")
def final(scenario_data):
    edition = Edition(scenario_data, 2025)
    assert edition.is_final and edition.year == edition.plan.target_year  # the plan's year, not a typed 2025
    return edition


@pytest.fixture(scope="module")
def before(scenario_data):
    return Edition(scenario_data, 2024)


@pytest.fixture(scope="module")
def final_without_2025(report_data):
    """The plan's last year with nothing entered for it: every actual is older (2023 or 2024)."""
    return Edition(report_data, 2025)


def _core(edition):
    return {i.indicator_id: i for i in edition.indicators(core=True)}


# -- the model ----------------------------------------------------------------------------------

def test_final_verdicts_from_the_hand_calculations(final):
    core = _core(final)
    # scenario docstring: 40.4 / 37 = 109.2%; 55 / 55 = 100.0%; 768 / 650 = 118.2%; 38 / 20 = 190.0%; 30 / 29 = 103.4%
    expected = {"mfg_va_share_gdp": (109.2, "超额完成"), "sei_va_share": (100.0, "完成"),
                "hightech_firms": (118.2, "超额完成"), "smart_factories_digital_workshops": (190.0, "超额完成"),
                "green_factories": (103.4, "超额完成")}
    for key, (pct, word) in expected.items():
        assert round(core[key].completion_pct, 1) == pct
        assert core[key].final_verdict == word
        assert core[key].status == word  # the target year's status is the final verdict: nothing is “提前”


def test_an_older_actual_in_the_final_year_is_judged_and_dated(final_without_2025):
    core = _core(final_without_2025)
    sei = core["sei_va_share"]
    # 49.8 (2023) / 55 = 90.5%: below 100% in the target year is 未完成, not 接近目标; 49.8 − 55 = −5.2 points
    assert round(sei.completion_pct, 1) == 90.5 and sei.final_verdict == "未完成" and sei.status == "未完成"
    assert sentences.gap_at_end(sei) == "差5.2个百分点"
    counts = sentences.final_counts(list(core.values()))
    # 39.8/37 = 107.6%, 715/650 = 110.0%, 31/20 = 155.0%, 33/29 = 113.8% 超额完成; 90.5% 未完成; all older than 2025
    assert counts.startswith("5项核心指标中，4项超额完成、1项未完成（")
    assert "战略性新兴产业增加值占比为2023年数据" in counts and "制造业增加值占GDP比重为2024年数据" in counts
    outcome = sentences.final_outcome(list(core.values()))
    assert outcome == ("5项核心指标中4项完成“十四五”目标；未完成的战略性新兴产业增加值占比49.8%（2023年），"
                       "完成度90.5%，距目标差5.2个百分点")
    assert not FORWARD_WORDS.search(counts + outcome)


def test_the_plan_words_of_the_final_year(final):
    plan = final.plan
    assert plan.final_word(100.0) == "完成" and plan.final_word(100.04) == "完成"  # as printed: 100.0%
    assert plan.final_word(100.06) == "超额完成" and plan.final_word(99.9) == "未完成"
    assert plan.status_word(95.0, plan.target_year) == "未完成"
    assert plan.status_word(95.0, plan.target_year - 1) == "接近目标"  # before the last year: unchanged


def test_exactly_the_band_behind_is_on_schedule(final):
    """The documented ±2-point band (plan.yml schedule_band_pp), compared as printed."""
    plan = final.plan
    # 58% against 60%: 58.0 − 60.0 = −2.0 points, within the band (float arithmetic gives −2.0000000000000018)
    assert plan.schedule_verdict(0.58, 0.6) == "符合序时进度"
    assert plan.schedule_verdict(0.82, 0.8) == "符合序时进度"   # 82.0 − 80.0 = +2.0
    assert plan.schedule_verdict(0.579, 0.6) == "慢于序时进度"  # 57.9 − 60.0 = −2.1
    assert plan.schedule_verdict(0.821, 0.8) == "快于序时进度"  # 82.1 − 80.0 = +2.1


# -- sentences and tables -----------------------------------------------------------------------

def test_the_summary_assesses_completion(final):
    text = sentences.summary_findings(final)
    assert "**核心指标**：“十四五”规划期末，5项核心指标中，4项超额完成、1项完成。" in text
    assert "**目标完成情况**：5项核心指标均完成“十四五”目标。" in text
    core_lines = [line for line in text.splitlines() if "核心指标" in line or "目标完成情况" in line]
    assert len(core_lines) == 2 and not any(FORWARD_WORDS.search(line) for line in core_lines)


def test_the_summary_of_2024_still_reads_against_the_plan_period(before):
    text = sentences.summary_findings(before)
    assert "**核心指标**：5项核心指标中，4项超额完成、1项接近目标；对照规划序时进度，4项快于序时进度、1项慢于序时进度。" in text
    assert "**2025年展望**：按线性外推" in text


def test_the_completion_table_of_the_final_year(final):
    frame = tables.final_assessment_table(final, final.indicators(core=True))
    assert list(frame.columns) == ["指标", "2025年目标", "2025年实际", "完成度", "与目标相比", "判断"]
    rows = {r["指标"]: r for r in frame.to_dict("records")}
    # 40.4 − 37 = 3.4 points; 55 − 55 = 0; 768 − 650 = 118家; 38 − 20 = 18个; 30 − 29 = 1家
    assert [rows[n]["与目标相比"] for n in rows] == ["超出3.4个百分点", "持平", "超出118家", "超出18个", "超出1家"]
    assert [rows[n]["完成度"] for n in rows] == ["109.2%", "100.0%", "118.2%", "190.0%", "103.4%"]
    assert [rows[n]["判断"] for n in rows] == ["超额完成", "完成", "超额完成", "超额完成", "超额完成"]
    assert rows["国家级高新技术企业数量"]["2025年目标"] == "650家" and rows["国家级高新技术企业数量"]["2025年实际"] == "768家"
    lead = sentences.final_assessment_lead(final.indicators(core=True), "表1-2")
    assert lead.startswith("“十四五”规划期末，5项核心指标中，4项超额完成、1项完成（见表1-2）。")
    assert not FORWARD_WORDS.search(lead + frame.to_string())


def test_the_completion_table_dates_an_older_actual(final_without_2025):
    frame = tables.final_assessment_table(final_without_2025, final_without_2025.indicators(core=True))
    row = frame[frame["指标"] == "战略性新兴产业增加值占比"].iloc[0]
    assert row["2025年实际"] == "49.8%（2023年）" and row["判断"] == "未完成" and row["与目标相比"] == "差5.2个百分点"


# -- charts --------------------------------------------------------------------------------------

def test_completion_chart_labels_an_older_figure_with_its_year(before, final):
    frame, _ = chart_data.completion(before)
    labels = dict(zip(frame["name"], frame["label"]))
    # 49.8 (2023) / 55 = 90.5%, shown in the 2024 edition: its year on the bar, as the text says “（2023年）”
    assert labels["战略性新兴产业增加值占比"] == "90.5%（2023年）"
    assert labels["制造业增加值占GDP比重"] == "107.6%"  # 39.8 / 37, a 2024 figure: no year
    chart = charts.completion_chart(frame, "核心指标完成度")
    assert "战略性新兴产业增加值占比 90.5%（2023年），接近目标" in chart.alt_text
    final_frame, takeaway = chart_data.completion(final)
    assert set(final_frame["status"]) == {"超额完成", "完成"} and takeaway == "5项核心指标中，4项超额完成、1项完成。"
    assert not any("（" in label for label in final_frame["label"])  # all five are 2025 figures


def test_progress_chart_of_2024_labels_the_2023_figure(before):
    frame, _ = chart_data.progress(before)
    chart = charts.progress_chart(frame, "核心指标目标进度与序时进度")
    spec = chart.spec
    rows = [r for data in spec.get("datasets", {}).values() for r in data if r.get("name") == "战略性新兴产业增加值占比"]
    # (49.8 − 45) / (55 − 45) = 48.0% by 2023: the label says the actual is 2023's
    assert rows and rows[0]["label"] == "48.0%（2023年49.8%，目标55%）"
    assert "战略性新兴产业增加值占比 48.0%（2023年数据，慢于序时进度）" in chart.alt_text


def test_before_after_title_names_the_years_shown(final, before):
    frame, takeaway = chart_data.before_after(final)
    years = dict(zip(frame["name"], frame["year_after"]))
    assert years["首台（套）重大技术装备"] == 2024 and years["国家级高新技术企业"] == 2025
    assert chart_data.before_after_title(frame, final.plan.base_year) == "2020年与2024—2025年对比"
    # the largest increase is ranked among the 2025 figures only: 38 / 10 − 1 = 280.0% (智能工厂/数字化车间)
    assert takeaway == "与2020年相比，5项创新与数字化成果均有增长，2025年数据中智能工厂/数字化车间增幅最大（增长280.0%）。"
    chart = charts.before_after_chart(frame, f"创新与数字化成果：{chart_data.before_after_title(frame, 2020)}")
    assert "首台（套）重大技术装备由16个（2020年）增至32个（2024年）" in chart.alt_text
    frame_2024, takeaway_2024 = chart_data.before_after(before)
    assert chart_data.before_after_title(frame_2024, 2020) == "2020年与2024年对比"
    # 2024 as before: (31 − 10) / 10 = 210.0%
    assert takeaway_2024 == "与2020年相比，5项创新与数字化成果均有增长，其中智能工厂/数字化车间增幅最大（增长210.0%）。"


def test_ladder_states_its_figures_with_their_years_and_no_verdict(final, before):
    frame, takeaway = chart_data.ladder(final)
    texts, notes = dict(zip(frame["name"], frame["text"])), dict(zip(frame["name"], frame["note"]))
    assert texts["科技型中小企业"] == "776家（2024年）" and texts["高新技术企业"] == "768家"
    assert notes["科技型中小企业"] == "2024年" and notes["高新技术企业"] == ""
    assert takeaway == "科技型企业路径以科技型中小企业776家（2024年）为基础，专精特新路径以创新型中小企业421家（2024年）为基础。"
    assert "扎实" not in takeaway and "金字塔" not in takeaway
    assert chart_data.older_years_note(frame["year"].dropna(), final.year) == "（2024—2025年）"
    chart = charts.ladder_chart(frame, "企业梯度培育双路径（2024—2025年）", takeaway)
    assert "科技型中小企业 776家（2024年） → 高新技术企业 768家" in chart.alt_text
    # on the chart the year stands beside the tier's name; the value label inside the bar stays short
    rows = {r["name"]: r for part in chart.spec["hconcat"] for r in chart.spec["datasets"][part["data"]["name"]]}
    assert rows["科技型中小企业"]["row"] == "1. 科技型中小企业（2024年）" and rows["科技型中小企业"]["label"] == "776家"
    assert rows["高新技术企业"]["row"] == "2. 高新技术企业" and rows["科技型中小企业"]["figure"] == "776家（2024年）"
    frame_2024, takeaway_2024 = chart_data.ladder(before)
    assert chart_data.older_years_note(frame_2024["year"].dropna(), before.year) == ""
    assert takeaway_2024 == "科技型企业路径以科技型中小企业776家为基础，专精特新路径以创新型中小企业421家为基础。"


# -- the appendix --------------------------------------------------------------------------------

def test_the_final_appendix_defines_completion_and_nothing_forward(final):
    text = appendix.methods_text(final)
    assert not FORWARD_WORDS.search(text), FORWARD_WORDS.findall(text)
    for word in ("超额完成", "完成", "未完成"):
        assert f"为“{word}”" in text  # defined as the claims ledger reads definitions
    assert "接近目标" not in text and "滞后" not in text
    sources = appendix.sources_text(final)
    assert "快报数" not in sources  # the 2026年1-10月 snapshot was left blank
    assert "快报数" not in appendix.readme_text(final)


def test_the_2024_appendix_keeps_its_methods_and_snapshot(before):
    text = appendix.methods_text(before)
    original = json.loads((REPO_ROOT / "chapters" / "06_appendix.ipynb").read_text(encoding="utf-8"))
    assert "序时进度" in text and "2025年外推值" in text and "“预计可达目标”" in text
    # the plan's band and threshold (plan.yml), as the appendix printed them before they came from data
    assert "高于序时进度2个百分点以上" in text and "不低于90%为“接近目标”" in text
    assert "如“49.8%（2023年）”" in text
    assert not any("序时进度" in "".join(c["source"]) for c in original["cells"])  # one home: appendix.py
    assert "2025年1-10月数据为快报数" in appendix.sources_text(before)


# -- chapter 一's template ------------------------------------------------------------------------

def _finished(tmp_path, final_edition: bool) -> str:
    from beichen.publish.build import _finish_notebook

    path = tmp_path / "01_targets.ipynb"
    shutil.copy2(REPO_ROOT / "chapters" / "01_targets.ipynb", path)
    _finish_notebook(path, final=final_edition)
    return "\n".join(c.source for c in nbformat.read(path, as_version=4).cells)


def test_chapter_one_section_four_by_edition(tmp_path):
    final_text = _finished(tmp_path, True)
    assert "## （四）目标完成情况" in final_text and "final_assessment_table" in final_text
    assert "序时进度" not in final_text and "projection" not in final_text and "progress_chart" not in final_text
    earlier = _finished(tmp_path, False)
    assert "## （四）补充分析" in earlier and "### 1.序时进度" in earlier and "progress_table" in earlier
    assert "目标完成情况" not in earlier and "final_assessment_table" not in earlier


def test_the_review_counts_what_the_final_edition_computes(final, before):
    from beichen.audit import checks

    assert "可计算完成度的5项" in checks.coverage_sentence(final)
    assert not FORWARD_WORDS.search(checks.coverage_sentence(final))
    assert "可计算完成度、序时进度和2025年外推值的5项" in checks.coverage_sentence(before)
