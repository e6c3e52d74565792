"""Take in the analyst's yearly entry file (data/entry/<year>.csv or .xlsx) and merge it into data/.

    python -m beichen.inputs.intake --year 2025                 # make import YEAR=2025
    python -m beichen.inputs.intake --year 2025 --file 填报.csv  # another file

The entry file is what `make new-year` wrote (see lib/newyear.py): one row per figure to fill,
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
a corrected entry file updates the rows of the earlier import of that year; figures transcribed
from the source are never overwritten.
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

from beichen import cli
from beichen.errors import BuildError
from beichen.inputs import journal, text_policy
from beichen.inputs.loading import DataValidationError, ReportData, capped_list, load_all
from beichen.paths import DATA_DIR

ENTRY_DIR_NAME = "entry"
def default_source(year: int) -> str:
    """The citation of a figure entered on the year's sheet when the analyst names no office."""
    return f"{year}年度数据填报"

# Columns of the entry file, in order. Only 本年数值 (and, where needed, 年份/统计期/来源) is typed in.
COLUMNS = ["数据表", "标识", "类型", "名称", "单位", "年份", "统计期", "上年数值", "本年数值", "来源", "说明"]
REQUIRED = ["数据表", "标识", "类型", "年份", "本年数值"]
# 数据表 labels → data file stem (the file stems are accepted too).
TABLES = {"评价指标": "indicator_values", "产业链": "chains", "其他统计": "metrics"}
TABLE_LABELS = {stem: label for label, stem in TABLES.items()}
# chains.csv fields an entry row may carry, with their Chinese names.
CHAIN_FIELDS = {"enterprises": "在链企业数", "output_100m_yuan": "产值", "yoy_growth_pct": "同比增长"}
CHAIN_UNITS = {"enterprises": "家", "output_100m_yuan": "亿元", "yoy_growth_pct": "%"}
DATA_FILES = {"indicator_values": "indicator_values.csv", "metrics": "metrics.csv", "chains": "chains.csv"}

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
# The “number format” _xlsx_rows gives a cell that holds a formula: no cell of an entry sheet may be
# one (its value is whatever Excel last computed, or nothing, and a formula can fetch or run things).
FORMULA_CELL = "formula"
# Columns whose text is written into data/: the Unicode policy applies to each of their cells, and
# the formula rule to the text ones (本年数值 is a number: “-5.9” is a figure, checked as one).
IMPORTED = ["数据表", "标识", "类型", "年份", "本年数值", "统计期", "来源"]
TEXT_IMPORTED = ["统计期", "来源"]


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


def _csv_rows(path: Path) -> tuple[list[tuple[int, list[str], list[str]]], str]:
    """[(line number, cells, number formats)] of a CSV file, and its encoding in words."""
    text, encoding = decode(path, path.read_bytes())
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first and "," not in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    start = 1
    try:
        for cells in reader:
            rows.append((start, [c for c in cells], [""] * len(cells)))
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


def _xlsx_rows(path: Path) -> tuple[list[tuple[int, list[str], list[str]]], str]:
    from openpyxl import load_workbook

    try:
        # Not data_only: a formula is read as a formula (and refused), not as the value Excel cached.
        book = load_workbook(path, data_only=False, read_only=True)
    except Exception as err:  # a damaged or mislabelled file
        raise EntryError([f"{path.name}: 无法作为 Excel 工作簿打开（{type(err).__name__}: {err}）; "
                          "确认文件是 .xlsx，或另存为 CSV UTF-8 后用 FILE= 指定"]) from None
    sheet = book.worksheets[0]
    rows = []
    for index, row in enumerate(sheet.iter_rows(), start=1):
        cells = [_cell_text(c.value) for c in row]
        formats = [FORMULA_CELL if getattr(c, "data_type", None) == "f"
                   else (c.number_format or "") if isinstance(c.value, (int, float)) else "" for c in row]
        rows.append((index, cells, formats))
    book.close()
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
    """What an entry row may refer to: ids, units and kinds of each data table."""
    indicators = data.indicators.set_index("indicator_id")
    metrics = data.metrics
    return {
        "indicator_values": {i: {"unit": indicators.loc[i, "unit"], "kinds": {"actual"}}
                             for i in indicators.index},
        "metrics": {m: {"unit": rows["unit"].iloc[0], "kinds": set(rows["kind"])}
                    for m, rows in metrics.groupby("metric_id")},
        "chains": {c: {"unit": "", "kinds": set(CHAIN_FIELDS)} for c in data.chains["chain_id"].unique()},
    }


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
    problems: list[str] = []
    name = path.name

    # The header: the first row that is not blank. A one-cell title row above it is skipped.
    header, columns = None, {}
    body_start = 0
    for position, (line, cells, _) in enumerate(rows):
        filled = [c for c in cells if c.strip()]
        if not filled:
            continue
        names = [_clean_header(c) for c in cells]
        if all(col in names for col in REQUIRED):
            header, body_start = line, position + 1
            columns = {n: i for i, n in enumerate(names) if n}
            break
        if len(filled) == 1:
            entry.notes.append(f"{name}: 第{line}行: 标题行“{_show(filled[0])}”，已跳过")
            continue
        # The row itself is not quoted: this may be some other file, whose content is not ours to print.
        raise EntryError([f"{name}: 第{line}行: 不是填报表的表头（表头应包含 {'、'.join(REQUIRED)}）；"
                          "修正：用 `make new-year` 生成的表格填写，不要改动表头"])
    if header is None:
        raise EntryError([f"{name}: 文件中没有表头和数据"])
    unknown = [n for n in columns if n not in COLUMNS]
    if unknown:
        entry.notes.append(f"{name}: 第{header}行: 多出的列 {'、'.join(unknown)} 不导入")

    catalogue = _catalogue(data)
    seen: dict[tuple, tuple[int, str]] = {}

    def cell(cells: list[str], column: str) -> str:
        index = columns.get(column)
        return cells[index] if index is not None and index < len(cells) else ""

    column_names = {i: n for n, i in columns.items()}
    for line, cells, formats in rows[body_start:]:
        if any(len(c) > MAX_CELL_CHARS for c in cells):
            problems.append(f"{name}: 第{line}行: 有单元格超过{MAX_CELL_CHARS}个字符，不是填报内容；修正：删去该行或改正该单元格")
            continue
        refused = [f"{name}: 第{line}行, 列 {column_names.get(i, _column_letter(i))}: 单元格是公式 “{_show(c)}”，"
                   "填报表的单元格不得为公式；修正：复制该单元格，“选择性粘贴 → 数值”粘回原处，或直接键入数字或文字"
                   for i, (c, f) in enumerate(zip(cells, formats)) if f == FORMULA_CELL]
        for column in IMPORTED:  # stripped as each is read below: surrounding spaces and tabs are not text
            refused += text_policy.cell_problems(cell(cells, column).strip(), f"{name}: 第{line}行, 列 {column}")
        if refused:
            problems += refused
            continue
        if not any(c.strip() for c in cells):
            entry.notes.append(f"{name}: 第{line}行: 空行，已跳过")
            continue
        if _clean_header(cell(cells, "数据表")) == "数据表":
            entry.notes.append(f"{name}: 第{line}行: 重复的表头行，已跳过")
            continue
        label = cell(cells, "数据表").strip()
        table = TABLES.get(label, label if label in DATA_FILES else None)
        if table is None:
            problems.append(f"{name}: 第{line}行, 列 数据表: 值 “{_show(label)}” 不合要求，应为 {'、'.join(TABLES)} 之一；"
                            "修正：保留 `make new-year` 生成的原值")
            continue
        figure_id = cell(cells, "标识").strip()
        known = catalogue[table]
        if figure_id not in known:
            problems.append(f"{name}: 第{line}行, 列 标识: 值 “{_show(figure_id)}” 不是已登记的{TABLE_LABELS[table]}标识；"
                            f"修正：保留生成的原值；新增指标须先在 data/{DATA_FILES[table]} 中登记（见 data/README.md）")
            continue
        kind = cell(cells, "类型").strip()
        if kind not in known[figure_id]["kinds"]:
            problems.append(f"{name}: 第{line}行, 列 类型: 值 “{_show(kind)}” 不合要求，{figure_id} 可填的类型为 "
                            f"{'、'.join(sorted(known[figure_id]['kinds']))}")
            continue
        unit = CHAIN_UNITS[kind] if table == "chains" else known[figure_id]["unit"]
        value_column = columns["本年数值"]
        where = f"{name}: 第{line}行, 列 本年数值"
        percent_cell = "%" in (formats[value_column] if value_column < len(formats) else "")
        value, qualifier = normalise_number(cell(cells, "本年数值"), unit, table == "metrics", where,
                                            entry.notes, problems, percent_cell)
        label_name = cell(cells, "名称").strip() or figure_id
        if value is None:
            if cell(cells, "本年数值").strip() == "" or cell(cells, "本年数值").strip() in NOT_FILLED:
                entry.unfilled.append(label_name)
            continue
        if table == "chains" and kind == "enterprises" and not re.match(r"^\d+(\.0+)?$", value):
            problems.append(f"{where}: 值 “{value}” 不合要求，企业数应为非负整数")
            continue
        if table == "chains" and kind == "enterprises":
            value = str(int(float(value)))
        year_text = cell(cells, "年份").strip().translate(FULL_WIDTH).removesuffix("年")
        if year_text != cell(cells, "年份").strip() and re.match(r"^\d{4}$", year_text):
            entry.notes.append(f"{name}: 第{line}行, 列 年份: “{cell(cells, '年份').strip()}” → {year_text}")
        latest = data.plan.snapshot_year(year) if table == "metrics" else year  # a snapshot is of a later year
        first = data.plan.base_year
        if not re.match(r"^\d{4}$", year_text) or not first <= int(year_text) <= latest:
            problems.append(f"{name}: 第{line}行, 列 年份: 值 “{_show(cell(cells, '年份'))}” 不合要求，应为{first}–{latest}"
                            "之间的四位年份（数值所属年份）")
            continue
        typed, refused = {}, []
        for column in TEXT_IMPORTED:
            text = cell(cells, column).strip()
            if text in NOT_FILLED:  # “-” or “—” typed as “none”: left empty, as in 本年数值 (not a formula)
                entry.notes.append(f"{name}: 第{line}行, 列 {column}: “{text}” 视为未填写")
                text = ""
            problem = text_policy.formula_problem(text, f"{name}: 第{line}行, 列 {column}")
            refused += [problem] if problem else []
            typed[column] = text
        if refused:
            problems += refused
            continue
        source, period = typed["来源"], typed["统计期"]
        period_years = set(re.findall(r"\d{4}", period))
        if len(period_years) == 1 and period_years != {year_text} and not period.startswith(data.plan.name):
            # The sheet pre-fills 统计期 with the sheet's year; a figure moved to another year (年份
            # changed) takes its 统计期 along, and the change is reported like every normalisation.
            new_period = period.replace(period_years.pop(), year_text)
            entry.notes.append(f"{name}: 第{line}行, 列 统计期: “{period}” → “{new_period}”（随年份{year_text}）")
            period = new_period
        row = EntryRow(line=line, table=table, figure_id=figure_id, kind=kind, year=int(year_text),
                       value=value, qualifier=qualifier, period=period,
                       source_note="" if source in ("", default_source(year)) else source)
        if row.key in seen:
            first_line, first_value = seen[row.key]
            problems.append(f"{name}: 第{line}行: 与第{first_line}行重复（{figure_id} {kind} {row.year}年），"
                            f"两行分别填 “{first_value}” 和 “{row.value}”；修正：删去其中一行")
            continue
        seen[row.key] = (line, row.value)
        entry.rows.append(row)

    # A chain row needs both its firm count and its output; growth is optional.
    by_chain: dict[tuple, dict[str, EntryRow]] = {}
    for row in entry.rows:
        if row.table == "chains":
            by_chain.setdefault((row.figure_id, row.year), {})[row.kind] = row
    for (chain_id, chain_year), fields in by_chain.items():
        for needed in ("enterprises", "output_100m_yuan"):
            if needed not in fields:
                some = next(iter(fields.values()))
                problems.append(f"{name}: 第{some.line}行附近: 产业链 {chain_id}（{chain_year}年）填了"
                                f"{'、'.join(CHAIN_FIELDS[k] for k in fields)}，但缺{CHAIN_FIELDS[needed]}；"
                                "修正：在企业数和产值两行都填上数字（同比增长可不填）")
    if problems:
        raise EntryError(problems)
    return entry


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


def merge(entry: Entry, data_dir: Path, out_dir: Path) -> list[str]:
    """Write merged copies of the three data files into out_dir; return one line per change.

    Raises EntryError when an entered figure contradicts a figure already in data/ that was
    not put there by an earlier import of the same year.
    """
    data_dir, out_dir = Path(data_dir), Path(out_dir)
    problems, changes = [], []
    counts = {stem: {"added": 0, "updated": 0, "same": 0} for stem in DATA_FILES}
    ours = str(entry.year)  # rows entered for this edition (column `edition`): a re-import updates them
    name = entry.path.name

    def conflict(row: EntryRow, stem: str, line: int, old: str, source: str) -> None:
        problems.append(f"{name}: 第{row.line}行, 列 本年数值: {row.figure_id} {row.kind} {row.year}年填 “{row.value}”，"
                        f"但 data/{DATA_FILES[stem]} 第{line}行已有 “{old}”（来源 {source}）; 修正：若填写有误，改正填报表；"
                        f"若要更正已有数据，请直接编辑 data/{DATA_FILES[stem]} 并在 note 中说明，再从填报表中删去此行")

    # indicator_values.csv: indicator_id,year,kind,value,source
    header, rows = _read_csv(data_dir / "indicator_values.csv")
    col = {c: i for i, c in enumerate(header)}
    for row in (r for r in entry.rows if r.table == "indicator_values"):
        index = next((i for i, r in enumerate(rows) if r[col["indicator_id"]] == row.figure_id
                      and r[col["year"]] == str(row.year) and r[col["kind"]] == row.kind), None)
        if index is not None:
            old = rows[index]
            if _same_number(old[col["value"]], row.value):
                counts["indicator_values"]["same"] += 1
            elif old[col["edition"]] == ours:
                changes.append(f"indicator_values.csv: {row.figure_id} {row.year} 更新 {old[col['value']]} → {row.value}")
                old[col["value"]], old[col["source"]] = row.value, _source(row, entry.year)
                counts["indicator_values"]["updated"] += 1
            else:
                conflict(row, "indicator_values", index + 2, old[col["value"]], old[col["source"]])
            continue
        new = [""] * len(header)
        new[col["indicator_id"]], new[col["year"]], new[col["kind"]] = row.figure_id, str(row.year), row.kind
        new[col["value"]], new[col["source"]] = row.value, _source(row, entry.year)
        new[col["edition"]] = ours
        rows.append(new)  # appended: the lines of earlier editions' rows never move (their provenance)
        counts["indicator_values"]["added"] += 1
    _write_csv(out_dir / "indicator_values.csv", header, rows)

    # metrics.csv: metric_id,name,unit,decimals,year,period,value,kind,source,qualifier,indicator_id,note
    header, rows = _read_csv(data_dir / "metrics.csv")
    col = {c: i for i, c in enumerate(header)}
    for row in (r for r in entry.rows if r.table == "metrics"):
        same_id = [i for i, r in enumerate(rows) if r[col["metric_id"]] == row.figure_id]
        index = next((i for i in same_id if rows[i][col["year"]] == str(row.year)
                      and rows[i][col["kind"]] == row.kind), None)
        if index is not None:
            old = rows[index]
            if _same_number(old[col["value"]], row.value) and old[col["qualifier"]] == row.qualifier:
                counts["metrics"]["same"] += 1
            elif old[col["edition"]] == ours:
                changes.append(f"metrics.csv: {row.figure_id} {row.year} 更新 {old[col['qualifier']]}{old[col['value']]}"
                               f" → {row.qualifier}{row.value}")
                old[col["value"]], old[col["qualifier"]] = row.value, row.qualifier
                old[col["source"]] = _source(row, entry.year)
                counts["metrics"]["updated"] += 1
            else:
                conflict(row, "metrics", index + 2, old[col["qualifier"]] + old[col["value"]], old[col["source"]])
            continue
        # name, unit, decimals and the linked indicator come from the metric's latest row of that kind.
        kin = [i for i in same_id if rows[i][col["kind"]] == row.kind] or same_id
        template = dict(zip(header, rows[max(kin, key=lambda i: int(rows[i][col["year"]]))]))
        new = dict(template)
        new.update({"year": str(row.year), "period": _period(row, template), "value": row.value, "kind": row.kind,
                    "source": _source(row, entry.year), "qualifier": row.qualifier,
                    "note": f"{name}第{row.line}行", "edition": ours})
        rows.append([new[c] for c in header])
        counts["metrics"]["added"] += 1
    _write_csv(out_dir / "metrics.csv", header, rows)

    # chains.csv: chain_id,name,group,year,enterprises,output_100m_yuan,yoy_growth_pct,stated_share_pct,source
    header, rows = _read_csv(data_dir / "chains.csv")
    col = {c: i for i, c in enumerate(header)}
    chain_rows: dict[tuple, dict[str, EntryRow]] = {}
    for row in (r for r in entry.rows if r.table == "chains"):
        chain_rows.setdefault((row.figure_id, row.year), {})[row.kind] = row
    for (chain_id, chain_year), fields in chain_rows.items():
        index = next((i for i, r in enumerate(rows) if r[col["chain_id"]] == chain_id
                      and r[col["year"]] == str(chain_year)), None)
        if index is not None:
            old = rows[index]
            differs = [k for k, r in fields.items() if not _same_number(old[col[k]], r.value)]
            if not differs:
                counts["chains"]["same"] += 1
            elif old[col["edition"]] == ours:
                for k in differs:
                    changes.append(f"chains.csv: {chain_id} {chain_year} {k} 更新 {old[col[k]]} → {fields[k].value}")
                    old[col[k]] = fields[k].value
                counts["chains"]["updated"] += 1
            else:
                k = differs[0]
                conflict(fields[k], "chains", index + 2, old[col[k]], old[col["source"]])
            continue
        latest = max((i for i, r in enumerate(rows) if r[col["chain_id"]] == chain_id),
                     key=lambda i: int(rows[i][col["year"]]))
        new = dict(zip(header, rows[latest]))
        first = next(iter(fields.values()))
        new.update({"year": str(chain_year), "enterprises": fields["enterprises"].value,
                    "output_100m_yuan": fields["output_100m_yuan"].value,
                    "yoy_growth_pct": fields["yoy_growth_pct"].value if "yoy_growth_pct" in fields else "",
                    "stated_share_pct": "", "source": _source(first, entry.year), "edition": ours})
        rows.append([new[c] for c in header])
        counts["chains"]["added"] += 1
    _write_csv(out_dir / "chains.csv", header, rows)

    if problems:
        raise EntryError(problems)
    summary = [f"{DATA_FILES[stem]}: 新增 {c['added']} 行，更新 {c['updated']} 行，已有相同 {c['same']} 行"
               for stem, c in counts.items()]
    return summary + changes


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
        for file_name in DATA_FILES.values():
            shutil.copy2(data_dir / file_name, backup / file_name)
        # All three files or none, even if killed half way (lib/inputs/journal.py).
        journal.replace_together(data_dir, {name: work / name for name in DATA_FILES.values()})
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
    root = data_dir.resolve().parent / "build" / "imports"
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
    from beichen.lock import BusyError, one_writer

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
