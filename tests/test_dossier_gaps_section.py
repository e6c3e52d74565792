"""The 核查报告's 五、缺失数据与待补充文字 (lib/beichen/dossier/gaps_section.py)."""
from __future__ import annotations

from beichen.dossier import gaps_section
from _dossier_fixtures import dossier_2024, final_year_dossier  # noqa: F401  (fixtures)


def test_gaps_are_counted_once(dossier_2024):
    # 甲 is missing in two chapters: one figure. The landing page and build log use the same count.
    assert gaps_section.gap_summary(dossier_2024.gaps) == {"missing": ["甲（实际值）", "乙（目标）"],
                                                 "pending": ["00_summary/lead"]}
    assert "缺失数据2项" in dossier_2024.gaps_page() and "待补充文字1段" in dossier_2024.gaps_page()


def test_the_reviews_own_pending_passages_are_counted(final_year_dossier):
    _, d = final_year_dossier
    # every passage of check.md: make new-year stubbed each with a 待更新 line
    stubs = (d.narrative_dir / "2025" / "check.md").read_text(encoding="utf-8").count("<!-- 待更新")
    assert stubs == (d.narrative_dir / "2024" / "check.md").read_text(encoding="utf-8").count("<!-- passage:") == 14
    assert len(d.own_pending) == stubs
    assert f"待补充文字：报告正文1段，核查报告本身另有{stubs}段" in d.index()
    assert f"另有核查报告本身的待补充文字{stubs}段" in d.gaps_page()
