"""Chinese number style. Expected strings are as printed in the source report (section named)."""
import math

from beichen import formatting as fmt


def test_stated_numbers_print_as_in_source():
    # 一(一)1 prints 1389.9亿元, 37%; 三(一)1 prints 1474.425万元 and 5444个.
    assert fmt.yi(1389.9) == "1389.9亿元"
    assert fmt.with_unit(37.0, "%") == "37%"
    assert fmt.with_unit(1474.425, "万元") == "1474.425万元"
    assert fmt.count(5444, "个") == "5444个"
    assert fmt.value_with_unit(715, "家") == "715家"


def test_derived_percent_one_decimal():
    # The source's completion column prints 110% but our report keeps one decimal: 110.0%.
    assert fmt.percent(110) == "110.0%"
    assert fmt.percent(107.567) == "107.6%"


def test_points_and_growth_words():
    assert fmt.points(2.8) == "2.8个百分点"
    assert fmt.points(-5.2) == "5.2个百分点"
    assert fmt.growth(3.6) == "增长3.6%"
    # 四(二)2: 产值同比下降0.3%.
    assert fmt.growth(-0.3) == "下降0.3%"


def test_multiple_word():
    # 一(一)3: 32 vs 16 is “翻倍”.
    assert fmt.multiple(2.0) == "翻倍"
    assert fmt.multiple(3.1) == "3.1倍"


def test_vintage_and_missing():
    # 一(二)表: 49.8%（2023）in the 2024 report.
    assert fmt.vintage("49.8%", 2023, 2024) == "49.8%（2023年）"
    assert fmt.vintage("39.8%", 2024, 2024) == "39.8%"
    assert fmt.percent(None) == fmt.MISSING == "暂无数据"
    assert fmt.count(math.nan) == "暂无数据"
    assert fmt.vintage(fmt.MISSING, 2023, 2024) == "暂无数据"


def test_negative_zero_has_no_sign():
    assert fmt.number(-0.01, 1) == "0.0"
    assert fmt.number(-0.0) == "0"


def test_halves_round_up_as_in_chinese_statistics():
    # Hand calculation: (715 − 442) / 4 = 68.25 → “68.3”; Python's own rounding would print 68.2.
    assert fmt.number(68.25, 1) == "68.3"
    assert fmt.count(36.5, "家") == "37家"
    assert fmt.round_half_up(-0.25, 1) == -0.3


def test_chinese_numerals_for_prose():
    # Source 一(一)1: “连续三年位居全市第一”.
    assert [fmt.chinese_numeral(n) for n in (1, 3, 10, 12, 20, 35)] == ["一", "三", "十", "十二", "二十", "三十五"]
