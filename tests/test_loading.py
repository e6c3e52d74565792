"""Loading and validation: bad input fails with file, row, column, value and the expected form."""
import pytest

from beichen.model.edition import Edition

from beichen.inputs.loading import DataValidationError, load_all


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not found in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _errors(data_dir) -> str:
    with pytest.raises(DataValidationError) as info:
        load_all(data_dir)
    return str(info.value)


def test_real_data_is_valid(report_data):
    assert len(report_data.indicators) >= 5
    assert report_data.indicators["core"].sum() == 5
    assert len(report_data.chains) == 9


def test_percent_sign_in_value_is_rejected_with_location_and_fix(data_copy):
    # indicator_values.csv line 4 is mfg_va_share_gdp,2024,actual,39.8 (header is line 1).
    _edit(data_copy / "indicator_values.csv", "mfg_va_share_gdp,2024,actual,39.8,", "mfg_va_share_gdp,2024,actual,39.8%,")
    message = _errors(data_copy)
    assert "indicator_values.csv: 第4行, 列 value: 值 “39.8%”" in message
    assert "应为一个数字" in message and "去掉“%”" in message


def test_thousands_separator_is_rejected(data_copy):
    _edit(data_copy / "metrics.csv", "above_scale_industrial_output,规模以上工业总产值,亿元,1,2024,2024,1389.9,",
          'above_scale_industrial_output,规模以上工业总产值,亿元,1,2024,2024,"1,389.9",')
    message = _errors(data_copy)
    assert "metrics.csv" in message and "列 value" in message and "“1,389.9”" in message
    assert "去掉千分位逗号" in message


def test_full_width_digits_are_rejected(data_copy):
    _edit(data_copy / "chains.csv", "new_materials,新材料产业链,超百亿,2024,115,425.1,", "new_materials,新材料产业链,超百亿,2024,115,４２５.１,")
    message = _errors(data_copy)
    assert "chains.csv: 第2行, 列 output_100m_yuan: 值 “４２５.１”" in message
    assert "半角" in message


def test_gbk_file_is_rejected_naming_the_line(data_copy):
    path = data_copy / "chains.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    message = _errors(data_copy)
    # The first line with Chinese text is line 2 (the header is ASCII).
    assert "chains.csv: 第2行: 文件不是 UTF-8 编码" in message
    assert "GBK" in message and "新材料产业链" in message


def test_utf8_bom_from_excel_is_accepted(data_copy):
    path = data_copy / "chains.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert len(load_all(data_copy).chains) == 9


def test_duplicate_key_is_rejected(data_copy):
    path = data_copy / "indicator_values.csv"
    path.write_text(path.read_text(encoding="utf-8") + "mfg_va_share_gdp,2024,actual,40.0,test,2024\n", encoding="utf-8")
    message = _errors(data_copy)
    assert "indicator_values.csv" in message and "重复" in message
    assert "第4行" in message  # the original row that the new one duplicates


def test_unknown_indicator_is_rejected(data_copy):
    path = data_copy / "indicator_values.csv"
    path.write_text(path.read_text(encoding="utf-8") + "no_such_indicator,2024,actual,1,test,2024\n", encoding="utf-8")
    message = _errors(data_copy)
    assert "列 indicator_id: 值 “no_such_indicator”" in message


def test_missing_column_is_rejected(data_copy):
    path = data_copy / "chains.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(",".join(l.split(",")[:-1]) for l in lines) + "\n", encoding="utf-8")
    message = _errors(data_copy)
    assert "chains.csv: 缺少列 “edition”" in message


def test_the_same_figure_may_be_revised_by_a_later_edition(data_copy):
    """(id, year, kind) repeats only with another edition: a later edition's revision, which the
    later edition shows while the earlier keeps its own."""
    path = data_copy / "indicator_values.csv"
    path.write_text(path.read_text(encoding="utf-8") + "hightech_firms,2024,actual,720,区科技局,2025\n",
                    encoding="utf-8")
    data = load_all(data_copy)
    assert Edition(data, 2024).indicator("hightech_firms").actual.value == 715  # source 一(二)表
    assert Edition(data, 2025).indicator("hightech_firms").actual.value == 720
    assert Edition(data, 2025).indicator("hightech_firms").actual.provenance.edition == 2025


def test_a_metadata_list_naming_an_unknown_figure_is_rejected(data_copy):
    path = data_copy / "meta" / "report.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("figure: first_sets", "figure: first_setz"),
                    encoding="utf-8")
    message = _errors(data_copy)
    assert "meta/report.yml: before_after 第2项: “first_setz” 不是已知的指标或统计数字" in message


def test_blank_row_is_rejected(data_copy):
    path = data_copy / "chains.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(3, "")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert "chains.csv: 第4行: 空行" in _errors(data_copy)


def test_wrong_type_in_boolean_column(data_copy):
    _edit(data_copy / "indicators.csv", ",higher,true,1,", ",higher,yes,1,")
    assert "列 core: 值 “yes”" in _errors(data_copy)


def test_problems_from_several_files_are_all_reported(data_copy):
    _edit(data_copy / "indicator_values.csv", "mfg_va_share_gdp,2024,actual,39.8,", "mfg_va_share_gdp,2024,actual,abc,")
    _edit(data_copy / "chains.csv", "new_materials,新材料产业链,超百亿,2024,115,", "new_materials,新材料产业链,超百亿,2024,many,")
    message = _errors(data_copy)
    assert "indicator_values.csv" in message and "chains.csv" in message


def test_a_chain_group_is_the_plans_own_word_and_cannot_be_blank(data_copy):
    # a later plan groups its chains its own way (表2-1 prints the word in 类别)
    _edit(data_copy / "chains.csv", "new_materials,新材料产业链,超百亿,", "new_materials,新材料产业链,未来产业,")
    chains = load_all(data_copy).chains
    assert chains.loc[chains["chain_id"] == "new_materials", "group"].iloc[0] == "未来产业"
    _edit(data_copy / "chains.csv", "new_materials,新材料产业链,未来产业,", "new_materials,新材料产业链,,")
    assert "chains.csv" in _errors(data_copy) and "group" in _errors(data_copy)
