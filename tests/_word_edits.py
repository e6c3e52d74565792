"""Edit a .docx the way Word saves a reviewer's work (tracked changes on, comments), with lxml on
python-docx's elements: w:ins / w:del with author and date around runs, w:comment in the comments part
(python-docx's own add_comment), a paragraph split (an inserted paragraph mark), a bookmark deleted."""
from __future__ import annotations

import copy
import datetime as dt

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

_ids = iter(range(9000, 10000))


def anchored(doc, name: str):
    """The first paragraph (python-docx) inside bookmark `name` (pandoc puts bookmarks around blocks)."""
    from docx.text.paragraph import Paragraph

    body = doc.element.body
    start = next(b for b in body.iter(qn("w:bookmarkStart")) if b.get(qn("w:name")) == name)
    node = start.getnext()
    while node.tag != qn("w:p"):
        node = node.getnext()
    return Paragraph(node, doc._body)


def _run(text: str, deleted: bool = False):
    r = OxmlElement("w:r")
    t = OxmlElement("w:delText" if deleted else "w:t")
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    t.text = text
    r.append(t)
    return r


def _mark(kind: str, author: str, date: str):
    e = OxmlElement(f"w:{kind}")
    e.set(qn("w:id"), str(next(_ids)))
    e.set(qn("w:author"), author)
    e.set(qn("w:date"), date)
    return e


def track(paragraph, old: str, new: str, author: str, date: str = "2025-11-20T09:30:00Z") -> None:
    """Replace the first `old` in the paragraph by `new` as tracked changes (w:del of old, w:ins of new);
    the paragraph's runs are rewritten as plain runs (formatting is not what is checked)."""
    text = paragraph.text
    at = text.index(old)
    p = paragraph._p
    for r in list(p.findall(qn("w:r"))):
        p.remove(r)
    p.append(_run(text[:at]))
    if old:
        d = _mark("del", author, date)
        d.append(_run(old, deleted=True))
        p.append(d)
    if new:
        i = _mark("ins", author, date)
        i.append(_run(new))
        p.append(i)
    p.append(_run(text[at + len(old):]))


def split(paragraph, before: str, author: str, date: str = "2025-11-20T10:00:00Z") -> None:
    """Press Enter before `before` with tracking on: the first part keeps an inserted paragraph mark."""
    text = paragraph.text
    at = text.index(before)
    p = paragraph._p
    second = copy.deepcopy(p)
    for r in list(p.findall(qn("w:r"))):
        p.remove(r)
    p.append(_run(text[:at]))
    for r in list(second.findall(qn("w:r"))):
        second.remove(r)
    second.append(_run(text[at:]))
    ppr = p.get_or_add_pPr()
    rpr = OxmlElement("w:rPr")
    rpr.append(_mark("ins", author, date))
    ppr.append(rpr)
    p.addnext(second)


def drop_bookmark(doc, name: str) -> None:
    body = doc.element.body
    start = next(b for b in body.iter(qn("w:bookmarkStart")) if b.get(qn("w:name")) == name)
    end = next(b for b in body.iter(qn("w:bookmarkEnd")) if b.get(qn("w:id")) == start.get(qn("w:id")))
    start.getparent().remove(start)
    end.getparent().remove(end)


def comment(doc, paragraph, text: str, author: str, when: dt.datetime) -> None:
    c = doc.add_comment(paragraph.runs, text=text, author=author, initials=author[:1])
    c._comment_elm.set(qn("w:date"), when.strftime("%Y-%m-%dT%H:%M:%SZ"))
