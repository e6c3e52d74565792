"""The PDF's run-in headings (lib/beichen/pdf/layout.py): a "1." section right under a chapter opens its
first paragraph, as the source prints chapter 五's recommendations; other sections stay sections."""
from __future__ import annotations

from docutils import nodes

from beichen.pdf import layout


def _section(title: str, *children) -> nodes.section:
    section = nodes.section(ids=[title])
    section += nodes.title("", title)
    for child in children:
        section += child
    return section


def _cell(text: str) -> nodes.container:
    cell = nodes.container(classes=["cell"])
    cell += nodes.paragraph("", text)
    return cell


def _run(chapter: nodes.section) -> None:
    for section in list(chapter.findall(nodes.section)):
        if layout._under_chapter(section):
            layout._run_in_section(section)


def test_a_numbered_section_under_a_chapter_prints_run_in():
    chapter = _section("五、进一步推进规划实施的对策建议",
                       _section("1.强化京津冀协同，加快引育新动能", _cell("一是扭住牛鼻子。"), _cell("二是抓牢生命线。")),
                       _section("2.实施创新驱动，推动数字化转型", _cell("一是加强转化。")))
    _run(chapter)
    assert [type(c).__name__ for c in chapter.children] == ["title", "container", "container", "container"]
    first = chapter.children[1][0]
    assert isinstance(first[0], nodes.strong) and first[0].astext() == "1．强化京津冀协同，加快引育新动能"
    assert first.astext() == "1．强化京津冀协同，加快引育新动能。一是扭住牛鼻子。"
    assert chapter.children[2].astext() == "二是抓牢生命线。"
    assert chapter.children[3].astext() == "2．实施创新驱动，推动数字化转型。一是加强转化。"


def test_the_number_is_found_in_a_title_of_several_text_nodes():
    """A MyST substitution makes “1.” and the year's words two nodes of the title."""
    heading = nodes.section(ids=["s"])
    heading += nodes.title("", "", nodes.Text("1."), nodes.Text("强化京津冀协同，加快引育新动能"))
    heading += _cell("一是扭住牛鼻子。")
    chapter = _section("五、进一步推进规划实施的对策建议", heading)
    _run(chapter)
    assert chapter.children[1].astext() == "1．强化京津冀协同，加快引育新动能。一是扭住牛鼻子。"


def test_sections_of_other_levels_stay_sections():
    """“1.主要风险挑战” under “（二）” (chapter 四) and “（一）” under a chapter keep their headings."""
    chapter = _section("四、规划实施面临的主要问题和风险挑战",
                       _section("（二）风险挑战及机遇", _section("1.主要风险挑战", _cell("正文。"))))
    _run(chapter)
    assert [s[0].astext() for s in chapter.findall(nodes.section)] == [
        "四、规划实施面临的主要问题和风险挑战", "（二）风险挑战及机遇", "1.主要风险挑战"]
