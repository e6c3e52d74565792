"""Unit tests of the website's interface layer (lib/beichen/site/ui.py), its search vocabulary
(lib/beichen/site/search.py) and the edition facts the footer shows (lib/beichen/publish/build.py)."""
from __future__ import annotations

import json

from beichen.site import assets, css_trim, words
from beichen.site import ui as site_ui
from beichen.site import search as zh_search
from beichen.publish.build import site_facts


def test_site_facts_name_the_issuing_body_from_the_plan(report_data):
    facts = site_facts(2024, report_data, "报告")
    # issue 20: one issuing body, the cover's: 天津市北辰区 (data/meta/plan.yml, author);
    # the issue date is data/editions.csv's (2024 → 2025年11月)
    assert facts["issuer"] == "天津市北辰区" == report_data.plan.author
    assert facts["issue_date"] == "2025年11月" and facts["pdf"] == "report-2024.pdf"


def test_last_update_is_the_editions_own_date_not_the_clock(report_data, data_copy, monkeypatch):
    """Issue 22: 最后更新 came from the build clock, so rebuilding 2024 on another day changed every page.
    It is data/editions.csv's `updated` of the edition, and absent (not printed) when none is recorded."""
    import dataclasses

    for epoch in ("1764288000", "1893456000"):  # 2025-11-28, 2030-01-01: the same facts
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
        assert site_facts(2024, report_data, "报告")["updated"] == ""  # data/editions.csv records none
    path = data_copy / "editions.csv"
    path.write_text("year,issue_date,note,updated\n2024,2025年11月,说明,2025年12月3日\n", encoding="utf-8")
    revised = dataclasses.replace(report_data, data_dir=data_copy)
    assert site_facts(2024, revised, "报告")["updated"] == "2025年12月3日"


def test_page_description_takes_the_first_real_sentence():
    body = "<p>短</p><p>北辰区以“打造北方先进制造产业转型升级先行区”为核心目标，推进18项指标落地。</p>"
    text = site_ui.page_description("一、完成情况", body, {"report_title": "某报告"})
    assert text.startswith("某报告，一、完成情况。北辰区以")
    assert len(site_ui.page_description("t", "<p>" + "字" * 300 + "</p>", {})) == 120


def test_search_reads_the_article_by_section_without_navigation():
    from beichen.site.search import page_sections

    page = ('<header>菜单</header><main id="m" role="main"><div class="bd-sidebar-secondary"><h2>本页目录</h2>'
            '<a href="#s1">（一）</a></div><article class="bd-article"><section id="s1">'
            '<h1>一、标题<a class="headerlink" href="#s1">#</a></h1><p>正文&amp;数字</p>'
            '<script>var x="脚本";</script><svg><text>图</text></svg>'
            '<div class="report-chart"><p class="report-chart-fallback">图的说明</p></div>'
            '<section id="s2"><h2>（一）小节</h2><p>小节正文</p></section><p>后文</p></section></article>'
            '</main><footer>页脚</footer>')
    assert page_sections(page) == [["s1", "一、标题", "正文&数字 后文"], ["s2", "（一）小节", "小节正文"]]


def test_ui_words_are_chinese():
    import re
    for english, chinese in words.UI_WORDS.items():
        assert not re.search(r"[A-Za-z]{2}", chinese.replace("JavaScript", "")), (english, chinese)
    assert "列印" not in "".join(words.UI_WORDS.values()) + "".join(assets.templates().values())


def _tiny_book(tmp_path):
    data = tmp_path / "_static" / "data"
    data.mkdir(parents=True)
    # the downloads carry Chinese headers
    (data / "产业链.csv").write_text("\ufeff产业链代码,产业链,类别\nnm,新材料产业链,超百亿\n", encoding="utf-8")
    (data / "metrics.csv").write_text("metric_id,name\nx,有效期内的市级专精特新中小企业\n"
                                      "y,国家级和市级制造业单项冠军（累计）\nz,制造业单项冠军较2020年增长\n",
                                      encoding="utf-8")
    chapters = tmp_path / "chapters"
    chapters.mkdir()
    nb = {"cells": [
        {"cell_type": "markdown", "source": ["# 三、重点工程\n", "## （一）智能制造谷建设\n"]},
        {"cell_type": "code", "source": "", "outputs": [
            {"data": {"text/markdown": "构建“专精特新‘小巨人’”梯队，“双谷”建设落地。\n\n"
                                       "**生物医药产业链，70家企业实现产值50亿元**。"}}]}]}
    (chapters / "03.ipynb").write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    return tmp_path


def test_report_terms_come_from_data_and_text(tmp_path):
    terms = set(zh_search.report_terms(_tiny_book(tmp_path)))
    # names from the data tables
    assert {"新材料产业链", "超百亿"} <= terms
    # a name of more than 12 characters is no word a reader types; its parts come from elsewhere
    assert "有效期内的市级专精特新中小企业" not in terms and "专精特新" in terms
    # headings (numbering dropped) and quoted terms, split at the inner quotation marks
    assert {"重点工程", "智能制造谷建设", "小巨人", "双谷"} <= terms
    # bold lead-ins, split at punctuation
    assert "生物医药产业链" in terms and "70家企业实现产值50亿元" not in terms  # 13 characters
    # the part two names share
    assert "制造业单项冠军" in terms
    assert not any(len(t) < 2 or len(t) > 12 for t in terms)


def test_index_holds_report_terms_inside_longer_words():
    lang = zh_search.SearchChinesePhrases({})
    zh_search.SearchChinesePhrases.terms = frozenset({"绿色工厂"})
    try:
        import jieba
        jieba.add_word("国家级绿色工厂")
        words = lang.split("累计创建9家国家级绿色工厂")
    finally:
        zh_search.SearchChinesePhrases.terms = frozenset()
    assert "国家级绿色工厂" in words and "绿色工厂" in words


def test_trim_css_keeps_what_is_used():
    css = ("/* c */:root{--x:1}body{margin:0}.used{color:red}.unused{color:blue}"
           ".used .unused,.used:not(.a,.b){x:y}@media (min-width:1px){.unused{a:b}.used>p{c:d}}"
           "@font-face{font-family:f}@keyframes k{from{opacity:0}}.x[data-y='.z']{q:r}")
    out = css_trim.trim_css(css, {"used", "x"})
    assert ":root{--x:1}" in out and "body{margin:0}" in out and ".used{color:red}" in out
    assert ".unused{color:blue}" not in out and ".used .unused" not in out
    assert ".used:not(.a,.b)" not in out  # .a and .b are used nowhere
    assert "@media (min-width:1px){.used>p{c:d}}" in out
    assert "@font-face" in out and "@keyframes k" in out
    assert ".x[data-y='.z']{q:r}" in out  # a class-like string inside an attribute value is no class
    # unbalanced braces: nothing is trimmed
    assert css_trim.trim_css(".a{x:y", set()) == ".a{x:y"
