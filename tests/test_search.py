"""The site's search box finds Chinese words and phrases (headless Chromium, offline).

Sphinx indexes pages with jieba; lib/beichen/zh_search.py segments a typed phrase such as
“绿色工厂” into the indexed words. Expected pages come from the report's content:
“绿色工厂” appears in the summary, chapters 一 and 三 (and the appendix tables).
"""
from __future__ import annotations

import os
from urllib.parse import quote

import pytest

try:
    from _site_helpers import serve
except ImportError:  # tests/ is a package
    from ._site_helpers import serve

pytestmark = [pytest.mark.browser, pytest.mark.build]

CHROMIUM = os.environ.get("BEICHEN_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="module")
def search_page(built_site):
    """One browser for the module, and the search page's answer for a query: hits (href),
    excerpts, the marked terms and the status line."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with serve(built_site) as base, sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", "--disable-sync"])
        page = browser.new_page()
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base)
                   else route.abort())

        def run(query: str) -> dict:
            page.goto(f"{base}/search.html?q={quote(query)}")
            # the status line is written when the last result is listed
            page.wait_for_function("() => typeof Search !== 'undefined' && Search.status && "
                                   "Search.status.innerText.trim().length > 0", timeout=15_000)
            return page.evaluate("""() => ({
                hits: [...document.querySelectorAll('#search-results li a')].map(a => a.getAttribute('href')),
                excerpts: [...document.querySelectorAll('#search-results li p.context')].map(p => p.textContent),
                marked: [...document.querySelectorAll('#search-results li p.context mark')].map(m => m.textContent),
                status: Search.status.innerText, title: Search.title.innerText})""")

        yield run
        browser.close()


@pytest.fixture
def search(search_page):
    return lambda query: search_page(query)["hits"]


@pytest.fixture
def results(search_page):
    return search_page


@pytest.mark.parametrize("query", ["绿色工厂", "新材料产业链", "高新技术企业", "智能工厂"])
def test_chinese_phrases_are_found(search, query):
    hits = search(query)
    assert hits, f"search for {query} found nothing"


def test_phrase_hits_pages_that_contain_it(search):
    hits = " ".join(search("绿色工厂"))
    assert "01_targets" in hits and "03_projects" in hits


def test_nonsense_finds_nothing(search):
    assert search("火星殖民") == []


# ---------------------------------------------------------------------------
# Ranked by relevance, exact on absent terms, excerpts from the text (issue 25, point 3)
# ---------------------------------------------------------------------------

#: Terms and the chapter that discusses them, counted in the source report
#: (/work/shared/source/000_bca0e5e0cc621ee0.txt): 生物医药 four times in 二 (lines 91–99) and once
#: in 一; 专精特新 three times in 三 (122–127), twice in 一; 小巨人 twice in 三 (122–123), once in 一;
#: 高端装备 once in each of 一, 二, 三, but 二 gives it a paragraph (高端装备制造产业链, line 87).
DISCUSSED_IN = {"生物医药": "02_industry", "专精特新": "03_projects", "小巨人": "03_projects",
                "高端装备": "02_industry"}


@pytest.mark.parametrize("term", sorted(DISCUSSED_IN))
def test_the_page_that_discusses_a_term_ranks_first(results, term):
    found = results(term)
    assert len(found["hits"]) >= 2, found["hits"]  # each term occurs in more than one chapter
    assert DISCUSSED_IN[term] in found["hits"][0], found["hits"]
    # the excerpt is the text around the term, not the page's navigation
    assert all(term in e for e in found["excerpts"]), found["excerpts"]
    assert not any(e.lstrip("…").startswith("本页目录") for e in found["excerpts"])
    assert set(found["marked"]) == {term}
    assert found["status"] == f"共找到 {len(found['hits'])} 个页面，按相关程度排列。"


@pytest.mark.parametrize("term", ["单位工业增加值能耗", "火星殖民", "绿色工厂能耗"])
def test_an_absent_term_finds_nothing(results, term):
    """Terms the report does not contain, though their words occur apart (单位, 工业增加值, 能耗;
    绿色工厂 and 能耗): no page, and a message that says so in words that fit this site."""
    found = results(term)
    assert found["hits"] == []
    assert found["status"] == f"没有找到含有“{term}”的页面。请检查用字，或换一个较短的词再试。"
    assert "分类" not in found["status"] and found["title"] == "搜索结果"
