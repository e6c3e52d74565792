"""Import: one at a time, and a clear, short error for every bad path or shape
(issue 14, defects 4 and 6)."""
import csv
import io
import os
import subprocess
import sys
import re
from pathlib import Path

import pytest

from beichen.inputs.intake import COLUMNS, EntryError, read_entry
from beichen.inputs.loading import load_all
from beichen.inputs.newyear import entry_rows
from beichen.paths import REPO_ROOT


def _entry(path: Path, report_data, values: dict[str, str]) -> Path:
    rows = [COLUMNS]
    for row in entry_rows(report_data, 2025):
        row["本年数值"] = values.get(f"{row['标识']}/{row['类型']}", "")
        rows.append([row[c] for c in COLUMNS])
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))
    return path


def _import(data_dir: Path, entry: Path, wait: str = "120") -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "beichen.inputs.intake", "--year", "2025", "--file", str(entry),
                             "--data-dir", str(data_dir)], env=dict(os.environ, BEICHEN_LOCK_WAIT=wait),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_two_imports_at_once_both_land(data_copy, tmp_path, report_data):
    """Both used to say 完成 while one row survived; now the second waits for the first."""
    first = _entry(tmp_path / "a.csv", report_data, {"mfg_va_share_gdp/actual": "40.4"})
    second = _entry(tmp_path / "b.csv", report_data, {"hightech_firms/actual": "768"})
    runs = [_import(data_copy, first), _import(data_copy, second)]
    outputs = [run.communicate(timeout=300)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    values = load_all(data_copy).indicator_values
    got = {(r.indicator_id, r.year): r.value for r in values.itertuples() if r.kind == "actual" and r.year == 2025}
    assert got[("mfg_va_share_gdp", 2025)] == 40.4 and got[("hightech_firms", 2025)] == 768
    backups = [line.split("已备份到 ")[1].strip() for out in outputs for line in out.splitlines() if "已备份到" in line]
    assert len(set(backups)) == 2  # each import kept its own backup


def _refused(path, report_data) -> str:
    with pytest.raises(EntryError) as err:
        read_entry(path, 2025, report_data)
    return str(err.value)


def test_a_folder_is_refused_by_name(tmp_path, report_data):
    assert "是一个文件夹" in _refused(tmp_path, report_data)


def test_a_foreign_file_is_refused_without_echoing_it(report_data):
    message = _refused(Path("/etc/passwd"), report_data)
    assert "不是填报文件" in message and "root:" not in message


def test_a_foreign_csv_is_refused_without_echoing_its_lines(tmp_path, report_data):
    secret = tmp_path / "secret.csv"
    secret.write_text("db_password,hunter2,host\nx,y,z\n", encoding="utf-8")
    message = _refused(secret, report_data)
    assert "不是填报表的表头" in message and "hunter2" not in message


def test_a_50_mb_field_is_refused_without_a_traceback(tmp_path, report_data):
    path = tmp_path / "huge.csv"
    path.write_text(",".join(COLUMNS) + "\n评价指标,mfg_va_share_gdp,actual,名称,%,2025,2025,,\"" + "9" * 50_000_000 + "\"\n",
                    encoding="utf-8")
    message = _refused(path, report_data)
    assert "文件过大" in message and len(message) < 500


def test_an_over_long_cell_in_a_small_file_is_refused(tmp_path, report_data):
    path = tmp_path / "long.csv"
    path.write_text(",".join(COLUMNS) + "\n评价指标,mfg_va_share_gdp,actual,名称,%,2025,2025,,\"" + "9" * 200_000 + "\"\n",
                    encoding="utf-8")
    message = _refused(path, report_data)
    assert ("过长" in message) and len(message) < 500


def test_100k_duplicate_rows_give_a_short_error_with_a_count(tmp_path, report_data):
    row = ["评价指标", "mfg_va_share_gdp", "actual", "名称", "%", "2025", "2025", "39.8", "40.4", "", ""]
    path = tmp_path / "dups.csv"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([COLUMNS] + [row] * 100_000)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    message = _refused(path, report_data)
    assert len(message.encode("utf-8")) < 10_000  # was 12.8 MB
    assert "另有 99979 处问题未列出（共 99999 处" in message  # every row but the first repeats it


def test_make_passes_file_names_with_dollar_and_quote_unmangled(tmp_path):
    """`make import FILE=…` used to expand “$x” and break on “\"”."""
    name = tmp_path / 'entry $HOME "2025".csv'
    result = subprocess.run(["make", "-s", "-C", str(REPO_ROOT), "import", "YEAR=2025", f"FILE={name}"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode != 0
    assert f"{name}: 文件不存在" in result.stdout, result.stdout + result.stderr


def test_an_invisible_character_stops_make_import_by_code_point_and_data_stays(data_copy, tmp_path, report_data):
    """Issue 21: U+202E in 来源 used to be imported (and reversed the cell wherever it was printed)."""
    entry = _entry(tmp_path / "e.csv", report_data, {"mfg_va_share_gdp/actual": "40.4"})
    text = entry.read_bytes().decode("utf-8-sig").replace("2025年度数据填报", "区统计\u202e局", 1)
    entry.write_bytes(text.encode("utf-8-sig"))
    before = {p.name: p.read_bytes() for p in data_copy.glob("*.csv")}
    run = _import(data_copy, entry)
    out = run.communicate(timeout=300)[0]
    assert run.returncode == 1, out
    assert "e.csv: 第2行, 列 来源: 第4个字符是码位 U+202E（RIGHT-TO-LEFT OVERRIDE" in out
    assert "区统计⟦U+202E⟧局" in out and "\u202e" not in out
    assert {p.name: p.read_bytes() for p in data_copy.glob("*.csv")} == before


def test_an_xlsx_entry_with_a_formula_is_refused_not_its_cached_value_imported(tmp_path, report_data):
    """read_only + data_only used to hand back what Excel cached for a formula (or nothing)."""
    from openpyxl import load_workbook

    from beichen.inputs.newyear import write_entry_xlsx

    path = tmp_path / "e.xlsx"
    write_entry_xlsx(entry_rows(report_data, 2025), path, 2025)
    book = load_workbook(path)
    book.active.cell(2, COLUMNS.index("本年数值") + 1).value = "=WEBSERVICE(\"http://example.com/\")"
    book.save(path)
    message = _refused(path, report_data)
    assert "e.xlsx: 第2行, 列 本年数值: 单元格是公式 “=WEBSERVICE" in message


def _with_saved_result(path: Path, formula: str, result: str) -> None:
    """Give a formula openpyxl wrote (no result) the result Excel would save with it (<v>…</v>)."""
    import zipfile

    sheet_name = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(path) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    xml = parts[sheet_name].decode("utf-8")
    # openpyxl writes the empty result as <v /> with the standard library's XML writer, <v></v> with lxml
    # (installed with python-docx for make docx)
    empty = re.compile(rf"<f>{re.escape(formula)}</f>(<v ?/>|<v></v>)")
    assert empty.search(xml)
    parts[sheet_name] = empty.sub(lambda m: f"<f>{formula}</f><v>{result}</v>", xml).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in parts.items():
            z.writestr(name, content)


def _xlsx_with_formula(tmp_path: Path, report_data, formula: str) -> Path:
    from openpyxl import load_workbook

    from beichen.inputs.newyear import write_entry_xlsx

    path = tmp_path / "e.xlsx"
    write_entry_xlsx(entry_rows(report_data, 2025), path, 2025)
    book = load_workbook(path)
    book.active.cell(2, COLUMNS.index("本年数值") + 1).value = f"={formula}"   # row 2: 制造业增加值占GDP比重
    book.save(path)
    return path


def test_a_formula_cell_with_a_saved_result_is_taken_by_that_result_and_said_so(tmp_path, report_data):
    path = _xlsx_with_formula(tmp_path, report_data, "40+0.4")
    _with_saved_result(path, "40+0.4", "40.4")   # what Excel saves: 40 + 0.4 = 40.4
    entry = read_entry(path, 2025, report_data)
    row = next(r for r in entry.rows if r.figure_id == "mfg_va_share_gdp")
    assert row.value == "40.4"
    assert "e.xlsx: 第2行, 列 本年数值: 单元格是公式 “=40+0.4”，取其保存的结果 “40.4”" in "\n".join(entry.notes)


def test_a_formula_cell_without_a_saved_result_is_refused_never_read_as_empty(tmp_path, report_data):
    """openpyxl's data_only value of a formula never calculated is None: once read as an empty cell."""
    message = _refused(_xlsx_with_formula(tmp_path, report_data, "40+0.4"), report_data)
    assert "e.xlsx: 第2行, 列 本年数值: 单元格是公式 “=40+0.4”，文件中没有保存它的计算结果，无从取值" in message
    assert "选择性粘贴 → 数值" in message
