"""Light pages (lib/beichen/site/pruning.py): assets a page does not use are left out, the rest deferred."""
from __future__ import annotations

import re
from types import SimpleNamespace

from sphinx.builders.html._assets import _CascadingStyleSheet, _JavaScript

from beichen.site.pruning import defer_search_scripts, drop_source_maps, prune_page_assets


def _names(files):
    return [getattr(f, "filename", f) for f in files]


def test_unused_and_conditional_assets_are_left_out_and_scripts_deferred():
    context = {
        "body": "<p>正文</p>",  # no toggle, no sphinx-design element
        "css_files": [_CascadingStyleSheet("_static/pygments.css"), _CascadingStyleSheet("_static/mystnb.abc.css"),
                      _CascadingStyleSheet("_static/sphinx-design.min.css"), _CascadingStyleSheet("_static/report.css")],
        "script_files": [_JavaScript("_static/documentation_options.js"), _JavaScript("_static/copybutton.js"),
                         _JavaScript("_static/togglebutton.js"), _JavaScript("_static/doctools.js")],
    }
    prune_page_assets(context, "chapters/01_targets")
    assert _names(context["css_files"]) == ["_static/report.css"]
    scripts = {js.filename: js.attributes for js in context["script_files"]}
    assert list(scripts) == ["_static/documentation_options.js", "_static/doctools.js"]
    assert "defer" not in scripts["_static/documentation_options.js"]  # read by inline scripts at once
    assert scripts["_static/doctools.js"].get("defer") == "defer"


def test_a_page_with_a_toggle_keeps_its_script_and_the_search_page_is_deferred_too():
    context = {"body": '<div class="toggle">…</div>', "css_files": [],
               "script_files": [_JavaScript("_static/togglebutton.js"), _JavaScript("_static/doctools.js"),
                                _JavaScript("_static/documentation_options.js")]}
    prune_page_assets(context, "search")
    assert [(js.filename, "defer" in js.attributes) for js in context["script_files"]] == [
        ("_static/togglebutton.js", True), ("_static/doctools.js", True),
        ("_static/documentation_options.js", False)]   # read by the page's own scripts as it is parsed


SEARCH_HEAD = """<head>
<script src="_static/documentation_options.js?v=1"></script>
<script defer="defer" src="_static/doctools.js?v=2"></script>
<script defer="defer" src="_static/beichen-search-data.js"></script>
<script defer="defer" src="_static/beichen-search.js?v=3"></script>
<script src="_static/searchtools.js"></script>
<script src="_static/language_data.js"></script>
<script src="searchindex.js"></script>
</head>"""


def test_the_search_page_runs_searchtools_then_the_ranked_search_then_the_index():
    """All deferred, in the one order that keeps the ranked search in charge: searchtools.js starts the
    search and waits for the index, the ranked search replaces its query, the index runs the query."""
    out = defer_search_scripts(SEARCH_HEAD)
    order = re.findall(r'<script ([^>]*)src="([^"?]*)', out)
    assert [src.rsplit("/", 1)[-1] for _, src in order] == [
        "documentation_options.js", "doctools.js", "searchtools.js", "language_data.js",
        "beichen-search-data.js", "beichen-search.js", "searchindex.js"]
    assert [("defer" in attrs) for attrs, _ in order] == [False] + [True] * 6


def test_a_page_without_the_ranked_search_is_left_as_it_is():
    text = SEARCH_HEAD.replace("beichen-search", "other")
    assert defer_search_scripts(text) == text


def test_source_maps_and_their_comments_are_dropped(tmp_path):
    static = tmp_path / "_static"
    static.mkdir()
    (static / "a.js").write_text("var a = 1;\n//# sourceMappingURL=a.js.map\n", encoding="utf-8")
    (static / "a.js.map").write_text("{}", encoding="utf-8")
    drop_source_maps(SimpleNamespace(builder=SimpleNamespace(format="html"), outdir=str(tmp_path)), None)
    assert not (static / "a.js.map").exists()
    assert (static / "a.js").read_text(encoding="utf-8") == "var a = 1;\n"
