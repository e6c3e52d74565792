"""The website's interface words in Simplified Chinese: words the themes pass through gettext without a
zh_CN entry (:data:`UI_WORDS`), English typed into their templates (:data:`HARD_CODED`), and the
征求意见稿 banner (:func:`draft_banner`)."""
from __future__ import annotations

import gettext
import html

from beichen.site.assets import read

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


class ChineseWords(gettext.NullTranslations):
    """The gettext fallback: :data:`UI_WORDS`, or the English as it was."""

    def gettext(self, message):
        return UI_WORDS.get(message, message)

    def ngettext(self, singular, plural, n):
        return UI_WORDS.get(singular if n == 1 else plural, singular if n == 1 else plural)


def replace_hard_coded(page: str) -> str:
    """A rendered page with the themes' typed-in English (:data:`HARD_CODED`) in Chinese."""
    for old, new in HARD_CODED.items():
        page = page.replace(old, new)
    return page


def draft_banner(status: str) -> str:
    """The 征求意见稿 banner's words (assets/draft-banner.html): the mark, then what it means for a reader."""
    return read("draft-banner.html").strip().format(label=html.escape(status))
