"""The website on a phone (390×844) and a desktop (1366×900): every page, headless Chromium.

One shared build (the session fixture ``built_site``); one browser for the module. Checks, as
issue 12 lists them: no page wider than the screen; every chart drawn within its column; tables
whose first column keeps four characters, whose short cells never break, and which scroll in
their box with a hint when they are wider than it; the
chapter menu (≡) and the in-page contents open and close; a PDF link on every page; no English
or Traditional interface words in visible text or in title/aria-label/placeholder attributes;
caption contrast ≥ 4.5:1 also when the reader's system asks for dark mode; the report's terms
found by the search box over http and from file://, with excerpts.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import quote

import pytest

try:
    from _site_helpers import html_files, serve
except ImportError:  # tests/ is a package
    from ._site_helpers import html_files, serve

pytestmark = [pytest.mark.browser, pytest.mark.build]

CHROMIUM = os.environ.get("BEICHEN_CHROMIUM", "/usr/bin/chromium")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]

#: English interface words of Sphinx, pydata-sphinx-theme, sphinx-book-theme and vega-embed
#: that the issue found on the site, and the Traditional wording 列印.
FORBIDDEN_UI = re.compile(r"Toggle|Search this|Color mode|System Settings|Link to this|Click to|Contents|"
                          r"Skip to|Back to top|previous page|next page|\bMain\b|\bPage\b|Ctrl|Download|"
                          r"Print|Fullscreen|列印|visualization|Version warning")

#: Where a reader types a term, and the chapters that contain it (from the source report:
#: 小巨人 in 一(一)3 and 三(一); 专精特新 in 三(一); 单项冠军 in 一(一)3; 新材料产业链 in 二(一)1;
#: 智能制造谷 in 一(一)4 and 二; 绿色工厂 in 一(一)5 and 三; 序时进度 in the method and table of 一(二)).
SEARCH_TERMS = {
    "小巨人": ["01_targets", "03_projects"],
    "专精特新": ["03_projects"],
    "单项冠军": ["01_targets"],
    "新材料产业链": ["02_industry"],
    "智能制造谷": ["01_targets"],
    "绿色工厂": ["01_targets", "03_projects"],
    "序时进度": ["01_targets"],
}


def _pages(site: Path) -> list[str]:
    # every page of the edition: the analyst's 核查报告 is built apart, to review/ (not in the site)
    return [p.relative_to(site).as_posix() for p in html_files(site)]


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def base_url(built_site):
    # serve the folder above the edition, as the published site/ is served
    with serve(Path(built_site).parent) as base:
        yield base + Path(built_site).name + "/"


def _open(browser, viewport, url, dark=False):
    context = browser.new_context(viewport=viewport, color_scheme="dark" if dark else "light")
    page = context.new_page()
    page.goto(url)
    page.wait_for_load_state("load")
    page.wait_for_timeout(400)
    return context, page


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_every_page_fits_the_screen_and_offers_the_pdf(browser, base_url, built_site, viewport):
    problems = []
    for rel in _pages(built_site):
        context, page = _open(browser, viewport, base_url + rel)
        try:
            # charts draw when they come near the screen (the Vega bundle is fetched then)
            for i in range(page.locator(".report-chart").count()):
                page.locator(".report-chart").nth(i).scroll_into_view_if_needed()
            page.wait_for_function("() => [...document.querySelectorAll('.report-chart')]"
                                   ".every(e => e.dataset.drawnWidth)", timeout=20_000)
            info = page.evaluate("""() => ({
                scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
                charts: [...document.querySelectorAll('.report-chart')].map(e => ({
                    id: e.id, column: e.parentElement.clientWidth,
                    drawn: e.querySelector('svg.marks') ? e.querySelector('svg.marks').getBoundingClientRect().width : -1})),
                pdf: [...document.querySelectorAll('a[href$=".pdf"]')].map(a => a.getAttribute('href')),
                // first columns narrower than four characters of their own font
                narrowFirst: [...document.querySelectorAll('.bd-content table tr > :first-child')]
                    .filter(c => c.textContent.trim().length >= 4 &&
                                 c.getBoundingClientRect().width < 4 * parseFloat(getComputedStyle(c).fontSize))
                    .map(c => c.textContent.trim().slice(0, 12)),
                // cells of at most 12 characters whose text runs over more than one line
                brokenShort: [...document.querySelectorAll('.bd-content table td, .bd-content table th')]
                    .filter(c => { const t = c.textContent.trim(); if (!t || t.length > 12) return false;
                        // line boxes of the cell's text (not of its <p>): tops more than 4 px apart
                        const tops = [];
                        const walker = document.createTreeWalker(c, NodeFilter.SHOW_TEXT);
                        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
                            const r = document.createRange(); r.selectNodeContents(n);
                            for (const x of r.getClientRects()) if (x.width > 0) tops.push(x.top);
                        }
                        tops.sort((a, b) => a - b);
                        return tops.length > 1 && tops[tops.length - 1] - tops[0] > 4; })
                    .map(c => c.textContent.trim()),
                wideTables: [...document.querySelectorAll('.pst-scrollable-table-container')]
                    .filter(b => b.scrollWidth > b.clientWidth + 1)
                    .map(b => !!(b.nextElementSibling && b.nextElementSibling.classList.contains('beichen-scroll-hint')
                                 && b.nextElementSibling.offsetHeight > 0)),
            })""")
            if info["scroll"] > info["inner"]:
                problems.append(f"{rel}: page {info['scroll']}px wide on a {info['inner']}px screen")
            for chart in info["charts"]:
                if chart["drawn"] <= 0 or chart["drawn"] > chart["column"] + 1:
                    problems.append(f"{rel}: chart {chart['id']} drawn {chart['drawn']:.0f}px in a "
                                    f"{chart['column']}px column")
            if info["narrowFirst"]:
                problems.append(f"{rel}: first column below four characters: {info['narrowFirst'][:3]}")
            if info["brokenShort"]:
                problems.append(f"{rel}: short cells broken across lines: {info['brokenShort'][:5]}")
            if not all(info["wideTables"]):
                problems.append(f"{rel}: a table wider than its box has no scroll hint")
            if not any(h.endswith(f"report-{Path(built_site).name}.pdf") for h in info["pdf"]):
                problems.append(f"{rel}: no link to the PDF")
        finally:
            context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_no_english_or_traditional_interface_words(browser, base_url, built_site, viewport):
    problems = []
    for rel in _pages(built_site):
        context, page = _open(browser, viewport, base_url + rel)
        try:
            found = page.evaluate("""() => {
                const out = [];
                for (const el of document.querySelectorAll('[title], [aria-label], [placeholder], [data-bs-title]')) {
                    for (const a of ['title', 'aria-label', 'placeholder', 'data-bs-title']) {
                        const v = el.getAttribute(a); if (v) out.push(a + '=' + v);
                    }
                }
                // visible interface text: everything outside the article's own content
                const chrome = document.querySelectorAll('.bd-header, .bd-header-article, .bd-sidebar-primary,'
                    + ' .bd-sidebar-secondary, .bd-footer, .bd-footer-article, .bd-footer-content, .prev-next-area,'
                    + ' #pst-back-to-top, .skip-link, .vega-embed details');
                for (const el of chrome) out.push('text=' + el.innerText);
                out.push('title=' + document.title);
                return out;
            }""")
            for item in found:
                m = FORBIDDEN_UI.search(item)
                if m:
                    problems.append(f"{rel}: {m.group(0)!r} in {item[:100]!r}")
        finally:
            context.close()
    assert not problems, "\n".join(sorted(set(problems))[:40])


def _sidebar_shown(page) -> bool:
    return page.evaluate("""() => { const s = document.querySelector('.bd-sidebar-primary');
        const r = s.getBoundingClientRect(); const cs = getComputedStyle(s);
        return cs.visibility !== 'hidden' && cs.display !== 'none' && r.width > 50 && r.right > 50; }""")


def test_chapter_menu_opens_and_closes_on_a_phone(browser, base_url):
    context, page = _open(browser, PHONE, base_url + "chapters/01_targets.html")
    try:
        assert not _sidebar_shown(page), "the chapter menu covers the page before ≡ is tapped"
        page.locator(".article-header-buttons, .header-article-items__start").locator(".primary-toggle").first.click()
        page.wait_for_timeout(500)
        assert _sidebar_shown(page), "tapping ≡ did not open the chapter menu"
        assert page.get_by_role("link", name=re.compile("二、产业发展")).first.is_visible()
        page.mouse.click(380, 400)  # the dimmed page beside the menu
        page.wait_for_timeout(500)
        assert not _sidebar_shown(page), "the chapter menu did not close"
        page.locator(".secondary-toggle").first.click()
        page.wait_for_timeout(500)
        toc = page.locator(".bd-sidebar-secondary")
        assert toc.is_visible() and toc.bounding_box()["x"] < 390, "the in-page contents did not open"
        assert "本页目录" in toc.inner_text()
    finally:
        context.close()


def test_chapter_menu_collapses_on_desktop(browser, base_url):
    context, page = _open(browser, DESKTOP, base_url + "chapters/01_targets.html")
    try:
        assert _sidebar_shown(page)
        toggle = page.locator(".header-article-items__start .primary-toggle").first
        toggle.click()
        page.wait_for_timeout(500)
        assert not _sidebar_shown(page), "≡ did not collapse the sidebar on desktop"
        toggle.click()
        page.wait_for_timeout(500)
        assert _sidebar_shown(page), "≡ did not bring the sidebar back"
    finally:
        context.close()


def _luminance(rgb: str) -> float:
    r, g, b = [int(x) / 255 for x in re.findall(r"\d+", rgb)[:3]]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def test_captions_readable_when_the_system_asks_for_dark(browser, base_url):
    context, page = _open(browser, PHONE, base_url + "chapters/01_targets.html", dark=True)
    try:
        pairs = page.evaluate("""() => [...document.querySelectorAll('figcaption, .report-chart-takeaway, caption')]
            .map(e => { let b = e, bg = 'rgba(0, 0, 0, 0)';
                while (b && (bg === 'rgba(0, 0, 0, 0)' || bg === 'transparent')) { bg = getComputedStyle(b).backgroundColor; b = b.parentElement; }
                return [getComputedStyle(e).color, bg === 'rgba(0, 0, 0, 0)' ? 'rgb(255, 255, 255)' : bg]; })""")
        assert pairs
        for fg, bg in pairs:
            hi, lo = sorted([_luminance(fg), _luminance(bg)], reverse=True)
            assert (hi + 0.05) / (lo + 0.05) >= 4.5, f"caption {fg} on {bg}"
    finally:
        context.close()


def _search(page, url: str) -> tuple[list[str], list[str]]:
    page.goto(url)
    # Sphinx writes “搜索完成…” / “没有搜索到…” into Search.status when the last result is listed
    page.wait_for_function("() => typeof Search !== 'undefined' && Search.status && "
                           "Search.status.innerText.trim().length > 0", timeout=20_000)
    # excerpts are fetched after the list is drawn
    page.wait_for_function("() => [...document.querySelectorAll('#search-results li')]"
                           ".every(li => li.querySelector('p.context'))", timeout=10_000)
    hits = page.eval_on_selector_all("#search-results li a", "els => els.map(e => e.getAttribute('href'))")
    excerpts = page.eval_on_selector_all("#search-results li p.context", "els => els.map(e => e.textContent)")
    return hits, excerpts


@pytest.mark.parametrize("scheme", ["http", "file"])
def test_report_terms_find_their_pages(browser, base_url, built_site, scheme):
    root = base_url if scheme == "http" else Path(built_site).resolve().as_uri() + "/"
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    problems = []
    try:
        for term, expected in SEARCH_TERMS.items():
            hits, excerpts = _search(page, f"{root}search.html?q={quote(term)}")
            joined = " ".join(hits)
            for chapter in expected:
                if chapter not in joined:
                    problems.append(f"{scheme}: {term} did not find {chapter} (found {hits})")
            if hits and not any(term in e for e in excerpts):
                problems.append(f"{scheme}: {term}: no excerpt shows it ({excerpts[:2]})")
        hits, _ = _search(page, f"{root}search.html?q={quote('火星殖民')}")
        if hits:
            problems.append(f"{scheme}: nonsense found {hits}")
    finally:
        context.close()
    assert not problems, "\n".join(problems)


def test_edition_index_is_a_contents_page(built_site):
    text = (Path(built_site) / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in text and "<title>" in text and 'name="description"' in text
    for chapter in ("chapters/00_summary.html", "chapters/06_appendix.html"):
        assert chapter in text
    assert "天津市北辰区" in text and "工业和信息化局" not in text  # data/meta/plan.yml, author (the cover's)
    assert (Path(built_site) / "_static" / "favicon.svg").is_file()


def test_a_table_with_prose_reads_as_cards_on_a_phone(browser, base_url):
    """表1-1 (seven columns, the last one prose) at 360 px: before issue 25 it was 803 px wide in a
    328 px box with its 突出成效 column four characters a line. Now each row is a card: nothing to
    scroll, each cell under its column's name, and the prose at least twelve characters a line."""
    context, page = _open(browser, {"width": 360, "height": 800}, base_url + "chapters/01_targets.html")
    try:
        info = page.evaluate("""() => {
            const table = [...document.querySelectorAll('.bd-content table')]
                .find(t => (t.querySelector('caption') || {}).textContent.includes('表1-1'));
            const box = table.closest('.pst-scrollable-table-container') || table.parentElement;
            const heads = [...table.querySelectorAll('thead th')].map(th => th.textContent.trim());
            const prose = [...table.querySelectorAll('tbody tr')].map(tr => tr.children[heads.indexOf('突出成效')]);
            return {wide: box.scrollWidth - box.clientWidth, heads,
                    labels: [...table.querySelectorAll('tbody tr:first-child td')].map(td =>
                        getComputedStyle(td, '::before').content.replace(/^"|"$/g, '')),
                    proseWidth: Math.min(...prose.map(td => td.querySelector('p, span') ?
                        td.lastElementChild.getBoundingClientRect().width : td.getBoundingClientRect().width)),
                    font: parseFloat(getComputedStyle(prose[0]).fontSize)};
        }""")
        # the seven column names of 表1-1 (source report, 一(一))
        assert info["heads"] == ["指标类别", "关键指标", "2020年基数", "2025年目标", "2024年实际", "完成度", "突出成效"]
        assert info["wide"] <= 0, f"表1-1 still scrolls {info['wide']} px in its box"
        assert info["labels"] == info["heads"], info["labels"]
        assert info["proseWidth"] >= 12 * info["font"], f"突出成效 {info['proseWidth']:.0f} px wide"
    finally:
        context.close()


#: What the focused element looks like and where it is (one Tab press at a time).
_FOCUSED = """() => { const e = document.activeElement; const r = e.getBoundingClientRect();
    const cs = getComputedStyle(e);
    return {tag: e.tagName, name: (e.getAttribute('aria-label') || e.textContent || '').trim().slice(0, 24),
            left: r.left, right: r.right, width: r.width, height: r.height,
            ring: cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2}; }"""


@pytest.mark.parametrize("width", [360, 390])
def test_keyboard_and_touch_on_a_phone(browser, base_url, width):
    """WCAG 2.2 AA on a phone (issue 25, point 4): every control reached by Tab is on the screen and
    shows a focus ring (2.4.7, 2.4.11); the header's controls are 44 px targets; the year button's
    name holds its visible text (2.5.3); the 本页目录 drawer closes when a heading is chosen and on
    Escape, and is out of the focus order while closed."""
    context, page = _open(browser, {"width": width, "height": 800}, base_url + "chapters/01_targets.html")
    problems = []
    try:
        page.wait_for_function("() => /\\d{4}年版/.test(document.querySelector('.version-switcher__button').innerText)")
        seen = []
        for _ in range(40):
            page.keyboard.press("Tab")
            f = page.evaluate(_FOCUSED)
            if f["tag"] == "BODY" or (seen and f == seen[0]):
                break
            seen.append(f)
            if f["right"] <= 0 or f["left"] >= width:
                problems.append(f"focus off-screen: {f['tag']} {f['name']!r} at {f['left']:.0f}–{f['right']:.0f}")
            elif not f["ring"]:
                problems.append(f"no focus ring: {f['tag']} {f['name']!r}")
        assert len(seen) >= 6, seen  # skip link, ≡, year, editions, search, 本页目录 at least
        small = page.evaluate("""() => [...document.querySelectorAll('.bd-header-article a, .bd-header-article button')]
            .filter(e => e.offsetParent !== null)
            .map(e => { const r = e.getBoundingClientRect();
                        return [(e.getAttribute('aria-label') || e.textContent).trim().slice(0, 12), r.width, r.height]; })
            .filter(([, w, h]) => w < 44 || h < 44)""")
        problems += [f"header target {n!r} {w:.0f}×{h:.0f} px" for n, w, h in small]
        year = page.locator(".version-switcher__button")
        visible = year.inner_text().strip()
        if page.get_by_role("button", name=visible).count() != 1:
            problems.append(f"the year button's accessible name does not contain {visible!r}")
        # the drawer: open, choose a heading, closed
        links = ".bd-sidebar-secondary a[href^='#']:visible"
        page.locator(".secondary-toggle").first.click()
        try:
            page.locator(links).nth(1).wait_for(state="visible", timeout=3000)
        except Exception:
            raise AssertionError(page.evaluate("""() => [document.getElementById('pst-secondary-sidebar-checkbox').checked,
                document.activeElement.outerHTML.slice(0, 120), scrollY,
                [...document.querySelectorAll('.secondary-toggle')].length]"""))
        target = page.locator(links).nth(1).get_attribute("href")
        page.locator(links).nth(1).click()
        page.wait_for_timeout(800)
        if page.locator(links).count():
            problems.append("本页目录 stays open after a heading is chosen")
        top = page.evaluate("h => [location.hash, document.querySelector(h).getBoundingClientRect().top]", target)
        if top[0] != target or not -5 < top[1] < 300:
            problems.append(f"choosing {target} did not bring its section up ({top})")
        page.locator(".secondary-toggle").first.click()
        page.locator(links).first.wait_for(state="visible", timeout=3000)
        page.keyboard.press("Escape")
        page.wait_for_timeout(800)
        if page.locator(links).count():
            problems.append("Escape does not close 本页目录")
    finally:
        context.close()
    assert not problems, "\n".join(problems)
