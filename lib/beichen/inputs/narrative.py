"""The narrative file format: data/narrative/<year>/<chapter>.md, one chapter's passages of one year.

A chapter file holds passages separated by marker lines ``<!-- passage: name -->``; each passage is a
template the report renders (lib/beichen/render/narrative.py says what a passage may write). A stub
that `make new-year` wrote opens with a 待更新 line and may carry reference lines of last year's text;
passages named title_<key> are the year's words in a heading.
"""
from __future__ import annotations

import re
from pathlib import Path

MARKER = re.compile(r"^<!--\s*passage:\s*([\w-]+)\s*-->\s*$", re.MULTILINE)
# `make new-year` copies last year's passages as stubs, each opening with this line; until the
# analyst has revised a passage and deleted the line, it counts as missing (shown as PENDING),
# so last year's wording is never published as this year's.
STUB = re.compile(r"^<!--\s*待更新")
# Lines of last year's text that a new-year stub carries for reference: never rendered, so deleting
# the 待更新 line alone leaves an empty passage (shown as pending), never last year's words.
REFERENCE_PREFIX = "参考｜"

TITLE_PREFIX = "title_"


class NarrativeError(ValueError):
    """A passage refers to a figure or placeholder that does not exist, reaches for what a
    template may not touch, or holds markup a passage may not carry."""


def passage_reader(narrative_dir: Path | str, year: int):
    """(chapter, name) → the passage's text in narrative_dir/<year>/<chapter>.md now, or None: what a
    rebuild compares with the text a chapter rendered (lib/beichen/model/reads.py)."""
    parsed: dict[str, dict[str, str]] = {}

    def read(chapter: str, name: str) -> str | None:
        if chapter not in parsed:
            path = Path(narrative_dir) / str(year) / f"{chapter}.md"
            parsed[chapter] = parse_passages(path.read_text(encoding="utf-8")) if path.exists() else {}
        return parsed[chapter].get(name)

    return read


def parse_passages(text: str) -> dict[str, str]:
    """Split a chapter's narrative file into {passage name: template text}; reference lines
    (“参考｜…”, last year's text in a stub) are dropped."""
    text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(REFERENCE_PREFIX))
    parts = MARKER.split(text)
    passages = {}
    for name, body in zip(parts[1::2], parts[2::2]):
        if name in passages:
            raise NarrativeError(f"passage {name!r} appears twice")
        passages[name] = body.strip()
    return passages


def year_titles(narrative_dir: Path | str, year: int) -> dict[str, str]:
    """{title_<key>: the year's words} of every title passage the year has written (stubs left out)."""
    found: dict[str, str] = {}
    folder = Path(narrative_dir) / str(year)
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        for name, body in parse_passages(path.read_text(encoding="utf-8")).items():
            if name.startswith(TITLE_PREFIX) and not STUB.match(body) and body.strip():
                found[name] = " ".join(body.split())
    return found


def passage_lines(text: str) -> dict[str, int]:
    """{passage name: line number in the file where its text starts}."""
    lines = {}
    for match in MARKER.finditer(text):
        lines[match.group(1)] = text.count("\n", 0, match.end()) + 2
    return lines
