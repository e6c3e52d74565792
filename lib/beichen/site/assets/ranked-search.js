(function () {
  "use strict";
  var PAGES = window.BEICHEN_SEARCH_PAGES || [];
  var TITLE = 1000, HEADING = 100, TEXT = 1, BEFORE = 40, AFTER = 100;
  function termsOf(query) {
    return query.toLowerCase().split(/[\s,，、;；。:：!！?？"“”'‘’()（）《》]+/).filter(function (t) { return t; });
  }
  function count(hay, needle) {
    var n = 0, i = hay.indexOf(needle);
    while (i >= 0) { n++; i = hay.indexOf(needle, i + needle.length); }
    return n;
  }
  function rank(terms) {
    var found = [];
    PAGES.forEach(function (page, order) {
      var score = 0, best = null, bestScore = -1, every = true;
      terms.forEach(function (t) {
        var here = page.title.toLowerCase().indexOf(t) >= 0 ? TITLE : 0;
        score += here;
        page.sections.forEach(function (s) {
          var inHead = count(s[1].toLowerCase(), t), inText = count(s[2].toLowerCase(), t);
          here += HEADING * inHead + TEXT * inText;
          score += HEADING * inHead + TEXT * inText;
        });
        if (!here) every = false;
      });
      if (!every) return;
      page.sections.forEach(function (s) {
        var own = 0;
        terms.forEach(function (t) {
          own += HEADING * count(s[1].toLowerCase(), t) + TEXT * count(s[2].toLowerCase(), t);
        });
        if (own > bestScore) { bestScore = own; best = s; }
      });
      found.push({page: page, score: score, order: order, section: best});
    });
    found.sort(function (a, b) { return b.score - a.score || a.order - b.order; });
    return found;
  }
  // The text around the first term in the section (or the section's start), terms marked.
  function excerpt(text, terms) {
    var low = text.toLowerCase(), at = -1, term = "";
    terms.forEach(function (t) { var i = low.indexOf(t); if (i >= 0 && (at < 0 || i < at)) { at = i; term = t; } });
    var start = Math.max(0, at - BEFORE), end = Math.min(text.length, Math.max(at, 0) + term.length + AFTER);
    var piece = (start > 0 ? "…" : "") + text.slice(start, end) + (end < text.length ? "…" : "");
    var p = document.createElement("p");
    p.className = "context";
    var lowPiece = piece.toLowerCase(), i = 0;
    while (i < piece.length) {
      var next = -1, len = 0;
      terms.forEach(function (t) { var j = lowPiece.indexOf(t, i); if (j >= 0 && (next < 0 || j < next)) { next = j; len = t.length; } });
      if (next < 0) { p.appendChild(document.createTextNode(piece.slice(i))); break; }
      if (next > i) p.appendChild(document.createTextNode(piece.slice(i, next)));
      var mark = document.createElement("mark");
      mark.textContent = piece.slice(next, next + len);
      p.appendChild(mark);
      i = next + len;
    }
    return p;
  }
  function query(query) {
    var terms = termsOf(query);
    var results = terms.length ? rank(terms) : [];
    var root = document.documentElement.getAttribute("data-content_root") || "./";
    results.forEach(function (r) {
      var li = document.createElement("li");
      var a = li.appendChild(document.createElement("a"));
      a.href = root + r.page.url + (r.section && r.section[0] ? "#" + r.section[0] : "");
      a.textContent = r.page.title + (r.section && r.section[1] && r.section[1] !== r.page.title ? " › " + r.section[1] : "");
      li.appendChild(excerpt(r.section ? r.section[2] || r.section[1] : "", terms));
      Search.output.appendChild(li);
    });
    Search.stopPulse();
    Search.title.textContent = "搜索结果";
    var shown = query.trim();
    Search.status.textContent = results.length
      ? "共找到 " + results.length + " 个页面，按相关程度排列。"
      : "没有找到含有“" + shown + "”的页面。请检查用字，或换一个较短的词再试。";
    var progress = document.getElementById("search-progress");
    if (progress) progress.textContent = "";
  }
  // Deferred, this script runs after searchtools.js and before the index (beichen.site.pruning
  // defer_search_scripts): searchtools.js has started the search and waits for the index, whose
  // arrival runs the query, this one. Not deferred (searchtools.js after it, starting the search when
  // the document is loaded), this listener, added first, replaces the query before.
  function install() { if (typeof Search !== "undefined") Search.query = query; }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", install); else install();
})();
