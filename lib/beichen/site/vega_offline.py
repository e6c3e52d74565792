"""Vendor Vega, Vega-Lite and Vega-Embed into the site so charts draw offline.

``vl_convert.javascript_bundle(snippet)`` returns one self-contained script (no
imports, no CDN) with all three libraries. Its top level declares ``var _`` and many
other short names, which would overwrite Sphinx's ``doctools.js`` ``_`` (the
translation function) and anything else global. We therefore wrap it in a function
scope and let it expose exactly one global, ``window.vegaEmbed``.

Two ways to use it:

* As a Sphinx extension (recommended): add ``beichen.site.vega_offline`` to
  ``sphinx.extra_extensions`` in ``_config.yml``. On every HTML build it writes the
  assets into ``<doctreedir>/beichen_static/`` (cached, rewritten only when the
  content changes), adds that folder to ``html_static_path`` and registers the JS
  and CSS files, and drops sphinx-thebe's script tags (JB1 always loads that
  extension; its inline config names an unpkg.com URL). Nothing else to configure.
* By hand: ``write_vega_assets(book_dir / "_static")`` and list the returned paths
  in ``html_js_files`` (and :data:`CSS_FILES` in ``html_css_files``).

Charts draw under the pages' Content-Security-Policy (lib/beichen/site/ui.py, ``script-src 'self'``,
no ``'unsafe-eval'``): Vega compiles its expressions with ``new Function`` unless it keeps their
syntax trees and evaluates them with an interpreter. Vega-Embed 7 carries vega-interpreter (in
vl-convert's bundle: vega-interpreter 2.0.0, the release vl-convert 1.9 ships with vega 6.2) and uses
it when embedding with ``{ast: true}``; ``window.vegaEmbed`` always does (:data:`_SNIPPET`).
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from beichen.files import write_if_changed

JS_FILES = ["vega/vega-bundle.js", "vega/report-charts.js"]
#: What a chart page's HTML loads: the small drawer, which fetches the 0.9 MB bundle only when a
#: chart comes near the screen (or the page is printed).
PAGE_JS_FILES = ["vega/report-charts.js"]
CSS_FILES = ["vega/report-charts.css"]
#: A page loads the chart files only if its body holds a chart (this class).
CHART_MARKER = 'class="report-chart"'

#: Only vegaEmbed leaves the function scope, and it always embeds with ``ast: true``: Vega keeps each
#: expression's syntax tree and Vega-Embed evaluates it with vega-interpreter, never compiling it with
#: new Function, which the pages' policy blocks (the charts would stay empty).
_SNIPPET = """\
window.vegaEmbed = function (el, spec, opts) {
  return vegaEmbed(el, spec, Object.assign({}, opts, {ast: true}));
};"""

CHART_CSS = """\
/* Report charts (beichen.render.charts): figure, caption, takeaway. */
figure.report-figure { margin: 1.5em 0 2em; max-width: 100%; }
.report-chart { max-width: 100%; overflow-x: auto; min-height: 60px; }
.report-chart svg { max-width: none; height: auto; }
/* vega-embed puts its classes on the chart element itself, and its own stylesheet (inserted after
   this one) gives .vega-embed.has-actions a 38 px right padding: one class more wins over it, so the
   chart has its column's whole width */
.report-chart.vega-embed, .report-chart.vega-embed.has-actions { display: flex; flex-direction: column;
  align-items: safe center; width: 100%; padding-right: 0; }
/* the export menu sits in its own strip above the chart, never on the chart's text */
.report-chart.vega-embed details { position: relative; align-self: flex-end; order: -1; margin-bottom: 2px; }
.report-chart.vega-embed details summary { position: static; opacity: .6; }
.report-chart.vega-embed details[open] .vega-actions { top: 34px; right: 0; }
.report-chart-fallback { color: #6e6e6e; font-size: .9em; }
figure.report-figure figcaption { text-align: center; margin-top: .6em; line-height: 1.6;
  font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif; }
.report-chart-caption { display: block; font-weight: 600; }
.report-chart-number { margin-right: .5em; }
.report-chart-takeaway { display: block; color: #555; font-size: .95em; }
/* printed: no export menu; a drawn chart on the paper's width; one not yet drawn (its bundle is
   fetched when the chart nears the screen, and printing does not wait) prints its description and
   where to see it */
@media print {
  .report-chart details, .report-chart .vega-actions { display: none !important; }
  .report-chart { overflow: visible; }
  .report-chart svg.marks { max-width: 100% !important; height: auto; }
  .report-chart:not(.vega-embed) .report-chart-fallback::after { content: "（图形见本报告PDF版）"; }
}
"""


#: Draws every report chart at the width of its column (beichen.render.charts calls
#: ``beichenCharts.draw``). Charts keep their designed width where it fits; on a narrower column
#: the plot shrinks to fit, a row of facet panels wraps into several rows, long labels, axis titles
#: and legends break into lines (never inside a run of Latin letters or digits such as “GDP”, never
#: a line starting with closing punctuation), a note placed inside the plot moves above it, and a
#: quantitative axis keeps only as many numbers as fit. The drawn SVG is measured and the plot
#: narrowed until it fits, because axis labels take a width no spec states. Redrawn when the
#: column width changes.
CHARTS_JS = r"""
(function () {
  "use strict";
  var NARROW = 560;       // px: below this column width, long labels wrap
  var FONT = 12;          // px: the charts' label size (beichen.render.charts FONT_SIZE)
  var NO_START = "）)」』》〉】，。、；：！？%,.;:!?";   // never at the start of a line
  var NO_END = "（(「『《〈【";                        // never at the end of a line
  function clone(o) { return JSON.parse(JSON.stringify(o)); }
  // Lines of at most n characters; a run of Latin letters, digits and signs counts as one unit.
  function wrapText(text, n) {
    if (typeof text !== "string" || text.length <= n) return text;
    var units = text.match(/[A-Za-z0-9.+\-=%]+|[\s\S]/g) || [];
    var lines = [], cur = "";
    units.forEach(function (u) {
      if (cur && cur.length + u.length > n && NO_START.indexOf(u.charAt(0)) < 0 &&
          NO_END.indexOf(cur.charAt(cur.length - 1)) < 0) { lines.push(cur); cur = ""; }
      cur += u;
    });
    if (cur) lines.push(cur);
    return lines.length > 1 ? lines : text;
  }
  // A Vega expression giving each long string of `values` its wrapped lines (a lookup written
  // as nested conditions: Vega's expression language has no user functions).
  function lookupExpr(v, values, n) {
    var out = v;
    values.forEach(function (s) {
      var w = wrapText(s, n);
      if (Array.isArray(w)) out = "(" + v + "===" + JSON.stringify(s) + "?" + JSON.stringify(w) + ":" + out + ")";
    });
    return out;
  }
  function stringsOf(spec) {
    var seen = {};
    Object.keys(spec.datasets || {}).forEach(function (k) {
      (spec.datasets[k] || []).forEach(function (row) {
        Object.keys(row).forEach(function (c) { if (typeof row[c] === "string") seen[row[c]] = 1; });
      });
    });
    return Object.keys(seen);
  }
  function walk(node, visit) {
    if (Array.isArray(node)) { node.forEach(function (n) { walk(n, visit); }); return; }
    if (!node || typeof node !== "object") return;
    visit(node);
    Object.keys(node).forEach(function (k) {
      if (k !== "data" && k !== "datasets" && k !== "config") walk(node[k], visit);
    });
  }
  // A note set inside the plot on one row (its own one-row data, bold): on a phone it would cover
  // that row's bar and label, so it becomes the chart's title line instead.
  function notesToTitle(s, width) {
    if (!Array.isArray(s.layer)) return;
    var notes = [];
    s.layer = s.layer.filter(function (layer) {
      var m = layer.mark || {}, enc = layer.encoding || {};
      var rows = layer.data && layer.data.name && s.datasets ? s.datasets[layer.data.name] : null;
      if ((m.type || m) === "text" && m.fontWeight === "bold" && rows && rows.length === 1 &&
          enc.text && enc.text.field && enc.y && enc.y.field) {
        notes.push({text: String(rows[0][enc.text.field]), color: m.color});
        return false;
      }
      return true;
    });
    if (notes.length && !s.title) {
      s.title = {text: wrapText(notes.map(function (n) { return n.text; }).join("；"),
                                Math.floor(width * 0.9 / 13)),
                 anchor: "start", fontSize: 13, fontWeight: "bold", color: notes[0].color || "#2b2b2b"};
    }
  }
  // The spec for a column `width` px wide; `shrink` scales the plot widths (1 = as designed).
  function adapt(spec, width, shrink) {
    var s = clone(spec);
    var plot = 0, designed = 0;
    var narrow = width < NARROW;
    if (narrow) {
      var chars = Math.max(4, Math.floor(width * 0.3 / FONT));
      var strings = stringsOf(s);
      s.config = s.config || {};
      s.config.axisBand = Object.assign({}, s.config.axisBand,
                                        {labelExpr: lookupExpr("datum.label", strings, chars), labelLimit: 0});
      // numbers of a quantitative axis keep a gap between them; those that would touch are hidden
      s.config.axisQuantitative = Object.assign({}, s.config.axisQuantitative,
                                                {labelOverlap: "greedy", labelSeparation: 8});
      // legends break into rows that fit the column
      s.config.legend = Object.assign({}, s.config.legend,
                                      {columns: Math.max(1, Math.floor(width / 150)), labelLimit: width - 40});
      // room on the right for value labels that end beyond the narrowed plot
      s.padding = {top: 8, bottom: 8, left: 8, right: 12};
      notesToTitle(s, width);
    }
    if (s.facet && s.facet.column && s.spec && typeof s.spec.width === "number") {
      designed = s.spec.width;
      var panel = Math.max(60, Math.round(designed * shrink));
      var n = (s.facet.column.sort || []).length || 1;
      var per = panel + (s.spacing || 20) + 40;
      var cols = Math.max(1, Math.min(n, Math.floor(width / per)));
      if (cols < n) { s.facet = s.facet.column; s.columns = cols; }
      s.spec.width = panel;
      plot = panel * Math.min(cols, n);
    } else if (typeof s.width === "number") {
      designed = s.width;
      s.width = Math.max(narrow ? 64 : 80, Math.round(designed * shrink));
      plot = s.width;
    }
    var now = plot && designed ? (s.width || s.spec.width) : 0;
    var lines = 1;  // the most lines a label takes once wrapped for a narrow column
    walk(s, function (node) {
      var enc = node.encoding;
      if (narrow && enc) {
        // axis titles longer than the column break into lines
        ["x", "y"].forEach(function (ch) {
          if (enc[ch] && typeof enc[ch].title === "string") {
            enc[ch] = Object.assign({}, enc[ch], {title: wrapText(enc[ch].title, Math.floor(width * 0.8 / FONT))});
          }
        });
        // a quantitative axis: about one number per 56 px of plot
        if (now && enc.x && enc.x.type === "quantitative" && enc.x.axis !== null) {
          var axis = Object.assign({}, enc.x.axis);
          var room = Math.max(2, Math.floor(now / 56) + 1);
          if (Array.isArray(axis.values) && axis.values.length > room) {
            var step = Math.ceil((axis.values.length - 1) / (room - 1));
            axis.values = axis.values.filter(function (v, i) { return i % step === 0; });
          } else if (!Array.isArray(axis.values)) {
            axis.tickCount = room;
          }
          enc.x = Object.assign({}, enc.x, {axis: axis});
        }
      }
      // text placed at a fixed x: right of the plot moves with its edge, inside scales with it
      if (now && enc && enc.x && typeof enc.x.value === "number") {
        var v = enc.x.value;
        enc.x = Object.assign({}, enc.x, {value: v >= designed ? now + (v - designed) : Math.round(v * now / designed)});
      }
      var type = node.mark && (node.mark.type || node.mark);
      if (narrow && type === "text" && enc && enc.text && enc.text.field) {
        var f = "datum[" + JSON.stringify(enc.text.field) + "]";
        // value labels right of the plot: the bracketed note goes on a second line, and after its
        // first “，” on a third (“（2023年1.1%，目标2%）” is too wide for a phone's label column)
        var open = "indexof(" + f + ",'（')", comma = "indexof(" + f + ",'，')";
        var beside = enc.x && typeof enc.x.value === "number" && now && enc.x.value >= now;
        lines = Math.max(lines, beside ? 3 : 2);
        var expr = beside
          ? "!isString(" + f + ") || " + open + "<=0?" + f + ":(" + comma + ">" + open +
            "?[substring(" + f + ",0," + open + "),substring(" + f + "," + open + "," + comma + "+1),substring(" + f + "," + comma + "+1)]" +
            ":[substring(" + f + ",0," + open + "),substring(" + f + "," + open + ")])"
          : lookupExpr(f, stringsOf(s), Math.max(6, Math.floor(width * 0.45 / 11)));
        node.transform = (node.transform || []).concat([{calculate: expr, as: "__lines"}]);
        enc.text = Object.assign({}, enc.text, {field: "__lines"});
      }
    });
    // wrapped category and value labels need taller rows: a row of three label lines, 1.8 times
    if (narrow && typeof s.height === "number") s.height = Math.round(s.height * (lines > 2 ? 1.8 : 1.4));
    return {spec: s, plot: plot};
  }
  function render(el, spec, opts, width, shrink, tries) {
    var a = adapt(spec, width, shrink);
    el.innerHTML = "";
    return window.vegaEmbed(el, a.spec, opts).then(function (result) {
      // the chart itself, not the export menu's icon (also an <svg>)
      var svg = el.querySelector("svg.marks");
      // The Chinese description (the figure element's label) moves onto the drawing, so that the
      // export menu beside it is no child of an image (an image's children are not controls);
      // Vega's English label goes, and the menu's button is named in Chinese.
      var wrapper = el.querySelector(".chart-wrapper");
      if (wrapper && el.getAttribute("aria-label")) {
        wrapper.setAttribute("role", "img");
        wrapper.setAttribute("aria-label", el.getAttribute("aria-label"));
        el.removeAttribute("role");
        el.removeAttribute("aria-label");
      }
      el.querySelectorAll("svg.marks").forEach(function (n) {
        n.setAttribute("aria-hidden", "true"); n.removeAttribute("aria-label");
      });
      el.querySelectorAll("summary").forEach(function (n) {
        n.setAttribute("aria-label", (opts.i18n && opts.i18n.CLICK_TO_VIEW_ACTIONS) || "导出图表");
      });
      var drawn = svg ? svg.getBoundingClientRect().width : 0;
      if (drawn > width + 0.5 && a.plot > 0 && tries < 4) {
        result.finalize();
        var target = a.plot - (drawn - width) - 2;
        return render(el, spec, opts, width, shrink * Math.max(0.2, target / a.plot), tries + 1);
      }
      el.dataset.drawnWidth = String(Math.round(drawn));
      return result;
    });
  }
  // The bundle (vega, vega-lite, vega-embed) is fetched once, when the first chart nears the screen.
  var bundle = null;
  function loadBundle() {
    if (typeof window.vegaEmbed === "function") return Promise.resolve();
    if (!bundle) {
      bundle = new Promise(function (resolve, reject) {
        var root = document.documentElement.getAttribute("data-content_root") || "./";
        var script = document.createElement("script");
        script.src = new URL("_static/vega/vega-bundle.js", new URL(root, location.href)).href;
        script.onload = function () { resolve(); };
        script.onerror = function () { bundle = null; reject(new Error("vega-bundle.js not loaded")); };
        document.head.appendChild(script);
      });
    }
    return bundle;
  }
  var waiting = [];
  var watcher = typeof IntersectionObserver === "function" ? new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (!entry.isIntersecting) return;
      watcher.unobserve(entry.target);
      start(entry.target);
    });
  }, {rootMargin: "600px 0px"}) : null;
  function start(el) {
    var job = waiting.filter(function (j) { return j.el === el; })[0];
    if (!job) return Promise.resolve();
    waiting = waiting.filter(function (j) { return j !== job; });
    return loadBundle().then(function () { return drawNow(job.el, job.spec, job.opts); })
      .catch(function (e) { console.error(e); });
  }
  // Printing from the browser: every chart is drawn first.
  window.addEventListener("beforeprint", function () { waiting.slice().forEach(function (j) { start(j.el); }); });
  function draw(el, spec, opts) {
    waiting.push({el: el, spec: spec, opts: opts});
    if (watcher) watcher.observe(el); else start(el);
  }
  // the width a chart may take: the column's content box (without its padding)
  function innerWidth(box) {
    var cs = getComputedStyle(box);
    var w = box.clientWidth - parseFloat(cs.paddingLeft || 0) - parseFloat(cs.paddingRight || 0);
    return Math.floor(w > 0 ? w : 600);
  }
  function drawNow(el, spec, opts) {
    // vega-embed makes the chart element itself an inline box: the column is its parent
    var box = el.parentElement || el;
    var width = innerWidth(box);
    el.dataset.columnWidth = String(width);
    var done = render(el, spec, opts, width, 1, 0).catch(function (e) { console.error(e); });
    if (!el.dataset.observed && typeof ResizeObserver === "function") {
      el.dataset.observed = "1";
      var timer = null;
      new ResizeObserver(function () {
        var now = innerWidth(box);
        if (Math.abs(now - Number(el.dataset.columnWidth)) < 24) return;
        clearTimeout(timer);
        timer = setTimeout(function () { drawNow(el, spec, opts); }, 150);
      }).observe(box);
    }
    return done;
  }
  window.beichenCharts = {draw: draw, adapt: adapt, loadBundle: loadBundle};
})();
"""


def _vlc_version() -> str:
    from importlib.metadata import version

    return version("vl-convert-python")


@lru_cache(maxsize=1)
def vega_bundle_js() -> str:
    """The wrapped Vega/Vega-Lite/Vega-Embed bundle (about 0.9 MB, ~1.5 s to build)."""
    import vl_convert as vlc

    body = vlc.javascript_bundle(_SNIPPET)
    versions = (f"vega {vlc.get_vega_version()}, vega-lite {vlc.get_vegalite_versions()[-1]}, "
                f"vega-embed {vlc.get_vega_embed_version()}")
    return (
        f"/*! {versions}; bundled by vl-convert; BSD-3-Clause licences. "
        "Wrapped in a function scope: only window.vegaEmbed is global. */\n"
        "(function () {\n" + body + "\n}).call(window);\n"
    )


def write_vega_assets(static_dir: Path | str) -> list[str]:
    """Write ``vega/vega-bundle.js`` and ``vega/report-charts.css`` into ``static_dir``.

    Returns the JS paths (relative to ``static_dir``) to list in Sphinx ``html_js_files``;
    the CSS paths are :data:`CSS_FILES` (``html_css_files``).
    """
    static_dir = Path(static_dir)
    # (the stamp beside the static folder, not in it: Sphinx copies that folder into the site)
    bundle, stamp = static_dir / JS_FILES[0], static_dir.parent / (static_dir.name + "-vega-bundle.source")
    # The bundle is a function of vl-convert's version and the snippet alone: kept from the last
    # build (in Sphinx's doctree folder) when both are the same, as bundling takes ~1.5 s per build.
    source = f"vl-convert {_vlc_version()}\n{_SNIPPET}"
    if not (bundle.exists() and stamp.exists() and stamp.read_text(encoding="utf-8") == source):
        write_if_changed(bundle, vega_bundle_js())
        write_if_changed(stamp, source)
    write_if_changed(static_dir / JS_FILES[1], CHARTS_JS)
    write_if_changed(static_dir / CSS_FILES[0], CHART_CSS)
    return list(JS_FILES)


# ---------------------------------------------------------------------------
# Sphinx extension
# ---------------------------------------------------------------------------

def _on_builder_inited(app) -> None:
    if getattr(app.builder, "format", None) != "html":
        return
    static = Path(app.doctreedir) / "beichen_static"
    write_vega_assets(static)
    if str(static) not in [str(p) for p in app.config.html_static_path]:
        app.config.html_static_path.append(str(static))


def _is_thebe(js) -> bool:
    name = str(getattr(js, "filename", js) or "")
    body = str(getattr(js, "attributes", {}).get("body", "") or "")
    return name.endswith("sphinx-thebe.js") or "THEBE_JS_URL" in body or "unpkg.com/thebe" in name


def _strip_thebe(app, pagename, templatename, context, doctree) -> None:
    """Jupyter Book 1 always loads sphinx-thebe, whose inline config names
    ``https://unpkg.com/thebe…``. Launch buttons are off in this report, so drop it."""
    if not app.config.beichen_strip_thebe or "script_files" not in context:
        return
    context["script_files"] = [js for js in context["script_files"] if not _is_thebe(js)]


def _is_thebe_node(text: str) -> bool:
    return "text/x-thebe-config" in text or re.match(r"\s*<script>\s*kernelName\s*=", text) is not None


def _strip_thebe_nodes(app, doctree, docname) -> None:
    """sphinx-thebe also appends two inline scripts to every page's body (its config, naming a
    GitHub repository of binder examples, and ``kernelName``): with launch buttons off they do
    nothing, and the pages' policy allows no inline script."""
    if not app.config.beichen_strip_thebe:
        return
    from docutils import nodes

    for node in list(doctree.findall(nodes.raw)):
        if _is_thebe_node(node.astext()):
            node.parent.remove(node)


def _chart_assets_only_where_charts(app, pagename, templatename, context, doctree) -> None:
    """The 0.9 MB bundle is loaded (deferred) only by pages that draw a chart."""
    if CHART_MARKER in (context.get("body") or ""):
        return
    ours = tuple(PAGE_JS_FILES + CSS_FILES)
    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [a for a in context[key]
                            if not str(getattr(a, "filename", a) or "").split("?")[0].endswith(ours)]


def setup(app):
    app.add_config_value("beichen_strip_thebe", True, "html")
    app.connect("html-page-context", _strip_thebe, priority=900)
    app.connect("doctree-resolved", _strip_thebe_nodes, priority=900)  # after sphinx-thebe's (500)
    app.connect("html-page-context", _chart_assets_only_where_charts, priority=900)
    # Deferred: it runs after the page is parsed and before DOMContentLoaded, which is when each
    # chart's inline script (beichen.render.charts) hands its chart over; rendering is never
    # blocked, and the bundle is fetched only when a chart nears the screen.
    for js in PAGE_JS_FILES:
        app.add_js_file(js, defer="defer")
    for css in CSS_FILES:
        app.add_css_file(css)
    app.connect("builder-inited", _on_builder_inited)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
