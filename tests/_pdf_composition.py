"""Read table cells and paragraph line ends from the report PDF (pymupdf), for the rules of Chinese
composition (tests/test_pdf_composition.py; `python tests/_pdf_composition.py report.pdf` prints
what it finds: the before/after figures of issue 24).

Table cells are set in 小四 (12 bp) on an 18 bp line pitch; rows stand 23.4 bp apart (the rows'
struts, latex/beichen-report.sty), so two pieces of text 18 bp apart, one above the other, are
lines of one cell. Cells of one row share a baseline and are at least 8 bp apart (two 4 bp
paddings), while the characters of one cell are at most a space (4 bp) apart.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass

import pymupdf

from _pdf_layout import PageLayout, _chart_fonts, _flow, measure

CELL_SIZE = 12.0
CELL_PITCH = 18.0
CELL_GAP = 6.5          # bp: wider than a space in a cell (4 bp), narrower than two paddings (8 bp)
CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass
class Piece:
    """A run of a cell's text on one line."""
    text: str
    x0: float
    x1: float
    baseline: float


def cell_pieces(page: pymupdf.Page) -> list[Piece]:
    """Every run of table text on the page, split where the gap between two characters is wider
    than a space (a column boundary)."""
    pieces: list[Piece] = []
    charts = _chart_fonts(page)   # chart text, told by its fonts' origin (tests/_pdf_layout.py)
    pymupdf.TOOLS.set_subset_fontnames(True)
    try:
        blocks = page.get_text("rawdict")["blocks"]
    finally:
        pymupdf.TOOLS.set_subset_fontnames(False)
    for block in blocks:
        for line in block.get("lines", []):
            for span in line["spans"]:
                if abs(span["size"] - CELL_SIZE) > 0.3 or span["font"] in charts:
                    continue
                current: Piece | None = None
                for ch in span["chars"]:
                    x0, _, x1, _ = ch["bbox"]
                    if ch["c"].isspace():
                        continue
                    if current is not None and x0 - current.x1 <= CELL_GAP:
                        current.text += ch["c"]
                        current.x1 = x1
                        continue
                    current = Piece(ch["c"], x0, x1, round(ch["origin"][1], 1))
                    pieces.append(current)
    # pieces of one line that pymupdf gave as separate spans join when they touch
    pieces.sort(key=lambda p: (p.baseline, p.x0))
    merged: list[Piece] = []
    for p in pieces:
        last = merged[-1] if merged else None
        if last and abs(last.baseline - p.baseline) < 0.3 and p.x0 - last.x1 <= CELL_GAP:
            last.text += p.text
            last.x1 = p.x1
        else:
            merged.append(p)
    return merged


def multiline_cells(page: pymupdf.Page) -> list[list[str]]:
    """The cells of the page's tables that take more than one line, as their lines of text."""
    pieces = cell_pieces(page)
    below: dict[int, Piece] = {}
    for i, p in enumerate(pieces):
        for q in pieces:
            if abs(q.baseline - p.baseline - CELL_PITCH) < 0.5 and q.x0 < p.x1 and p.x0 < q.x1:
                below[i] = q
                break
    continued = {id(q) for q in below.values()}
    cells = []
    for i, p in enumerate(pieces):
        if id(p) in continued or i not in below:
            continue
        lines, q = [p.text], below.get(i)
        while q is not None:
            lines.append(q.text)
            j = pieces.index(q)
            q = below.get(j)
        cells.append(lines)
    return cells


def breaks_inside_words(cells: list[list[str]], words) -> list[str]:
    """Line breaks of cells that fall inside a word of `words(text)` (a function giving the pieces
    a reader keeps whole)."""
    found = []
    for lines in cells:
        text = "".join(lines)
        bounds, at = {0}, 0
        for w in words(text):
            at += len(w.replace(" ", ""))
            bounds.add(at)
        at = 0
        for line in lines[:-1]:
            at += len(line)
            if at not in bounds:
                found.append(" / ".join(lines))
                break
    return found


def body_line_pairs(pages: list[PageLayout]):
    """(line, next line) of running text on one page, one line pitch apart."""
    for page in pages:
        flow = _flow(page)
        for a, b in zip(flow, flow[1:]):
            if abs(b.baseline - a.baseline - 29.0) < 0.5:
                yield page, a, b


def numbers_cut_from_units(pages: list[PageLayout]) -> list[str]:
    """A line of running text that ends with a figure while the next starts with a Chinese character
    ("4|家", "2020|年"), or ends with "第" before a figure."""
    found = []
    for page, a, b in body_line_pairs(pages):
        end, start = a.text.rstrip()[-1:], b.text.lstrip()[:1]
        if (end.isdigit() and CJK.match(start)) or (end == "第" and start.isdigit()):
            found.append(f"p{page.index + 1}: …{a.text[-6:]} | {b.text[:6]}…")
    return found


CLOSING = "，。、；：？！）》”’%％…"


def one_character_last_lines(pages: list[PageLayout]) -> list[str]:
    """Lines of running text that hold one Chinese character and its closing punctuation ("升。")."""
    found = []
    for page in pages:
        for line in page.body:
            core = line.text.strip().rstrip(CLOSING)
            if len(core) == 1 and CJK.match(core) and line.text.strip() != core:
                found.append(f"p{page.index + 1}: {line.text.strip()}")
    return found


HYPHEN_RANGE = re.compile(r"\d{4}\s*-\s*\d{4}|\d{1,2}\s*-\s*\d{1,2}\s*月")


def hyphen_ranges(text: str) -> list[str]:
    """Ranges of years or months set with a hyphen ("2021-2025", "1-10月") in the text."""
    return HYPHEN_RANGE.findall(text)


def report(pdf_path) -> str:
    from beichen.render.print_text import words

    doc = pymupdf.open(str(pdf_path))
    pages = measure(pdf_path)
    cells = [c for page in doc for c in multiline_cells(page)]
    inside = breaks_inside_words(cells, words)
    out = [f"multi-line table cells: {len(cells)}; broken inside a word: {len(inside)}"]
    out += [f"  {c}" for c in inside]
    cut = numbers_cut_from_units(pages)
    out.append(f"figures cut from their unit at a line end: {len(cut)}")
    out += [f"  {c}" for c in cut]
    lonely = one_character_last_lines(pages)
    out.append(f"one-character last lines: {len(lonely)}")
    out += [f"  {c}" for c in lonely]
    text = "".join(page.get_text() for page in doc)
    out.append(f"ranges with a hyphen: {hyphen_ranges(text)}")
    return "\n".join(out)


if __name__ == "__main__":
    print(report(sys.argv[1]))
