"""The 核查报告 (lib/beichen/dossier/: document.py and a module per part): the analyst's working document beside each edition.

The pages are checked without a build (fast); the built dossier comes with the session's 2024
build (`built_2024`: build_report builds it), and the 2025 one with tests/test_editions.py.
"""
from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from beichen.audit import checks as audit
from beichen.paths import DATA_DIR, NARRATIVE_DIR
from beichen.dossier import document as dz
from beichen.dossier import book_build, outline, pages
from _dossier_fixtures import dossier_2024  # noqa: F401  (fixtures)


def test_pages_are_the_same_on_every_build(report_data, dossier_2024):
    again = dz.Dossier(report_data, 2024, DATA_DIR, NARRATIVE_DIR, dossier_2024.gaps, "2025年11月")
    assert again.pages() == dossier_2024.pages()
    assert book_build.source_date_epoch("2025年11月") == 1761955200   # 2025-11-01T00:00:00Z (date -d … +%s)


# --- the built 2024 edition -------------------------------------------------------------------------------

@pytest.mark.build
def test_dossier_is_built_apart_from_the_2024_edition(built_2024):
    check = built_2024.check  # review/2024/, beside site/ (issue 20 item 6: site/ holds the report only)
    assert check == built_2024.site.parent / "review" / "2024"
    pages = {p.stem for p in check.glob("*.html")}
    assert {"index", "audit", "departures", "changes", "provenance", "gaps", "inputs"} <= pages
    assert not (check / ".buildinfo").exists()
    text = BeautifulSoup((check / "audit.html").read_text(encoding="utf-8"), "html.parser").get_text()
    assert "数据核查结果" in text and "所称“机器人产业链”是否为所列产业链" in text
    # Nothing of it in the publishable site: no folder, no page or file linking or naming it.
    assert not (built_2024.html / "check").exists() and not list(built_2024.site.rglob("dossier-*.pdf"))
    for path in built_2024.site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".js", ".json", ".txt", ".csv"):
            text = path.read_text(encoding="utf-8", errors="replace")
            for word in ("核查报告", "check/", "review/", "dossier"):
                assert word not in text, (path, word)


@pytest.mark.build
def test_dossier_pages_load_nothing_from_other_hosts(built_2024):
    """Moved out of the site (review/), its pages are still read offline, like the report's."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent))
    from _site_helpers import external_refs_in_html, html_files, soup_of

    pages = html_files(built_2024.check)
    assert len(pages) >= 7
    assert {p.name: bad for p in pages if (bad := external_refs_in_html(soup_of(p)))} == {}


@pytest.mark.pdf
def test_dossier_pdf_prints_the_audit(built_2024):
    import subprocess

    pdf = built_2024.check / "dossier-2024.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    squeezed = re.sub(r"\s+", "", text)
    # The source's check 715 − 442 = 273 (its 十四五 增量 of 国家级高新技术企业); the formula's minus is
    # printed as the full-width "－" of the Chinese face, as in the report (the faces have no U+2212).
    for needle in ("核查报告", "数据核查结果", "与原报告的差异", "数字来源", "输入文件校验值", "715－442=273"):
        assert needle in squeezed, needle
    assert "Missing character" not in (built_2024.staging / "2024" / "dossier" / "_build" / "latex"
                                       / "book.log").read_text(encoding="utf-8", errors="replace")


# --- the plan's last year with a revision (issue 22; tests/fixtures/final-year/scenario.py) ---------------


SECOND_PLAN = DATA_DIR.parent / "tests" / "fixtures" / "plan-15"   # the made-up 十五五 plan (no source report)


@pytest.fixture(scope="module")
def dossier_second_plan():
    from beichen.inputs.loading import load_all

    return dz.Dossier(load_all(SECOND_PLAN), 2026, SECOND_PLAN, SECOND_PLAN / "narrative",
                      {"missing": ["甲（实际值）"], "pending": []}, "2027年3月")


def test_which_plans_have_a_source_report(report_data, dossier_2024, dossier_second_plan):
    from beichen.audit.source_text import has_source_report

    assert has_source_report(DATA_DIR, report_data) and dossier_2024.page_list == outline.PAGES   # 十四五: unchanged
    assert not has_source_report(SECOND_PLAN, dossier_second_plan.data)
    # No source: the comparison part is left out and the others numbered on.
    assert dossier_second_plan.page_list == [
        ("index", "核查报告"), ("audit", "一、数据核查"), ("changes", "二、与上年版相比变化的数字"),
        ("provenance", "三、数字来源"), ("gaps", "四、缺失数据与待补充文字"),
        ("inputs", "五、输入文件校验值与构建信息"), ("claims", "六、表述核查与处理决定")]


def test_a_plan_without_a_source_report_says_what_it_checked(dossier_second_plan):
    pages = dossier_second_plan.pages()
    assert list(pages) == ["index", "audit", "changes", "provenance", "gaps", "inputs", "claims"]
    text = "\n".join(pages.values())
    # No source framing, no empty sentence, nothing of the 十四五 report.
    for word in ("原报告", "共运行0项", "（）", "：。", "十四五", "2020年", "逐段比对"):
        assert word not in text, word
    index = pages["index"]
    assert "数据核查：评价指标4项，逐项复算完成度、进展和序时进度（见第一部分）" in index
    assert "缺失数据：1项；待补充文字：0段（见第四部分）" in index
    audit = pages["audit"]
    # 表1-1 works each figure out from its rows (fixture README): completion, progress, 序时进度 1/5 = 20%.
    assert "| 1 | 瞪羚和独角兽企业数量 | indicator\\_values.csv 第2、3、4行 | 40家 | 80家 | 52家 | 52÷80＝65.0% |" in audit
    assert "0.4÷0.49＝81.6%" in audit                          # lower is better: target ÷ actual
    assert "（20.9−20）÷（25−20）＝18.0%；序时进度（2026−2025）÷（2030−2025）＝20.0%" in audit
    # 20.9÷25＝83.6% is below near_target_pct 90, but −2.0 points is inside the ±2 band, so the
    # plan's on_track word (plan.yml status_words.on_track), not 滞后; 能耗 at −10.0 stays 滞后.
    assert "稳步推进；相差−2.0个百分点：符合序时进度" in audit  # the band's edge is inside it
    assert "滞后；相差−10.0个百分点：慢于序时进度" in audit
    assert "相差在±2个百分点以内（含±2个百分点）" in audit     # the rule, from plan.yml
    assert "表3-1 评价指标的基数、目标和实际值的来源" in pages["provenance"]   # a caption in words
    assert "表3-1为数据文件 plan-15/indicator\\_values.csv 中的数字" in pages["provenance"]   # the file above it
    assert "| 数据来源 |" in pages["provenance"]
    assert "表5-2 输入文件校验值" in pages["inputs"] and "原报告原文" not in pages["inputs"]
    assert "# 六、表述核查与处理决定" in pages["claims"]


def test_a_later_plans_files_are_named_in_its_own_folder(tmp_path):
    """Issue 23: a plan in plans/<years>/ is told to edit its own files, never data/'s."""
    import shutil

    from beichen.inputs.loading import load_all
    from beichen.audit import status as st

    folder = tmp_path / "plans" / "2026-2030"
    shutil.copytree(SECOND_PLAN, folder)
    dossier = dz.Dossier(load_all(folder), 2026, folder, folder / "narrative",
                         {"missing": [], "pending": []}, "2027年3月")
    inputs = dossier.pages()["inputs"]
    assert "plans/2026-2030/indicators.csv（本版所用的行）" in inputs and "plans/2026-2030/meta/plan.yml" in inputs
    assert "data/" not in inputs
    draft = st.edition_status(2026, [], [], {}, folder="plans/2026-2030")
    assert draft.reasons == ["尚无审核签发记录（plans/2026-2030/meta/signoff.yml）"]
    (folder / "meta" / "signoff.yml").write_text("signoffs: 3\n", encoding="utf-8")
    with pytest.raises(st.SignOffError, match="^plans/2026-2030/meta/signoff.yml: "):
        st.load_signoffs(folder)


# --- the printed 核查报告 (issue 24 item 7): what the pages are made of --------------------------


def test_the_cover_title_is_two_lines_and_the_pdf_title_one():
    preamble = pages.latex_preamble("北辰区工业经济“十四五”规划后评估报告")
    assert r"\usepackage{beichen-dossier}" in preamble
    assert r"\title{北辰区工业经济“十四五”规划后评估报告\texorpdfstring{\\}{·}核查报告}" in preamble
    assert r"\&" in pages.latex_preamble("甲&乙")   # text from the plan is escaped for LaTeX
