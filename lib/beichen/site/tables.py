"""Table cells for the screen: short cells never break inside a word; a wide table with a prose
column becomes cards on a phone (assets/table.css, assets/page-ui.js)."""
from __future__ import annotations

from docutils import nodes

SHORT_CELL = 12  # characters: a cell this short is never broken across lines
PROSE_CELL = 20  # characters: a cell this long is prose (a sentence, not a figure or a name)
STACK_COLUMNS = 4  # a table this wide with a prose column is read as cards on a phone


def mark_short_cells(app, doctree, docname) -> None:
    """Cells of a few characters (numbers, 超额完成, +0.8个百分点) never break inside a word; a table
    of :data:`STACK_COLUMNS` columns or more with a prose cell (:data:`PROSE_CELL` characters) is
    marked ``beichen-stack``: on a phone its rows become cards (assets/table.css, assets/page-ui.js), since squeezed
    beside six other columns its prose would run four characters a line."""
    for entry in doctree.findall(nodes.entry):
        text = entry.astext().strip()
        if text and len(text) <= SHORT_CELL and "\n" not in text:
            entry["classes"].append("nowrap")
    if getattr(app.builder, "format", None) != "html":
        return
    for table in doctree.findall(nodes.table):
        groups = list(table.findall(nodes.tgroup))
        columns = int(groups[0].get("cols", 0)) if groups else 0
        prose = any(len(e.astext().strip()) >= PROSE_CELL for e in table.findall(nodes.entry))
        if columns >= STACK_COLUMNS and prose:
            table["classes"].append("beichen-stack")


