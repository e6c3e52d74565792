"""Hostile words in the plan are published as text, and every page carries a Content-Security-Policy
that refuses inline script (issue 21, point 2; lib/beichen/site/ui.py, lib/beichen/site/landing.py).

The fast tests drive the one layer every page passes (policy.secure_page, escape_text_context) and
the landing page; the build test builds the 2024 edition from a copy of data/ whose report title and
issuing body carry markup, and reads every page it published with an HTML parser.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from markupsafe import Markup

from beichen.paths import DATA_DIR, NARRATIVE_DIR
from beichen.site import landing as editions
from beichen.site import policy
from beichen.site import vega_offline

try:
    from _site_helpers import event_attributes, executable_inline_scripts, html_files
except ImportError:  # tests/ is a package
    from ._site_helpers import event_attributes, executable_inline_scripts, html_files

TITLE = '北辰区</title><script>alert(1)</script><img src=x onerror=alert(2)>报告&amp;'
AUTHOR = '天津市<img src=x onerror=alert(3)>北辰区"\' onmouseover="alert(4)'


def _policy(soup) -> str | None:
    meta = soup.find("meta", attrs={"http-equiv": re.compile("^content-security-policy$", re.I)})
    return meta.get("content") if meta else None


# ---------------------------------------------------------------------------
# The policy itself
# ---------------------------------------------------------------------------

def test_policy_refuses_inline_script_eval_and_other_origins():
    rules = dict(part.strip().split(" ", 1) for part in policy.CSP.split(";"))
    assert rules["default-src"] == "'self'" and rules["script-src"] == "'self'"
    assert rules["object-src"] == "'none'" and rules["base-uri"] == "'none'"
    assert rules["form-action"] == "'self'" and rules["connect-src"] == "'self'"
    # nothing from elsewhere: every source list names only the site itself (and data: images)
    for name, sources in rules.items():
        assert set(sources.split()) <= {"'self'", "'none'", "'unsafe-inline'", "data:"}, name
    assert "'unsafe-inline'" not in rules["script-src"] and "unsafe-eval" not in policy.CSP
    # a <meta> policy may not carry these (Chromium reports them as errors on every page)
    assert not {"frame-ancestors", "report-uri", "sandbox"} & set(rules)


def test_vega_embeds_with_the_interpreter_not_eval():
    # without ast:true Vega compiles every expression with new Function, which the policy blocks
    assert "ast: true" in vega_offline._SNIPPET and "window.vegaEmbed" in vega_offline._SNIPPET


# ---------------------------------------------------------------------------
# secure_page: the one pass every rendered page goes through
# ---------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
  <head>
    <meta charset="utf-8" />
    <title>Content-Security-Policy &lt;script&gt;</title>
    <script>document.documentElement.dataset.mode = "light";</script>
    <script defer src="_static/doctools.js"></script>
    <script type="application/json" id="d">{"a": 1}</script>
  </head>
  <body><p>正文</p><script defer>draw("a</p>");</script><script></script></body>
</html>
"""


def _secure(text=PAGE):
    written = {}
    out = policy.secure_page(text, lambda name: f"_static/beichen-scripts/{name}", written.__setitem__)
    return out, written


def test_inline_scripts_move_into_files_loaded_where_they_stood():
    out, written = _secure()
    soup = BeautifulSoup(out, "html.parser")
    assert not executable_inline_scripts(soup)
    assert sorted(written.values()) == ['document.documentElement.dataset.mode = "light";',
                                        'draw("a</p>");']
    srcs = [s.get("src") for s in soup.find_all("script")]
    head_file, body_file = (f"_static/beichen-scripts/{n}" for n in written)
    # in the same order as before: the head's script before doctools.js, the body's in the body
    assert srcs == [head_file, "_static/doctools.js", None, body_file]
    # an inline script ignores defer: moved, it must still run where it stood, not deferred
    assert soup.find("script", src=body_file).get("defer") is None
    # a data block is not run and stays; an empty script is dropped
    assert soup.find("script", id="d").get_text() == '{"a": 1}'
    # names are the content's digest: the same script on every page is one file
    assert all(re.fullmatch(r"[0-9a-f]{20}\.js", n) for n in written)


def test_policy_meta_comes_right_after_the_charset_once():
    out, _ = _secure()
    head = BeautifulSoup(out, "html.parser").head.find_all(True)
    assert head[0].get("charset") == "utf-8"
    assert head[1].get("http-equiv") == "Content-Security-Policy" and head[1]["content"] == policy.CSP
    # words in the title (escaped text) do not stand for a policy; a second pass adds nothing
    again, _ = _secure(out)
    assert again == out and out.count('http-equiv="Content-Security-Policy"') == 1


def test_a_fragment_without_head_gets_no_meta():
    out, written = _secure('<div class="x"><script>f()</script></div>')
    assert "Content-Security-Policy" not in out and len(written) == 1


def test_plain_text_in_a_page_context_is_escaped_once():
    context = {"docstitle": TITLE, "root_title": TITLE, "pagetitle": "a<b", "author": AUTHOR,
               "theme_extra_footer": AUTHOR + "编制", "body": "<p>正文</p>",
               "project": Markup("<b>已是标记</b>")}
    policy.escape_text_context(context)
    assert context["body"] == "<p>正文</p>"  # HTML the builder rendered stays HTML
    assert context["project"] == "<b>已是标记</b>"  # already markup: not escaped twice
    assert "<" not in context["docstitle"] and "&lt;/title&gt;" in context["docstitle"]
    assert "&amp;amp;" in context["docstitle"]  # “&amp;” in the plan prints as those five characters
    assert '"' not in context["author"] and "'" not in context["author"]  # safe in attributes too
    # templates that escape (|e) leave the value as it is: no “&amp;lt;”
    from jinja2 import Environment
    env = Environment(autoescape=False)
    assert env.from_string("{{ t|e }}").render(t=context["docstitle"]) == context["docstitle"]
    assert env.from_string('<a title="{{ t }}">').render(t=context["author"]).count('"') == 2


def test_landing_page_and_edition_index_carry_the_policy_and_escape_the_title(tmp_path):
    page = editions.landing_page([{"year": 2024, "title": TITLE, "status": "<b>稿</b>"}], TITLE)
    soup = BeautifulSoup(page, "html.parser")
    assert _policy(soup) == policy.CSP
    assert soup.title.get_text() == f"{TITLE} · 各年度版本" and soup.h1.get_text() == TITLE
    assert not soup.find("img") and not executable_inline_scripts(soup) and not event_attributes(soup)


def test_section_titles_in_the_index_are_escaped_for_the_results_list():
    """Sphinx's search page inserts section titles with innerHTML: the index holds them as HTML."""
    from beichen.site.search import escaped_titles

    frozen = escaped_titles({"alltitles": {"<img src=x onerror=alert(1)>标题 & 说明": [[0, "id"]]},
                             "titles": ["页&amp;"]})
    assert frozen["alltitles"] == {"&lt;img src=x onerror=alert(1)&gt;标题 &amp; 说明": [[0, "id"]]}
    assert frozen["titles"] == ["页&amp;"]  # page titles are HTML already


# ---------------------------------------------------------------------------
# A whole edition built from a plan with markup in its title and issuing body
# ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def hostile_site(built_2024, tmp_path_factory):
    """The 2024 edition from a copy of data/ whose plan names a hostile title and issuing body, built from
    the shared build's work folder (tests/conftest.py): what the plan's words reach is made again."""
    from beichen.publish.build import build_report

    root = tmp_path_factory.mktemp("hostile")
    data = root / "data"
    shutil.copytree(DATA_DIR, data)
    plan = data / "meta" / "plan.yml"
    text = plan.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^report_title: .*$", lambda m: "report_title: " + _yaml(TITLE), text, count=1)
    text = re.sub(r"(?m)^author: .*$", lambda m: "author: " + _yaml(AUTHOR), text, count=1)
    plan.write_text(text, encoding="utf-8")
    # the passage-by-passage comparison with the source would (rightly) stop at the new title
    departures = data / "meta" / "departures.yml"
    departures.write_text(re.sub(r"(?m)^compare_edition: .*$", "compare_edition: 1999",
                                 departures.read_text(encoding="utf-8")), encoding="utf-8")
    site = root / "site"
    shutil.copytree(built_2024.staging, root / "staging", symlinks=True)
    build_report(2024, data, NARRATIVE_DIR, site, root / "staging", pdf=False, review_dir=root / "review")
    return site


def _yaml(text: str) -> str:
    import json
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


@pytest.mark.build
def test_hostile_plan_words_are_published_only_as_text(hostile_site):
    pages = html_files(hostile_site)
    assert len(pages) > 5 and hostile_site / "index.html" in pages
    problems, titles_shown, issuers_shown = [], 0, 0
    for path in pages:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        rel = path.relative_to(hostile_site)
        for script in soup.find_all("script"):
            if "alert" in script.get_text():
                problems.append(f"{rel}: <script> {script.get_text()[:60]!r}")
        problems += [f"{rel}: {a}" for a in event_attributes(soup)]
        problems += [f"{rel}: <img src={img.get('src')!r}>" for img in soup.find_all("img") if img.get("src") == "x"]
        if soup.title is None or not soup.title.get_text().strip():
            problems.append(f"{rel}: <title> broken open")
        if _policy(soup) != policy.CSP:
            problems.append(f"{rel}: no policy <meta>")
        text = soup.get_text()
        titles_shown += TITLE in text
        issuers_shown += AUTHOR in text
    assert not problems, "\n".join(problems[:40])
    # …and the words are there, as the reader typed them (the literal “&amp;” included)
    assert titles_shown >= len(pages) - 1 and issuers_shown >= 5
    nav = BeautifulSoup((hostile_site / "2024" / "chapters" / "01_targets.html").read_text(encoding="utf-8"),
                        "html.parser")
    assert nav.select_one(".logo__title").get_text().strip().startswith(TITLE)
    assert AUTHOR in nav.select_one(".beichen-footer").get_text()
    # The search page writes section titles from the index with innerHTML (Sphinx 7.4): escaped there too.
    index = (hostile_site / "2024" / "searchindex.js").read_text(encoding="utf-8")
    assert "&lt;/title&gt;&lt;script&gt;" in index
    assert "<script>" not in index and "<img src=x" not in index
