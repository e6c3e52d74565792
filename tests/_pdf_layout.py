"""Measure the printed layout of the report PDF from its text positions (pymupdf).

The numbers are those of GB/T 9704-2012 as latex/beichen-report.sty sets them:
A4 (210 x 297 mm), text block 156 x 225 mm whose top edge is 37 mm from the top of the
sheet, binding (inner) margin 28 mm, body 三号 (15.75 bp) on a 29 bp line pitch, 22 lines a page;
page numbers 四号 宋体 "— 1 —", their dashes 7 mm below the block, odd pages right and even
pages left, one character in.

Used by tests/test_pdf_layout.py; `python tests/_pdf_layout.py some.pdf` prints the table of
measurements per page (the "before/after" numbers of the layout issue).
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field

import pymupdf

MM = 72 / 25.4                      # PDF points (bp) per millimetre
BLOCK_TOP = 37 * MM                 # GB/T 9704 §5.2.3: 天头 37 mm
BLOCK_HEIGHT = 225 * MM             # 版心 225 mm
BLOCK_BOTTOM = BLOCK_TOP + BLOCK_HEIGHT
BLOCK_WIDTH = 156 * MM
BINDING = 28 * MM                   # 订口 28 mm
BODY_SIZE = 15.75                   # 三号
LINE_PITCH = 29.0                   # 22 lines in 225 mm
LINES_PER_PAGE = 22
PAGE_NUMBER_SIZE = 14.0             # 四号
PAGE_NUMBER_GAP = 7 * MM            # §7.5: 一字线上距版心下边缘 7 mm
PAGE_NUMBER = re.compile(r"^—\s*(\d+)\s*—$")
# The 征求意见稿 mark of an edition not signed off (lib/beichen/audit/status.py): in the top margin, centred
# 20 mm from the sheet's top edge (latex/beichen-report.sty), outside the block like the page number.
STATUS_MARK = "征求意见稿"
STATUS_MARK_TOP = 20 * MM
CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass
class Line:
    text: str
    x0: float
    x1: float
    top: float
    baseline: float
    bottom: float
    size: float
    fonts: set[str] = field(default_factory=set)
    #: set in a chart: the charts print in the document's 黑体 (lib/beichen/render/charts.py, print_face), so
    #: their text is told by where its font comes from, the chart PDF placed as a form (_chart_fonts)
    in_chart: bool = False


@dataclass
class PageLayout:
    index: int                      # 0-based physical page
    lines: list[Line]
    number: Line | None             # the page-number line, if any
    graphics_bottom: float          # lowest drawing/image inside the page
    graphics_top: float

    @property
    def body(self) -> list[Line]:
        """Lines of running text: 三号, not chart text, not the page number."""
        return [l for l in self.lines if abs(l.size - BODY_SIZE) < 0.3 and not l.in_chart]

    @property
    def content_bottom(self) -> float:
        ys = [l.bottom for l in self.lines] + [self.graphics_bottom]
        return max(ys) if ys else 0.0

    @property
    def fill(self) -> float:
        """How far down the block the page's content reaches (0 = empty, 1 = full)."""
        if not self.lines and self.graphics_bottom <= 0:
            return 0.0
        return max(0.0, min(1.0, (self.content_bottom - BLOCK_TOP) / BLOCK_HEIGHT))

    def body_baselines(self) -> list[float]:
        return sorted({round(l.baseline, 1) for l in self.body})

    def block_left(self) -> float:
        """Left edge of the text block: binding margin on right-hand (odd) sheets, outer margin on
        left-hand (even) ones. Printed on both sides, a page's number and its place in the file have
        the same parity (the front matter is padded to a right-hand page, latex/beichen-report.sty)."""
        odd = (self.index + 1) % 2 == 1
        return BINDING if odd else 210 * MM - BINDING - BLOCK_WIDTH

    @property
    def number_value(self) -> int | None:
        if self.number is None:
            return None
        m = PAGE_NUMBER.match(self.number.text.strip())
        return int(m.group(1)) if m else None


def _chart_fonts(page: pymupdf.Page) -> set[str]:
    """The fonts of the chart PDFs on the page: those a Form XObject (an included PDF) refers to, by
    their subset names (ABCDEF+FandolHei-Regular), which tell them from the document's own."""
    return {re.sub(r"-Identity-H$", "", f[3]) for f in page.parent.get_page_fonts(page.number, full=True) if f[-1]}


def _lines(page: pymupdf.Page) -> list[Line]:
    out = []
    charts = _chart_fonts(page)
    pymupdf.TOOLS.set_subset_fontnames(True)   # span fonts with their subset prefix, as in _chart_fonts
    try:
        blocks = page.get_text("dict")["blocks"]
    finally:
        pymupdf.TOOLS.set_subset_fontnames(False)
    for block in blocks:
        if block["type"] != 0:
            continue
        for line in block["lines"]:
            spans = [s for s in line["spans"] if s["text"].strip()]
            if not spans:
                continue
            size = max(s["size"] for s in spans)
            baseline = max(s["origin"][1] for s in spans)
            out.append(Line(text="".join(s["text"] for s in line["spans"]).strip(),
                            x0=line["bbox"][0], x1=line["bbox"][2], top=line["bbox"][1],
                            baseline=baseline, bottom=line["bbox"][3], size=size,
                            fonts={s["font"] for s in spans},
                            in_chart=any(s["font"] in charts for s in spans)))
    return out


def measure(pdf_path) -> list[PageLayout]:
    doc = pymupdf.open(str(pdf_path))
    pages = []
    for page in doc:
        lines = _lines(page)
        number = None
        for l in lines:
            if l.top > BLOCK_BOTTOM and PAGE_NUMBER.match(l.text):
                number = l
        if number is not None:
            lines = [l for l in lines if l is not number]
        marks = [l for l in lines if l.text == STATUS_MARK and l.bottom < BLOCK_TOP]
        lines = [l for l in lines if l not in marks]
        rects = [d["rect"] for d in page.get_drawings()] + [r for img in page.get_images()
                                                           for r in page.get_image_rects(img[0])]
        rects = [r for r in rects if r.y1 < page.rect.height - 1 and r.height < page.rect.height - 2]
        pages.append(PageLayout(page.number, lines, number,
                                max([r.y1 for r in rects], default=0.0),
                                min([r.y0 for r in rects], default=0.0)))
    return pages


def chapter_start_pages(pdf_path) -> set[int]:
    """0-based pages on which a chapter (outline level 1) starts."""
    return {p - 1 for level, _title, p in pymupdf.open(str(pdf_path)).get_toc() if level == 1}


def body_pages(pages: list[PageLayout]) -> list[PageLayout]:
    """The numbered pages (the title page and 目录 carry no number)."""
    return [p for p in pages if p.number is not None]


GRID_FIRST_BASELINE = BLOCK_TOP + 21.0    # see latex/beichen-report.sty (\\topskip)


def grid_offsets(page: PageLayout, first: float | None = GRID_FIRST_BASELINE) -> list[float]:
    """Distance of each body baseline from the nearest line of the page grid (bp).

    The grid's lines are 29 bp apart; its phase is the first baseline of a full page,
    37 mm + 21 bp (latex/beichen-report.sty), or with first=None the page's own first
    body baseline (lines in step with each other, wherever the page starts)."""
    baselines = page.body_baselines()
    if first is None:
        first = baselines[0] if baselines else 0.0
    out = []
    for y in baselines:
        k = round((y - first) / LINE_PITCH)
        out.append(abs(y - first - k * LINE_PITCH))
    return out


def stranded_lines(pages: list[PageLayout], chapter_starts: set[int]) -> list[str]:
    """Widows, orphans and headings stranded at a page break, as messages.

    A paragraph's first line is indented two characters (or is a list item, set out
    from the margin); a paragraph's last line ends short of the right edge.
    - orphan: the last body line of a page starts a paragraph and runs to the right edge
      (so the paragraph goes on overleaf);
    - widow: the first body line of a page is not a paragraph start and ends short (the
      paragraph's only line here, carried over);
    - heading last: the page's last body line is in 黑体 or 楷体 (a heading) and the next page
      is not a new chapter.
    """
    problems = []
    for i, page in enumerate(pages[:-1]):
        nxt = pages[i + 1]
        body, next_body = _flow(page), _flow(nxt)
        if not body or not next_body:
            continue
        left = min(l.x0 for l in body)
        right = max(l.x1 for l in body)
        last, first = body[-1], next_body[0]
        next_left = min(l.x0 for l in next_body)
        next_right = max(l.x1 for l in next_body)
        starts_paragraph = last.x0 > left + BODY_SIZE * 1.2
        runs_on = last.x1 > right - BODY_SIZE * 1.2
        continues = first.x0 < next_left + BODY_SIZE * 0.5
        if nxt.index in chapter_starts:
            continue
        # a heading followed on its page by its table (小四 cells below it) is not stranded
        followed = any(abs(l.size - 12.0) < 0.3 and not l.in_chart and l.top > last.bottom for l in page.lines)
        if any("Hei" in f or "Kai" in f for f in last.fonts) and not followed:
            problems.append(f"p{page.index + 1}: heading last on the page: {last.text[:20]}")
        elif starts_paragraph and runs_on and continues:
            problems.append(f"p{page.index + 1}: a paragraph's first line alone at the foot: {last.text[:20]}")
        if continues and first.x1 < next_right - BODY_SIZE * 1.2 and runs_on:
            second_same_paragraph = len(next_body) > 1 and next_body[1].x0 < next_left + BODY_SIZE * 0.5
            if not second_same_paragraph or True:
                problems.append(f"p{nxt.index + 1}: a paragraph's last line alone at the head: {first.text[:20]}")
    return problems


def _flow(page: PageLayout) -> list[Line]:
    """Body lines in reading order (by baseline), one per baseline (the leftmost)."""
    by_y: dict[float, Line] = {}
    for l in sorted(page.body, key=lambda l: (round(l.baseline, 1), l.x0)):
        by_y.setdefault(round(l.baseline, 1), l)
    return [by_y[y] for y in sorted(by_y)]


def table_single_character_lines(page: PageLayout) -> list[str]:
    """Lines of a table cell (小四, 12 bp) that hold one CJK character carried over from the line above.

    A table row's lines share their baselines across columns: a line in some column is a
    carried-over part of its cell when a line of the same column stands one cell-line (18 bp)
    above it and at least one column that had text on that line above has none on this one
    (in a new row every column starts on the same baseline)."""
    cells = [l for l in page.lines if abs(l.size - 12.0) < 0.3 and not l.in_chart]
    at = {}
    for l in cells:
        at.setdefault(round(l.baseline), []).append(l)
    found = []
    for l in cells:
        text = l.text.strip()
        if not (len(text) == 1 and CJK.match(text)):
            continue
        above_y = [y for y in at if 16 <= round(l.baseline) - y <= 20]
        if not above_y:
            continue
        above = at[above_y[0]]
        if not any(abs(a.x0 - l.x0) < 2 for a in above):
            continue
        here_x = [h.x0 for h in at[round(l.baseline)]]
        if any(all(abs(a.x0 - x) > 2 for x in here_x) for a in above):
            found.append(f"p{page.index + 1}: “{text}” alone under “{[a.text for a in above if abs(a.x0 - l.x0) < 2][0]}”")
    return found


# Heading levels of GB/T 9704 §7.3.3 as the report numbers them: "一、" 黑体, "（一）" 楷体, "1．" 仿宋 bold.
HEADING_LEVELS = {1: re.compile(r"^[一二三四五六七八九十]+、"), 2: re.compile(r"^（[一二三四五六七八九十]+）"),
                  3: re.compile(r"^\d{1,2}[.．](?!\d*%)")}


def stroked_origins(pdf_path, index: int) -> set[tuple[int, int]]:
    """Where the characters drawn with a stroke (xdvipdfmx's FakeBold: the fill and then a stroke of the
    same glyphs) stand on a page, as rounded (x, y) origins."""
    page = pymupdf.open(str(pdf_path))[index]
    return {(round(c[2][0]), round(c[2][1])) for span in page.get_texttrace() if span["type"] == 1
            for c in span["chars"]}


def headings(pdf_path, pages: list[PageLayout]) -> list[dict]:
    """The headings of the body (three levels), each with its level, page, font, size, bold and x."""
    found = []
    for page in body_pages(pages):
        stroked = None
        left = text_left(page) or page.block_left()
        indent = left + 2 * BODY_SIZE
        for line in page.body:
            for level, pattern in HEADING_LEVELS.items():
                # a heading starts a paragraph: at the two-character indent, or anywhere left of it
                # (a number hung into the indent or margin); a line carried on starts at the margin
                if pattern.match(line.text) and line.x0 < indent + 1 and (level < 3 or line.x0 > left + 1
                                                                          or line.x0 < left - 1):
                    if stroked is None:
                        stroked = stroked_origins(pdf_path, page.index)
                    first = _first_char_origin(pdf_path, page.index, line)
                    found.append({"level": level, "page": page.index + 1, "text": line.text[:14],
                                  "font": sorted(line.fonts)[0], "size": round(line.size, 1),
                                  "bold": first in stroked, "indent": round((line.x0 - left) / BODY_SIZE, 2)})
    return found


def _first_char_origin(pdf_path, index: int, line: Line) -> tuple[int, int] | None:
    page = pymupdf.open(str(pdf_path))[index]
    for span in page.get_texttrace():
        for c in span["chars"]:
            if abs(c[2][1] - line.baseline) < 1 and abs(c[3][0] - line.x0) < 1:
                return (round(c[2][0]), round(c[2][1]))
    return None


def text_left(page: PageLayout) -> float | None:
    """The left edge of a page's running text: where its full 三号 lines (nine tenths of the block wide)
    start, or of the 目录's entries (四号) on a page with no running text."""
    # (a line that opens with a bracket or quote is left out: the glyph's blank half is set into the margin)
    # (nineteen twentieths: a paragraph's indented first line, 2 characters short, is not full)
    full = [l.x0 for l in page.body if l.x1 - l.x0 > 0.95 * BLOCK_WIDTH and l.text[:1] not in "（“‘《〔【「『"]
    if not full:   # no full line: a paragraph's carried-on line, at the margin (not an indented start)
        full = [l.x0 for l in page.body if abs(l.x0 - page.block_left()) < BODY_SIZE / 2]
    if not full and page.number is None:
        full = [l.x0 for l in page.lines if l.x1 - l.x0 > 0.9 * BLOCK_WIDTH and abs(l.size - 14) < 0.3]
    return min(full) if full else None


def text_right(page: PageLayout) -> float | None:
    """The right edge of a page's running text: where most of its full 三号 lines that end in a Chinese
    character end (a line ending in punctuation or a Latin run may end a little further out)."""
    from collections import Counter

    ends = Counter(round(l.x1, 0) for l in page.body if l.x1 - l.x0 > 0.9 * BLOCK_WIDTH and CJK.match(l.text[-1:]))
    return ends.most_common(1)[0][0] if ends else None


def chart_text_sizes(pages: list[PageLayout]) -> dict[float, list[str]]:
    sizes: dict[float, list[str]] = {}
    for page in pages:
        for l in page.lines:
            if l.in_chart:
                sizes.setdefault(round(l.size, 1), []).append(f"p{page.index + 1}: {l.text[:16]}")
    return sizes


def report(pdf_path) -> str:
    pages = measure(pdf_path)
    starts = chapter_start_pages(pdf_path)
    body = body_pages(pages)
    out = [f"{pdf_path}: {len(pages)} pages, {len(body)} numbered",
           "page no lines last-baseline(mm) below-block(mm) fill grid-off(max bp)"]
    below, over, empty = [], [], []
    for p in pages:
        bl = p.body_baselines()
        last = max([l.baseline for l in p.lines], default=0)
        excess = (last - BLOCK_BOTTOM) / MM
        offs = grid_offsets(p)
        out.append(f"{p.index + 1:3d} {p.number_value or '-':>3} {len(bl):3d} {last / MM:7.1f} "
                   f"{excess:+6.1f} {p.fill:5.0%} {max(offs, default=0):5.1f}")
        if p.number is not None and excess > 0:
            below.append(p.index + 1)
        if len(bl) > LINES_PER_PAGE:
            over.append(p.index + 1)
        if p.number is not None and p.fill < 2 / 3 and p is not pages[-1]:
            empty.append(p.index + 1)
    out.append(f"pages with text below the 225 mm block: {below}")
    out.append(f"pages with more than {LINES_PER_PAGE} body lines: {over}")
    out.append(f"pages (but the last) more than a third empty: {empty}")
    out.append("stranded: " + "; ".join(stranded_lines(body, starts)))
    singles = [s for p in pages for s in table_single_character_lines(p)]
    out.append(f"table cells with a single CJK character on a line: {len(singles)}: " + "; ".join(singles[:12]))
    sizes = chart_text_sizes(pages)
    out.append("chart text sizes (bp): " + ", ".join(f"{k}×{len(v)}" for k, v in sorted(sizes.items())))
    nums = [p.number for p in body]
    fonts = sorted({f for n in nums for f in n.fonts})
    out.append(f"page-number fonts: {fonts}; sizes {sorted({round(n.size, 1) for n in nums})}")
    for p in body[:2]:
        out.append(f"  page {p.number_value}: x0={p.number.x0 / MM:.1f} mm x1={p.number.x1 / MM:.1f} mm "
                   f"dash centre {dash_centre(pdf_path, p.index) / MM:.1f} mm from top")
    for label, first in [("the page grid (37 mm + 21 bp + k·29 bp)", GRID_FIRST_BASELINE),
                         ("the page's own first line", None)]:
        offs = [o for p in body for o in grid_offsets(p, first)]
        out.append(f"body lines within ±1 bp of {label}: {sum(o < 1.0 for o in offs)}/{len(offs)}")
    return "\n".join(out)


def dash_centre(pdf_path, index: int) -> float:
    """Vertical centre (bp from the top) of the first dash of the page number on a page."""
    page = pymupdf.open(str(pdf_path))[index]
    for block in page.get_text("rawdict")["blocks"]:
        for line in block.get("lines", []):
            for span in line["spans"]:
                for ch in span["chars"]:
                    if ch["c"] == "—" and ch["bbox"][1] > BLOCK_BOTTOM:
                        # the glyph box is the font's full height; the dash is drawn at the
                        # middle of the em box's x-height band: read it from the drawn outline
                        return _dash_ink_centre(page, pymupdf.Rect(ch["bbox"]))
    return float("nan")


def _dash_ink_centre(page: pymupdf.Page, box: pymupdf.Rect) -> float:
    """Centre of the dark pixels of a glyph box (the dash's stroke), rendered at 600 dpi."""
    zoom = 600 / 72
    pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), clip=box, colorspace=pymupdf.csGRAY)
    rows = [y for y in range(pix.height)
            if any(pix.pixel(x, y)[0] < 128 for x in range(0, pix.width, 2))]
    if not rows:
        return float("nan")
    return box.y0 + (min(rows) + max(rows) + 1) / 2 / zoom


if __name__ == "__main__":
    print(report(sys.argv[1]))
