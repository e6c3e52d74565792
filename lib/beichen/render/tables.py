"""Formatted report tables, emitted as MyST Markdown so the same table renders in HTML and LaTeX.

A table is a pandas DataFrame of *already formatted* text cells (units, decimals, status words);
`markdown_table` wraps it in a numbered ``{table}`` directive with a caption.
"""
from __future__ import annotations

import math
import re
from functools import lru_cache

import pandas as pd

from beichen import formatting as fmt
from beichen.render import escape, print_text
from beichen.model.edition import Edition, IndicatorView


def _cell(x) -> str:
    """A cell shown as text: names and sources from the data are escaped, never markup; a pending
    passage (表1-1's 突出成效) shows its mark as plain words, not as literal “**”."""
    from beichen.render.narrative import plain_text

    text = fmt.MISSING if x is None or (isinstance(x, float) and x != x) else plain_text(x)
    return escape.myst(text)


# Long tables break across PDF pages with their header rows repeated.
LONGTABLE_ROWS = 12


# --- Column widths for the PDF, from the content --------------------------------------------
# Cells are set in 小四 (12 bp) in a 442 bp text block, 4 bp padding either side of a column
# (latex/beichen-report.sty). In the PDF a cell breaks only between words: the LaTeX builder marks
# every place inside a word where xeCJK would otherwise break (beichen.render.print_text, applied by
# lib/beichen/pdf/composition.py), so the widths below are chosen by breaking the same words greedily
# as TeX does, and so that no line of a cell holds a single CJK character.
CELL_BP = 12.0
TEXT_BP = 442.0
PAD_BP = 8.0
ECGLUE = 0.15                                  # xeCJK's CJK–Latin glue, in em
NO_LINE_START = print_text.NO_LINE_START
NO_LINE_END = print_text.NO_LINE_END
_NARROW = {".": 0.28, ",": 0.28, ":": 0.28, ";": 0.28, "/": 0.4, "|": 0.3, "-": 0.35, "+": 0.6,
           "%": 0.85, " ": 0.33, "(": 0.35, ")": 0.35}


def _is_cjk(ch: str) -> bool:
    return ord(ch) > 0x2E80


def _char_em(ch: str) -> float:
    """Advance width in em of a character in the table faces (FandolFang/FandolHei)."""
    if _is_cjk(ch):
        return 1.0
    if ch.isdigit():
        return 0.5
    return _NARROW.get(ch, 0.55)


@lru_cache(maxsize=65536)
def _runs(text: str) -> tuple[str, ...]:
    """Pieces of one width rule in order: one CJK character, or a run of Latin/digits; spaces apart
    (what xeCJK puts its CJK–Latin glue between)."""
    return tuple(m.group(0) for m in re.finditer(r"\s+|[^\s\u2e80-\U0010ffff]+|.", str(text)))


def _atoms(text: str) -> tuple[str, ...]:
    """The unbreakable pieces of a cell in print: its words (print_text.words), spaces apart."""
    return print_text.words(str(text))


def _atom_width(atom: str) -> float:
    return sum(_char_em(c) for c in atom) * CELL_BP


def _glue(left: str, right: str) -> float:
    """xeCJK's glue between a CJK character and a Latin/digit run (bp)."""
    return ECGLUE * CELL_BP if left and right and _is_cjk(left[-1]) != _is_cjk(right[0]) else 0.0


def _wrap_pieces(pieces, width_bp: float) -> list[str] | None:
    """Greedy line filling as TeX does for ragged-right text; None if an unbreakable run is
    wider than the line. No break before closing or after opening punctuation: such pieces
    are joined into one unbreakable unit first."""
    lines: list[str] = []
    cur, cur_w, cur_last_cjk = "", 0.0, None  # cur_last_cjk: of cur's last non-space character
    limit = width_bp + 0.01
    for unit, w, first_cjk, last_cjk in _units(tuple(pieces)):
        if unit == " ":
            if cur:
                cur += " "
                cur_w += 0.33 * CELL_BP
            continue
        if w > limit:
            return None
        glue = ECGLUE * CELL_BP if cur_last_cjk is not None and cur_last_cjk != first_cjk else 0.0
        if cur and cur_w + glue + w > limit:
            lines.append(cur.rstrip())
            cur, cur_w = unit, w
        else:
            cur, cur_w = cur + unit, cur_w + glue + w
        cur_last_cjk = last_cjk
    if cur:
        lines.append(cur.rstrip())
    return lines


@lru_cache(maxsize=65536)
def _units(pieces: tuple[str, ...]) -> tuple[tuple[str, float, bool, bool], ...]:
    """The unbreakable units of a cell with their widths and whether they start and end with a CJK
    character (for the glue), measured once: the column search fills the same cell at many widths."""
    units: list[str] = []
    for piece in pieces:
        if piece.isspace():
            units.append(" ")
            continue
        prev = units[-1] if units else ""
        if prev and prev != " " and (piece[0] in NO_LINE_START or prev[-1] in NO_LINE_END):
            units[-1] = prev + piece
        else:
            units.append(piece)
    return tuple((u, 0.0, False, False) if u == " " else (u, _unit_width(u), _is_cjk(u[0]), _is_cjk(u[-1]))
                 for u in units)


@lru_cache(maxsize=65536)
def _unit_width(unit: str) -> float:
    """Width of an unbreakable unit (atoms joined by punctuation rules), glue included."""
    total, prev = 0.0, ""
    for atom in _runs(unit):
        total += _glue(prev, atom) + _atom_width(atom)
        prev = atom
    return total


def wrap_cell(text: str, width_bp: float) -> list[str] | None:
    """The lines LaTeX makes of a body cell in a column width_bp wide (None: does not fit)."""
    return _wrap_pieces(_atoms(text), width_bp)


def _lonely(line: str) -> bool:
    """A line that holds a single CJK character, perhaps with closing punctuation ("链",
    "元）"); a bracketed unit on its own line ("（家）") is a word, not a lonely character."""
    core = line.strip().rstrip("".join(NO_LINE_START))
    return len(core) == 1 and _is_cjk(core)


@lru_cache(maxsize=65536)
def cell_fit(text: str, width_bp: float) -> tuple[int, int, int] | None:
    """How a cell sets at width_bp: (lines, lines holding a single CJK character, breaks inside
    a word), or None if it does not fit (a word wider than the column).

    A cell breaks only between its words (print_text.words), so the third count is 0: it is kept
    for the callers that weigh it. A cell of a word or two ("不一致", "超额完成") is never broken."""
    text = str(text)
    if not text.strip():   # an empty cell (a definition not written) takes one line at any width
        return 1, 0, 0
    lines = wrap_cell(text, width_bp)
    if lines is None:
        return None
    if len(lines) == 1:
        return 1, 0, 0
    if len(text.strip()) <= SHORT_CELL:
        return None
    return len(lines), sum(_lonely(l) for l in lines), 0


def cell_lines(text: str, width_bp: float) -> int | None:
    """Lines a cell takes at width_bp, or None if that width is not acceptable for it: too
    narrow, a single CJK character on a line, or a break inside a word."""
    fit = cell_fit(text, width_bp)
    if fit is None or fit[1] or fit[2]:
        return None
    return fit[0]


#: Cells this short (characters) stay on one line.
SHORT_CELL = 4

#: What a worse break costs, in table lines: a single character on a line is never worth
#: saving width; a break inside a word only when nothing else fits.
LONELY_COST = 10000
MIDWORD_COST = 20


class _ColumnFit(list):
    """How every cell of a column sets at one width (cell_fit per cell), with the column's line
    counts and flaw cost summed once: the search compares thousands of such columns."""

    def __init__(self, fits: list[tuple[int, int, int]]):
        super().__init__(fits)
        self.lines = tuple(f[0] for f in fits)
        self.flaws = sum(LONELY_COST * f[1] + MIDWORD_COST * f[2] for f in fits)


#: Set by the build (lib/beichen/publish/build.py): a folder of column widths already worked out, by the SHA-256
#: of the table's cells, the text width and this module's source (a change of the rules is a new key).
WIDTHS_CACHE_ENV = "BEICHEN_WIDTHS_CACHE"


def latex_widths(frame: pd.DataFrame, text_bp: float = TEXT_BP, pad_bp: float = PAD_BP) -> list[int]:
    """Column widths for the PDF (latex_widths_uncached), kept between builds for the text block."""
    if (text_bp, pad_bp) == (TEXT_BP, PAD_BP):
        return table_layout(frame)[0]
    return latex_widths_uncached(frame, text_bp, pad_bp)


def table_layout(frame: pd.DataFrame) -> tuple[list[int], bool]:
    """(column widths, whether it breaks across pages as a longtable), or what the same table got
    in an earlier build: the search takes up to a second for a long table, and most tables of a
    rebuild are unchanged."""
    import json

    from beichen.files import cached, code_digest

    columns = len(frame.columns)

    def make() -> bytes:
        widths = latex_widths_uncached(frame)
        longtable = len(frame) > LONGTABLE_ROWS or printed_height(frame, widths) > FLOAT_MAX_BP
        return json.dumps([widths, longtable]).encode("utf-8")

    def valid(data: bytes) -> bool:
        try:
            widths, longtable = json.loads(data)
        except (ValueError, TypeError):
            return False
        return (isinstance(widths, list) and len(widths) == columns and all(isinstance(w, int) for w in widths)
                and isinstance(longtable, bool))

    cells = [[str(c)] + [str(v) for v in frame[c]] for c in frame.columns]
    # The layout rules are this module's: a change to them is not answered from the cache.
    # (and the words print_text makes)
    key = [cells, code_digest(__name__, print_text.__name__)]
    widths, longtable = json.loads(cached(WIDTHS_CACHE_ENV, key, ".json", make, valid))
    return widths, longtable


def latex_widths_uncached(frame: pd.DataFrame, text_bp: float = TEXT_BP, pad_bp: float = PAD_BP) -> list[int]:
    """Column widths (bp, used by LaTeX as relative shares of the text width) from the content.

    Every column starts as wide as its longest cell and header on one line; while the table is
    wider than the text block, one column narrows: the one (and the width) that costs least
    per bp saved, the cost being the extra lines of the table plus LONELY_COST for each line
    holding a single CJK character and MIDWORD_COST for each name or header broken inside a
    word (cell_fit). Without explicit widths Sphinx sizes CJK columns badly and long tables
    run past the margin.
    """
    columns = list(frame.columns)
    search = _WidthSearch([[str(c)] + [str(v) for v in frame[c]] for c in columns],
                          text_bp - pad_bp * len(columns))
    search.narrow_to_budget()
    search.rebalance()
    figure_columns = [is_figure_column(frame[c]) for c in columns]
    search.share_spare(figure_columns)
    return [max(1, round(w + pad_bp)) for w in search.widths]


class _WidthSearch:
    """The steps of latex_widths_uncached over one table: `widths` (bp, one per column), `state`
    (each column's fit at its width) and `current` (the table's cost) kept together."""
    STEP, LOOKAHEAD = 3.0, 200

    def __init__(self, cells: list[list[str]], budget: float):
        self.cells, self.budget = cells, budget
        self._tried: dict[tuple[int, float], _ColumnFit | None] = {}
        self.widths = [math.ceil(max(_atom_width_sum(v) for v in col)) + 1.0 for col in cells]
        self.state = [self.fits(ci, w) for ci, w in enumerate(self.widths)]
        self.current = self.cost(self.state)

    def fits(self, ci: int, w: float) -> _ColumnFit | None:
        """Column ci's fit at width w (None when a cell cannot be set that narrow), worked out once."""
        if (ci, w) not in self._tried:
            out = []
            for text in self.cells[ci]:
                f = cell_fit(text, w)
                if f is None:
                    break
                out.append(f)
            else:
                self._tried[ci, w] = _ColumnFit(out)
                return self._tried[ci, w]
            self._tried[ci, w] = None
        return self._tried[ci, w]

    @staticmethod
    def cost(table: list[_ColumnFit]) -> float:
        height = sum(map(max, zip(*(col.lines for col in table))))
        return height + sum(col.flaws for col in table)

    def _with(self, ci: int, got: _ColumnFit) -> list[_ColumnFit]:
        return self.state[:ci] + [got] + self.state[ci + 1:]

    def _set(self, ci: int, width: float, got: _ColumnFit) -> None:
        self.widths[ci], self.state[ci] = width, got
        self.current = self.cost(self.state)

    def narrow_to_budget(self) -> None:
        """While the table is wider than the text block, narrow the column that costs least per bp saved."""
        widths = self.widths
        while sum(widths) > self.budget:
            best = None
            for ci, w in enumerate(widths):
                for k in range(1, self.LOOKAHEAD + 1):
                    cand = w - k * self.STEP
                    if cand < CELL_BP:
                        break
                    got = self.fits(ci, cand)
                    if got is None:
                        break  # narrower only gets worse: an unbreakable run no longer fits
                    # width saved beyond what the table still needs earns nothing
                    saved = min(w - cand, sum(widths) - self.budget)
                    score = ((self.cost(self._with(ci, got)) - self.current) / saved, w - cand, -w)
                    if best is None or score < best[0]:
                        best = (score, ci, cand, got)
            if best is None:
                break  # nothing can narrow: the table is as narrow as its content allows
            _, ci, cand, got = best
            self._set(ci, cand, got)

    def rebalance(self) -> None:
        """The narrowing is greedy: once a long text column has made its rows tall, narrowing the
        others costs nothing and they are squeezed too. Move width from one column to another
        while that lowers the cost (fewer lines, fewer flaws)."""
        widths, step = self.widths, self.STEP
        for _ in range(400):
            best = None
            for i in range(len(widths)):
                for j in range(len(widths)):
                    for amount in (step, 2 * step, 4 * step, 8 * step, 16 * step):
                        if i == j or widths[i] - amount < CELL_BP:
                            continue
                        gi, gj = self.fits(i, widths[i] - amount), self.fits(j, widths[j] + amount)
                        if gi is None or gj is None:
                            continue
                        trial = list(self.state)
                        trial[i], trial[j] = gi, gj
                        gain = self.current - self.cost(trial)
                        if gain > 0 and (best is None or (gain, -amount) > (best[0], -best[5])):
                            best = (gain, i, j, gi, gj, amount)
            if best is None:
                break
            _, i, j, gi, gj, amount = best
            widths[i] -= amount
            widths[j] += amount
            self.state[i], self.state[j] = gi, gj
            self.current = self.cost(self.state)

    def share_spare(self, figure_columns: list[bool]) -> None:
        """LaTeX shares out the whole text width. What is left goes to the columns of words, never to
        a column of figures (a figure column is as wide as its widest figure or header line): first
        where it helps most (a wider column that loses a lonely character or a line), then shared
        among them in proportion to their widths."""
        widths = self.widths
        takers = [ci for ci in range(len(widths)) if not figure_columns[ci]] or list(range(len(widths)))
        if len(takers) < len(widths):
            for ci in (ci for ci in range(len(widths)) if figure_columns[ci]):
                self._narrow_figure_column(ci)
        spare = self.budget - sum(widths)
        while spare >= 1:
            best = None
            for ci in takers:
                extra = 1.0
                while extra <= spare:
                    got = self.fits(ci, widths[ci] + extra)
                    gain = self.current - self.cost(self._with(ci, got))
                    if gain > 0 and (best is None or (gain, -extra) > (best[0], -best[2])):
                        best = (gain, ci, extra, got)
                    extra += 1.0
            if best is None:
                break
            _, ci, extra, got = best
            self._set(ci, widths[ci] + extra, got)
            spare -= extra
        if spare > 0:
            share = sum(widths[ci] for ci in takers)
            for ci in takers:
                widths[ci] += spare * widths[ci] / share

    def _narrow_figure_column(self, ci: int) -> None:
        """A column of figures narrows as long as the table keeps its lines: to its widest figure, or
        its header's widest line when the header row is taller anyway."""
        while self.widths[ci] - 1 >= CELL_BP:
            got = self.fits(ci, self.widths[ci] - 1)
            if got is None or self.cost(self._with(ci, got)) > self.current:
                break
            # the cost is not recomputed here (as before the split): it stays the table's cost
            self.widths[ci] -= 1
            self.state[ci] = got


def _atom_width_sum(text: str) -> float:
    """Width of a cell's text on one line (bp), with the CJK–Latin glue."""
    lines = _wrap_pieces(_atoms(text), 1e9)
    if not lines:
        return CELL_BP
    pieces = _atoms(text)
    total, prev = 0.0, ""
    for p in pieces:
        if p.isspace():
            total += 0.33 * CELL_BP
            continue
        if prev and _is_cjk(prev[-1]) != _is_cjk(p[0]):
            total += ECGLUE * CELL_BP
        total += _unit_width(p)
        prev = p
    return total


#: A table taller than this (bp; 0.8 of the 638 bp text block) is set as a long table that
#: breaks across pages: as a float it would not fit a page and would run over the footer.
FLOAT_MAX_BP = 510.0
CELL_LINE_BP = 18.0   # 小四 on 18 bp (latex/beichen-report.sty, \footnotesize)


def printed_height(frame: pd.DataFrame, widths: list[int]) -> float:
    """Estimated height of the printed table (bp): caption, header and rows at their lines."""
    def lines(values) -> int:
        return max((cell_fit(str(v), w - PAD_BP) or (1, 0, 0))[0] for v, w in zip(values, widths))
    rows = [lines(row) for row in frame.itertuples(index=False)]
    return 2 * 22.0 + (lines(frame.columns) + sum(rows)) * CELL_LINE_BP


_FIGURE = re.compile(r"^[+\-−]?\d[\d,]*(\.\d+)?(%|[^\x00-\x7f\d]{1,2})?$")


def is_figure_column(values) -> bool:
    """A column of figures: every cell a number, percentage or counted figure ("442家", "约783家",
    "+0.8个百分点"), perhaps with the year of an older value ("49.8%（2023年）"); "—" for none."""
    cells = [str(v).strip() for v in values]
    figures = [c for c in cells if c not in ("—", "", fmt.MISSING)]
    return bool(figures) and all(_FIGURE_WITH_UNIT.match(_VINTAGE.sub("", c)) for c in figures)


_VINTAGE = re.compile(r"（\d{4}年）$")
# a figure for the widths: as _FIGURE, also approximate (“约783家”) or with a longer unit (“+0.8个百分点”)
_FIGURE_WITH_UNIT = re.compile(r"^[约超近]?[+\-−]?\d[\d,]*(\.\d+)?(%|[^\x00-\x7f\d]{1,4})?$")


def auto_align(frame: pd.DataFrame) -> str:
    """'r' for a column of figures (numbers, percentages, "442家"; "—" for none), else 'l':
    figures right-aligned so that their digits line up."""
    out = []
    for col in frame.columns:
        cells = [str(v).strip() for v in frame[col]]
        figures = [c for c in cells if c not in ("—", "", fmt.MISSING)]
        out.append("r" if figures and all(_FIGURE.match(c) for c in figures) else "l")
    return "".join(out)


def markdown_table(frame: pd.DataFrame, caption: str, label: str | None = None,
                   align: str | None = None) -> str:
    """A MyST table directive: caption, column widths for the PDF, pipe table body.

    align: one character per column, 'l', 'c' or 'r' (numbers right-aligned).
    """
    align = align or auto_align(frame)
    if len(align) != len(frame.columns):
        raise ValueError(f"align {align!r} has {len(align)} letters for {len(frame.columns)} columns")
    rule = {"l": ":--", "c": ":-:", "r": "--:"}
    lines = ["| " + " | ".join(_cell(c) for c in frame.columns) + " |",
             "|" + "|".join(rule[a] for a in align) + "|"]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    options = [f":name: {label}"] if label else []
    widths, longtable = table_layout(frame)
    options.append(":widths: " + " ".join(str(w) for w in widths))
    if longtable:
        options.append(":class: longtable")
    options.append(":align: center")
    return f"```{{table}} {escape.myst(caption)}\n" + "\n".join(options) + "\n\n" + "\n".join(lines) + "\n```"


def core_indicator_table(edition: Edition, indicators: list[IndicatorView],
                         merits: dict[str, str] | None = None) -> pd.DataFrame:
    """The source's table 一(二): base, target, latest actual (with vintage), completion, status, and
    (with `merits`, the year's narrative by indicator id) the source's column 突出成效.

    A “较上年” column (change against the previous year's actual) is added only when the data
    holds a previous-year value for at least one indicator; the 2024 edition has none.
    """
    from beichen.render import sentences
    with_yoy = any(ind.change_from_previous is not None for ind in indicators)
    rows = []
    for ind in indicators:
        row = {
            "指标类别": ind.dimension,
            "关键指标": ind.name,
            f"{edition.plan.base_year}年基数": ind.base.plain,
            f"{edition.plan.target_year}年目标": ind.target.plain,
            f"{edition.year}年实际": ind.actual.text,
        }
        if with_yoy:
            row["较上年"] = sentences.change_from_previous(ind) or "—"
        row["完成度"] = fmt.percent(ind.completion_pct) if ind.completion_pct is not None else fmt.MISSING
        if merits is None:
            row["状态"] = ind.status
        else:  # the source's table: its 突出成效 column in place of a status (shown in 图1-1)
            row["突出成效"] = merits.get(ind.indicator_id, "")
        rows.append(row)
    return pd.DataFrame(rows)


def core_indicator_align(frame: pd.DataFrame) -> str:
    """Column alignment for core_indicator_table: text left, figures right, status centred."""
    if "突出成效" in frame.columns:
        return "ll" + "r" * (len(frame.columns) - 3) + "l"
    return "ll" + "r" * (len(frame.columns) - 3) + "c"


def progress_table(edition: Edition, indicators: list[IndicatorView]) -> pd.DataFrame:
    """Progress against the plan period (序时进度) for indicators with base and target.

    Every figure is the indicator view's; where progress explodes (a target close to its base) the
    table says how far the target is exceeded instead of printing the ratio."""
    rows = []
    for ind in indicators:
        rows.append({
            "指标": ind.name,
            "数据年份": f"{ind.actual.year}年" if not ind.actual.missing else fmt.MISSING,
            "序时进度": fmt.percent(ind.elapsed * 100) if ind.elapsed is not None else fmt.MISSING,
            "目标进度": progress_text(ind),
            "判断": ind.schedule,
        })
    return pd.DataFrame(rows)


def final_assessment_table(edition: Edition, indicators: list[IndicatorView]) -> pd.DataFrame:
    """The target year's edition: each core indicator's target, actual (with its year when older than
    the edition), completion, the gap to the target and the verdict (超额完成 / 完成 / 未完成)."""
    from beichen.render import sentences
    rows = []
    for ind in indicators:
        rows.append({
            "指标": ind.name,
            f"{edition.plan.target_year}年目标": ind.target.plain,
            f"{edition.year}年实际": ind.actual.text,
            "完成度": sentences.completion_text(ind),
            "与目标相比": sentences.gap_at_end(ind),
            "判断": ind.final_verdict,
        })
    return pd.DataFrame(rows)


FINAL_ASSESSMENT_ALIGN = "lrrrrc"


def progress_text(ind: IndicatorView) -> str:
    """“81.0%”, or “已超出目标0.8个百分点” where the ratio explodes (`IndicatorView.progress_explodes`)."""
    if ind.progress is None:
        return fmt.MISSING
    if ind.progress_explodes:
        from beichen.render import sentences
        gap = ind.gap_to_target if ind.direction == "higher" else -ind.gap_to_target
        return f"已超出目标{sentences.difference(gap, ind.unit)}"
    return fmt.percent(ind.progress * 100)


def chains_table(edition: Edition) -> pd.DataFrame:
    """Every chain at its latest year: firms, output, growth where stated, and its share of 规上工业总产值
    of the same year (computed; 暂无数据 without that year's total). When the chains show different
    years, a 年份 column says which year each row is (the title counts them, `sentences.chains_caption`)."""
    chains = edition.chains()
    mixed = chains["year"].nunique() > 1
    rows = []
    for _, row in chains.iterrows():
        cells = {"产业链": row["name"]}
        if mixed:
            cells["年份"] = f"{int(row['year'])}年"
        growth = row["yoy_growth_pct"]
        cells.update({
            "类别": row["group"],
            "企业数（家）": fmt.number(row["enterprises"], 0),
            "产值（亿元）": fmt.number(row["output_100m_yuan"]),   # as stated (the text's “7亿元”, not 7.0)
            "同比增速": fmt.percent(growth) if growth == growth else "—",
            "占规上工业总产值": edition.chain_share(row).plain,
        })
        rows.append(cells)
    return pd.DataFrame(rows)


def chains_table_align(frame: pd.DataFrame) -> str:
    """Column alignment of `chains_table`: names left, figures right (a 年份 column centred)."""
    return "lc" + ("c" if "年份" in frame.columns else "") + "rrrr"


def figures_table(edition: Edition, figure_ids: list[str]) -> pd.DataFrame:
    """Name, value (with vintage) and period of metrics, in the order given."""
    rows = []
    for figure_id in figure_ids:
        value = edition.metric(figure_id, "target" if edition.metric_is_target(figure_id) else "actual")
        rows.append({"指标": edition.metric_name(figure_id), "数值": value.text})
    return pd.DataFrame(rows)


def key_figures_table(edition: Edition, derived: dict) -> pd.DataFrame:
    """The front page's key figures at a glance: value and what it is measured against, one row per
    entry of data/meta/report.yml `key_figures` (without it: the scale output, then `key_indicators`)."""
    rows = [row for entry in key_figure_entries(edition) if (row := _key_figure_row(edition, derived, entry))]
    return pd.DataFrame(rows, columns=["指标", "数值", "对照"])


def key_figure_entries(edition: Edition) -> list[dict]:
    report = edition.data.meta.get("report") or {}
    if report.get("key_figures"):
        return report["key_figures"]
    scale = [{"metric": report["scale_output"]}] if report.get("scale_output") else []
    return scale + [{"indicator": i} for i in report.get("key_indicators") or []]


def _key_figure_row(edition: Edition, derived: dict, entry: dict) -> tuple[str, str, str] | None:
    """One row of 表0-1 (the template of report.yml documents the entries); None for a chain row of a
    plan without chains."""
    from beichen.render import sentences

    if "indicator" in entry:
        ind = edition.indicator(entry["indicator"])
        text = f"目标{ind.target.plain}，完成度{fmt.percent(ind.completion_pct)}"
        yoy = sentences.against_previous_year(ind)
        return ind.name, ind.actual.text, f"{text}；{yoy}" if yoy else text
    if "chains" in entry:
        if not edition.chain_count().value:
            return None
        # the chain figures are of the one year every chain has; an older one says its year in both cells
        from beichen.model.derived import large_chains

        if entry["chains"] == "in_chain_share":
            return ("在链企业产值占规上工业总产值比重", derived["in_chain_share"].text,
                    f"{sentences.of_year(derived['in_chain_firms_sum'])}在链企业")
        if large_chains(edition) is None:
            return None
        return (f"{large_chains(edition)[1]}产值占比", derived["over_100_share"].text,
                f"{sentences.of_year(derived['over_100_count'])}产业链")
    metric_id = entry["metric"]
    label = entry.get("label") or edition.metric_name(metric_id)
    versus = f"每万人拥有量{_per_10k(edition, entry['per_10k'])}" if entry.get("per_10k") else "—"
    return label, edition.metric(metric_id).text, versus


def _per_10k(edition: Edition, metric_id: str) -> str:
    """“54个” (a count per 10,000 people; the unit 个/万人 is in the words around it), with its year if older."""
    value = edition.metric(metric_id)
    if value.missing:
        return fmt.MISSING
    return fmt.vintage(fmt.count(value.value, "个"), value.year, edition.year)


def project_results_table(edition: Edition, n: int) -> tuple[pd.DataFrame, str]:
    """Key project `n`'s results table (data/meta/report.yml `projects`) and its caption
    “表3-1 “5G+工业互联网”建设工程主要成果” (tables numbered among the projects that have one)."""
    from beichen.render import outline

    item = outline.project(edition, n)
    return figures_table(edition, item["figures"]), f"表3-{item['table_n']} {item['name']}主要成果"


def snapshot_table(edition: Edition) -> pd.DataFrame:
    """The in-year snapshot published with the edition (the plan's months of the following year)."""
    rows = []
    for metric_id in ((edition.data.meta["report"].get("snapshot") or {}).get("table") or []):
        rows.append({"指标": edition.metric_name(metric_id), "数值": edition.snapshot_metric(metric_id).plain})
    return pd.DataFrame(rows)


def targets_table(edition: Edition, cited: list[str]) -> pd.DataFrame:
    """The quantified targets of the recommendations that the year's text cites (`cited`, e.g.
    `Narrative.cited_targets` of chapter 五), each with the figure it starts from (data/meta/report.yml
    recommendation_targets) and what is still to do; no row for a target the year's text leaves out.

    Units come from the data: a target of an evaluation indicator (metrics.csv indicator_id) counts in
    the indicator's unit (智能工厂/数字化车间: 个), the current figure in its own, with its year when older.
    What is still to do is computed only when both are counted alike: 家 (firms) less 个 (workshops)
    is no number."""
    starts = {e["target"]: e["current"] for e in edition.data.meta["report"].get("recommendation_targets") or []}
    rows = []
    for metric_id in (t for t in cited if t in starts):
        target, current = _target_value(edition, metric_id), edition.lookup(starts[metric_id])
        alike = target.unit == current.unit
        gap = (fmt.value_with_unit(target.value - current.value, target.unit)
               if alike and not (target.missing or current.missing) else fmt.MISSING if alike else "—")
        rows.append({"目标": edition.metric_name(metric_id), "目标值": target.plain,
                     "现状": current.text, "尚需新增": gap})
    return pd.DataFrame(rows, columns=["目标", "目标值", "现状", "尚需新增"])


def _target_value(edition: Edition, metric_id: str):
    """A recommended target, in the unit of the indicator it is a target of (when linked)."""
    import dataclasses

    target = edition.metric(metric_id, "target")
    linked = edition.target_indicator(metric_id)
    return dataclasses.replace(target, unit=edition.indicator(linked).unit) if linked else target


def targets_note(frame: pd.DataFrame) -> str:
    """The note under 表5-1 when a target and its current figure are counted differently (no gap)."""
    unlike = [row["目标"] for _, row in frame.iterrows() if row["尚需新增"] == "—"]
    return (f"注：{'、'.join(unlike)}与现状的计量口径不同（目标值与现状的单位不一致），未计算尚需新增。"
            if unlike else "")
