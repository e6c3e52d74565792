"""Table cells for the screen: short cells never break inside a word; a wide table with a prose
column becomes cards on a phone (assets/table.css)."""
from __future__ import annotations

import re

from bs4 import BeautifulSoup
from docutils import nodes

SHORT_CELL = 12  # characters: a cell this short is never broken across lines
PROSE_CELL = 20  # characters: a cell this long is prose (a sentence, not a figure or a name)
STACK_COLUMNS = 4  # a table this wide with a prose column is read as cards on a phone


def mark_short_cells(app, doctree, docname) -> None:
    """Cells of a few characters (numbers, 超额完成, +0.8个百分点) never break inside a word; a table
    of :data:`STACK_COLUMNS` columns or more with a prose cell (:data:`PROSE_CELL` characters) is
    marked ``beichen-stack``: on a phone its rows become cards (assets/table.css, :func:`label_stacked_tables`), since squeezed
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




_STACKED = re.compile(r'<table\b[^>]*\bclass="[^"]*\bbeichen-stack\b[^"]*"[^>]*>.*?</table>', re.S)


def label_stacked_tables(body: str) -> str:
    """A page's HTML with every ``beichen-stack`` table ready for its phone layout as written: each
    cell names its column (``data-label``, shown by assets/table.css above the cell's text) and the
    table keeps its roles when CSS shows its rows as blocks. Written into the page rather than set by
    a script after the first paint, when the rows turning into cards moved the page (Lighthouse's
    layout shift of 0.27 on the appendix at 360 px)."""
    def label(match: re.Match) -> str:
        soup = BeautifulSoup(match.group(0), "html.parser")
        table = soup.table
        header = table.select("thead tr")
        names = [th.get_text(" ", strip=True) for th in header[-1].find_all("th")] if header else []
        table["role"] = "table"
        for tr in table.find_all("tr"):
            tr["role"] = "row"
        for th in table.select("thead th"):
            th["role"] = "columnheader"
        for tr in table.select("tbody tr"):
            for i, cell in enumerate(tr.find_all(["td", "th"], recursive=False)):
                cell["role"] = "cell"
                if i < len(names) and names[i]:
                    cell["data-label"] = names[i]
        return str(soup)
    return _STACKED.sub(label, body)
