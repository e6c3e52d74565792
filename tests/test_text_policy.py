"""Unicode policy (issue 21, point 4): invisible and bidirectional characters are refused wherever the
analyst's text comes in — data CSV files, meta YAML, editions.csv, the entry sheet, the narrative —
and every refusal names the code point, the file, the row and the column, never showing the
character itself; the PDF's missing-glyph error names code point, font and place."""
from __future__ import annotations

import csv
import io
import subprocess
import sys

import pytest

from beichen.inputs import text_policy
from beichen.inputs.loading import DataValidationError, load_all
from beichen.inputs.intake import COLUMNS, EntryError, read_entry
from beichen.inputs.newyear import entry_rows

# The probes of the issue: U+202E reverses what follows it (it reversed table cells in 11 files),
# U+200B and U+FEFF are invisible.
PROBES = {"\u202e": "U+202E（RIGHT-TO-LEFT OVERRIDE",
          "\u200b": "U+200B（ZERO WIDTH SPACE",
          "\ufeff": "U+FEFF（ZERO WIDTH NO-BREAK SPACE"}
INVISIBLE = "".join(PROBES) + "\u2066\u2069\u200e\u2060\u00ad"


def _refusal(data_dir) -> str:
    with pytest.raises(DataValidationError) as err:
        load_all(data_dir)
    message = str(err.value)
    assert not set(INVISIBLE) & set(message), "the message shows the invisible character itself"
    return message


def _replace_cell(path, line: int, column: str, make) -> None:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    index = rows[0].index(column)
    rows[line - 1][index] = make(rows[line - 1][index])
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


@pytest.mark.parametrize("char", list(PROBES))
@pytest.mark.parametrize("file, line, column", [("chains.csv", 2, "name"), ("metrics.csv", 5, "source"),
                                               ("indicators.csv", 3, "name"), ("indicator_values.csv", 4, "source"),
                                               ("indicators.csv", 2, "note")])
def test_invisible_characters_in_names_and_sources_are_refused(data_copy, char, file, line, column):
    _replace_cell(data_copy / file, line, column, lambda v: v[:2] + char + v[2:])
    message = _refusal(data_copy)
    assert f"{file}: 第{line}行, 列 {column}: 第3个字符是码位 {PROBES[char]}" in message
    assert "⟦U+" in message and "修正" in message


def test_a_bom_at_the_start_of_a_data_file_is_an_encoding_not_a_character(data_copy):
    """Excel's “CSV UTF-8” writes a BOM first: that is the file's encoding mark, not text."""
    path = data_copy / "chains.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    load_all(data_copy)


def test_every_column_is_checked_including_the_header(data_copy):
    path = data_copy / "metrics.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("qualifier", "quali\u200bfier", 1), encoding="utf-8")
    assert "metrics.csv: 第1行（表头）, 列 quali⟦U+200B⟧fier: 第6个字符是码位 U+200B" in _refusal(data_copy)


def test_invisible_characters_in_meta_yaml_are_refused_with_line_and_column(data_copy):
    path = data_copy / "meta" / "plan.yml"
    lines = path.read_text(encoding="utf-8").split("\n")
    number = next(i for i, l in enumerate(lines) if l.startswith("name:"))
    lines[number] = lines[number].replace("十四", "十\u202e四", 1)
    path.write_text("\n".join(lines), encoding="utf-8")
    column = lines[number].index("\u202e") + 1
    assert f"meta/plan.yml: 第{number + 1}行, 第{column}列: 码位 U+202E（RIGHT-TO-LEFT OVERRIDE" in _refusal(data_copy)


def test_invisible_characters_in_editions_csv_are_refused(data_copy):
    _replace_cell(data_copy / "editions.csv", 2, "issue_date", lambda v: "\u2066" + v)
    assert "editions.csv: 第2行, 列 issue_date: 第1个字符是码位 U+2066（LEFT-TO-RIGHT ISOLATE" in _refusal(data_copy)


def test_make_validate_refuses_a_narrative_passage_and_exits_non_zero(data_copy):
    path = data_copy / "narrative" / "2024" / "01_targets.md"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[1] = lines[1][:3] + "\u202e" + lines[1][3:]
    path.write_text("\n".join(lines), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "beichen.inputs.validate", str(data_copy)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 1, run.stdout
    assert "narrative/2024/01_targets.md: 第2行, 第4列: 码位 U+202E（RIGHT-TO-LEFT OVERRIDE" in run.stdout
    assert "\u202e" not in run.stdout


def test_a_line_break_in_a_cell_is_named_by_its_code_point(data_copy):
    _replace_cell(data_copy / "chains.csv", 3, "source", lambda v: v + "\n```{raw} html")
    message = _refusal(data_copy)
    assert "chains.csv: 第3行, 列 source:" in message and "U+000A（LINE FEED" in message


def _entry(path, report_data, edit) -> str:
    """An entry file of 2025 with one hostile cell (edit(row) changes the first row); the refusal."""
    rows = entry_rows(report_data, 2025)
    rows[0]["本年数值"] = "40.4"
    edit(rows[0])
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([COLUMNS] + [[r[c] for c in COLUMNS] for r in rows])
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))
    with pytest.raises(EntryError) as err:
        read_entry(path, 2025, report_data)
    message = str(err.value)
    assert not set(INVISIBLE) & set(message)
    return message


@pytest.mark.parametrize("char", list(PROBES))
@pytest.mark.parametrize("column", ["来源", "统计期", "标识"])
def test_the_entry_sheet_refuses_invisible_characters(tmp_path, report_data, char, column):
    message = _entry(tmp_path / "e.csv", report_data, lambda row: row.update({column: row[column][:1] + char + row[column][1:]}))
    assert f"e.csv: 第2行, 列 {column}: 第2个字符是码位 {PROBES[char]}" in message


def test_the_entry_sheet_read_as_gbk_is_checked_too(tmp_path, report_data):
    """Chinese Excel's “CSV (逗号分隔)” is GB18030: decoded, then held to the same policy."""
    rows = entry_rows(report_data, 2025)
    rows[0]["本年数值"] = "40.4"
    rows[0]["来源"] = "区统计局\u00ad"  # a soft hyphen: invisible, and encodable in GB18030
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([COLUMNS] + [[r[c] for c in COLUMNS] for r in rows])
    path = tmp_path / "gbk.csv"
    path.write_bytes(buffer.getvalue().encode("gb18030"))
    with pytest.raises(EntryError) as err:
        read_entry(path, 2025, report_data)
    assert "gbk.csv: 第2行, 列 来源: 第5个字符是码位 U+00AD（SOFT HYPHEN" in str(err.value)


def test_messages_quote_values_by_code_point():
    assert text_policy.visible("新材料\u202e产业链") == "新材料⟦U+202E⟧产业链"
    assert text_policy.code_point("\u202e") == "U+202E（RIGHT-TO-LEFT OVERRIDE）"
    # Visible text a Chinese report uses is not refused: the ideographic space, full-width punctuation.
    assert text_policy.cell_problems("超　百亿（２０２４）", "x") == []
    assert text_policy.text_problems("a\tb\nc", "x") == []
    assert all(text_policy.is_refused(c) for c in INVISIBLE + "\x00\x1b\u2028\ue000")


def test_the_missing_glyph_error_names_code_point_font_and_place(tmp_path):
    """The PDF log knows only the character; the error finds it in the staged sources."""
    from beichen.pdf.latex import glyph_report, missing_glyphs

    book = tmp_path / "2024" / "book"
    latex = book / "_build" / "latex"
    latex.mkdir(parents=True)
    (tmp_path / "2024" / "input" / "data").mkdir(parents=True)
    (tmp_path / "2024" / "input" / "data" / "chains.csv").write_text(
        "chain_id,name,source\nnm,新材料\u200b产业链,二(一)1\n", encoding="utf-8")
    (tmp_path / "2024" / "input" / "narrative" / "2024").mkdir(parents=True)
    (tmp_path / "2024" / "input" / "narrative" / "2024" / "01_targets.md").write_text(
        "<!-- passage: intro -->\n北辰\u202e区\n", encoding="utf-8")
    log = latex / "book.log"
    log.write_text(  # as xelatex (TeX Live 2022) writes it, wrapped at 79 columns
        "Missing character: There is no \u200b (U+200B) in font [FandolSong-Regular.otf]/OT:l\n"
        "anguage=dflt;mapping=tex-text;!\n"
        "Missing character: There is no \u202e (U+202E) in font [FandolHei-Regular.otf]/OT:l\n"
        "anguage=dflt;mapping=tex-text;!\n[1]\n", encoding="utf-8")
    missing = missing_glyphs(log)
    assert set(missing) == {"\u200b", "\u202e"}
    message = glyph_report(missing, book, log)
    assert "码位 U+200B（ZERO WIDTH SPACE），字体 FandolSong-Regular.otf 中没有；位置：data/chains.csv 第2行, 列 name, 第4个字符" in message
    assert "码位 U+202E（RIGHT-TO-LEFT OVERRIDE），字体 FandolHei-Regular.otf 中没有；位置：data/narrative/2024/01_targets.md 第2行, 第3列" in message
    assert "\u200b" not in message and "\u202e" not in message


@pytest.mark.pdf
def test_xelatex_reports_what_glyph_report_reads(tmp_path):
    """The log format missing_glyphs parses is the one this machine's xelatex writes."""
    import shutil

    from beichen.pdf.latex import missing_glyphs

    if shutil.which("xelatex") is None:
        pytest.skip("no xelatex")
    (tmp_path / "t.tex").write_text("\\documentclass{article}\\usepackage{fontspec}\\setmainfont{FandolSong-Regular.otf}"
                                    "\\begin{document}\nab\u200bc\u202ed\n\\end{document}\n", encoding="utf-8")
    subprocess.run(["xelatex", "-interaction=nonstopmode", "t.tex"], cwd=tmp_path, capture_output=True, timeout=300)
    assert set(missing_glyphs(tmp_path / "t.log")) == {"\u200b", "\u202e"}
