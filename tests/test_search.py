"""The site's search box finds Chinese words and phrases (headless Chromium, offline).

Sphinx indexes pages with jieba; lib/zh_search.py segments a typed phrase such as
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
def search(built_site):
    sync_api = pytest.importorskip("playwright.sync_api")
    with serve(built_site) as base, sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", "--disable-sync"])
        page = browser.new_page()
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base)
                   else route.abort())

        def run(query: str) -> list[str]:
            page.goto(f"{base}/search.html?q={quote(query)}")
            # Sphinx writes its “search finished” line into Search.status after the last result
            page.wait_for_function("() => typeof Search !== 'undefined' && Search.status && "
                                   "Search.status.innerText.trim().length > 0", timeout=15_000)
            return page.eval_on_selector_all("#search-results li a", "els => els.map(e => e.getAttribute('href'))")

        yield run
        browser.close()


@pytest.mark.parametrize("query", ["绿色工厂", "新材料产业链", "高新技术企业", "智能工厂"])
def test_chinese_phrases_are_found(search, query):
    hits = search(query)
    assert hits, f"search for {query} found nothing"


def test_phrase_hits_pages_that_contain_it(search):
    hits = " ".join(search("绿色工厂"))
    assert "01_targets" in hits and "03_projects" in hits


def test_nonsense_finds_nothing(search):
    assert search("火星殖民") == []
