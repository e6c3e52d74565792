"""A whole second plan built end to end: the made-up “十五五” plan of tests/fixtures/plan-15 (own dimensions,
four indicators, two chains, one key project, no snapshot, no source report) builds its 2026 edition —
site, PDF and 核查报告 — with every chapter its meta/report.yml defines, the figures of the fixture's
README (hand calculations), and no word of the 十四五 report; the 十四五 edition built into the same site
first is left byte for byte as it was (its year switcher list aside, rewritten by design).

The plan is built from a copy in a temporary folder with --data-dir/--narrative-dir (no make new-plan,
no plan discovery): only the library and the chapter templates are shared with the 十四五 plan."""
from __future__ import annotations

import contextlib
import hashlib
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from beichen.paths import DATA_DIR

pytestmark = pytest.mark.build

FIXTURE = Path(__file__).parent / "fixtures" / "plan-15"
YEAR = 2026
SWITCHER = Path("_static") / "switcher.json"   # every edition's year list: rewritten when an edition is added

# Words of the 十四五 report that no 十五五 page may carry, and where each comes from.
PLAN_14_WORDS = [
    "十三五",            # the 十四五 plan's previous plan (data/meta/plan.yml previous_name)
    "2020年",            # its base year
    "北辰",              # its district (report_title, author)
    "原报告",            # the source report the 十四五 editions reproduce
    "超百亿",            # its chain grouping (“超百亿元产业链”, data/chains.csv group 超百亿)
    "1-10月",            # its in-year snapshot; this plan has none (fixture README)
    "新兴产业与新赛道布局", "产业发展成效与亮点",  # its chapter 二 sections (data/meta/report.yml industry_sections)
    # its key projects (data/meta/audit.yml key_projects-names; source 三)
    "5G+工业互联网", "政产学研用", "企业梯度培育",
]


def plan_14_chain_names() -> list[str]:
    """The 十四五 chains (data/chains.csv name), e.g. 新材料产业链."""
    import csv

    with (DATA_DIR / "chains.csv").open(encoding="utf-8") as handle:
        return sorted({row["name"] for row in csv.DictReader(handle)})


def tree_digests(folder: Path, skip: tuple[Path, ...] = ()) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.relative_to(folder) not in skip}


def text_of(path: Path) -> str:
    """What a reader sees of a page (scripts and styles aside), whitespace folded."""
    if path.suffix == ".pdf":
        assert shutil.which("pdftotext"), "pdftotext (poppler-utils, tools/setup_system.sh) is needed"
        raw = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                             check=True).stdout
        return re.sub(r"\s+", "", raw)
    raw = path.read_text(encoding="utf-8")
    if path.suffix == ".html":
        soup = BeautifulSoup(raw, "html.parser")
        for tag in soup(["script", "style"]):
            tag.decompose()
        raw = soup.get_text(" ")
    return " ".join(raw.split())


def texts(folder: Path) -> dict[str, str]:
    """Every page, PDF and text file (search index, downloads) of a published folder, except the
    theme's own assets (vendored, no words of a report)."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.suffix not in (".html", ".pdf", ".txt", ".csv", ".json", ".js"):
            continue
        if path.suffix in (".js", ".json") and path.name not in ("searchindex.js", "switcher.json"):
            continue
        out[path.relative_to(folder).as_posix()] = text_of(path)
    return out


@pytest.fixture(scope="module")
def second_plan(built_2024, tmp_path_factory):
    """The 2026 edition of the made-up plan, published into a copy of the session's 2024 site."""
    from beichen.publish.build import build_report

    root = tmp_path_factory.mktemp("plan15")
    data = root / "plan-15"
    shutil.copytree(FIXTURE, data)
    site, review, staging = root / "site", root / "review", root / "staging"
    shutil.copytree(built_2024.site, site, symlinks=True)
    shutil.copytree(built_2024.review, review, symlinks=True)
    before = {"site": tree_digests(site / "2024", skip=(SWITCHER,)), "review": tree_digests(review / "2024")}
    log = io.StringIO()
    # As on a machine without the 十四五 source text (BEICHEN_SOURCE, lib/beichen/audit/source_text.py): a plan
    # with no source report must not miss it, nor say so.
    with contextlib.redirect_stdout(log), pytest.MonkeyPatch.context() as env:
        env.setenv("BEICHEN_SOURCE", str(root / "no-source.txt"))
        build_report(YEAR, data, data / "narrative", site, staging, pdf=True, review_dir=review)
    plan_report = yaml.safe_load((data / "meta" / "report.yml").read_text(encoding="utf-8"))
    return {"site": site, "review": review, "before": before, "log": log.getvalue(), "data": data,
            "chapters": plan_report["chapters"], "html": site / str(YEAR), "check": review / str(YEAR)}


def chapter_text(second_plan, name: str) -> str:
    return text_of(second_plan["html"] / "chapters" / f"{name}.html")


def test_every_chapter_the_plan_defines_is_built(second_plan):
    built = sorted(p.stem for p in (second_plan["html"] / "chapters").glob("*.html"))
    assert built == sorted(second_plan["chapters"])
    assert (second_plan["html"] / f"report-{YEAR}.pdf").exists()
    assert (second_plan["check"] / "index.html").exists() and (second_plan["check"] / f"dossier-{YEAR}.pdf").exists()


def test_the_figures_are_the_hand_calculations(second_plan):
    """The fixture README's hand calculations, as the chapters print them."""
    targets = chapter_text(second_plan, "01_targets")
    # Completion: 52 / 80 = 65.0%; 2.3 / 2.5 = 92.0% (接近目标); 20.9 / 25 = 83.6%; 0.40 / 0.49 = 81.6%.
    for figure in ("65.0%", "92.0%", "83.6%", "81.6%", "接近目标", "2025年基数", "2030年目标", "2026年实际"):
        assert figure in targets, figure
    # Projection to 2030: 52 + 12 × 4 = 100家; 20.9 + 0.9 × 4 = 24.5%; 0.49 − 0.01 × 4 = 0.45.
    for figure in ("100家", "24.5%", "0.45"):
        assert figure in targets, figure
    industry = chapter_text(second_plan, "02_industry")
    # Chains: 40 + 60 = 100家; 150.0 + 90.0 = 240亿元 of 1250.0亿元 = 19.2%; 12.0% and 7.2% each.
    for figure in ("集成电路产业链", "人工智能产业链", "19.2%", "12.0%", "7.2%", "150", "90", "增长12.5%"):
        assert figure in industry, figure
    assert re.search(r"增长20(\.0)?%", industry)      # entered as 20.0, printed as stated
    projects = chapter_text(second_plan, "03_projects")
    # The key project: its heading and its three figures.
    for figure in ("“工业互联网赋能”工程", "上云企业", "320家", "工业互联网平台", "6个", "18.6亿元"):
        assert figure in projects, figure
    # 五: the target the text cites, and what is left to reach it: 600 − 320 = 280家.
    recommendations = chapter_text(second_plan, "05_recommendations")
    assert "600家" in recommendations and "280家" in recommendations
    # 摘要: four core indicators: 接近目标 1, 稳步推进 2 (below 90%, not behind the elapsed 20%), 滞后 1 (能耗)
    summary = chapter_text(second_plan, "00_summary")
    assert "4项核心指标中，1项接近目标、2项稳步推进、1项滞后" in summary and "19.2%" in summary
    assert "3项滞后" not in summary


def test_the_band_edge_reads_on_schedule(second_plan):
    """数字经济核心产业增加值占比: progress 18.0% against 序时进度 20.0%, −2.0 points: 符合序时进度."""
    soup = BeautifulSoup((second_plan["html"] / "chapters" / "01_targets.html").read_text(encoding="utf-8"),
                         "html.parser")
    rows = [" ".join(tr.get_text(" ").split()) for tr in soup.select("table tr")]
    rows = [r for r in rows if "数字经济核心产业增加值占比" in r and "序时进度" in r]
    assert rows, "no table row gives 数字经济核心产业增加值占比 against 序时进度"
    for row in rows:
        assert "符合序时进度" in row and "慢于序时进度" not in row, row
    check = text_of(second_plan["check"] / "audit.html")
    assert "相差−2.0个百分点：符合序时进度" in check


def test_no_word_of_the_plan_14_report(second_plan):
    """Nothing of the 十四五 report in the site's 2026 edition or its 核查报告 — pages, PDFs, search index,
    downloads. “十四五” itself only as the base of this plan, “十四五”末 (plan.yml previous_name)."""
    words = PLAN_14_WORDS + plan_14_chain_names()
    found = []
    for folder in (second_plan["html"], second_plan["check"]):
        for name, text in texts(folder).items():
            found += [f"{folder.name}/{name}: {w}" for w in words if w in text]
            rest = text.replace("“十四五”末", "")
            found += [f"{folder.name}/{name}: 十四五 …{rest[max(0, i - 20):i + 20]}…"
                      for i in (m.start() for m in re.finditer("十四五", rest))][:3]
    assert not found, "\n".join(found[:60])


def test_the_build_log_has_no_source_framing(second_plan):
    """The analyst's log of a plan with no source report says nothing of one (its data are its own)."""
    assert "原报告" not in second_plan["log"], [l for l in second_plan["log"].splitlines() if "原报告" in l]


def test_the_check_report_has_no_source_framing(second_plan):
    pages = {p.stem: text_of(p) for p in second_plan["check"].glob("*.html") if p.stem not in ("search", "genindex")}
    text = "\n".join(pages.values())
    for word in ("原报告", "共运行0项", "（）", "与原报告", "逐段比对"):
        assert word not in text, word
    assert "departures" not in pages                       # the part that exists only for a source
    assert "评价指标的计算复核" in pages["audit"]


def test_the_plan_14_edition_is_unchanged(second_plan):
    site, review, before = second_plan["site"], second_plan["review"], second_plan["before"]
    assert tree_digests(site / "2024", skip=(SWITCHER,)) == before["site"]
    assert tree_digests(review / "2024") == before["review"]
    # The switcher list now offers both editions.
    switcher = (site / "2024" / SWITCHER).read_text(encoding="utf-8")
    assert "2024" in switcher and "2026" in switcher


def test_the_landing_page_groups_the_editions_by_plan(second_plan):
    """Each edition under its own plan's title (plan.yml report_title), whichever plan comes first."""
    from beichen.inputs.plan import load_plan

    text = text_of(second_plan["site"] / "index.html")
    titles = {YEAR: load_plan(second_plan["data"]).report_title, 2024: load_plan(DATA_DIR).report_title}
    assert all(title in text for title in titles.values()), text[:300]
    starts = sorted((text.index(title), year) for year, title in titles.items())
    for n, (start, year) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(text)
        group = text[start:end]
        assert f"{year}年版" in group and all(f"{other}年版" not in group for other in titles if other != year), group
