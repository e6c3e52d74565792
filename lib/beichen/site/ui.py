"""The reader's interface of the website: Chinese words, a PDF link, the footer, light pages.

A Sphinx extension (``sphinx.extra_extensions`` in ``_config.yml``) on top of sphinx-book-theme:

* every interface word in Simplified Chinese: the theme components whose English is typed into
  their templates are replaced (templates written into ``<doctreedir>/beichen_templates``), and
  words the themes pass through ``_()`` without a zh_CN translation get one from :data:`UI_WORDS`;
* no notebook download and no “print to PDF” button; instead a link to the edition's typeset PDF
  on every page, next to the year switcher;
* the footer names the issuing body (``data/meta/plan.yml``), the edition's issue date
  (``data/editions.csv``) and the last update (passed in by the build as ``beichen_site``);
* one look only (light): no colour-mode switch, so captions and charts keep their contrast;
* light pages: no Font Awesome (1.4 MB script, CSS, three web fonts) — the dozen icons the
  pages use are drawn by :data:`ICONS_CSS` (inline SVG masks); scripts a page does not use
  (copy buttons, tabs, toggles, thebe) are left out, the rest deferred; a favicon; a meta
  description per page; tables that scroll in their own box (:data:`TABLE_CSS`);
* short table cells never break inside a word (class ``nowrap`` on cells of ≤ 12 characters);
* text escaped where it lands, and a Content-Security-Policy on every page (:data:`CSP`): the plain
  text the themes print unescaped (the report title, the issuing body, page titles) is escaped once
  in every page's context (:data:`TEXT_IN_CONTEXT`), and every inline ``<script>`` is moved into a
  file under ``_static/beichen-scripts/`` as the page is rendered (:func:`secure_page`), so the policy
  can refuse inline script: an ``onerror=`` or ``<script>`` that slipped into a page would not run.
"""
from __future__ import annotations

import gettext
import hashlib
import html
import re
from html.parser import HTMLParser
from pathlib import Path

from docutils import nodes
from markupsafe import Markup

from beichen.files import write_if_changed
# Where the inline scripts of the themes, the extensions and the charts go: one file per distinct
# script, named by its content's digest (kept across reruns by incremental.fresh_static).
from beichen.publish.incremental import PAGE_SCRIPTS_DIR
from beichen.publish.status import FINAL
from beichen.render.escape import html_attr

#: Interface words the themes (pydata-sphinx-theme 0.15.4, sphinx-book-theme 1.1.4) and Sphinx
#: pass through gettext but ship no zh_CN translation for. Looked up only when the theme's own
#: catalogue has no entry (gettext fallback).
UI_WORDS = {
    "Skip to main content": "跳转至正文",
    "Back to top": "回到顶部",
    "Search": "搜索",
    "Main": "章节目录",
    "Page": "本页目录",
    "On this page": "本页目录",
    "Contents": "本页目录",
    "Section Navigation": "本章目录",
    "Site navigation": "报告目录",
    "Breadcrumb": "当前位置",
    "Home": "首页",
    "Announcement": "公告",
    "Version warning": "版本提示",
    "previous page": "上一章",
    "next page": "下一章",
    "previous": "上一章",
    "next": "下一章",
    "Link to this heading": "本节链接",
    "Link to this table": "本表链接",
    "Link to this image": "本图链接",
    "Link to this code": "本段链接",
    "Link to this definition": "本定义链接",
    "Please activate JavaScript to enable the search functionality.": "请启用 JavaScript 以使用搜索功能。",
    "Searching for multiple words only shows matches that contain\n    all words.": "输入多个词时，只列出包含全部词语的页面。",
    "search": "搜索",
    "Search Results": "搜索结果",
    "light/dark": "浅色/深色",
    "Color mode": "配色",
    "System Settings": "跟随系统",
    "Light": "浅色",
    "Dark": "深色",
    "Fullscreen mode": "全屏",
    "Download this page": "下载本页",
    "Print to PDF": "打印",
    "By": "",
    "Show Source": "查看源文件",
    "Indices": "索引",
    "General Index": "总索引",
    "Index": "索引",
}

#: Strings typed into theme templates (not passed through gettext), replaced in the rendered page.
HARD_CODED = {
    ' aria-label="Page"': ' aria-label="本页目录"',
    ' aria-label="Main"': ' aria-label="章节目录"',
    ' title="Toggle primary sidebar"': ' title="章节目录"',
    ' title="Toggle secondary sidebar"': ' title="本页目录"',
    # the theme's announcement (the 征求意见稿 banner) is labelled in English in its template
    '<aside class="bd-header-announcement" aria-label="Announcement">':
        '<aside class="bd-header-announcement" aria-label="版本状态">',
    # the search overlay includes pydata's search field by a relative path (no override applies)
    '<span class="search-button__kbd-shortcut"><kbd class="kbd-shortcut__modifier">Ctrl</kbd>+<kbd>K</kbd></span>': "",
}

SEARCH_PLACEHOLDER = "搜索本报告"
TOC_TITLE = "本页目录"

# ---------------------------------------------------------------------------
# Templates (written into the build's work folder, searched before the themes' own)
# ---------------------------------------------------------------------------

TEMPLATES = {
    # pydata-sphinx-theme 0.15.4's asset macros without Font Awesome (see ICONS_CSS).
    "static/webpack-macros.html": """\
{% macro head_pre_icons() %}{% endmacro %}
{% macro head_pre_assets() %}
<link href="{{ pathto('_static/basic.css', 1) }}" rel="stylesheet" />
<link href="{{ pathto('_static/styles/bootstrap.css', 1) }}?digest=dfe6caa3a7d634c4db9b" rel="stylesheet" />
<link href="{{ pathto('_static/styles/pydata-sphinx-theme.css', 1) }}?digest=dfe6caa3a7d634c4db9b" rel="stylesheet" />
{% endmacro %}
{% macro head_js_preload() %}{% endmacro %}
{% macro body_post() %}
<script src="{{ pathto('_static/scripts/bootstrap.js', 1) }}?digest=dfe6caa3a7d634c4db9b" defer></script>
<script src="{{ pathto('_static/scripts/pydata-sphinx-theme.js', 1) }}?digest=dfe6caa3a7d634c4db9b" defer></script>
{% endmacro %}
""",
    "toggle-primary-sidebar.html": """\
<button class="sidebar-toggle primary-toggle btn btn-sm" type="button" title="章节目录" aria-label="打开或收起章节目录" data-bs-placement="bottom" data-bs-toggle="tooltip">
  <span class="fa-solid fa-bars" aria-hidden="true"></span>
</button>
""",
    "toggle-secondary-sidebar.html": """\
{% set page_toc = generate_toc_html() -%}
{% if page_toc -%}
<button class="sidebar-toggle secondary-toggle btn btn-sm" type="button" title="本页目录" aria-label="打开或收起本页目录" data-bs-placement="bottom" data-bs-toggle="tooltip">
  <span class="fa-solid fa-list" aria-hidden="true"></span>
</button>
{%- endif %}
""",
    # One look only: no colour-mode switch (the theme follows data-theme="light").
    "theme-switcher.html": "",
    "search-field.html": """\
<form class="bd-search d-flex align-items-center" action="{{ pathto('search') }}" method="get" role="search">
  <i class="fa-solid fa-magnifying-glass" aria-hidden="true"></i>
  <input type="search" class="form-control" name="q" id="search-input" placeholder="{{ theme_search_bar_text }}"
         aria-label="{{ theme_search_bar_text }}" autocomplete="off" autocorrect="off" autocapitalize="off" spellcheck="false"/>
</form>
""",
    "search-button.html": """\
<button class="btn btn-sm pst-navbar-icon search-button search-button__button" type="button" title="搜索" aria-label="搜索" data-bs-placement="bottom" data-bs-toggle="tooltip">
  <i class="fa-solid fa-magnifying-glass fa-lg" aria-hidden="true"></i>
</button>
""",
    "search-button-field.html": """\
<button class="btn search-button-field search-button__button" type="button" title="搜索" aria-label="搜索" data-bs-placement="bottom" data-bs-toggle="tooltip">
  <i class="fa-solid fa-magnifying-glass" aria-hidden="true"></i>
  <span class="search-button__default-text">搜索</span>
</button>
""",
    "beichen-pdf-link.html": """\
{%- if beichen_site and beichen_site.pdf %}
<a class="beichen-pdf-link" href="{{ pathto('', 1) }}{{ beichen_site.pdf|e }}" title="下载本报告的PDF排版版本" download><i class="fa-solid fa-file-pdf" aria-hidden="true"></i><span class="beichen-pdf-link__verb">下载</span>PDF</a>
{%- endif %}
""",
    "beichen-footer.html": """\
{%- if beichen_site %}
<div class="beichen-footer">
  {%- if theme_extra_footer %}<p class="beichen-footer__issuer">{{ theme_extra_footer|e }}</p>{% endif %}
  {%- if beichen_site.issuer and (beichen_site.issuer|e) not in (theme_extra_footer or "")|e %}<p class="beichen-footer__issuer">发布单位：{{ beichen_site.issuer|e }}</p>{% endif %}
  <p class="beichen-footer__dates">{% if beichen_site.issue_date %}成文日期：{{ beichen_site.issue_date|e }}{% endif %}
  {%- if beichen_site.updated %}<span class="beichen-footer__sep">　</span>最后更新：{{ beichen_site.updated|e }}{% endif %}</p>
</div>
{%- endif %}
""",
}

# ---------------------------------------------------------------------------
# Icons without Font Awesome: simple strokes drawn as CSS masks in the text colour
# ---------------------------------------------------------------------------

_SVG = ("<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24' fill='none' stroke='black' "
        "stroke-width='2.2' stroke-linecap='round' stroke-linejoin='round'>{}</svg>")
_ICON_SHAPES = {
    "bars": "<path d='M3 6h18M3 12h18M3 18h18'/>",
    "list": "<path d='M9 6h12M9 12h12M9 18h12'/><circle cx='4' cy='6' r='1'/><circle cx='4' cy='12' r='1'/>"
            "<circle cx='4' cy='18' r='1'/>",
    "magnifying-glass": "<circle cx='10.5' cy='10.5' r='6.5'/><path d='M15.5 15.5L21 21'/>",
    "angle-left": "<path d='M15 5l-7 7 7 7'/>",
    "angle-right": "<path d='M9 5l7 7-7 7'/>",
    "arrow-up": "<path d='M12 20V5M5 11l7-7 7 7'/>",
    "file-pdf": "<path d='M6 2h9l5 5v15H6z'/><path d='M14 2v6h6'/><path d='M9 13h6M9 17h6'/>",
    "download": "<path d='M12 3v12M6 10l6 6 6-6M4 21h16'/>",
    "chevron-down": "<path d='M5 9l7 7 7-7'/>",
    "chevron-right": "<path d='M9 5l7 7-7 7'/>",
    "xmark": "<path d='M5 5l14 14M19 5L5 19'/>",
}


def _icon_url(shape: str) -> str:
    svg = _SVG.format(shape).replace("<", "%3C").replace(">", "%3E").replace("#", "%23")
    return f'url("data:image/svg+xml;utf8,{svg}")'


ICONS_CSS = "\n".join(
    [".fa-solid, .fas { display: inline-block; width: 1em; height: 1em; vertical-align: -.125em; }",
     ".fa-lg { width: 1.25em; height: 1.25em; vertical-align: -.2em; }"]
    + [f".fa-{name} {{ background-color: currentColor; -webkit-mask: {_icon_url(shape)} center / contain no-repeat;"
       f" mask: {_icon_url(shape)} center / contain no-repeat; }}" for name, shape in _ICON_SHAPES.items()]
    # the theme draws toc expanders with FA's web font (::before content): use the same masks
    + [".toctree-toggle::before, .toctree-checkbox~label i::before { content: none !important; }",
       # the themes' own icon glyphs in Font Awesome's font (no longer loaded): masks, or nothing
       "a.reference.download::before { content: '' !important; display: inline-block; width: .85em; height: .85em;"
       " padding: 0 !important; margin: 0 .3em 0 .1em; vertical-align: -.1em; background-color: currentColor;"
       f" -webkit-mask: {_icon_url(_ICON_SHAPES['download'])} center / contain no-repeat;"
       f" mask: {_icon_url(_ICON_SHAPES['download'])} center / contain no-repeat; }}",
       ".bd-sidebar-secondary .onthispage::after { content: none !important; }"]) + "\n"

#: Tables scroll inside their own box, with a visible cue; captions never centred off-screen.
TABLE_CSS = """\
/* beichen.site.ui: pages never wider than the screen. */
div.cell { margin-bottom: 1em; }
html, body { overflow-x: clip; }
.bd-article-container, .bd-article, .bd-content { min-width: 0; max-width: 100%; }
.pst-scrollable-table-container, .table-wrapper { overflow-x: auto; max-width: 100%;
  /* scroll cue: a shadow on the side that has more to show (background-attachment trick) */
  background: linear-gradient(to right, #fff 30%, rgba(255,255,255,0)) left / 2rem 100% no-repeat local,
              linear-gradient(to left, #fff 30%, rgba(255,255,255,0)) right / 2rem 100% no-repeat local,
              radial-gradient(farthest-side at 0 50%, rgba(0,0,0,.22), transparent) left / .9rem 100% no-repeat scroll,
              radial-gradient(farthest-side at 100% 50%, rgba(0,0,0,.22), transparent) right / .9rem 100% no-repeat scroll; }
.beichen-scroll-hint { display: none; font-size: .85rem; color: #555; margin: .2rem 0 .6rem; }
.beichen-scrolls + .beichen-scroll-hint, .beichen-scrolls .beichen-scroll-hint { display: block; }
.bd-content table caption { text-align: left; caption-side: top; position: sticky; left: 0; }
.bd-content table td:first-child, .bd-content table th:first-child { min-width: 5.5em; }
.bd-content td.nowrap, .bd-content th.nowrap { white-space: nowrap; }
.bd-content table { word-break: normal; overflow-wrap: normal; }
/* The header row: the year switcher, the editions link and the PDF link fit a phone. */
.bd-header-article .header-article-items { flex-wrap: wrap; row-gap: .25rem; }
.bd-header-article .header-article-items__end { flex-wrap: wrap; justify-content: flex-end; min-width: 0; }
.beichen-pdf-link { display: inline-flex; align-items: center; gap: .3rem; margin: 0 .5rem; font-size: .9rem;
  white-space: nowrap; }
.beichen-footer p { margin: .2rem 0; font-size: .9rem; }
.beichen-footer__source { color: #555; }
figure.report-figure figcaption, .report-chart-takeaway { color: #3d3d3d; }
/* the header row grows rather than spilling over the title when its items wrap */
.bd-header-article, .bd-header-article .header-article-items { height: auto;
  min-height: var(--pst-header-article-height, 3rem); }
@media (max-width: 575.98px) {
  .beichen-pdf-link__verb { display: none; }
  .bd-header-article .header-article-items__end { gap: 0; }
  .bd-header-article .btn { padding-left: .35rem; padding-right: .35rem; }
  .beichen-editions { margin: 0 .25rem !important; }
  .beichen-pdf-link { margin: 0 .25rem; }
  .bd-article-container { padding-left: .25rem; padding-right: .25rem; }
}
@media print { .beichen-pdf-link, .beichen-scroll-hint { display: none !important; } }
/* A table with a prose column, on a phone: each row a card, each cell under its column's name
   (data-label, set by beichen-ui.js; without script the table scrolls in its box as above). The
   header row stays in the page for screen readers, out of sight; roles keep the table's meaning. */
@media (max-width: 575.98px) {
  .bd-content table.beichen-stacked, .bd-content table.beichen-stacked tbody,
  .bd-content table.beichen-stacked tr, .bd-content table.beichen-stacked td { display: block; width: auto; }
  .bd-content table.beichen-stacked { border: 0; }
  .bd-content table.beichen-stacked caption { display: block; position: static; }
  .bd-content table.beichen-stacked thead { position: absolute; width: 1px; height: 1px; overflow: hidden;
    clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; }
  .bd-content table.beichen-stacked tr { border: 1px solid #c5d0db; border-radius: 4px; margin: 0 0 .75rem;
    padding: .35rem .6rem; background: #fff; }
  .bd-content table.beichen-stacked td { display: grid; grid-template-columns: 5.5em minmax(0, 1fr); column-gap: .6rem;
    border: 0; border-bottom: 1px solid #e4e8ec; padding: .3rem 0; min-width: 0 !important; text-align: left !important; }
  .bd-content table.beichen-stacked td:last-child { border-bottom: 0; }
  .bd-content table.beichen-stacked td::before { content: attr(data-label); color: #3d3d3d; font-weight: 600;
    font-size: .9em; }
  .bd-content table.beichen-stacked td:first-child { font-weight: 600; }
  .bd-content table.beichen-stacked td > p { margin: 0; text-align: left; }
  .bd-content table.beichen-stacked td.nowrap { white-space: normal; }
  .bd-content table.beichen-stacked td.nowrap > p { white-space: nowrap; }
}
"""

#: The search field's magnifier sits inside the field (the theme places it at 1.25rem - .35em): the
#: typed text starts after it.
SEARCH_FIELD_CSS = """\
.bd-search input.form-control, .bd-search input[type="search"] { padding-left: 2.4rem !important; }
"""

#: Keyboard and touch (WCAG 2.2 AA): a focus ring on every control of the header and the sidebars
#: (the themes draw none on their buttons), header targets of 44 px, and drawers that are out of the
#: focus order while closed (a closed 本页目录 drawer sits off-screen, still visible to the keyboard).
A11Y_CSS = """\
.bd-header-article .btn:focus-visible, .bd-header-article a:focus-visible, .bd-header .btn:focus-visible,
.sidebar-toggle:focus-visible, .version-switcher__button:focus-visible, .search-button:focus-visible,
.bd-sidebar-primary a:focus-visible, .bd-sidebar-secondary a:focus-visible, .prev-next-area a:focus-visible,
.report-chart summary:focus-visible, .pst-scrollable-table-container:focus-visible {
  outline: 3px solid #1f3a5f !important; outline-offset: 2px; box-shadow: 0 0 0 5px #fff !important; }
.bd-header-article .btn, .bd-header-article .beichen-editions__link, .bd-header-article .beichen-pdf-link {
  min-height: 44px; min-width: 44px; display: inline-flex; align-items: center; justify-content: center; }
/* (the page toc's list carries Bootstrap's class "visible", which is visibility: visible !important) */
@media (max-width: 1199.98px) {
  input#pst-secondary-sidebar-checkbox:not(:checked) ~ .bd-container .bd-sidebar-secondary,
  input#pst-secondary-sidebar-checkbox:not(:checked) ~ .bd-container .bd-sidebar-secondary * { visibility: hidden !important; }
}
@media (max-width: 959.98px) {
  input#pst-primary-sidebar-checkbox:not(:checked) ~ .bd-container .bd-sidebar-primary,
  input#pst-primary-sidebar-checkbox:not(:checked) ~ .bd-container .bd-sidebar-primary * { visibility: hidden !important; }
}
"""

#: Printing a page from the browser: the page's text on the paper's width, no controls; tables
#: fitted (cells wrap, a smaller size) rather than cut at the right margin; cards back to tables;
#: and a line that names the typeset PDF as the edition for print.
PRINT_CSS = """\
@media print {
  .bd-header-article, .prev-next-area, .beichen-scroll-hint, .headerlink, .bd-sidebar-secondary,
  .bd-sidebar-primary, .skip-link, #pst-back-to-top, .search-button__wrapper { display: none !important; }
  .bd-article::before { content: "本页为网页版打印件；正式排版的报告请使用同一版本的PDF文件（网页顶部“下载PDF”）。";
    display: block; font-size: 9pt; color: #3d3d3d; border-bottom: 1px solid #c5d0db; padding-bottom: 4pt;
    margin-bottom: 8pt; }
  .bd-content p { text-align: left; }
  .pst-scrollable-table-container, .table-wrapper { overflow: visible !important; background: none !important; }
  .bd-content table { width: 100% !important; max-width: 100%; font-size: 8.5pt; table-layout: auto; }
  .bd-content td, .bd-content th, .bd-content td.nowrap, .bd-content th.nowrap, table.table th {
    white-space: normal !important; min-width: 0 !important; padding: 2pt 3pt !important; }
  .bd-content table tr, figure.report-figure { break-inside: avoid; }
}
"""

#: The 征求意见稿 banner at the head of every page of an edition not yet signed off (lib/beichen/publish/status.py):
#: dark text on light amber (contrast 14:1), the mark white on the report's red (9.3:1); wraps at 390 px.
DRAFT_CSS = """\
.bd-header-announcement { background: #fff4dc; color: #3d1a00; border-bottom: 2px solid #8b1a1a;
  min-height: 0; padding: .45rem 1rem; }
.bd-header-announcement p.beichen-draft { font-weight: normal; margin: 0; line-height: 1.6; font-size: .95rem; }
.beichen-draft__mark { display: inline-block; background: #8b1a1a; color: #fff; font-weight: bold;
  padding: .05rem .55rem; border-radius: 3px; margin-right: .5rem; letter-spacing: .1em; }
@media print { .bd-header-announcement { display: flex !important; } }
"""

#: The banner's words: the mark, then what it means for a reader.
DRAFT_BANNER = ('<p class="beichen-draft"><strong class="beichen-draft__mark">{label}</strong>'
                '<span class="beichen-draft__text">本版尚未审核签发，内容可能修改，以正式印发的定稿为准。</span></p>')

#: Marks tables that are wider than their box (for the hint) — run once after layout.
SCROLL_HINT_JS = """\
(function () {
  // pydata-sphinx-theme 0.15 resolves a relative switcher URL against the server's root, not
  // the edition's: make it absolute from the page's content root (file:// has none: skipped).
  var opts = typeof DOCUMENTATION_OPTIONS !== "undefined" ? DOCUMENTATION_OPTIONS : null;
  if (opts && opts.theme_switcher_json_url && location.protocol !== "file:" &&
      !/^[a-z]+:/i.test(opts.theme_switcher_json_url)) {
    var root = new URL(document.documentElement.getAttribute("data-content_root") || "./", location.href);
    opts.theme_switcher_json_url = new URL(opts.theme_switcher_json_url, root).href;
  }
  function mark() {
    document.querySelectorAll(".pst-scrollable-table-container").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      box.classList.toggle("beichen-scrolls", scrolls);
      // a box that scrolls is reached by the keyboard (arrow keys scroll it), named by its caption
      if (scrolls) {
        var caption = box.querySelector("caption .caption-text, caption");
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", caption ? caption.textContent.trim() : "表格");
      } else {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
      if (scrolls && !(box.nextElementSibling && box.nextElementSibling.classList.contains("beichen-scroll-hint"))) {
        var hint = document.createElement("p");
        hint.className = "beichen-scroll-hint";
        hint.textContent = "表格较宽，可左右滑动查看 →";
        box.insertAdjacentElement("afterend", hint);
      }
    });
  }
  // tables marked beichen-stack (a prose column): every cell learns its column's name for the
  // phone layout, and the roles of a table stay when CSS shows its rows as blocks
  function label() {
    document.querySelectorAll("table.beichen-stack").forEach(function (table) {
      var names = [].map.call(table.querySelectorAll("thead tr:last-child th"), function (th) {
        return th.textContent.trim(); });
      table.setAttribute("role", "table");
      table.querySelectorAll("tr").forEach(function (tr) { tr.setAttribute("role", "row"); });
      table.querySelectorAll("thead th").forEach(function (th) { th.setAttribute("role", "columnheader"); });
      table.querySelectorAll("tbody tr").forEach(function (tr) {
        [].forEach.call(tr.children, function (cell, i) {
          cell.setAttribute("role", "cell");
          if (names[i]) cell.setAttribute("data-label", names[i]);
        });
      });
      table.classList.add("beichen-stacked");
    });
  }
  // The drawers (章节目录, 本页目录) on a narrow screen: a choice closes them, and Escape closes them
  // wherever the focus is, giving it back to their button (the theme's own Escape works only inside
  // the drawer, and its button puts the focus on the first link when it opens one).
  var DRAWERS = {"pst-primary-sidebar-checkbox": [".bd-sidebar-primary", ".primary-toggle"],
                 "pst-secondary-sidebar-checkbox": [".bd-sidebar-secondary", ".secondary-toggle"]};
  function drawers() {
    Object.keys(DRAWERS).forEach(function (id) {
      var box = document.getElementById(id), panel = document.querySelector(DRAWERS[id][0]);
      if (!box || !panel) return;
      panel.addEventListener("click", function (e) {
        if (e.target.closest && e.target.closest("a[href]")) box.checked = false;
      });
    });
    document.addEventListener("keydown", function (e) {
      if (e.key !== "Escape") return;
      Object.keys(DRAWERS).forEach(function (id) {
        var box = document.getElementById(id);
        if (!box || !box.checked) return;
        box.checked = false;
        var button = document.querySelector(DRAWERS[id][1]);
        if (button) button.focus();
      });
    });
  }
  function start() { label(); mark(); drawers(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
  window.addEventListener("resize", mark);
})();
"""

#: Sphinx's doctools.js compiles a catalogue's plural rule with ``new Function``, which the pages'
#: policy (no 'unsafe-eval') refuses: translations.js then throws and the search page's words stay
#: unset. Loaded between the two, this reads the rule without eval: zh_CN's is the constant "0";
#: any other rule falls back to the two forms of English.
PLURAL_RULE_JS = """\
(function () {
  if (typeof Documentation === "undefined") return;
  Documentation.addTranslations = function (catalog) {
    Object.assign(Documentation.TRANSLATIONS, catalog.messages);
    var rule = String(catalog.plural_expr).trim();
    Documentation.PLURAL_EXPR = /^\\d+$/.test(rule) ? function () { return Number(rule); }
                                                     : function (n) { return n === 1 ? 0 : 1; };
    Documentation.LOCALE = catalog.locale;
  };
})();
"""

FAVICON_SVG = ("<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'><rect width='32' height='32' rx='5' "
               "fill='#8b1a1a'/><path d='M8 23V12M14 23V8M20 23v-7M26 23V11' stroke='#fff' stroke-width='3.2' "
               "stroke-linecap='round'/></svg>\n")

#: The same icon inline, for the landing page (site/index.html), which has no _static/ of its own:
#: without an icon link the browser asks the server for /favicon.ico (a 404).
FAVICON_DATA_URI = "data:image/svg+xml," + "".join(
    c if c.isalnum() or c in "=:/.-'" else "%{:02X}".format(ord(c)) for c in FAVICON_SVG.strip())

#: Scripts and styles of extensions that no page of this report uses (no code cells are shown,
#: no tabs, launch buttons are off). Matched on the file name.
UNUSED_ASSETS = ("clipboard.min.js", "copybutton.js", "copybutton.css", "design-tabs.js",
                 "sphinx-thebe.css", "sphinx-thebe.js", "pygments.css")
#: myst-nb's stylesheet (43 KB, render-blocking) styles code cells, tracebacks and scroll tags the
#: report never shows; the two rules its outputs need are in TABLE_CSS (div.cell spacing).
UNUSED_PREFIXES = ("mystnb.",)
#: Used only where a page has the matching element.
CONDITIONAL_ASSETS = {"togglebutton.js": "toggle", "togglebutton.css": "toggle",
                      "sphinx-design.min.css": "sd-"}
#: Loaded before the body's inline scripts read them: never deferred.
NOT_DEFERRED = ("documentation_options.js",)

SHORT_CELL = 12  # characters: a cell this short is never broken across lines
PROSE_CELL = 20  # characters: a cell this long is prose (a sentence, not a figure or a name)
STACK_COLUMNS = 4  # a table this wide with a prose column is read as cards on a phone


# ---------------------------------------------------------------------------
# Content-Security-Policy: no inline script, nothing from another origin
# ---------------------------------------------------------------------------

#: The policy of every page of an edition and of the landing page (lib/beichen/site/landing.py). A
#: ``<meta>`` rather than a header: the site is read from ``file://`` and from any intranet server,
#: neither of which sets headers (so no ``frame-ancestors``: a meta policy may not carry it).
CSP = "; ".join([
    "default-src 'self'",
    # Scripts only from files of the site: an injected <script> or on…= attribute does not run. Vega
    # draws without eval through vega-interpreter (lib/beichen/site/vega_offline.py).
    "script-src 'self'",
    # Styles may be inline: vega-embed puts a <style> element into the page and Vega and Bootstrap
    # write style attributes, so without this the charts and menus lose their layout. Inline CSS
    # runs no script, and every URL it could name is held to 'self' by the rules here.
    "style-src 'self' 'unsafe-inline'",
    # data: for the icons (SVG masks in beichen-ui.css) and Vega's PNG export
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
])
assert '"' not in CSP
CSP_META = f'<meta http-equiv="Content-Security-Policy" content="{html.escape(CSP, quote=False)}" />'

#: Script types a browser runs; any other type (application/json …) is data and stays in the page.
SCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module", "text/ecmascript",
                "application/ecmascript"}

#: Plain text that the themes print into pages without escaping it: the report title (pydata's
#: navbar and search page: ``docstitle``), the root and page titles (sphinx-book-theme's sidebar
#: and print heading: ``root_title``, ``pagetitle``), the issuing body (``author``, the footer's
#: ``theme_extra_footer``). Escaped once, as Markup, so templates that do escape (``|e``) leave it.
TEXT_IN_CONTEXT = ("docstitle", "project", "shorttitle", "root_title", "pagetitle", "author",
                   "copyright", "theme_extra_footer")


def escape_text_context(context: dict) -> None:
    """Escape, in a page's template context, the plain-text values of :data:`TEXT_IN_CONTEXT`."""
    for key in TEXT_IN_CONTEXT:
        value = context.get(key)
        if isinstance(value, str) and not isinstance(value, Markup):
            context[key] = Markup(html_attr(value))


class _Scripts(HTMLParser):
    """Where a page's ``<script>`` elements and its ``<head>`` are (offsets into the text)."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.starts = [0]
        for line in text.split("\n"):
            self.starts.append(self.starts[-1] + len(line) + 1)
        self.text = text
        self.scripts: list[dict] = []  # start, body_start, end_tag, end, attrs
        self.head_end: int | None = None  # just after <head …> (or after its leading <meta charset>)
        self._open = None
        self._in_head = False
        self.has_policy = False  # the page already carries a policy <meta> (rendered twice)

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        start = self._offset()
        end = start + len(self.get_starttag_text() or "")
        if tag == "head" and self.head_end is None:
            self.head_end, self._in_head = end, True
        elif self._in_head and tag == "meta" and any(k == "charset" for k, _ in attrs) and \
                not self.text[self.head_end:start].strip():
            self.head_end = end  # the charset stays the first thing in <head>
        elif tag == "script":
            self._open = {"start": start, "body_start": end, "attrs": attrs}
        if tag == "meta" and any(k == "http-equiv" and (v or "").lower() == "content-security-policy"
                                 for k, v in attrs):
            self.has_policy = True
        if tag not in ("head", "meta"):
            self._in_head = False

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "script" and self._open is not None:
            end_tag = self._offset()
            close = self.text.find(">", end_tag)
            self.scripts.append(dict(self._open, end_tag=end_tag, end=close + 1))
            self._open = None


def secure_page(text: str, script_url, write_script) -> str:
    """A rendered page with the policy's ``<meta>`` first in ``<head>`` and no inline script.

    Every inline script a browser would run is written by ``write_script(name, code)`` into
    :data:`PAGE_SCRIPTS_DIR` and loaded from there at the same place (``script_url(name)`` is its URL
    from the page): it runs at the same moment as before, as a classic script without ``async`` or
    ``defer`` runs where it stands. Data blocks (``type="application/json"`` …) stay. A fragment
    without ``<head>`` (a template rendered on its own) gets its scripts moved and no ``<meta>``."""
    parser = _Scripts(text)
    parser.feed(text)
    parser.close()
    edits = []  # (start, end, replacement)
    for script in parser.scripts:
        attrs = dict(script["attrs"])
        code = text[script["body_start"]:script["end_tag"]]
        kind = (attrs.get("type") or "").strip().lower()
        if "src" in attrs or kind not in SCRIPT_TYPES:
            continue
        if not code.strip():
            edits.append((script["start"], script["end"], ""))
            continue
        name = hashlib.sha256(code.encode("utf-8")).hexdigest()[:20] + ".js"
        write_script(name, code)
        # async/defer mean nothing on an inline script: left off, the file runs where the script stood
        kept = "".join(f' {k}="{html.escape(v, quote=True)}"' if v is not None else f" {k}"
                       for k, v in script["attrs"] if k not in ("async", "defer", "src"))
        edits.append((script["start"], script["end"],
                      f'<script src="{html.escape(script_url(name), quote=True)}"{kept}></script>'))
    if parser.head_end is not None and not parser.has_policy:
        edits.append((parser.head_end, parser.head_end, "\n    " + CSP_META))
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def _secure_rendered_page(app, context: dict, text: str) -> str:
    """:func:`secure_page` for a page Sphinx is about to write into ``app.outdir``."""
    folder = Path(app.outdir) / PAGE_SCRIPTS_DIR
    pathto = context.get("pathto")

    def url(name: str) -> str:
        target = f"{PAGE_SCRIPTS_DIR}/{name}"
        if pathto is not None:
            return pathto(target, 1)
        depth = str(context.get("pagename", "")).count("/")
        return "../" * depth + target

    return secure_page(text, url, lambda name, code: write_if_changed(folder / name, code))


def _drop_unused_page_scripts(app, exception) -> None:
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


def _drop_source_maps(app, exception) -> None:
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

class _Words(gettext.NullTranslations):
    def gettext(self, message):
        return UI_WORDS.get(message, message)

    def ngettext(self, singular, plural, n):
        return UI_WORDS.get(singular if n == 1 else plural, singular if n == 1 else plural)


#: Inside the book (the staging folder), named relative to it: the same setting in every build,
#: so Sphinx's config hash (.buildinfo) does not depend on where the book was staged.
TEMPLATES_DIR = "_beichen/templates"
STATIC_DIR = "_beichen/static"


def _templates_dir(app) -> Path:
    return Path(app.srcdir) / TEMPLATES_DIR


def _static_dir(app) -> Path:
    return Path(app.srcdir) / STATIC_DIR


def _on_config_inited(app, config) -> None:
    templates = _templates_dir(app)
    for name, text in TEMPLATES.items():
        write_if_changed(templates / name, text)
    config.templates_path = [TEMPLATES_DIR] + [p for p in config.templates_path if p != TEMPLATES_DIR]
    static = _static_dir(app)
    write_if_changed(static / "beichen-ui.css", ICONS_CSS + TABLE_CSS + SEARCH_FIELD_CSS + A11Y_CSS + PRINT_CSS + DRAFT_CSS)
    write_if_changed(static / "beichen-ui.js", SCROLL_HINT_JS)
    write_if_changed(static / "beichen-translations.js", PLURAL_RULE_JS)
    from beichen.site.search import RANKED_SEARCH_JS

    write_if_changed(static / "beichen-search.js", RANKED_SEARCH_JS)
    write_if_changed(static / "favicon.svg", FAVICON_SVG)
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
        options["announcement"] = DRAFT_BANNER.format(label=html.escape(status))
    else:
        options.pop("announcement", None)
    # In every page's context from the start (the theme renders header components early).
    config.html_context = dict(config.html_context or {}, default_mode="light",
                               beichen_site=dict(config.beichen_site or {}))


def _on_builder_inited(app) -> None:
    if getattr(app.builder, "format", None) != "html":
        return
    # Words without a zh_CN entry in the themes' catalogues (gettext falls back to us).
    app.translator.add_fallback(_Words())
    templates = app.builder.templates
    render = templates.render

    def render_chinese(template, context):
        out = render(template, context)
        for old, new in HARD_CODED.items():
            out = out.replace(old, new)
        # the one place every page passes before Sphinx writes it: the policy and no inline script
        return _secure_rendered_page(app, context, out)

    templates.render = render_chinese


def _asset_name(asset) -> str:
    return str(getattr(asset, "filename", asset) or "")


def _on_page_context(app, pagename, templatename, context, doctree) -> None:
    body = context.get("body", "") or ""
    site = dict(app.config.beichen_site or {})

    def wanted(asset) -> bool:
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

    if "css_files" in context:
        context["css_files"] = [c for c in context["css_files"] if wanted(c)]
    if "script_files" in context:
        scripts = []
        for js in context["script_files"]:
            if not wanted(js):
                continue
            name = _asset_name(js)
            attrs = getattr(js, "attributes", None)
            # the search page's own scripts (searchtools.js) run at once and need doctools.js
            if (name and attrs is not None and pagename != "search" and not name.endswith(NOT_DEFERRED)
                    and "async" not in attrs and "defer" not in attrs):
                # a new asset object: the registered ones are shared by every page
                js = type(js)(js.filename, priority=js.priority, **dict(attrs, defer="defer"))
            scripts.append(js)
        context["script_files"] = scripts
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


def _mark_short_cells(app, doctree, docname) -> None:
    """Cells of a few characters (numbers, 超额完成, +0.8个百分点) never break inside a word; a table
    of :data:`STACK_COLUMNS` columns or more with a prose cell (:data:`PROSE_CELL` characters) is
    marked ``beichen-stack``: on a phone its rows become cards (TABLE_CSS, SCROLL_HINT_JS), since squeezed
    beside six other columns its prose would run four characters a line."""
    for entry in doctree.findall(nodes.entry):
        text = entry.astext().strip()
        if text and len(text) <= SHORT_CELL and "\n" not in text:
            entry["classes"].append("nowrap")
    if getattr(app.builder, "format", None) != "html":
        return
    for table in doctree.findall(nodes.table):
        groups = list(table.findall(nodes.tgroup))
        columns = int(groups[0].get("cols", 0)) if groups else 0
        prose = any(len(e.astext().strip()) >= PROSE_CELL for e in table.findall(nodes.entry))
        if columns >= STACK_COLUMNS and prose:
            table["classes"].append("beichen-stack")


def _write_search_data(app, exception) -> None:
    """After the HTML build: every page's sections for the search page (beichen.site.search),
    as a script, so that the search answers from file:// too."""
    if exception or getattr(app.builder, "format", None) != "html":
        return
    import json

    from beichen.site.search import SEARCH_DATA_JS, search_pages

    payload = json.dumps(search_pages(Path(app.outdir)), ensure_ascii=False).replace("</", "<\\/")
    write_if_changed(Path(app.outdir) / "_static" / "beichen-search-data.js", SEARCH_DATA_JS % payload)


def _search_page_scripts(app, pagename, templatename, context, doctree) -> None:
    """The search page ranks by relevance (beichen.site.search.RANKED_SEARCH_JS), after
    searchtools.js (priority 500) and its data."""
    if pagename == "search" and "script_files" in context:
        from sphinx.builders.html._assets import _JavaScript

        context["script_files"] = list(context["script_files"]) + [
            _JavaScript("_static/beichen-search-data.js", priority=990),
            _JavaScript("_static/beichen-search.js", priority=991)]


def setup(app):
    app.add_config_value("beichen_site", {}, "html")
    app.connect("build-finished", _write_search_data)
    app.connect("build-finished", _trim_theme_css)
    app.connect("build-finished", _drop_unused_page_scripts)
    app.connect("build-finished", _drop_source_maps)
    app.connect("html-page-context", _search_page_scripts, priority=960)
    app.connect("config-inited", _on_config_inited)
    app.connect("builder-inited", _on_builder_inited)
    app.connect("html-page-context", _on_page_context, priority=950)
    app.connect("doctree-resolved", _mark_short_cells)
    app.add_css_file("beichen-ui.css", priority=900)
    app.add_js_file("beichen-ui.js", defer="defer")
    # right after doctools.js (priority 200), before translations.js (500); deferred with them
    app.add_js_file("beichen-translations.js", priority=201)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}


# ---------------------------------------------------------------------------
# The edition's own index page (Jupyter Book writes a bare redirect there)
# ---------------------------------------------------------------------------

def write_edition_index(html_dir: Path, year: int, book: Path) -> Path:
    """Replace ``index.html`` of a built edition (a 72-byte redirect) with a contents page:
    language, title, description, the chapters in order, the PDF, the footer facts."""
    import yaml

    html_dir, book = Path(html_dir), Path(book)
    config = yaml.safe_load((book / "_config.yml").read_text(encoding="utf-8"))
    site = config.get("sphinx", {}).get("config", {}).get("beichen_site", {}) or {}
    toc = yaml.safe_load((book / "_toc.yml").read_text(encoding="utf-8"))
    docs = [toc["root"]] + [entry["file"] for entry in toc.get("chapters", [])]
    items = []
    for doc in docs:
        page = html_dir / f"{doc}.html"
        if not page.exists():
            continue
        match = re.search(r"<h1[^>]*>(.*?)</h1>", page.read_text(encoding="utf-8"), flags=re.S)
        heading = html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip() if match else doc
        items.append(f'<li><a href="{html.escape(doc)}.html">{html.escape(heading)}</a></li>')
    title = f"{config['title']}"
    pdf = site.get("pdf", "")
    # The PDF is copied in at publish time, after this page is written: link it by name.
    pdf_link = f'<p><a class="pdf" href="{html.escape(pdf)}" download>下载PDF排版版本</a></p>' if pdf else ""
    facts = []
    if site.get("issuer"):
        facts.append(f"发布单位：{html.escape(site['issuer'])}")
    if site.get("issue_date"):
        facts.append(f"成文日期：{html.escape(site['issue_date'])}")
    if site.get("updated"):
        facts.append(f"最后更新：{html.escape(site['updated'])}")
    description = f"{title}：目录、各章在线阅读与PDF下载。"
    status = site.get("status")
    banner = (f'<aside class="draft" aria-label="版本状态">{DRAFT_BANNER.format(label=html.escape(status))}</aside>'
              if status and status != FINAL else "")
    text = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
{CSP_META}
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)} · 目录</title>
<meta name="description" content="{html.escape(description, quote=True)}">
<link rel="icon" href="_static/favicon.svg" type="image/svg+xml">
<style>
  body {{ font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif; margin: 0;
         color: #1a1a1a; background: #f6f7f9; line-height: 1.7; }}
  header {{ background: #8b1a1a; color: #fff; padding: 1.6rem 1.25rem 1.2rem; }}
  header h1 {{ margin: 0; font-size: 1.45rem; }}
  main {{ max-width: 46rem; margin: 1.25rem auto; padding: 0 1.25rem; }}
  /* the chapter titles carry their own numbers (一、二、…): a list without markers */
  ul.chapters {{ list-style: none; background: #fff; border: 1px solid #dcdfe4; border-radius: 6px;
                padding: 1rem 1.25rem; }}
  li {{ margin: .35rem 0; }}
  a {{ color: #8b1a1a; }}
  a.pdf {{ display: inline-block; border: 1px solid #8b1a1a; border-radius: 4px; padding: .3rem .9rem;
           text-decoration: none; }}
  footer {{ max-width: 46rem; margin: 0 auto 2rem; padding: 0 1.25rem; color: #444; font-size: .9rem; }}
  aside.draft {{ background: #fff4dc; color: #3d1a00; border-bottom: 2px solid #8b1a1a; padding: .5rem 1.25rem; }}
  aside.draft p {{ margin: 0; max-width: 46rem; }}
  .beichen-draft__mark {{ display: inline-block; background: #8b1a1a; color: #fff; font-weight: bold;
    padding: .05rem .55rem; border-radius: 3px; margin-right: .5rem; letter-spacing: .1em; }}
</style>
</head>
<body>
{banner}<header><h1>{html.escape(title)}</h1></header>
<main>
<h2>目录</h2>
<ul class="chapters">
{chr(10).join(items)}
</ul>
{pdf_link}
<p><a href="../index.html">其他年度版本</a></p>
</main>
<footer>{"<br>".join(facts)}</footer>
</body>
</html>
"""
    target = html_dir / "index.html"
    target.write_text(text, encoding="utf-8")
    return target


# ---------------------------------------------------------------------------
# Render-blocking CSS: keep the rules the site can use
# ---------------------------------------------------------------------------

#: Theme stylesheets trimmed after the build (Bootstrap 5 alone is 209 KB, all render-blocking).
TRIMMED_CSS = ("styles/bootstrap.css", "styles/pydata-sphinx-theme.css")
_CLASS = re.compile(r"\.((?:[A-Za-z0-9_-]|\\.)+)")
_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


def _split_top(text: str, sep: str = ",") -> list[str]:
    """Split at `sep` outside brackets (selector lists with :is(), :not(…, …))."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == sep and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _blocks(css: str) -> list[tuple[str, str]] | None:
    """Top-level (prelude, body) pairs; None when the braces do not balance (then nothing is trimmed)."""
    out, i, n = [], 0, len(css)
    while i < n:
        open_at = css.find("{", i)
        if open_at < 0:
            if css[i:].strip():
                tail = css[i:].strip()
                if not tail.startswith("/*"):
                    out.append((tail, None))  # e.g. @charset / @import without a block
            break
        semi = css.find(";", i, open_at)
        if semi >= 0 and css[i:semi].lstrip().startswith("@"):  # @import …; before the next block
            out.append((css[i:semi + 1], None))
            i = semi + 1
            continue
        depth, j = 0, open_at
        while j < n:
            if css[j] == "{":
                depth += 1
            elif css[j] == "}":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        if depth:
            return None
        out.append((css[i:open_at], css[open_at + 1:j]))
        i = j + 1
    return out


def trim_css(css: str, used: set[str]) -> str:
    """Drop every selector that names a class no page and no script of the site uses.

    A rule is kept with the selectors whose classes are all in `used`; rules without classes
    (elements, :root variables, @font-face, @keyframes) are kept as they are."""
    blocks = _blocks(re.sub(r"/\*.*?\*/", "", css, flags=re.S))
    if blocks is None:
        return css
    out = []
    for prelude, body in blocks:
        head = prelude.strip()
        if body is None:
            out.append(head)
        elif head.startswith(("@media", "@supports", "@layer", "@container")):
            inner = trim_css(body, used)
            if inner.strip():
                out.append(f"{head}{{{inner}}}")
        elif head.startswith("@"):
            out.append(f"{head}{{{body}}}")
        else:
            keep = [s for s in _split_top(head)
                    if all(c.replace("\\", "") in used for c in _CLASS.findall(re.sub(r"\[[^\]]*\]", "", s)))]
            if keep:
                out.append(f"{','.join(k.strip() for k in keep)}{{{body}}}")
    return "".join(out)


def used_names(out_dir: Path) -> set[str]:
    """Class names and identifier-like strings of every page and every script of a built site."""
    names: set[str] = set()
    for page in Path(out_dir).rglob("*.html"):
        text = page.read_text(encoding="utf-8", errors="replace")
        for value in re.findall(r'class\s*=\s*["\']([^"\']*)["\']', text):
            names.update(value.split())
        for script in re.findall(r"<script\b[^>]*>(.*?)</script>", text, flags=re.S):
            names.update(_TOKEN.findall(script))
    for script in Path(out_dir, "_static").rglob("*.js"):
        if "vega-bundle" in script.name:
            continue  # draws SVG; vega-embed injects its own styles
        names.update(_TOKEN.findall(script.read_text(encoding="utf-8", errors="replace")))
    return names


def _trim_theme_css(app, exception) -> None:
    if exception or getattr(app.builder, "format", None) != "html":
        return
    used = used_names(Path(app.outdir))
    for name in TRIMMED_CSS:
        path = Path(app.outdir) / "_static" / name
        if path.exists():
            path.write_text(trim_css(path.read_text(encoding="utf-8"), used), encoding="utf-8")
