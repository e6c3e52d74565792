"""Chinese search that finds phrases, not only single dictionary words (a Sphinx extension).

Sphinx indexes Chinese pages with jieba (`cut_for_search`), so the index holds words such as
“绿色” and “工厂”. Its search box, however, splits a query only at spaces and punctuation, so
typing “绿色工厂” looks up one term that is not in the index and finds nothing. This extension
gives the search page a query splitter that segments each run of Chinese characters by forward
maximum matching against the index's own vocabulary (“绿色工厂” → “绿色” + “工厂”); all words
must then occur on a page, as for any multi-word Sphinx query.

At index time the report's own vocabulary is added to jieba's dictionary (:func:`report_terms`):
the names of indicators, metrics and industry chains (the data tables the book ships in
``_static/data``), the headings of every chapter, and every quoted term of its text (“小巨人”,
“双谷”). jieba then keeps 小巨人 or 新材料产业链 whole instead of splitting them into 小 + 巨人,
and the search box finds the pages that contain them.
"""
from __future__ import annotations

import csv
import json
import re
from html.parser import HTMLParser
from pathlib import Path

from sphinx.search import languages
from sphinx.search.zh import SearchChinese

from beichen.site.assets import read

#: Becomes ``splitQuery`` in the search page's language_data.js, loaded before searchtools.js.
JS_SPLITTER = read("query-splitter.js")


class SearchChinesePhrases(SearchChinese):
    """Sphinx's Chinese search language with a phrase-segmenting query splitter."""

    js_splitter_code = JS_SPLITTER
    #: The report's vocabulary (:func:`report_terms`), set at builder-inited.
    terms: frozenset[str] = frozenset()

    def split(self, input: str) -> list[str]:
        """jieba's words, plus every report term inside a longer word: “国家级绿色工厂” is also
        indexed as “绿色工厂” (jieba's search mode adds only the 2- and 3-character parts)."""
        words = super().split(input)
        extra = [t for w in words if len(w) > 3 for t in self.terms if t != w and t in w]
        return words + extra


#: Columns that hold names in the data tables (indicators.csv, metrics.csv, chains.csv).
#: The book's downloads carry Chinese headers (产业链, 名称, 指标名称, 维度, 类别).
NAME_COLUMNS = ("name", "dimension", "group", "名称", "指标名称", "产业链", "维度", "类别")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_SPLIT = re.compile(r"[\s/（）()、，,。；;：:“”‘’\"'《》〔〕【】·|+=<>{}\[\]-]+")
_QUOTED = re.compile(r"“([^“”\n]{2,40})”")
_HEADING = re.compile(r"^#{1,6}\s+(.+)$", re.M)
#: Bold lead-ins name what a paragraph is about (**新材料产业链，115家企业…**).
_BOLD = re.compile(r"\*\*([^*\n]{2,80})\*\*")


LONGEST = 12  # characters: longer runs are sentences, not words a reader types


def _chunks(text: str) -> list[str]:
    """Pieces of a name between punctuation, of 2 characters or more, with a Chinese one."""
    return [c for c in _SPLIT.split(text) if len(c) >= 2 and _HAN.search(c)]


def report_terms(book: Path) -> list[str]:
    """The report's vocabulary (see _own_terms), with the parts two terms share."""
    return with_shared_parts(_own_terms(book))


def _own_terms(book: Path) -> set[str]:
    """The report's vocabulary, from its data tables and text (not a hand-kept list).

    * names in ``_static/data/*.csv`` (columns :data:`NAME_COLUMNS`), split at punctuation;
    * chapter headings, terms in Chinese quotation marks and bold lead-ins, from the chapter
      notebooks (markdown cells and the markdown the chapters print).
    """
    book = Path(book)
    terms: set[str] = set()
    for table in sorted((book / "_static" / "data").glob("*.csv")):
        with table.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                for column in NAME_COLUMNS:
                    terms.update(_chunks(row.get(column) or ""))
    for notebook in sorted((book / "chapters").glob("*.ipynb")):
        cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
        for cell in cells:
            texts = ["".join(cell.get("source", ""))] if cell.get("cell_type") == "markdown" else []
            for output in cell.get("outputs", []):
                md = output.get("data", {}).get("text/markdown")
                if md:
                    texts.append("".join(md))
            for text in texts:
                for heading in _HEADING.findall(text):
                    terms.update(_chunks(re.sub(r"^[（(]?[一二三四五六七八九十\d]+[)）、.．]\s*", "", heading)))
                for quoted in _QUOTED.findall(text) + _BOLD.findall(text):
                    terms.update(_chunks(quoted))
    return terms


def with_shared_parts(terms: set[str]) -> list[str]:
    return sorted(t for t in terms | _shared_parts(terms) if len(t) <= LONGEST)


def _shared_parts(terms: set[str], shortest: int = 3) -> set[str]:
    """The longest common run of every two terms, if ≥ `shortest` characters (制造业单项冠军 from
    “国家级和市级制造业单项冠军” and “制造业单项冠军较2020年增长”)."""
    from difflib import SequenceMatcher

    try:
        import jieba
    except ImportError:
        return set()

    def bounds(text: str) -> set[int]:
        edges, at = {0}, 0
        for word in jieba.lcut(text):
            at += len(word)
            edges.add(at)
        return edges

    edges = {t: bounds(t) for t in terms}
    found: set[str] = set()
    ordered = sorted(terms)
    for i, a in enumerate(ordered):
        for b in ordered[i + 1:]:
            m = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
            part = a[m.a:m.a + m.size]
            # only whole words in both (not 业增加值占 out of 制造业增加值占比)
            if (shortest <= m.size <= LONGEST and _HAN.search(part) and part not in (a, b)
                    and {m.a, m.a + m.size} <= edges[a] and {m.b, m.b + m.size} <= edges[b]):
                found.add(part)
    return found


def _register_terms(app) -> None:
    try:
        import jieba
    except ImportError:  # Sphinx indexes no Chinese without jieba; nothing to add to
        return
    own = sorted(_own_terms(Path(app.srcdir)))
    # The shared parts take a second of jieba and depend on the terms alone: kept in Sphinx's doctree
    # folder with the terms they came from. When the terms differ from the last build's, every page
    # is indexed again (_reindex_all), so the index equals a cold build's.
    memo = Path(app.doctreedir) / "beichen-search-terms.json"
    try:
        known = json.loads(memo.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        known = {}
    if known.get("own") == own:
        terms = list(known["all"])
    else:
        terms = with_shared_parts(set(own))
        memo.parent.mkdir(parents=True, exist_ok=True)
        memo.write_text(json.dumps({"own": own, "all": terms}, ensure_ascii=False), encoding="utf-8")
    app.beichen_terms_changed = bool(known) and known.get("all") != terms
    for term in terms:
        # jieba suggests a frequency just high enough to keep the term whole
        jieba.add_word(term)
    SearchChinesePhrases.terms = frozenset(terms)


def _reindex_all(app, env, added, changed, removed):
    """Every page, when the vocabulary changed: pages kept from the last build were split into
    words with the old one."""
    return sorted(env.found_docs) if getattr(app, "beichen_terms_changed", False) else []


def exact_incremental_index() -> None:
    """An incremental build's search index equal to a cold build's: Sphinx keeps the index of the
    pages it did not re-read and prunes pages, not words, so a word that left the only page using
    it stays in the index with no page (“扭住”: []). Drop such words after Sphinx's own pruning."""
    from sphinx.search import IndexBuilder

    if getattr(IndexBuilder.prune, "beichen_exact", False):
        return
    original = IndexBuilder.prune

    def prune(self, docnames):
        original(self, docnames)
        for mapping in (self._mapping, self._title_mapping):
            for word in [w for w, pages in mapping.items() if not pages]:
                del mapping[word]

    prune.beichen_exact = True
    IndexBuilder.prune = prune


def escaped_titles(frozen: dict) -> dict:
    """The search index with its section titles as HTML: Sphinx 7.4 keeps them as plain text
    (`alltitles`) and its search page writes them into the results with innerHTML, so a heading
    holding “<img …>” (a plan word, a passage) would be shown as markup. Page titles (`titles`) are
    HTML already."""
    import html

    frozen["alltitles"] = {html.escape(title, quote=False): places
                           for title, places in frozen.get("alltitles", {}).items()}
    return frozen


def escape_search_titles() -> None:
    """Install escaped_titles on Sphinx's IndexBuilder.freeze (once)."""
    from sphinx.search import IndexBuilder

    if getattr(IndexBuilder.freeze, "beichen_escaped", False):
        return
    original = IndexBuilder.freeze

    def freeze(self):
        return escaped_titles(original(self))

    freeze.beichen_escaped = True
    IndexBuilder.freeze = freeze


def setup(app):
    exact_incremental_index()
    escape_search_titles()
    languages["zh"] = SearchChinesePhrases
    app.connect("builder-inited", _register_terms)
    app.connect("env-get-outdated", _reindex_all)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}


# ---------------------------------------------------------------------------
# The search page: ranked by relevance over the pages' own text
# ---------------------------------------------------------------------------

class _ArticleText(HTMLParser):
    """A built page's article (``<article class="bd-article">``) as sections: id, heading, body text.

    Left out: what is not the page's text for a reader — scripts, styles, drawings, a chart's
    fallback description (the chart replaces it), the ``#`` of heading links; the navigation around
    the article (menus, 本页目录) is outside it."""

    SKIP = {"script", "style", "svg", "noscript", "template"}
    SKIP_CLASSES = {"headerlink", "report-chart-fallback"}
    BREAKS = {"p", "li", "tr", "td", "th", "caption", "br", "div", "figcaption", "dd", "dt"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0          # > 0 inside the article
        self.skip: list[str] = []   # open elements whose text is left out
        self.heading = 0        # > 0 inside h1–h6
        self.sections: list[list] = []   # [id, heading, text]
        self.stack: list[list] = []

    def _current(self) -> list:
        if not self.stack:
            self.stack.append(["", "", ""])
            self.sections.append(self.stack[-1])
        return self.stack[-1]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = set((attrs.get("class") or "").split())
        if not self.depth:
            if tag == "article" and "bd-article" in classes:
                self.depth = 1
            return
        if tag == "article":
            self.depth += 1
        if self.skip:
            if tag not in ("br", "img", "input", "hr", "meta", "link"):
                self.skip.append(tag)
            return
        if tag in self.SKIP or classes & self.SKIP_CLASSES:
            self.skip.append(tag)
        elif tag == "section":
            record = [attrs.get("id") or "", "", ""]
            self.sections.append(record)
            self.stack.append(record)
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.heading += 1
        elif tag in self.BREAKS:
            self._current()[2] += " "

    def handle_endtag(self, tag):
        if not self.depth:
            return
        if self.skip:
            if self.skip[-1] == tag:
                self.skip.pop()
            return
        if tag == "article":
            self.depth -= 1
        elif tag == "section" and self.stack:
            self.stack.pop()
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.heading = max(0, self.heading - 1)

    def handle_data(self, data):
        if not self.depth or self.skip:
            return
        record = self._current()
        record[1 if self.heading else 2] += data


def page_sections(page_html: str) -> list[list[str]]:
    """The article of a built page as ``[id, heading, text]`` per section (whitespace folded)."""
    parser = _ArticleText()
    parser.feed(page_html)
    fold = lambda s: re.sub(r"\s+", " ", s).strip()  # noqa: E731
    return [[i, fold(h), fold(t)] for i, h, t in parser.sections if fold(h) or fold(t)]


def search_pages(out_dir: Path) -> list[dict]:
    """Every page of the built site with an article: its path, title (its first heading) and sections."""
    out_dir = Path(out_dir)
    pages = []
    for page in sorted(out_dir.rglob("*.html")):
        rel = page.relative_to(out_dir).as_posix()
        if rel.split("/")[0] in ("_static", "_sources", "_images") or rel in ("search.html", "genindex.html"):
            continue
        sections = page_sections(page.read_text(encoding="utf-8"))
        if sections:
            title = next((h for _, h, _ in sections if h), rel)
            pages.append({"url": rel, "title": title, "sections": sections})
    return pages


#: The search page's data: every page's sections (also from file://, where a page cannot fetch
#: its neighbours). Filled with :func:`search_pages` as JSON.
SEARCH_DATA_JS = "window.BEICHEN_SEARCH_PAGES = %s;\n"

# assets/ranked-search.js (written by site/ui.py as beichen-search.js) replaces ``Search.query`` of
# Sphinx's searchtools.js (on the search page only).
# A page matches when its text holds every typed term as written (a phrase is matched whole, so a
# term that occurs nowhere finds nothing, rather than pages holding its words apart); pages are
# ranked by where the terms stand — in the page title (1000), in a section heading (100 each), in
# the text (1 each) — then in the report's order. Each result links to its best section and shows
# the text around the term there, the term marked.
