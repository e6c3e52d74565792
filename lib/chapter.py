"""What a chapter notebook needs, in one object: the edition's figures, its narrative, display helpers.

A chapter notebook stays thin:

    ch = Chapter("01_targets", year, data_dir, narrative_dir, notes_dir)
    ch.say(ch.passage("intro"))
    ch.table(tables.core_indicator_table(ch.edition, inds), "表1-1 核心指标完成情况")
    ch.close()   # records missing figures and pending passages for the build's list
"""
from __future__ import annotations

import json
from pathlib import Path

from IPython.display import Markdown, display

from .loading import load_all
from .narrative import Narrative
from .paths import DATA_DIR, NARRATIVE_DIR
from .tables import markdown_table
from .values import Edition


class Chapter:
    def __init__(self, name: str, year: int, data_dir=None, narrative_dir=None, notes_dir=None):
        self.name = name
        self.year = int(year)
        self.edition = Edition(load_all(Path(data_dir) if data_dir else DATA_DIR), self.year)
        self.narrative = Narrative(self.edition, name, Path(narrative_dir) if narrative_dir else NARRATIVE_DIR)
        self.notes_dir = Path(notes_dir) if notes_dir else None

    def passage(self, name: str, **computed) -> str:
        """The year's qualitative passage `name`, rendered with the edition's figures."""
        return self.narrative.render(name, **computed)

    def say(self, *paragraphs: str) -> None:
        """Display paragraphs of (MyST) Markdown."""
        display(Markdown("\n\n".join(p for p in paragraphs if p)))

    def table(self, frame, caption: str, label: str | None = None, align: str | None = None) -> None:
        display(Markdown(markdown_table(frame, caption, label, align)))

    def close(self) -> None:
        """Write what this chapter could not fill (missing figures, pending passages) for the build."""
        if self.notes_dir is None:
            return
        self.notes_dir.mkdir(parents=True, exist_ok=True)
        note = {"missing": self.edition.missing, "pending": self.narrative.pending}
        (self.notes_dir / f"{self.name}.json").write_text(json.dumps(note, ensure_ascii=False, indent=1),
                                                          encoding="utf-8")
