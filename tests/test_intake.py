"""Taking in the analyst's entry file: Chinese-Excel encodings and number styles, all-or-nothing import."""
import csv
import hashlib
import io
from pathlib import Path

import pytest

from beichen.inputs import intake
from beichen.inputs.intake import COLUMNS, EntryError, import_entry, read_entry
from beichen.inputs.loading import DataValidationError, load_all
from beichen.inputs.newyear import entry_rows

FIXTURE = Path(__file__).parent / "fixtures" / "2025" / "entry-2025.csv"  # made-up figures


def _write(path: Path, rows: list[list[str]], encoding: str = "utf-8-sig") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def _entry(tmp_path: Path, report_data, values: dict[str, str], encoding: str = "utf-8-sig",
           name: str = "2025.csv") -> Path:
    """The new-year table for 2025 with `values` typed into 本年数值 (by 标识/类型)."""
    rows = [COLUMNS]
    for row in entry_rows(report_data, 2025):
        row["本年数值"] = values.get(f"{row['标识']}/{row['类型']}", "")
        rows.append([row[c] for c in COLUMNS])
    return _write(tmp_path / name, rows, encoding)


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.glob("*.csv")):
        h.update(p.name.encode() + p.read_bytes())
    return h.hexdigest()


def _value(entry, figure_id, kind="actual"):
    return next(r for r in entry.rows if r.figure_id == figure_id and r.kind == kind)


def test_gbk_file_from_chinese_excel_is_read_and_says_so(tmp_path, report_data):
    path = _entry(tmp_path, report_data, {"mfg_va_share_gdp/actual": "40.4", "hightech_firms/actual": "768"},
                  encoding="gb18030")
    entry = read_entry(path, 2025, report_data)
    assert any("GB18030" in n and "正确解码" in n for n in entry.notes)
    assert _value(entry, "mfg_va_share_gdp").value == "40.4"
    assert _value(entry, "hightech_firms").value == "768"


def test_percent_on_a_percent_row_is_normalised_and_reported(tmp_path, report_data):
    path = _entry(tmp_path, report_data, {"mfg_va_share_gdp/actual": "39.8%"})
    entry = read_entry(path, 2025, report_data)
    assert _value(entry, "mfg_va_share_gdp").value == "39.8"
    # file, row, column, old → new
    assert "2025.csv: 第2行, 列 本年数值: “39.8%” → “39.8”（去掉百分号（单位已是%））" in entry.notes


def test_percent_on_a_count_row_is_refused_with_the_fix(tmp_path, report_data):
    path = _entry(tmp_path, report_data, {"hightech_firms/actual": "768%"})
    with pytest.raises(EntryError) as info:
        read_entry(path, 2025, report_data)
    message = str(info.value)
    assert "2025.csv: 第4行, 列 本年数值: 值 “768%” 带百分号，但该项单位是“家”" in message
    assert "修正" in message


def test_full_width_digits_and_thousands_comma_are_normalised(tmp_path, report_data):
    path = _entry(tmp_path, report_data, {"above_scale_industrial_output/actual": "１,３８９.９",
                                          "hightech_firms/actual": "７６８"})
    entry = read_entry(path, 2025, report_data)
    assert _value(entry, "above_scale_industrial_output").value == "1389.9"
    assert _value(entry, "hightech_firms").value == "768"
    assert any("“１,３８９.９” → “1389.9”（全角字符改为半角；去掉千分位逗号）" in n for n in entry.notes)


@pytest.mark.parametrize("bad, words", [("1,38", "逗号含义不明"), ("约40", "不是数字"), ("40.4.1", "不是数字"),
                                        ("4e1", "不是数字")])
def test_ambiguous_or_non_numeric_values_are_refused(tmp_path, report_data, bad, words):
    path = _entry(tmp_path, report_data, {"mfg_va_share_gdp/actual": bad})
    with pytest.raises(EntryError) as info:
        read_entry(path, 2025, report_data)
    assert f"2025.csv: 第2行, 列 本年数值: 值 “{bad}”" in str(info.value) and words in str(info.value)


def test_blank_rows_and_a_repeated_header_are_skipped_and_reported(tmp_path, report_data):
    rows = [COLUMNS, [""] * len(COLUMNS)]
    generated = entry_rows(report_data, 2025)
    generated[0]["本年数值"] = "40.4"
    rows.append([generated[0][c] for c in COLUMNS])
    rows.append(COLUMNS)
    rows += [[r[c] for c in COLUMNS] for r in generated[1:]]
    path = _write(tmp_path / "2025.csv", rows)
    entry = read_entry(path, 2025, report_data)
    assert "2025.csv: 第2行: 空行，已跳过" in entry.notes
    assert "2025.csv: 第4行: 重复的表头行，已跳过" in entry.notes
    assert len(entry.rows) == 1


def test_unknown_id_is_refused(tmp_path, report_data):
    rows = [COLUMNS, ["评价指标", "no_such_indicator", "actual", "", "%", "2025", "2025", "", "1", "", ""]]
    with pytest.raises(EntryError) as info:
        read_entry(_write(tmp_path / "2025.csv", rows), 2025, report_data)
    assert "第2行, 列 标识: 值 “no_such_indicator” 不是已登记的评价指标标识" in str(info.value)


def test_a_file_that_is_not_the_entry_table_is_refused(tmp_path, report_data):
    path = _write(tmp_path / "2025.csv", [["indicator_id", "year", "value"], ["x", "2025", "1"]])
    with pytest.raises(EntryError) as info:
        read_entry(path, 2025, report_data)
    assert "第1行: 不是填报表的表头" in str(info.value)


def test_a_chain_needs_firms_and_output_together(tmp_path, report_data):
    path = _entry(tmp_path, report_data, {"new_materials/enterprises": "118"})
    with pytest.raises(EntryError) as info:
        read_entry(path, 2025, report_data)
    assert "新材料产业链（2025年）填了在链企业数，但缺产值" in str(info.value)  # the chain by its name, not its id


def test_qualified_metric_values_go_to_the_qualifier_column(tmp_path, report_data):
    path = _entry(tmp_path, report_data, {"beijing_relocation_projects/actual": "超220", "robot_firms/actual": "25余"})
    entry = read_entry(path, 2025, report_data)
    assert (_value(entry, "beijing_relocation_projects").value, _value(entry, "beijing_relocation_projects").qualifier) == ("220", "超")
    assert (_value(entry, "robot_firms").value, _value(entry, "robot_firms").qualifier) == ("25", "余")


def test_xlsx_with_an_excel_percent_cell(tmp_path, report_data):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(COLUMNS)
    for row in entry_rows(report_data, 2025):
        sheet.append([row[c] for c in COLUMNS])
    value_col = COLUMNS.index("本年数值") + 1
    sheet.cell(2, value_col).value = 0.404          # mfg_va_share_gdp, shown as 40.4% in Excel
    sheet.cell(2, value_col).number_format = "0.0%"
    sheet.cell(4, value_col).value = 768            # hightech_firms
    book.save(tmp_path / "2025.xlsx")
    entry = read_entry(tmp_path / "2025.xlsx", 2025, report_data)
    assert _value(entry, "mfg_va_share_gdp").value == "40.4"
    assert _value(entry, "hightech_firms").value == "768"
    assert any("Excel 百分比格式" in n for n in entry.notes)


def test_the_made_up_fixture_reads_with_every_normalisation_reported(report_data):
    entry = read_entry(FIXTURE, 2025, report_data)
    notes = "\n".join(entry.notes)
    assert "GB18030" in notes
    for needle in ["“40.4%” → “40.4”", "“１,４５０.０” → “1450.0”", "“超220” → “220”", "“25余” → “25”",
                   "空行，已跳过", "重复的表头行，已跳过"]:
        assert needle in notes, needle
    assert "规上工业总产值（1-10月累计）" in entry.unfilled


def test_writing_the_data_files_back_keeps_every_byte(data_copy):
    for name in ("indicator_values.csv", "metrics.csv", "chains.csv"):
        header, rows = intake._read_csv(data_copy / name)
        out = data_copy.parent / f"copy-{name}"
        intake._write_csv(out, header, rows)
        assert out.read_bytes() == (data_copy / name).read_bytes(), name


def test_import_merges_validates_and_keeps_existing_rows(data_copy, tmp_path):
    before = {n: (data_copy / n).read_text(encoding="utf-8").splitlines() for n in intake.DATA_FILES.values()}
    import_entry(2025, FIXTURE, data_copy, backup_dir=tmp_path / "backup", log=lambda *_: None)
    data = load_all(data_copy)
    values = data.indicator_values
    row = values[(values["indicator_id"] == "mfg_va_share_gdp") & (values["year"] == 2025) & (values["kind"] == "actual")]
    assert float(row["value"].iloc[0]) == 40.4 and row["source"].iloc[0] == "2025年度数据填报" and row["edition"].iloc[0] == 2025
    sei = values[(values["indicator_id"] == "sei_va_share") & (values["kind"] == "actual")]
    assert sorted(sei["year"]) == [2023, 2024]
    assert len(data.chains[data.chains["year"] == 2025]) == 9
    m = data.metrics
    relocation = m[(m["metric_id"] == "beijing_relocation_projects") & (m["year"] == 2025)].iloc[0]
    assert (relocation["value"], relocation["qualifier"]) == (220.0, "超")
    # every earlier line is still there, in order
    for name, lines in before.items():
        after = (data_copy / name).read_text(encoding="utf-8").splitlines()
        it = iter(after)
        assert all(line in it for line in lines), name
    assert (tmp_path / "backup" / "metrics.csv").exists()


def test_import_never_overwrites_a_transcribed_figure(data_copy, tmp_path, report_data):
    before = _digest(data_copy)
    path = _entry(tmp_path, report_data, {"mfg_va_share_gdp/actual": "41"})
    text = path.read_bytes().decode("utf-8-sig").replace(
        "mfg_va_share_gdp,actual,制造业增加值占GDP比重,%,2025,", "mfg_va_share_gdp,actual,制造业增加值占GDP比重,%,2024,")
    path.write_bytes(text.encode("utf-8-sig"))
    with pytest.raises(EntryError) as info:
        import_entry(2025, path, data_copy, backup_dir=tmp_path / "b", log=lambda *_: None)
    # A figure of an earlier edition typed with another value is a revision: refused without its reason,
    # and never by advising to edit the data files by hand.
    assert "制造业增加值占GDP比重 2024年填 “41”，与2024年版的 “39.8”（来源 一(二)表）不同" in str(info.value)
    assert "须写明修订原因" in str(info.value) and "直接编辑" not in str(info.value)
    assert _digest(data_copy) == before


def test_reimporting_a_corrected_file_updates_its_own_rows(data_copy, tmp_path, report_data):
    quiet = {"backup_dir": tmp_path / "b", "log": lambda *_: None}
    import_entry(2025, _entry(tmp_path, report_data, {"mfg_va_share_gdp/actual": "40.4"}), data_copy, **quiet)
    import_entry(2025, _entry(tmp_path, report_data, {"mfg_va_share_gdp/actual": "40.5"}), data_copy, **quiet)
    values = load_all(data_copy).indicator_values
    rows = values[(values["indicator_id"] == "mfg_va_share_gdp") & (values["year"] == 2025) & (values["kind"] == "actual")]
    assert list(rows["value"]) == [40.5]


def test_invalid_merge_result_leaves_data_unchanged(data_copy, tmp_path, monkeypatch):
    before = _digest(data_copy)
    real_merge = intake.merge

    def broken_merge(entry, data_dir, out_dir):
        lines = real_merge(entry, data_dir, out_dir)
        chains = out_dir / "chains.csv"
        chains.write_text(chains.read_text(encoding="utf-8").replace(",440.0,", ",4４0,"), encoding="utf-8")
        return lines

    monkeypatch.setattr(intake, "merge", broken_merge)
    with pytest.raises(DataValidationError):
        import_entry(2025, FIXTURE, data_copy, backup_dir=tmp_path / "b", log=lambda *_: None)
    assert _digest(data_copy) == before


def test_import_command_reports_and_exits_non_zero_on_bad_input(data_copy, tmp_path, capsys, report_data):
    path = _entry(tmp_path, report_data, {"hightech_firms/actual": "很多"})
    assert intake.main(["--year", "2025", "--file", str(path), "--data-dir", str(data_copy)]) == 1
    out = capsys.readouterr().out
    assert "2025.csv: 第4行, 列 本年数值: 值 “很多” 不是数字" in out and "data/ 未改动" in out


def test_default_entry_file_must_be_unambiguous(tmp_path):
    (tmp_path / "entry").mkdir()
    with pytest.raises(EntryError, match="make new-year"):
        intake.default_entry_file(2025, tmp_path)
    (tmp_path / "entry" / "2025.csv").write_text("x")
    assert intake.default_entry_file(2025, tmp_path).name == "2025.csv"
    (tmp_path / "entry" / "2025.xlsx").write_text("x")
    with pytest.raises(EntryError, match="同时存在"):
        intake.default_entry_file(2025, tmp_path)


# --- revisions, withdrawal, blanks (issue 22) ---------------------------------------------------------

def _sheet(tmp_path: Path, report_data, values: dict[str, str], extra: list[dict[str, str]] = ()) -> Path:
    """The 2025 sheet with `values` typed in (by 标识/类型) and `extra` rows (copies of a row with
    changes, as the analyst makes a revision row) appended."""
    rows = entry_rows(report_data, 2025)
    for row in rows:
        row["本年数值"] = values.get(f"{row['标识']}/{row['类型']}", "")
    for change in extra:
        template = next(r for r in rows if f"{r['标识']}/{r['类型']}" == change["key"])
        rows.append(dict(template, **{k: v for k, v in change.items() if k != "key"}))
    return _write(tmp_path / "2025.csv", [COLUMNS] + [[r[c] for c in COLUMNS] for r in rows])


def _import_quietly(path: Path, data_dir: Path, tmp_path: Path) -> list[str]:
    lines: list[str] = []
    import_entry(2025, path, data_dir, backup_dir=tmp_path / "backup", log=lines.append)
    return lines


def test_a_revised_earlier_year_is_a_row_of_the_new_edition_with_its_reason(data_copy, tmp_path, report_data):
    from beichen.model.edition import Edition

    before = {n: (data_copy / n).read_text(encoding="utf-8").splitlines() for n in intake.DATA_FILES.values()}
    path = _sheet(tmp_path, report_data, {}, [{"key": "mfg_va_share_gdp/actual", "年份": "2024", "统计期": "2024",
                                               "本年数值": "40.0", "来源": "区统计局", "修订原因": "统计局年报修订"}])
    lines = _import_quietly(path, data_copy, tmp_path)
    assert any("制造业增加值占GDP比重 2024年: 修订 39.8（2024年版）→ 40.0（2025年版；2024年版不变）" in l for l in lines)
    after = (data_copy / "indicator_values.csv").read_text(encoding="utf-8").splitlines()
    assert after[:len(before["indicator_values.csv"])] == before["indicator_values.csv"]   # no earlier row changed
    assert after[-1] == "mfg_va_share_gdp,2024,actual,40.0,区统计局,2025"
    assert (data_copy / "revisions.csv").read_text(encoding="utf-8").splitlines()[1:] == [
        "2025,indicator_values,mfg_va_share_gdp,actual,2024,统计局年报修订"]
    data = load_all(data_copy)
    assert Edition(data, 2024).indicator("mfg_va_share_gdp").actual.value == 39.8   # source 一(二)表
    assert Edition(data, 2025).indicator("mfg_va_share_gdp").actual.value == 40.0   # the revision, as of 2024
    # importing the same sheet again changes nothing
    again = _import_quietly(path, data_copy, tmp_path)
    assert any("indicator_values.csv: 新增 0 行，修订 0 行，更新 0 行，撤回 0 项，已有相同 1 行" in l for l in again)


def test_a_chain_revised_in_one_figure_takes_the_others_from_its_latest_row(data_copy, tmp_path, report_data):
    path = _sheet(tmp_path, report_data, {}, [{"key": "new_materials/output_100m_yuan", "年份": "2024",
                                               "统计期": "2024", "本年数值": "426.5", "来源": "区统计局",
                                               "修订原因": "统计局年报修订"}])
    _import_quietly(path, data_copy, tmp_path)
    last = (data_copy / "chains.csv").read_text(encoding="utf-8").splitlines()[-1]
    # 115 firms and the empty growth from new_materials' 2024 row (source 二(一)1); no printed share
    assert last == "new_materials,新材料产业链,超百亿,2024,115,426.5,,,区统计局,2025"


def test_withdrawing_removes_this_editions_import_and_says_so(data_copy, tmp_path, report_data):
    _import_quietly(_sheet(tmp_path, report_data, {"hightech_firms/actual": "768"}), data_copy, tmp_path)
    assert "hightech_firms,2025,actual,768" in (data_copy / "indicator_values.csv").read_text(encoding="utf-8")
    lines = _import_quietly(_sheet(tmp_path, report_data, {"hightech_firms/actual": "撤回"}), data_copy, tmp_path)
    assert any("撤回国家级高新技术企业数量 2025年本版上次导入的 768" in l for l in lines)
    assert "hightech_firms,2025,actual" not in (data_copy / "indicator_values.csv").read_text(encoding="utf-8")


def _tables(folder: Path) -> dict[str, bytes]:
    return {n: (folder / n).read_bytes() for n in [*intake.DATA_FILES.values(), "revisions.csv"]}


def test_withdrawing_never_removes_an_earlier_editions_figure(data_copy, tmp_path, report_data):
    before = _tables(data_copy)
    path = _sheet(tmp_path, report_data, {}, [{"key": "green_factories/actual", "年份": "2024", "统计期": "2024",
                                               "本年数值": "撤回"}])
    lines = _import_quietly(path, data_copy, tmp_path)
    assert any("本版没有导入过国家级/市级绿色工厂数量 2024年的数，无可撤回；现有的 33 是2024年版录入的" in l for l in lines)
    assert _tables(data_copy) == before


def test_a_blank_cell_over_an_earlier_import_is_reported_not_silent(data_copy, tmp_path, report_data):
    _import_quietly(_sheet(tmp_path, report_data, {"new_materials/enterprises": "118",
                                                   "new_materials/output_100m_yuan": "400.0",
                                                   "new_materials/yoy_growth_pct": "-5.9"}), data_copy, tmp_path)
    path = _sheet(tmp_path, report_data, {"new_materials/enterprises": "118", "new_materials/output_100m_yuan": "400.0"})
    lines = _import_quietly(path, data_copy, tmp_path)
    growth_line = 1 + next(i for i, r in enumerate(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))), 1)
                           if r["标识"] == "new_materials" and r["类型"] == "yoy_growth_pct")
    assert any(f"第{growth_line}行留空，上次导入的新材料产业链同比增长 2025年 -5.9 仍在；要撤回请填“撤回”" in l for l in lines)
    assert ",2025,118,400.0,-5.9," in (data_copy / "chains.csv").read_text(encoding="utf-8")
    lines = _import_quietly(_sheet(tmp_path, report_data, {"new_materials/yoy_growth_pct": "撤回"}), data_copy, tmp_path)
    assert any("撤回新材料产业链同比增长 2025年本版上次导入的 -5.9" in l for l in lines)
    assert ",2025,118,400.0,," in (data_copy / "chains.csv").read_text(encoding="utf-8")


def test_entry_messages_name_figures_by_their_chinese_names(tmp_path, report_data):
    path = _sheet(tmp_path, report_data, {"hightech_firms/actual": "768"},
                  [{"key": "hightech_firms/actual", "本年数值": "770"}])
    with pytest.raises(EntryError) as info:
        read_entry(path, 2025, report_data)
    assert "（国家级高新技术企业数量 2025年）" in str(info.value) and "hightech_firms" not in str(info.value)


def test_after_the_final_year_scenario_2024_is_unchanged_and_2025_shows_the_revision(data_copy):
    """tests/fixtures/final-year/scenario.py, README's procedure with a revision of 新材料's 2024 output."""
    import importlib.util

    from beichen.model.edition import Edition
    from beichen.dossier.figures import figures

    spec = importlib.util.spec_from_file_location("final_year_scenario", Path(__file__).parent / "fixtures"
                                                  / "final-year" / "scenario.py")
    scenario = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scenario)
    shutil_rmtree(data_copy / "narrative" / "2025")
    shutil_rmtree(data_copy / "entry")

    def shown(data, year):
        return [(f.file, f.what, f.value.value, f.value.year, f.value.provenance) for f in figures(data, year)]

    before = shown(load_all(data_copy), 2024)
    scenario.prepare(data_copy)
    data = load_all(data_copy)
    assert shown(data, 2024) == before
    chains_2024 = Edition(data, 2024).chains()
    assert chains_2024.loc[chains_2024["chain_id"] == "new_materials", "output_100m_yuan"].item() == 425.1  # 二(一)1
    as_of_2024 = Edition(data, 2025).chains(at=2024)
    assert as_of_2024.loc[as_of_2024["chain_id"] == "new_materials", "output_100m_yuan"].item() == 426.5  # revised


def shutil_rmtree(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)
