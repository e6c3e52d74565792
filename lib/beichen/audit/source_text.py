"""The source report, parsed into its passages with the section labels the project uses.

The source (the 2024 post-evaluation report as received, kept outside the project: ../shared/source/
beside the checkout, or the file BEICHEN_SOURCE names; a data folder may hold its own source/
original-report.txt, as the tests' tiny data do) is a plain text with one passage a line: the title, chapter headings (“一、…”), section headings
(“（一）…”), numbered headings (“1.质量效益：…”), paragraphs, and one table (a caption line “表：…”
followed by tab-indented cells, a blank line between rows). Each passage gets the label that
data/*.csv `source` columns and data/meta/*.yml use for it: 一、一(一)、一(一)1、一(二)表、五2 …

The source prints its 4th and 5th chapters as “二、” and “三、” again; the labels number them 四 and
五 (data/README.md), and each heading passage records the number it was printed with (`printed`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from beichen.paths import REPO_ROOT

SOURCE_FILE = Path("source") / "original-report.txt"    # under a data folder that carries its own
# The source as the project receives it: not copied into the repository (only the figures and passages
# the report needs are), read where it is shipped beside the checkout.
SHARED_SOURCE = REPO_ROOT.parent / "shared" / "source" / "000_bca0e5e0cc621ee0.txt"
NUMERALS = "一二三四五六七八九十"
_CHAPTER = re.compile(rf"^([{NUMERALS}]+)、")
_SECTION = re.compile(rf"^（([{NUMERALS}]+)）")
_ITEM = re.compile(r"^(\d+)\.")
_ITEM_HEADING = re.compile(r"^\d+\.[^。]{2,24}。?$")   # “1.质量效益：实体经济根基持续夯实”, “2.实施评价。”
_MARKUP = re.compile(r"\[bookmark: [^\]]*\]")          # a Word bookmark left in the text


@dataclass(frozen=True)
class Passage:
    """One passage of the source: a heading, a paragraph, a table caption or a table cell."""

    index: int         # reading order
    line: int          # line in the source file (1-based)
    label: str         # 一(一)2, 一(二)表, 五3 …; the title: 标题
    kind: str          # title | heading | paragraph | caption | table
    text: str          # as printed (whitespace inside a cell joined)
    printed: str = ""  # a chapter heading: the numeral the source prints (二 for our 四)
    row: str = ""      # a table cell: its row's first cell
    column: str = ""   # a table cell: its column header

    @property
    def where(self) -> str:
        """The place as the 核查报告 names it: “原报告一(一)2（第18行）”."""
        cell = f"，{self.row}·{self.column}" if self.kind == "table" else ""
        return f"原报告{self.label}（第{self.line}行{cell}）"


def source_path(data_dir: Path) -> Path:
    """The source text: the data folder's own copy if it has one, else BEICHEN_SOURCE, else the one
    shipped beside the checkout (which may be absent: the edition is then not compared)."""
    import os

    own = Path(data_dir) / SOURCE_FILE
    if own.exists():
        return own
    return Path(os.environ.get("BEICHEN_SOURCE") or SHARED_SOURCE)


def read_source(data_dir: Path) -> list[Passage]:
    """The passages of the source kept under `data_dir`."""
    return parse(source_path(data_dir).read_text(encoding="utf-8"))


@lru_cache(maxsize=8)
def parse(text: str) -> list[Passage]:
    """The passages of a source text, in reading order, with their section labels."""
    out: list[Passage] = []
    chapter = section = item = ""
    chapters = 0
    caption_label = ""
    rows: list[tuple[int, list[str]]] = []   # the table being read: (line, cells) of each row
    in_table = after_cell = False

    def add(line: int, label: str, kind: str, text: str, **more) -> None:
        out.append(Passage(len(out), line, label, kind, text, **more))

    def end_table() -> None:
        full = [(n, cells) for n, cells in rows if cells]
        if full:
            (_, header), *body = full
            for n, cells in body:
                for column, cell in zip(header, cells):
                    add(n, caption_label, "table", cell, row=cells[0], column=column)
        rows.clear()

    for number, raw in enumerate(text.splitlines(), start=1):
        if in_table:
            if raw.startswith("\t"):                      # a cell
                if not rows or after_cell is None:
                    rows.append((number, []))
                rows[-1][1].append(raw.strip())
                after_cell = True
                continue
            if raw.strip() and after_cell:                 # the cell's second line (“2020年\n基数”)
                rows[-1][1][-1] += raw.strip()
                continue
            if not raw.strip():                            # a blank line ends a row
                after_cell = None
                continue
            in_table = False
            end_table()
        line = _MARKUP.sub("", raw).strip()
        if not line:
            continue
        if not out:
            add(number, "标题", "title", line)
        elif m := _CHAPTER.match(line):
            chapters += 1
            chapter, section, item = NUMERALS[chapters - 1], "", ""
            add(number, chapter, "heading", line, printed=m.group(1))
        elif m := _SECTION.match(line):
            section, item = f"({m.group(1)})", ""
            add(number, chapter + section, "heading", line)
        elif line.startswith("表："):
            caption_label = chapter + section + "表"
            add(number, caption_label, "caption", line)
            in_table, after_cell = True, None
        elif m := _ITEM.match(line):
            item = m.group(1)
            kind = "heading" if _ITEM_HEADING.match(line) else "paragraph"
            add(number, chapter + section + item, kind, line)
        else:
            add(number, chapter + section + item, "paragraph", line)
    if in_table:
        end_table()
    return out


def headings(passages: list[Passage]) -> list[Passage]:
    return [p for p in passages if p.kind in ("title", "heading")]


def has_source_report(data_dir: Path, data=None) -> bool:
    """Whether the plan's data were transcribed from a source report that the editions reproduce and
    are checked against: data/meta/departures.yml names the edition compared with it
    (`compare_edition`), or the data hold what a source states for checking (stated_* rows, entries of
    data/meta/audit.yml). A plan whose report is made from its data alone (a new plan's folder) has
    none: its 核查报告 checks the plan's own figures and never speaks of a source."""
    import yaml

    data_dir = Path(data_dir)
    departures = data_dir / "meta" / "departures.yml"
    if departures.exists():
        raw = yaml.safe_load(departures.read_text(encoding="utf-8")) or {}
        if raw.get("compare_edition") not in (None, "") or raw.get("departures"):
            return True
    audit = data_dir / "meta" / "audit.yml"
    if audit.exists():
        raw = yaml.safe_load(audit.read_text(encoding="utf-8")) or {}
        if any(raw.get(key) for key in raw):
            return True
    if data is not None:
        for name in ("indicator_values", "metrics"):
            frame = getattr(data, name, None)
            if frame is not None and frame["kind"].astype(str).str.startswith("stated_").any():
                return True
        chains = getattr(data, "chains", None)
        if chains is not None and "stated_share_pct" in chains and chains["stated_share_pct"].notna().any():
            return True
    return False
