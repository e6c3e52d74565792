"""第四部分 数字来源 of the 核查报告: one table per data file of every figure the edition shows,
with its value, year, data row, source and the edition it was entered for."""
from __future__ import annotations

import pandas as pd

from beichen.dossier.figures import figures
from beichen.dossier.wording import _esc
from beichen.paths import folder_shown
from beichen.render.tables import markdown_table


# its table holds, in words; the file is named in the line above it).
FILE_WORDS = {"indicator_values.csv": "评价指标的基数、目标和实际值", "metrics.csv": "其他统计数字",
              "chains.csv": "产业链的企业数、产值和增速"}


def provenance_caption(file: str) -> str:
    """“评价指标的基数、目标和实际值的来源” for indicator_values.csv; a file not listed: “其他数字的来源”."""
    return f"{FILE_WORDS.get(file, '其他数字')}的来源"


def provenance_tables(data, year: int, source_column: str = "出处") -> list[tuple[str, pd.DataFrame]]:
    """One table per data file: each figure the edition shows, its value, year and data row. The
    source's section or the data's source is headed 出处 (the page's lead says which): a header of
    eight characters (原报告位置或来源) held a column of “一(二)表” wide while the names wrapped."""
    groups: dict[str, list[dict]] = {}
    for f in figures(data, year):
        p = f.value.provenance
        groups.setdefault(f.file, []).append({
            "数字": f.what, "数值": f.value.plain,
            "所属年份": f"{f.value.year}年" if f.value.year else "—",
            "数据行": f"第{p.line}行" if p else "—",
            source_column: p.source if p else "—",
            "录入版本": f"{p.edition}年版" if p else "—",
        })
    return [(file, pd.DataFrame(rows)) for file, rows in groups.items()]


def one_value_apart(frame: pd.DataFrame, column: str) -> tuple[pd.DataFrame, str | None]:
    """(frame without `column`, its one value) when every row has the same value there, so that the
    sentence above the table says it once and the column's width goes to the names; else (frame, None)."""
    values = frame[column].unique() if column in frame.columns else []
    if len(values) != 1:
        return frame, None
    return frame.drop(columns=[column]), str(values[0])


class ProvenancePage:
    """The page 数字来源 (a part of dossier.document.Dossier)."""

    def provenance(self) -> str:
        if self.with_source:
            lines = [f"# {self._heading('provenance')}", "",
                     "本版显示的每个数字，按数据文件列出其数值、所属年份、在数据文件中的行号（表头为第1行）、"
                     "出处（原报告章节或数据来源），以及录入时所属的版本。原报告所载、仅供核查的数字见第一部分。", ""]
            tables = provenance_tables(self.data, self.year)
        else:
            lines = [f"# {self._heading('provenance')}", "",
                     "本版显示的每个数字，按数据文件列出其数值、所属年份、在数据文件中的行号（表头为第1行）、"
                     "数据来源（填报表“来源”列），以及录入时所属的版本。", ""]
            tables = provenance_tables(self.data, self.year, source_column="数据来源")
        # Which table holds which file's figures, said once above the tables: a lead-in of its own
        # before each table was left at a page's foot when its table went overleaf.
        numbers = [f"表{self._part('provenance')}-{n}" for n in range(1, len(tables) + 1)]
        shown, said = [], []
        for number, (file, frame) in zip(numbers, tables):
            frame, same = one_value_apart(frame, "录入版本")
            shown.append(markdown_table(frame, f"{number} {provenance_caption(file)}", align="lrrrll"[:len(frame.columns)]))
            said.append(f"{number}为数据文件 {_esc(folder_shown(self.data_dir) + '/' + file)} 中的数字"
                        + (f"（均为{_esc(same)}录入）" if same else ""))
        if said:
            lines += ["；".join(said) + "。", ""]
        for table in shown:
            lines += [table, ""]
        return "\n".join(lines)
