"""The source parsed into labelled passages (lib/beichen/audit/source_text.py)."""
from __future__ import annotations

import pandas as pd
import yaml

from beichen.audit.source_text import parse, read_source, source_path
from beichen.paths import DATA_DIR

TINY = """报告标题

一、第一部分
导语一段。
（一）完成情况
1.质量效益：根基夯实
制造业增加值占比超目标。占比39.8%。
（二）主要指标
表：核心指标
\t类别
\t2020年
基数

\t质量效益
\t36.6%

二、第二部分
（一）面临的问题
1.配套率不高。正文。
二、第三部分
[bookmark: _GoBack]1.强化协同。一是……
"""


def test_tiny_source_is_labelled_as_the_project_labels_sections():
    passages = parse(TINY)
    got = [(p.label, p.kind, p.text) for p in passages]
    assert got[0] == ("标题", "title", "报告标题")
    assert ("一", "paragraph", "导语一段。") in got
    assert ("一(一)1", "heading", "1.质量效益：根基夯实") in got
    assert ("一(一)1", "paragraph", "制造业增加值占比超目标。占比39.8%。") in got
    assert ("一(二)表", "caption", "表：核心指标") in got
    # the source repeats 二、 for its third chapter: labelled 三, printed 二
    third = next(p for p in passages if p.kind == "heading" and p.text == "二、第三部分")
    assert third.label == "三" and third.printed == "二"
    assert ("三1", "paragraph", "1.强化协同。一是……") in got          # the Word bookmark dropped
    assert ("二(一)1", "paragraph", "1.配套率不高。正文。") in got     # a run-in heading: a paragraph


def test_a_table_is_read_cell_by_cell_with_its_header():
    cells = [p for p in parse(TINY) if p.kind == "table"]
    assert [(c.row, c.column, c.text) for c in cells] == [("质量效益", "类别", "质量效益"),
                                                          ("质量效益", "2020年基数", "36.6%")]
    assert cells[0].label == "一(二)表" and cells[0].line == 14


def test_the_real_source_has_every_section_the_data_cites():
    passages = read_source(DATA_DIR)
    labels = {p.label for p in passages}
    cited = set()
    for name in ("indicator_values", "metrics", "chains"):
        cited |= set(pd.read_csv(DATA_DIR / f"{name}.csv", dtype=str)["source"].dropna())
    audit = yaml.safe_load((DATA_DIR / "meta" / "audit.yml").read_text(encoding="utf-8"))
    cited |= {e["source"] for group in audit.values() if isinstance(group, list) for e in group
              if isinstance(e, dict) and isinstance(e.get("source"), str)}
    assert cited - labels == set()
    # the 4th and 5th chapters are numbered 四 and 五 (the source prints 二 and 三)
    heads = {p.label: p for p in passages if p.kind == "heading" and p.printed}
    assert [(k, heads[k].printed) for k in heads] == [("一", "一"), ("二", "二"), ("三", "三"), ("四", "二"),
                                                      ("五", "三")]
    assert len([p for p in passages if p.kind == "table"]) == 5 * 7     # 表：核心指标完成亮点, 5 rows × 7 columns
    assert source_path(DATA_DIR).read_bytes().startswith("北辰区".encode())
