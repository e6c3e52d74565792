"""Table cells for the screen (lib/beichen/site/tables.py)."""
from __future__ import annotations

from types import SimpleNamespace

from docutils import nodes

from beichen.site.tables import mark_short_cells


def _table(rows: list[list[str]]) -> nodes.table:
    group = nodes.tgroup(cols=len(rows[0]))
    body = nodes.tbody()
    for row in rows:
        body += nodes.row("", *[nodes.entry("", nodes.paragraph(text=cell)) for cell in row])
    group += body
    return nodes.table("", group)


def test_short_cells_keep_together_and_a_wide_table_with_prose_becomes_cards():
    prose = "推动天士力、长荣集团等31家企业获批数字化车间"  # 23 characters: prose (≥ 20)
    doc = nodes.document(None, None)
    wide, narrow = _table([["指标", "1389.9亿元", "超额完成", prose]]), _table([["指标", prose]])
    doc += wide
    doc += narrow
    mark_short_cells(SimpleNamespace(builder=SimpleNamespace(format="html")), doc, "x")
    cells = list(wide.findall(nodes.entry))
    assert [("nowrap" in c["classes"]) for c in cells] == [True, True, True, False]  # ≤ 12 characters
    assert "beichen-stack" in wide["classes"]          # 4 columns and a prose cell
    assert "beichen-stack" not in narrow["classes"]    # 2 columns: it fits a phone as a table
