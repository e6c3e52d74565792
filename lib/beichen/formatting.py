"""Chinese number style as printed in the source report.

Stated figures are printed as the source prints them (“37%”, “1389.9亿元”, “2948.85万元”);
derived figures (rates, shares, gaps) get one decimal (“110.0%”, “2.8个百分点”).
Every function returns text; a missing value prints as MISSING.
"""
from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

MISSING = "暂无数据"

# Units after which the number is written without a space and which take the unit as suffix.
COUNT_UNITS = {"家", "个", "名", "项", "条", "位"}


def _is_missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def round_half_up(x: float, decimals: int = 0) -> float:
    """Round half away from zero, as Chinese statistics print (68.25 → 68.3; Python's round gives 68.2)."""
    return float(Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def number(x, decimals: int | None = None) -> str:
    """A plain number without thousands separators (the source writes 1389.9, 5444).

    decimals=None prints the shortest exact form (37 → “37”, 1474.425 → “1474.425”),
    which is how stated figures appear in the source.
    """
    if _is_missing(x):
        return MISSING
    x = float(x)
    if decimals is None:
        text = f"{x:.6f}".rstrip("0").rstrip(".")
    else:
        text = f"{round_half_up(x, decimals):.{decimals}f}"
    # Rounding can leave “-0.0”; a zero has no sign.
    if text.startswith("-") and float(text) == 0:
        text = text[1:]
    return text


def with_unit(x, unit: str, decimals: int | None = None) -> str:
    """Number plus unit in the source's style: “39.8%”, “715家”, “1389.9亿元”."""
    if _is_missing(x):
        return MISSING
    return f"{number(x, decimals)}{unit}"


def percent(x, decimals: int | None = 1) -> str:
    """A percentage, one decimal by default: 107.57 → “107.6%”."""
    return with_unit(x, "%", decimals)


def points(x, decimals: int = 1) -> str:
    """A difference of two percentages, unsigned: 2.8 → “2.8个百分点”."""
    if _is_missing(x):
        return MISSING
    return f"{number(abs(float(x)), decimals)}个百分点"


def yi(x, decimals: int | None = 1) -> str:
    """亿元 amounts: 1294.1 → “1294.1亿元”."""
    return with_unit(x, "亿元", decimals)


def count(x, measure: str = "个") -> str:
    """Counts with their measure word: 715 → “715家”."""
    if _is_missing(x):
        return MISSING
    return f"{int(round_half_up(float(x)))}{measure}"


# How the source qualifies a round number (metrics.csv, column qualifier).
QUALIFIERS = ("超", "余", "近")


def qualified(text: str, qualifier: str, number_text: str = "", unit: str = "") -> str:
    """A figure with the source's qualifier: 超 + “200家” → “超200家”; 余 → “20余家”; 近 → “近1000名”."""
    if qualifier in ("超", "近"):
        return f"{qualifier}{text}"
    if qualifier == "余" and number_text:
        return f"{number_text}余{unit}"
    return text


def change_word(delta: float, up: str = "增长", down: str = "下降") -> str:
    """The verb for a signed change: positive → 增长/提高, negative → 下降."""
    return up if delta >= 0 else down


def growth(pct, decimals: int | None = 1) -> str:
    """Signed growth in words: 3.6 → “增长3.6%”, -0.3 → “下降0.3%” (decimals=None: as stated)."""
    if _is_missing(pct):
        return MISSING
    return f"{change_word(float(pct))}{percent(abs(float(pct)), decimals)}"


def multiple(m, decimals: int = 1) -> str:
    """A ratio new/old: 2.0 → “翻倍”, 1.6 → “1.6倍”."""
    if _is_missing(m):
        return MISSING
    if abs(float(m) - 2.0) < 0.05:
        return "翻倍"
    return f"{number(m, decimals)}倍"


CHINESE_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """Small whole numbers in Chinese characters, as the source writes them in prose: 3 → “三”, 12 → “十二”."""
    n = int(n)
    if not 0 <= n < 100:
        raise ValueError(f"chinese_numeral handles 0–99, got {n}")
    tens, ones = divmod(n, 10)
    if tens == 0:
        return CHINESE_DIGITS[ones]
    return (CHINESE_DIGITS[tens] if tens > 1 else "") + "十" + (CHINESE_DIGITS[ones] if ones else "")


def chinese_round(n, bare_one: bool = False) -> str:
    """A round number (one significant digit, ≥ 100) in Chinese characters, as prose writes an
    approximate figure: 3000 → “三千”, 200 → “两百”, 20000 → “两万”; with bare_one a leading one is
    left out after a qualifier (“近千名”, “上万人”, not “近一千名”)."""
    n = int(n)
    for unit_value, unit in ((10000, "万"), (1000, "千"), (100, "百")):
        if n >= unit_value and n % unit_value == 0 and n // unit_value < 10:
            digit = n // unit_value
            lead = "" if digit == 1 and bare_one else "两" if digit == 2 else CHINESE_DIGITS[digit]
            return lead + unit
    raise ValueError(f"chinese_round writes one digit of 百/千/万 (100–90000), got {n}")


def vintage(text: str, value_year: int | None, report_year: int) -> str:
    """Append the year a value refers to when it is older than the report year.

    “49.8%” for 2023 in the 2024 edition → “49.8%（2023年）”. Missing stays MISSING.
    """
    if text == MISSING or value_year is None or int(value_year) >= int(report_year):
        return text
    return f"{text}（{int(value_year)}年）"


def value_with_unit(x, unit: str, decimals: int | None = None) -> str:
    """Format a value in its catalogue unit: percentages as %, counts with measure words."""
    if unit in COUNT_UNITS:
        return count(x, unit) if decimals in (None, 0) else with_unit(x, unit, decimals)
    return with_unit(x, unit, decimals)
