"""Build the 2024 edition end to end and check what a reader sees (marked `build`)."""
import hashlib
import json
import re
from pathlib import Path
import shutil

import pytest

from beichen.publish import build
from beichen.paths import DATA_DIR, NARRATIVE_DIR

pytestmark = pytest.mark.build

# The headline figures: the source's completion rates (一(二)表, one decimal),
# chain shares (二(一)), and the in-chain share (一(一)1).
COMPLETION_RATES = ["107.6%", "90.5%", "110.0%", "155.0%", "113.8%"]
CHAIN_SHARES = {"新材料产业链": "30.6%", "现代轻工产业链": "23.3%", "新能源产业链": "9.4%",
                "高端装备制造产业链": "9.1%", "汽车与新能源汽车产业链": "8.4%",
                "绿色石化产业链": "5.4%", "中医药产业链": "5.0%"}


def _visible_text(html: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style"]):
        tag.decompose()
    return soup.get_text(" ")


def test_headline_figures_in_html(built_2024):
    text = _visible_text(built_2024.page("01_targets"))
    for rate in COMPLETION_RATES:
        assert rate in text
    assert "93.1%" in text
    assert "49.8%（2023年）" in text                      # vintage of the 2023 actual
    assert "较“十四五”目标（37%）超额2.8个百分点" in text   # the source's sentence, computed
    industry = _visible_text(built_2024.page("02_industry"))
    for chain, share in CHAIN_SHARES.items():
        # the source's wording: 新材料 “占规上工业总产值30.6%”, the others “占比23.3%”, “占比5%”…
        assert re.search(f"{chain}[^。]*?占(规上工业总产值|比){re.escape(share)}", industry), chain
    assert "80.8%" in industry and "53.9%" in industry
    summary = _visible_text(built_2024.page("00_summary"))
    assert "1389.9亿元" in summary and "5项核心指标中，4项超额完成、1项接近目标" in summary


def test_every_chapter_of_the_source_is_there(built_2024):
    titles = {
        "00_summary": "北辰区工业经济“十四五”规划后评估报告",
        "01_targets": "一、“十四五”总体目标指标完成情况",
        "02_industry": "二、产业发展",
        "03_projects": "三、重点工程",
        "04_risks": "四、规划实施面临的主要问题和风险挑战",
        "05_recommendations": "五、进一步推进规划实施的对策建议",
        "06_appendix": "附录　指标说明与计算方法",
    }
    for page, title in titles.items():
        assert title in built_2024.page(page), page
    # sections of chapter 三 and the 2025 snapshot of chapter 四
    projects = _visible_text(built_2024.page("03_projects"))
    for needle in ["5444个", "2948.85万元", "1474.425万元", "776家", "421家", "1313名"]:
        assert needle in projects, needle
    risks = _visible_text(built_2024.page("04_risks"))
    assert "354万元" in risks and "19.6万元" in risks and "1152.5亿元" in risks and "同比下降0.3%" in risks


def test_no_code_no_parameters_no_pending_text(built_2024):
    html = built_2024.all_text()
    assert "cell_input" not in html            # inputs are removed, not just collapsed
    for trace in ["ch.say", "Chapter(", "injected-parameters", "data_dir", "notes_dir"]:
        assert trace not in html, trace
    assert "本年度文字待补充" not in html and "暂无数据" not in _visible_text(built_2024.page("01_targets"))


def test_site_is_chinese_and_searchable(built_2024):
    index = built_2024.page("01_targets")
    assert 'lang="zh-CN"' in index or "lang=\"zh_CN\"" in index
    assert "搜索" in index
    raw = (built_2024.html / "searchindex.js").read_text(encoding="utf-8")
    terms = json.loads(raw[raw.index("(") + 1: raw.rindex(")")])["terms"]
    # jieba splits Chinese into words, so the index holds words, not whole sentences.
    for word in ["制造业", "产业链", "绿色", "完成", "高新技术"]:
        assert word in terms, word
    pages = set(terms["产业链"]) if isinstance(terms["产业链"], list) else {terms["产业链"]}
    assert len(pages) >= 3  # found on several chapters


def test_csv_downloads_are_published(built_2024):
    from urllib.parse import unquote
    appendix = built_2024.page("06_appendix")
    # Sphinx publishes linked local files as downloads under _downloads/<hash>/.
    links = {Path(unquote(h)).name: unquote(h)
             for h in re.findall(r'href="\.\./(_downloads/[0-9a-f]+/[^"]+\.(?:csv|txt))"', appendix)}
    assert sorted(links) == sorted(["说明.txt", "评价指标.csv", "产业链.csv", "其他统计数字.csv"])
    headers = {"评价指标.csv": "维度", "产业链.csv": "产业链", "其他统计数字.csv": "名称"}
    for name, link in links.items():
        raw = (built_2024.html / link).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), name  # UTF-8 with BOM, for Excel
        if name in headers:
            assert raw.decode("utf-8-sig").splitlines()[0].split(",")[0] == headers[name], name
    # The figures the report shows, as it shows them (issue 20 item 6): 小巨人 19家 (三(三)1), not the
    # source's 20 (一(一)3); no 2.3% (一(一)2); no restated share (90, 93.1) or multiple (2) of the audit.
    import csv
    with open(built_2024.html / links["其他统计数字.csv"], encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    names = [r["名称"] for r in rows]
    assert [r["数值"] for r in rows if r["名称"] == "“小巨人”企业"] == ["19"]
    assert "“小巨人”企业（累计）" not in names and not any("正文" in n or "倍数" in n for n in names)
    assert not any(n.startswith("在链企业工业产值占") for n in names)
    assert len(set((r["名称"], r["年份"]) for r in rows)) == len(rows) > 40


@pytest.mark.pdf
def test_the_pdf_appendix_says_where_the_downloads_are(built_2024):
    """In print a list of links is useless: the PDF's 数据下载 says the files come with the web version."""
    import subprocess

    from beichen.render.appendix import downloads_print_text

    text = re.sub(r"\s+", "", subprocess.run(["pdftotext", str(built_2024.pdf), "-"], capture_output=True,
                                              text=True, check=True).stdout)
    assert re.sub(r"\s+", "", downloads_print_text()) in text
    assert "说明（各表的内容" not in text and "_static" not in text


def _tree_digest(folder):
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def test_failing_chapter_leaves_last_edition_untouched(built_2024, tmp_path, capsys, warm_staging):
    site = tmp_path / "site"
    shutil.copytree(built_2024.site, site)
    before = _tree_digest(site)
    narrative = tmp_path / "narrative"
    shutil.copytree(NARRATIVE_DIR, narrative)
    broken = narrative / "2024" / "02_industry.md"
    broken.write_text(broken.read_text(encoding="utf-8").replace("{{ k.top2_share }}", "{{ k.no_such_figure }}"),
                      encoding="utf-8")
    code = build.main(["--year", "2024", "--narrative-dir", str(narrative), "--site-dir", str(site),
                       "--staging-dir", str(warm_staging)])
    out = capsys.readouterr().out
    assert code == 1
    assert "02_industry.ipynb" in out and "代码单元执行失败" in out and "no_such_figure" in out
    assert _tree_digest(site) == before


def test_invalid_data_stops_before_building(built_2024, tmp_path, data_copy, capsys):
    site = tmp_path / "site"
    shutil.copytree(built_2024.site, site)
    before = _tree_digest(site)
    values = data_copy / "indicator_values.csv"
    values.write_text(values.read_text(encoding="utf-8").replace(",39.8,", ",39.8%,"), encoding="utf-8")
    code = build.main(["--year", "2024", "--data-dir", str(data_copy), "--site-dir", str(site),
                       "--staging-dir", str(tmp_path / "staging")])
    out = capsys.readouterr().out
    assert code == 1 and "indicator_values.csv: 第4行, 列 value: 值 “39.8%”" in out
    assert _tree_digest(site) == before


@pytest.mark.parametrize("year", [2019, 2020, 2031])
def test_years_outside_the_plan_are_refused(year, tmp_path, capsys):
    code = build.main(["--year", str(year), "--site-dir", str(tmp_path / "site"),
                       "--staging-dir", str(tmp_path / "staging")])
    assert code == 1
    assert f"年份 {year} 超出" in capsys.readouterr().out
    assert not (tmp_path / "site").exists()


def test_no_english_interface_words_on_the_site(built_2024):
    """The site's interface (header, navigation, buttons, footer) is Chinese on every page: no theme
    strings such as “Choose version”. The report's own text (company names, file names) is excluded."""
    from bs4 import BeautifulSoup

    allowed = {"PDF"}  # “下载PDF” (issue 12: no Ctrl+K hint, no .ipynb download)
    for page in sorted((built_2024.html / "chapters").glob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag in soup(["script", "style", "article"]):
            tag.decompose()
        words = set(re.findall(r"[A-Za-z]{3,}", soup.get_text(" ")))
        assert words <= allowed, (page.name, words - allowed)


@pytest.mark.pdf
def test_one_issuing_body_on_cover_metadata_footer_and_dossier(built_2024):
    """Issue 20: the report speaks as the district (DESIGN.md); the PDF's cover and metadata, every
    page's footer and the 核查报告 name one issuing body, the plan's (data/meta/plan.yml author)."""
    import subprocess

    from bs4 import BeautifulSoup

    from beichen.inputs.plan import load_plan

    author = load_plan(DATA_DIR).author
    assert author == "天津市北辰区"
    for pdf in (built_2024.pdf, built_2024.check / "dossier-2024.pdf"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert re.search(r"^Author:\s+(.+)$", info, re.M).group(1).strip() == author, pdf.name
        cover = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True,
                               text=True, check=True).stdout
        assert author in re.sub(r"\s+", "", cover), pdf.name
    pages = sorted((built_2024.html / "chapters").glob("*.html")) + [built_2024.html / "search.html"]
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        assert [p.get_text(strip=True) for p in soup.select(".beichen-footer__issuer")] == [f"{author}编制"], page.name
    for page in built_2024.html.rglob("*.html"):
        assert "工业和信息化局" not in page.read_text(encoding="utf-8"), page.name
