"""`make review` (issue 26): a Word draft made by `make docx`, edited as Word saves a review (tracked
insertions and deletions with authors and dates, a comment, a paragraph split, a lost bookmark), is
brought back: passage edits proposed exactly and written all together, figure edits refused and listed
with their data row, every comment and change recorded for the 核查报告's 意见处理 table.

Expected texts are written out by hand from data/narrative/2024/01_targets.md (passages quality,
structure, green) and the data row from data/metrics.csv (line 4: above_scale_industrial_output, 2024).
"""
import datetime as dt
import shutil

import pytest
import yaml
from docx import Document

from beichen.word import anchors
from beichen.word import review
from beichen.word.draft import docx_dir, manifest_path
from tests import _word_edits as edit
from tests.test_docx import draft_2024  # noqa: F401  (the session's Word draft)


def test_template_paragraph_keeps_words_and_marks_figures():
    para = anchors.template_paragraph("x.md", "p", 0, "**产业链集聚度超90%**。{{ year }}年{{ v('a') }}在链企业，协同效应显著。")
    assert [piece for piece, _ in para.pieces] == ["产业链集聚度超90%。", "年", "在链企业，协同效应显著。"]
    match = anchors.place("产业链集聚度超90%。2024年480家在链企业，协同效应显著。", [para])
    assert [(s, e, k) for s, e, k, _ in match.spans] == [(0, 11, "literal"), (11, 15, "figure"), (15, 16, "literal"),
                                                         (16, 20, "figure"), (20, 32, "literal")]
    # “显” is character 29 of the printed text (0-based); in the template it stands after the two “**” pairs.
    offsets = match.spans[-1][3]
    assert para.source[offsets[29 - 20]] == "显"


def test_words_rewritten_by_a_resolution_are_placed_but_not_the_passages():
    # data/meta/resolutions.yml (audit-smart_factories-doubled-claim): 示范项目数量翻倍 printed as 示范项目数量大幅增长.
    para = anchors.template_paragraph("01_targets.md", "digital", 0, "**示范项目数量翻倍**。推动{{ num('x') }}家企业")
    match = anchors.place_resolved("示范项目数量大幅增长。推动31家企业", [para], [("示范项目数量翻倍", "示范项目数量大幅增长")])
    assert [(s, e, k) for s, e, k, _ in match.spans] == [(0, 10, "resolution"), (10, 13, "literal"),
                                                         (13, 15, "figure"), (15, 18, "literal")]
    assert para.source[match.spans[1][3][0]] == "。"   # after “**示范项目数量翻倍**”: offset 12


def test_a_reviewers_words_stay_text():
    # a reviewer types template code or Markdown: it lands escaped (lib/beichen/render/escape.py: \ before each of
    # `*_[]<>{}|$~&!^`), so Jinja sees no “{{” and the page shows the characters typed.
    assert review.inert("{{ 7*7 }}") == "\\{\\{ 7\\*7 \\}\\}"
    assert review.inert("日益") == "日益"


@pytest.fixture
def reviewed_copy(draft_2024, data_copy, tmp_path):  # noqa: F811
    """The draft in a scratch review folder, edited by three reviewers."""
    docx, _ = draft_2024
    home = docx_dir(tmp_path / "review", 2024)
    home.mkdir(parents=True)
    shutil.copy(docx, home / docx.name)
    shutil.copy(manifest_path(docx), manifest_path(home / docx.name))
    doc = Document(str(docx))
    edit.track(edit.anchored(doc, "bc_01_quality_2"), "协同效应显著", "协同效应日益显著", "区工信局")
    edit.track(edit.anchored(doc, "bc_01_quality_1"), "1389.9", "1400.0", "区统计局")
    edit.split(edit.anchored(doc, "bc_01_green_2"), "组织", "区工信局")
    # words the build printed by a resolution (示范项目数量翻倍 → 示范项目数量大幅增长), replaced by a reviewer
    edit.track(edit.anchored(doc, "bc_01_digital_1"), "大幅增长", "成倍增长", "区工信局")
    structure = edit.anchored(doc, "bc_01_structure_2")
    edit.drop_bookmark(doc, "bc_01_structure_2")
    edit.track(structure, "初步形成", "形成", "区发改委")
    edit.comment(doc, edit.anchored(doc, "bc_01_intro_1"), "建议补充2025年预计完成情况", "区发改委",
                 dt.datetime(2025, 11, 21, 8, 0))
    edit.comment(doc, edit.anchored(doc, "bc_01_green_1"), "“绿色工厂”口径|见附件**", "区生态环境局",
                 dt.datetime(2025, 11, 22, 15, 0))
    table_cell = doc.tables[1].rows[1].cells[-1].paragraphs[0]
    edit.track(table_cell, table_cell.text[:4], "", "区统计局")
    reviewed = tmp_path / "审阅稿.docx"
    doc.save(str(reviewed))
    return reviewed, data_copy, tmp_path / "review"


def _expected_narrative(original: str) -> str:
    return (original
            .replace("占全区规上工业总产值的{{ k.in_chain_share }}，产业链协同效应显著。",
                     "占全区规上工业总产值的{{ k.in_chain_share }}，产业链协同效应日益显著。")
            .replace("位居全市前列，初步形成“集群带产业", "位居全市前列，形成“集群带产业")
            .replace("全部完成搬迁改造验收；组织{{ v('energy_diagnosis_firms') }}",
                     "全部完成搬迁改造验收；\n\n组织{{ v('energy_diagnosis_firms') }}"))


@pytest.mark.build
def test_passage_edits_proposed_then_applied_together(reviewed_copy):
    file, data, review_dir = reviewed_copy
    target = data / "narrative" / "2024" / "01_targets.md"
    before = target.read_text(encoding="utf-8")
    out = review.bring_back(2024, file, data, data / "narrative", review_dir, apply=False)
    assert target.read_text(encoding="utf-8") == before   # proposed only
    assert "+**产业链集聚度超90%**" in out["diffs"][0] and "协同效应日益显著" in out["diffs"][0]
    out = review.bring_back(2024, file, data, data / "narrative", review_dir, apply=True)
    assert target.read_text(encoding="utf-8") == _expected_narrative(before)
    assert out["written"] == ["01_targets.md"]
    lost = [i for i in out["items"] if i["内容"] == "初步形成"]
    assert lost[0]["定位"] == "文字匹配" and lost[0]["处理"] == "采纳"   # placed by its text, bookmark gone


@pytest.mark.build
def test_figure_and_table_edits_refused_and_listed(reviewed_copy):
    file, data, review_dir = reviewed_copy
    out = review.bring_back(2024, file, data, data / "narrative", review_dir, apply=True)
    number = [i for i in out["items"] if i["内容"] in ("1389.9", "1400.0")]
    assert len(number) == 2 and all(i["处理"] == "未采纳" for i in number)
    assert all("metrics.csv 第4行" in i["理由"] for i in number)
    # the figure is the data's: nothing typed into the passage
    assert "1400.0" not in (data / "narrative" / "2024" / "01_targets.md").read_text(encoding="utf-8")
    rewritten = [i for i in out["items"] if i["内容"] in ("大幅增长", "成倍增长")]
    assert len(rewritten) == 2 and all(i["处理"] == "未采纳" and "meta/resolutions.yml" in i["理由"] for i in rewritten)
    assert "成倍增长" not in (data / "narrative" / "2024" / "01_targets.md").read_text(encoding="utf-8")
    table = [i for i in out["items"] if i["审阅人"] == "区统计局" and i not in number]
    assert table and all(i["处理"] == "未采纳" and "表格" in i["理由"] for i in table)


@pytest.mark.build
def test_every_comment_and_change_is_recorded(reviewed_copy):
    file, data, review_dir = reviewed_copy
    review.bring_back(2024, file, data, data / "narrative", review_dir, apply=False)
    recorded = yaml.safe_load((data / "meta" / "review-2024.yml").read_text(encoding="utf-8"))["意见"]
    comments = [i for i in recorded if i["类型"] == "批注"]
    assert [(c["审阅人"], c["日期"], c["内容"], c["处理"]) for c in comments] == \
        [("区发改委", "2025-11-21", "建议补充2025年预计完成情况", "待处理"),
         ("区生态环境局", "2025-11-22", "“绿色工厂”口径|见附件**", "待处理")]
    assert [c["位置"] for c in comments] == ["bc_01_intro_1", "bc_01_green_1"]
    # 4 reviewers' work: quality_2 (del+ins), quality_1 (del+ins), green split (ins), digital (del+ins),
    # structure (del+ins), a table cell (del), two comments = 12 items.
    assert len(recorded) == 12
    # The 核查报告's 意见处理 table: a row for every item, the reviewers' words as text (| and ** escaped).
    from beichen.render.tables import markdown_table
    from beichen.word import decisions
    section = "\n".join(decisions.page_lines(data, 2024, "## （二）征求意见处理", "7-1", markdown_table, "data"))
    rows = [line for line in section.splitlines() if line.startswith("| ") and "审阅人" not in line]
    assert len(rows) == 12 and "表7-1 意见处理" in section
    assert "口径\\|见附件\\*\\*" in section and "建议补充2025年预计完成情况" in section
    # An analyst's decision survives bringing the same file back again.
    recorded[[i["id"] for i in recorded].index(comments[0]["id"])].update(处理="部分采纳", 理由="2025年预计数待年报发布后补充")
    (data / "meta" / "review-2024.yml").write_text(yaml.safe_dump({"意见": recorded}, allow_unicode=True), encoding="utf-8")
    review.bring_back(2024, file, data, data / "narrative", review_dir, apply=False)
    again = yaml.safe_load((data / "meta" / "review-2024.yml").read_text(encoding="utf-8"))["意见"]
    assert [i["处理"] for i in again if i["类型"] == "批注"] == ["部分采纳", "待处理"]


@pytest.mark.build
def test_a_file_of_another_draft_is_refused(reviewed_copy):
    file, data, review_dir = reviewed_copy
    manifest = manifest_path(docx_dir(review_dir, 2024) / "report-2024.docx")
    text = manifest.read_text(encoding="utf-8")
    import json
    m = json.loads(text)
    m["fingerprint"] = "0" * 16   # a later draft was made after this one went out
    manifest.write_text(json.dumps(m, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(review.ReviewError, match="《审阅稿.docx》来自较早的一稿"):
        review.bring_back(2024, file, data, data / "narrative", review_dir, apply=True)
    with pytest.raises(review.ReviewError, match="是 2024 年版的 Word 稿，不是 2025 年版"):
        review.check_draft(file, {"beichen-fingerprint": "x", "beichen-year": "2024"}, {"fingerprint": "x"}, 2025, manifest)
    assert not (data / "meta" / "review-2024.yml").exists()   # nothing recorded from a refused file
