"""Helpers for the built-site tests (offline HTML scan, local HTTP server, chart specs).

Owned by the charts work; used by test_offline_html.py and test_browser.py.
Both expect a fixture ``built_site`` → Path of the HTML root (the folder holding
index.html), provided by tests/conftest.py.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

from beichen.site.preview import serve  # noqa: F401 — the one local server (also make lighthouse)

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}

# XML namespace identifiers are never fetched.
NAMESPACE_PREFIXES = ("http://www.w3.org/", "https://www.w3.org/")

# <link rel=...> values that do not make the browser load anything.
NON_LOADING_RELS = {"canonical", "alternate", "author", "license", "help", "search",
                    "index", "next", "prev", "previous", "me", "bookmark", "top", "up"}

CSS_URL_RE = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""", re.I)
CSS_IMPORT_RE = re.compile(r"""@import\s+(?:url\(\s*)?['"]?([^'")\s;]+)""", re.I)
JS_URL_LITERAL_RE = re.compile(r"""(["'`])((?:https?:)?//[^"'`\s<>]+)\1""", re.I)
CJK_RE = re.compile(r"[\u4e00-\u9fff]")


def is_external(url: str | None) -> bool:
    """True for http(s):// and protocol-relative //host URLs to a non-local host."""
    if not url:
        return False
    url = url.strip()
    low = url.lower()
    if low.startswith(NAMESPACE_PREFIXES):
        return False
    if not (low.startswith("http://") or low.startswith("https://") or low.startswith("//")):
        return False
    host = urlsplit(url if not low.startswith("//") else "http:" + url).hostname or ""
    return host not in LOCAL_HOSTS


#: Folders of a Sphinx build that hold no pages: _static carries the themes' Jinja
#: template fragments (webpack-macros.html), _sources the page sources.
NON_PAGE_DIRS = {"_static", "_sources", "_images", ".doctrees"}


def html_files(site: Path) -> list[Path]:
    """Every HTML page of the built site (all folders except :data:`NON_PAGE_DIRS`)."""
    site = Path(site)
    return sorted(p for p in site.rglob("*.html")
                  if p.is_file() and not NON_PAGE_DIRS & set(p.relative_to(site).parts[:-1]))


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(Path(path).read_text(encoding="utf-8", errors="replace"), "html.parser")


def _srcset_urls(value: str) -> list[str]:
    return [part.strip().split()[0] for part in value.split(",") if part.strip()]


def external_refs_in_css(text: str) -> list[str]:
    urls = [m.group(2) for m in CSS_URL_RE.finditer(text)]
    urls += [m.group(1) for m in CSS_IMPORT_RE.finditer(text)]
    return [u for u in urls if is_external(u)]


def external_refs_in_html(soup: BeautifulSoup) -> list[str]:
    """Every external resource a page would load: one line per offence."""
    bad: list[str] = []

    def check(tag, attr, url):
        if is_external(url):
            bad.append(f"<{tag.name} {attr}={url!r}>")

    for tag in soup.find_all(True):
        name = tag.name
        if name == "script" and tag.get("src"):
            check(tag, "src", tag["src"])
        elif name == "link" and tag.get("href"):
            rels = {r.lower() for r in (tag.get("rel") or [])}
            if not rels or not rels <= NON_LOADING_RELS:
                check(tag, "href", tag["href"])
        elif name in ("img", "iframe", "frame", "embed", "source", "track", "audio",
                      "video", "input"):
            for attr in ("src", "poster", "data"):
                if tag.get(attr):
                    check(tag, attr, tag[attr])
            if tag.get("srcset"):
                for u in _srcset_urls(tag["srcset"]):
                    check(tag, "srcset", u)
        elif name == "object" and tag.get("data"):
            check(tag, "data", tag["data"])
        elif name in ("image", "use", "feimage") and (tag.get("href") or tag.get("xlink:href")):
            check(tag, "href", tag.get("href") or tag.get("xlink:href"))
        elif name == "meta" and (tag.get("http-equiv") or "").lower() == "refresh":
            m = re.search(r"url=(.+)", tag.get("content") or "", re.I)
            if m:
                check(tag, "content", m.group(1))
        if tag.get("style"):
            for u in external_refs_in_css(tag["style"]):
                bad.append(f"<{name} style=… url({u})>")
        if name == "style":
            for u in external_refs_in_css(tag.get_text()):
                bad.append(f"<style> url/@import {u}")
        if name == "script" and not tag.get("src"):
            for m in JS_URL_LITERAL_RE.finditer(tag.get_text()):
                if is_external(m.group(2)):
                    bad.append(f"<script> inline literal {m.group(2)!r}")
    return bad


def local_asset_refs(soup: BeautifulSoup) -> list[str]:
    """Relative URLs of scripts and stylesheets a page loads from the site itself."""
    refs = []
    for tag in soup.find_all("script", src=True):
        refs.append(tag["src"])
    for tag in soup.find_all("link", href=True):
        rels = {r.lower() for r in (tag.get("rel") or [])}
        if rels & {"stylesheet", "preload", "modulepreload", "icon"}:
            refs.append(tag["href"])
    return [r for r in refs if not is_external(r) and not r.startswith(("data:", "#"))]


def resolve_local(page: Path, ref: str, site: Path) -> Path:
    path = urlsplit(ref).path
    if path.startswith("/"):
        return Path(site) / path.lstrip("/")
    return (page.parent / path).resolve()


# ---------------------------------------------------------------------------
# Chart specs embedded in pages (beichen.render.charts.ReportChart.to_html)
# ---------------------------------------------------------------------------

_SPEC_RE = re.compile(r"var spec=(\{.*?\});var opts=", re.S)


def chart_specs(soup: BeautifulSoup) -> dict[str, dict]:
    """Map .report-chart element id → its Vega-Lite spec (from the inline script)."""
    out = {}
    for fig in soup.select(".report-figure"):  # <figure> (caption mode "self") or <div>
        div = fig.select_one(".report-chart")
        script = fig.find("script")
        if div is None or script is None:
            continue
        m = _SPEC_RE.search(script.get_text())
        if m:
            out[div.get("id")] = json.loads(m.group(1).replace("<\\/", "</"))
    return out


def expected_titles(spec: dict) -> list[str]:
    """Chinese axis/legend titles of a spec's x/y/color encodings (what the SVG must show)."""
    titles: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            enc = node.get("encoding")
            if isinstance(enc, dict):
                for ch in ("x", "y", "color"):
                    t = (enc.get(ch) or {}).get("title") if isinstance(enc.get(ch), dict) else None
                    if isinstance(t, str) and CJK_RE.search(t) and t not in titles:
                        titles.append(t)
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk({k: v for k, v in spec.items() if k not in ("datasets", "data", "config")})
    return titles




def executable_inline_scripts(soup: BeautifulSoup) -> list[str]:
    """The start of each inline <script> a browser would run (JSON data blocks are not scripts)."""
    from beichen.site.policy import SCRIPT_TYPES

    return [s.get_text().strip()[:60] for s in soup.find_all("script")
            if not s.get("src") and s.get_text().strip()
            and (s.get("type") or "").strip().lower() in SCRIPT_TYPES]


def event_attributes(soup: BeautifulSoup) -> list[str]:
    """Every on…= attribute (an inline event handler), as “<tag attribute>”."""
    return [f"<{tag.name} {name}>" for tag in soup.find_all(True) for name in tag.attrs
            if name.lower().startswith("on")]
