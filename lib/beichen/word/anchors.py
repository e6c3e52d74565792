"""Which narrative passage a printed paragraph comes from, character by character.

A passage (lib/beichen/render/narrative.py) is Markdown with Jinja2 placeholders. Printed, its Markdown marks
are gone and every placeholder is a figure or a built clause. A paragraph of a passage's template is
turned into a pattern of its literal words (Markdown marks removed) with a gap for each placeholder;
matched against the printed paragraph it tells, for every printed character, whether the analyst's
words stand there (an edit there can go back into the template) or a figure (it must be changed in
the data instead). Literal characters keep their offset in the template source, so an edit lands
exactly where it was made.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from beichen.inputs.narrative import REFERENCE_PREFIX, STUB, parse_passages

JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
# Markdown marks a passage may carry (escape.py's allow-list: emphasis, lists, escapes); printed, they vanish.
_LIST_MARK = re.compile(r"^(\s*)([-*+]|\d+[.)])\s+", re.M)
# A paragraph must share this many literal characters with its template to count as that passage's.
MIN_LITERAL = 6


@dataclass
class TemplateParagraph:
    """One paragraph of one passage: its source, its literal pieces and the placeholders between them."""
    file: str                      # narrative file name, e.g. 01_targets.md
    passage: str                   # passage key, e.g. quality
    index: int                     # paragraph of the passage, from 0
    source: str                    # the paragraph's template text as in the file
    pieces: list[tuple[str, list[int]]] = field(default_factory=list)   # (plain literal, source offsets)
    holes: list[str] = field(default_factory=list)                    # placeholder between pieces i and i+1

    @property
    def literal_length(self) -> int:
        return sum(len(p) for p, _ in self.pieces)

    def pattern(self) -> re.Pattern:
        parts = [re.escape(piece) for piece, _ in self.pieces]
        return re.compile("(.*?)".join(parts), re.S)


def _plain_with_offsets(chunk: str, base: int) -> tuple[str, list[int]]:
    """Literal template text without its Markdown marks, and for each kept character its offset in the
    template source (base = the chunk's own offset)."""
    out, where = [], []
    list_marks = {m.start(2) + i for m in _LIST_MARK.finditer(chunk) for i in range(m.end() - m.start(2))}
    i = 0
    while i < len(chunk):
        ch = chunk[i]
        if i in list_marks or ch in "*_`":   # emphasis, list and code marks are not printed
            i += 1
            continue
        if ch == "\\" and i + 1 < len(chunk):  # an escaped character prints as itself
            i += 1
            ch = chunk[i]
        elif ch == "\n":
            ch = " " if out and not _cjk(out[-1]) else ""
            if not ch:
                i += 1
                continue
        out.append(ch)
        where.append(base + i)
        i += 1
    return "".join(out), where


def _cjk(ch: str) -> bool:
    return "\u2e80" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" or "\u3000" <= ch <= "\u303f"


def template_paragraph(file: str, passage: str, index: int, source: str) -> TemplateParagraph:
    para = TemplateParagraph(file, passage, index, source)
    last = 0
    for m in JINJA.finditer(source):
        para.pieces.append(_plain_with_offsets(source[last:m.start()], last))
        para.holes.append(m.group(0))
        last = m.end()
    para.pieces.append(_plain_with_offsets(source[last:], last))
    return para


def passage_paragraphs(path: Path) -> list[TemplateParagraph]:
    """Every paragraph of every written passage of one narrative file (stubs, titles and reference
    lines left out: a stub is not printed, a title stands in a heading)."""
    if not path.exists():
        return []
    found = []
    for key, body in parse_passages(path.read_text(encoding="utf-8")).items():
        if STUB.match(body) or key.startswith("title_"):
            continue
        body = "\n".join(line for line in body.splitlines() if not line.startswith(REFERENCE_PREFIX))
        for index, source in enumerate(p.strip() for p in re.split(r"\n\s*\n", body) if p.strip()):
            found.append(template_paragraph(path.name, key, index, source))
    return found


@dataclass
class Match:
    """A printed paragraph placed in its template: spans of the printed text, each literal (with the
    template offsets of its characters) or filled by a placeholder (with the placeholder's source)."""
    template: TemplateParagraph
    spans: list[tuple[int, int, str, object]]   # (start, end, "literal"|"figure", offsets | placeholder)

    def to_json(self) -> dict:
        return {"file": self.template.file, "passage": self.template.passage, "index": self.template.index,
                "source": self.template.source,
                "spans": [[s, e, kind, what] for s, e, kind, what in self.spans]}


def place(text: str, candidates: list[TemplateParagraph]) -> Match | None:
    """The template paragraph that printed `text` (the one with most literal words in common), or None
    when none matches: the paragraph is then the program's own sentence."""
    best = None
    for cand in candidates:
        if cand.literal_length < MIN_LITERAL:
            continue
        m = cand.pattern().fullmatch(text)
        if m and (best is None or cand.literal_length > best[0].literal_length):
            best = (cand, m)
    if best is None:
        return None
    cand, m = best
    spans, pos = [], 0
    for k, (piece, offsets) in enumerate(cand.pieces):
        if piece:
            spans.append((pos, pos + len(piece), "literal", offsets))
        pos += len(piece)
        if k < len(cand.holes):
            start, end = m.span(k + 1)
            if end > start:
                spans.append((start, end, "figure", cand.holes[k]))
            pos = end
    return Match(cand, spans)


def place_resolved(text: str, candidates: list[TemplateParagraph],
                   rewrites: list[tuple[str, str]]) -> Match | None:
    """As `place`, for a paragraph the build rewrote by an analyst's decision (meta/resolutions.yml,
    action replace: the template's `written` words printed as `printed`): matched with the template's
    words put back, the rewritten words then stand as one span of kind “resolution” (changed there,
    not in the passage)."""
    found = place(text, candidates)
    if found is not None:
        return found
    for written, printed in rewrites:
        k = text.find(printed)
        if k < 0 or not printed:
            continue
        match = place(text[:k] + written + text[k + len(printed):], candidates)
        if match is None:
            continue
        shift, stop = len(printed) - len(written), k + len(written)
        spans = []
        for s, e, kind, what in match.spans:
            if e <= k:
                spans.append((s, e, kind, what))
            elif s >= stop:
                spans.append((s + shift, e + shift, kind, what))
            else:   # a span that holds the rewritten words: keep what stands before and after them
                if s < k:
                    spans.append((s, k, kind, what[:k - s] if kind == "literal" else what))
                if e > stop:
                    spans.append((stop + shift, e + shift, kind, what[stop - s:] if kind == "literal" else what))
        spans.append((k, k + len(printed), "resolution", f"{written} → {printed}"))
        return Match(match.template, sorted(spans, key=lambda span: span[0]))
    return None
