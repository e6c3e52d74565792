"""Light pages: the theme's and extensions' assets a page does not use are left out, the rest deferred;
after the build, page scripts no page names and the themes' source maps are removed."""
from __future__ import annotations

import re
from pathlib import Path

# Where the inline scripts of the themes, the extensions and the charts go: one file per distinct
# script, named by its content's digest (kept across reruns by lib/beichen/site/rerun.py fresh_static).
from beichen.site.rerun import PAGE_SCRIPTS_DIR

#: Scripts and styles of extensions that no page of this report uses (no code cells are shown,
#: no tabs, launch buttons are off). Matched on the file name.
UNUSED_ASSETS = ("clipboard.min.js", "copybutton.js", "copybutton.css", "design-tabs.js",
                 "sphinx-thebe.css", "sphinx-thebe.js", "pygments.css")
#: myst-nb's stylesheet (43 KB, render-blocking) styles code cells, tracebacks and scroll tags the
#: report never shows; the two rules its outputs need are in assets/table.css (div.cell spacing).
UNUSED_PREFIXES = ("mystnb.",)
#: Used only where a page has the matching element.
CONDITIONAL_ASSETS = {"togglebutton.js": "toggle", "togglebutton.css": "toggle",
                      "sphinx-design.min.css": "sd-"}
#: Loaded before the body's inline scripts read them: never deferred.
NOT_DEFERRED = ("documentation_options.js",)


def _asset_name(asset) -> str:
    return str(getattr(asset, "filename", asset) or "")


def _wanted(asset, body: str) -> bool:
    """Whether a page whose body is `body` needs `asset` (a CSS or JS file, or an inline script)."""
    name = _asset_name(asset).split("?")[0]
    code = str((getattr(asset, "attributes", None) or {}).get("body", "") or "")
    if not name and code:  # an inline script: sphinx-togglebutton's settings go with its script
        return not ("toggle" in code.lower() and CONDITIONAL_ASSETS["togglebutton.js"] not in body)
    if name.endswith(UNUSED_ASSETS) or name.rsplit("/", 1)[-1].startswith(UNUSED_PREFIXES):
        return False
    for suffix, marker in CONDITIONAL_ASSETS.items():
        if name.endswith(suffix):
            return marker in body
    return True


def prune_page_assets(context: dict, pagename: str) -> None:
    """In a page's template context: the CSS and scripts it does not use left out, the rest deferred."""
    body = context.get("body", "") or ""
    if "css_files" in context:
        context["css_files"] = [c for c in context["css_files"] if _wanted(c, body)]
    if "script_files" in context:
        scripts = []
        for js in context["script_files"]:
            if not _wanted(js, body):
                continue
            name = _asset_name(js)
            attrs = getattr(js, "attributes", None)
            # on the search page too: its own scripts are deferred with them (defer_search_scripts)
            if (name and attrs is not None and not name.endswith(NOT_DEFERRED)
                    and "async" not in attrs and "defer" not in attrs):
                # a new asset object: the registered ones are shared by every page
                js = type(js)(js.filename, priority=js.priority, **dict(attrs, defer="defer"))
            scripts.append(js)
        context["script_files"] = scripts


def drop_unused_page_scripts(app, exception) -> None:
    """After the build: script files no page names any more (pages changed since) are removed."""
    if exception or getattr(app.builder, "format", None) != "html":
        return
    out = Path(app.outdir)
    folder = out / PAGE_SCRIPTS_DIR
    if not folder.is_dir():
        return
    named = set()
    for page in out.rglob("*.html"):
        named.update(re.findall(r"beichen-scripts/([0-9a-f]{20}\.js)", page.read_text(encoding="utf-8",
                                                                                      errors="replace")))
    for script in folder.glob("*.js"):
        if script.name not in named:
            script.unlink()


_SOURCE_MAP_COMMENT = re.compile(r"\n?(?://# sourceMappingURL=[^\n]*|/\*# sourceMappingURL=[^*]*\*/)[ \t]*(?=\n|$)")


def drop_source_maps(app, exception) -> None:
    """After the build: the themes' source maps (1.3 MB an edition, for their developers' debuggers)
    are not shipped, nor the comments that name them."""
    if exception or getattr(app.builder, "format", None) != "html":
        return
    static = Path(app.outdir) / "_static"
    for source_map in static.rglob("*.map"):
        source_map.unlink()
    for path in list(static.rglob("*.js")) + list(static.rglob("*.css")):
        text = path.read_text(encoding="utf-8", errors="surrogateescape")
        if "sourceMappingURL=" in text:
            path.write_text(_SOURCE_MAP_COMMENT.sub("", text), encoding="utf-8", errors="surrogateescape")


# ---------------------------------------------------------------------------
# Hooks
# ---------------------------------------------------------------------------



#: The search page's scripts its template writes (not in ``script_files``), by file name.
_SEARCH_TEMPLATE_SCRIPTS = ("searchtools.js", "language_data.js", "searchindex.js")
_SCRIPT_TAG = re.compile(r'[ \t]*<script\b[^>]*\bsrc="([^"]*)"[^>]*>\s*</script>\n?')


def _script_name(src: str) -> str:
    return src.split("?")[0].rsplit("/", 1)[-1]


def defer_search_scripts(text: str) -> str:
    """The search page with no script that holds up its first paint (Lighthouse counted 2.2 s of
    render-blocking scripts on a phone, the index among them): its template's searchtools.js,
    language_data.js and searchindex.js are deferred like the rest, in an order that keeps the ranked
    search (assets/ranked-search.js) in charge. Deferred scripts run in document order once the page
    is parsed, and searchtools.js then starts the search at once, waiting for the index: so it and
    language_data.js go before the ranked search's data and script (which replace its query
    function), and the index after them (its arrival runs the waiting query, the ranked one)."""
    tags = {(_script_name(m.group(1))): m.group(0) for m in _SCRIPT_TAG.finditer(text)}
    ranked = [n for n in ("beichen-search-data.js", "beichen-search.js") if n in tags]
    if not ranked or not all(n in tags for n in _SEARCH_TEMPLATE_SCRIPTS):
        return text
    for name in _SEARCH_TEMPLATE_SCRIPTS:
        text = text.replace(tags[name], "", 1)

    def deferred(name: str) -> str:
        tag = tags[name]
        return tag if re.search(r"\bdefer\b", tag) else tag.replace("<script ", "<script defer ", 1)
    first, last = ranked[0], ranked[-1]
    text = text.replace(tags[first], deferred("searchtools.js") + deferred("language_data.js") + tags[first], 1)
    return text.replace(tags[last], tags[last] + deferred("searchindex.js"), 1)
