"""Take in the analyst's yearly entry file (data/entry/<year>.csv or .xlsx) and merge it into data/.

    python -m beichen.inputs.intake --year 2025                 # make import YEAR=2025
    python -m beichen.inputs.intake --year 2025 --file 填报.csv  # another file

The entry file is what `make new-year` wrote (see lib/beichen/inputs/newyear.py): one row per figure to fill,
the analyst types the number into 本年数值. Files come back from Chinese Excel in every state, so
reading is strict about meaning and lenient only where the meaning is unambiguous:

- encoding: UTF-8, UTF-8 with BOM, GB18030/GBK (Chinese Excel's “CSV (逗号分隔)”), UTF-16
  (“Unicode 文本”, tab separated) are decoded, and the report says which one it was;
- a value is normalised only when there is one reading: full-width digits “３９．８” → 39.8,
  thousands separators “1,389.9” → 1389.9, a percent sign “39.8%” on a row whose unit is %,
  an Excel percent-formatted cell 0.398 → 39.8, “超200”/“20余”/“近1000” on metrics (the
  qualifier column); every change is reported with file, row, column and old → new;
- blank rows and repeated header rows are skipped and reported;
- anything else (an unknown id, text in a number cell, “1,38”, a % on a row counted in 家, a
  figure that contradicts one already in data/) is refused, naming file, row, column, value and
  the fix. Nothing is guessed silently.

Import merges the filled rows into indicator_values.csv, metrics.csv and chains.csv with source
its citation in `source` and the edition it belongs to in `edition`, validates the result with loading.load_all on a temporary copy, and only then
replaces the data files (a backup of the previous files goes to build/imports/). Re-importing
a corrected entry file updates the rows of the earlier import of that year; a row of an earlier
edition is never changed:
- a figure of an earlier year typed with another value than the data hold (a copied row whose 年份
  is changed) is a **revision**: a new row of this edition (earlier editions keep theirs), its
  reason (column 修订原因, required) written to data/revisions.csv, who supplied it in `source`;
- “撤回” in 本年数值 removes the row this edition imported earlier; a row left blank whose figure
  was imported before is reported as still there, never dropped or kept silently;
- an .xlsx formula cell is taken by the result Excel saved with it (and said so), refused without one.
Every message names a figure by its Chinese name (indicators.csv, metrics.csv, chains.csv).
"""
from __future__ import annotations

import argparse
import csv
import io
import math
import os
import re
import shutil
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from beichen import cli, journal
from beichen.errors import BuildError
from beichen.inputs import text_policy
from beichen.inputs.loading import REVISIONS_FILE, DataValidationError, ReportData, capped_list, load_all
from beichen.inputs.loading import UNPUBLISHED_COLUMNS, UNPUBLISHED_FILE, UNPUBLISHED_WORD
from beichen.lock import BusyError, one_writer
from beichen.paths import DATA_DIR, checkout_of

ENTRY_DIR_NAME = "entry"
def default_source(year: int) -> str:
    """The citation of a figure entered on the year's sheet when the analyst names no office."""
    return f"{year}年度数据填报"

# Columns of the entry file, in order. Only 本年数值 (and, where needed, 年份/统计期/来源) is typed in.
COLUMNS = ["数据表", "标识", "类型", "名称", "单位", "年份", "统计期", "上年数值", "本年数值", "来源", "修订原因", "说明"]
REQUIRED = ["数据表", "标识", "类型", "年份", "本年数值"]
# 数据表 labels → data file stem (the file stems are accepted too).
TABLES = {"评价指标": "indicator_values", "产业链": "chains", "其他统计": "metrics"}
TABLE_LABELS = {stem: label for label, stem in TABLES.items()}
# chains.csv fields an entry row may carry, with their Chinese names.
CHAIN_FIELDS = {"enterprises": "在链企业数", "output_100m_yuan": "产值", "yoy_growth_pct": "同比增长"}
CHAIN_UNITS = {"enterprises": "家", "output_100m_yuan": "亿元", "yoy_growth_pct": "%"}
DATA_FILES = {"indicator_values": "indicator_values.csv", "metrics": "metrics.csv", "chains": "chains.csv"}
# Typed in 本年数值: remove the figure this edition imported earlier (README “新年度更新”).
WITHDRAW = "撤回"
# How a figure of each kind is named after its Chinese name in messages.
KIND_WORDS = {"actual": "", "target": "（目标）", "base": "（基数）"}

# Cells that mean “no figure” rather than a number.
NOT_FILLED = {"-", "—", "－", "–", "/", "／", "暂无", "暂无数据", "无", "空", "n/a", "N/A", "NA"}
FULL_WIDTH = str.maketrans("０１２３４５６７８９．，－＋％", "0123456789.,-+%")
PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")
QUALIFIED = re.compile(r"^(超|近)?\s*(.+?)\s*(余)?$")


# A real entry file has a few hundred rows of short cells; anything far bigger is the wrong file.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_CELL_CHARS = 500
ENTRY_SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm")
# An .xlsx formula cell is never evaluated here (a formula can fetch or run things): its value is the
# result Excel saved with the file, taken and reported as such; a formula without one is refused.
# Columns whose text is written into data/: the Unicode policy applies to each of their cells, and
# the formula rule to the text ones (本年数值 is a number: “-5.9” is a figure, checked as one).
IMPORTED = ["数据表", "标识", "类型", "年份", "本年数值", "统计期", "来源", "修订原因"]
TEXT_IMPORTED = ["统计期", "来源", "修订原因"]


class EntryError(ValueError):
    """The entry file cannot be taken in; one line per problem (file, row, column, value, fix).

    The message lists the first problems and counts the rest (100 000 bad rows must not print
    megabytes); `problems` keeps them all.
    """

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("填报文件有误，未导入任何数据 (entry file rejected, nothing imported):\n"
                         + capped_list(problems))


def _show(text: str, limit: int = 40) -> str:
    """A cell value as quoted in a message: one line, at most `limit` characters, an invisible
    character shown by its code point (⟦U+202E⟧), never itself."""
    return text_policy.visible(" ".join(str(text).split()), limit)


def check_entry_path(path: Path) -> None:
    """Refuse, before reading a byte, what cannot be an entry file: a folder, another kind of
    file, something far too big. Nothing of a foreign file is ever echoed."""
    if not path.exists():
        raise EntryError([f"{path}: 文件不存在"])
    if path.is_dir():
        raise EntryError([f"{path}: 是一个文件夹，不是填报文件；FILE= 应指向 `make new-year` 生成的 .csv 或 .xlsx 文件"])
    if not path.is_file():
        raise EntryError([f"{path}: 不是普通文件；FILE= 应指向 .csv 或 .xlsx 填报文件"])
    if path.suffix.lower() not in ENTRY_SUFFIXES:
        raise EntryError([f"{path.name}: 不是填报文件（只接受 {'、'.join(ENTRY_SUFFIXES)}）；"
                          "FILE= 应指向 `make new-year` 生成的填报表"])
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise EntryError([f"{path.name}: 文件过大（{size / 1024 / 1024:.1f} MB，填报表通常不足 100 KB，上限"
                          f" {MAX_FILE_BYTES // 1024 // 1024} MB）；确认选对了文件"])


@dataclass
class EntryRow:
    """One filled row of the entry file, checked against the catalogue."""

    line: int
    table: str          # indicator_values / metrics / chains
    figure_id: str
    kind: str           # indicator/metric kind, or a chains.csv field
    year: int
    value: str          # plain number text, as it will be written
    qualifier: str = ""
    period: str = ""
    source_note: str = ""  # what the analyst wrote in 来源, when it differs from the default
    reason: str = ""       # 修订原因: why a figure of an earlier edition is revised
    withdraw: bool = False  # 本年数值 “撤回”: remove the figure this edition imported earlier
    name: str = ""         # the figure's Chinese name, for messages

    @property
    def key(self) -> tuple:
        return (self.table, self.figure_id, self.kind, self.year)


@dataclass
class Entry:
    """What was read from an entry file: the filled rows, and a note of everything done to them."""

    path: Path
    year: int
    rows: list[EntryRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)      # encoding, normalisations, skipped rows
    unfilled: list[str] = field(default_factory=list)   # rows left empty, by name
    blank: list[EntryRow] = field(default_factory=list)  # rows left empty whose figure is known (value "")
    # rows whose 本年数值 reads 未发布: (metric_id, year, source), recorded in data/unpublished.csv
    unpublished: list[tuple[str, int, str]] = field(default_factory=list)


# --- reading -------------------------------------------------------------------------------

def default_entry_file(year: int, data_dir: Path = DATA_DIR) -> Path:
    """data/entry/<year>.xlsx or .csv, whichever exists (both: refused, as ambiguous)."""
    folder = Path(data_dir) / ENTRY_DIR_NAME
    found = [p for p in (folder / f"{year}.xlsx", folder / f"{year}.csv") if p.exists()]
    if not found:
        raise EntryError([f"{folder / f'{year}.csv'}: 文件不存在；先运行 `make new-year YEAR={year}` 生成填报表"])
    if len(found) > 1:
        raise EntryError([f"{folder}: {year}.xlsx 和 {year}.csv 同时存在，无法判断用哪一个；"
                          f"删去其中一个，或用 `make import YEAR={year} FILE=…` 指定"])
    return found[0]


def decode(path: Path, raw: bytes) -> tuple[str, str]:
    """Decode a CSV file's bytes; return (text, what encoding it was, in words)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8"), "UTF-8（带BOM）"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "UTF-16（Excel“Unicode 文本”）"
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030"), "GB18030/GBK（中文版 Excel“CSV（逗号分隔）”的默认编码），已按 GB18030 正确解码"
    except UnicodeDecodeError as err:
        line_no = raw[: err.start].count(b"\n") + 1
        raise EntryError([f"{path.name}: 第{line_no}行: 编码无法识别（既不是 UTF-8 也不是 GBK/GB18030）; "
                          "在 Excel 中“另存为 → CSV UTF-8（逗号分隔）”后重试"]) from None


def _csv_rows(path: Path) -> tuple[list[tuple[int, list[str], list[str], list[str]]], str]:
    """[(line number, cells, number formats, formulas)] of a CSV file, and its encoding in words."""
    text, encoding = decode(path, path.read_bytes())
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first and "," not in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    start = 1
    try:
        for cells in reader:
            rows.append((start, [c for c in cells], [""] * len(cells), [""] * len(cells)))
            start = reader.line_num + 1
    except csv.Error as err:
        raise EntryError([f"{path.name}: 第{start}行起: 无法按 CSV 读取（{_csv_problem(err)}）；"
                          "在 Excel 中打开后“另存为 → CSV UTF-8（逗号分隔）”再试"]) from None
    return rows, encoding


def _csv_problem(err: csv.Error) -> str:
    text = str(err)
    if "field larger than field limit" in text:
        return "某个单元格过长"
    if "NUL" in text or "null byte" in text:
        return "文件中有空字符，不是文本文件"
    return "格式错误"


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isfinite(value) and value == int(value) and abs(value) < 1e15:
            return str(int(value))
        return repr(round(value, 10))
    return str(value)


def _xlsx_rows(path: Path) -> tuple[list[tuple[int, list[str], list[str], list[str]]], str]:
    """[(row number, cells, number formats, formulas)] of the first sheet. The workbook is read twice:
    once for the formulas (a formula cell is reported as one), once for the values Excel saved with
    the file (a formula's cell text is its saved result, "" when none was saved)."""
    from itertools import zip_longest

    from openpyxl import load_workbook

    try:
        formulas_book = load_workbook(path, data_only=False, read_only=True)
        values_book = load_workbook(path, data_only=True, read_only=True)
    except Exception as err:  # a damaged or mislabelled file
        raise EntryError([f"{path.name}: 无法作为 Excel 工作簿打开（{type(err).__name__}: {err}）; "
                          "确认文件是 .xlsx，或另存为 CSV UTF-8 后用 FILE= 指定"]) from None
    sheet, saved = formulas_book.worksheets[0], values_book.worksheets[0]
    rows = []
    for index, (row, values) in enumerate(zip_longest(sheet.iter_rows(), saved.iter_rows(), fillvalue=()), start=1):
        values = list(values) + [None] * (len(row) - len(values))
        cells, formats, formulas = [], [], []
        for c, v in zip(row, values):
            is_formula = getattr(c, "data_type", None) == "f"
            value = getattr(v, "value", None) if is_formula else c.value
            cells.append(_cell_text(value))
            number_cell = v if is_formula else c
            formats.append((getattr(number_cell, "number_format", "") or "") if isinstance(value, (int, float)) else "")
            formulas.append(_cell_text(c.value) if is_formula else "")
        rows.append((index, cells, formats, formulas))
    formulas_book.close()
    values_book.close()
    return rows, f"Excel 工作簿（第一个工作表“{sheet.title}”）"


def _column_letter(index: int) -> str:
    """The spreadsheet's name of the 0-based column `index` (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _clean_header(cell: str) -> str:
    return cell.strip().lstrip("\ufeff").replace("（", "(").split("(")[0].strip()


def _catalogue(data: ReportData) -> dict:
    """What an entry row may refer to: ids, Chinese names, units and kinds of each data table."""
    indicators = data.indicators.set_index("indicator_id")
    metrics = data.metrics
    return {
        "indicator_values": {i: {"unit": indicators.loc[i, "unit"], "kinds": {"actual"}, "name": indicators.loc[i, "name"]}
                             for i in indicators.index},
        "metrics": {m: {"unit": rows["unit"].iloc[0], "kinds": set(rows["kind"]), "name": rows["name"].iloc[0]}
                    for m, rows in metrics.groupby("metric_id")},
        "chains": {c: {"unit": "", "kinds": set(CHAIN_FIELDS), "name": rows["name"].iloc[-1]}
                   for c, rows in data.chains.groupby("chain_id", sort=False)},
    }


def figure_name(entry_catalogue: dict, table: str, figure_id: str, kind: str) -> str:
    """A figure as messages name it: its Chinese name from the catalogue (“新材料产业链产值”,
    “国家级高新技术企业数量”, “规划重点工程（目标）”), never its id."""
    name = entry_catalogue[table][figure_id]["name"]
    if table == "chains":
        return f"{name}{CHAIN_FIELDS[kind]}"
    return name + KIND_WORDS.get(kind, "" if not kind.startswith("stated_") else "（原报告所载计算值）")


def normalise_number(text: str, unit: str, allow_qualifier: bool, where: str,
                     notes: list[str], problems: list[str], percent_cell: bool = False
                     ) -> tuple[str | None, str]:
    """Plain number text and qualifier of a value cell; None when not filled or refused.

    Appends to `notes` each normalisation made, to `problems` each refusal with its fix.
    """
    original = text
    text = text.strip().strip("\u3000")
    if text == "":
        return None, ""
    if text in NOT_FILLED:
        notes.append(f"{where}: “{_show(original)}” 视为未填写（不导入）")
        return None, ""
    value = text.translate(FULL_WIDTH).replace("\u3000", "")
    steps = []
    if value != text:
        steps.append("全角字符改为半角")
    qualifier = ""
    match = QUALIFIED.match(value)
    if match and (match.group(1) or match.group(3)):
        if not allow_qualifier:
            problems.append(f"{where}: 值 “{_show(original)}” 带有“超/近/余”，此类数据须填确切数字；修正：只填数字")
            return None, ""
        if match.group(1) and match.group(3):
            problems.append(f"{where}: 值 “{_show(original)}” 同时有“{match.group(1)}”和“余”，含义不明；修正：只保留一个")
            return None, ""
        qualifier = match.group(1) or match.group(3)
        value = match.group(2)
        steps.append(f"“{qualifier}”记入 qualifier 列")
    if value.endswith("%"):
        if unit != "%":
            problems.append(f"{where}: 值 “{_show(original)}” 带百分号，但该项单位是“{unit}”；修正：填{unit}数，不带%")
            return None, ""
        value = value[:-1].strip()
        steps.append("去掉百分号（单位已是%）")
    if "," in value:
        if not THOUSANDS.match(value):
            problems.append(f"{where}: 值 “{_show(original)}” 中的逗号含义不明（不是千分位格式）；修正：只填数字，小数点用“.”，如 1389.9")
            return None, ""
        value = value.replace(",", "")
        steps.append("去掉千分位逗号")
    if not PLAIN_NUMBER.match(value):
        problems.append(f"{where}: 值 “{_show(original)}” 不是数字；修正：只填阿拉伯数字（可带小数点和负号），"
                        f"单位“{unit or '见单位列'}”不必填入，无数据则留空")
        return None, ""
    if percent_cell:
        if unit != "%":
            problems.append(f"{where}: 单元格为 Excel 百分比格式（{_show(original)}），但该项单位是“{unit}”；"
                            "修正：把单元格格式改为“常规”或“数值”")
            return None, ""
        value = _cell_text(round(float(value) * 100, 8))
        steps.append("Excel 百分比格式的小数 ×100")
    if steps:
        notes.append(f"{where}: “{_show(original)}” → “{value}”（{'；'.join(steps)}）")
    return value, qualifier


def read_entry(path: Path, year: int, data: ReportData) -> Entry:
    """Read and check an entry file against the catalogue in `data`; raise EntryError listing every problem."""
    path = Path(path)
    check_entry_path(path)
    rows, encoding = _xlsx_rows(path) if path.suffix.lower() in (".xlsx", ".xlsm") else _csv_rows(path)
    entry = Entry(path=path, year=year)
    entry.notes.append(f"{path.name}: 编码/格式为 {encoding}")
    _, body_start, columns = _find_header(rows, path.name, entry.notes)
    sheet = _Sheet(entry, data, columns)
    for line, cells, formats, formulas in rows[body_start:]:
        sheet.read_row(line, cells, formats, formulas)
    sheet.check_new_chain_years()
    if sheet.problems:
        raise EntryError(sheet.problems)
    return entry


def _find_header(rows, name: str, notes: list[str]) -> tuple[int, int, dict[str, int]]:
    """The header: the first row that is not blank (a one-cell title row above it is skipped).
    Returns its line, the position of the first row below it, and {column name: index}."""
    for position, (line, cells, *_) in enumerate(rows):
        filled = [c for c in cells if c.strip()]
        if not filled:
            continue
        names = [_clean_header(c) for c in cells]
        if all(col in names for col in REQUIRED):
            columns = {n: i for i, n in enumerate(names) if n}
            unknown = [n for n in columns if n not in COLUMNS]
            if unknown:
                notes.append(f"{name}: 第{line}行: 多出的列 {'、'.join(unknown)} 不导入")
            return line, position + 1, columns
        if len(filled) == 1:
            notes.append(f"{name}: 第{line}行: 标题行“{_show(filled[0])}”，已跳过")
            continue
        # The row itself is not quoted: this may be some other file, whose content is not ours to print.
        raise EntryError([f"{name}: 第{line}行: 不是填报表的表头（表头应包含 {'、'.join(REQUIRED)}）；"
                          "修正：用 `make new-year` 生成的表格填写，不要改动表头"])
    raise EntryError([f"{name}: 文件中没有表头和数据"])


class _Sheet:
    """The rows of one entry file read in turn against the catalogue: each filled row becomes an
    EntryRow of `entry`, each problem a message naming file, line, column and value."""

    def __init__(self, entry: Entry, data: ReportData, columns: dict[str, int]):
        self.entry, self.data, self.columns = entry, data, columns
        self.name = entry.path.name
        self.catalogue = _catalogue(data)
        self.column_names = {i: n for n, i in columns.items()}
        self.problems: list[str] = []
        self.seen: dict[tuple, tuple[int, str]] = {}

    def cell(self, cells: list[str], column: str) -> str:
        index = self.columns.get(column)
        return cells[index] if index is not None and index < len(cells) else ""

    def read_row(self, line: int, cells: list[str], formats: list[str], formulas: list[str]) -> None:
        if not self._admissible(line, cells, formulas):
            return
        figure = self._figure(line, cells)
        if figure is None:
            return
        table, figure_id, kind = figure
        label_name = figure_name(self.catalogue, table, figure_id, kind)
        year_text, year_ok, first, latest = self._year(cells, table)
        entered = self.cell(cells, "本年数值").strip()
        where = f"{self.name}: 第{line}行, 列 本年数值"
        if entered == UNPUBLISHED_WORD:
            _note_unpublished(self.entry, self.problems, where, table, kind, figure_id, label_name,
                              int(year_text) if year_ok else None, self.cell(cells, "来源").strip())
            return
        withdraw = entered == WITHDRAW
        value, qualifier = self._value(cells, formats, table, figure_id, kind, where, withdraw)
        if value is None:
            if entered == "" or entered in NOT_FILLED:
                self.entry.unfilled.append(label_name)
                if year_ok:  # merge reports it when this edition imported the figure before
                    self.entry.blank.append(EntryRow(line=line, table=table, figure_id=figure_id, kind=kind,
                                                     year=int(year_text), value="", name=label_name))
            return
        if table == "chains" and kind == "enterprises" and not withdraw:
            if not re.match(r"^\d+(\.0+)?$", value):
                self.problems.append(f"{where}: 值 “{value}” 不合要求，{label_name}应为非负整数")
                return
            value = str(int(float(value)))
        typed_year = self.cell(cells, "年份").strip()
        if year_text != typed_year and re.match(r"^\d{4}$", year_text):
            self.entry.notes.append(f"{self.name}: 第{line}行, 列 年份: “{typed_year}” → {year_text}")
        if not year_ok:
            self.problems.append(f"{self.name}: 第{line}行, 列 年份: 值 “{_show(self.cell(cells, '年份'))}” 不合要求，"
                                 f"应为{first}–{latest}之间的四位年份（数值所属年份）")
            return
        typed = self._texts(line, cells)
        if typed is None:
            return
        row = EntryRow(line=line, table=table, figure_id=figure_id, kind=kind, year=int(year_text),
                       value=value, qualifier=qualifier, period=self._period(line, typed["统计期"], year_text),
                       source_note="" if typed["来源"] in ("", default_source(self.entry.year)) else typed["来源"],
                       reason=typed["修订原因"], withdraw=withdraw, name=label_name)
        self._add(row)

    def _admissible(self, line: int, cells: list[str], formulas: list[str]) -> bool:
        """False for a row that is refused (oversized cell, formula without result, forbidden text) or skipped."""
        if any(len(c) > MAX_CELL_CHARS for c in cells):
            self.problems.append(f"{self.name}: 第{line}行: 有单元格超过{MAX_CELL_CHARS}个字符，不是填报内容；"
                                 "修正：删去该行或改正该单元格")
            return False
        refused = _formula_cells(self.name, line, cells, formulas, self.column_names, self.entry.notes)
        for column in IMPORTED:  # stripped as each is read below: surrounding spaces and tabs are not text
            refused += text_policy.cell_problems(self.cell(cells, column).strip(), f"{self.name}: 第{line}行, 列 {column}")
        if refused:
            self.problems += refused
            return False
        if not any(c.strip() for c in cells):
            self.entry.notes.append(f"{self.name}: 第{line}行: 空行，已跳过")
            return False
        if _clean_header(self.cell(cells, "数据表")) == "数据表":
            self.entry.notes.append(f"{self.name}: 第{line}行: 重复的表头行，已跳过")
            return False
        return True

    def _figure(self, line: int, cells: list[str]) -> tuple[str, str, str] | None:
        """(table, figure id, kind) of a row, each checked against the catalogue."""
        label = self.cell(cells, "数据表").strip()
        table = TABLES.get(label, label if label in DATA_FILES else None)
        if table is None:
            self.problems.append(f"{self.name}: 第{line}行, 列 数据表: 值 “{_show(label)}” 不合要求，应为 "
                                 f"{'、'.join(TABLES)} 之一；修正：保留 `make new-year` 生成的原值")
            return None
        figure_id = self.cell(cells, "标识").strip()
        known = self.catalogue[table]
        if figure_id not in known:
            self.problems.append(f"{self.name}: 第{line}行, 列 标识: 值 “{_show(figure_id)}” 不是已登记的"
                                 f"{TABLE_LABELS[table]}标识；修正：保留 `make new-year` 生成的原值（“标识”列不要改）；"
                                 "表中没有的项是指标目录的变更，不经填报表新增")
            return None
        kind = self.cell(cells, "类型").strip()
        if kind not in known[figure_id]["kinds"]:
            self.problems.append(f"{self.name}: 第{line}行, 列 类型: 值 “{_show(kind)}” 不合要求，"
                                 f"{known[figure_id]['name']} 可填的类型为 {'、'.join(sorted(known[figure_id]['kinds']))}")
            return None
        return table, figure_id, kind

    def _year(self, cells: list[str], table: str) -> tuple[str, bool, int, int]:
        """The row's 年份 as four digits (full-width digits and 年 taken off), whether it lies within the plan's
        years up to this edition's (a snapshot statistic may be of a later year), and those bounds."""
        year_text = self.cell(cells, "年份").strip().translate(FULL_WIDTH).removesuffix("年")
        latest = self.data.plan.snapshot_year(self.entry.year) if table == "metrics" else self.entry.year
        first = self.data.plan.base_year
        year_ok = bool(re.match(r"^\d{4}$", year_text)) and first <= int(year_text) <= latest
        return year_text, year_ok, first, latest

    def _value(self, cells, formats, table, figure_id, kind, where, withdraw) -> tuple[str | None, str]:
        if withdraw:
            return "", ""
        value_column = self.columns["本年数值"]
        unit = CHAIN_UNITS[kind] if table == "chains" else self.catalogue[table][figure_id]["unit"]
        percent_cell = "%" in (formats[value_column] if value_column < len(formats) else "")
        return normalise_number(self.cell(cells, "本年数值"), unit, table == "metrics", where,
                                self.entry.notes, self.problems, percent_cell)

    def _texts(self, line: int, cells: list[str]) -> dict[str, str] | None:
        """The row's text columns (来源, 统计期, 修订原因); None when one is refused as a formula."""
        typed, refused = {}, []
        for column in TEXT_IMPORTED:
            text = self.cell(cells, column).strip()
            if text in NOT_FILLED:  # “-” or “—” typed as “none”: left empty, as in 本年数值 (not a formula)
                self.entry.notes.append(f"{self.name}: 第{line}行, 列 {column}: “{text}” 视为未填写")
                text = ""
            problem = text_policy.formula_problem(text, f"{self.name}: 第{line}行, 列 {column}")
            refused += [problem] if problem else []
            typed[column] = text
        if refused:
            self.problems += refused
            return None
        return typed

    def _period(self, line: int, period: str, year_text: str) -> str:
        period_years = set(re.findall(r"\d{4}", period))
        if len(period_years) == 1 and period_years != {year_text} and not period.startswith(self.data.plan.name):
            # The sheet pre-fills 统计期 with the sheet's year; a figure moved to another year (年份
            # changed) takes its 统计期 along, and the change is reported like every normalisation.
            new_period = period.replace(period_years.pop(), year_text)
            self.entry.notes.append(f"{self.name}: 第{line}行, 列 统计期: “{period}” → “{new_period}”（随年份{year_text}）")
            return new_period
        return period

    def _add(self, row: EntryRow) -> None:
        if row.key in self.seen:
            first_line, first_value = self.seen[row.key]
            self.problems.append(f"{self.name}: 第{row.line}行: 与第{first_line}行重复（{row.name} {row.year}年），"
                                 f"两行分别填 “{first_value}” 和 “{row.value or WITHDRAW}”；修正：删去其中一行")
            return
        self.seen[row.key] = (row.line, row.value or WITHDRAW)
        self.entry.rows.append(row)

    def check_new_chain_years(self) -> None:
        """A chain's new year needs both its firm count and its output (growth is optional); a chain-year
        the data already hold may be revised one figure at a time."""
        by_chain: dict[tuple, dict[str, EntryRow]] = {}
        for row in self.entry.rows:
            if row.table == "chains" and not row.withdraw:
                by_chain.setdefault((row.figure_id, row.year), {})[row.kind] = row
        chains = self.data.chains
        for (chain_id, chain_year), fields in by_chain.items():
            if ((chains["chain_id"] == chain_id) & (chains["year"] == chain_year)).any():
                continue
            for needed in ("enterprises", "output_100m_yuan"):
                if needed not in fields:
                    some = next(iter(fields.values()))
                    chain_name = self.catalogue["chains"][chain_id]["name"]
                    self.problems.append(
                        f"{self.name}: 第{some.line}行附近: {chain_name}（{chain_year}年）填了"
                        f"{'、'.join(CHAIN_FIELDS[k] for k in fields)}，但缺{CHAIN_FIELDS[needed]}；"
                        f"修正：在{chain_name}{chain_year}年的企业数和产值两行都填上数字（同比增长可不填）")


def _formula_cells(name: str, line: int, cells: list[str], formulas: list[str], column_names: dict,
                   notes: list[str]) -> list[str]:
    """Each formula cell of a row: noted with the result Excel saved (which `cells` already hold),
    or refused when the file holds no saved result (a formula is never evaluated here)."""
    refused = []
    for i, formula in enumerate(formulas):
        if not formula:
            continue
        where = f"{name}: 第{line}行, 列 {column_names.get(i, _column_letter(i))}"
        if cells[i].strip():
            notes.append(f"{where}: 单元格是公式 “{_show(formula)}”，取其保存的结果 “{_show(cells[i])}”"
                         "（Excel 最后一次计算后随文件保存的值）")
        else:
            refused.append(f"{where}: 单元格是公式 “{_show(formula)}”，文件中没有保存它的计算结果，无从取值；"
                           "修正：在 Excel 中打开并保存，或复制该单元格“选择性粘贴 → 数值”粘回原处，或直接键入数字或文字")
    return refused


# --- merging -------------------------------------------------------------------------------

def _read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def _same_number(a: str, b: str) -> bool:
    """Two number cells hold the same figure (two empty cells too: a growth not stated)."""
    if not a.strip() or not b.strip():
        return not a.strip() and not b.strip()
    try:
        return float(a) == float(b)
    except ValueError:
        return False


def _source(row: EntryRow, year: int) -> str:
    """The row's citation: the office the analyst named (来源 column), else the year's entry sheet.
    Which edition the row belongs to is the `edition` column, not this text."""
    return row.source_note or default_source(year)


def _period(row: EntryRow, template: dict[str, str]) -> str:
    """The period text: as entered, else last year's with its years moved on (“截至2024年” → “截至2025年”)."""
    if row.period:
        return row.period
    old_year = template["year"]
    return template["period"].replace(old_year, str(row.year)) if old_year in template["period"] else str(row.year)


REVISION_COLUMNS = ["edition", "table", "figure_id", "field", "year", "reason"]


class _Merge:
    """The merge of one entry into copies of the data files: each table's rows as lists of cells,
    the reasons of revisions (data/revisions.csv), and what the import reports.

    A figure is found by its key; of its rows, `mine` is the one this edition imported earlier
    (column edition = the entry's year) and `earlier` the latest of an earlier edition (never changed)."""

    def __init__(self, entry: Entry, data_dir: Path):
        self.entry, self.ours, self.name = entry, str(entry.year), entry.path.name
        self.problems: list[str] = []
        self.changes: list[str] = []
        self.notices: list[str] = []
        self.counts = {stem: {"added": 0, "updated": 0, "revised": 0, "withdrawn": 0, "same": 0}
                       for stem in DATA_FILES}
        self.tables = {stem: _read_csv(Path(data_dir) / file) for stem, file in DATA_FILES.items()}
        path = Path(data_dir) / REVISIONS_FILE
        rows = _read_csv(path)[1] if path.exists() else []
        # (table, figure_id, field, year, edition) → reason, in file order
        self.reasons = {(r[1], r[2], r[3], r[4], r[0]): r[5] for r in rows}
        header, rows = _read_csv(Path(data_dir) / "indicators.csv")
        self.indicator_names = {r[header.index("indicator_id")]: r[header.index("name")] for r in rows}

    # -- rows of a figure
    def col(self, stem: str) -> dict[str, int]:
        return {c: i for i, c in enumerate(self.tables[stem][0])}

    def find(self, stem: str, match) -> tuple[int | None, int | None]:
        """(mine, earlier): indexes of this edition's row and of the latest earlier edition's row."""
        col, rows = self.col(stem), self.tables[stem][1]
        same = [i for i, r in enumerate(rows) if match(r)]
        mine = next((i for i in same if rows[i][col["edition"]] == self.ours), None)
        older = [i for i in same if int(rows[i][col["edition"]]) < self.entry.year]
        earlier = max(older, key=lambda i: int(rows[i][col["edition"]])) if older else None
        return mine, earlier

    def ident(self, row: EntryRow) -> tuple:
        return (row.table, row.figure_id, row.kind, str(row.year), self.ours)

    def needs_reason(self, row: EntryRow, old: str, old_edition: str, old_source: str) -> bool:
        """A revision of an earlier edition's figure: its reason recorded, or a problem (True)."""
        reason = row.reason or self.reasons.get(self.ident(row), "")
        if not reason:
            self.problems.append(
                f"{self.name}: 第{row.line}行, 列 修订原因: {row.name} {row.year}年填 “{row.value}”，与{old_edition}年版的"
                f" “{old}”（来源 {old_source}）不同，是对已有数字的修订，须写明修订原因；修正：在本行“修订原因”列写明"
                f"为何修订（如“统计局年报修订”），“来源”列写明提供修订数的单位；若是填错了年份或数字，改正本行")
            return True
        self.reasons[self.ident(row)] = reason
        return False

    def drop_reason(self, row: EntryRow) -> None:
        self.reasons.pop(self.ident(row), None)

    # -- indicator values and metrics: one figure per row
    def merge_values(self, stem: str, id_column: str) -> None:
        header, rows = self.tables[stem]
        col = self.col(stem)
        for row in (r for r in self.entry.rows if r.table == stem):
            mine, earlier = self.find(stem, lambda r: r[col[id_column]] == row.figure_id
                                      and r[col["year"]] == str(row.year) and r[col["kind"]] == row.kind)
            if row.withdraw:
                self.withdraw_row(stem, row, mine, earlier, lambda r: self.shown(stem, r))
                continue
            typed = (row.qualifier, _cell_text(float(row.value)))
            if earlier is not None and self.figure(stem, rows[earlier]) == typed:
                if mine is not None:   # back to the earlier edition's figure: this edition's revision undone
                    old = self.shown(stem, rows[mine])
                    del rows[mine]
                    self.drop_reason(row)
                    self.changes.append(f"{row.name} {row.year}年: 与{rows[earlier][col['edition']]}年版的数相同，"
                                        f"本版此前导入的修订值 {old} 已去掉")
                    self.counts[stem]["withdrawn"] += 1
                else:
                    self.counts[stem]["same"] += 1
                continue
            if earlier is not None and self.needs_reason(row, self.shown(stem, rows[earlier]),
                                                         rows[earlier][col["edition"]], rows[earlier][col["source"]]):
                continue
            if mine is not None:
                old = rows[mine]
                if self.figure(stem, old) == typed:
                    self.counts[stem]["same"] += 1
                    continue
                self.changes.append(f"{row.name} {row.year}年: 更新 {self.shown(stem, old)} → {row.qualifier}{row.value}")
                old[col["value"]], old[col["source"]] = row.value, _source(row, self.entry.year)
                if "qualifier" in col:
                    old[col["qualifier"]] = row.qualifier
                self.counts[stem]["updated"] += 1
                continue
            new = self.new_value_row(stem, row, earlier)
            rows.append([new[c] for c in header])  # appended: earlier editions' rows never move (their provenance)
            if earlier is not None:
                self.changes.append(f"{row.name} {row.year}年: 修订 {self.shown(stem, rows[earlier])}"
                                    f"（{rows[earlier][col['edition']]}年版）→ {row.qualifier}{row.value}（{self.ours}年版；"
                                    f"{rows[earlier][col['edition']]}年版不变）")
                self.counts[stem]["revised"] += 1
            else:
                self.counts[stem]["added"] += 1

    def figure(self, stem: str, cells: list[str]) -> tuple[str, str]:
        """(qualifier, value) of a data row, the value as a number text."""
        col = self.col(stem)
        qualifier = cells[col["qualifier"]] if "qualifier" in col else ""
        value = cells[col["value"]]
        try:
            value = _cell_text(float(value))
        except ValueError:
            pass
        return qualifier, value

    def shown(self, stem: str, cells: list[str]) -> str:
        qualifier, value = self.figure(stem, cells)
        return f"{qualifier}{value}"

    def new_value_row(self, stem: str, row: EntryRow, earlier: int | None) -> dict[str, str]:
        header, rows = self.tables[stem]
        col = self.col(stem)
        if stem == "indicator_values":
            new = dict.fromkeys(header, "")
            new.update({"indicator_id": row.figure_id, "year": str(row.year), "kind": row.kind})
        else:
            # name, unit, decimals and the linked indicator: from the revised row, else the metric's
            # latest row of that kind
            same_id = [i for i, r in enumerate(rows) if r[col["metric_id"]] == row.figure_id]
            kin = [i for i in same_id if rows[i][col["kind"]] == row.kind] or same_id
            source_row = earlier if earlier is not None else max(kin, key=lambda i: int(rows[i][col["year"]]))
            template = dict(zip(header, rows[source_row]))
            new = dict(template)
            new.update({"year": str(row.year), "kind": row.kind, "qualifier": row.qualifier,
                        "period": template["period"] if earlier is not None and not row.period else _period(row, template),
                        "note": f"{self.name}第{row.line}行"})
        new.update({"value": row.value, "source": _source(row, self.entry.year), "edition": self.ours})
        return new

    def withdraw_row(self, stem: str, row: EntryRow, mine: int | None, earlier: int | None, shown) -> None:
        """“撤回”: this edition's row of the figure removed; an earlier edition's is never touched."""
        header, rows = self.tables[stem]
        col = self.col(stem)
        if mine is not None:
            old = shown(rows[mine])
            del rows[mine]
            earlier = None if earlier is None else earlier - (earlier > mine)
            self.drop_reason(row)
            back = (f"，{rows[earlier][col['edition']]}年版的 {shown(rows[earlier])} 重新适用" if earlier is not None else "")
            self.changes.append(f"{self.name}: 第{row.line}行: 撤回{row.name} {row.year}年本版上次导入的 {old}{back}")
            self.counts[stem]["withdrawn"] += 1
        elif earlier is not None:  # a notice, not a refusal: the same sheet imported again after a withdrawal
            self.notices.append(
                f"{self.name}: 第{row.line}行: 填“{WITHDRAW}”，但本版没有导入过{row.name} {row.year}年的数，无可撤回；现有的"
                f" {shown(rows[earlier])} 是{rows[earlier][col['edition']]}年版录入的（来源 {rows[earlier][col['source']]}），"
                "已有版本的数字一律不改，本版照用；若此数有误，在本行填正确的数并在“修订原因”列写明原因")
        else:
            self.notices.append(f"{self.name}: 第{row.line}行: 填“{WITHDRAW}”，但本版没有导入过{row.name} {row.year}年的数，无需撤回")

    # -- chains: one row per chain and year, one entry row per figure of it
    def merge_chains(self) -> None:
        header, rows = self.tables["chains"]
        col = self.col("chains")
        groups: dict[tuple, dict[str, EntryRow]] = {}
        for row in (r for r in self.entry.rows if r.table == "chains" and not r.withdraw):
            groups.setdefault((row.figure_id, row.year), {})[row.kind] = row

        def match(chain_id, chain_year):
            return lambda r: r[col["chain_id"]] == chain_id and r[col["year"]] == str(chain_year)

        for (chain_id, chain_year), fields in groups.items():
            mine, earlier = self.find("chains", match(chain_id, chain_year))
            first = next(iter(fields.values()))
            if mine is None and earlier is None:
                self.new_chain_year(chain_id, chain_year, fields)
                continue
            revised = []
            if earlier is not None:
                old = rows[earlier]
                revised = [k for k, r in fields.items() if not _same_number(old[col[k]], r.value)]
                refused = [k for k in revised if self.needs_reason(fields[k], old[col[k]] or "（未载）",
                                                                     old[col["edition"]], old[col["source"]])]
                if refused:
                    continue
                for k, r in fields.items():
                    if k not in revised:
                        self.drop_reason(r)
            if mine is None:
                if not revised:
                    self.counts["chains"]["same"] += 1
                    continue
                new = dict(zip(header, rows[earlier]))   # the other figures: from the latest row of that chain-year
                new.update({k: fields[k].value for k in revised})
                # The source's printed share was of the figures it printed, not of a revised output.
                new.update({"stated_share_pct": "", "source": _source(fields[revised[0]], self.entry.year),
                            "edition": self.ours})
                rows.append([new[c] for c in header])
                for k in revised:
                    self.changes.append(f"{fields[k].name} {chain_year}年: 修订 {rows[earlier][col[k]] or '（未载）'}"
                                        f"（{rows[earlier][col['edition']]}年版）→ {fields[k].value}（{self.ours}年版；"
                                        f"{rows[earlier][col['edition']]}年版不变）")
                self.counts["chains"]["revised"] += 1
                continue
            row_cells = rows[mine]
            differs = [k for k, r in fields.items() if not _same_number(row_cells[col[k]], r.value)]
            if not differs:
                self.counts["chains"]["same"] += 1
                continue
            for k in differs:
                self.changes.append(f"{fields[k].name} {chain_year}年: 更新 {row_cells[col[k]] or '（空）'} → {fields[k].value}")
                row_cells[col[k]] = fields[k].value
            row_cells[col["source"]] = _source(first, self.entry.year)
            self.counts["chains"]["updated"] += 1
            self.undo_if_same(mine, earlier, f"{first.name.removesuffix(CHAIN_FIELDS[first.kind])} {chain_year}年")

    def undo_if_same(self, mine: int, earlier: int | None, what: str) -> None:
        """This edition's revision row of a chain-year removed once it equals the earlier edition's."""
        header, rows = self.tables["chains"]
        col = self.col("chains")
        if earlier is None or not all(_same_number(rows[mine][col[k]], rows[earlier][col[k]]) for k in CHAIN_FIELDS):
            return
        del rows[mine]
        self.changes.append(f"{what}: 各数与{rows[earlier - (earlier > mine)][col['edition']]}年版相同，本版的修订行已去掉")

    def new_chain_year(self, chain_id: str, chain_year: int, fields: dict[str, EntryRow]) -> None:
        header, rows = self.tables["chains"]
        col = self.col("chains")
        latest = max((i for i, r in enumerate(rows) if r[col["chain_id"]] == chain_id),
                     key=lambda i: int(rows[i][col["year"]]))
        new = dict(zip(header, rows[latest]))
        first = next(iter(fields.values()))
        new.update({"year": str(chain_year), "enterprises": fields["enterprises"].value,
                    "output_100m_yuan": fields["output_100m_yuan"].value,
                    "yoy_growth_pct": fields["yoy_growth_pct"].value if "yoy_growth_pct" in fields else "",
                    "stated_share_pct": "", "source": _source(first, self.entry.year), "edition": self.ours})
        rows.append([new[c] for c in header])
        self.counts["chains"]["added"] += 1

    def withdraw_chains(self) -> None:
        """“撤回” of a chain's figure. Of a revision row: the field goes back to the earlier edition's
        figure (the row goes when nothing is left revised). Of a new chain-year: a growth is emptied;
        a firm count or output takes the whole row with it (the two are entered together)."""
        header, rows = self.tables["chains"]
        col = self.col("chains")
        for row in (r for r in self.entry.rows if r.table == "chains" and r.withdraw):
            mine, earlier = self.find("chains", lambda r: r[col["chain_id"]] == row.figure_id
                                      and r[col["year"]] == str(row.year))
            unchanged = mine is not None and (not rows[mine][col[row.kind]].strip() if earlier is None else _same_number(
                rows[mine][col[row.kind]], rows[earlier][col[row.kind]]))
            if mine is None or unchanged:   # this edition never entered that figure: nothing of its own to withdraw
                self.withdraw_row("chains", row, None, earlier, lambda r: r[col[row.kind]] or "（未载）")
                continue
            old = rows[mine][col[row.kind]] or "（空）"
            self.drop_reason(row)
            self.counts["chains"]["withdrawn"] += 1
            if earlier is not None:
                rows[mine][col[row.kind]] = rows[earlier][col[row.kind]]
                self.changes.append(f"{self.name}: 第{row.line}行: 撤回{row.name} {row.year}年本版的修订值 {old}，"
                                    f"{rows[earlier][col['edition']]}年版的 {rows[earlier][col[row.kind]] or '（未载）'} 重新适用")
                self.undo_if_same(mine, earlier, f"{row.name.removesuffix(CHAIN_FIELDS[row.kind])} {row.year}年")
            elif row.kind == "yoy_growth_pct":
                rows[mine][col[row.kind]] = ""
                self.changes.append(f"{self.name}: 第{row.line}行: 撤回{row.name} {row.year}年本版上次导入的 {old}")
            else:
                cells = rows.pop(mine)
                chain = row.name.removesuffix(CHAIN_FIELDS[row.kind])
                self.changes.append(
                    f"{self.name}: 第{row.line}行: 撤回{row.name} {row.year}年本版上次导入的 {old}；企业数和产值须一并填写，"
                    f"{chain} {row.year}年的整行一并撤回（企业数 {cells[col['enterprises']]}、产值 {cells[col['output_100m_yuan']]}"
                    + (f"、同比增长 {cells[col['yoy_growth_pct']]}" if cells[col["yoy_growth_pct"]] else "") + "）")

    # -- what this edition imported before and the sheet leaves as it is
    def report_kept(self) -> None:
        """A blank row whose figure this edition imported before, and a figure this edition imported
        before that the sheet has no row for: both stay, said so (withdrawing takes “撤回”)."""
        blank = {r.key: r for r in self.entry.blank}
        named = {r.key for r in self.entry.rows} | set(blank)
        for stem, id_column in (("indicator_values", "indicator_id"), ("metrics", "metric_id"), ("chains", "chain_id")):
            header, rows = self.tables[stem]
            col = self.col(stem)
            for cells in rows:
                if cells[col["edition"]] != self.ours:
                    continue
                kinds = [cells[col["kind"]]] if stem != "chains" else [
                    k for k in CHAIN_FIELDS if cells[col[k]] and not self._as_earlier(cells, k)]
                for kind in kinds:
                    key = (stem, cells[col[id_column]], kind, int(cells[col["year"]]))
                    value = self.shown(stem, cells) if stem != "chains" else cells[col[kind]]
                    if key in blank:
                        r = blank[key]
                        self.notices.append(f"{self.name}: 第{r.line}行留空，上次导入的{r.name} {r.year}年 {value} 仍在；"
                                            f"要撤回请填“{WITHDRAW}”")
                    elif key not in named:
                        what = self.catalogue_name(stem, cells, kind)
                        self.notices.append(f"{self.name}: 表中没有{what} {key[3]}年这一行，上次导入的 {value} 仍在；"
                                            f"要撤回，在表中加一行（复制同一项的行并改“年份”）填“{WITHDRAW}”")

    def _as_earlier(self, cells: list[str], field_name: str) -> bool:
        """A field of this edition's chain row copied unchanged from an earlier edition's row."""
        col = self.col("chains")
        _, earlier = self.find("chains", lambda r: r[col["chain_id"]] == cells[col["chain_id"]]
                               and r[col["year"]] == cells[col["year"]])
        return earlier is not None and _same_number(self.tables["chains"][1][earlier][col[field_name]], cells[col[field_name]])

    def catalogue_name(self, stem: str, cells: list[str], kind: str) -> str:
        col = self.col(stem)
        if stem == "chains":
            return f"{cells[col['name']]}{CHAIN_FIELDS[kind]}"
        if stem == "metrics":
            return cells[col["name"]] + KIND_WORDS.get(kind, "（原报告所载计算值）")
        return self.indicator_names.get(cells[col["indicator_id"]], "评价指标") + KIND_WORDS.get(kind, "")

    def write(self, out_dir: Path) -> None:
        for stem, (header, rows) in self.tables.items():
            _write_csv(Path(out_dir) / DATA_FILES[stem], header, rows)
        rows = [[k[4], k[0], k[1], k[2], k[3], reason] for k, reason in self.reasons.items()]
        _write_csv(Path(out_dir) / REVISIONS_FILE, REVISION_COLUMNS, rows)


def _note_unpublished(entry: Entry, problems: list[str], where: str, table: str, kind: str, figure_id: str,
                      label_name: str, year: int | None, source: str) -> None:
    """A statistic typed as 未发布: no value, a record that its source has not published it yet (the
    report then says 尚未发布; a figure merely left blank is 未录入)."""
    if table != "metrics" or kind != "actual":
        problems.append(f"{where}: “{UNPUBLISHED_WORD}”只用于“其他统计”中尚未公布的统计数（如次年1-10月快报数），"
                        f"{label_name}不适用；修正：填数字，或留空（报告显示“暂无数据”）")
        return
    if year is None:
        problems.append(f"{where}: 填“{UNPUBLISHED_WORD}”须有正确的年份（该数所属年份）")
        return
    entry.unpublished.append((figure_id, year, source or default_source(entry.year)))
    entry.notes.append(f"{where}: {label_name} {year}年记为“{UNPUBLISHED_WORD}”（记入 data/{UNPUBLISHED_FILE}）")


def write_unpublished(entry: Entry, data_dir: Path, out_dir: Path) -> list[str]:
    """data/unpublished.csv with this edition's records replaced by the sheet's 未发布 rows (a re-import
    with a number, or blank, drops the record); other editions' records are kept as they are."""
    path = Path(data_dir) / UNPUBLISHED_FILE
    rows = [r for r in _read_csv(path)[1] if r[3] != str(entry.year)] if path.exists() else []
    rows += [[metric_id, str(year), source, str(entry.year)] for metric_id, year, source in entry.unpublished]
    _write_csv(Path(out_dir) / UNPUBLISHED_FILE, UNPUBLISHED_COLUMNS, rows)
    return [f"{UNPUBLISHED_FILE}: 本版记为未发布 {len(entry.unpublished)} 项"] if entry.unpublished else []


def merge(entry: Entry, data_dir: Path, out_dir: Path) -> list[str]:
    """Write merged copies of the three data files and data/revisions.csv into out_dir; return one
    line per change and per figure kept that the sheet leaves blank or does not name.

    Raises EntryError when a figure of an earlier edition is typed with another value and no reason
    (a revision needs one), or “撤回” names a figure this edition did not import.
    """
    state = _Merge(entry, data_dir)
    state.merge_values("indicator_values", "indicator_id")
    state.merge_values("metrics", "metric_id")
    state.merge_chains()
    state.withdraw_chains()
    if state.problems:
        raise EntryError(state.problems)
    state.report_kept()
    state.write(out_dir)
    unpublished = write_unpublished(entry, data_dir, out_dir)
    summary = unpublished + [f"{DATA_FILES[stem]}: 新增 {c['added']} 行，修订 {c['revised']} 行，更新 {c['updated']} 行，"
               f"撤回 {c['withdrawn']} 项，已有相同 {c['same']} 行" for stem, c in state.counts.items()]
    return summary + state.changes + [f"注意：{n}" for n in state.notices]


def import_entry(year: int, path: Path | None = None, data_dir: Path = DATA_DIR,
                 backup_dir: Path | None = None, log=print) -> Path:
    """Validate the entry file, merge it, re-validate all data on a temporary copy, then replace data/.

    Returns the entry file read. Raises EntryError or DataValidationError; then data/ is unchanged.
    """
    data_dir = Path(data_dir)
    path = Path(path) if path else default_entry_file(year, data_dir)
    log(f"== 导入{year}年数据: {path} ==")
    log("[1/4] 读取现有数据 (load data/)")
    data = load_all(data_dir)
    data.plan.check_edition_year(year)  # a year outside the plan's editions is refused, in Chinese
    log("[2/4] 读取填报文件 (read entry file)")
    entry = read_entry(path, year, data)
    for note in entry.notes:
        log(f"    · {note}")
    log(f"    已填写 {len(entry.rows)} 项，未填写 {len(entry.unfilled)} 项")
    if entry.unfilled:
        log("    未填写的项不导入：报告沿用其最近年份的数值并注明年份，无任何数值的显示“暂无数据”:")
        log("      " + "、".join(entry.unfilled))
    log("[3/4] 合并并校验全部数据 (merge, validate on a temporary copy)")
    with _work_folder(data_dir) as work:
        for csv_file in data_dir.glob("*.csv"):
            shutil.copy2(csv_file, work / csv_file.name)
        if (data_dir / "meta").is_dir():  # the plan and the report's lists are validated with the data
            shutil.copytree(data_dir / "meta", work / "meta")
        for line in merge(entry, data_dir, work):
            log(f"    · {line}")
        load_all(work)  # raises DataValidationError naming file/row/column; data/ untouched
        log("[4/4] 替换数据文件 (replace data files)")
        backup = Path(backup_dir) if backup_dir else _new_backup_dir(data_dir, year)
        backup.mkdir(parents=True, exist_ok=True)
        replaced = [*DATA_FILES.values(), REVISIONS_FILE, UNPUBLISHED_FILE]
        for file_name in replaced:
            if (data_dir / file_name).exists():
                shutil.copy2(data_dir / file_name, backup / file_name)
        # All these files or none, even if killed half way (lib/beichen/journal.py).
        journal.replace_together(data_dir, {name: work / name for name in replaced})
    log(f"    原数据文件已备份到 {backup}")
    log(f"完成。下一步: make report YEAR={year}（或 make site YEARS=\"… {year}\"）")
    return path


@contextmanager
def _work_folder(data_dir: Path):
    """data/.import-work/, empty, removed afterwards; a killed import's is removed by the next command
    (journal.recover)."""
    work = Path(data_dir) / journal.WORK
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    try:
        yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _new_backup_dir(data_dir: Path, year: int) -> Path:
    """build/imports/<year>-<date-time>[-n]: a fresh folder per import, never shared with another."""
    root = checkout_of(data_dir) / "build" / "imports"
    root.mkdir(parents=True, exist_ok=True)
    stamp = f"{year}-{time.strftime('%Y%m%d-%H%M%S')}"
    for n in range(1, 1000):
        folder = root / (stamp if n == 1 else f"{stamp}-{n}")
        try:
            folder.mkdir()
            return folder
        except FileExistsError:
            continue
    raise EntryError([f"{root}: 无法新建备份文件夹"])


def main(argv: list[str] | None = None) -> int:
    parser = cli.ArgumentParser(description="Import the analyst's entry file of one year into data/.")
    parser.add_argument("--year", type=cli.year, required=True)
    parser.add_argument("--file", type=Path, default=None, help="entry file (default data/entry/<year>.xlsx|csv)")
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    args = parser.parse_args(argv)
    try:
        with one_writer(f"导入{args.year}年数据", args.data_dir):
            import_entry(args.year, args.file, args.data_dir)
    except (EntryError, DataValidationError, BuildError, BusyError) as err:
        print(err)
        print("导入已停止，data/ 未改动 (import stopped; data/ is unchanged).")
        return 1
    except OSError as err:  # unreadable file or folder: say which, no traceback
        print(f"错误: {err.filename or ''}: {err.strerror or err}")
        print("导入已停止，data/ 未改动 (import stopped; data/ is unchanged).")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
