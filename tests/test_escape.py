"""Text from data is shown as text (issue 14, defect 1): escaped for each target, refused as markup.

Each probe is parsed the way the site parses it (myst-parser's own Markdown parser with the
book's extensions), so the test fails if the text would become an HTML element, a directive,
a role or a substitution, whatever the escape function looks like.
"""
import pandas as pd
import pytest

from beichen.render import escape, tables

PROBES = [
    "<script>alert(1)</script>",
    "区统计局<img src=x onerror=alert(1)>",
    "智能装备\n```{eval-rst}\n.. raw:: html\n\n   <script>alert(1)</script>\n```",
    "链\n```{raw} latex\n\\input{/etc/hostname}\n```",
    "{{ env.config }}",
    "{download}`/etc/passwd`",
    "[点击](javascript:alert(1))",
    "2024. 年",
    "# 标题",
]


def _tokens(markdown: str):
    """Block and inline tokens as myst-parser produces them for the book (colon_fence, substitution)."""
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser
    from myst_parser.mdit_to_docutils.base import DocutilsRenderer

    parser = create_md_parser(MdParserConfig(enable_extensions={"colon_fence", "substitution"}), DocutilsRenderer)
    out = []
    for token in parser.parse(markdown):
        out.append(token)
        out += token.children or []
    return out


def _markup(tokens) -> list[str]:
    kinds = {"html_inline", "html_block", "substitution_inline", "substitution_block", "myst_role",
             "link_open", "image", "heading_open", "ordered_list_open", "bullet_list_open"}
    found = [t.type for t in tokens if t.type in kinds]
    found += [f"fence {t.info}" for t in tokens if t.type in ("fence", "colon_fence")]
    return found


@pytest.mark.parametrize("text", PROBES)
def test_escaped_text_parses_as_plain_text(text):
    markdown = escape.myst(text)
    assert _markup(_tokens(markdown)) == []
    # and reads as the text itself (line breaks become spaces)
    shown = "".join(t.content for t in _tokens(markdown) if t.type == "text")
    assert shown == text.replace("\n", " ")


@pytest.mark.parametrize("text", PROBES[:4])
def test_the_probe_is_markup_unless_escaped(text):
    """The probes are real: unescaped, each becomes an element, directive or block."""
    tokens = _tokens(text)
    assert _markup(tokens) or any(t.type == "fence" for t in tokens)


def test_table_cells_and_caption_from_data_are_text():
    frame = pd.DataFrame({"产业链": ["<script>alert(1)</script>"], "来源": ["区统计局<img src=x onerror=alert(1)>"]})
    markdown = tables.markdown_table(frame, "表2-1 {{ env }}<b>")
    body = markdown.split("\n\n", 1)[1].rsplit("```", 1)[0]
    assert _markup(_tokens(body)) == []
    assert _markup(_tokens(markdown.splitlines()[0].split("}", 1)[1])) == []


def test_html_vega_and_latex_escapes():
    assert escape.html_attr('"><script>') == "&quot;&gt;&lt;script&gt;"
    assert escape.html_text("a\nb<i>") == "a b&lt;i&gt;"
    spec = escape.script_json({"title": "</script><script>alert(1)</script>\u2028"})
    assert "</" not in spec and "<" not in spec and "\u2028" not in spec
    import json
    assert json.loads(spec) == {"title": "</script><script>alert(1)</script>\u2028"}
    assert escape.latex(r"\input{/etc/hostname} 50% $x$ #1 a_b ~") == (
        r"\textbackslash{}input\{/etc/hostname\} 50\% \$x\$ \#1 a\_b \textasciitilde{}")


def test_schema_refuses_control_characters_in_text(data_copy):
    from beichen.inputs.loading import DataValidationError, load_all

    path = data_copy / "chains.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    cells = lines[1].split(",")
    cells[1] = '"智能装备\n```{raw} html\n<script>alert(1)</script>\n```"'
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(DataValidationError) as err:
        load_all(data_copy)
    message = str(err.value)
    assert "chains.csv: 第2行, 列 name" in message and "控制字符" in message
    assert "<script>alert(1)</script>" in message.replace("↵", "") or "↵" in message


def test_markup_in_a_chapter_paragraph_is_refused_not_published():
    from beichen.render.chapter import Chapter, MarkupError

    chapter = Chapter.__new__(Chapter)
    chapter.name = "01_targets"
    with pytest.raises(MarkupError, match="01_targets"):
        chapter.say("资料来源：原报告区统计局<img src=x onerror=alert(1)>")
