"""Read data/*.csv and validate each table against its schema (pandera) on every load.

Any problem — wrong encoding, a blank row, a missing column, a duplicate key, an unknown
indicator, a value such as “39.8%” or “1,389.9” — raises DataValidationError whose message
names the file, the row (line number in the file), the column, the value and what was expected.
"""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from beichen import journal
from beichen.inputs import text_policy
from beichen.inputs.metadata import load_metadata
from beichen.inputs.plan import Plan, PlanError, load_plan
from beichen.inputs.plans import plan_problems
from beichen.paths import DATA_DIR

INDICATOR_KINDS = ["base", "target", "actual", "stated_completion_pct"]
SLUG = r"^[a-z][a-z0-9_]*$"


class DataValidationError(ValueError):
    """Raised with one line per problem, each naming file, row, column, value and expectation."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("数据校验失败 (data validation failed):\n" + capped_list(problems))


def capped_list(problems: list[str], shown: int = 20) -> str:
    """The first `shown` problems, one per line, and how many more there are (100 000 bad rows
    must not print megabytes; the exception keeps them all in `problems`)."""
    lines = [f"  - {p}" for p in problems[:shown]]
    if len(problems) > shown:
        lines.append(f"  … 另有 {len(problems) - shown} 处问题未列出（共 {len(problems)} 处；先改正以上各处后重试）")
    return "\n".join(lines)


# --- schemas -------------------------------------------------------------------------------

# Line breaks, tabs, other control characters and invisible or bidirectional format characters have
# no place in a cell (a line break is how text from a cell would start a Markdown block; U+202E
# reverses a table cell): every cell of every column, in the schema or not, is checked by the
# Unicode policy before the schema runs (`_text_policy_problems`, lib/beichen/inputs/text_policy.py).
def _text(nullable: bool = False, checks=None, **kw) -> pa.Column:
    checks = [] if checks is None else (checks if isinstance(checks, list) else [checks])
    return pa.Column(str, nullable=nullable, checks=checks, **kw)


def _bool_text() -> pa.Column:
    # CSV booleans are the words true/false; pandas would read any non-empty string as True.
    return pa.Column(str, pa.Check.isin(["true", "false"]))


def _edition() -> pa.Column:
    # The edition a row was entered for (the source's rows: 2024). An edition shows only rows entered
    # for it or an earlier edition, so later imports never change a published edition.
    return pa.Column(int, pa.Check.in_range(2015, 2035), coerce=True)


def indicators_schema(dimensions: list[str]) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "indicator_id": _text(checks=pa.Check.str_matches(SLUG), unique=True),
            "dimension": _text(checks=pa.Check.isin(dimensions)),  # the plan's (data/meta/plan.yml)
            "name": _text(checks=pa.Check.str_length(min_value=1)),
            "unit": _text(checks=pa.Check.str_length(min_value=1)),
            "direction": _text(checks=pa.Check.isin(["higher", "lower"])),
            "core": _bool_text(),
            "decimals": pa.Column(int, pa.Check.in_range(0, 4), coerce=True),
        },
        name="indicators.csv",
    )


def indicator_values_schema(known_ids: list[str]) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "indicator_id": _text(checks=pa.Check.isin(known_ids)),
            "year": pa.Column(int, pa.Check.in_range(2015, 2035), coerce=True),
            "kind": _text(checks=pa.Check.isin(INDICATOR_KINDS)),
            "value": pa.Column(float, coerce=True),
            "source": _text(checks=pa.Check.str_length(min_value=1)),
            "edition": _edition(),
        },
        unique=["indicator_id", "year", "kind", "edition"],
        name="indicator_values.csv",
    )


def metrics_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "metric_id": _text(checks=pa.Check.str_matches(SLUG)),
            "name": _text(checks=pa.Check.str_length(min_value=1)),
            "unit": _text(checks=pa.Check.str_length(min_value=1)),
            "decimals": pa.Column(int, pa.Check.in_range(0, 4), coerce=True),
            "year": pa.Column(int, pa.Check.in_range(2015, 2035), coerce=True),
            "period": _text(),
            "value": pa.Column(float, coerce=True),
            "kind": _text(checks=pa.Check.str_matches(r"^(actual|target|stated_[a-z0-9_]+)$")),
            "source": _text(checks=pa.Check.str_length(min_value=1)),
            "edition": _edition(),
        },
        unique=["metric_id", "year", "kind", "edition"],
        name="metrics.csv",
    )


def chains_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "chain_id": _text(checks=pa.Check.str_matches(SLUG)),
            "name": _text(checks=pa.Check.str_length(min_value=1)),
            # the plan's own grouping word, printed in 表2-1's 类别 column (十四五: 超百亿/特色/新兴)
            "group": _text(checks=pa.Check.str_length(min_value=1, max_value=12)),
            "year": pa.Column(int, pa.Check.in_range(2015, 2035), coerce=True),
            "enterprises": pa.Column(int, pa.Check.ge(0), coerce=True),
            "output_100m_yuan": pa.Column(float, pa.Check.ge(0), coerce=True),
            "yoy_growth_pct": pa.Column(float, nullable=True, coerce=True),
            "stated_share_pct": pa.Column(float, pa.Check.in_range(0, 100), nullable=True, coerce=True),
            "source": _text(checks=pa.Check.str_length(min_value=1)),
            "edition": _edition(),
        },
        unique=["chain_id", "year", "edition"],
        name="chains.csv",
    )


# What a revision may revise: the data tables whose rows carry an edition, with the columns that
# identify a figure in each (a chain's figures are the columns of its row) and the values compared.
REVISED_TABLES = {"indicator_values": ("indicator_id", "kind"), "metrics": ("metric_id", "kind"),
                  "chains": ("chain_id", None)}
CHAIN_VALUE_FIELDS = ("enterprises", "output_100m_yuan", "yoy_growth_pct")
REVISIONS_FILE = "revisions.csv"


def revisions_schema() -> pa.DataFrameSchema:
    """data/revisions.csv: why a figure of an earlier year was revised for an edition (the revised
    value itself is the data row of that edition; who supplied it is that row's `source`)."""
    return pa.DataFrameSchema(
        {
            "edition": _edition(),
            "table": _text(checks=pa.Check.isin(list(REVISED_TABLES))),
            "figure_id": _text(checks=pa.Check.str_matches(SLUG)),
            "field": _text(checks=pa.Check.str_matches(SLUG)),   # the kind, or a chain's column
            "year": pa.Column(int, pa.Check.in_range(2015, 2035), coerce=True),
            "reason": _text(checks=pa.Check.str_length(min_value=1)),
        },
        unique=["table", "figure_id", "field", "year", "edition"],
        name=REVISIONS_FILE,
    )


# data/unpublished.csv: figures recorded as not yet published by their source (optional file).
#
# A figure without a value is shown as 暂无数据 (未录入: nobody entered it). Only a figure recorded here
# — e.g. the following year's January–October 快报数 that the statistics office had not released when
# the edition was prepared — is said to be “尚未发布”. `make import` writes a row when the entry sheet's
# 本年数值 reads 未发布; a value entered later for the same figure and year supersedes the record.
#
# Columns: metric_id (metrics.csv), year (the figure's year), source (who said it is not published),
# edition (the edition the record was made for: earlier editions never see it).
UNPUBLISHED_FILE = "unpublished.csv"
# What the analyst types in 本年数值 to record a figure as not yet published.
UNPUBLISHED_WORD = "未发布"
UNPUBLISHED_COLUMNS = ["metric_id", "year", "source", "edition"]


def unpublished_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "metric_id": _text(checks=pa.Check.str_matches(SLUG)),
            "year": pa.Column(int, pa.Check.in_range(2015, 2035), coerce=True),
            "source": _text(checks=pa.Check.str_length(min_value=1)),
            "edition": _edition(),
        },
        unique=["metric_id", "year", "edition"],
        name=UNPUBLISHED_FILE,
    )


def load_unpublished(data_dir: Path | str, known_metrics: set[str]) -> pd.DataFrame:
    """The records of data_dir/unpublished.csv, validated (an empty frame when the file is absent)."""
    path = Path(data_dir) / UNPUBLISHED_FILE
    if not path.exists():
        return pd.DataFrame({c: pd.Series(dtype="int64" if c in ("year", "edition") else "object") for c in UNPUBLISHED_COLUMNS})
    frame = read_table(path, unpublished_schema())
    unknown = [f"{UNPUBLISHED_FILE}: 第{i + 2}行, 列 metric_id: 值 “{m}” 不在 metrics.csv 中"
               for i, m in frame["metric_id"].items() if m not in known_metrics]
    if unknown:
        raise DataValidationError(unknown)
    return frame


# --- reading -------------------------------------------------------------------------------

def _decode(path: Path, raw: bytes) -> str:
    """UTF-8 (a BOM is fine). Anything else is refused with the line it breaks on."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line_no = raw[: err.start].count(b"\n") + 1
        line = raw.splitlines()[line_no - 1]
        try:
            shown = line.decode("gb18030")
            guess = "看起来是中文版 Excel 保存的 GBK/GB18030 编码"
        except UnicodeDecodeError:
            shown, guess = repr(line[:60]), "编码无法识别"
        raise DataValidationError([
            f"{path.name}: 第{line_no}行: 文件不是 UTF-8 编码（{guess}）: “{shown}”; "
            f"应为 UTF-8 — 在 Excel 中“另存为 → CSV UTF-8（逗号分隔）”，或用 `make import` 转换"
        ]) from None


def _hint(value: str) -> str:
    """A concrete fix for the usual spreadsheet artefacts in a numeric cell."""
    hints = []
    if any(unicodedata.east_asian_width(c) == "F" for c in value):
        hints.append("改用半角数字和符号（如 １３８９．９ → 1389.9）")
    if "%" in value or "％" in value:
        hints.append("去掉“%”，单位已由 unit 列说明（如 39.8% → 39.8）")
    if re.search(r"\d[,，]\d", value):
        hints.append("去掉千分位逗号（如 1,389.9 → 1389.9）")
    return ("；修正：" + "；".join(hints)) if hints else ""


def _expected(check: str) -> str:
    if "float" in check:
        return "一个数字"
    if "int" in check:
        return "一个整数"
    if check.startswith("isin("):
        return "以下取值之一 " + check[5:-1]
    if check == "not_nullable":
        return "非空值"
    if check.startswith("str_matches"):
        return "小写英文字母、数字和下划线组成的标识（如 industry_output）"
    if check.startswith("str_length"):
        return "非空文字"
    return check


def _problems(path: Path, err: pa.errors.SchemaErrors, key: list[str] | None) -> list[str]:
    cases = err.failure_cases
    out: list[str] = []
    seen: set[tuple] = set()
    for case in cases.itertuples(index=False):
        check = str(case.check)
        if check == "column_in_dataframe":
            out.append(f"{path.name}: 缺少列 “{case.failure_case}”（表头应包含该列）")
            continue
        if check == "multiple_fields_uniqueness":
            row = int(case.index) + 2
            if ("dup", row) in seen:
                continue
            seen.add(("dup", row))
            out.append(f"{path.name}: 第{row}行: 键 ({', '.join(key or [])}) 重复（与其他行相同）; 每个键只能出现一次")
            continue
        if check.startswith("dtype(") and any(("coerce", case.index, case.column) == s for s in seen):
            continue  # the coerce failure already reported this cell
        if check.startswith("coerce_dtype"):
            seen.add(("coerce", case.index, case.column))
        row = "" if pd.isna(case.index) else f"第{int(case.index) + 2}行, "
        value = text_policy.visible(str(case.failure_case))  # an invisible character shown by its code point
        out.append(f"{path.name}: {row}列 {case.column}: 值 “{value}” 不合要求，应为{_expected(check)}{_hint(value)}")
    return out


PLAIN_NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")


def _non_ascii_numbers(path: Path, frame: pd.DataFrame, schema: pa.DataFrameSchema) -> list[str]:
    """Python's float() quietly accepts full-width digits (“４２５”); the data files must not."""
    problems = []
    for name, column in schema.columns.items():
        if name not in frame or str(column.dtype) not in ("float64", "int64"):
            continue
        for index, value in frame[name].items():
            if value and not PLAIN_NUMBER.match(value) and not value.isascii():
                problems.append(f"{path.name}: 第{index + 2}行, 列 {name}: 值 “{value}” 不合要求，"
                                f"应为{_expected(str(column.dtype))}{_hint(value)}")
    return problems


# Text columns exempt from the formula rule: `note` is the analyst's own annotation, never written to
# a download or an entry sheet, and by this file's convention states the formula behind a stated
# value as “= 15 + 9 + 5” (metrics.csv). Its characters are checked like every other cell's.
FORMULA_EXEMPT = {"note"}


def _text_policy_problems(path: Path, frame: pd.DataFrame, schema: pa.DataFrameSchema) -> list[str]:
    """Every header and cell against the Unicode policy, and every text cell against the formula rule.

    Numeric columns are left to the schema: “-0.3” is a number (metrics.csv has one), not a formula.
    The data hold no text that begins with “-” or “+” (checked when the rule was made; placeholders for
    “no figure” are empty cells), so a text cell beginning with = + - @ is a typo or an attack.
    """
    problems: list[str] = []
    for column in frame.columns:
        problems += text_policy.cell_problems(column, f"{path.name}: 第1行（表头）, 列 {text_policy.visible(column)}")
    numeric = {name for name, col in schema.columns.items() if str(col.dtype) in ("float64", "int64")}
    for column in frame.columns:
        for index, value in frame[column].items():
            if not value:
                continue
            where = f"{path.name}: 第{index + 2}行, 列 {text_policy.visible(column)}"
            found = text_policy.cell_problems(value, where)
            problems += found
            if not found and column not in numeric and column not in FORMULA_EXEMPT:
                problem = text_policy.formula_problem(value, where)
                if problem:
                    problems.append(problem)
    return problems


def read_table(path: Path, schema: pa.DataFrameSchema) -> pd.DataFrame:
    """Read one CSV as text, then let the schema coerce and check every cell."""
    path = Path(path)
    if not path.exists():
        raise DataValidationError([f"{path}: 文件不存在"])
    text = _decode(path, path.read_bytes())
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skip_blank_lines=False)
    frame.columns = [c.strip() for c in frame.columns]
    frame = frame.apply(lambda col: col.str.strip())
    problems = [f"{path.name}: 第{i + 2}行: 空行; 删除该行" for i in frame.index
                if (frame.loc[i] == "").all()]
    if problems:
        raise DataValidationError(problems)
    problems = _text_policy_problems(path, frame, schema)
    if problems:  # a cell with an invisible character would only be misreported by the schema
        raise DataValidationError(problems)
    problems = _non_ascii_numbers(path, frame, schema)
    frame = frame.replace({"": None})
    key = schema.unique if isinstance(schema.unique, list) else None
    try:
        validated = schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        raise DataValidationError(problems + _problems(path, err, key)) from None
    if problems:
        raise DataValidationError(problems)
    return validated


@dataclass(frozen=True)
class ReportData:
    """All validated input tables of the report."""

    indicators: pd.DataFrame
    indicator_values: pd.DataFrame
    metrics: pd.DataFrame
    chains: pd.DataFrame
    data_dir: Path
    plan: Plan
    meta: dict  # data/meta/report.yml and audit.yml, checked against the data: {"report": …, "audit": …}
    revisions: pd.DataFrame | None = None  # data/revisions.csv: the reason of each revision (revisions_in)
    unpublished: pd.DataFrame | None = None  # data/unpublished.csv: figures recorded as not yet published


@dataclass(frozen=True)
class Revision:
    """A figure of an earlier year entered again, with another value, for a later edition."""

    table: str          # indicator_values / metrics / chains
    figure_id: str
    field: str          # the kind (indicator, metric) or the chain's column
    year: int
    edition: int        # the edition the new value was entered for
    old: float | None   # the value the earlier edition shows (None: it had none)
    old_edition: int
    new: float | None
    new_line: int       # line of the new row in its data file
    who: str            # the new row's source: the office that supplied the revised figure
    reason: str         # from revisions.csv; "" when none is recorded


def _same(a, b) -> bool:
    missing_a, missing_b = a is None or pd.isna(a), b is None or pd.isna(b)
    return missing_a and missing_b or (not missing_a and not missing_b and abs(float(a) - float(b)) < 1e-9)


def revisions_in(data: "ReportData", edition: int | None = None) -> list[Revision]:
    """Every revision in the data (of one edition's rows when `edition` is given), in file order:
    a row entered for edition E whose figure an earlier edition's row already gives, with another
    value. Its reason is looked up in data/revisions.csv."""
    reasons = {}
    if data.revisions is not None:
        for row in data.revisions.itertuples(index=False):
            reasons[(row.table, row.figure_id, row.field, int(row.year), int(row.edition))] = row.reason
    out = []
    for table, (id_col, kind_col) in REVISED_TABLES.items():
        frame = getattr(data, table)
        key = [id_col, "year"] + ([kind_col] if kind_col else [])
        for _, group in frame.groupby(key, sort=False):
            if len(group) < 2:
                continue
            group = group.sort_values("edition", kind="stable")
            for (_, old), (index, new) in zip(group.iloc[:-1].iterrows(), group.iloc[1:].iterrows()):
                if edition is not None and int(new["edition"]) != edition:
                    continue
                fields = [new[kind_col]] if kind_col else list(CHAIN_VALUE_FIELDS)
                for field_name in fields:
                    column = "value" if kind_col else field_name
                    qualifier_changed = table == "metrics" and (old["qualifier"] or "") != (new["qualifier"] or "")
                    if _same(old[column], new[column]) and not qualifier_changed:
                        continue
                    ident = (table, str(new[id_col]), str(field_name), int(new["year"]), int(new["edition"]))
                    out.append(Revision(*ident[:4], int(new["edition"]),
                                        None if pd.isna(old[column]) else float(old[column]), int(old["edition"]),
                                        None if pd.isna(new[column]) else float(new[column]), int(index) + 2,
                                        str(new["source"]), reasons.get(ident, "")))
    return sorted(out, key=lambda r: (list(REVISED_TABLES).index(r.table), r.new_line, r.field))


def _revision_problems(data: "ReportData") -> list[str]:
    """Each line of revisions.csv must be the reason of a revision the data holds."""
    found = {(r.table, r.figure_id, r.field, r.year, r.edition) for r in revisions_in(data)}
    problems = []
    for index, row in data.revisions.iterrows():
        ident = (row["table"], row["figure_id"], row["field"], int(row["year"]), int(row["edition"]))
        if ident not in found:
            problems.append(f"{REVISIONS_FILE}: 第{index + 2}行: {row['figure_id']} {row['field']} {row['year']}年"
                            f"（{row['edition']}年版）在 {row['table']}.csv 中没有对应的修订（该版没有录入与更早版本"
                            "不同的这一数）；修订原因由 make import 随填报表的修订行写入（见 README“新年度更新”）")
    return problems


def _consistent_metric_names(metrics: pd.DataFrame) -> list[str]:
    problems = []
    for metric_id, rows in metrics.groupby("metric_id"):
        for col in ("name", "unit"):
            if rows[col].nunique() > 1:
                problems.append(f"metrics.csv: 列 {col}: 指标 {metric_id} 有多个不同取值 {sorted(rows[col].unique())}; 同一 metric_id 应一致")
    return problems


def _other_files_problems(data_dir: Path) -> list[str]:
    """The Unicode policy over the inputs that other modules read: every YAML file in meta/ (the plan's
    words are printed on every page) and editions.csv (its date is printed on the cover)."""
    problems: list[str] = []
    for path in sorted((data_dir / "meta").glob("*.yml")):
        problems += text_policy.file_problems(path, f"meta/{path.name}")
    editions = data_dir / "editions.csv"
    if editions.exists():
        try:
            rows = list(csv.reader(io.StringIO(editions.read_text(encoding="utf-8-sig"))))
        except (UnicodeDecodeError, csv.Error):
            return problems  # lib/beichen/site/landing.py refuses it with its own message
        header = rows[0] if rows else []
        for line, row in enumerate(rows, start=1):
            for number, value in enumerate(row):
                column = header[number] if number < len(header) else str(number + 1)
                problems += text_policy.cell_problems(
                    value, f"editions.csv: 第{line}行{'（表头）' if line == 1 else ''}, 列 {text_policy.visible(column)}")
    return problems


def load_all(data_dir: Path | str = DATA_DIR) -> ReportData:
    """Load and validate every table; collect problems from all files before failing."""
    data_dir = Path(data_dir)
    if journal.pending(data_dir):  # never read a mixture of old and new files
        raise DataValidationError([f"{data_dir}: 上次导入替换数据文件时中断，尚未补完；"
                                   "运行任一 make 命令（如 make validate）即会自动补完后再读取"])
    problems: list[str] = _other_files_problems(data_dir)
    frames = {}
    plan = None
    try:
        plan = load_plan(data_dir)
    except PlanError as err:
        problems.append(str(err))
    try:
        frames["indicators"] = read_table(data_dir / "indicators.csv",
                                          indicators_schema(list(plan.dimensions) if plan else []))
        frames["indicators"]["core"] = frames["indicators"]["core"] == "true"
        known = list(frames["indicators"]["indicator_id"])
    except DataValidationError as err:
        problems += err.problems
        known = []
    for name, schema in [("indicator_values", indicator_values_schema(known)),
                         ("metrics", metrics_schema()), ("chains", chains_schema())]:
        try:
            frames[name] = read_table(data_dir / f"{name}.csv", schema)
        except DataValidationError as err:
            problems += err.problems
    if "metrics" in frames:
        problems += _consistent_metric_names(frames["metrics"])
    revisions = None
    if (data_dir / REVISIONS_FILE).exists():  # optional: a data folder without revisions has none
        try:
            revisions = read_table(data_dir / REVISIONS_FILE, revisions_schema())
        except DataValidationError as err:
            problems += err.problems
    if problems:
        raise DataValidationError(problems)
    meta = load_metadata(data_dir, set(frames["indicators"]["indicator_id"]), set(frames["metrics"]["metric_id"]),
                         set(frames["chains"]["chain_id"]), problems)
    if problems:
        raise DataValidationError(problems)
    data = ReportData(data_dir=data_dir, plan=plan, meta=meta, revisions=revisions, **frames)
    # Checks that know the plan: base/target rows of its own years, every id meta/report.yml names.
    problems += plan_problems(data)
    if revisions is not None:
        problems += _revision_problems(data)
    try:  # optional: figures recorded as not yet published (Edition.unpublished)
        data = replace(data, unpublished=load_unpublished(data_dir, set(frames["metrics"]["metric_id"])))
    except DataValidationError as err:
        problems += err.problems
    if problems:
        raise DataValidationError(problems)
    return data
