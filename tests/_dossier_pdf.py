"""Measure the printed 核查报告 (review/<year>/dossier-<year>.pdf) for what a print office would
object to: literal Markdown, quotations nested the wrong way, file names as captions, a heading
at a page's foot, a narrow table column set many lines tall (tests/test_dossier_pdf.py).

`python tests/_dossier_pdf.py review/2024/dossier-2024.pdf` prints every finding (the
before/after figures of issue 24 item 7).
"""
from __future__ import annotations

import re
import sys
from collections import defaultdict

import pymupdf

TABLE_SIZE = 12.0      # table text: 小四 (latex/beichen-report.sty \footnotesize)
CJK_EM = 12.0          # one CJK character of table text (bp)
NARROW_CHARS = 8       # a column narrower than eight characters is narrow
TALL_LINES = 5         # ... and a cell of it may be at most five lines tall
FILE_NAME = re.compile(r"[\w\-]+\.(csv|yml|yaml|md|txt|json|py)\b")
CAPTION = re.compile(r"^(表|图)\d+-\d+\s*(.*)$")
PAGE_NUMBER = re.compile(r"^—\s*\d+\s*—$")


def _lines(page) -> list[tuple[float, float, float, float, str, float]]:
    """(x0, x1, baseline, top, text, size) of each text line of a page, the page number left out."""
    out = []
    for block in page.get_text("dict")["blocks"]:
        for line in block.get("lines", []):
            spans = [s for s in line["spans"] if s["text"].strip()]
            if not spans:
                continue
            text = "".join(s["text"] for s in spans).strip()
            if PAGE_NUMBER.match(text):
                continue
            out.append((line["bbox"][0], line["bbox"][2], max(s["origin"][1] for s in spans), line["bbox"][1],
                        text, max(s["size"] for s in spans)))
    return sorted(out, key=lambda l: (round(l[2], 1), l[0]))


def literal_markup(doc) -> list[str]:
    """Markdown printed as text: “**”, “* *”, a backslash escape."""
    found = []
    for page in doc:
        text = page.get_text()
        for m in re.finditer(r"\*\s*\*|\\[*_`]", text):
            found.append(f"p{page.number + 1}: {text[max(0, m.start() - 10):m.end() + 10]!r}")
    return found


def misnested_quotes(doc) -> list[str]:
    """Quotations nested against GB/T 15834 (“ inside “ rather than ‘’), per paragraph (text block)
    whose marks pair up; and any “““ or ””” run anywhere."""
    found = []
    for page in doc:
        for block in page.get_text("blocks"):
            text = block[4]
            for m in re.finditer(r"““|””", text):
                found.append(f"p{page.number + 1}: {text[max(0, m.start() - 10):m.end() + 10]!r}")
            depth, stack, bad = 0, [], None
            for i, ch in enumerate(text):
                if ch in "“‘":
                    # “ inside “ (a block may begin inside a quotation opened overleaf, so an outer
                    # ‘ is not judged)
                    if ch == "“" and depth % 2 == 1 and bad is None:
                        bad = i
                    stack.append(ch)
                    depth += 1
                elif ch in "”’":
                    if not stack:
                        stack = None
                        break
                    stack.pop()
                    depth -= 1
            if stack == [] and bad is not None:
                found.append(f"p{page.number + 1}: {text[max(0, bad - 10):bad + 10]!r}")
    return found


def file_name_captions(doc) -> list[str]:
    """Table and figure captions that name a file instead of saying what they hold."""
    found = []
    for page in doc:
        for line in _lines(page):
            m = CAPTION.match(line[4])
            if m and (FILE_NAME.search(m.group(2)) or not re.search(r"[\u4e00-\u9fff]", m.group(2))):
                found.append(f"p{page.number + 1}: {line[4]}")
    return found


def headings_at_foot(doc) -> list[str]:
    """Headings of the outline (every level) with fewer than two lines after them on their page,
    where the text goes on overleaf (not where the part ends and the next starts a new page)."""
    found = []
    toc = doc.get_toc()
    chapters = {number for level, _title, number in toc if level == 1}
    for _level, title, number in toc:
        if number + 1 in chapters or number == doc.page_count:
            continue
        page = doc[number - 1]
        lines = _lines(page)
        key = re.sub(r"\s+", "", title)[:8]
        at = [i for i, l in enumerate(lines) if re.sub(r"\s+", "", l[4]).startswith(key)]
        if at and len(lines) - 1 - at[0] < 2:
            found.append(f"p{number}: {title}")
    return found


def tall_narrow_cells(doc, narrow_chars: int = NARROW_CHARS, tall: int = TALL_LINES) -> list[str]:
    """Table cells more than `tall` lines high in a column narrower than `narrow_chars` characters.

    A table is a run of table-text lines of a page with no gap wider than two lines; its columns
    are the left edges shared by at least three of its lines; a row starts where most columns have
    a line (a continuation line is in the few columns whose cells wrap); a cell is the lines of its
    column from its row's start to the next row's."""
    found = []
    for page in doc:
        lines = [l for l in _lines(page) if abs(l[5] - TABLE_SIZE) < 0.5]
        tables: list[list] = []
        for l in lines:
            if tables and l[2] - tables[-1][-1][2] <= 2 * 18 + 1:
                tables[-1].append(l)
            else:
                tables.append([l])
        for table in tables:
            found += [f"p{page.number + 1}: {f}" for f in _tall_cells(table, narrow_chars, tall)]
    return found


def _tall_cells(lines: list, narrow_chars: int, tall: int) -> list[str]:
    edges: dict[float, int] = defaultdict(int)
    for l in lines:
        edges[round(l[0])] += 1
    columns = sorted(x for x, n in edges.items() if n >= 3)
    columns = [x for i, x in enumerate(columns) if i == 0 or x - columns[i - 1] > 2]
    if len(columns) < 2:
        return []
    right = max(l[1] for l in lines)
    by_y: dict[float, list] = defaultdict(list)
    for l in lines:
        by_y[round(l[2], 1)].append(l)
    ys = sorted(by_y)

    def covered(y) -> int:
        return sum(any(l[0] - 2 <= x <= l[1] for l in by_y[y]) for x in columns)

    starts = [y for y in ys if covered(y) >= 0.6 * len(columns)]
    found = []
    for ci, x in enumerate(columns):
        width = (columns[ci + 1] if ci + 1 < len(columns) else right) - x
        if width >= narrow_chars * CJK_EM:
            continue
        for si, y0 in enumerate(starts):
            y1 = starts[si + 1] if si + 1 < len(starts) else float("inf")
            cell = [l for y in ys if y0 <= y < y1 for l in by_y[y] if abs(l[0] - x) < 2]
            if len(cell) > tall:
                found.append(f"{len(cell)} lines in a column {width / CJK_EM:.1f} characters wide: "
                             f"{''.join(l[4] for l in cell)[:24]}")
    return found


MM = 72 / 25.4
BLOCK_TOP, BLOCK_HEIGHT = 37 * MM, 225 * MM     # GB/T 9704 as latex/beichen-report.sty sets it


def mostly_empty_pages(doc, most: float = 1 / 3) -> list[str]:
    """Numbered pages but the last whose content ends more than `most` of the text block short of
    its foot (the cover and the 目录 carry no page number and are not counted)."""
    found = []
    numbered = [page for page in doc if any(PAGE_NUMBER.match(t.strip())
                                              for t in page.get_text().splitlines())]
    for page in numbered[:-1]:
        bottoms = [l[2] for l in _lines(page)] + [d["rect"].y1 for d in page.get_drawings()
                                                   if d["rect"].y1 < BLOCK_TOP + BLOCK_HEIGHT + 5]
        empty = 1 - (max(bottoms, default=BLOCK_TOP) - BLOCK_TOP) / BLOCK_HEIGHT
        if empty > most:
            found.append(f"p{page.number + 1}: {empty:.0%} empty")
    return found


def report(path) -> dict[str, list[str]]:
    doc = pymupdf.open(str(path))
    return {"literal_markup": literal_markup(doc), "misnested_quotes": misnested_quotes(doc),
            "file_name_captions": file_name_captions(doc), "headings_at_foot": headings_at_foot(doc),
            "tall_narrow_cells": tall_narrow_cells(doc), "mostly_empty_pages": mostly_empty_pages(doc)}


if __name__ == "__main__":
    for name, found in report(sys.argv[1]).items():
        print(f"{name}: {len(found)}")
        for f in found:
            print("   ", f)
