"""Chinese search that finds phrases, not only single dictionary words (a Sphinx extension).

Sphinx indexes Chinese pages with jieba (`cut_for_search`), so the index holds words such as
“绿色” and “工厂”. Its search box, however, splits a query only at spaces and punctuation, so
typing “绿色工厂” looks up one term that is not in the index and finds nothing. This extension
gives the search page a query splitter that segments each run of Chinese characters by forward
maximum matching against the index's own vocabulary (“绿色工厂” → “绿色” + “工厂”); all words
must then occur on a page, as for any multi-word Sphinx query.
"""
from __future__ import annotations

from sphinx.search import languages
from sphinx.search.zh import SearchChinese

#: Becomes ``splitQuery`` in the search page's language_data.js, loaded before searchtools.js.
JS_SPLITTER = r"""
function splitQuery(query) {
  var index = (typeof Search !== "undefined" && Search._index) ? Search._index : null;
  var terms = index ? Object.assign({}, index.terms, index.titleterms) : {};
  var has = function (word) { return Object.prototype.hasOwnProperty.call(terms, word); };
  var out = [];
  query.split(/[^\p{Letter}\p{Number}_]+/gu).filter(function (t) { return t; }).forEach(function (part) {
    if (!/\p{Script=Han}/u.test(part) || has(part)) { out.push(part); return; }
    var i = 0;
    while (i < part.length) {
      var j = Math.min(part.length, i + 12);
      while (j > i + 1 && !has(part.slice(i, j))) { j--; }
      out.push(part.slice(i, j));
      i = j;
    }
  });
  return out;
}
"""


class SearchChinesePhrases(SearchChinese):
    """Sphinx's Chinese search language with a phrase-segmenting query splitter."""

    js_splitter_code = JS_SPLITTER


def setup(app):
    languages["zh"] = SearchChinesePhrases
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
