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


# Bounded work (issue 21, point 3): what a passage may compute, and for how long.
HOSTILE = [
    "{{ (9**(9**9)) > 1 }}",                       # the probe of the issue: hung the build (folded while compiling)
    "{{ 'x'*10**8 }}",                              # the probe of the issue: 1 GB
    "{{ [0]*10**8 }}",
    "{{ 10**16 }}",                                 # a number beyond the bound
    "{{ 'x'|center(10**8) }}",
    "{{ 'x'.ljust(10**8) }}",
    "{{ '%100000000s' % 1 }}",
    "{{ '{:>100000000}'.format(1) }}",
    "{{ '{:{}}'.format(1, 10**8) }}",
    "{{ range(10**6) }}",
    "{{ range(100000)|join('x'*100000) }}",
    "{{ ('a'*1000)|replace('a', 'a'*1000) }}",
    "{% set a = 'x'*100000 %}{{ a ~ a }}",
    "{% set r = range(100000) %}{% for i in r %}{% for j in r %}{% endfor %}{% endfor %}",
    "{% set r = range(100000) %}{% set x %}{% for i in r %}{% for j in r %}x{% endfor %}{% endfor %}{% endset %}",
    "{{ range(100000)|list }}",                     # the output of a passage is bounded too
    "{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}",
]


@pytest.mark.parametrize("expression", HOSTILE)
def test_passages_that_would_hang_or_exhaust_the_build_are_refused_at_once_naming_the_passage(
        tmp_path, edition_2024, expression):
    import time
    import tracemalloc

    n = _narrative(tmp_path, edition_2024, "<!-- passage: intro -->\n第一段。\n\n" + expression + "\n")
    tracemalloc.start()
    # CPU time of this process, not wall time: the bound is on the work done before refusing, and
    # must not fail because other processes share the machine's two cores.
    started = time.process_time()
    try:
        with pytest.raises(NarrativeError) as err:
            n.render("intro")
        seconds = time.process_time() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "99_test.md: 段落 intro（第2行起）" in str(err.value)
    assert "已拒绝" in str(err.value)
    assert seconds < 4, f"refused only after {seconds:.1f}s of CPU time"
    assert peak < 30e6, f"{peak / 1e6:.0f} MB allocated before refusing"


def test_a_passage_that_runs_too_long_is_stopped_naming_the_passage(tmp_path, edition_2024, monkeypatch):
    """A loop of figure lookups (each ~0.2 ms, under the step bound) stops at the time limit."""
    import time

    monkeypatch.setenv("BEICHEN_RENDER_TIMEOUT", "1")
    n = _narrative(tmp_path, edition_2024, "<!-- passage: intro -->\n{% for i in range(1000) %}{% for j in range(400) %}"
                   "{% set x = v('mfg_va_share_gdp') %}{% endfor %}{% endfor %}完。\n")
    started = time.perf_counter()
    with pytest.raises(NarrativeError, match=r"99_test.md: 段落 intro（第2行起）.*渲染超过1秒"):
        n.render("intro")
    assert time.perf_counter() - started < 3


def test_work_between_the_template_s_steps_is_stopped_by_the_watchdog(tmp_path, edition_2024, monkeypatch):
    """A single call that never returns to the template (here a value the chapter computed) is
    interrupted in whichever thread renders — the kernel's main thread or a worker — and nothing of
    the interruption reaches the code that runs after the render."""
    import time
    from concurrent.futures import ThreadPoolExecutor

    monkeypatch.setenv("BEICHEN_RENDER_TIMEOUT", "0.5")

    def spin():
        while True:
            pass

    n = _narrative(tmp_path, edition_2024, "<!-- passage: intro -->\n{{ d.spin() }}\n<!-- passage: ok -->\n好。\n")
    for run in (lambda f: f(), lambda f: ThreadPoolExecutor(1).submit(f).result()):
        started = time.perf_counter()
        with pytest.raises(NarrativeError, match="段落 intro.*渲染超过0.5秒"):
            run(lambda: n.render("intro", spin=spin))
        assert time.perf_counter() - started < 2.5
    assert n.render("ok") == "好。"
    deadline = time.perf_counter() + 1  # a late timeout would surface here
    while time.perf_counter() < deadline:
        sum(range(1000))


@pytest.mark.parametrize("expression, printed", [
    ("{{ 2**10 }}", "1024"),
    ("{{ '%.1f' % 3.14159 }}", "3.1"),
    ("{{ '{:.2f}'.format(2.5) }}", "2.50"),
    ("{{ 'x'*3 }}", "xxx"),
    ("{% for i in range(3) %}{{ i }}{% endfor %}", "012"),
    ("{{ ['a', 'b']|join('、') }}", "a、b"),
    ("{{ (425.1 / 1236.0 * 100)|round(1) }}", "34.4"),
])
def test_ordinary_template_arithmetic_still_works(tmp_path, edition_2024, expression, printed):
    n = _narrative(tmp_path, edition_2024, "<!-- passage: intro -->\n" + expression + "\n")
    assert n.render("intro") == printed
