"""The text an edition prints, read back from its executed chapters as the reader gets it.

The claims ledger (lib/beichen/audit/claims.py) and the comparison with the source (departures) read the
edition here, not in the narrative files: what is checked is what is published — headings with
their subtitles filled in, generated sentences, table cells, chart captions, chart annotations and
chart descriptions — each as a Block with where it stands (page, section).

The staged book (build/<year>/book/) holds the executed notebooks and the MyST substitutions in
its _config.yml; Sphinx renders exactly these, so the text here is the site's and the PDF's.
"""
from __future__ import annotations

import html as html_lib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from markdown_it import MarkdownIt

KINDS = ("heading", "paragraph", "table", "caption", "chart")
_SUBSTITUTION = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
_FENCE = re.compile(r"^```\{(table|figure)\}\s*(.*?)\n(.*?)^```", re.S | re.M)


@dataclass(frozen=True)
class Block:
    """One unit of printed text: a heading, a paragraph (or list item), a table cell, a caption, or
    a chart's text (its description, caption, takeaway and the labels drawn in it)."""

    page: str            # the chapter's file name (00_summary, 01_targets, …)
    section: str         # the headings above it, joined by “／”
    kind: str
    text: str
    row: str = ""        # a table cell: its row's first cell; a chart label: its chart's number
    column: str = ""     # a table cell: its column header
    table: str = ""      # a table cell or chart: the caption (表1-1 …, 图1-2 …)

    @property
    def where(self) -> str:
        """Where a reader finds it: “一、…总体目标…／（一）完成情况…／表1-1（国家级…，完成度）”."""
        place = self.section or self.page
        if self.kind == "table":
            return f"{place}／{self.table}（{self.row}，{self.column}）"
        if self.kind in ("chart", "caption") and self.table:
            return f"{place}／{self.table}"
        return place


_md = MarkdownIt("commonmark").enable("table")


def plain_inline(children) -> str:
    """The text of an inline token's children (emphasis, links and escapes dropped)."""
    out = []
    for tok in children or ():
        if tok.type in ("text", "code_inline"):
            out.append(tok.content)
        elif tok.type in ("softbreak", "hardbreak"):
            out.append("")
        elif tok.children:
            out.append(plain_inline(tok.children))
    return "".join(out)


def markdown_text(text: str) -> str:
    """Inline Markdown as plain text (“**翻倍**。” → “翻倍。”)."""
    tokens = _md.parseInline(text)
    return "".join(plain_inline(t.children) for t in tokens).strip()


def _substitute(text: str, substitutions: dict) -> str:
    return _SUBSTITUTION.sub(lambda m: str(substitutions.get(m.group(1), m.group(0))), text)


class _Reader:
    def __init__(self, page: str, substitutions: dict):
        self.page, self.substitutions = page, substitutions
        self.headings: list[tuple[int, str]] = []
        self.blocks: list[Block] = []

    @property
    def section(self) -> str:
        return "／".join(h for _, h in self.headings)

    def add(self, kind: str, text: str, **where) -> None:
        text = " ".join(text.split())
        if text:
            self.blocks.append(Block(self.page, self.section, kind, text, **where))

    def markdown(self, text: str, from_cell: bool) -> None:
        text = _substitute(text, self.substitutions) if from_cell else text
        rest, last = [], 0
        for fence in _FENCE.finditer(text):  # MyST table/figure directives: caption, then body
            rest.append(text[last:fence.start()])
            last = fence.end()
            kind, caption, body = fence.groups()
            caption = markdown_text(caption)
            if kind == "table":
                self.add("caption", caption, table=caption)
                self._table(body, caption)
            # a figure's caption is the chart's own (read from its HTML output)
        rest.append(text[last:])
        self._blocks("".join(rest))

    def _blocks(self, text: str) -> None:
        tokens = _md.parse(text)
        for i, tok in enumerate(tokens):
            if tok.type == "heading_open":
                level = int(tok.tag[1])
                title = markdown_text(tokens[i + 1].content)
                self.headings = [h for h in self.headings if h[0] < level] + [(level, title)]
                self.add("heading", title)
            elif tok.type == "inline" and tokens[i - 1].type == "paragraph_open":
                item = tokens[i - 2] if i >= 2 else None
                # an ordered list item prints its number (“1.产业集群竞争力增强。…”)
                number = f"{item.info}{item.markup}" if item is not None and item.type == "list_item_open" \
                    and item.info else ""
                self.add("paragraph", number + plain_inline(tok.children))

    def _table(self, body: str, caption: str) -> None:
        lines = [line for line in body.splitlines() if line.strip().startswith("|")]
        if len(lines) < 2:
            return
        tokens = _md.parse("\n".join(lines))
        rows: list[list[str]] = []
        for i, tok in enumerate(tokens):
            if tok.type == "tr_open":
                rows.append([])
            elif tok.type == "inline" and tokens[i - 1].type in ("th_open", "td_open"):
                rows[-1].append(" ".join(plain_inline(tok.children).split()))
        header, *cells = rows
        for row in cells:
            for column, value in zip(header, row):
                self.add("table", value, row=row[0], column=column, table=caption)

    def chart(self, html: str) -> None:
        number = re.search(r'class="report-chart-number">([^<]*)<', html)
        title = re.search(r'class="report-chart-caption">.*?</span>\s*([^<]*)</span>', html, re.S)
        table = f"{number.group(1)} {html_lib.unescape(title.group(1)).strip()}" if number and title else ""
        self.add("caption", table, table=table)
        takeaway = re.search(r'class="report-chart-takeaway">([^<]*)<', html)
        if takeaway:
            self.add("chart", html_lib.unescape(takeaway.group(1)), table=table, row="说明")
        label = re.search(r'aria-label="([^"]*)"', html)
        if label:
            self.add("chart", html_lib.unescape(label.group(1)), table=table, row="图示说明")
        spec = re.search(r"var spec=(\{.*?\});var opts=", html, re.S)
        if spec:
            for text in _drawn_labels(json.loads(spec.group(1))):
                self.add("chart", text, table=table, row="图中文字")


def _drawn_labels(spec: dict) -> list[str]:
    """Text drawn inside a chart: string values of its data rows that hold Chinese (panel titles
    such as “国家级高新技术企业（家）|增加273家|为1.6倍”, value labels, notes), each once."""
    seen: dict[str, None] = {}
    for rows in (spec.get("datasets") or {}).values():
        for row in rows:
            for value in row.values():
                if isinstance(value, str) and re.search(r"[\u4e00-\u9fff]", value):
                    seen.setdefault(value.replace("|", "").strip(), None)  # “|”: a line break drawn
    return [s for s in seen if s]


def read_notebook(path: Path, substitutions: dict) -> list[Block]:
    """The blocks of one executed chapter, in reading order."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    reader = _Reader(Path(path).stem, substitutions)
    for cell in nb["cells"]:
        tags = cell.get("metadata", {}).get("tags", [])
        if "remove-cell" in tags:
            continue
        if cell["cell_type"] == "markdown":
            reader.markdown("".join(cell["source"]), from_cell=True)
            continue
        if "remove-output" in tags:
            continue
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            page = "".join(data.get("text/html", ""))
            if 'class="report-figure"' in page:
                reader.chart(page)
            elif "text/markdown" in data:
                reader.markdown("".join(data["text/markdown"]), from_cell=False)
    return reader.blocks


def read_book(book: Path) -> list[Block]:
    """Every block of the staged book's chapters, in the order of its table of contents."""
    book = Path(book)
    config = yaml.safe_load((book / "_config.yml").read_text(encoding="utf-8")) or {}
    substitutions = (config.get("parse") or {}).get("myst_substitutions") or {}
    toc = yaml.safe_load((book / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]] + [c["file"] for c in toc.get("chapters") or []]
    blocks: list[Block] = []
    for name in files:
        path = book / f"{name}.ipynb"
        if path.exists():
            blocks += read_notebook(path, substitutions)
    return blocks
