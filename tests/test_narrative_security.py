"""Narrative passages are templates that run sandboxed and Markdown that cannot carry raw output
(issue 14, defects 1 and 2)."""
import pytest

from beichen.render.narrative import Narrative, NarrativeError


def _narrative(tmp_path, edition, text, chapter="99_test"):
    folder = tmp_path / str(edition.year)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{chapter}.md").write_text(text, encoding="utf-8")
    return Narrative(edition, chapter, tmp_path)


def test_template_cannot_reach_the_operating_system(tmp_path, edition_2024):
    """The probe of the issue: under a plain Environment this ran `id` and wrote its output."""
    marker = tmp_path / "pwned"
    n = _narrative(tmp_path, edition_2024, "<!-- passage: intro -->\n"
                   f"{{{{ cycler.__init__.__globals__.os.popen('id > {marker}').read() }}}}\n")
    with pytest.raises(NarrativeError) as err:
        n.render("intro")
    assert "99_test.md" in str(err.value) and "intro" in str(err.value)
    assert not marker.exists()


@pytest.mark.parametrize("reach", [
    "d.folder.write_text('x')",          # a path a chapter handed in: no file access from a passage
    "d.frame.to_csv('x.csv')",           # a data frame: no to_csv, no .values of raw tables
    "s.calc.__dict__",                    # another module through the sentence builders
    "value('hightech_firms').__class__.__mro__",
])
def test_figures_do_not_lead_to_files_or_modules(tmp_path, edition_2024, reach):
    import pandas as pd

    n = _narrative(tmp_path, edition_2024, f"<!-- passage: intro -->\n{{{{ {reach} }}}}\n")
    with pytest.raises(NarrativeError, match="不允许访问"):
        n.render("intro", folder=tmp_path / "x", frame=pd.DataFrame({"a": [1]}))
    assert not (tmp_path / "x").exists() and not (tmp_path / "x.csv").exists()


def test_ordinary_placeholders_still_work(tmp_path, edition_2024):
    n = _narrative(tmp_path, edition_2024, "<!-- passage: intro -->\n制造业增加值占比{{ v('mfg_va_share_gdp') }}，"
                   "**{{ ind('mfg_va_share_gdp').name }}**。\n")
    # 39.8% from the source's table 一(二) (2024 actual)
    assert n.render("intro") == "制造业增加值占比39.8%，**制造业增加值占GDP比重**。"


@pytest.mark.parametrize("body, line, words", [
    ("第一段。\n\n<script>alert(1)</script>\n", 4, "HTML"),
    ("第一段。\n\n```{raw} html\n<b>x</b>\n```\n", 4, "{raw}"),
    ("第一段。\n```{eval-rst}\n.. raw:: html\n```\n", 3, "{eval-rst}"),
    ("```{include} /etc/passwd\n```\n", 2, "{include}"),
    (":::{literalinclude} /etc/hostname\n:::\n", 2, "{literalinclude}"),
    ("见{download}`/etc/passwd`。\n", 2, "{download}"),
    ("见[原文](javascript:alert(1))。\n", 2, "javascript:"),
    # Nested where a line-start pattern could not see it (issue 21): a block quote, a list item.
    ("第一段。\n\n> ```{raw} html\n> <img src=x onerror=alert(1)>\n> ```\n", 4, "{raw}"),
    ("> ```{eval-rst}\n> .. include:: ../../../../etc/passwd\n> ```\n", 2, "{eval-rst}"),
    ("- 一项\n\n  ```{include} /etc/passwd\n  ```\n", 4, "{include}"),
    ("> :::{literalinclude} /etc/hostname\n> :::\n", 2, "{literalinclude}"),
    ("> 见<span onclick=x>此</span>。\n", 2, "HTML"),
    # A picture is fetched by the LaTeX builder at build time and by every reader at view time.
    ("见![t](http://example.com/pixel.png)。\n", 2, "图片"),
    ("> ![t](../../etc/passwd)\n", 2, "图片"),
])
def test_raw_html_file_directives_and_images_are_refused_with_file_and_line(tmp_path, edition_2024, body, line, words):
    n = _narrative(tmp_path, edition_2024, "<!-- passage: intro -->\n" + body)
    with pytest.raises(NarrativeError) as err:
        n.render("intro")
    message = str(err.value)
    assert f"99_test.md: 第{line}行（段落 intro）" in message and words in message


def test_bold_lists_and_footnotes_are_allowed(tmp_path, edition_2024):
    text = "**重点**：\n\n- 第一项\n- 第二项[^1]\n\n[^1]: 注释。"
    n = _narrative(tmp_path, edition_2024, "<!-- passage: intro -->\n" + text + "\n")
    assert n.render("intro") == text


def test_data_text_printed_by_a_placeholder_is_escaped(tmp_path, edition_2024):
    n = _narrative(tmp_path, edition_2024, "<!-- passage: intro -->\n来源：{{ d.source }}\n")
    assert n.render("intro", source="<img src=x onerror=alert(1)>") == "来源：\\<img src=x onerror=alert(1)\\>"


def test_a_substitution_smuggled_through_raw_is_refused(tmp_path, edition_2024):
    """MyST would evaluate {{ … }} at Sphinx time, outside the sandbox."""
    n = _narrative(tmp_path, edition_2024, "<!-- passage: intro -->\n{% raw %}{{ env.config }}{% endraw %}\n")
    with pytest.raises(NarrativeError, match="intro"):
        n.render("intro")



def test_block_quotes_tables_and_links_to_pages_are_allowed(tmp_path, edition_2024):
    text = "> 一(一)4：示范项目数量翻倍\n>\n> 三(一)1：31家企业\n\n| 项目 | 数值 |\n|---|--:|\n| 基站 | 5444个 |\n\n见[附录](06_appendix.md)。"
    n = _narrative(tmp_path, edition_2024, "<!-- passage: intro -->\n" + text + "\n")
    assert n.render("intro") == text
