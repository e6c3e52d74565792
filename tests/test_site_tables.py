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


def test_a_stacked_table_is_labelled_in_the_page_itself():
    """The cards of a phone are there at the first paint: each cell names its column in the HTML
    (before issue 25's second round a script did it after the paint, and the rows moved)."""
    from beichen.site.tables import label_stacked_tables

    page = ('<p>前</p><table class="table beichen-stack" id="t"><thead><tr><th class="head"><p>指标</p></th>'
            '<th class="head"><p>突出成效</p></th></tr></thead><tbody><tr><td><p>高新技术企业</p></td>'
            '<td><p>数量稳步增长</p></td></tr></tbody></table><table class="table"><tr><td>别的表</td></tr></table>')
    out = label_stacked_tables(page)
    assert '<td data-label="指标" role="cell"><p>高新技术企业</p></td>' in out
    assert '<td data-label="突出成效" role="cell"><p>数量稳步增长</p></td>' in out
    assert 'role="table"' in out and 'role="columnheader"' in out and out.count('role="row"') == 2
    assert out.startswith("<p>前</p>") and out.endswith('<table class="table"><tr><td>别的表</td></tr></table>')
