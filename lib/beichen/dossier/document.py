"""The 核查报告: the analyst's working document that goes with each edition, not part of the report.

The report (site and PDF) speaks as the district; everything the analyst who signs an edition off
needs to see lives here instead: the data audit with its evidence, every departure from the source
(data/meta/departures.yml) and from the previous edition, the provenance of every figure, the
missing figures and pending passages, and the inputs' checksums with the build facts.

It is a small Jupyter Book of its own, written as MyST Markdown from Python into
build/<year>/dossier/ and published apart from the report, to review/<year>/ (HTML) and
review/<year>/dossier-<year>.pdf (lib/beichen/publish/build.py), with the report's print style (latex/) and what
the 核查报告 adds to it (latex/beichen-dossier.sty: parts that run on, headings kept with what
follows, quotations set off, file names not hyphenated): site/ holds the report only and nothing in
it links to this document. Nothing here depends on
the wall clock: two builds of the same inputs give the same Markdown (the date printed is the
edition's issue date).

The build (lib/beichen/publish/build.py) takes Dossier (the pages) from here, and from rebuild.py and
book_build.py the inputs key, the cached build and the Jupyter Book environment (imported from their
own modules, so that no module of the package imports back into this one). Each part of the document
lives in a module named by what it makes:

  index_page.py          the first page: status and a summary line per part
  audit_section.py       一、数据核查 (表1-1, 表1-2, the source's inconsistencies)
  departures_section.py  二、与原报告及上年版的差异
  year_on_year.py        三、与上年版相比变化的数字 (and the revised figures of earlier years)
  provenance.py          四、数字来源 (figures.py: every figure the edition shows)
  gaps_section.py        五、缺失数据与待补充文字
  inputs_digest.py       六、输入文件校验值与构建信息 (SHA-256 of the inputs)
  claims_section.py      七、表述核查与处理决定
  outline.py, wording.py the parts and headings; how text is set (escaping, quotations)
  pages.py               the staged Jupyter Book and its Sphinx extension
  book_build.py          Jupyter Book to HTML and the PDF
  rebuild.py             the inputs key and the cached build
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from beichen.audit import checks as audit
from beichen.dossier.audit_section import AuditSection
from beichen.dossier.claims_section import ClaimsSection
from beichen.dossier.departures_section import DeparturesSection, departures, inherited_departures
from beichen.dossier.gaps_section import GapsPage, gap_summary, own_pending
from beichen.dossier.index_page import IndexPage
from beichen.dossier.inputs_digest import InputsPage
from beichen.dossier.outline import NUMERALS, page_list
from beichen.dossier.provenance import ProvenancePage
from beichen.dossier.wording import nest_quotes
from beichen.dossier.year_on_year import YearOnYearPage, changes, revisions
from beichen.model.edition import Edition


@dataclass
class Dossier(IndexPage, AuditSection, DeparturesSection, YearOnYearPage, ProvenancePage,
              GapsPage, InputsPage, ClaimsSection):
    """The pages of one edition's 核查报告 (MyST Markdown), computed from the edition model."""

    data: object
    year: int
    data_dir: Path
    narrative_dir: Path
    gaps: dict
    issue_date: str
    status: object = None  # 征求意见稿 / 定稿 (lib/beichen/audit/status.Status), set by the build once known
    found: object = None   # the departures found in the built text (lib/beichen/audit/departures.Covered), set by the build
    review: object = None  # the claims ledger and every finding with its resolution (lib/beichen/audit/ledger.Review)

    def __post_init__(self):
        import threading

        self._lock = threading.Lock()  # the pages may be started in a thread while the chapters run

    # Computed when a page needs them: a build whose 核查报告 inputs did not change needs none.
    @cached_property
    def edition(self) -> Edition:
        return Edition(self.data, self.year)

    @cached_property
    def checks(self):
        return audit.run_audit(self.edition)

    @cached_property
    def summary(self) -> dict:
        return gap_summary(self.gaps)

    @cached_property
    def departures(self) -> list[dict]:
        return departures(self.data_dir, self.year)

    @cached_property
    def changes(self):
        return changes(self.data, self.year)

    @cached_property
    def revisions(self) -> pd.DataFrame:
        return revisions(self.data, self.year)

    @cached_property
    def own_pending(self) -> list[str]:
        return own_pending(self.narrative_dir, self.year)

    @cached_property
    def inherited(self) -> tuple[int | None, list[dict]]:
        return inherited_departures(self.data_dir, self.year)

    @cached_property
    def with_source(self) -> bool:
        """Whether the plan's editions reproduce a source report (lib/beichen/audit/source_text.py): the
        comparison with it is then part of the 核查报告, else the plan's own figures are checked."""
        from beichen.audit.source_text import has_source_report

        return has_source_report(self.data_dir, self.data)

    @property
    def page_list(self) -> list[tuple[str, str]]:
        return page_list(self.with_source)

    def _heading(self, name: str) -> str:
        return dict(self.page_list)[name]

    def _part(self, name: str) -> int:
        """The number of the part `name` (the index page is 0)."""
        return [n for n, _ in self.page_list].index(name)

    def _see(self, name: str) -> str:
        return f"（见第{NUMERALS[self._part(name) - 1]}部分）"

    def pages(self) -> dict[str, str]:
        done = self.without_gaps()
        pages = {"index": self.index(), "audit": done["audit"],
                 **({"departures": self.departures_page()} if self.with_source else {}),
                 "changes": done["changes"], "provenance": done["provenance"], "gaps": self.gaps_page(),
                 "inputs": done["inputs"], "claims": self.claims_page()}
        return {name: nest_quotes(pages[name]) for name, _ in self.page_list}

    @cached_property
    def _without_gaps(self) -> dict[str, str]:
        return {"audit": self.audit(), "changes": self.changes_page(),
                "provenance": self.provenance(), "inputs": self.inputs_page()}

    def without_gaps(self) -> dict[str, str]:
        """The pages that do not depend on the chapters' notes (all but the index and the gaps): the
        build computes them while the chapters run."""
        with self._lock:
            return self._without_gaps
