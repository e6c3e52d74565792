"""The 2024 charts as printed (issue 24, item 2): measured on the chart PDFs vl-convert makes.

- black and white: every category of a chart's legend has its own grey (rendered in grayscale),
  and every filled mark in a category's grey is one of that category's data rows, so no
  background can be read as data (the 0–100% track of 图1-3 took the grey of “快于序时进度”);
- no collisions: no text's box meets another text, a line (reference line, tick, axis) or the
  edge of a bar; a label inside a bar lies wholly inside it;
- type: chart text is set in the print style's 黑体 (latex/beichen-report.sty's pick).
"""
from __future__ import annotations

import itertools

import pymupdf
import pytest

from beichen.model.edition import Edition
from beichen.render import chart_data as cd
from beichen.render import charts

DPI = 144
#: Least difference in grey (0 black … 255 white) between two categories: a fifth of the scale
#: (the steps a photocopy keeps apart).
MIN_GREY_STEP = 51


def _build(edition: Edition) -> dict[str, tuple[charts.ReportChart, object, str | None]]:
    """The report's seven charts of an edition as the chapters make them (caption irrelevant here),
    each with its frame and the frame's column of legend categories."""
    out = {}
    f, t = cd.completion(edition)
    out["图1-1"] = (charts.completion_chart(f, "核心指标完成度", t), f, "status")
    f, t = cd.before_after(edition)
    out["图1-2"] = (charts.before_after_chart(f, "对比", t), f, None)
    f, t = cd.progress(edition)
    out["图1-3"] = (charts.progress_chart(f, "核心指标目标进度与序时进度", t), f, "schedule")
    f, t, combined = cd.chains(edition)
    out["图2-1"] = (charts.chains_chart(f, "产业链产值与占比", t, combined_share_pct=combined,
                                        **cd.large_chains_chart_args(edition)), f, "over_100")
    f, t = cd.chain_growth(edition)
    out["图2-2"] = (charts.chain_growth_chart(f, "产业链产值同比增速", t), f, None)
    f, t = cd.ladder(edition)
    out["图3-1"] = (charts.ladder_chart(f, "企业梯度培育", t), f, None)
    f, t = cd.snapshot(edition)
    out["图4-1"] = (charts.snapshot_chart(f, "规上工业主要指标增速", t), f, None)
    return out


@pytest.fixture(scope="module")
def printed(report_data):
    """number → (chart, frame, category column, the first page of its print PDF)."""
    charts.set_caption_mode("sphinx")   # as the book prints them: LaTeX sets the caption
    try:
        built = _build(Edition(report_data, 2024))
        return {n: (c, f, col, pymupdf.open(stream=charts.print_pdf(c.print_spec))[0])
                for n, (c, f, col) in built.items()}
    finally:
        charts.set_caption_mode("self")


# -- geometry of a chart PDF ----------------------------------------------------------------------

def _text_boxes(page) -> list[tuple[str, pymupdf.Rect]]:
    """Each span's glyph box: its width, and 0.84 em about its centre line (the span's own box runs
    from the font's ascender to its descender, taller than the glyphs and than a line of a
    multi-line header)."""
    out = []
    for block in page.get_text("dict")["blocks"]:
        for line in block.get("lines", []):
            for span in line["spans"]:
                if not span["text"].strip():
                    continue
                x0, y0, x1, y1 = span["bbox"]
                mid, half = (y0 + y1) / 2, span["size"] * 0.42
                out.append((span["text"], pymupdf.Rect(x0 + 0.3, mid - half, x1 - 0.3, mid + half)))
    return out


def _lines(page) -> list[tuple[pymupdf.Point, pymupdf.Point]]:
    """Every stroked straight segment (rules, ticks, axes, dashes) that is not a rectangle's edge."""
    return [(item[1], item[2]) for d in page.get_drawings() if d.get("color") is not None
            for item in d["items"] if item[0] == "l"]


def _filled_rects(page) -> list[tuple[pymupdf.Rect, tuple]]:
    """Filled rectangles (bars, legend swatches), without the chart's white background."""
    rects = []
    for d in page.get_drawings():
        if d.get("fill") is None or d["rect"].width * d["rect"].height <= 0:
            continue
        if d["rect"].width * d["rect"].height > 0.8 * page.rect.width * page.rect.height:
            continue   # the canvas
        rects.append((d["rect"], d["fill"]))
    return rects


def _crosses(a: pymupdf.Point, b: pymupdf.Point, box: pymupdf.Rect) -> bool:
    """Whether segment ab passes through box (the charts' lines are vertical or horizontal)."""
    seg = pymupdf.Rect(min(a.x, b.x), min(a.y, b.y), max(a.x, b.x), max(a.y, b.y))
    return seg.x0 < box.x1 and seg.x1 > box.x0 and seg.y0 < box.y1 and seg.y1 > box.y0


def _grey(pix: pymupdf.Pixmap, rect: pymupdf.Rect) -> int:
    """Grey of a rectangle's middle in the grayscale rendering."""
    c = (rect.tl + rect.br) / 2
    return pix.pixel(int(c.x * DPI / 72), int(c.y * DPI / 72))[0]


def _fill_grey(fill) -> int:
    """The grey a fill prints in (ITU-R BT.601 luma, as a grayscale rendering computes it)."""
    r, g, b = fill
    return round(255 * (0.299 * r + 0.587 * g + 0.114 * b))


def _legend(page, words) -> dict[str, pymupdf.Rect]:
    """word → its legend swatch: the filled square ending just left of the word's text."""
    texts = _text_boxes(page)
    out = {}
    for word in words:
        box = next(b for t, b in texts if t.strip() == word)
        out[word] = next(r for r, _ in _filled_rects(page)
                         if r.width < 16 and r.height < 16 and 0 <= box.x0 - r.x1 < 12
                         and abs((r.y0 + r.y1) / 2 - (box.y0 + box.y1) / 2) < 4)
    return out


# -- black and white ------------------------------------------------------------------------------

def _categories(frame, column) -> dict[str, int]:
    """Legend word → number of the frame's rows (data bars) in that category."""
    if column == "over_100":   # chains_chart's classes (its docstring): 超百亿元产业链 / 其他产业链
        words = ["超百亿元产业链" if o else "其他产业链" for o in frame["over_100"]]
    else:
        words = [str(w) for w in frame[column]]
    return {w: words.count(w) for w in dict.fromkeys(words)}


LEGENDS = ["图1-1", "图1-3", "图2-1"]


@pytest.mark.parametrize("number", LEGENDS)
def test_every_category_has_its_own_grey(printed, number):
    chart, frame, column, page = printed[number]
    pix = page.get_pixmap(dpi=DPI, colorspace=pymupdf.csGRAY)
    swatches = _legend(page, _categories(frame, column))
    greys = {w: _grey(pix, r) for w, r in swatches.items()}
    assert len(greys) >= 2, greys
    for (w1, g1), (w2, g2) in itertools.combinations(greys.items(), 2):
        assert abs(g1 - g2) >= MIN_GREY_STEP, f"{number}: {w1} {g1} vs {w2} {g2}"


@pytest.mark.parametrize("number", LEGENDS)
def test_every_mark_in_a_categorys_grey_is_a_data_row_of_it(printed, number):
    """Count the filled rectangles of each category's grey (less its legend swatch): as many as
    the frame's rows in that category. A background bar in a category's grey adds to the count."""
    chart, frame, column, page = printed[number]
    expected = _categories(frame, column)
    swatches = _legend(page, expected)
    greys = {w: next(_fill_grey(f) for r, f in _filled_rects(page) if r == s) for w, s in swatches.items()}
    bars = [(r, f) for r, f in _filled_rects(page) if r not in swatches.values()]
    found = {w: sum(abs(_fill_grey(f) - g) < 3 for _, f in bars) for w, g in greys.items()}
    assert found == expected, number


def test_the_progress_chart_has_no_track_behind_its_bars(printed):
    """图1-3 in 2024: four indicators ahead of schedule, one behind (表1-3: 战略性新兴产业增加值占比
    48.0% against a 序时进度 of 60%, 慢于序时进度): one hollow bar, and no rectangle but
    the bars, the ticks and the two legend swatches."""
    chart, frame, column, page = printed["图1-3"]
    rects = _filled_rects(page)
    white = [r for r, f in rects if _fill_grey(f) > 250]
    assert len(white) == 2, white           # the behind indicator's bar and its legend swatch
    ticks = [r for r, f in rects if _fill_grey(f) < 5]
    assert len(ticks) == 5                  # one 序时进度 tick per indicator
    assert len(rects) == 5 + 5 + 2


# -- collisions -----------------------------------------------------------------------------------

@pytest.mark.parametrize("number", ["图1-1", "图1-2", "图1-3", "图2-1", "图2-2", "图3-1", "图4-1"])
def test_no_text_meets_another_text_a_line_or_a_bar_edge(printed, number):
    chart, frame, column, page = printed[number]
    texts = _text_boxes(page)
    problems = [f"“{t1}” on “{t2}”" for (t1, b1), (t2, b2) in itertools.combinations(texts, 2)
                if b1.intersects(b2)]
    problems += [f"a line through “{t}”" for t, b in texts for a, z in _lines(page) if _crosses(a, z, b)]
    problems += [f"“{t}” across the edge of a bar" for t, b in texts for r, _ in _filled_rects(page)
                 if r.intersects(b) and not r.contains(b)]
    assert not problems, f"{number}: {problems[:6]}"


def test_labels_the_issue_names_stand_clear(printed):
    """The collisions of issue 24: 图1-1's target line through “90.5%”, 图2-1's 100亿元 line through
    “69.2亿元”, 图3-1's “184家” wider than its bar (source: 90.5% = 战略性新兴产业增加值占比
    completion, 69.2亿元 中医药产业链, 184家 专精特新中小企业)."""
    for number, label in (("图1-1", "90.5%"), ("图2-1", "69.2亿元"), ("图3-1", "184家")):
        page = printed[number][3]
        boxes = [b for t, b in _text_boxes(page) if label in t]
        assert boxes, (number, label)
        box = boxes[0]
        assert not any(_crosses(a, z, box) for a, z in _lines(page)), (number, label)
        assert not any(r.intersects(box) and not r.contains(box) for r, _ in _filled_rects(page)), (number, label)


# -- type -----------------------------------------------------------------------------------------

def test_the_print_face_is_the_styles_heiti():
    """latex/beichen-report.sty picks 黑体 from 黑体, SimHei, 方正黑体_GBK, FZHei-B01, else
    FandolHei-Regular.otf: the charts take the same list."""
    candidates, fallback = charts._style_pick()
    assert candidates[:2] == ["黑体", "SimHei"] and fallback == "FandolHei-Regular.otf"
    assert charts.print_face() in candidates + ["FandolHei"]


def test_chart_text_is_in_the_print_face(printed):
    """No Noto (the website's face) on paper; with Fandol as the print face, FandolHei alone (an
    office 黑体 embeds under its PostScript name, e.g. SimHei, which the style's list does not give)."""
    for number, (_, _, _, page) in printed.items():
        fonts = {span["font"] for b in page.get_text("dict")["blocks"] for l in b.get("lines", [])
                 for span in l["spans"] if span["text"].strip()}
        assert fonts and not any("Noto" in f for f in fonts), (number, fonts)
        if charts.print_face() == "FandolHei":
            assert fonts == {"FandolHei-Regular"}, (number, fonts)


@pytest.mark.parametrize("number", ["图1-1", "图1-2", "图1-3", "图2-1", "图2-2", "图3-1", "图4-1"])
def test_every_text_in_the_pdf_is_visible(printed, number):
    """Vega hides axis labels that would overlap by making them transparent, and the PDF keeps
    them as text a reader cannot see but search and copy find: every span must print some ink."""
    page = printed[number][3]
    pix = page.get_pixmap(dpi=DPI, colorspace=pymupdf.csGRAY)
    invisible = []
    for text, box in _text_boxes(page):
        ink = min(pix.pixel(x, y)[0] for x in range(int(box.x0 * DPI / 72), int(box.x1 * DPI / 72))
                  for y in range(int(box.y0 * DPI / 72), int(box.y1 * DPI / 72)))
        if ink > 128:
            invisible.append(text)
    assert not invisible, f"{number}: {invisible}"
