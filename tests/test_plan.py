"""The plan as data (data/meta/plan.yml): years, thresholds and words, and a second plan in the same code."""
import shutil
from pathlib import Path

import pytest

from beichen.errors import BuildError
from beichen.inputs.plan import PlanError, load_plan


@pytest.fixture(scope="module")
def plan(report_data):
    return report_data.plan


def test_the_plan_file_gives_the_years_and_words(plan):
    # The source: “十四五” 2021–2025, base 2020 (“十三五”末).
    assert (plan.name, plan.base_year, plan.target_year) == ("十四五", 2020, 2025)
    assert plan.quoted == "“十四五”" and plan.previous_quoted == "“十三五”"
    assert (plan.first_edition, plan.last_edition) == (2021, 2025)


def test_elapsed_share_hand_worked(plan):
    # By the end of 2024, (2024 − 2020) / 5 = 0.8 of the plan has elapsed; 2023: 0.6.
    assert plan.elapsed_share(2024) == pytest.approx(0.8)
    assert plan.elapsed_share(2023) == pytest.approx(0.6)
    # A figure older than the period counts as 0, a newer one as 1.
    assert plan.elapsed_share(2019) == 0 and plan.elapsed_share(2026) == 1


def test_schedule_verdict_with_the_band(plan):
    # 0.48 progress at 0.6 elapsed is 12 points behind → 慢于; 8.0 vs 0.8 → 快于;
    # 0.81 vs 0.8 is within the ±2-point band → 符合.
    assert plan.schedule_verdict(0.48, 0.6) == "慢于序时进度"
    assert plan.schedule_verdict(8.0, 0.8) == "快于序时进度"
    assert plan.schedule_verdict(0.81, 0.8) == "符合序时进度"
    assert plan.schedule_verdict(0.779, 0.8) == "慢于序时进度"  # 2.1 points behind


def test_status_word_national_practice(plan):
    # The source's table: 107.6% and 155% are exceeded; 90.5% is “接近”.
    assert plan.status_word(107.6, 2024) == "超额完成"
    assert plan.status_word(90.5, 2024) == "接近目标"
    assert plan.status_word(100.0, 2024) == "提前完成"
    assert plan.status_word(100.0, 2025) == "完成"      # in the target year nothing is “提前”
    assert plan.status_word(75.0, 2024) == "滞后"
    # the 十四五 plan names no on_track word: below 90% is 滞后 whatever the schedule
    assert plan.status_word(75.0, 2024, "快于序时进度") == "滞后"
    # 99.96 rounds to the printed 100.0%, so it must not read as 接近目标.
    assert plan.status_word(99.96, 2024) == "提前完成"
    # and the final evaluation's 未完成 (data/meta/plan.yml missed_word)
    assert set(plan.status_order()) == {"超额完成", "提前完成", "完成", "接近目标", "滞后", "未完成"}


def test_years_outside_the_plan_are_refused_in_chinese(plan):
    plan.check_edition_year(2024)
    for year in (2020, 2026):
        with pytest.raises(BuildError, match=f"年份 {year} 超出“十四五”规划评估范围 2021–2025"):
            plan.check_edition_year(year)


def test_snapshot_rule(plan):
    # The 2024 edition (issued late 2025) carries 2025年1-10月.
    assert plan.snapshot_year(2024) == 2025 and plan.snapshot_period(2024) == "2025年1-10月"


def test_a_broken_plan_file_is_named(tmp_path, report_data):
    shutil.copytree(report_data.data_dir / "meta", tmp_path / "meta")
    path = tmp_path / "meta" / "plan.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("target_year: 2025", "target_year: 二〇二五"),
                    encoding="utf-8")
    with pytest.raises(PlanError, match="plan.yml: target_year .*应为整数年份"):
        load_plan(tmp_path)


def test_one_issuing_body(tmp_path, report_data):
    """Issue 20: the report speaks as the district (DESIGN.md), one name on the cover, in the PDF's
    metadata, in every page's footer and on the 核查报告: the plan's `author`; a second name is refused."""
    assert report_data.plan.author == "天津市北辰区"  # data/meta/plan.yml
    shutil.copytree(report_data.data_dir / "meta", tmp_path / "meta")
    path = tmp_path / "meta" / "plan.yml"
    path.write_text(path.read_text(encoding="utf-8") + "issuing_body: 天津市北辰区工业和信息化局\n", encoding="utf-8")
    with pytest.raises(PlanError, match="issuing_body 已并入 author"):
        load_plan(tmp_path)


def test_a_plan_with_an_on_track_word_keeps_behind_for_what_is_behind_schedule():
    # tests/fixtures/plan-15: status_words.on_track 稳步推进. In 2026 (1/5 of the period elapsed) a target
    # 65% complete whose progress is ahead of schedule is not 滞后; the same completion behind schedule is.
    from beichen.inputs.plan import load_plan

    later = load_plan(Path(__file__).parent / "fixtures" / "plan-15")
    assert later.status_word(65.0, 2026, "快于序时进度") == "稳步推进"
    assert later.status_word(83.6, 2026, "符合序时进度") == "稳步推进"
    assert later.status_word(81.6, 2026, "慢于序时进度") == "滞后"
    assert later.status_word(92.0, 2026, "快于序时进度") == "接近目标"   # ≥ 90: the completion word first
    assert later.status_word(65.0, 2030, "快于序时进度") == "未完成"     # the target year judges the target
    assert later.status_order().index("稳步推进") == later.status_order().index("滞后") - 1
