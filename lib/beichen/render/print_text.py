"""Chinese rules of composition for the printed report (the PDF), applied where LaTeX breaks lines.

xeCJK lets a line break between any two Chinese characters and between a figure and the
character after it. A print office does not accept "国家级高新技|术企业" in a table cell, "4|家" or
"2020|年" at a line's end, or "提升。" alone as a paragraph's last line (GB/T 15834/15835 and
common 公文 practice). This module marks, in the text handed to LaTeX, where a break may *not*
fall, with two invisible characters that latex/beichen-report.sty turns into unbreakable glue:

- ``JOIN`` (U+2060 WORD JOINER) between two Chinese characters: ``\\nobreak\\CJKglue``;
- ``JOIN_MIXED`` (U+2063 INVISIBLE SEPARATOR) between a figure (or Latin run) and a Chinese
  character: ``\\nobreak\\CJKecglue`` (the usual space between the two, without the break);
- ``BREAK`` (U+200B ZERO WIDTH SPACE) where a table cell may break but xeCJK would not (after "/").

Everywhere else xeCJK's own glue stays, so spacing and punctuation are xeCJK's. The site is not
touched: browsers make their own lines, and the marks exist only in the LaTeX source
(`setup` registers a post-transform for the LaTeX builder only).

- ``table_cell``: a table cell breaks only between words (jieba's, with the report's terms
  below kept whole), so column widths (lib/beichen/render/tables.py) can be computed from the same words.
- ``running_text``: a number stays with its measure word or unit ("4家", "2020年", "3.2个百分点"),
  "第" with its number; a range of years or months is set with the 一字线 of GB/T 15834-2011
  4.13.3.2 ("2021—2025年", "1—10月"), as 起止 of a time.
- ``tie_last``: a paragraph's last line holds at least two characters before its closing
  punctuation ("提升。", not "升。" alone).
"""
from __future__ import annotations

import re
from functools import lru_cache

JOIN = "\u2060"
JOIN_MIXED = "\u2063"
BREAK = "\u200b"     # a break xeCJK would not make: after "/" before a Chinese character
MARKS = JOIN + JOIN_MIXED + BREAK

#: Words of Chinese policy and statistics writing that jieba's dictionary splits ("占|比",
#: "专精|特新", "小|巨人", "十三|五"): kept whole in print. General vocabulary of the genre, not
#: figures or names of one report (those are data).
TERMS = ("占比", "十三五", "十四五", "十五五", "专精特新", "小巨人", "规上", "规模以上", "外推", "序时进度",
         "目标进度", "单项冠军", "海河英才", "个百分点", "百分点", "亿元", "万元", "万人", "增加值",
         "高新技术企业", "科技型中小企业", "绿色工厂", "智能工厂", "数字化车间", "产业链", "在链企业",
         "工业互联网", "制造业", "研发投入", "总产值", "同比", "增速", "完成度", "达标", "难以达标")

# Words that qualify a figure and stay with it ("约783家", "近50家", "超200个").
APPROXIMATE = ("约", "近", "超", "逾", "达", "共")

# Never at a line's start / end (GB/T 15834 and xeCJK's own rules): kept with their neighbour.
NO_LINE_START = set("，。、；：？！）》”’%％·…)]】〉」』")
NO_LINE_END = set("（《“‘([【〈「『")


def is_cjk(ch: str) -> bool:
    """A Chinese character (ideograph), not punctuation."""
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\U00020000" <= ch <= "\U0003ffff"


def _is_figure_char(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in ".+")


@lru_cache(maxsize=1)
def _tokenizer():
    """A jieba tokenizer of its own with TERMS added, silent (its "Building prefix dict" would land
    in a notebook's output): the site's search (lib/beichen/site/search.py) keeps jieba's plain
    dictionary."""
    import logging

    import jieba

    jieba.setLogLevel(logging.ERROR)
    tokenizer = jieba.Tokenizer()
    for term in TERMS:
        tokenizer.add_word(term, freq=100000)
    return tokenizer


@lru_cache(maxsize=16384)
def words(text: str) -> tuple[str, ...]:
    """The unbreakable pieces of `text` in order, as a reader breaks it: jieba's words (TERMS
    whole), a figure with the word after it ("2020年", "7亿元", "3.2个百分点"), "第" with its
    number, a bracketed unit whole ("（亿元）"), closing punctuation with the word before and
    opening punctuation with the word after, "/" and "+" with the word before; spaces apart."""
    text = str(text)
    if not text:
        return ()
    out: list[str] = []
    glue_next = False  # the last piece must be joined to the next one
    for token in _tokenizer().cut(text, HMM=False):
        if token.isspace():
            out.append(token)
            glue_next = False
            continue
        prev = out[-1] if out and not out[-1].isspace() else ""
        join = bool(prev) and (
            glue_next or token[0] in NO_LINE_START or token in ("/", "+", "-")
            or (prev[-1] in "-+\u2212" and _is_figure_char(token[0]))
            or (_is_figure_char(prev[-1]) and _is_figure_char(token[0]))              # 3|.|2
            or (prev[-1].isdigit() and is_cjk(token[0]))                              # 4|家
            or (prev.endswith("第") and token[0].isdigit())                            # 第|5
            or (prev in APPROXIMATE and token[0].isdigit())                            # 约|783家
            or _open_short_bracket(prev))                                             # （亿|元）
        if join:
            out[-1] = prev + token
        else:
            out.append(token)
        glue_next = token[-1] in NO_LINE_END
    return tuple(out)


def _open_short_bracket(piece: str) -> bool:
    """The piece has a bracket still open, opened at most 8 characters ago: a unit or a year
    ("（亿元）", "（2023年）") is kept whole; a longer parenthesis is a clause whose words may break."""
    for i in range(len(piece) - 1, -1, -1):
        if piece[i] in "）)":
            return False
        if piece[i] in "（(":
            return len(piece) - i <= 8
    return False


def _join(left: str, right: str) -> str:
    """The mark that forbids a break between two adjacent characters ('' where xeCJK never breaks
    there anyway: within a Latin run, next to punctuation)."""
    if is_cjk(left) and is_cjk(right):
        return JOIN
    if (is_cjk(left) and _is_figure_char(right)) or (_is_figure_char(left) and is_cjk(right)):
        return JOIN_MIXED
    return ""


def _joined(word: str) -> str:
    out = [word[0]] if word else []
    for left, right in zip(word, word[1:]):
        out.append(_join(left, right) + right)
    return "".join(out)


def table_cell(text: str) -> str:
    """A table cell's text for LaTeX: breaks only between `words` (and between every two of them:
    xeCJK makes no break after "/", "智能工厂/|数字化车间", so a BREAK mark allows it there)."""
    out: list[str] = []
    for word in words(str(text)):
        if out and out[-1][-1:] == "/" and is_cjk(word[0]):
            out.append(BREAK)
        out.append(_joined(word))
    return "".join(out)


# a range of years or months ("2021-2025年", "（2021-2025）", "1-10月"), not a table's or a
# figure's number ("表1-1"): a hyphen between figures followed by 年/月 or a closing bracket
_RANGE = re.compile(r"(?<![\d表图])(\d{4})-(\d{4})(?=年|）|\)|累计)|(?<![\d表图-])(\d{1,2})-(\d{1,2})(?=月)")
_FIGURE_UNIT = re.compile(r"(?<=[0-9])(?=[\u3400-\u9fff])|(?<=[第约])(?=\d)")
RANGE_DASH = "\u2014"   # 一字线 (GB/T 15834-2011 4.13.3.2: 起止 of a time)


def print_range(text: str) -> str:
    """Ranges of years and months with the 一字线: "2021-2025年" → "2021—2025年"."""
    return _RANGE.sub(lambda m: f"{m[1]}{RANGE_DASH}{m[2]}" if m[1] else f"{m[3]}{RANGE_DASH}{m[4]}", str(text))


_BINARY_MINUS = re.compile(r"\s+\u2212\s+")


def print_minus(text: str) -> str:
    """The minus of a formula in words ("实际值 − 目标值") as the full-width minus "－" (U+FF0D) of the
    Chinese face: no face of the document has U+2212, and the full-width sign carries its own
    spacing, as the other signs of such a formula (＝, ÷, ×) do in a Chinese face."""
    return _BINARY_MINUS.sub("\uff0d", str(text))


def running_text(text: str) -> str:
    """Running text for LaTeX: ranges with the 一字线, a formula's minus full-width, a figure kept
    with its measure word or unit and "第" with its number (a mark between them, see the module's doc)."""
    text = print_minus(print_range(text))
    return _FIGURE_UNIT.sub(lambda m: JOIN_MIXED, text)


_LAST_PAIR = re.compile(r"([\u3400-\u9fff0-9%])([\u3400-\u9fff])(?=[" + re.escape("".join(NO_LINE_START)) + r"\s]*$)")


def tie_last(text: str) -> str:
    """The end of a paragraph: its last two characters before the closing punctuation held
    together, so that the last line never holds one character alone ("提升。")."""
    m = _LAST_PAIR.search(text)
    if not m:
        return text
    return text[:m.end(1)] + _join(m[1], m[2]) + text[m.start(2):]


def strip_marks(text: str) -> str:
    return str(text).translate({ord(c): None for c in MARKS})
