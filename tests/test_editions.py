"""The multi-edition site: landing page, year switcher, fallback link; 2025 built from made-up figures."""
import contextlib
import hashlib
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from beichen.publish import build
from beichen.site import landing as editions
from beichen.inputs.intake import import_entry
from beichen.publish.new_year import new_year
from beichen.paths import DATA_DIR

FIXTURE = Path(__file__).parent / "fixtures" / "2025" / "entry-2025.csv"  # made-up figures


def _fake_edition(site: Path, year: int, pdf: bool = False, meta: dict | None = None) -> None:
    folder = site / str(year)
    (folder / "_static").mkdir(parents=True)
    (folder / "index.html").write_text("<html></html>", encoding="utf-8")
    if pdf:
        (folder / f"report-{year}.pdf").write_bytes(b"%PDF-1.5")
    if meta:
        (folder / "edition.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


def test_landing_page_lists_editions_newest_first_with_pdf(tmp_path):
    site = tmp_path / "site"
    _fake_edition(site, 2024, pdf=True, meta={"issue_date": "2025年11月"})
    _fake_edition(site, 2025, meta={"missing": 4, "pending": 2, "label": "2025年版（终期评估）"})
    (site / "not-a-year").mkdir()
    index = editions.refresh_site(site)
    soup = BeautifulSoup(index.read_text(encoding="utf-8"), "html.parser")
    assert soup.html["lang"] == "zh-CN"
    titles = [h.get_text() for h in soup.select("li.edition h2")]
    assert titles == ["2025年版（终期评估）", "2024年版"]
    hrefs = [a["href"] for a in soup.select("a")]
    assert "2024/index.html" in hrefs and "2025/index.html" in hrefs and "2024/report-2024.pdf" in hrefs
    assert "2025/report-2025.pdf" not in hrefs and "PDF 未生成" in soup.get_text()
    assert "成文日期：2025年11月" in soup.get_text() and "缺失数据 4 项" in soup.get_text()
    assert not any(h.startswith(("http:", "https:", "//")) for h in hrefs)


def test_refresh_writes_the_switcher_list_into_every_edition(tmp_path):
    site = tmp_path / "site"
    _fake_edition(site, 2024)
    _fake_edition(site, 2025, meta={"label": "2025年版（终期评估）"})
    editions.refresh_site(site)
    for year in (2024, 2025):
        entries = json.loads((site / str(year) / "_static" / "switcher.json").read_text(encoding="utf-8"))
        assert [e["version"] for e in entries] == ["2025", "2024"]
        assert entries[0]["name"] == "2025年版（终期评估）"


def test_the_label_of_the_plans_final_edition(report_data):
    # The target year's edition (2025 for “十四五”) is the final evaluation.
    assert editions.edition_label(2025, report_data.plan) == "2025年版（终期评估）"
    assert editions.edition_label(2024, report_data.plan) == "2024年版"


def test_sphinx_config_places_the_switcher_in_the_article_header():
    config = editions.sphinx_config(2025)
    options = config["html_theme_options"]
    assert options["switcher"] == {"json_url": "_static/switcher.json", "version_match": "2025"}
    assert options["article_header_end"][:2] == ["version-switcher.html", editions.TEMPLATE_NAME]
    assert "article-header-buttons.html" in options["article_header_end"]


# --- two editions built end to end --------------------------------------------------------

class TwoEditions:
    def __init__(self, root: Path, output: str):
        self.root = root
        self.site = root / "site"
        self.review = root / "review"  # the internal 核查报告s, beside site/ (build_report's default)
        self.data = root / "data"
        self.output = output

    def page(self, year: int, name: str) -> str:
        return (self.site / str(year) / "chapters" / f"{name}.html").read_text(encoding="utf-8")

    def text(self, year: int, name: str) -> str:
        soup = BeautifulSoup(self.page(year, name), "html.parser")
        for tag in soup(["script", "style"]):
            tag.decompose()
        return " ".join(soup.get_text(" ").split())


@pytest.fixture(scope="module")
def two_editions(built_2024, tmp_path_factory) -> TwoEditions:
    """The 2024 test build next to a 2025 edition made by README's procedure from the made-up fixture."""
    root = tmp_path_factory.mktemp("editions")
    shutil.copytree(built_2024.site, root / "site")
    shutil.copytree(built_2024.review, root / "review")
    shutil.copytree(DATA_DIR, root / "data")
    quiet = io.StringIO()
    with contextlib.redirect_stdout(quiet):
        new_year(2025, root / "data", root / "data" / "narrative")
        import_entry(2025, FIXTURE, root / "data", backup_dir=root / "backup")
    # README followed literally at its worst: every 待更新 line deleted without writing anything.
    for stub in (root / "data" / "narrative" / "2025").glob("*.md"):
        stub.write_text("\n".join(l for l in stub.read_text(encoding="utf-8").splitlines()
                                  if not l.startswith("<!-- 待更新")), encoding="utf-8")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        build.build_report(2025, root / "data", root / "data" / "narrative", root / "site", root / "staging")
    return TwoEditions(root, out.getvalue())


@pytest.mark.build
def test_landing_page_reaches_both_editions(two_editions):
    index = two_editions.site / "index.html"
    soup = BeautifulSoup(index.read_text(encoding="utf-8"), "html.parser")
    for a in soup.select("a"):
        assert (index.parent / a["href"]).exists(), a["href"]
    hrefs = [a["href"] for a in soup.select("a")]
    assert hrefs.count("2025/index.html") == 2 and "2024/report-2024.pdf" in hrefs


@pytest.mark.build
def test_landing_page_holds_the_reports_only_and_each_dossier_is_built_apart(two_editions):
    """Issue 20 item 6: site/ may be published whole, so it neither links nor names the internal
    核查报告; each edition's goes to review/<year>/ and the build log says where."""
    landing = (two_editions.site / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(landing, "html.parser")
    assert "核查报告" not in landing and "check" not in landing and "review" not in landing
    # each edition's pages and PDF (the 2025 test build has no PDF), nothing else
    assert {a["href"] for a in soup.select("a")} == {"2025/index.html", "2024/index.html", "2024/report-2024.pdf"}
    for year in (2024, 2025):
        assert (two_editions.review / str(year) / "index.html").exists()
        assert not (two_editions.site / str(year) / "check").exists()
    assert (two_editions.review / "2024" / "dossier-2024.pdf").exists()
    assert f"{two_editions.review / '2025' / 'index.html'}" in two_editions.output
    # One count of missing figures: the landing page, the build log and the 2025 核查报告 agree.
    facts = soup.select_one("li#y2025 p.facts").get_text()
    gaps = BeautifulSoup((two_editions.review / "2025" / "gaps.html").read_text(encoding="utf-8"),
                         "html.parser").get_text()
    import re
    missing = re.search(r"缺失数据(\d+)项", gaps).group(1)
    assert f"缺失数据 {missing} 项" in facts and f"本年度缺失数据 {missing} 项" in two_editions.output


@pytest.mark.build
def test_2025_dossier_lists_what_changed_since_2024(two_editions):
    """Issue 11 item 6: every figure whose value differs from the 2024 edition, old, new, change."""
    soup = BeautifulSoup((two_editions.review / "2025" / "changes.html").read_text(encoding="utf-8"),
                         "html.parser")
    rows = {tr.find_all("td")[1].get_text(strip=True): [td.get_text(strip=True) for td in tr.find_all("td")]
            for tr in soup.select("tbody tr")}
    # Made-up 2025 fixture: 高新技术企业 715 (2024, 一(二)表) → 768 (2025): +53家 (the report says 增加53家).
    assert rows["国家级高新技术企业数量（实际值）"][2:] == ["715家（2024年）", "768家（2025年）", "+53家"]
    # 战略性新兴产业 49.8% (2023) → 51.2% (2024): +1.4 points.
    assert rows["战略性新兴产业增加值占比（实际值）"][2:] == ["49.8%（2023年）", "51.2%（2024年）", "+1.4个百分点"]
    # Figures the fixture leaves as they were are not listed (base and target never change).
    assert "国家级高新技术企业数量（基数）" not in rows
    audit_page = (two_editions.review / "2025" / "audit.html").read_text(encoding="utf-8")
    assert "数据核查结果" in audit_page


@pytest.mark.build
def test_every_page_has_the_switcher_and_the_fallback_link(two_editions):
    site = two_editions.site
    for year in (2024, 2025):
        entries = json.loads((site / str(year) / "_static" / "switcher.json").read_text(encoding="utf-8"))
        assert [e["version"] for e in entries] == ["2025", "2024"]
        pages = sorted((site / str(year) / "chapters").glob("*.html"))
        assert len(pages) == 7
        for page in pages:
            soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
            assert soup.select(".bd-header-article .version-switcher__container"), page
            link = soup.select_one(".beichen-editions__link")
            assert link.get_text() == "其他年度版本"
            assert (page.parent / link["href"]).resolve() == (site / "index.html").resolve()
            # the theme's settings are an inline script, moved into a file of the edition (beichen.site.policy.secure_page)
            scripts = "".join((page.parent / s["src"]).read_text(encoding="utf-8")
                              for s in soup.find_all("script", src=True) if "beichen-scripts/" in s["src"])
            assert f"theme_switcher_version_match = '{year}'" in scripts


@pytest.mark.build
def test_2025_edition_shows_recomputed_figures_yoy_missing_and_pending(two_editions):
    targets = two_editions.text(2025, "01_targets")
    for needle in ["109.2%", "93.1%", "118.2%", "180.0%", "120.7%", "51.2%（2024年）"]:
        assert needle in targets, needle
    summary = two_editions.text(2025, "00_summary")
    # The data-driven findings are generated every year, never pending (fixture README: hand calculations).
    for needle in ["较上年提高0.6个百分点", "1450亿元", "496家在链企业完成工业产值1348.3亿元", "118.2%", "120.7%"]:
        assert needle in summary, needle
    assert "本年度文字待补充" in summary                    # the judgement passages were not written
    industry = two_editions.text(2025, "02_industry")
    assert "440.0" in industry and "30.3%" in industry
    # The fixture leaves the 2026 snapshot blank; only a figure entered as 未发布 is said 尚未发布.
    risks = two_editions.text(2025, "04_risks")
    assert "2026年1-10月快报数据未录入" in risks and "尚未发布" not in risks
    out = two_editions.output
    assert "本年度缺失数据" in out and "规上工业总产值（1-10月累计）（2026年，实际值）" in out
    # pending passages are listed by their place in the report, never by file or passage id
    assert "本年度待补充文字" in out and "评估摘要 第1段" in out and "一、（一）1.质量效益" in out
    assert "00_summary/lead" not in out and "01_targets/quality" not in out


@pytest.mark.build
def test_deleting_every_marker_cannot_publish_a_false_sentence(two_editions):
    """Issue 11: last year's text never reappears as this year's; a label never sits inside a phrase;
    the final edition speaks of results, not projections."""
    texts = {name: two_editions.text(2025, name) for name in
             ("00_summary", "01_targets", "02_industry", "03_projects", "04_risks", "05_recommendations")}
    everything = " ".join(texts.values())
    # Sentences of the 2024 edition's narrative are not in the 2025 pages.
    for sentence in ["连续三年位居全市第一", "实体经济“压舱石”作用凸显", "2024年获批天津市中小企业特色产业集群",
                     "为2025年全面收官筑牢基础", "18项指标落地"]:
        assert sentence not in everything, sentence
    # No year label inside a phrase (“连续三（2024年）年”, “18（2024年）项”, “20（2024年）余家”).
    assert not re.search(r"[一二三四五六七八九十0-9]（\d{4}年）[年项余个家条]", everything)
    # A figure older than the edition carries its year: 高技术产业（制造业）增加值占比 was left empty (fixture).
    for match in re.finditer(r"1\.1%", everything):
        assert everything[match.end():match.end() + 7] == "（2024年）", everything[match.start() - 20:match.end() + 10]
    # The target year's edition: no projection, nothing “提前”.
    for word in ["外推", "目标实现情况外推", "提前达标", "提前完成"]:
        assert word not in everything, word
    assert "目标完成情况" in texts["00_summary"]


@pytest.mark.build
def test_2024_edition_next_to_it_is_unchanged(two_editions, built_2024):
    for name in ("00_summary", "01_targets"):
        assert two_editions.page(2024, name) == built_2024.page(name)
    text = two_editions.text(2024, "01_targets")
    assert "49.8%（2023年）" in text and "107.6%" in text and "较上年" not in text


def _tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@pytest.mark.build
def test_failing_2025_build_leaves_the_whole_site_intact(two_editions, tmp_path, capsys):
    site = tmp_path / "site"
    shutil.copytree(two_editions.site, site)
    before = _tree_digest(site)
    narrative = tmp_path / "narrative"
    shutil.copytree(two_editions.data / "narrative", narrative)
    broken = narrative / "2025" / "01_targets.md"
    broken.write_text(broken.read_text(encoding="utf-8") + "\n{{ k.no_such_placeholder }}\n", encoding="utf-8")
    # The 2025 build's work folder as it was left: the failing chapter alone runs again.
    shutil.copytree(two_editions.root / "staging", tmp_path / "staging", symlinks=True)
    code = build.main(["--year", "2025", "--data-dir", str(two_editions.data), "--narrative-dir", str(narrative),
                       "--site-dir", str(site), "--staging-dir", str(tmp_path / "staging")])
    out = capsys.readouterr().out
    assert code == 1 and "no_such_placeholder" in out and "已发布的版本未改动" in out
    assert _tree_digest(site) == before


@pytest.mark.build
@pytest.mark.browser
def test_switcher_over_http_and_fallback_on_file(two_editions):
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("chromium not installed")
    try:
        from _site_helpers import serve
    except ImportError:
        from ._site_helpers import serve
    site = two_editions.site
    with serve(site) as url, sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page()
            page.goto(url + "2025/chapters/01_targets.html", wait_until="load")
            page.wait_for_function("() => document.querySelectorAll('.bd-header-article .version-switcher__menu a')"
                                   ".length == 2 && [...document.querySelectorAll('.bd-header-article "
                                   ".version-switcher__menu a')].every(a => a.href.startsWith('http'))")
            hrefs = page.eval_on_selector_all(".bd-header-article .version-switcher__menu a", "els => els.map(a => a.href)")
            assert hrefs == [url + "2025/chapters/01_targets.html", url + "2024/chapters/01_targets.html"]
            page.locator(".bd-header-article .version-switcher__button").click()
            page.locator(".bd-header-article .version-switcher__menu a", has_text="2024年版").click()
            page.wait_for_url(url + "2024/chapters/01_targets.html")

            errors = []
            local = browser.new_page()
            local.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            local.on("pageerror", lambda e: errors.append(str(e)))
            local.goto((site / "2025" / "chapters" / "01_targets.html").as_uri(), wait_until="load")
            local.wait_for_timeout(500)
            assert not local.is_visible(".bd-header-article .version-switcher__button")
            local.click(".bd-header-article .beichen-editions__link")
            local.wait_for_url((site / "index.html").as_uri())
            assert errors == []
        finally:
            browser.close()


@pytest.mark.build
def test_every_worked_equation_printed_is_true(two_editions):
    """Every “a ÷ b × 100 = c”, “a − b = c” and sum printed in either edition holds to its rounding."""
    import sys
    sys.path.insert(0, str(Path(__file__).parent))
    from _equations import equations, false_equations

    found = 0
    for year in (2024, 2025):  # the report's pages and its 核查报告's (review/, outside the site)
        for page in sorted([*(two_editions.site / str(year)).rglob("*.html"),
                            *(two_editions.review / str(year)).rglob("*.html")]):
            soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
            for tag in soup(["script", "style"]):
                tag.decompose()
            text = soup.get_text(" ")
            found += len(equations(text))
            assert false_equations(text) == [], page
    assert found > 40  # the audit's working in the appendix of both editions
