"""第六部分 输入文件校验值与构建信息 of the 核查报告: the SHA-256 of every input file the edition
uses (of the four data tables only the rows it knows) and the build facts (version, commit)."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from beichen.paths import folder_shown
from beichen.render.tables import markdown_table


EDITION_FILES = ("indicators", "indicator_values", "metrics", "chains")


def edition_bytes(data, name: str) -> bytes:
    """The lines of data file `name` that `data` (an edition's view) holds, header first, as UTF-8
    (a frame keeps its file's row index: line = index + 2)."""
    source = Path(data.data_dir) / f"{name}.csv"
    lines = source.read_bytes().decode("utf-8-sig").splitlines(keepends=True)
    keep = {int(i) + 1 for i in getattr(data, name).index}
    return "".join(line for n, line in enumerate(lines) if n == 0 or n in keep).encode("utf-8")


def input_files(data, data_dir: Path, narrative_dir: Path, year: int) -> list[tuple[str, bytes]]:
    """(shown name, bytes) of each input the edition uses. The four data tables: only the rows the
    edition knows (their lines as in the file), so importing a later year leaves an edition's
    checksums as they were; the other data files, the meta files and the year's narrative: whole."""
    from beichen.model.edition import as_of_edition

    data_dir, narrative_dir = Path(data_dir), Path(narrative_dir)
    known = as_of_edition(data, year)
    from beichen.inputs.loading import REVISIONS_FILE, UNPUBLISHED_FILE
    from beichen.inputs.snapshot import edition_rows

    folder = folder_shown(data_dir)
    files = [(f"{folder}/{name}.csv（本版所用的行）", edition_bytes(known, name)) for name in EDITION_FILES]
    # The reasons of revisions and the records of figures not yet published, like the data rows: only
    # those of this edition and earlier ones.
    by_edition = (REVISIONS_FILE, UNPUBLISHED_FILE)
    files += [(f"{folder}/{p.name}（本版所用的行）" if p.name in by_edition else f"{folder}/{p.name}",
               edition_rows(p, year) if p.name in by_edition else p.read_bytes())
              for p in sorted(data_dir.glob("*.csv")) if p.stem not in EDITION_FILES]
    files += [(f"{folder}/meta/{p.name}", p.read_bytes()) for p in sorted((data_dir / "meta").glob("*.yml"))]
    from beichen.audit.source_text import has_source_report, source_path

    source = source_path(data_dir)
    # a plan without a source report reads none (the shipped source belongs to another plan)
    if source.exists() and has_source_report(data_dir, data):
        files += [(f"原报告原文（{source.name}）", source.read_bytes())]
    files += [(f"narrative/{year}/{p.name}", p.read_bytes()) for p in sorted((narrative_dir / str(year)).glob("*.md"))]
    return files


def checksum_table(data, data_dir: Path, narrative_dir: Path, year: int) -> pd.DataFrame:
    # Two groups of 32 hex digits: the column is then as wide as a file name, and a digest takes two
    # lines, not four lines of 16 beside a name set on one.
    return pd.DataFrame([{"文件": name, "SHA-256": grouped(hashlib.sha256(content).hexdigest(), 32)}
                         for name, content in input_files(data, data_dir, narrative_dir, year)])


def grouped(digest: str, size: int = 16) -> str:
    """A hex digest in groups of `size`, so it can wrap in a table cell (the PDF's page is narrow)."""
    return " ".join(digest[i:i + size] for i in range(0, len(digest), size))


def library_facts() -> dict[str, str]:
    """The program's version and, in a git checkout, its commit (— when unknown)."""
    from beichen.paths import program_facts

    return program_facts()


class InputsPage:
    """The page 输入文件校验值与构建信息 (a part of dossier.document.Dossier)."""

    def inputs_page(self) -> str:
        lib = library_facts()
        facts = pd.DataFrame([
            {"项目": "报告版本", "内容": f"{self.year}年版"},
            {"项目": "成文日期", "内容": self.issue_date},
            {"项目": "规划", "内容": f"{self.data.plan.quoted}（{self.data.plan.base_year}年基数，"
                                      f"{self.data.plan.target_year}年目标）"},
            {"项目": "程序版本", "内容": lib["version"]},
            {"项目": "程序提交", "内容": lib["commit"]},
        ])
        return "\n".join([
            f"# {self._heading('inputs')}", "",
            markdown_table(facts, f"表{self._part('inputs')}-1 构建信息", align="ll"), "",
            "下表为本版所用每个输入文件的SHA-256校验值（四个数据表只计本版所用的行及表头，按原文件的字节）。重新构建时输入相同，则报告相同；签发后如有改动，校验值即不同。", "",
            markdown_table(checksum_table(self.data, self.data_dir, self.narrative_dir, self.year), f"表{self._part('inputs')}-2 输入文件校验值",
                           align="ll")])
