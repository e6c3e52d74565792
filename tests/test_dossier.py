"""The 核查报告 (lib/beichen/dossier/: document.py and a module per part): the analyst's working document beside each edition.

The pages are checked without a build (fast); the built dossier comes with the session's 2024
build (`built_2024`: build_report builds it), and the 2025 one with tests/test_editions.py.
"""
from __future__ import annotations

import hashlib
import re

import pytest
from bs4 import BeautifulSoup

from beichen.audit import checks as audit
from beichen.model.edition import Edition
from beichen.paths import DATA_DIR, NARRATIVE_DIR
from beichen.dossier import document as dz
from beichen.dossier import (audit_section, book_build, departures_section, gaps_section, inputs_digest, outline,
                             pages, provenance, wording, year_on_year)


@pytest.fixture(scope="module")
def dossier_2024(report_data):
    gaps = {"missing": ["甲（实际值）", "甲（实际值）", "乙（目标）"],
            "pending": ["00_summary/lead"]}
    return dz.Dossier(report_data, 2024, DATA_DIR, NARRATIVE_DIR, gaps, "2025年11月")


def test_pages_are_the_same_on_every_build(report_data, dossier_2024):
    again = dz.Dossier(report_data, 2024, DATA_DIR, NARRATIVE_DIR, dossier_2024.gaps, "2025年11月")
    assert again.pages() == dossier_2024.pages()
    assert book_build.source_date_epoch("2025年11月") == 1761955200   # 2025-11-01T00:00:00Z (date -d … +%s)


def test_audit_page_has_every_check_with_its_evidence(dossier_2024):
    page = dossier_2024.audit()
    checks = dossier_2024.checks
    assert audit.summary_sentence(checks) in page
    tabled, stated = audit_section.split_checks(checks)
    for c in tabled:
        assert f"| {c.number} | {c.item} |" in page, c.check_id   # 表1-1 results
    for c in stated:   # the checks of the source's wording: a paragraph each, after 表1-1
        assert wording.nest_quotes(f"**第{c.number}项　{c.item}**（原报告{c.source}）") in page, c.check_id
    # 表1-2: the worked formula and the data rows of, e.g., the in-chain total (nine chains).
    assert "425.1 + 324.4 + 130.6 + 126.7 + 116.4 + 74.8 + 69.2 + 20.1 + 7 = 1294.3" in page
    assert "chains.csv 第2–10行" in page
    assert "（1）" in page and "不一致〕" in page                    # findings, contradictions first


def test_departures_are_listed_with_reasons(dossier_2024):
    """Without a built text the page lists the entries as declared, and says they were not compared;
    the build's departures (tests/test_departures.py) are listed by kind under their reasons."""
    page = dossier_2024.departures_page()
    import yaml
    raw = yaml.safe_load((DATA_DIR / "meta" / "departures.yml").read_text(encoding="utf-8"))["departures"]
    entries = [e for e in raw if e["edition"] == 2024]
    assert dossier_2024.departures == entries and len(entries) >= 2   # every entry of the edition
    assert "本版未与原报告逐段比对" in page and "条说明（未与正文比对）" in dossier_2024.index()
    for entry in entries:
        assert wording._esc(entry["reason"]) in page
    assert "本版为规划期首个评估版本，无上年版" in page


def test_found_departures_are_listed_by_kind_with_their_reasons(report_data, tmp_path):
    from beichen.audit import departures as dp
    from tests.test_departures import EDITION, SPLIT, edited, make_book, make_data

    chapters = edited(**{"01_targets": ("增长110%", "增长110.0%")})
    book = make_book(tmp_path / "book", chapters)
    data = make_data(tmp_path / "data", SPLIT + "  - edition: 2024\n    kind: reformatted\n    rule: one-decimal\n"
                                                "    reason: 印到一位小数。\n")
    check = dz.Dossier(report_data, 2024, DATA_DIR, NARRATIVE_DIR, {"missing": [], "pending": []}, "2025年11月",
                       found=dp.check(book, data, 2024))
    page = check.departures_page()
    assert "共有差异3处：改变格式3处" in page and "### 1. 改变格式（3处）" in page
    assert "印到一位小数。" in page and "原报告一(一)1（第7行）" in page and "〔110.0%〕" in page
    assert "与原报告的差异：3处（改变格式3处）" in check.index()


def test_gaps_are_counted_once(dossier_2024):
    # 甲 is missing in two chapters: one figure. The landing page and build log use the same count.
    assert gaps_section.gap_summary(dossier_2024.gaps) == {"missing": ["甲（实际值）", "乙（目标）"],
                                                 "pending": ["00_summary/lead"]}
    assert "缺失数据2项" in dossier_2024.gaps_page() and "待补充文字1段" in dossier_2024.gaps_page()


def test_provenance_cites_the_data_rows(report_data, dossier_2024):
    tables = dict(provenance.provenance_tables(report_data, 2024))
    assert list(tables) == ["indicator_values.csv", "metrics.csv", "chains.csv"]
    lines = (DATA_DIR / "indicator_values.csv").read_text(encoding="utf-8-sig").splitlines()
    row = tables["indicator_values.csv"].set_index("数字").loc["国家级高新技术企业数量（基数）"]
    assert row["数值"] == "442家" and row["所属年份"] == "2020年"
    assert lines[int(row["数据行"].strip("第行")) - 1].startswith("hightech_firms,2020,base,442,")
    chains = tables["chains.csv"].set_index("数字")
    assert chains.loc["新材料产业链产值", "数值"] == "425.1亿元"            # 二(一)1
    assert len(chains) == 9 * 2 + 4   # firms and output of nine chains, growth of four (二(一))


def test_checksums_are_the_files_sha256(report_data, dossier_2024):
    table = inputs_digest.checksum_table(report_data, DATA_DIR, NARRATIVE_DIR, 2024)
    shown = {name: digest.replace(" ", "") for name, digest in zip(table["文件"], table["SHA-256"])}
    # The real data holds only 2024 rows: the edition's rows are the whole file (BOM and line ends aside).
    metrics = (DATA_DIR / "metrics.csv").read_bytes().decode("utf-8-sig").encode("utf-8")
    assert shown["data/metrics.csv（本版所用的行）"] == hashlib.sha256(metrics).hexdigest()
    meta = DATA_DIR / "meta" / "departures.yml"
    assert shown["data/meta/departures.yml"] == hashlib.sha256(meta.read_bytes()).hexdigest()
    assert "data/editions.csv" in shown and "narrative/2024/01_targets.md" in shown


def test_changes_since_last_year(report_data):
    """The 2025 edition against 2024 in the real data (entered for 2024 only): nothing to compare for
    2024; for a copy with a 2025 row, that figure is listed with old, new and change."""
    assert year_on_year.changes(report_data, 2024) is None
    import dataclasses

    import pandas as pd
    values = report_data.indicator_values
    extra = pd.DataFrame([{"indicator_id": "hightech_firms", "year": 2025, "kind": "actual", "value": 768.0,
                           "source": "区科技局", "edition": 2025}], index=[len(values)])
    data = dataclasses.replace(report_data, indicator_values=pd.concat([values, extra]))
    table = year_on_year.changes(data, 2025).set_index("数字")
    row = table.loc["国家级高新技术企业数量（实际值）"]
    # 715家（2024，一(二)表） → 768家（2025）: +53家.
    assert (row["上年版"], row["本版"], row["变化"]) == ("715家（2024年）", "768家（2025年）", "+53家")
    assert len(table) == 1


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


def test_a_line_break_in_a_reason_cannot_start_a_code_block_or_drop_lines(report_data, data_copy):
    """Issue 21: a newline in a departure's reason dropped lines and turned the rest into a code block.
    The reason is one line of text on the page, every word of it kept."""
    from markdown_it import MarkdownIt

    path = data_copy / "meta" / "departures.yml"
    reason = "第一行\n\n```\n第二行 `代码`\n    第三行缩进\n- 第四行"
    path.write_text(path.read_text(encoding="utf-8") + "  - edition: 2024\n    kind: removed\n    where: 一(一)1\n"
                    "    source: 某段\n    reason: |\n" + "".join(f"      {line}\n" for line in reason.splitlines()),
                    encoding="utf-8")
    page = dz.Dossier(report_data, 2024, data_copy, data_copy / "narrative", {"missing": [], "pending": []},
                      "2025年11月").departures_page()
    tokens = MarkdownIt("commonmark").parse(page)
    assert not [t for t in tokens if t.type in ("fence", "code_block", "html_block")]
    text = " ".join(t.content for t in tokens if t.type == "inline")
    line = next(t.content for t in tokens if t.type == "inline" and "第一行" in t.content)
    for word in ("第一行", "第二行", "第三行缩进", "第四行"):
        assert word in line, word
    assert "第四行" in text


# --- the plan's last year with a revision (issue 22; tests/fixtures/final-year/scenario.py) ---------------

@pytest.fixture(scope="module")
def final_year_dossier(tmp_path_factory):
    import importlib.util
    import shutil
    from pathlib import Path

    from beichen.inputs.loading import load_all

    spec = importlib.util.spec_from_file_location(
        "final_year_scenario", Path(__file__).parent / "fixtures" / "final-year" / "scenario.py")
    scenario = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scenario)
    data_dir = tmp_path_factory.mktemp("final-year") / "data"
    shutil.copytree(DATA_DIR, data_dir, ignore=shutil.ignore_patterns("entry", ".import-work"))
    shutil.rmtree(data_dir / "narrative" / "2025", ignore_errors=True)
    scenario.prepare(data_dir)
    gaps = {"missing": [], "pending": ["00_summary/lead"]}
    return scenario, dz.Dossier(load_all(data_dir), 2025, data_dir, data_dir / "narrative", gaps, "2026年")


def test_the_review_lists_each_revision_with_old_new_who_and_why(final_year_dossier):
    scenario, d = final_year_dossier
    assert d.revisions.to_dict("records") == [{
        "数字": "新材料产业链产值", "所属年份": "2024年", "原值（版本）": "425.1亿元（2024年版）",   # source 二(一)1
        "修订值": "426.5亿元", "修订人（来源）": scenario.REVISION_SOURCE, "修订原因": scenario.REVISION_REASON}]
    assert "表3-2 本版修订的往年数字" in d.changes_page()
    assert "本版修订的往年数字：1个" in d.index()


def test_the_review_counts_the_departures_it_carries_from_2024(final_year_dossier):
    _, d = final_year_dossier
    carried = len(departures_section.departures(d.data_dir, 2024))
    assert carried > 0 and departures_section.departures(d.data_dir, 2025) == []
    assert f"与原报告的差异：沿用2024年版的说明{carried}条（本版未与原报告逐段比对）" in d.index()
    assert "0条说明" not in d.index() and "中没有2025年版的条目" not in d.departures_page()
    assert f"差异及其说明（{carried}条）列于下" in d.departures_page()


def test_the_reviews_own_pending_passages_are_counted(final_year_dossier):
    _, d = final_year_dossier
    # every passage of check.md: make new-year stubbed each with a 待更新 line
    stubs = (d.narrative_dir / "2025" / "check.md").read_text(encoding="utf-8").count("<!-- 待更新")
    assert stubs == (d.narrative_dir / "2024" / "check.md").read_text(encoding="utf-8").count("<!-- passage:") == 14
    assert len(d.own_pending) == stubs
    assert f"待补充文字：报告正文1段，核查报告本身另有{stubs}段" in d.index()
    assert f"另有核查报告本身的待补充文字{stubs}段" in d.gaps_page()


def test_a_new_figure_is_not_also_listed_as_unchanged(final_year_dossier):
    _, d = final_year_dossier
    new = d.changes[d.changes["变化"] == "新增"]["数字"].tolist()
    assert new == ["新材料产业链同比增长"]   # 2024 edition: no growth stated for 新材料 (二(一)1); 2025: −5.9
    same = year_on_year.changes(d.data, 2025, same_value=True)
    assert "新材料产业链同比增长" not in same["数字"].tolist()
    assert "数值与上年版相同" not in d.changes_page() or "新材料产业链同比增长" not in d.changes_page().split("数值与上年版相同")[1]


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
    from beichen.publish import status as st

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

def test_a_quotation_inside_a_quotation_takes_single_marks():
    """GB/T 15834-2011 4.1.3: a quotation inside a quotation in ‘’, one inside that in “” again."""
    assert wording.nest_quotes("改写：““小巨人”企业累计20家”改为“19家”") == "改写：“‘小巨人’企业累计20家”改为“19家”"
    assert wording.nest_quotes("“甲‘乙“丙”乙’甲”") == "“甲‘乙“丙”乙’甲”"          # already right: unchanged
    assert wording.nest_quotes("“甲“乙“丙”乙”甲”") == "“甲‘乙“丙”乙’甲”"          # three levels
    assert wording.nest_quotes("一行“甲”\n二行“乙“丙”乙”") == "一行“甲”\n二行“乙‘丙’乙”"  # line by line
    # marks that do not pair up (an excerpt cut inside a quotation): left as they are
    assert wording.nest_quotes("原报告：“…筑牢基础。") == "原报告：“…筑牢基础。"
    assert wording.nest_quotes("甲”乙“丙") == "甲”乙“丙"


def test_the_pages_nest_their_quotations(dossier_2024):
    for name, page in dossier_2024.pages().items():
        for line in page.split("\n"):
            depth = 0
            for ch in line:
                if ch == "“":
                    assert depth % 2 == 0, (name, line)   # never “ directly inside “
                depth += ch in "“‘"
                depth -= ch in "”’"


def test_checks_with_long_figures_are_paragraphs_not_table_rows(dossier_2024):
    """表1-1's seven columns hold figures; a check whose stated value, computed value or tolerance
    is longer than 14 characters, or that checks the source's wording, is a paragraph after it."""
    tabled, stated = audit_section.split_checks(dossier_2024.checks)
    assert len(tabled) + len(stated) == len(dossier_2024.checks)
    for c in tabled:
        assert max(len(c.stated_text), len(c.computed_text), len(c.tolerance_text)) <= 14, c.check_id
    by_number = {c.number: c for c in dossier_2024.checks}
    # 表1-1 第17项 (source 一(一)2): 49.8% in 2023, 2.3% in 2024 — its computed text is 27 characters.
    assert by_number[17].category == "占比合理性" and by_number[17] in stated
    assert all(c in stated for c in dossier_2024.checks if c.category in audit_section.STATEMENT_CATEGORIES)


def test_numbers_of_checks_are_named_with_runs_as_ranges():
    class C:
        def __init__(self, number):
            self.number = number
    assert audit_section._numbers([C(n) for n in (17, 18, 32, 44, 45, 46)]) == "17、18、32、44—46"
    assert audit_section._numbers([C(1)]) == "1"


def test_a_check_in_words_is_well_formed_markdown(dossier_2024):
    """Its emphasis is parsed as emphasis (no “**” left as text), its item, place, quotations and
    verdict all printed."""
    from markdown_it import MarkdownIt

    c = next(c for c in dossier_2024.checks if c.number == 44)
    text = audit_section.statement_check(c)
    tokens = MarkdownIt("commonmark").parseInline(text)[0].children
    assert [t.type for t in tokens if t.type != "text" or t.content][:1] == ["strong_open"]
    assert not any("*" in t.content for t in tokens if t.type == "text")
    assert f"第44项　{c.item}" in text and f"原报告{c.source}" in text and text.endswith(f"结论：{c.verdict}。")


def test_no_table_cell_holds_markdown_emphasis(dossier_2024):
    for name, page in dossier_2024.pages().items():
        rows = [line for line in page.split("\n") if line.startswith("| ")]
        assert not any("\\*\\*" in row or "**" in row for row in rows), name


def test_provenance_captions_say_what_the_table_holds(dossier_2024):
    page = dossier_2024.provenance()
    for caption in ("表4-1 评价指标的基数、目标和实际值的来源", "表4-2 其他统计数字的来源",
                    "表4-3 产业链的企业数、产值和增速的来源"):
        assert f"```{{table}} {caption}" in page
    assert "表4-1为数据文件 data/indicator\\_values.csv 中的数字（均为2024年版录入）；" in page   # one edition: said once
    assert "录入版本" not in page
    assert provenance.provenance_caption("unknown.csv") == "其他数字的来源"


def test_the_cover_title_is_two_lines_and_the_pdf_title_one():
    preamble = pages.latex_preamble("北辰区工业经济“十四五”规划后评估报告")
    assert r"\usepackage{beichen-dossier}" in preamble
    assert r"\title{北辰区工业经济“十四五”规划后评估报告\texorpdfstring{\\}{·}核查报告}" in preamble
    assert r"\&" in pages.latex_preamble("甲&乙")   # text from the plan is escaped for LaTeX
