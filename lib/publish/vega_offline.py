"""Vendor Vega, Vega-Lite and Vega-Embed into the site so charts draw offline.

``vl_convert.javascript_bundle(snippet)`` returns one self-contained script (no
imports, no CDN) with all three libraries. Its top level declares ``var _`` and many
other short names, which would overwrite Sphinx's ``doctools.js`` ``_`` (the
translation function) and anything else global. We therefore wrap it in a function
scope and let it expose exactly one global, ``window.vegaEmbed``.

Two ways to use it:

* As a Sphinx extension (recommended): add ``beichen.publish.vega_offline`` to
  ``sphinx.extra_extensions`` in ``_config.yml``. On every HTML build it writes the
  assets into ``<doctreedir>/beichen_static/`` (cached, rewritten only when the
  content changes), adds that folder to ``html_static_path`` and registers the JS
  and CSS files, and drops sphinx-thebe's script tags (JB1 always loads that
  extension; its inline config names an unpkg.com URL). Nothing else to configure.
* By hand: ``write_vega_assets(book_dir / "_static")`` and list the returned paths
  in ``html_js_files`` (and :data:`CSS_FILES` in ``html_css_files``).
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

JS_FILES = ["vega/vega-bundle.js"]
CSS_FILES = ["vega/report-charts.css"]

#: Only vegaEmbed leaves the function scope.
_SNIPPET = "window.vegaEmbed = vegaEmbed;"

CHART_CSS = """\
/* Report charts (beichen.render.charts): figure, caption, takeaway. */
figure.report-figure { margin: 1.5em 0 2em; max-width: 100%; }
.report-chart { max-width: 100%; overflow-x: auto; min-height: 60px; }
.report-chart svg { max-width: none; height: auto; }
.report-chart .vega-embed { display: block; width: fit-content; margin: 0 auto; }
.report-chart .vega-embed details summary { opacity: .45; }
.report-chart-fallback { color: #6e6e6e; font-size: .9em; }
figure.report-figure figcaption { text-align: center; margin-top: .6em; line-height: 1.6;
  font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif; }
.report-chart-caption { display: block; font-weight: 600; }
.report-chart-number { margin-right: .5em; }
.report-chart-takeaway { display: block; color: #555; font-size: .95em; }
@media print { .report-chart .vega-embed details { display: none; } }
"""


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


def _write_if_changed(path: Path, text: str) -> None:
    data = text.encode("utf-8")
    if path.exists() and hashlib.sha256(path.read_bytes()).digest() == hashlib.sha256(data).digest():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def write_vega_assets(static_dir: Path | str) -> list[str]:
    """Write ``vega/vega-bundle.js`` and ``vega/report-charts.css`` into ``static_dir``.

    Returns the JS paths (relative to ``static_dir``) to list in Sphinx ``html_js_files``;
    the CSS paths are :data:`CSS_FILES` (``html_css_files``).
    """
    static_dir = Path(static_dir)
    _write_if_changed(static_dir / JS_FILES[0], vega_bundle_js())
    _write_if_changed(static_dir / CSS_FILES[0], CHART_CSS)
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


def setup(app):
    app.add_config_value("beichen_strip_thebe", True, "html")
    app.connect("html-page-context", _strip_thebe, priority=900)
    # Loaded in <head> without defer, before the chart scripts in the body run.
    for js in JS_FILES:
        app.add_js_file(js)
    for css in CSS_FILES:
        app.add_css_file(css)
    app.connect("builder-inited", _on_builder_inited)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
