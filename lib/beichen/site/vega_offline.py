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

Charts draw under the pages' Content-Security-Policy (lib/beichen/site/policy.py, ``script-src 'self'``,
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
from beichen.site.assets import read, tokens_css

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
_SNIPPET = read("vega-embed-ast.js")

#: Report charts (beichen.render.charts): figure, caption, takeaway (assets/charts.css), after the
#: shared values it reads (font stack).
CHART_CSS = tokens_css() + read("charts.css")


#: Draws every report chart at the width of its column (beichen.render.charts calls
#: ``beichenCharts.draw``). Charts keep their designed width where it fits; on a narrower column
#: the plot shrinks to fit, a row of facet panels wraps into several rows, long labels, axis titles
#: and legends break into lines (never inside a run of Latin letters or digits such as “GDP”, never
#: a line starting with closing punctuation), a note placed inside the plot moves above it, and a
#: quantitative axis keeps only as many numbers as fit. The drawn SVG is measured and the plot
#: narrowed until it fits, because axis labels take a width no spec states. Redrawn when the
#: column width changes.
CHARTS_JS = read("charts.js")


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
    app.setup_extension("beichen.site.chart_images")  # the image each chart prints as
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
