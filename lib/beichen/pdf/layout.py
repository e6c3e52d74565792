"""The PDF's own rules of print, applied to the document tree the LaTeX builder writes (the site is untouched).

- A section whose content is a notebook cell tagged ``site-only`` (and nothing else that prints) is left
  out of the PDF and its 目录: the appendix's 数据下载 is a list of links a reader can only follow on the
  site (the printed appendix says where the files are instead). A cell tag, not a label: a label
  would become the section's anchor on the site, a program word in its address.
- Third-level numbers read as numbers of a heading, one style everywhere: "2.2025年…" would read as
  the number 2.2025, so the point after a heading's Arabic number is the full-width "．" (GB/T 9704
  writes "1．"); a run-in heading ("1.**标题**。正文…", "**1.标题**。…", or an ordered list whose
  items all start so) becomes one form, the paragraph "**1．标题**。正文…": number and title bold,
  indented two characters like every paragraph (a list's label would hang in front of the indent).
- A numbered heading right under a chapter ("1.强化京津冀协同…" in 五, whose sections the site lists in its
  本页目录) prints run-in, as the source sets it: "**1．标题**。正文…" opening the section's first paragraph,
  the section's content in the chapter's (GB/T 9704 numbers "1." the third level, never under "五、" alone).
- A lead-in (a paragraph that is only bold text, "**补充分析：建议目标与现状**") right before a table
  goes with the table: LaTeX sets it in the table's float box (\\beichenleadinstart …
  \\beichenleadinend, latex/beichen-report.sty), so a page break cannot fall between them.
"""
from __future__ import annotations

import re

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

SITE_ONLY = "tag_site-only"   # myst-nb gives a cell's container the class tag_<tag>
NUMBER = re.compile(r"^(\d{1,2})[.．](?=\S)")   # "2.2025年…": 1–2 digits, the point, the title
BARE_NUMBER = re.compile(r"^\s*(\d{1,2})[.．]\s*$")  # "1." alone before **标题**


def _fullwidth_point(text: str) -> str:
    return NUMBER.sub(lambda m: m.group(1) + "．", text, count=1)


def _first_text(node: nodes.Element):
    return next(iter(t for t in node.findall(nodes.Text) if t.strip()), None)


def _content(node: nodes.Element) -> list:
    """The children that are not empty text (MyST leaves an empty Text before a list item's bold)."""
    return [c for c in node.children if not (isinstance(c, nodes.Text) and not c.strip())]


def _number_title(title: nodes.title) -> None:
    """"2.2025年…" → "2．2025年…", the point found whatever text nodes the title is made of (a
    substitution makes "2." and "2025" two nodes)."""
    if not NUMBER.match(title.astext().lstrip()):
        return
    for text in title.findall(nodes.Text):
        if "." in text or "．" in text:
            _replace_text(text, text.replace(".", "．", 1))
            return


def _replace_text(old: nodes.Text, new: str) -> None:
    old.parent.replace(old, nodes.Text(new))


def _next_block(node: nodes.Node):
    """The next block of the document after `node` (not inside it), looking into containers (notebook
    cells) and over targets, comments and empty containers."""
    step = node.next_node(descend=False, siblings=True, ascend=True)
    while step is not None:
        if isinstance(step, (nodes.target, nodes.comment, nodes.raw)) or (
                isinstance(step, nodes.container) and not step.children):
            step = step.next_node(descend=False, siblings=True, ascend=True)
        elif isinstance(step, nodes.container):
            step = step[0]
        else:
            return step
    return None


def _site_only(section: nodes.section) -> bool:
    """A section of site-only cells: one at least, and nothing else with text but its title."""
    body = [c for c in section.children if not isinstance(c, (nodes.title, nodes.target))]
    tagged = [c for c in body if isinstance(c, nodes.container) and SITE_ONLY in c.get("classes", [])]
    return bool(tagged) and all(c in tagged or not c.astext().strip() for c in body)


CHAPTER_NUMERAL = re.compile(r"^[一二三四五六七八九十]+、")


def _under_chapter(section: nodes.section) -> bool:
    """A section numbered "1." whose nearest enclosing section is a chapter ("五、…")."""
    if not _title_matches(section, NUMBER):
        return False
    parent = section.parent
    while parent is not None and not isinstance(parent, nodes.section):
        parent = parent.parent
    return parent is not None and _title_matches(parent, CHAPTER_NUMERAL)


def _title_matches(section: nodes.section, pattern: re.Pattern) -> bool:
    return bool(section.children) and isinstance(section[0], nodes.title) \
        and bool(pattern.match(section[0].astext().lstrip()))


def _run_in_section(section: nodes.section) -> None:
    """The section as a run-in heading: its title, bold with "．" after the number, and "。" open its first
    paragraph; its content takes its place in the chapter."""
    title, body = section[0], list(section.children[1:])
    first = next(iter(p for b in body for p in b.findall(nodes.paragraph)), None)
    if first is None:
        return
    head = nodes.strong("", "", *[c.deepcopy() for c in title.children])
    # the point after the number, whatever text nodes the title is made of (a substitution makes "1."
    # and the year's words two nodes)
    point = next(iter(t for t in head.findall(nodes.Text) if "." in t or "．" in t), None)
    if point is not None:
        _replace_text(point, point.replace(".", "．", 1))
    first.insert(0, nodes.Text("。"))
    first.insert(0, head)
    section.replace_self(body)


def _is_lead_in(paragraph: nodes.paragraph) -> bool:
    parts = _content(paragraph)
    return len(parts) == 1 and isinstance(parts[0], nodes.strong)


def _run_in_number(paragraph: nodes.paragraph) -> bool:
    """Make "1.**标题**…" and "**1.标题**…" the one form "**1．标题**…"; True if it was a run-in heading."""
    children = _content(paragraph)
    if len(children) >= 2 and isinstance(children[0], nodes.Text) and BARE_NUMBER.match(children[0]) \
            and isinstance(children[1], nodes.strong):
        number = BARE_NUMBER.match(children[0]).group(1)
        paragraph.remove(children[0])
        children[1].insert(0, nodes.Text(number + "．"))
        return True
    if children and isinstance(children[0], nodes.strong):
        text = _first_text(children[0])
        if text is not None and NUMBER.match(text):
            _replace_text(text, _fullwidth_point(str(text)))
            return True
    return False


def _list_to_paragraphs(olist: nodes.enumerated_list) -> None:
    """An ordered list whose every item starts with bold text is a series of run-in headings."""
    items = [i for i in olist.children if isinstance(i, nodes.list_item)]
    if not items or not all(i.children and isinstance(i[0], nodes.paragraph) and _content(i[0])
                            and isinstance(_content(i[0])[0], nodes.strong) for i in items):
        return
    start = int(olist.get("start", 1))
    out = []
    for number, item in enumerate(items, start=start):
        _content(item[0])[0].insert(0, nodes.Text(f"{number}．"))
        out.extend(item.children)
    olist.replace_self(out)


class PrintLayout(SphinxPostTransform):
    default_priority = 400
    builders = ("latex",)

    def run(self, **kwargs) -> None:
        for section in list(self.document.findall(nodes.section)):
            if _site_only(section):
                section.parent.remove(section)
        for section in list(self.document.findall(nodes.section)):
            if _under_chapter(section):
                _run_in_section(section)
        for title in list(self.document.findall(nodes.title)):
            if isinstance(title.parent, nodes.section):
                _number_title(title)
        for olist in list(self.document.findall(nodes.enumerated_list)):
            _list_to_paragraphs(olist)
        for paragraph in list(self.document.findall(nodes.paragraph)):
            if _run_in_number(paragraph):
                continue
            if _is_lead_in(paragraph) and isinstance(_next_block(paragraph), nodes.table):
                paragraph.parent.insert(paragraph.parent.index(paragraph),
                                        nodes.raw("", r"\beichenleadinstart", format="latex"))
                paragraph.parent.insert(paragraph.parent.index(paragraph) + 1,
                                        nodes.raw("", r"\beichenleadinend", format="latex"))


def setup(app):
    app.add_post_transform(PrintLayout)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
