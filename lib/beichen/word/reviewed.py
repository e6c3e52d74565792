"""A reviewed .docx read back: each paragraph with its anchors, its text before and after the review, the
tracked insertions and deletions (author, date, where in the original text) and the comments on it.

Word and WPS save a tracked change as w:ins / w:del around runs (w:moveTo / w:moveFrom for a move), a
split paragraph as an inserted paragraph mark (w:pPr/w:rPr/w:ins), a comment as w:comment in the
comments part, its range as w:commentRangeStart/End in the text. python-docx opens the package and
the parts; it has no API for revisions, so they are read from its lxml elements.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn

W_P, W_TBL = qn("w:p"), qn("w:tbl")
INSERTED = (qn("w:ins"), qn("w:moveTo"))
DELETED = (qn("w:del"), qn("w:moveFrom"))


@dataclass
class Change:
    kind: str          # "insert" | "delete" | "comment"
    start: int         # in the paragraph's original text
    end: int           # == start for an insertion
    text: str          # inserted / deleted text; the comment's words
    author: str = ""
    date: str = ""
    quoted: str = ""   # a comment: the original text it is attached to


@dataclass
class Paragraph:
    anchors: list[str]
    original: str = ""
    revised: str = ""
    changes: list[Change] = field(default_factory=list)
    in_table: bool = False
    style: str = ""
    split_after: bool = False   # its paragraph mark was inserted: the next paragraph continues it
    split_by: tuple[str, str] = ("", "")   # who split it, when


@dataclass
class Reviewed:
    paragraphs: list[Paragraph]
    properties: dict[str, str]


def _tracked(node, kinds) -> object | None:
    """The w:ins/w:del around `node` (a w:t or w:delText), if any, up to its paragraph."""
    parent = node.getparent()
    while parent is not None and parent.tag != W_P:
        if parent.tag in kinds:
            return parent
        parent = parent.getparent()
    return None


def _paragraph(p, anchors: list[str], in_table: bool, comment_starts: dict) -> Paragraph:
    para = Paragraph(list(anchors), in_table=in_table)
    style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    para.style = style.get(qn("w:val")) if style is not None else ""
    mark = p.find(f"{qn('w:pPr')}/{qn('w:rPr')}")
    split = [mark.find(t) for t in INSERTED] if mark is not None else []
    split = [e for e in split if e is not None]
    para.split_after = bool(split)
    para.split_by = (split[0].get(qn("w:author"), ""), split[0].get(qn("w:date"), "")) if split else ("", "")
    orig, new = [], []
    for node in p.iter():
        if node.tag == qn("w:bookmarkStart"):
            para.anchors.append(node.get(qn("w:name")))
        elif node.tag == qn("w:commentRangeStart"):
            comment_starts[node.get(qn("w:id"))] = (para, len("".join(orig)))
        elif node.tag == qn("w:commentRangeEnd"):
            comment_starts[("end", node.get(qn("w:id")))] = (para, len("".join(orig)))
        elif node.tag == qn("w:t") and node.text:
            ins = _tracked(node, INSERTED)
            if ins is not None:
                at = len("".join(orig))
                para.changes.append(Change("insert", at, at, node.text, ins.get(qn("w:author"), ""), ins.get(qn("w:date"), "")))
            else:
                orig.append(node.text)
            new.append(node.text)
        elif node.tag == qn("w:delText") and node.text:
            dele = _tracked(node, DELETED)
            at = len("".join(orig))
            para.changes.append(Change("delete", at, at + len(node.text), node.text,
                                       dele.get(qn("w:author"), "") if dele is not None else "",
                                       dele.get(qn("w:date"), "") if dele is not None else ""))
            orig.append(node.text)
        elif node.tag == qn("w:tab"):
            orig.append("\t")
            new.append("\t")
    para.original, para.revised = "".join(orig), "".join(new)
    para.changes = _merged(para.changes)
    return para


def _merged(changes: list[Change]) -> list[Change]:
    """Runs Word split one change into (a change of formatting, a spell-check mark) joined again."""
    out: list[Change] = []
    for c in changes:
        last = out[-1] if out else None
        if last and last.kind == c.kind and last.author == c.author and last.end == c.start and \
                (c.kind == "delete" or last.start == c.start):
            last.end, last.text = c.end, last.text + c.text
        else:
            out.append(c)
    return out


def _walk(element, open_marks: list[str], in_table: bool, out: list[Paragraph], comment_starts: dict) -> None:
    for child in element:
        if child.tag == W_P:
            para = _paragraph(child, open_marks, in_table, comment_starts)
            out.append(para)
            for node in child.iter(qn("w:bookmarkStart")):
                open_marks.append(node.get(qn("w:name")))
            _close(child.iter(qn("w:bookmarkEnd")), open_marks, child)
        elif child.tag == qn("w:bookmarkStart"):
            open_marks.append(child.get(qn("w:name")))
        elif child.tag == qn("w:bookmarkEnd"):
            _close([child], open_marks, element)
        else:
            _walk(child, open_marks, in_table or child.tag == W_TBL, out, comment_starts)


def _close(ends, open_marks: list[str], scope) -> None:
    """Close bookmarks by id: a bookmark's end names its id, its start both id and name."""
    root = scope.getroottree().getroot()
    for end in ends:
        ident = end.get(qn("w:id"))
        for start in root.iter(qn("w:bookmarkStart")):
            if start.get(qn("w:id")) == ident and start.get(qn("w:name")) in open_marks:
                open_marks.remove(start.get(qn("w:name")))
                break


def _joined(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """A paragraph split in review (its mark inserted) is one original paragraph with a break inserted."""
    out: list[Paragraph] = []
    for para in paragraphs:
        prev = out[-1] if out else None
        if prev is not None and prev.split_after:
            base = len(prev.original)
            for c in para.changes:
                c.start, c.end = c.start + base, c.end + base
            prev.changes.append(Change("insert", base, base, "\n", *prev.split_by))
            prev.changes += para.changes
            prev.original += para.original
            prev.revised += "\n" + para.revised
            prev.anchors = list(dict.fromkeys(prev.anchors + para.anchors))
            prev.split_after, prev.split_by = para.split_after, para.split_by
        else:
            out.append(para)
    return out


def _comments(doc, starts: dict) -> list[tuple[Paragraph | None, Change]]:
    found = []
    for part in doc.part.package.iter_parts():
        if str(part.partname) != "/word/comments.xml":
            continue
        from lxml import etree

        root = etree.fromstring(part.blob)
        for comment in root.iter(qn("w:comment")):
            text = "".join(t.text or "" for t in comment.iter(qn("w:t")))
            ident = comment.get(qn("w:id"))
            para, start = starts.get(ident, (None, 0))
            end_para, end = starts.get(("end", ident), (None, 0))
            if para is not None and end_para is not para:   # a comment over several paragraphs: its first
                end = len(para.original)
            found.append((para, Change("comment", start, end, text, comment.get(qn("w:author"), ""),
                                       comment.get(qn("w:date"), ""),
                                       para.original[start:end] if para else "")))
    return found


def properties(doc) -> dict[str, str]:
    """The .docx's custom properties (docProps/custom.xml), name → text."""
    for part in doc.part.package.iter_parts():
        if str(part.partname) == "/docProps/custom.xml":
            from lxml import etree

            root = etree.fromstring(part.blob)
            return {p.get("name"): "".join(p.itertext()) for p in root}
    return {}


def read(path: Path) -> Reviewed:
    doc = Document(str(path))
    out: list[Paragraph] = []
    starts: dict = {}
    _walk(doc.element.body, [], False, out, starts)
    for para, comment in _comments(doc, starts):
        if para is not None:
            para.changes.append(comment)
    return Reviewed(_joined(out), properties(doc))
