"""Departures from the source, found: the edition's printed text compared with the source passage by
passage, and every difference matched to the entry of data/meta/departures.yml that explains it.

The edition's text is what its executed chapters print (lib/beichen/audit/edition_text.py read_book), plus
what its cover and footer print (title, issuing body, date); the source's is its passages
(lib/beichen/audit/source_text.py). Each heading and paragraph of the edition is aligned with the source
passage it reproduces (character bigrams, in reading order; a passage the edition prints as several —
a run-in heading set as a heading, a paragraph split in two — keeps all its pieces), the source's table
with the edition's table of the same cells, and the two texts of each pair are compared character by
character (whitespace aside). A difference is one of

    added        words, paragraphs, headings, tables or charts the source does not print
    removed      words or passages of the source the edition does not print
    reworded     words of the source printed as other words
    renumbered   a chapter, section or table number printed otherwise
    reformatted  the same number or text printed in another form (110% → 110.0%, 近千名 → 近1000名,
                 a doubled 。, a run-in heading set as a heading)

and each must be covered by an entry with a reason: an entry naming the place and quoting the words
(`where`, `source`, `report`), a class entry (`rule`) covering every instance of a named form, an
entry naming whole added units (`units`: a heading, a table or chart number, the cover), or the
analyst's resolution of a finding (data/meta/resolutions.yml: the words it replaces or removes). An
entry must be true of the edition: its `source` words in the source (at `where`), its `report` words
in the built text, and something found for it to cover. Anything else stops the build, naming the
edition's place and the entry's line (`check`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

import yaml

from beichen.audit.edition_text import Block, read_book
from beichen.audit.source_text import Passage, parse, source_path
from beichen.errors import BuildError

DEPARTURES = Path("meta") / "departures.yml"
SHOWN = f"data/{DEPARTURES.as_posix()}"
KINDS = {"added": "增加", "removed": "删去", "reworded": "改写", "renumbered": "改号", "reformatted": "改变格式"}
RULES = {  # class entries: a form of difference named once, every instance listed
    "one-decimal": "计算所得的数字统一印到一位小数（如110%印作110.0%），数值不变",
    "arabic-numerals": "汉字数字改印阿拉伯数字（如近千名印作近1000名），数值不变",
    "separators": "数字的千位分隔符不同，数值不变",
    "punctuation": "只差标点（如重复的句号、标题末尾的句号）",
    "split": "原文一段，本版分作标题与正文或数段（段首的小标题单列为标题）",
}
COVER = "封面"   # the PDF's title page
SITE = "网站"    # the site's title bar and footer
FIELDS = ("edition", "kind", "where", "source", "report", "rule", "units", "reason")
PUNCT = set("。，、；：！？,.;:!? ")
NUMERALS_ZH = "〇零一二三四五六七八九十百千万两"
_DIGITS = set("0123456789.,%")
_PREFIX = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.|附?表[：:]?[\d\-]*)")
_MIN_SCORE = 0.3      # an edition paragraph and a source passage this alike (bigram Dice) are one passage
_PIECE = 0.85         # a piece of a passage printed apart: this share of its bigrams in the passage


class DepartureError(BuildError):
    """The edition differs from the source where no entry says why, or an entry is not true of it."""


def norm(text: str) -> str:
    """Text as compared: whitespace (and the emphasis already dropped by the readers) aside."""
    return re.sub(r"\s+", "", text or "")


# --- what differs -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Difference:
    """One difference between the edition and the source."""

    kind: str                 # added | removed | reworded | renumbered | reformatted
    label: str                # the source's section (一(一)2); an added unit: its heading, table or chart
    source: str               # the source's words ("" when added)
    report: str               # the edition's words ("" when removed)
    place: str                # where the edition prints it (page／section), or where it would
    line: int = 0             # the source's line (0: none)
    rule: str = ""            # the class it belongs to (RULES), if any
    unit: bool = False        # a whole added heading, paragraph, table or chart
    detail: str = ""          # an added unit: what it holds
    shown: tuple = ("", "")   # (source, edition) as the 核查报告 shows them: the words in context, marked 〔〕
    # where the words stand in the compared texts (for matching entries that quote more)
    pair: int = field(default=-1, compare=False, repr=False)
    span: tuple = field(default=(0, 0, 0, 0), compare=False, repr=False)

    @property
    def source_place(self) -> str:
        return f"原报告{self.label}（第{self.line}行）" if self.line else f"原报告{self.label}"


@dataclass
class _Pair:
    """A source passage and the edition text printed for it."""

    passage: Passage
    blocks: list[Block]
    source: str = ""
    report: str = ""
    starts: list[int] = field(default_factory=list)   # where each block starts in `report`

    def __post_init__(self):
        self.source = norm(self.passage.text)
        self.starts, parts, at = [], [], 0
        for b in self.blocks:
            self.starts.append(at)
            parts.append(norm(b.text))
            at += len(parts[-1])
        self.report = "".join(parts)

    def block_at(self, j: int) -> Block:
        k = 0
        for n, start in enumerate(self.starts):
            if start <= j:
                k = n
        return self.blocks[k]


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)} or {text}


def _dice(a: set, b: set) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


def _align(blocks: list[Block], passages: list[Passage]) -> dict[int, int]:
    """Block index → passage index: a monotone one-to-one alignment by bigram likeness, then the
    pieces printed apart (a neighbour of an aligned block whose text is inside that passage)."""
    bb = [_bigrams(norm(b.text)) for b in blocks]
    pb = [_bigrams(norm(p.text)) for p in passages]
    n, m = len(blocks), len(passages)
    score = [[0.0] * m for _ in range(n)]
    for i in range(n):
        for j in range(m):
            s = _dice(bb[i], pb[j])
            if s >= _MIN_SCORE:
                score[i][j] = s
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        row, above = best[i], best[i - 1]
        for j in range(1, m + 1):
            row[j] = max(above[j], row[j - 1], above[j - 1] + score[i - 1][j - 1] if score[i - 1][j - 1] else 0.0)
    pairs: dict[int, int] = {}
    i, j = n, m
    while i and j:
        s = score[i - 1][j - 1]
        if s and best[i][j] == best[i - 1][j - 1] + s:
            pairs[i - 1] = j - 1
            i, j = i - 1, j - 1
        elif best[i][j] == best[i - 1][j]:
            i -= 1
        else:
            j -= 1
    changed = True
    while changed:   # pieces printed apart: a neighbour on the same page, wholly inside the passage
        changed = False
        for i in range(n):
            if i in pairs:
                continue
            for k in (i - 1, i + 1):
                if k in pairs and 0 <= k < n and blocks[k].page == blocks[i].page:
                    inside = len(bb[i] & pb[pairs[k]]) / len(bb[i])
                    if inside >= _PIECE and norm(blocks[i].text) in norm(passages[pairs[k]].text):
                        pairs[i] = pairs[k]
                        changed = True
                        break
    return pairs


def _numeric(c: str) -> bool:
    return c in _DIGITS or c in NUMERALS_ZH


def _span_number(text: str, i1: int, i2: int, left: bool, right: bool) -> tuple[int, int]:
    """Widen [i1, i2) to the whole number it cuts into (digits, point, comma, %; or 汉字 numerals):
    leftwards when the change begins with a numeral (`left`), rightwards when it ends with one."""
    chars = _DIGITS
    inside = text[i1:i2]
    if inside and all(c in NUMERALS_ZH for c in inside):
        chars = set(NUMERALS_ZH)
    while left and i1 > 0 and text[i1 - 1] in chars:
        i1 -= 1
    while right and i2 < len(text) and text[i2] in chars:
        i2 += 1
    return i1, i2


def _value(text: str):
    """(value, percent?, decimals, form) of a number as printed, or None."""
    t = text.strip()
    percent = t.endswith("%")
    t = t.rstrip("%")
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?|\d+(\.\d+)?", t):
        decimals = len(t.split(".")[1]) if "." in t else 0
        return float(t.replace(",", "")), percent, decimals, "comma" if "," in t else "arabic"
    if t and all(c in NUMERALS_ZH for c in t):
        digits = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
                  "九": 9}
        units = {"十": 10, "百": 100, "千": 1000, "万": 10000}
        total, current = 0, 0
        for c in t:
            if c in digits:
                current = digits[c]
            else:
                total += (current or 1) * units[c]
                current = 0
        return float(total + current), percent, 0, "hanzi"
    return None


def _classify(s: str, r: str, in_prefix: bool) -> tuple[str, str]:
    """(kind, rule) of one changed stretch: the source's words `s`, the edition's `r`."""
    vs, vr = _value(s), _value(r)
    if vs and vr and vs[1] == vr[1]:
        if vs[0] == vr[0]:
            if vs[3] == "hanzi" or vr[3] == "hanzi":
                return "reformatted", "arabic-numerals"
            if vs[3] != vr[3]:
                return "reformatted", "separators"
            return "reformatted", "one-decimal"
        if vr[2] == 1 and round(vs[0], 1) == vr[0]:
            return "reformatted", "one-decimal"
    if in_prefix:
        return "renumbered", ""
    if s and r and s.replace("年", "") == r.replace("年", "") and re.search(r"\d", s):
        return "reformatted", ""        # a year printed with or without 年: “（2023）” → “（2023年）”
    if all(c in PUNCT for c in s + r):
        return "reformatted", "punctuation"
    if not s:
        return "added", ""
    if not r:
        return "removed", ""
    return "reworded", ""


def _stretches(a: str, b: str) -> list[tuple[int, int, int, int]]:
    """The changed stretches of a → b: character differences, neighbours less than 3 characters
    apart joined, an inserted or dropped clause slid right past what it starts with (“%，距目标…90.5”
    → “距目标…90.5%，”), each widened to the whole numbers it cuts into (“.0” → “110%” / “110.0%”)."""
    ops = [op[1:] for op in SequenceMatcher(None, a, b, autojunk=False).get_opcodes() if op[0] != "equal"]
    merged: list[list[int]] = []
    for i1, i2, j1, j2 in ops:
        if merged and i1 - merged[-1][1] < 3 and j1 - merged[-1][3] < 3:
            merged[-1][1], merged[-1][3] = i2, j2
        else:
            merged.append([i1, i2, j1, j2])
    out: list[tuple[int, int, int, int]] = []
    for i1, i2, j1, j2 in merged:
        if i1 == i2:            # inserted: slide right past what the text repeats after it
            while j2 < len(b) and b[j1] == b[j2]:
                i1, i2, j1, j2 = i1 + 1, i2 + 1, j1 + 1, j2 + 1
        elif j1 == j2:          # dropped: likewise
            while i2 < len(a) and a[i1] == a[i2]:
                i1, i2, j1, j2 = i1 + 1, i2 + 1, j1 + 1, j2 + 1
        changed = a[i1:i2] or b[j1:j2]
        if changed:
            year = changed == "年"   # “（2023）” → “（2023年）”: the year it follows
            left = _numeric(changed[0]) or year
            right = _numeric(changed[-1])
            if a[i1:i2] and b[j1:j2]:
                left = left or _numeric(b[j1]) or _numeric(a[i1])
                right = right or _numeric(b[j2 - 1]) or _numeric(a[i2 - 1])
            i1, i2 = _span_number(a, i1, i2, left, right)
            j1, j2 = _span_number(b, j1, j2, left, right)
        if out and i1 <= out[-1][1] and j1 <= out[-1][3]:
            out[-1] = (out[-1][0], max(out[-1][1], i2), out[-1][2], max(out[-1][3], j2))
        else:
            out.append((i1, i2, j1, j2))
    return out


def _pair_differences(pair: _Pair, number: int) -> list[Difference]:
    p = pair.passage
    out: list[Difference] = []
    boundaries = set(pair.starts[1:])
    for k in range(1, len(pair.blocks)):   # a passage printed as several
        head = pair.blocks[k - 1]
        cut = pair.starts[k]
        at = _source_at(pair, cut)
        shown = (_context(pair.source, at, at, 10), _context(pair.report, cut, cut, 10).replace("〔〕", "〔分段〕"))
        out.append(Difference("reformatted", p.label, pair.source[max(at - 10, 0):at + 10], norm(head.text)[-20:],
                              pair.blocks[k].where, p.line, "split", shown=shown, pair=number, span=(at, at, cut, cut)))
    pa = _PREFIX.match(pair.source)
    pr = _PREFIX.match(pair.report)
    for i1, i2, j1, j2 in _stretches(pair.source, pair.report):
        s, r = pair.source[i1:i2], pair.report[j1:j2]
        in_prefix = bool(pa and pr and i2 <= pa.end() and j2 <= pr.end()
                         and p.kind in ("heading", "caption", "paragraph") and (s or r))
        kind, rule = _classify(s, r, in_prefix)
        if rule == "punctuation" and not r and (j1 in boundaries or j2 in boundaries):
            continue   # the 。 after a run-in heading set apart: part of the split
        out.append(Difference(kind, p.label, s, r, pair.block_at(max(j1 - (1 if j1 == j2 and j1 else 0), 0)).where,
                              p.line, rule, shown=(_context(pair.source, i1, i2), _context(pair.report, j1, j2)),
                              pair=number, span=(i1, i2, j1, j2)))
    return out


def _context(text: str, a: int, b: int, size: int = 12) -> str:
    """The words [a, b) of `text` marked 〔〕, with up to `size` characters either side."""
    before, after = text[max(a - size, 0):a], text[b:b + size]
    return ("…" if a > size else "") + f"{before}〔{text[a:b]}〕{after}" + ("…" if b + size < len(text) else "")


def _source_at(pair: _Pair, cut: int) -> int:
    """The position in the source text that corresponds to position `cut` of the edition text."""
    sm = SequenceMatcher(None, pair.source, pair.report, autojunk=False)
    for i, j, size in sm.get_matching_blocks():
        if j <= cut <= j + size:
            return i + (cut - j)
    return len(pair.source)


def front_matter(book: Path) -> list[Block]:
    """What the edition prints besides its chapters: the PDF's title page (title, edition, issuing
    body, date) and the site's title and footer, from the staged book's _config.yml."""
    config = yaml.safe_load((Path(book) / "_config.yml").read_text(encoding="utf-8")) or {}
    sphinx = (config.get("sphinx") or {}).get("config") or {}
    latex = (config.get("latex") or {}).get("latex_documents") or {}
    cover = [latex.get("title"), f"（{sphinx['release']}年版）" if sphinx.get("release") else None,
             config.get("author"), sphinx.get("today")]
    site = [config.get("title"), (config.get("html") or {}).get("extra_footer")]
    out = [Block(COVER, COVER, "paragraph", str(t)) for t in cover if t]
    out += [Block(SITE, SITE, "paragraph", re.sub(r"<[^>]+>", "", str(t))) for t in site if t]
    # The 征求意见稿 mark of a draft (lib/beichen/audit/status.py) is the build's verdict on the edition, not
    # its text: the 核查报告's first page gives it with its reasons; it is not compared with the source.
    return out


@dataclass(frozen=True)
class Comparison:
    """The edition's text against the source's: every difference, and the texts they were found in."""

    differences: list[Difference]
    pairs: list[_Pair]
    source: str              # the whole source, as compared
    report: str              # the whole edition, as compared
    places: dict             # source label → the edition's places that print it


def compare(blocks: list[Block], passages: list[Passage]) -> Comparison:
    """Every difference between the edition's blocks and the source's passages."""
    printed_text = norm("".join(b.text for b in blocks))
    front = [b for b in blocks if b.page in (COVER, SITE)]
    blocks = [b for b in blocks if b.page not in (COVER, SITE)]
    printed = {norm(p.text) for p in passages}
    text_blocks = [b for b in blocks if b.kind in ("heading", "paragraph")]
    prose = [p for p in passages if p.kind in ("title", "heading", "paragraph")]
    pairs_of = _align(text_blocks, prose)
    by_passage: dict[int, list[Block]] = {}
    for i, j in sorted(pairs_of.items()):
        by_passage.setdefault(j, []).append(text_blocks[i])
    pairs = [_Pair(prose[j], bl) for j, bl in sorted(by_passage.items())]
    matched_blocks = {id(text_blocks[i]) for i in pairs_of}
    differences: list[Difference] = []
    # the source's tables, cell by cell, against the edition's table that holds the most of them
    table_blocks: set[int] = set()
    removed_cells: list[Passage] = []
    for label in dict.fromkeys(p.label for p in passages if p.kind in ("caption", "table")):
        cells = [p for p in passages if p.label == label and p.kind == "table"]
        caption = next((p for p in passages if p.label == label and p.kind == "caption"), None)
        tables: dict[str, list[Block]] = {}
        for b in blocks:
            if b.kind in ("table", "caption") and b.table:
                tables.setdefault(b.table, []).append(b)
        wanted = {norm(c.text) for c in cells}
        name = max(tables, key=lambda t: len(wanted & {norm(b.text) for b in tables[t]}), default=None)
        if name is None or not wanted & {norm(b.text) for b in tables[name]}:
            continue   # the table is not printed: its passages are removed (below)
        edition_cells = {(norm(b.row), norm(b.column)): b for b in tables[name] if b.kind == "table"}
        edition_caption = next((b for b in tables[name] if b.kind == "caption"), None)
        for b in tables[name]:
            table_blocks.add(id(b))
        for c in cells:
            b = edition_cells.pop((norm(c.row), norm(c.column)), None)
            if b is not None:
                pairs.append(_Pair(c, [b]))
            else:
                removed_cells.append(c)
                differences.append(Difference("removed", c.label, norm(c.text), "", f"{name}（{c.row}，{c.column}）",
                                              c.line))
        for b in edition_cells.values():
            differences.append(Difference("added", label, "", norm(b.text), b.where))
        if caption is not None and edition_caption is not None:
            pairs.append(_Pair(caption, [edition_caption]))
    handled = {id(p.passage) for p in pairs} | {id(c) for c in removed_cells}
    for n, pair in enumerate(pairs):
        differences += _pair_differences(pair, n)
    for p in passages:
        if id(p) not in handled:
            differences.append(Difference("removed", p.label, norm(p.text), "", _near(p, pairs), p.line))
    differences += _units([b for b in blocks if id(b) not in matched_blocks and id(b) not in table_blocks])
    differences += _units([b for b in front if norm(b.text) not in printed])
    places: dict[str, list[str]] = {}
    for pair in pairs:
        for b in pair.blocks:
            place = "／".join(x for x in (b.section or b.page, b.table) if x)
            places.setdefault(pair.passage.label, [])
            if place not in places[pair.passage.label]:
                places[pair.passage.label].append(place)
    return Comparison(differences, pairs, norm("".join(p.text for p in passages)), printed_text, places)


def _near(p: Passage, pairs: list[_Pair]) -> str:
    """Where the edition would print a passage it dropped: after the last printed passage before it."""
    before = [pair for pair in pairs if pair.passage.index < p.index]
    if not before:
        return "（本版开头）"
    last = max(before, key=lambda pair: pair.passage.index)
    return f"{last.blocks[-1].where}之后"


def _units(blocks: list[Block]) -> list[Difference]:
    """The added blocks as units: a heading with what stands under it, a paragraph, a table, a chart."""
    out: list[Difference] = []
    done: set[int] = set()
    for n, b in enumerate(blocks):
        if id(b) in done:
            continue
        if b.kind == "heading" and b.page not in (COVER, SITE):
            under = [x for x in blocks[n:] if x.page == b.page and x.section.startswith(b.section)]
            for x in under:
                done.add(id(x))
            out.append(Difference("added", b.text, "", norm(b.text), b.where, unit=True,
                                  detail=_holds(under[1:])))
        elif b.kind in ("table", "caption", "chart") and b.table:
            same = [x for x in blocks if x.page == b.page and x.table == b.table]
            for x in same:
                done.add(id(x))
            out.append(Difference("added", b.table, "", b.table, b.where, unit=True, detail=_holds(same, b.table)))
        else:
            done.add(id(b))
            label = f"{b.page}：{b.text}" if b.page in (COVER, SITE) else b.text
            out.append(Difference("added", label, "", norm(b.text), b.where, unit=True))
    return out


def _holds(blocks: list[Block], own: str = "") -> str:
    """What an added unit holds, in a line: its paragraphs' and charts' own words, tables by caption."""
    parts, tables = [], []
    for b in blocks:
        if b.kind == "paragraph" or b.kind == "heading":
            parts.append(b.text)
        elif b.kind == "chart" and b.row == "说明":
            parts.append(b.text if b.table == own else f"{b.table}：{b.text}")
        elif b.kind in ("table", "caption", "chart") and b.table and b.table not in tables and b.table != own:
            tables.append(b.table)
    if tables:
        parts.append("图表：" + "、".join(tables))
    return " ∥ ".join(parts)


# --- why it differs -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Entry:
    """One entry of data/meta/departures.yml (or a resolution that changes the edition's words)."""

    line: int
    kind: str
    reason: str
    where: str = ""
    source: str = ""
    report: str = ""
    rule: str = ""
    units: tuple = ()
    origin: str = SHOWN            # the file it comes from
    finding: str = ""              # a resolution: its finding

    @property
    def place(self) -> str:
        return f"{self.origin} 第{self.line}行"


def load_entries(data_dir: Path, year: int) -> tuple[list[Entry], list[str]]:
    """The departures.yml entries about the edition of `year`, and what is wrong with their form
    (a missing reason, an unknown kind or rule), each naming its line."""
    path = Path(data_dir) / DEPARTURES
    if not path.exists():
        return [], []
    text = path.read_text(encoding="utf-8")
    raw = yaml.safe_load(text) or {}
    items = raw.get("departures") or []
    starts = [n for n, line in enumerate(text.splitlines(), start=1) if re.match(r"^\s*-\s+edition:", line)]
    entries, problems = [], []
    for k, item in enumerate(items):
        line = starts[k] if k < len(starts) else 0
        at = f"{SHOWN} 第{line}行"
        if not isinstance(item, dict):
            problems.append(f"{at}：条目应为键值对")
            continue
        unknown = set(item) - set(FIELDS)
        if unknown:
            problems.append(f"{at}：不认识的字段 {'、'.join(sorted(unknown))}（可用：{'、'.join(FIELDS)}）")
        try:
            edition = int(item.get("edition"))
        except (TypeError, ValueError):
            problems.append(f"{at}：edition 应为年份")
            continue
        if edition != int(year):
            continue
        kind, rule = str(item.get("kind") or ""), str(item.get("rule") or "")
        reason = str(item.get("reason") or "").strip()
        units = item.get("units") or ()
        units = (units,) if isinstance(units, str) else tuple(str(u) for u in units)
        if not reason:
            problems.append(f"{at}：缺少理由（reason）")
        if kind not in KINDS:
            problems.append(f"{at}：kind 值“{kind}”无效，应为 {'、'.join(KINDS)} 之一")
        if rule and rule not in RULES:
            problems.append(f"{at}：rule 值“{rule}”无效，应为 {'、'.join(RULES)} 之一")
        if not (rule or units or item.get("source") or item.get("report")):
            problems.append(f"{at}：须写明 source/report 所引文字，或 rule，或 units")
        entries.append(Entry(line, kind, reason, str(item.get("where") or ""), str(item.get("source") or ""),
                             str(item.get("report") or ""), rule, units))
    return entries, problems


def resolution_entries(data_dir: Path, year: int) -> list[Entry]:
    """The analyst's resolutions that change the edition's words, as entries: a replaced or removed
    text (and a note printed after a kept one) covers the difference it makes."""
    from beichen.audit.findings import RESOLUTIONS, load_resolutions

    shown = f"data/{RESOLUTIONS.as_posix()}"
    out = []
    for r in load_resolutions(data_dir, year, carry=False).values():
        if r.action == "replace":
            out.append(Entry(r.line, "reworded", r.reason, source=r.text, report=r.replacement, origin=shown,
                             finding=r.finding))
        elif r.action == "remove":
            out.append(Entry(r.line, "removed", r.reason, source=r.text, origin=shown, finding=r.finding))
        elif r.note:   # printed “（注：note）” after the words it is about
            out.append(Entry(r.line, "added", r.reason, report=f"（注：{r.note}）", origin=shown, finding=r.finding))
    return out


def _within(quote: str, text: str, a: int, b: int) -> bool:
    """`quote` occurs in `text` around the stretch [a, b) (punctuation at the stretch's ends aside)."""
    q = norm(quote)
    if not q:
        return True
    while b - a > 1 and text[a] in PUNCT:
        a += 1
    while b - a > 1 and text[b - 1] in PUNCT:
        b -= 1
    start = text.find(q)
    while start >= 0:
        if start <= a and b <= start + len(q):
            return True
        start = text.find(q, start + 1)
    return False


def covers(entry: Entry, d: Difference, comparison: Comparison) -> bool:
    """Whether the entry explains the difference."""
    if entry.units:
        return d.unit and entry.kind == d.kind and any(d.label.startswith(u) for u in entry.units)
    if entry.rule:
        return entry.rule == d.rule and entry.kind == d.kind and (not entry.where or d.label.startswith(entry.where))
    if d.unit or d.rule == "split" or entry.finding and d.rule:
        return False
    if entry.finding:    # a resolution: the words it replaces or removes, the note it adds, wherever they stand
        if d.kind not in ("added", "removed", "reworded"):
            return False
    elif entry.kind != d.kind and not (entry.kind == "reworded" and d.kind in ("added", "removed", "reworded")):
        return False
    elif entry.where and not d.label.startswith(entry.where):
        return False
    if d.pair < 0:
        return (not d.source or norm(d.source) in norm(entry.source)) and \
            (not d.report or norm(d.report) in norm(entry.report))
    pair = comparison.pairs[d.pair]
    i1, i2, j1, j2 = d.span
    if entry.source and not _within(entry.source, pair.source, i1, i2):
        return False
    if entry.report and not _within(entry.report, pair.report, j1, j2):
        return False
    if not entry.source and d.source or not entry.report and d.report:
        return False
    return True


@dataclass(frozen=True)
class Covered:
    """The edition's departures from the source, each with the entry that explains it."""

    year: int
    found: list[tuple[Difference, Entry]]

    def by_entry(self) -> list[tuple[Entry, list[Difference]]]:
        groups: dict[tuple, tuple[Entry, list[Difference]]] = {}
        for d, e in self.found:
            groups.setdefault((e.origin, e.line), (e, []))[1].append(d)
        return list(groups.values())

    def counts(self) -> dict[str, int]:
        out = {k: 0 for k in KINDS}
        for d, _ in self.found:
            out[d.kind] += 1
        return out


def match(comparison: Comparison, entries: list[Entry], resolutions: list[Entry] = ()) -> \
        tuple[list[tuple[Difference, Entry]], list[str]]:
    """Each difference with the first entry that covers it (resolutions first), and the problems:
    differences no entry covers, entries whose words are not where they say, entries covering nothing."""
    problems: list[str] = []
    found: list[tuple[Difference, Entry]] = []
    used: set[tuple] = set()
    order = list(resolutions) + list(entries)
    for d in comparison.differences:
        entry = next((e for e in order if covers(e, d, comparison)), None)
        if entry is None:
            near = [e for e in entries if e.where and d.label.startswith(e.where) and not e.units]
            hint = ("；同一处的条目：" + "、".join(e.place for e in near) + "，其所引文字未涵盖此处") if near else \
                f"；{SHOWN} 中没有说明此处的条目"
            problems.append(f"本版 {d.place}：与{d.source_place}不同（{KINDS[d.kind]}"
                            f"{'：' + RULES[d.rule] if d.rule else ''}）——原报告“{_short(d.source)}”，"
                            f"本版“{_short(d.report)}”{hint}")
            continue
        found.append((d, entry))
        used.add((entry.origin, entry.line))
    for e in entries:
        places = "；".join(comparison.places.get(e.where, [])[:3]) or "（本版无对应段落）"
        if e.source and norm(e.source) not in comparison.source:
            problems.append(f"{e.place}：source 所引“{_short(e.source)}”不见于原报告")
        elif e.source and e.where and not any(norm(e.source) in pair.source for pair in comparison.pairs
                                              if pair.passage.label.startswith(e.where)) \
                and not any(d.label.startswith(e.where) and norm(e.source) in d.source
                            for d in comparison.differences):
            problems.append(f"{e.place}：source 所引“{_short(e.source)}”不在原报告{e.where}")
        if e.report and norm(e.report) not in comparison.report:
            problems.append(f"{e.place}：report 所引“{_short(e.report)}”不见于本版（原报告{e.where or '—'}在本版的位置："
                            f"{places}）")
        if e.units:
            for u in e.units:
                if not any(d.unit and d.label.startswith(u) for d in comparison.differences):
                    problems.append(f"{e.place}：units 所列“{u}”不是本版增加的标题、段落或图表")
        if (e.origin, e.line) not in used and not any(p.startswith(e.place) for p in problems):
            twin = next((r for d, r in found if r.finding and covers(e, d, comparison)), None)
            if twin is not None:
                problems.append(f"{e.place}：所说的差异已由 {twin.place}（{twin.finding}）的处理涵盖，请删去此条")
            else:
                problems.append(f"{e.place}：条目所说的差异在本版中不存在（原报告{e.where or '—'}在本版的位置：{places}）")
    return found, problems


def _short(text: str, size: int = 60) -> str:
    text = norm(text)
    return text if len(text) <= size else text[:size] + "…"


def source_passages(data_dir: Path) -> list[Passage]:
    return parse(source_path(data_dir).read_text(encoding="utf-8"))


def compare_book(book: Path, data_dir: Path) -> Comparison:
    """The staged book's text (chapters, cover and footer) against the source kept under data_dir."""
    return compare(read_book(book) + front_matter(book), source_passages(data_dir))


def compared_edition(data_dir: Path) -> int | None:
    """The edition that reproduces the source and is compared with it (departures.yml
    `compare_edition`); later editions carry their own year's text and are compared with their
    predecessor instead (the 核查报告's changes)."""
    path = Path(data_dir) / DEPARTURES
    if not path.exists() or not source_path(data_dir).exists():
        return None
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    try:
        return int(raw["compare_edition"])
    except (KeyError, TypeError, ValueError):
        return None


def check_edition(book: Path, data_dir: Path, year: int) -> Covered | None:
    """The build's check (lib/beichen/publish/build.py, right after the chapters ran): the departures of the
    edition compared with the source, or None for an edition that is not (compared_edition)."""
    if compared_edition(data_dir) != int(year):
        return None
    return check(book, data_dir, year)


def check(book: Path, data_dir: Path, year: int) -> Covered:
    """The edition's departures from the source, each covered by its entry; a DepartureError naming
    every uncovered difference (the edition's place and the source's) and every entry that is not
    true of the edition (its line and the edition's place)."""
    entries, problems = load_entries(data_dir, year)
    return verify(compare_book(book, data_dir), entries, resolution_entries(data_dir, year), problems, year)


def verify(comparison: Comparison, entries: list[Entry], resolutions: list[Entry] = (), problems: list[str] = (),
           year: int = 0) -> Covered:
    """Every difference of `comparison` with its entry, or a DepartureError listing what is wrong."""
    found, more = match(comparison, entries, resolutions)
    problems = list(problems) + more
    if problems:
        shown = "\n".join(f"  - {p}" for p in problems[:40])
        extra = f"\n  …另有{len(problems) - 40}处" if len(problems) > 40 else ""
        raise DepartureError(f"本版与原报告的差异清单（{SHOWN}）与本版不符，共{len(problems)}处：\n{shown}{extra}\n"
                             f"每处差异须有一条写明理由的条目（格式见 data/README.md“meta/departures.yml”）。")
    return Covered(int(year), found)
