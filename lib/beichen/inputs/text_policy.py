"""What text may hold, on the way in and on the way out (issue 21, points 4 and 5).

In: every reader of text the analyst supplies — the data CSV files, the YAML files in data/meta/,
the entry sheet of `make import`, the narrative passages — refuses characters that cannot be seen
or that reorder what is seen: Unicode format characters (category Cf: the bidirectional controls
U+202A–U+202E and U+2066–U+2069, U+200B–U+200F, U+2060, U+FEFF …), control characters (Cc; a
line break or tab only where the file's format has lines), private-use, surrogate and unassigned
code points (Co, Cs, Cn), the line/paragraph separators U+2028/U+2029, and a few letters that
print as nothing (Hangul fillers). U+202E alone turns “产业链A” into “A链业产” in every table
cell that holds it, and none of them can be seen in an editor, so the refusal names the code
point, its Unicode name, the file, row, column — never the character itself.

Text that begins like a spreadsheet formula (= + - @, a tab or a carriage return; their
full-width forms too, which Chinese input methods produce and some spreadsheets read as the
ASCII ones) is refused where it is typed into a text column, and neutralised where a text is
written to a CSV file (an apostrophe in front, OWASP's advice against CSV injection) or an
.xlsx sheet (the cell typed as text, marked “quote prefix”, so it is never a formula).

Ordinary whitespace (U+3000, no-break spaces) is not refused: it is visible as space and Chinese
text uses it.
"""
from __future__ import annotations

import unicodedata
from pathlib import Path

# Letters (category Lo/Mn) that print as nothing in every font we use; the categories below do
# not catch them.
INVISIBLE_LETTERS = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u034f"}
REFUSED_CATEGORIES = {"Cf", "Cc", "Co", "Cs", "Cn", "Zl", "Zp"}
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
ZERO_WIDTH = set("\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\u00ad")

# The first character of a cell that makes a spreadsheet evaluate it (OWASP, “CSV injection”).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def is_refused(char: str) -> bool:
    """Whether one character is refused in the analyst's text (see the module's docstring)."""
    return unicodedata.category(char) in REFUSED_CATEGORIES or char in INVISIBLE_LETTERS


def _plain(text: str) -> bool:
    """A fast “nothing refused here”: str.isprintable() is False for every character of the refused
    categories (and for spaces other than U+0020, which then take the slow path)."""
    return text.isprintable() and not any(c in text for c in INVISIBLE_LETTERS)


def _kind(char: str) -> str:
    """What the character is, in words, and why it is refused."""
    if char in BIDI_CONTROLS:
        return "双向文字控制符，不可见，会打乱其后文字的显示顺序（如使之倒序）"
    if char == "\ufeff":
        return "字节顺序标记（BOM），不可见，只应出现在文件开头，不应在文字中"
    if char in ZERO_WIDTH:
        return "零宽字符，不可见"
    category = unicodedata.category(char)
    if category == "Cc":
        return {"\n": "换行符", "\r": "回车符", "\t": "制表符"}.get(char, "控制字符") + "，控制字符，不可见"
    if category in ("Zl", "Zp"):
        return "行/段分隔符，不可见，会使文字断行"
    if category == "Co":
        return "私用区字符，各字体显示不一"
    if category == "Cs":
        return "代理码位，不是有效字符"
    if category == "Cn":
        return "未分配的码位，不是有效字符"
    return "格式控制符，不可见"


def code_point(char: str) -> str:
    """“U+202E（RIGHT-TO-LEFT OVERRIDE）” — how a message names a character without printing it."""
    name = unicodedata.name(char, "")
    if not name and unicodedata.category(char) == "Cc":
        name = {"\n": "LINE FEED", "\r": "CARRIAGE RETURN", "\t": "CHARACTER TABULATION"}.get(char, "CONTROL")
    return f"U+{ord(char):04X}（{name or '无名称'}）"


def visible(text: str, limit: int = 40) -> str:
    """The text with every refused character shown as ⟦U+XXXX⟧, on one line, at most `limit` characters
    of the original (a message quotes a cell without the character that would garble it)."""
    shown = text if len(text) <= limit else text[:limit] + "…"
    return "".join(f"⟦U+{ord(c):04X}⟧" if is_refused(c) else c for c in shown)


def describe(char: str) -> str:
    """“码位 U+202E（RIGHT-TO-LEFT OVERRIDE，双向文字控制符…）”."""
    return f"码位 {code_point(char)[:-1]}，{_kind(char)}）"


# The character cannot be seen, so “delete it” needs saying how.
CELL_FIX = "修正：删去该字符（它看不见：在 Excel 中重新键入整个单元格，或用能显示不可见字符的编辑器删除）"
FILE_FIX = "修正：删去该字符（它看不见：重新键入该行，或用能显示不可见字符的编辑器删除，如 VS Code）"


def cell_problems(text: str, where: str, limit: int = 3) -> list[str]:
    """Problems of one cell of a table (`where`: “metrics.csv: 第12行, 列 source”): one per refused
    character (at most `limit`, then a count), each naming its code point and its place in the cell."""
    if _plain(text):
        return []
    found = [(i, c) for i, c in enumerate(text) if is_refused(c)]
    out = [f"{where}: 第{i + 1}个字符是{describe(c)}：“{visible(text, 60)}”；{CELL_FIX}" for i, c in found[:limit]]
    if len(found) > limit:
        out.append(f"{where}: 另有 {len(found) - limit} 个不可见字符")
    return out


def text_problems(text: str, label: str, allow: str = "\n\t", limit: int = 20) -> list[str]:
    """Problems of a whole text file (YAML, Markdown), `label` its name as the analyst knows it:
    file, line, column (counted in characters) and code point of each refused character. Line
    breaks and tabs (`allow`) are a text file's own; a BOM at the very start is an encoding mark."""
    out: list[str] = []
    if text.startswith("\ufeff"):
        text = " " + text[1:]  # keeps the columns of line 1 as an editor counts them
    for line_no, line in enumerate(text.split("\n"), start=1):
        if _plain(line.translate({ord(c): None for c in allow})):
            continue
        for column, char in enumerate(line, start=1):
            if char in allow or not is_refused(char):
                continue
            if len(out) == limit:
                out.append(f"{label}: 还有更多不可见字符，先改正以上各处后重试")
                return out
            start = max(0, column - 30)
            context = ("…" if start else "") + visible(line[start:], 60)
            out.append(f"{label}: 第{line_no}行, 第{column}列: {describe(char)}：“{context}”；{FILE_FIX}")
    return out


def file_problems(path: Path, label: str | None = None) -> list[str]:
    """text_problems of a UTF-8 text file (nothing when it is not UTF-8: its reader says so)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    return text_problems(text, label or path.name)


def narrative_problems(folder: Path, label: str | None = None) -> list[str]:
    """text_problems of every passage file (*.md) of one year's narrative folder."""
    folder = Path(folder)
    prefix = label or folder.as_posix()
    out: list[str] = []
    for path in sorted(folder.glob("*.md")):
        out += file_problems(path, f"{prefix}/{path.name}")
    return out


# --- spreadsheets ----------------------------------------------------------------------------------

def starts_like_formula(text: str) -> bool:
    """Whether a spreadsheet would read this text cell as a formula (after any leading spaces,
    which some spreadsheets skip)."""
    return str(text).lstrip(" \u3000\u00a0").startswith(FORMULA_START)


def formula_problem(text: str, where: str) -> str | None:
    """The refusal of a text cell typed in an input that begins like a formula, with the fix; None when fine."""
    if not starts_like_formula(text):
        return None
    first = str(text).lstrip(" \u3000\u00a0")[0]
    shown = code_point(first) if is_refused(first) else f"“{first}”"
    return (f"{where}: 值 “{visible(str(text))}” 以 {shown} 开头，电子表格软件会把它当作公式执行；"
            f"修正：去掉开头的 {shown}，或在前面加上文字（如“约”“注：”）；数字请填在数值列")


def spreadsheet_text(value) -> str:
    """A text cell for a CSV file a reader opens in a spreadsheet: one that begins like a formula is
    prefixed with an apostrophe, which spreadsheets show as text and do not run (OWASP). Numbers
    are not text: a writer writes them as numbers and does not call this."""
    text = "" if value is None else str(value)
    return "'" + text if starts_like_formula(text) else text


def set_xlsx_text(cell, value) -> None:
    """Write `value` into an openpyxl cell as text that is never a formula: openpyxl makes any string
    beginning with “=” a formula, so the type is set to string after the value, and the cell is
    marked “quote prefix” so that Excel keeps it text even when the analyst edits it."""
    text = "" if value is None else str(value)
    cell.value = text
    if text:
        cell.data_type = "s"
        if starts_like_formula(text):
            cell.quotePrefix = True
