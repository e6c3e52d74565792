"""Issue 22, dated words: headings and 表5-1 come from the year's own text or from data, a section with
nothing to show says so in one sentence, 尚未发布 only when recorded, the pending mark never leaks
markup, and the 待补充 list names passages in the report's words.

Scenario data: tests/fixtures/final-year/scenario.py (MADE-UP 2025 figures; the 2026 snapshot left
blank; of the 2025 text only chapter 二's intro and 新材料's passage written)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from beichen.inputs.loading import load_all
from beichen.model.edition import Edition
from beichen.paths import NARRATIVE_DIR
from beichen.publish.build import template_title_keys, whole_headings
from beichen.render import chart_data, sentences, tables
from beichen.render.narrative import PENDING_PLAIN, Narrative, heading_subtitles, passage_label

SCENARIO_FILE = Path(__file__).parent / "fixtures" / "final-year" / "scenario.py"
_spec = importlib.util.spec_from_file_location("final_year_scenario_words", SCENARIO_FILE)
scenario = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(scenario)

SNAPSHOT_2026 = ["above_scale_industrial_firms_jan_oct", "above_scale_industrial_output_jan_oct",
                 "above_scale_industrial_output_jan_oct_growth", "above_scale_industrial_va_jan_oct_growth"]


@pytest.fixture
def final_year(data_copy):
    """data_copy after README's 第1–4步 for 2025 (no revision row): (data dir, its 2025 edition)."""
    scenario.prepare(data_copy, revise=False)
    return data_copy, Edition(load_all(data_copy), 2025)


def _chapter_five(edition, narrative_dir):
    text = Narrative(edition, "05_recommendations", narrative_dir)
    for name in ("synergy", "innovation", "chains", "ecosystem"):
        text.render(name)
    return text


# --- 1. headings -----------------------------------------------------------------------------------

def test_2024_headings_read_as_before(report_data):
    titles = heading_subtitles(NARRATIVE_DIR, 2024, template_title_keys(), report_data.meta["report"]["headings"])
    # the source's headings, word for word (二、三 and 二(一)1–2)
    assert titles["title_industry"] == "：从“规划布局”到“生态成型”"
    assert titles["title_projects"] == "：从“蓝图设计”到“标杆示范”"
    assert titles["title_lead_chains"] == "超百亿元产业链支撑作用凸显"
    assert titles["title_featured_chains"] == "特色产业链多元协同发展"


def test_pending_headings_are_plain_never_last_years(final_year):
    data_dir, edition = final_year
    titles = heading_subtitles(data_dir / "narrative", 2025, template_title_keys(),
                               edition.data.meta["report"]["headings"])
    assert titles["title_industry"] == titles["title_projects"] == titles["title_completion"] == ""
    assert titles["title_lead_chains"] == "超百亿元产业链"      # “1.超百亿元产业链”
    assert titles["title_featured_chains"] == "特色产业链"
    assert not any("凸显" in t or "规划布局" in t or "蓝图设计" in t for t in titles.values())


def test_chapter_five_headings_are_the_years_words_or_pending(report_data, final_year):
    """五's sections (issue 25): the 2024 headings are the source's run-in headings 五1–4, word for word;
    a year that has not written them shows them pending, never 2024's words."""
    keys = template_title_keys(report_data)
    titles = heading_subtitles(NARRATIVE_DIR, 2024, keys, whole_headings(report_data.meta["report"]))
    assert [titles[f"title_recommendation_{n}"] for n in ("synergy", "innovation", "chains", "ecosystem")] == [
        "强化京津冀协同，加快引育新动能", "实施创新驱动，推动数字化转型", "完善产业链机制，打造优势产业集群",
        "优化产业生态，提高发展质量和效益"]
    assert titles["title_innovation"] == "：创新主体与成果双扩容"   # 一(一)3's subtitle keeps its own words
    data_dir, edition = final_year
    pending = heading_subtitles(data_dir / "narrative", 2025, keys, whole_headings(edition.data.meta["report"]))
    assert pending["title_recommendation_synergy"] == PENDING_PLAIN
    # its stub is a pending passage, named by its place (the chapter's text lists its stubs when opened)
    assert "五、1. 小标题" in _chapter_five(edition, data_dir / "narrative").pending


# --- 2. 表5-1 --------------------------------------------------------------------------------------

def test_2024_targets_table_lists_the_targets_its_text_cites_in_units_from_data(edition_2024):
    text = _chapter_five(edition_2024, NARRATIVE_DIR)
    frame = tables.targets_table(edition_2024, text.cited_targets)
    # 智能工厂/数字化车间 is counted in 个 (indicators.csv): 40 − 31 = 9个;
    # 集成商 in 家 like 三(一)1's 系统解决方案商 5家: 12 − 5 = 7家
    assert frame.values.tolist() == [["智能工厂和数字化车间累计目标", "40个", "31个", "9个"],
                                     ["智能制造和工业互联网系统解决方案集成商累计目标", "12家", "5家", "7家"]]
    assert tables.targets_note(frame) == ""


def test_no_targets_table_while_the_years_chapter_five_is_pending(final_year):
    data_dir, edition = final_year
    text = _chapter_five(edition, data_dir / "narrative")
    assert text.cited_targets == []
    assert tables.targets_table(edition, text.cited_targets).empty   # the notebook prints no 表5-1 then


def test_a_target_cited_by_the_years_text_is_listed_alone(final_year):
    data_dir, edition = final_year
    path = data_dir / "narrative" / "2025" / "05_recommendations.md"
    scenario._write_passage(path, "innovation", "智能工厂和数字化车间累计达到{{ v('smart_factories_target_5y', 'target') }}。\n")
    text = _chapter_five(edition, data_dir / "narrative")
    frame = tables.targets_table(edition, text.cited_targets)
    # scenario: 38个 in 2025; 40 − 38 = 2个
    assert frame.values.tolist() == [["智能工厂和数字化车间累计目标", "40个", "38个", "2个"]]


# --- 3 and 4. the snapshot: one sentence, 未录入 unless recorded as not published ---------------

def test_a_blank_snapshot_is_said_missing_in_one_sentence(final_year):
    _, edition = final_year
    assert sentences.snapshot_absent(edition) == "2026年1-10月快报数据未录入。"
    assert sentences.snapshot_sentence(edition) == "2026年1-10月快报数据未录入。"
    frame, takeaway = chart_data.snapshot(edition)
    assert frame["value"].isna().all() and "尚未发布" not in takeaway   # the notebook draws no 图4-1


def test_2024_snapshot_is_shown(edition_2024):
    assert sentences.snapshot_absent(edition_2024) == ""
    assert "1152.5亿元" in sentences.snapshot_sentence(edition_2024)   # source 四(二)2


def test_not_published_only_when_recorded_and_only_from_its_edition(final_year):
    data_dir, _ = final_year
    lines = ["metric_id,year,source,edition"] + [f"{m},2026,区统计局,2025" for m in SNAPSHOT_2026]
    (data_dir / "unpublished.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    data = load_all(data_dir)
    edition = Edition(data, 2025)
    assert edition.unpublished("above_scale_industrial_output_jan_oct", 2026)
    assert sentences.snapshot_absent(edition) == "2026年1-10月快报数据尚未发布。"
    assert not Edition(data, 2024).unpublished("above_scale_industrial_output_jan_oct", 2026)


def test_a_record_of_not_published_is_superseded_by_a_value(edition_2024, data_copy):
    # the 2025 snapshot has values (source 四(二)2): a record says nothing once the figure is there
    (data_copy / "unpublished.csv").write_text("metric_id,year,source,edition\n"
                                               "above_scale_industrial_output_jan_oct,2025,区统计局,2024\n",
                                               encoding="utf-8")
    assert not Edition(load_all(data_copy), 2024).unpublished("above_scale_industrial_output_jan_oct", 2025)


# --- 5. the pending mark in a table cell ---------------------------------------------------------

def test_pending_mark_in_a_table_cell_is_plain_text(final_year):
    data_dir, edition = final_year
    text = Narrative(edition, "01_targets", data_dir / "narrative")
    core = edition.indicators(core=True)
    merits = {i.indicator_id: text.render(f"merit_{i.indicator_id}") for i in core}
    table = tables.markdown_table(tables.core_indicator_table(edition, core, merits), "表1-1 核心指标完成亮点")
    assert PENDING_PLAIN in table and "**" not in table and "\\*" not in table


# --- 6. the 待补充 list in the report's words ------------------------------------------------------

def test_pending_passages_are_named_by_their_place_in_the_report(final_year):
    data_dir, edition = final_year
    text = Narrative(edition, "01_targets", data_dir / "narrative")
    text.render("merit_mfg_va_share_gdp")
    text.render("quality")
    chains = Narrative(edition, "02_industry", data_dir / "narrative")
    chains.render("chain_new_energy")
    five = _chapter_five(edition, data_dir / "narrative")
    # chapter 一's six subtitles are stubs in 2025: listed first, when the chapter's text is opened
    assert text.pending == ["一、（一）完成情况 小标题", "一、（一）1.质量效益 小标题", "一、（一）2.结构调整 小标题",
                            "一、（一）3.智能创新 小标题", "一、（一）4.数字经济 小标题", "一、（一）5.绿色发展 小标题",
                            "一、（二）表1-1 突出成效：制造业增加值占GDP比重", "一、（一）1.质量效益"]
    assert chains.pending == ["二、产业发展 章标题", "二、（一）1.超百亿元产业链 小标题", "二、（一）2.特色产业链 小标题",
                              "二、（一）1.超百亿元产业链：新能源产业链"]
    # chapter 五's four sections (issue 25): their headings' words and their text
    assert five.pending == ["五、1. 小标题", "五、2. 小标题", "五、3. 小标题", "五、4. 小标题",
                            "五、1.", "五、2.", "五、3.", "五、4."]
    for label in text.pending + chains.pending + five.pending:
        assert "/" not in label and "_" not in label


def test_labels_of_title_passages_and_of_the_review(edition_2024):
    assert passage_label("02_industry", "title_industry", edition_2024) == "二、产业发展 章标题"
    assert passage_label("02_industry", "title_lead_chains", edition_2024) == "二、（一）1.超百亿元产业链 小标题"
    assert passage_label("check", "finding-x", edition_2024, what="“小巨人”企业数量（两处）") == \
        "核查报告：“小巨人”企业数量（两处）"


def test_the_entry_sheet_records_not_published(data_copy):
    """README 第2步 with 未发布 typed in 本年数值 for the 2026 snapshot: recorded, said 尚未发布."""
    import csv

    from beichen.publish.new_year import new_year
    from beichen.inputs.intake import import_entry

    new_year(2025, data_dir=data_copy, narrative_dir=data_copy / "narrative", log=lambda *_: None)
    path = data_copy / "entry" / "2025.csv"
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        if row["标识"] in SNAPSHOT_2026:
            row["本年数值"] = "未发布"
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, list(rows[0]), lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
    import_entry(2025, path, data_copy, backup_dir=data_copy.parent / "backup", log=lambda *_: None)
    data = load_all(data_copy)
    assert sentences.snapshot_absent(Edition(data, 2025)) == "2026年1-10月快报数据尚未发布。"
    assert sentences.snapshot_absent(Edition(data, 2024)) == ""   # 2024 has its 2025 snapshot, unchanged
    # typed again as blank: the record of this edition is dropped, the snapshot is 未录入 again
    for row in rows:
        if row["标识"] in SNAPSHOT_2026:
            row["本年数值"] = ""
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, list(rows[0]), lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
    import_entry(2025, path, data_copy, backup_dir=data_copy.parent / "backup2", log=lambda *_: None)
    assert sentences.snapshot_absent(Edition(load_all(data_copy), 2025)) == "2026年1-10月快报数据未录入。"


def test_not_published_is_refused_for_a_figure_of_the_year(data_copy):
    import csv

    from beichen.publish.new_year import new_year
    from beichen.inputs.intake import EntryError, import_entry

    new_year(2025, data_dir=data_copy, narrative_dir=data_copy / "narrative", log=lambda *_: None)
    path = data_copy / "entry" / "2025.csv"
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    next(r for r in rows if r["标识"] == "hightech_firms")["本年数值"] = "未发布"
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, list(rows[0]), lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(EntryError, match="未发布"):
        import_entry(2025, path, data_copy, backup_dir=data_copy.parent / "backup", log=lambda *_: None)
