"""Rebuilds that cost only what changed (issue 15), end to end on a copy of the 2024 data.

One sequence of builds into temporary folders, starting where the shared cold build (tests/conftest.py:
built_2024, HTML and PDF) ended: unchanged; a figure entered for a later edition; damaged outputs; one
figure changed; one passage changed; and back to the first inputs with a damaged cache entry, whose
edition must then be byte for byte the cold build's. The steps that only decide what to rerun build
HTML alone (the chapters' decisions do not depend on the PDF); those about the PDF typeset it.

Expected chapters come from the sources, not from the recorded reads: 承接非首都功能疏解项目
(metrics.csv, “超200个”) is cited by one passage of data/narrative/2024/01_targets.md and by no
template or metadata list (checked below with a plain text search); the passage “synergy” is in
data/narrative/2024/05_recommendations.md.
"""
import contextlib
import filecmp
import io
import shutil
from pathlib import Path

import pytest

from beichen.paths import DATA_DIR, REPO_ROOT
from tests.conftest import copy_published

pytestmark = pytest.mark.build

RELOCATION = "beijing_relocation_projects"
INJECTED = "<script>damaged()</script>"
TITLES = {  # the chapters' headings as the build prints them
    "00_summary": "北辰区工业经济“十四五”规划后评估报告",
    "01_targets": "一、“十四五”总体目标指标完成情况",
    "02_industry": "二、产业发展：从“规划布局”到“生态成型”",
    "03_projects": "三、重点工程：从“蓝图设计”到“标杆示范”",
    "04_risks": "四、规划实施面临的主要问题和风险挑战",
    "05_recommendations": "五、进一步推进规划实施的对策建议",
    "06_appendix": "附录　指标说明与计算方法",
}


def _build(data, staging, site, pdf=True) -> str:
    from beichen.publish.build import build_report

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        build_report(2024, data, data / "narrative", site, staging, pdf=pdf)
    return out.getvalue()


def _reran(log: str) -> dict[str, str]:
    """{chapter: decision} from the build's log lines “[i/7] <title> … <decision>”."""
    found = {}
    for chapter, title in TITLES.items():
        lines = [line for line in log.splitlines() if f"] {title} … " in line]
        if lines:
            found[chapter] = lines[0].split(" … ", 1)[1]
    return found


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _depart(data: Path, where: str, source: str, report: str) -> None:
    """An entry of data/meta/departures.yml for a change of the source's words (lib/beichen/audit/departures.py)."""
    path = data / "meta" / "departures.yml"
    path.write_text(path.read_text(encoding="utf-8") + f"  - edition: 2024\n    kind: reworded\n    where: {where}\n"
                    f"    source: {source}\n    report: {report}\n    reason: 更正。\n", encoding="utf-8")


@pytest.fixture(scope="module")
def history(built_2024, tmp_path_factory):
    root = tmp_path_factory.mktemp("incremental")
    data = root / "data"
    shutil.copytree(DATA_DIR, data)
    copy_published(built_2024, root)  # root/staging, root/site and root/review as `make report` left them
    staging, site = root / "staging", root / "site"
    page = site / "2024" / "chapters" / "01_targets.html"
    logs, seen = {"cold": built_2024.log}, {}
    logs["unchanged"] = _build(data, staging, site)
    (staging / "2024" / "state.json").unlink()  # past the whole-build check: every step decides alone
    logs["unchanged, step by step"] = _build(data, staging, site)
    metrics = data / "metrics.csv"
    metrics.write_text(metrics.read_text(encoding="utf-8")
                       + f"{RELOCATION},承接非首都功能疏解项目,个,0,2025,截至2025年,230,actual,区发改委,超,,,2025\n",
                       encoding="utf-8")
    # Damaged build state (issue 21, item 7): a page Sphinx wrote, edited; the PDF, truncated; a
    # page of the 核查报告, edited. No input changed, so nothing but a recorded digest tells.
    work = staging / "2024"
    built_page = work / "book" / "_build" / "html" / "chapters" / "01_targets.html"
    built_page.write_text(built_page.read_text(encoding="utf-8").replace("</body>", f"{INJECTED}</body>"),
                          encoding="utf-8")
    pdf = work / "book" / "_build" / "latex" / "report-2024.pdf"
    pdf.write_bytes(pdf.read_bytes()[: pdf.stat().st_size // 2] + b"\n%%EOF\n")
    review_page = work / "dossier" / "_build" / "html" / "index.html"
    review_page.write_text(review_page.read_text(encoding="utf-8") + INJECTED, encoding="utf-8")
    (work / "state.json").unlink()
    logs["damaged outputs"] = _build(data, staging, site)
    seen["damaged outputs"] = {"page": page.read_text(encoding="utf-8"),
                               "review": (root / "review" / "2024" / "index.html").read_text(encoding="utf-8"),
                               "pdf": (site / "2024" / "report-2024.pdf").read_bytes()}
    logs["later edition"] = _build(data, staging, site)
    (staging / "2024" / "state.json").unlink()
    logs["later edition, step by step"] = _build(data, staging, site)
    _replace(metrics, f"{RELOCATION},承接非首都功能疏解项目,个,0,2024,截至2024年,200,",
             f"{RELOCATION},承接非首都功能疏解项目,个,0,2024,截至2024年,210,")
    # The 2024 edition now differs from the source: each change comes with its departure (read by no chapter).
    _depart(data, "一(三)3", "承接非首都功能疏解项目超200个", "承接非首都功能疏解项目超210个")
    logs["one figure"] = _build(data, staging, site, pdf=False)
    seen["one figure"] = {"page": page.read_text(encoding="utf-8")}
    _replace(data / "narrative" / "2024" / "05_recommendations.md", "一是扭住承接非首都功能疏解", "一是抓住承接非首都功能疏解")
    _depart(data, "五1", "一是扭住承接非首都功能疏解", "一是抓住承接非首都功能疏解")
    logs["one passage"] = _build(data, staging, site, pdf=False)
    chart = next((staging / "2024" / "cache" / "02_industry" / "charts").glob("*.pdf"))
    chart.write_bytes(chart.read_bytes()[:100])  # a half-written entry
    # The chart cache's entries swapped in pairs: each still a whole PDF (%PDF … %%EOF), of another chart.
    entries = sorted((staging / "2024" / "charts").glob("*.pdf"))
    contents = [e.read_bytes() for e in entries]
    for entry, content in zip(entries, contents[1:] + contents[:1]):
        entry.write_bytes(content)
    # Back to the inputs of the cold build, with its PDF, made from the chart cache damaged above.
    for changed in ("metrics.csv", "meta/departures.yml", "narrative/2024/05_recommendations.md"):
        shutil.copy2(DATA_DIR / changed, data / changed)
    logs["first inputs again, damaged entry"] = _build(data, staging, site)
    return {"logs": logs, "seen": seen, "site": site / "2024", "cold": built_2024.html, "swapped": len(entries)}


def test_the_figure_and_passage_are_read_where_the_sources_say():
    """The expectations below rest on this: the figure's id appears in one narrative file only."""
    texts = {p.relative_to(REPO_ROOT).as_posix(): p.read_text(encoding="utf-8")
             for p in [*(DATA_DIR / "narrative" / "2024").glob("*.md"), *(REPO_ROOT / "chapters").glob("*.ipynb"),
                       *(DATA_DIR / "meta").glob("*.yml")]}
    assert [name for name, text in texts.items() if RELOCATION in text] == ["data/narrative/2024/01_targets.md"]


def test_a_cold_build_runs_every_chapter(history):
    decisions = _reran(history["logs"]["cold"])
    assert sorted(decisions) == sorted(TITLES)
    assert all(d.startswith("重算：不使用缓存（--no-cache） (") for d in decisions.values())



def test_changing_nothing_runs_nothing(history):
    log = history["logs"]["unchanged"]
    assert "输入未变：2024年版沿用已发布的版本，未重新构建" in log
    assert _reran(log) == {}
    step_by_step = history["logs"]["unchanged, step by step"]
    assert _reran(step_by_step) == {c: "沿用" for c in TITLES}
    for line in ("网页：未变，沿用", "PDF：未变，沿用", "核查报告：未变，沿用", "已发布的版本与本次结果相同，未改动"):
        assert line in step_by_step


def test_a_figure_of_a_later_edition_reruns_nothing_of_an_earlier_one(history):
    assert "输入未变" in history["logs"]["later edition"]
    log = history["logs"]["later edition, step by step"]
    assert _reran(log) == {c: "沿用" for c in TITLES}
    assert "核查报告：未变，沿用" in log


def test_changing_one_figure_reruns_exactly_the_chapter_that_reads_it(history):
    decisions = _reran(history["logs"]["one figure"])
    assert decisions.pop("01_targets").startswith("重算：承接非首都功能疏解项目有变化 (")
    assert decisions == {c: "沿用" for c in TITLES if c != "01_targets"}
    assert "承接非首都功能疏解项目超210个" in history["seen"]["one figure"]["page"]


def test_changing_one_passage_reruns_its_chapter_only(history):
    decisions = _reran(history["logs"]["one passage"])
    assert decisions.pop("05_recommendations").startswith("重算：05_recommendations.md 的段落“synergy”有变化 (")
    assert decisions == {c: "沿用" for c in TITLES if c != "05_recommendations"}


def test_a_damaged_cache_entry_is_rebuilt_not_published(history):
    """In the step back to the first inputs, which also reruns the two chapters whose inputs changed back."""
    decisions = _reran(history["logs"]["first inputs again, damaged entry"])
    assert decisions.pop("02_industry").startswith("重算：缓存条目不完整，已丢弃 (")
    assert decisions.pop("01_targets").startswith("重算：承接非首都功能疏解项目有变化 (")
    assert decisions.pop("05_recommendations").startswith("重算：05_recommendations.md 的段落“synergy”有变化 (")
    assert decisions == {c: "沿用" for c in TITLES if c not in ("02_industry", "01_targets", "05_recommendations")}


def test_incremental_output_is_byte_identical_to_a_cold_build(history):
    """After every step above, back at the cold build's inputs: the chart cache's entries were swapped in
    pairs (each still a whole PDF of another chart), so a PDF made from them would differ from the cold build's."""
    assert history["swapped"] >= 2
    incremental, cold = history["site"], history["cold"]
    files = sorted(p.relative_to(cold) for p in cold.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(incremental) for p in incremental.rglob("*") if p.is_file())
    _, mismatch, errors = filecmp.cmpfiles(cold, incremental, [str(f) for f in files], shallow=False)
    assert (mismatch, errors) == ([], [])
    assert (cold / "report-2024.pdf").stat().st_size > 100_000


def test_damaged_pages_pdf_and_review_under_build_are_made_again_not_published(history):
    """Issue 21, item 7: pages, PDF and 核查报告 kept under build/ are trusted only if they hold the
    bytes recorded when they were made; here no input changed, so only that proof tells."""
    log = history["logs"]["damaged outputs"]
    assert "网页：上次生成的网页已改动或不完整，全部重新生成" in log
    assert "PDF：已排版" in log and "PDF：未变，沿用" not in log
    assert "核查报告：已生成" in log
    seen = history["seen"]["damaged outputs"]
    assert INJECTED not in seen["page"] and INJECTED not in seen["review"]
    # The published PDF is whole, and the cold build's (the PDF was made from unchanged inputs).
    assert seen["pdf"] == (history["cold"] / "report-2024.pdf").read_bytes()

