"""The built site works offline: nothing it loads comes from another host.

Needs the fixture ``built_site`` (Path of the HTML root), provided by conftest.py.
Every .html page is parsed (BeautifulSoup, html.parser) and every CSS file of the
site is scanned; each test lists *all* offences, not just the first.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

try:
    from _site_helpers import (chart_specs, event_attributes, executable_inline_scripts, external_refs_in_css,
                               external_refs_in_html, html_files, local_asset_refs, resolve_local, soup_of)
except ImportError:  # tests/ is a package
    from ._site_helpers import (chart_specs, event_attributes, executable_inline_scripts, external_refs_in_css,
                                external_refs_in_html, html_files, local_asset_refs, resolve_local, soup_of)

pytestmark = pytest.mark.build


@pytest.fixture(scope="module")
def pages(built_site: Path):
    files = html_files(built_site)
    assert files, f"no .html under {built_site}"
    assert (Path(built_site) / "index.html").exists(), "site has no index.html"
    return {p: soup_of(p) for p in files}


@pytest.fixture(scope="module")
def all_pages(pages, built_site: Path):
    """The edition's pages and the landing page of the site (site/index.html) beside it."""
    landing = Path(built_site).parent / "index.html"
    assert landing.is_file(), "no landing page site/index.html"
    return {**pages, landing: soup_of(landing)}


def with_page_scripts(soup, page: Path):
    """A copy of a page's soup whose scripts from _static/beichen-scripts/ (where the pages' inline
    scripts go, lib/beichen/site/ui.py) hold their code again, for reading chart specs."""
    import copy

    from bs4.element import Script

    soup = copy.copy(soup)
    for tag in soup.find_all("script", src=True):
        if "beichen-scripts/" in tag["src"]:
            tag.string = Script((page.parent / tag["src"]).read_text(encoding="utf-8"))
    return soup


def _report(offences: dict[Path, list[str]], site: Path) -> str:
    lines = []
    for page, items in offences.items():
        for item in items:
            lines.append(f"{page.relative_to(site)}: {item}")
    return "\n".join(lines[:60]) + (f"\n… and {len(lines) - 60} more" if len(lines) > 60 else "")


def test_pages_load_nothing_from_external_hosts(pages, built_site):
    offences = {p: bad for p, s in pages.items() if (bad := external_refs_in_html(s))}
    assert not offences, "external resources in pages:\n" + _report(offences, built_site)


def test_css_files_have_no_external_imports_or_fonts(built_site):
    offences = {}
    css_files = sorted(Path(built_site).rglob("*.css"))
    assert css_files, "site has no CSS at all?"
    for css in css_files:
        text = css.read_text(encoding="utf-8", errors="replace")
        bad = external_refs_in_css(text)
        # @font-face src lists are covered by url(); local() is fine.
        if bad:
            offences[css] = bad
    assert not offences, "external url()/@import in CSS:\n" + _report(offences, built_site)


def test_mathjax_not_loaded_from_a_cdn(pages, built_site):
    offences = {}
    for page, soup in pages.items():
        for tag in soup.find_all("script", src=True):
            src = tag["src"]
            if "mathjax" in src.lower():
                target = resolve_local(page, src, built_site)
                if re.match(r"^(https?:)?//", src) or not target.exists():
                    offences.setdefault(page, []).append(f"MathJax script {src!r}")
    assert not offences, "MathJax must be vendored or absent:\n" + _report(offences, built_site)


def test_local_scripts_and_stylesheets_exist(pages, built_site):
    offences = {}
    for page, soup in pages.items():
        for ref in local_asset_refs(soup):
            if not resolve_local(page, ref, built_site).is_file():
                offences.setdefault(page, []).append(f"missing local asset {ref!r}")
    assert not offences, _report(offences, built_site)


def test_chart_pages_load_the_vendored_vega_bundle(pages, built_site):
    bundle = Path(built_site) / "_static" / "vega" / "vega-bundle.js"
    chart_pages = {p: s for p, s in pages.items() if s.select(".report-chart")}
    if not chart_pages:
        pytest.skip("no page contains a chart")
    assert bundle.is_file(), "_static/vega/vega-bundle.js missing"
    head = bundle.read_text(encoding="utf-8")[:2000]
    assert "(function" in head, "vega bundle is not wrapped in a function scope"
    assert bundle.stat().st_size > 300_000
    # chart pages load the small drawer, which fetches the bundle when a chart nears the screen
    drawer = Path(built_site) / "_static" / "vega" / "report-charts.js"
    assert "_static/vega/vega-bundle.js" in drawer.read_text(encoding="utf-8")
    offences = {}
    for page, soup in pages.items():
        srcs = [t["src"] for t in soup.find_all("script", src=True)]
        loads = any("vega/report-charts.js" in s for s in srcs)
        if page in chart_pages and not loads:
            offences[page] = ["chart page does not load _static/vega/report-charts.js"]
        if any("vega/vega-bundle.js" in s for s in srcs):
            offences.setdefault(page, []).append("the 0.9 MB bundle is loaded up front")
        if page not in chart_pages and loads:
            offences.setdefault(page, []).append("page without a chart loads the chart scripts")
    assert not offences, _report(offences, built_site)


def test_chart_figures_are_accessible_and_numbered(pages, built_site):
    offences = {}
    for page, soup in pages.items():
        ids = []
        for div in soup.select(".report-chart"):
            bad = offences.setdefault(page, [])
            ids.append(div.get("id"))
            if div.get("role") != "img" or not (div.get("aria-label") or "").strip():
                bad.append(f"#{div.get('id')}: needs role=img and aria-label")
            # caption mode "self": our <figure>; mode "sphinx": myst-nb's numbered <figure>
            fig = div.find_parent("figure")
            cap = fig.find("figcaption") if fig else None
            if cap is None or not re.search(r"图\s*\d+([.-]\d+)*", cap.get_text()):
                bad.append(f"#{div.get('id')}: no <figcaption> with a figure number “图…”")
            if "alt.Chart" in (fig.get_text() if fig else ""):
                bad.append(f"#{div.get('id')}: repr text leaked")
        dup = {i for i in ids if ids.count(i) > 1}
        if dup:
            offences.setdefault(page, []).append(f"duplicate chart ids {sorted(dup)}")
        specs = chart_specs(with_page_scripts(soup, page))
        missing = [i for i in ids if i not in specs]
        if missing:
            offences.setdefault(page, []).append(f"no parsable spec for {missing}")
    offences = {p: b for p, b in offences.items() if b}
    assert not offences, _report(offences, built_site)


def test_no_altair_cdn_output_left(pages, built_site):
    """Altair's own HTML renderer (requirejs + CDN) must not be used anywhere."""
    offences = {}
    for page, soup in pages.items():
        text = str(soup)
        for needle in ("cdn.jsdelivr.net", "requirejs", "vega@", "vega-lite@", "vega-embed@"):
            if needle in text:
                offences.setdefault(page, []).append(needle)
    assert not offences, _report(offences, built_site)


# ---------------------------------------------------------------------------
# Content-Security-Policy (issue 21, point 2; lib/beichen/site/ui.py)
# ---------------------------------------------------------------------------

#: Attributes whose value a browser follows or runs as a URL.
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "poster", "xlink:href", "background")


def test_every_page_carries_the_policy_before_anything_it_governs(all_pages, built_site):
    from beichen.site.policy import CSP

    offences = {}
    root = Path(built_site).parent
    for page, soup in all_pages.items():
        metas = soup.find_all("meta", attrs={"http-equiv": re.compile("^content-security-policy$", re.I)})
        if len(metas) != 1 or metas[0].get("content") != CSP:
            offences[page] = [f"policy <meta>: {[m.get('content') for m in metas]}"]
            continue
        # a <meta> policy governs only what comes after it: nothing before it but the charset
        before = [t.name for t in metas[0].find_all_previous(True) if t.name not in ("html", "head")]
        if metas[0].parent.name != "head" or [n for n in before if n != "meta"] or len(before) > 1:
            offences[page] = [f"policy <meta> not first in <head> (after {before})"]
    assert not offences, _report(offences, root)


def test_no_inline_script_event_handler_or_javascript_url(all_pages, built_site):
    offences = {}
    for page, soup in all_pages.items():
        bad = [f"inline <script> {text!r}" for text in executable_inline_scripts(soup)] + event_attributes(soup)
        for tag in soup.find_all(True):
            for name, value in tag.attrs.items():
                if name.lower() in URL_ATTRIBUTES and isinstance(value, str) and \
                        re.sub(r"[\s\x00-\x1f]", "", value).lower().startswith(("javascript:", "vbscript:")):
                    bad.append(f"<{tag.name} {name}={value[:40]!r}>")
        if bad:
            offences[page] = bad
    assert not offences, _report(offences, Path(built_site).parent)


def test_landing_page_loads_nothing_from_external_hosts(all_pages, built_site):
    landing = Path(built_site).parent / "index.html"
    assert not external_refs_in_html(all_pages[landing])


def test_moved_scripts_are_files_of_the_edition(pages, built_site):
    """Every script a page names lives in the edition; none is left over from earlier builds."""
    folder = Path(built_site) / "_static" / "beichen-scripts"
    named = set()
    for page, soup in pages.items():
        for tag in soup.find_all("script", src=True):
            if "beichen-scripts/" in tag["src"]:
                target = resolve_local(page, tag["src"], built_site)
                assert target.is_file() and target.parent == folder.resolve(), tag["src"]
                named.add(target.name)
    assert named and {p.name for p in folder.glob("*.js")} == named
