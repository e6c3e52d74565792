"""Sphinx extension: the rules of Chinese composition for the PDF (lib/beichen/render/print_text.py).

A post-transform of the LaTeX builder only: it marks in the text where a line may not break (a
table cell inside a word, a figure before its measure word, a paragraph's last two characters)
and sets ranges of years and months with the 一字线. The site's pages, built by the HTML builder
from the same doctree, are not touched.
"""
from __future__ import annotations

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from beichen.render import print_text

# Text that is set literally or is not running text: code, raw output, maths, and titles (their
# text goes into the PDF's bookmarks, where the marks have no meaning).
_SKIP = (nodes.literal, nodes.literal_block, nodes.raw, nodes.math, nodes.math_block,
         nodes.FixedTextElement, nodes.target)


def _context(node: nodes.Node) -> str | None:
    """'cell', 'text', or None (leave alone), from the node's ancestors."""
    parent = node.parent
    while parent is not None:
        if isinstance(parent, _SKIP) or (isinstance(parent, nodes.title)
                                         and isinstance(parent.parent, (nodes.section, nodes.topic))):
            return None
        if isinstance(parent, nodes.entry):
            return "cell"
        parent = parent.parent
    return "text"


class PrintComposition(SphinxPostTransform):
    default_priority = 900
    builders = ("latex",)

    def run(self, **kwargs) -> None:
        for text in list(self.document.findall(nodes.Text)):
            where = _context(text)
            if where is None:
                continue
            value = str(text)
            new = (print_text.table_cell(print_text.print_range(value)) if where == "cell"
                   else print_text.running_text(value))
            if new != value:
                text.parent.replace(text, nodes.Text(new))
        self._align_cells()
        for paragraph in self.document.findall(nodes.paragraph):
            if _context(paragraph) != "text":
                continue
            last = [t for t in paragraph.findall(nodes.Text) if _context(t) == "text"]
            if last:
                tied = print_text.tie_last(str(last[-1]))
                if tied != str(last[-1]):
                    last[-1].parent.replace(last[-1], nodes.Text(tied))


    def _align_cells(self) -> None:
        """Figures right-aligned (their digits line up), status words centred, as the site shows them:
        Sphinx sets a column of given width ragged-right whatever the Markdown's alignment."""
        for entry in self.document.findall(nodes.entry):
            command = next((ALIGN[c] for c in entry["classes"] if c in ALIGN), None)
            first = next(iter(entry.findall(nodes.paragraph)), None)
            if command and first is not None:
                first.insert(0, nodes.raw("", command, format="latex"))


#: the Markdown's column alignment (MyST's classes) → the cell's setting (latex/beichen-report.sty)
ALIGN = {"text-right": r"\beichencellright{}", "text-center": r"\beichencellcentre{}"}


def setup(app):
    app.add_post_transform(PrintComposition)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def fonts_line(latex_dir) -> str:
    """The faces the PDF is set in, as latex/beichen-report.sty wrote them beside the log
    (book.fonts: "字体：正文 FandolFang（未安装仿宋_GB2312）；…"); '' when there is no such file."""
    from pathlib import Path

    path = Path(latex_dir) / "book.fonts"
    return path.read_text(encoding="utf-8").strip() if path.is_file() else ""
