"""Departures found, not only declared (lib/beichen/audit/departures.py): the edition's printed text against
the source, every difference covered by an entry of data/meta/departures.yml with a reason, and every
entry true of the edition.

The unit tests build a tiny staged book (executed-notebook JSON with Markdown cells) and a tiny
source in a scratch data folder; the build tests use the session's 2024 build.
"""
from __future__ import annotations

import json
import re
import shutil
import textwrap
from pathlib import Path

import pytest
import yaml

from beichen.audit import departures as dp
from beichen.audit.edition_text import Block
from beichen.audit.source_text import parse
from beichen.paths import DATA_DIR

SOURCE = """报告标题

一、总体情况
北辰区推进18项指标落地，总体呈现良好态势。
（一）完成情况
1.质量效益：根基夯实
制造业增加值占比超目标。占比39.8%，较2020年增长110%，形成近千名人才团队。
二、问题和挑战
1.主要风险挑战。一是环境制约。二是疫情影响。
"""

EDITION = {
    "00_summary": "# 报告标题\n",
    "01_targets": textwrap.dedent("""\
        # 一、总体情况

        北辰区推进18项指标落地，总体呈现良好态势。

        ## （一）完成情况

        ### 1.质量效益：根基夯实

        制造业增加值占比超目标。占比39.8%，较2020年增长110%，形成近千名人才团队。
        """),
    "02_risks": textwrap.dedent("""\
        # 二、问题和挑战

        ### 1.主要风险挑战

        一是环境制约。

        二是疫情影响。
        """),
}

SPLIT = """departures:
  - edition: 2024
    kind: reformatted
    rule: split
    reason: 段首小标题单列为标题。
"""


def make_book(folder: Path, chapters: dict[str, str], **config) -> Path:
    """A staged book: _config.yml, _toc.yml and one executed notebook of Markdown cells per chapter."""
    (folder / "chapters").mkdir(parents=True)
    names = [f"chapters/{n}" for n in chapters]
    (folder / "_toc.yml").write_text(yaml.safe_dump({"format": "jb-book", "root": names[0],
                                                     "chapters": [{"file": n} for n in names[1:]]}), encoding="utf-8")
    (folder / "_config.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    for name, text in chapters.items():
        nb = {"cells": [{"cell_type": "markdown", "metadata": {}, "source": text}], "metadata": {},
              "nbformat": 4, "nbformat_minor": 5}
        (folder / "chapters" / f"{name}.ipynb").write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    return folder


def make_data(folder: Path, departures: str, source: str = SOURCE, resolutions: str = "") -> Path:
    (folder / "meta").mkdir(parents=True)
    (folder / "source").mkdir()
    (folder / "source" / "original-report.txt").write_text(source, encoding="utf-8")
    (folder / "meta" / "departures.yml").write_text("compare_edition: 2024\n" + departures, encoding="utf-8")
    if resolutions:
        (folder / "meta" / "resolutions.yml").write_text(resolutions, encoding="utf-8")
    return folder


def edited(**changes) -> dict[str, str]:
    chapters = dict(EDITION)
    for name, (old, new) in changes.items():
        assert old in chapters[name]
        chapters[name] = chapters[name].replace(old, new)
    return chapters


def differences(tmp_path: Path, chapters: dict[str, str], source: str = SOURCE) -> list[dp.Difference]:
    book = make_book(tmp_path / "book", chapters)
    data = make_data(tmp_path / "data", "departures: []\n", source)
    return [d for d in dp.compare_book(book, data).differences if d.rule != "split"]


# --- what is found ------------------------------------------------------------------------------------

def test_the_same_text_has_no_difference_but_the_split_run_in_heading(tmp_path):
    book = make_book(tmp_path / "book", EDITION)
    data = make_data(tmp_path / "data", SPLIT)
    found = dp.check(book, data, 2024).found
    assert [(d.kind, d.rule, d.label) for d, _ in found] == [("reformatted", "split", "二1")] * 2
    assert found[0][0].shown[1].startswith("1.主要风险挑战〔分段〕一是")


def test_a_sentence_added_inside_a_source_paragraph_is_found(tmp_path):
    chapters = edited(**{"01_targets": ("占比39.8%，", "占比39.8%，距目标尚差5.2个百分点，完成度90.5%，")})
    [d] = differences(tmp_path, chapters)
    assert (d.kind, d.label, d.source, d.report) == ("added", "一(一)1", "", "距目标尚差5.2个百分点，完成度90.5%，")
    assert d.line == 7 and "1.质量效益：根基夯实" in d.place


def test_reformatted_numbers_are_found_and_named_by_their_rule(tmp_path):
    chapters = edited(**{"01_targets": ("增长110%，形成近千名", "增长110.0%，形成近1000名")})
    found = {(d.kind, d.rule, d.source, d.report) for d in differences(tmp_path, chapters)}
    assert found == {("reformatted", "one-decimal", "110%", "110.0%"),
                     ("reformatted", "arabic-numerals", "千", "1000")}


def test_a_renumbered_heading_is_found(tmp_path):
    chapters = edited(**{"02_risks": ("# 二、问题和挑战", "# 四、问题和挑战")})
    [d] = differences(tmp_path, chapters)
    assert (d.kind, d.label, d.source, d.report) == ("renumbered", "二", "二", "四")


def test_reworded_and_removed_words_and_an_added_paragraph_are_found(tmp_path):
    chapters = edited(**{"01_targets": ("总体呈现良好态势。", "总体呈现稳步发展态势。\n\n本版补充的一段说明。"),
                         "02_risks": ("\n二是疫情影响。\n", "\n")})
    found = {(d.kind, d.label, d.source, d.report, d.unit) for d in differences(tmp_path, chapters)}
    assert ("reworded", "一", "良好", "稳步发展", False) in found
    assert ("added", "本版补充的一段说明。", "", "本版补充的一段说明。", True) in found
    assert ("removed", "二1", "二是疫情影响。", "", False) in found


def test_the_cover_is_compared_too(tmp_path):
    book = make_book(tmp_path / "book", EDITION, author="天津市北辰区", title="报告标题（2024年）",
                     sphinx={"config": {"today": "2025年11月", "release": "2024"}},
                     latex={"latex_documents": {"title": "报告标题"}})
    data = make_data(tmp_path / "data", "departures: []\n")
    units = {d.label for d in dp.compare_book(book, data).differences if d.unit}
    assert units == {"封面：（2024年版）", "封面：天津市北辰区", "封面：2025年11月", "网站：报告标题（2024年）"}


# --- what must be true --------------------------------------------------------------------------------

ADDED = """  - edition: 2024
    kind: added
    where: 一(一)1
    report: 距目标尚差5.2个百分点
    reason: 由数据计算的差距。
"""


def test_an_uncovered_difference_stops_the_build_naming_both_places(tmp_path):
    chapters = edited(**{"01_targets": ("占比39.8%，", "占比39.8%，完成度90.5%，")})
    book = make_book(tmp_path / "book", chapters)
    data = make_data(tmp_path / "data", SPLIT)
    with pytest.raises(dp.DepartureError) as err:
        dp.check(book, data, 2024)
    message = str(err.value)
    assert "本版 一、总体情况／（一）完成情况／1.质量效益：根基夯实" in message   # the edition's place
    assert "原报告一(一)1（第7行）" in message and "完成度90.5%" in message          # the source's place
    assert "data/meta/departures.yml 中没有说明此处的条目" in message


def test_an_entry_quoting_other_words_does_not_cover_and_is_named_by_its_line(tmp_path):
    chapters = edited(**{"01_targets": ("占比39.8%，", "占比39.8%，完成度90.5%，")})
    book = make_book(tmp_path / "book", chapters)
    data = make_data(tmp_path / "data", SPLIT + ADDED)
    with pytest.raises(dp.DepartureError) as err:
        dp.check(book, data, 2024)
    message = str(err.value)
    # the entry's words are not printed: named with its line and where the passage stands in the edition
    assert "data/meta/departures.yml 第7行：report 所引“距目标尚差5.2个百分点”不见于本版" in message
    assert "同一处的条目：data/meta/departures.yml 第7行" in message


def test_an_entry_covers_what_it_quotes(tmp_path):
    chapters = edited(**{"01_targets": ("占比39.8%，", "占比39.8%，距目标尚差5.2个百分点，")})
    book = make_book(tmp_path / "book", chapters)
    data = make_data(tmp_path / "data", SPLIT + ADDED)
    covered = dp.check(book, data, 2024)
    assert covered.counts() == {"added": 1, "removed": 0, "reworded": 0, "renumbered": 0, "reformatted": 2}
    [(entry, [d])] = [(e, ds) for e, ds in covered.by_entry() if e.kind == "added"]
    assert entry.line == 7 and entry.reason == "由数据计算的差距。" and d.report == "距目标尚差5.2个百分点，"


def test_an_entry_without_a_reason_or_with_words_not_in_the_source_stops_the_build(tmp_path):
    book = make_book(tmp_path / "book", EDITION)
    data = make_data(tmp_path / "data", SPLIT + """  - edition: 2024
    kind: reworded
    where: 一(一)1
    source: 占比2.3%
    report: 占比39.8%
""")
    with pytest.raises(dp.DepartureError) as err:
        dp.check(book, data, 2024)
    message = str(err.value)
    assert "data/meta/departures.yml 第7行：缺少理由（reason）" in message
    assert "data/meta/departures.yml 第7行：source 所引“占比2.3%”不见于原报告" in message


def test_an_entry_about_a_change_the_edition_does_not_make_stops_the_build(tmp_path):
    """The 2024 核查报告 said a heading was changed to 示范项目数量大幅增长 while the edition printed 翻倍."""
    book = make_book(tmp_path / "book", EDITION)
    data = make_data(tmp_path / "data", SPLIT + """  - edition: 2024
    kind: reworded
    where: 一(一)1
    source: 制造业增加值占比超目标
    report: 制造业增加值占比超目标
    reason: 小标题据实改写。
""")
    with pytest.raises(dp.DepartureError, match="第7行：条目所说的差异在本版中不存在.*1.质量效益：根基夯实"):
        dp.check(book, data, 2024)


def test_a_resolution_covers_the_words_it_replaces(tmp_path):
    chapters = edited(**{"01_targets": ("总体呈现良好态势", "总体呈现稳步发展态势")})
    book = make_book(tmp_path / "book", chapters)
    resolutions = """resolutions:
  - finding: claim-x
    edition: 2024
    action: replace
    text: 良好态势
    with: 稳步发展态势
    reason: 据实改写。
"""
    data = make_data(tmp_path / "data", SPLIT, resolutions=resolutions)
    covered = dp.check(book, data, 2024)
    [(entry, [d])] = [(e, ds) for e, ds in covered.by_entry() if e.finding]
    assert entry.place == "data/meta/resolutions.yml 第2行" and (d.source, d.report) == ("良好", "稳步发展")
    # the same change declared again in departures.yml is one reason too many
    data2 = make_data(tmp_path / "data2", SPLIT + """  - edition: 2024
    kind: reworded
    where: 一
    source: 良好态势
    report: 稳步发展态势
    reason: 据实改写。
""", resolutions=resolutions)
    with pytest.raises(dp.DepartureError, match="已由 data/meta/resolutions.yml 第2行（claim-x）的处理涵盖"):
        dp.check(book, data2, 2024)


def test_units_cover_whole_additions_and_must_name_one(tmp_path):
    chapters = edited(**{"00_summary": ("# 报告标题\n", "# 报告标题\n\n## 评估摘要\n\n摘要一段。\n")})
    book = make_book(tmp_path / "book", chapters)
    entry = "  - edition: 2024\n    kind: added\n    units: [评估摘要, 附录]\n    reason: 补充。\n"
    data = make_data(tmp_path / "data", SPLIT + entry)
    with pytest.raises(dp.DepartureError, match="第7行：units 所列“附录”不是本版增加的"):
        dp.check(book, data, 2024)
    data2 = make_data(tmp_path / "data2", SPLIT + entry.replace(", 附录", ""))
    [(d, e)] = [(d, e) for d, e in dp.check(book, data2, 2024).found if d.unit]
    assert d.label == "评估摘要" and d.detail == "摘要一段。" and e.line == 7


def test_an_edition_not_compared_with_the_source_is_not_checked(tmp_path):
    book = make_book(tmp_path / "book", {"00_summary": "# 全然不同\n"})
    data = make_data(tmp_path / "data", SPLIT)
    assert dp.check_edition(book, data, 2025) is None
    with pytest.raises(dp.DepartureError):
        dp.check_edition(book, data, 2024)


def test_block_alignment_keeps_a_summary_from_taking_a_chapter_passage():
    """A summary that repeats a source sentence does not take the passage from the chapter that prints it."""
    passages = parse(SOURCE)
    blocks = [Block("00", "摘要", "paragraph", "北辰区推进18项指标落地，总体呈现良好态势，稳增长压力较大。"),
              Block("01", "一、总体情况", "heading", "一、总体情况"),
              Block("01", "一、总体情况", "paragraph", "北辰区推进18项指标落地，总体呈现良好态势。")]
    comparison = dp.compare(blocks, passages)
    [pair] = [p for p in comparison.pairs if p.passage.label == "一" and p.passage.kind == "paragraph"]
    assert [b.page for b in pair.blocks] == ["01"]


# --- the 2024 edition ---------------------------------------------------------------------------------

@pytest.mark.build
def test_the_2024_departures_cover_every_difference_and_the_dossier_lists_them(built_2024):
    covered = dp.check(built_2024.book, DATA_DIR, 2024)
    counts = covered.counts()
    assert counts["added"] >= 15 and counts["renumbered"] == 3 and counts["reformatted"] >= 8
    found = {(d.kind, d.rule, d.source, d.report) for d, _ in covered.found}
    # (近千名 is printed as the source writes it since issue 24: no arabic-numerals instance in 2024)
    for expected in [("reformatted", "one-decimal", "110%", "110.0%"),
                     ("renumbered", "", "二", "四"), ("renumbered", "", "三", "五"),
                     ("added", "", "", "（完成度113.8%）")]:
        assert expected in found, expected
    assert not any(d.rule == "arabic-numerals" for d, _ in covered.found)
    assert any(d.unit and d.label.startswith("图4-1") and "稳增长压力较大" in d.detail for d, _ in covered.found)
    page = (built_2024.staging / "2024" / "dossier" / "departures.md").read_text(encoding="utf-8")
    assert f"共有差异{sum(counts.values())}处" in page
    for d, entry in covered.found:
        assert entry.reason.replace("*", "\\*") in page or entry.reason in page
        if not d.unit:
            assert d.source_place in page
    index = (built_2024.staging / "2024" / "dossier" / "index.md").read_text(encoding="utf-8")
    assert f"与原报告的差异：{sum(counts.values())}处" in index
    assert "原报告摘要" not in page                     # the source has no 摘要


@pytest.mark.build
def test_seeded_conflicts_in_the_2024_edition_are_caught(built_2024, data_copy, tmp_path):
    """A sentence slipped into a source passage, and an entry claiming a change the edition does not
    make, each stop the check, naming the edition's place and the entry's line."""
    book = tmp_path / "book"
    shutil.copytree(built_2024.book, book, ignore=shutil.ignore_patterns("_build"))
    nb = book / "chapters" / "03_projects.ipynb"
    nb.write_text(nb.read_text(encoding="utf-8").replace("集聚400余名科技骨干", "集聚400余名科技骨干（居全市第一）"),
                  encoding="utf-8")
    meta = data_copy / "meta" / "departures.yml"
    text = meta.read_text(encoding="utf-8")
    line = len(text.splitlines()) + 1            # the new entry's first line
    meta.write_text(text + textwrap.indent(textwrap.dedent("""\
        - edition: 2024
          kind: reworded
          where: 一(一)4
          source: 示范项目数量翻倍
          report: 示范项目数量成倍增长
          reason: 小标题据实改写。
        """), "  "), encoding="utf-8")
    with pytest.raises(dp.DepartureError) as err:
        dp.check(book, data_copy, 2024)
    message = str(err.value)
    assert re.search(r"本版 三、重点工程.*（二）“政产学研用”创新发展工程／1\.主要成效：与原报告三\(二\)1（第116行）不同（增加）", message)
    assert "（居全市第一）" in message
    assert f"data/meta/departures.yml 第{line}行：report 所引“示范项目数量成倍增长”不见于本版" in message
