"""The reader's interface of the website: Chinese words, a PDF link, the footer, light pages.

A Sphinx extension (``sphinx.extra_extensions`` in ``_config.yml``) on top of sphinx-book-theme:

* every interface word in Simplified Chinese: the theme components whose English is typed into
  their templates are replaced (templates written into ``<doctreedir>/beichen_templates``), and
  words the themes pass through ``_()`` without a zh_CN translation get one from beichen.site.words;
* no notebook download and no “print to PDF” button; instead a link to the edition's typeset PDF
  on every page, next to the year switcher;
* the footer names the issuing body (``data/meta/plan.yml``), the edition's issue date
  (``data/editions.csv``) and the last update (passed in by the build as ``beichen_site``);
* one look only (light): no colour-mode switch, so captions and charts keep their contrast;
* light pages: no Font Awesome (1.4 MB script, CSS, three web fonts) — the dozen icons the
  pages use are drawn by beichen.site.icons (inline SVG masks); scripts a page does not use
  (copy buttons, tabs, toggles, thebe) are left out, the rest deferred; a favicon; a meta
  description per page; tables that scroll in their own box (assets/table.css);
* short table cells never break inside a word (class ``nowrap`` on cells of ≤ 12 characters);
* text escaped where it lands, and a Content-Security-Policy on every page (beichen.site.policy): the plain
  text the themes print unescaped (the report title, the issuing body, page titles) is escaped once
  in every page's context, and every inline ``<script>`` is moved into a file under
  ``_static/beichen-scripts/`` as the page is rendered, so the policy
  can refuse inline script: an ``onerror=`` or ``<script>`` that slipped into a page would not run.

Where each job lives: interface words in :mod:`beichen.site.words`, icons in :mod:`beichen.site.icons`,
the policy in :mod:`beichen.site.policy`, asset pruning in :mod:`beichen.site.pruning`, table cells in
:mod:`beichen.site.tables`, CSS trimming in :mod:`beichen.site.css_trim`, the contents page in
:mod:`beichen.site.contents_page`; the CSS, JS and templates themselves in ``assets/``
(:mod:`beichen.site.assets`). This module connects them to Sphinx.
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pydata_sphinx_theme
from sphinx.builders.html._assets import _JavaScript

from beichen.files import write_if_changed
from beichen.inputs.signoff import FINAL
from beichen.site import assets
from beichen.site.css_trim import trim_theme_css
from beichen.site.icons import ICONS_CSS, favicon_svg
from beichen.site.policy import escape_text_context, secure_rendered_page
from beichen.site.pruning import defer_search_scripts, drop_source_maps, drop_unused_page_scripts, prune_page_assets
from beichen.site.search import SEARCH_DATA_JS, search_pages
from beichen.site.tables import label_stacked_tables, mark_short_cells
from beichen.site.words import SEARCH_PLACEHOLDER, TOC_TITLE, ChineseWords, draft_banner, replace_hard_coded

#: The site's own stylesheet (beichen-ui.css): the shared values first, then each job's rules.
UI_CSS = ("table.css", "search-field.css", "a11y.css", "print.css", "draft.css")
#: The theme's files whose digest is their ``?digest=`` (assets/templates/static/webpack-macros.html).
THEME_FILES = ("styles/bootstrap.css", "styles/pydata-sphinx-theme.css", "scripts/bootstrap.js",
               "scripts/pydata-sphinx-theme.js")

#: Inside the book (the staging folder), named relative to it: the same setting in every build,
#: so Sphinx's config hash (.buildinfo) does not depend on where the book was staged.
TEMPLATES_DIR = "_beichen/templates"
STATIC_DIR = "_beichen/static"


def _templates_dir(app) -> Path:
    return Path(app.srcdir) / TEMPLATES_DIR


def _static_dir(app) -> Path:
    return Path(app.srcdir) / STATIC_DIR


def theme_static_dir() -> Path:
    """The installed pydata-sphinx-theme's static folder (its stylesheets and scripts)."""
    return Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static"


def ui_css() -> str:
    """beichen-ui.css: the tokens (font stack, brand colour), the icons, then :data:`UI_CSS`."""
    return assets.tokens_css() + ICONS_CSS + "".join(assets.read(name) for name in UI_CSS)

def _on_config_inited(app, config) -> None:
    templates = _templates_dir(app)
    for name, text in assets.templates().items():
        write_if_changed(templates / name, text)
    config.templates_path = [TEMPLATES_DIR] + [p for p in config.templates_path if p != TEMPLATES_DIR]
    static = _static_dir(app)
    write_if_changed(static / "beichen-ui.css", ui_css())
    write_if_changed(static / "beichen-ui.js", assets.read("page-ui.js"))
    write_if_changed(static / "beichen-translations.js", assets.read("plural-rule.js"))
    write_if_changed(static / "beichen-search.js", assets.read("ranked-search.js"))
    write_if_changed(static / "favicon.svg", favicon_svg())
    config.html_static_path = list(config.html_static_path) + [STATIC_DIR]
    config.html_favicon = f"{STATIC_DIR}/favicon.svg"
    # An empty general index is no page for a reader.
    config.html_use_index = False
    config.html_copy_source = False
    options = config.html_theme_options
    options["use_download_button"] = False
    options["use_fullscreen_button"] = False
    options["search_bar_text"] = SEARCH_PLACEHOLDER
    options["toc_title"] = TOC_TITLE
    options["footer_content_items"] = ["beichen-footer.html"]
    end = list(options.get("article_header_end") or ["article-header-buttons.html"])
    if "beichen-pdf-link.html" not in end:
        end.insert(max(0, len(end) - 1), "beichen-pdf-link.html")
    options["article_header_end"] = end
    # An edition not signed off says so at the head of every page (the theme's announcement bar).
    status = (config.beichen_site or {}).get("status")
    if status and status != FINAL:
        options["announcement"] = draft_banner(status)
    else:
        options.pop("announcement", None)
    # In every page's context from the start (the theme renders header components early).
    config.html_context = dict(config.html_context or {}, default_mode="light",
                               beichen_site=dict(config.beichen_site or {}),
                               beichen_theme_digest=assets.theme_digest(theme_static_dir(), THEME_FILES))


def _on_builder_inited(app) -> None:
    if getattr(app.builder, "format", None) != "html":
        return
    # Words without a zh_CN entry in the themes' catalogues (gettext falls back to us).
    app.translator.add_fallback(ChineseWords())
    templates = app.builder.templates
    render = templates.render

    def render_chinese(template, context):
        out = render(template, context)
        out = replace_hard_coded(out)
        if context.get("pagename") == "search":
            out = defer_search_scripts(out)
        # the one place every page passes before Sphinx writes it: the policy and no inline script
        return secure_rendered_page(app, context, out)

    templates.render = render_chinese


def _on_page_context(app, pagename, templatename, context, doctree) -> None:
    body = context["body"] = label_stacked_tables(context.get("body", "") or "")
    site = dict(app.config.beichen_site or {})
    prune_page_assets(context, pagename)
    escape_text_context(context)
    title = re.sub(r"<[^>]+>", "", context.get("title", "") or "")
    context["metatags"] = (context.get("metatags", "") or "") + \
        f'\n<meta name="description" content="{html.escape(page_description(title, body, site), quote=True)}" />'


def page_description(title: str, body_html: str, site: dict) -> str:
    """Meta description: the report, the page title, and the page's first sentence (≤ 120 characters)."""
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", body_html or "", flags=re.S)
    paragraphs = re.findall(r"<p\b[^>]*>(.*?)</p>", text, flags=re.S)
    first = ""
    for p in paragraphs:
        plain = html.unescape(re.sub(r"<[^>]+>", "", p)).strip()
        if len(plain) >= 20:
            first = plain
            break
    head = "，".join(x for x in (site.get("report_title", ""), html.unescape(title).strip()) if x)
    text = f"{head}。{first}" if first else head
    return text[:120]


def _write_search_data(app, exception) -> None:
    """After the HTML build: every page's sections for the search page (beichen.site.search),
    as a script, so that the search answers from file:// too."""
    if exception or getattr(app.builder, "format", None) != "html":
        return
    payload = json.dumps(search_pages(Path(app.outdir)), ensure_ascii=False).replace("</", "<\\/")
    write_if_changed(Path(app.outdir) / "_static" / "beichen-search-data.js", SEARCH_DATA_JS % payload)


def _search_page_scripts(app, pagename, templatename, context, doctree) -> None:
    """The search page ranks by relevance (assets/ranked-search.js): its data and script, deferred,
    stand between searchtools.js and the index (pruning.defer_search_scripts)."""
    if pagename == "search" and "script_files" in context:
        context["script_files"] = list(context["script_files"]) + [
            _JavaScript("_static/beichen-search-data.js", priority=990, defer="defer"),
            _JavaScript("_static/beichen-search.js", priority=991, defer="defer")]


def setup(app):
    app.add_config_value("beichen_site", {}, "html")
    app.connect("build-finished", _write_search_data)
    app.connect("build-finished", trim_theme_css)
    app.connect("build-finished", drop_unused_page_scripts)
    app.connect("build-finished", drop_source_maps)
    app.connect("html-page-context", _search_page_scripts, priority=960)
    app.connect("config-inited", _on_config_inited)
    app.connect("builder-inited", _on_builder_inited)
    app.connect("html-page-context", _on_page_context, priority=950)
    app.connect("doctree-resolved", mark_short_cells)
    app.add_css_file("beichen-ui.css", priority=900)
    app.add_js_file("beichen-ui.js", defer="defer")
    # right after doctools.js (priority 200), before translations.js (500); deferred with them
    app.add_js_file("beichen-translations.js", priority=201)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
