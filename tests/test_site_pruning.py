"""Light pages (lib/beichen/site/pruning.py): assets a page does not use are left out, the rest deferred."""
from __future__ import annotations

from types import SimpleNamespace

from sphinx.builders.html._assets import _CascadingStyleSheet, _JavaScript

from beichen.site.pruning import drop_source_maps, prune_page_assets


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


def test_a_page_with_a_toggle_keeps_its_script_and_the_search_page_is_not_deferred():
    context = {"body": '<div class="toggle">…</div>', "css_files": [],
               "script_files": [_JavaScript("_static/togglebutton.js"), _JavaScript("_static/searchtools.js")]}
    prune_page_assets(context, "search")
    assert [(js.filename, "defer" in js.attributes) for js in context["script_files"]] == [
        ("_static/togglebutton.js", False), ("_static/searchtools.js", False)]


def test_source_maps_and_their_comments_are_dropped(tmp_path):
    static = tmp_path / "_static"
    static.mkdir()
    (static / "a.js").write_text("var a = 1;\n//# sourceMappingURL=a.js.map\n", encoding="utf-8")
    (static / "a.js.map").write_text("{}", encoding="utf-8")
    drop_source_maps(SimpleNamespace(builder=SimpleNamespace(format="html"), outdir=str(tmp_path)), None)
    assert not (static / "a.js.map").exists()
    assert (static / "a.js").read_text(encoding="utf-8") == "var a = 1;\n"
