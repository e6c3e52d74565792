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
    } else if (Array.isArray(s.hconcat) && s.hconcat.length && typeof s.hconcat[0].width === "number") {
      // charts side by side (图3-1's two paths): as many in a row as fit, the others below
      designed = s.hconcat[0].width;
      var each = Math.max(60, Math.round(designed * shrink));
      var parts = s.hconcat.length;
      var fit = Math.max(1, Math.min(parts, Math.floor(width / (each + (s.spacing || 20) + 40))));
      s.hconcat.forEach(function (c) { c.width = each; });
      if (fit < parts) { s.concat = s.hconcat; delete s.hconcat; s.columns = fit; }
      plot = each * fit;
    } else if (typeof s.width === "number") {
      designed = s.width;
      s.width = Math.max(narrow ? 64 : 80, Math.round(designed * shrink));
      plot = s.width;
    }
    var parts0 = s.hconcat || s.concat;
    var now = plot && designed ? (s.width || (s.spec && s.spec.width) || (parts0 && parts0[0].width)) : 0;
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
  // Printing from the browser prints each chart's image (charts.css), not the drawing (one started on
  // "beforeprint" would not be finished when the page is laid out for paper). The images are hidden on
  // screen and lazy, so the page's first view never waits for them; once the page is idle they are
  // fetched, so that they are there when the reader prints (Chromium does not wait for every lazy one).
  function fetchPrintImages() {
    document.querySelectorAll("img.report-chart-print").forEach(function (img) { img.loading = "eager"; });
  }
  window.addEventListener("load", function () {
    if (typeof window.requestIdleCallback === "function") window.requestIdleCallback(fetchPrintImages, {timeout: 3000});
    else setTimeout(fetchPrintImages, 1000);
  });
  window.addEventListener("beforeprint", fetchPrintImages);
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
