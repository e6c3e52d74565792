"""The 核查报告: the analyst's working document that goes with each edition, not part of the report.

The report (site and PDF) speaks as the district; everything the analyst who signs an edition off
needs to see lives here instead: the data audit with its evidence, every departure from the source
(data/meta/departures.yml) and from the previous edition, the provenance of every figure, the
missing figures and pending passages, and the inputs' checksums with the build facts.

It is a small Jupyter Book of its own, written as MyST Markdown from Python into
build/<year>/dossier/ and published apart from the report, to review/<year>/ (HTML) and
review/<year>/dossier-<year>.pdf (lib/beichen/publish/build.py), with the report's print style (latex/) and what
the 核查报告 adds to it (latex/beichen-dossier.sty: parts that run on, headings kept with what
follows, quotations set off, file names not hyphenated): site/ holds the report only and nothing in
it links to this document. Nothing here depends on
the wall clock: two builds of the same inputs give the same Markdown (the date printed is the
edition's issue date).
"""
from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

import pandas as pd
import yaml

from beichen import formatting as fmt
from beichen.audit import checks as audit
from beichen.errors import BuildError
from beichen.render.escape import myst
from beichen.model.edition import Edition, Value
from beichen.paths import REPO_ROOT, folder_shown
from beichen.render.narrative import Narrative
from beichen.render.tables import markdown_table

TITLE = "核查报告"
DEPARTURES = Path("meta") / "departures.yml"
# The chapter whose narrative holds the finding passages (finding-<check_id>) of the audit.
FINDINGS_CHAPTER = "check"  # data/narrative/<year>/check.md: the 核查报告's passages, not the report's

PAGES = [  # file name (ASCII) → heading
    ("index", "核查报告"),
    ("audit", "一、数据核查"),
    ("departures", "二、与原报告及上年版的差异"),
    ("changes", "三、与上年版相比变化的数字"),
    ("provenance", "四、数字来源"),
    ("gaps", "五、缺失数据与待补充文字"),
    ("inputs", "六、输入文件校验值与构建信息"),
    ("claims", "七、表述核查与处理决定"),
]
# The parts of the 核查报告 of a plan with no source report (its data are the plan's own, entered
# year by year): the same parts without the comparison with a source, numbered on.
SOURCE_ONLY = ("departures",)
NUMERALS = "一二三四五六七八九十"


def page_list(with_source: bool) -> list[tuple[str, str]]:
    """(file name, heading) of each page: PAGES, or without the source's parts, renumbered."""
    if with_source:
        return PAGES
    kept = [(name, heading.split("、", 1)[-1]) for name, heading in PAGES if name not in SOURCE_ONLY]
    return [kept[0]] + [(name, f"{NUMERALS[n - 1]}、{heading}") for n, (name, heading) in enumerate(kept[1:], 1)]


def pdf_name(year: int) -> str:
    return f"dossier-{year}.pdf"


# --- contents --------------------------------------------------------------------------------------

def gap_summary(gaps: dict) -> dict:
    """The build's notes (lib/beichen/publish/build.py report_gaps) as every place counts them: distinct
    missing figures (one missing in two chapters is one) and pending passages. The landing page, the
    build log and the 核查报告 print the same counts."""
    missing = list(dict.fromkeys(gaps.get("missing", [])))
    pending = list(dict.fromkeys(gaps.get("pending", [])))
    return {"missing": missing, "pending": pending}


def departures(data_dir: Path, year: int) -> list[dict]:
    """The entries of data/meta/departures.yml about the edition of `year`."""
    path = Path(data_dir) / DEPARTURES
    if not path.exists():
        return []
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [e for e in raw.get("departures") or [] if int(e.get("edition", 0)) == int(year)]


def inherited_departures(data_dir: Path, year: int) -> tuple[int | None, list[dict]]:
    """(edition, entries): the departures of the latest earlier edition that has any. A later edition
    is built from the same chapter templates and fixed text, so it carries them; it is not compared
    with the source itself (lib/beichen/audit/departures.py compared_edition)."""
    path = Path(data_dir) / DEPARTURES
    if not path.exists():
        return None, []
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    editions = sorted({int(e.get("edition", 0)) for e in raw.get("departures") or []
                       if int(e.get("edition", 0)) < int(year)})
    return (editions[-1], departures(data_dir, editions[-1])) if editions else (None, [])


def own_pending(narrative_dir: Path, year: int) -> list[str]:
    """The 核查报告's own passages of the year (narrative/<year>/check.md) still to write: a new
    year's stubs (待更新) or empty passages. Until written, the 核查报告 shows the latest earlier
    edition's finding passages; they are counted apart from the report's pending passages."""
    from beichen.render.narrative import STUB, parse_passages, passage_label

    path = Path(narrative_dir) / str(year) / f"{FINDINGS_CHAPTER}.md"
    if not path.exists():
        return []
    passages = parse_passages(path.read_text(encoding="utf-8"))
    return [passage_label(FINDINGS_CHAPTER, name, order=list(passages))   # named in words, never by id
            for name, body in passages.items() if not body.strip() or STUB.match(body)]


@dataclass(frozen=True)
class Figure:
    """One figure the edition shows, with where it comes from."""

    file: str
    what: str
    value: Value
    current: bool = True   # the figure the edition shows for it (a metric's latest year); False: history
    name: str = ""         # `what` without the year of a history figure

    @property
    def key(self) -> tuple[str, str]:
        return self.file, self.what


def _value_figures(edition: Edition) -> list[Figure]:
    """Every figure of the edition: indicators (base, target, actual), metrics (every row the
    edition knows, stated_* rows excepted: those are the audit's), chains (each column)."""
    out: list[Figure] = []
    kinds = {"base": "基数", "target": "目标", "actual": "实际值"}
    plan_years = {"base": edition.plan.base_year, "target": edition.plan.target_year}
    for ind in edition.indicators():
        for kind, word in kinds.items():
            value = getattr(ind, kind)
            if kind in plan_years:  # the model dates base and target by the edition; here: the plan's year
                value = replace(value, year=plan_years[kind])
            if not value.missing:
                out.append(Figure("indicator_values.csv", f"{ind.name}（{word}）", value))
    metrics = edition.data.metrics
    metrics = metrics[~metrics["kind"].str.startswith("stated_")]
    # Of each metric the edition shows the latest year up to its own (a target: the latest); that
    # figure is named without a year, so it pairs with last year's edition in `changes`. Other years
    # (the base year, an in-year snapshot) are listed with their year.
    latest = {}
    for _, row in metrics.iterrows():
        key, year = (row["metric_id"], row["kind"]), int(row["year"])
        if row["kind"] == "target" or year <= edition.year:
            latest[key] = max(latest.get(key, year), year)
    seen = set()
    for _, row in metrics.iterrows():
        key = (row["metric_id"], row["kind"], int(row["year"]))
        if key in seen:
            continue
        seen.add(key)
        year = int(row["year"])
        value = replace(edition.metric(row["metric_id"], row["kind"], year=year), year=year)
        word = "目标" if row["kind"] == "target" else ""
        current = latest.get(key[:2]) == year
        what = f"{row['name']}{word}" if current else f"{row['name']}{word}（{year}年）"
        out.append(Figure("metrics.csv", what, value, current, f"{row['name']}{word}"))
    frame = edition.chains()
    for _, row in frame.sort_index().iterrows():
        for column in ("enterprises", "output_100m_yuan", "yoy_growth_pct"):
            value = edition.chain_value(row, column)
            if not value.missing:
                out.append(Figure("chains.csv", value.label, value))
    return out


def figures(data, year: int) -> list[Figure]:
    """The figures of the edition of `year` (a scratch edition: the report's missing list stays as is)."""
    return _value_figures(Edition(data, year))


# What each data file's figures are, for the captions of the provenance tables (a caption says what
# its table holds, in words; the file is named in the line above it).
FILE_WORDS = {"indicator_values.csv": "评价指标的基数、目标和实际值", "metrics.csv": "其他统计数字",
              "chains.csv": "产业链的企业数、产值和增速"}


def provenance_caption(file: str) -> str:
    """“评价指标的基数、目标和实际值的来源” for indicator_values.csv; a file not listed: “其他数字的来源”."""
    return f"{FILE_WORDS.get(file, '其他数字')}的来源"


def provenance_tables(data, year: int, source_column: str = "出处") -> list[tuple[str, pd.DataFrame]]:
    """One table per data file: each figure the edition shows, its value, year and data row. The
    source's section or the data's source is headed 出处 (the page's lead says which): a header of
    eight characters (原报告位置或来源) held a column of “一(二)表” wide while the names wrapped."""
    groups: dict[str, list[dict]] = {}
    for f in figures(data, year):
        p = f.value.provenance
        groups.setdefault(f.file, []).append({
            "数字": f.what, "数值": f.value.plain,
            "所属年份": f"{f.value.year}年" if f.value.year else "—",
            "数据行": f"第{p.line}行" if p else "—",
            source_column: p.source if p else "—",
            "录入版本": f"{p.edition}年版" if p else "—",
        })
    return [(file, pd.DataFrame(rows)) for file, rows in groups.items()]


def one_value_apart(frame: pd.DataFrame, column: str) -> tuple[pd.DataFrame, str | None]:
    """(frame without `column`, its one value) when every row has the same value there, so that the
    sentence above the table says it once and the column's width goes to the names; else (frame, None)."""
    values = frame[column].unique() if column in frame.columns else []
    if len(values) != 1:
        return frame, None
    return frame.drop(columns=[column]), str(values[0])


# --- the data audit ---------------------------------------------------------------------------------

# The checks of the source's wording (lib/beichen/audit/base.py CATEGORIES): their “figures” are quotations of
# the source, dozens of characters long, which a column of 表1-1 would set ten lines tall. So is any
# other check whose stated value, computed value or tolerance is longer than LONG_FIGURE characters.
STATEMENT_CATEGORIES = ("前后表述", "产业链名称", "文字表述")
LONG_FIGURE = 14


def in_words(c) -> bool:
    """Whether a check is shown as a paragraph after 表1-1 rather than as a row of it."""
    return (c.category in STATEMENT_CATEGORIES
            or max(len(c.stated_text), len(c.computed_text), len(c.tolerance_text)) > LONG_FIGURE)


def split_checks(checks: list) -> tuple[list, list]:
    """(checks shown as rows of 表1-1, checks shown as paragraphs after it), each in order."""
    return [c for c in checks if not in_words(c)], [c for c in checks if in_words(c)]


def _numbers(checks: list) -> str:
    """The checks' numbers as the text names them, runs of three or more as ranges: “17、18、44—62”."""
    runs: list[list[int]] = []
    for n in (c.number for c in checks):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return "、".join(f"{r[0]}—{r[-1]}" if len(r) > 2 else "、".join(map(str, r)) for r in runs)


def statement_check(c) -> str:
    """One check as a paragraph (the columns of 表1-1 in words): number, item and place, what the
    source says, what the data say (with the tolerance, if any), the verdict."""
    tolerance = f"（误差容限：{_esc(c.tolerance_text)}）" if c.tolerance_text not in ("", "—") else ""
    return (f"**第{c.number}项　{_esc(c.item)}**（原报告{_esc(c.source)}）。原报告：{_esc(c.stated_text)}；"
            f"核查：{_esc(c.computed_text)}{tolerance}。结论：{_esc(c.verdict)}。")


# --- the data audit of a plan with no source report ----------------------------------------------

# The registered checks' columns (lib/beichen/audit/checks.py results_table) as a plan without a source names them.
OWN_RESULT_COLUMNS = {"原报告位置": "位置", "原报告数值": "所载数值"}


def _rows(*values: Value) -> str:
    """The data rows of `values`: “indicator_values.csv 第2、3、4行”."""
    by_file: dict[str, list[int]] = {}
    for v in values:
        if v.provenance is not None:
            by_file.setdefault(v.provenance.file, []).append(v.provenance.line)
    return "；".join(f"{file} 第{'、'.join(str(n) for n in sorted(set(lines)))}行" for file, lines in by_file.items()) or "—"


def _points(diff: float) -> str:
    """A signed difference of percentages to one decimal: “+10.0”, “−2.0”, “0.0”."""
    sign = "+" if diff > 0 else ("−" if diff < 0 else "")
    return f"{sign}{fmt.number(abs(diff), 1)}"


def completion_working(ind) -> str:
    """“42.5÷45＝94.4%” (the inverse for a lower-is-better indicator); — without actual or target."""
    if ind.completion_pct is None:
        return "—"
    a, t = ind.actual.number, ind.target.number
    ratio = f"{t}÷{a}" if ind.direction == "lower" else f"{a}÷{t}"
    return f"{ratio}＝{fmt.percent(ind.completion_pct)}"


def schedule_working(ind, plan) -> tuple[str, str]:
    """(progress against the elapsed share, worked; the difference in points and the verdict), as
    lib/beichen/model/plan.py schedule_verdict compares them (each printed to one decimal)."""
    if ind.progress is None:
        return "—", "—"
    a, b, t = ind.actual.number, ind.base.number, ind.target.number
    year = ind.actual.year
    progress = fmt.round_half_up(ind.progress * 100, 1)
    elapsed = fmt.round_half_up(ind.elapsed * 100, 1)
    worked = (f"进展（{a}−{b}）÷（{t}−{b}）＝{fmt.percent(progress)}；序时进度（{min(year, plan.target_year)}−{plan.base_year}）"
              f"÷（{plan.target_year}−{plan.base_year}）＝{fmt.percent(elapsed)}")
    if ind.progress_explodes:
        return worked, f"目标距基数不足{fmt.number(plan.target_step_min_pct)}%，不以进展判断"
    diff = fmt.round_half_up(progress - elapsed, 1)
    return worked, f"相差{_points(diff)}个百分点：{ind.schedule}"


def indicator_checks(edition: Edition) -> pd.DataFrame:
    """表1-1 of a plan without a source report: each evaluation indicator's figures with their data
    rows, its completion and (before the target year) its progress against 序时进度, worked out."""
    plan = edition.plan
    rows = []
    for n, ind in enumerate(edition.indicators(), start=1):
        worked, verdict = schedule_working(ind, plan)
        status = ind.final_verdict if edition.is_final else ind.status
        rows.append({
            "序号": str(n),
            "指标": ind.name + ("（越低越好）" if ind.direction == "lower" else ""),
            "数据行": _rows(ind.base, ind.target, ind.actual),
            f"{plan.base_year}年基数": ind.base.plain, f"{plan.target_year}年目标": ind.target.plain,
            "实际值": ind.actual.text,
            "完成度": completion_working(ind),
            "进展与序时进度": "—" if edition.is_final else worked,
            "判断": status if edition.is_final or verdict == "—" else f"{status}；{verdict}",
        })
    columns = ["序号", "指标", "数据行", f"{plan.base_year}年基数", f"{plan.target_year}年目标", "实际值", "完成度",
               "进展与序时进度", "判断"]
    return pd.DataFrame(rows, columns=columns)


def has_edition(data, year: int) -> bool:
    """Whether the data holds an edition of `year` (rows entered for it or before, within the plan)."""
    if year < data.plan.first_edition:
        return False
    return any((getattr(data, name)["edition"] <= year).any() for name in ("indicator_values", "metrics", "chains"))


def changes(data, year: int, same_value: bool = False) -> pd.DataFrame | None:
    """Every figure whose value differs between the edition of year − 1 and that of `year`
    (old, new, change), new figures included; None for the plan's first edition (nothing to compare
    with). same_value: instead, the figures entered again for a later year with the same value."""
    if not has_edition(data, year - 1):
        return None
    earlier = figures(data, year - 1)
    old = {f.key: f.value for f in earlier if f.current}
    # Last year's in-year snapshot (e.g. 2025年1-10月 in the 2024 edition) is this year's current figure.
    history = {(f.file, f.name, f.value.year): f.value for f in earlier if not f.current}
    rows = []
    for f in figures(data, year):
        if not f.current:   # a base-year or snapshot figure of another year: history, not a change
            continue
        before = old.get(f.key) or history.get((f.file, f.name or f.what, f.value.year))
        now = f.value
        if before is None or before.missing:
            if before is None and not same_value:   # a new figure is a change, never “the same as last year”
                rows.append({"数据文件": f.file, "数字": f.what, "上年版": "（无）", "本版": now.text,
                             "变化": "新增"})
            continue
        if abs(before.value - now.value) < 1e-9 and before.year == now.year:
            continue
        if (abs(before.value - now.value) < 1e-9) != same_value:
            continue
        diff = now.value - before.value
        unit = "个百分点" if now.unit == "%" else now.unit
        change = f"{'+' if diff > 0 else ''}{fmt.number(fmt.round_half_up(diff, 2))}{unit}"
        if abs(diff) < 1e-9:
            change = f"数值未变（{before.year}年→{now.year}年）"
        rows.append({"数据文件": f.file, "数字": f.what, "上年版": f"{before.plain}（{before.year}年）",
                     "本版": f"{now.plain}（{now.year}年）", "变化": change})
    return pd.DataFrame(rows, columns=["数据文件", "数字", "上年版", "本版", "变化"])


def revisions(data, year: int) -> pd.DataFrame:
    """The figures of earlier years the edition of `year` revised (lib/beichen/inputs/loading.revisions_in):
    each with its year, the value the earlier edition shows (and which edition), the new value, who
    supplied it (the new row's source) and why (data/revisions.csv)."""
    from beichen.inputs.loading import revisions_in

    rows = [{"数字": revision_name(data, r), "所属年份": f"{r.year}年",
             "原值（版本）": f"{_revised_value(data, r, r.old)}（{r.old_edition}年版）",
             "修订值": _revised_value(data, r, r.new), "修订人（来源）": r.who,
             "修订原因": r.reason or "（未记录修订原因）"} for r in revisions_in(data, year)]
    return pd.DataFrame(rows, columns=["数字", "所属年份", "原值（版本）", "修订值", "修订人（来源）", "修订原因"])


def revision_name(data, r) -> str:
    """A revised figure by its Chinese name (“新材料产业链产值”, “国家级高新技术企业数量（实际值）”)."""
    if r.table == "chains":
        name = data.chains.loc[data.chains["chain_id"] == r.figure_id, "name"].iloc[-1]
        return f"{name}{Edition.CHAIN_COLUMNS[r.field][1]}"
    if r.table == "indicator_values":
        name = data.indicators.set_index("indicator_id").loc[r.figure_id, "name"]
        return f"{name}（{_INDICATOR_KINDS.get(r.field, r.field)}）"
    name = data.metrics.loc[data.metrics["metric_id"] == r.figure_id, "name"].iloc[0]
    return name + ("目标" if r.field == "target" else "")


_INDICATOR_KINDS = {"base": "基数", "target": "目标", "actual": "实际值", "stated_completion_pct": "原报告所载完成度"}


def _revised_value(data, r, value) -> str:
    if value is None:
        return "（无）"
    if r.table == "chains":
        unit = Edition.CHAIN_COLUMNS[r.field][0]
    elif r.table == "indicator_values":
        unit = "%" if r.field == "stated_completion_pct" else data.indicators.set_index("indicator_id").loc[r.figure_id, "unit"]
    else:
        unit = data.metrics.loc[data.metrics["metric_id"] == r.figure_id, "unit"].iloc[0]
    return fmt.with_unit(value, unit)


EDITION_FILES = ("indicators", "indicator_values", "metrics", "chains")


def edition_bytes(data, name: str) -> bytes:
    """The lines of data file `name` that `data` (an edition's view) holds, header first, as UTF-8
    (a frame keeps its file's row index: line = index + 2)."""
    source = Path(data.data_dir) / f"{name}.csv"
    lines = source.read_bytes().decode("utf-8-sig").splitlines(keepends=True)
    keep = {int(i) + 1 for i in getattr(data, name).index}
    return "".join(line for n, line in enumerate(lines) if n == 0 or n in keep).encode("utf-8")


def input_files(data, data_dir: Path, narrative_dir: Path, year: int) -> list[tuple[str, bytes]]:
    """(shown name, bytes) of each input the edition uses. The four data tables: only the rows the
    edition knows (their lines as in the file), so importing a later year leaves an edition's
    checksums as they were; the other data files, the meta files and the year's narrative: whole."""
    from beichen.model.edition import as_of_edition

    data_dir, narrative_dir = Path(data_dir), Path(narrative_dir)
    known = as_of_edition(data, year)
    from beichen.inputs.loading import REVISIONS_FILE, UNPUBLISHED_FILE
    from beichen.publish.incremental import _edition_rows

    folder = folder_shown(data_dir)
    files = [(f"{folder}/{name}.csv（本版所用的行）", edition_bytes(known, name)) for name in EDITION_FILES]
    # The reasons of revisions and the records of figures not yet published, like the data rows: only
    # those of this edition and earlier ones.
    by_edition = (REVISIONS_FILE, UNPUBLISHED_FILE)
    files += [(f"{folder}/{p.name}（本版所用的行）" if p.name in by_edition else f"{folder}/{p.name}",
               _edition_rows(p, year) if p.name in by_edition else p.read_bytes())
              for p in sorted(data_dir.glob("*.csv")) if p.stem not in EDITION_FILES]
    files += [(f"{folder}/meta/{p.name}", p.read_bytes()) for p in sorted((data_dir / "meta").glob("*.yml"))]
    from beichen.audit.source_text import has_source_report, source_path

    source = source_path(data_dir)
    # a plan without a source report reads none (the shipped source belongs to another plan)
    if source.exists() and has_source_report(data_dir, data):
        files += [(f"原报告原文（{source.name}）", source.read_bytes())]
    files += [(f"narrative/{year}/{p.name}", p.read_bytes()) for p in sorted((narrative_dir / str(year)).glob("*.md"))]
    return files


def checksum_table(data, data_dir: Path, narrative_dir: Path, year: int) -> pd.DataFrame:
    # Two groups of 32 hex digits: the column is then as wide as a file name, and a digest takes two
    # lines, not four lines of 16 beside a name set on one.
    return pd.DataFrame([{"文件": name, "SHA-256": grouped(hashlib.sha256(content).hexdigest(), 32)}
                         for name, content in input_files(data, data_dir, narrative_dir, year)])


def grouped(digest: str, size: int = 16) -> str:
    """A hex digest in groups of `size`, so it can wrap in a table cell (the PDF's page is narrow)."""
    return " ".join(digest[i:i + size] for i in range(0, len(digest), size))


def library_facts() -> dict[str, str]:
    """The program's version and, in a git checkout, its commit (— when unknown)."""
    from beichen.publish.incremental import program_facts

    return program_facts()


# --- the pages --------------------------------------------------------------------------------------

# Text from data as MyST inline text: the report's one MyST escaper, so a line break in a reason is a
# space, not the end of a list item or the start of a code block.
_esc = myst


def _quoted(text: str) -> str:
    """A quotation in “”, except a remark in brackets such as “（原文无）”."""
    text = str(text)
    return _esc(text) if text.startswith("（") and text.endswith("）") else f"“{_esc(text)}”"


_OPEN, _CLOSE = "“‘", "”’"


def nest_quotes(text: str) -> str:
    """Quotation marks nested as GB/T 15834 wants them: a quotation inside a quotation in ‘’,
    one inside that in “” again (“原报告“小巨人”企业” → “原报告‘小巨人’企业”). Line by line (a
    paragraph, list item or table row of the page is one line); a line whose marks do not pair up
    (an excerpt cut inside a quotation) is left as it is, since its nesting cannot be known."""
    return "\n".join(_nest_line(line) for line in text.split("\n"))


def _nest_line(line: str) -> str:
    if not any(ch in line for ch in _OPEN):
        return line
    out, depth = [], 0
    for ch in line:
        if ch in _OPEN:
            out.append(_OPEN[depth % 2])
            depth += 1
        elif ch in _CLOSE:
            if depth == 0:
                return line
            depth -= 1
            out.append(_CLOSE[depth % 2])
        else:
            out.append(ch)
    return "".join(out) if depth == 0 else line


def _bullets(items: list[str]) -> str:
    return "\n".join(f"- {_esc(i)}" for i in items)


def _entry_lines(entries: list[dict]) -> list[str]:
    """departures.yml entries as a numbered list: kind and place, the quoted words, the reason."""
    lines = []
    for n, e in enumerate(entries, start=1):
        what = e.get("where") or "、".join(e.get("units") or []) or e.get("rule") or "—"
        lines += [f"{n}\\.**{_esc(e.get('kind', ''))} {_esc(what)}**", ""]
        lines += [f"   - {word}：{_quoted(e[key])}" for key, word in (("source", "原报告"), ("report", "本版"))
                  if e.get(key)]
        lines += [f"   - 理由：{_esc(e.get('reason', '—'))}", ""]
    return lines


def _found_lines(found) -> list[str]:
    """The departures page's list: every difference found between the edition's text and the source,
    by kind, under the entry (departures.yml line, or resolution) that gives its reason."""
    from beichen.audit.departures import KINDS, RULES, SHOWN

    counts = found.counts()
    lines = [f"本版正文（含封面和网站标题、页脚）与原报告逐段比对，共有差异{sum(counts.values())}处："
             + "、".join(f"{KINDS[k]}{n}处" for k, n in counts.items() if n) + "。每处差异都由"
             f" {SHOWN} 的一条说明（或 data/meta/resolutions.yml 对核查发现的处理）涵盖；有差异无说明、说明缺理由、"
             "或说明与本版不符时，构建即停止。“〔〕”标出不同的文字，“〔分段〕”为本版分段处。", ""]
    number = 0
    for k, word in KINDS.items():
        groups = [(e, [d for d in ds if d.kind == k]) for e, ds in found.by_entry()]
        groups = [(e, ds) for e, ds in groups if ds]
        if not groups:
            continue
        number += 1
        lines += [f"### {number}. {word}（{counts[k]}处）", ""]
        for e, ds in groups:
            rule = f"（{RULES[e.rule]}）" if e.rule else ""
            lines += [f"- **理由**{rule}：{_esc(e.reason)}（{_esc(e.place)}）", ""]
            for d in ds:
                if d.unit:
                    detail = d.detail if len(d.detail) <= 400 else d.detail[:400] + "……"
                    lines.append(f"  - 本版增加“{_esc(d.label)}”（{_esc(d.place)}）" + (f"：{_esc(detail)}" if detail else ""))
                else:
                    source, report = d.shown if any(d.shown) else (d.source, d.report)
                    lines.append(f"  - {_esc(d.source_place)}：“{_esc(source)}”；本版（{_esc(d.place)}）：“{_esc(report)}”")
            lines.append("")
    return lines


@dataclass
class Dossier:
    """The pages of one edition's 核查报告 (MyST Markdown), computed from the edition model."""

    data: object
    year: int
    data_dir: Path
    narrative_dir: Path
    gaps: dict
    issue_date: str
    status: object = None  # 征求意见稿 / 定稿 (lib/beichen/publish/status.Status), set by the build once known
    found: object = None   # the departures found in the built text (lib/beichen/audit/departures.Covered), set by the build
    review: object = None  # the claims ledger and every finding with its resolution (lib/beichen/audit/ledger.Review)

    def __post_init__(self):
        import threading

        self._lock = threading.Lock()  # the pages may be started in a thread while the chapters run

    # Computed when a page needs them: a build whose 核查报告 inputs did not change needs none.
    @cached_property
    def edition(self) -> Edition:
        return Edition(self.data, self.year)

    @cached_property
    def checks(self):
        return audit.run_audit(self.edition)

    @cached_property
    def summary(self) -> dict:
        return gap_summary(self.gaps)

    @cached_property
    def departures(self) -> list[dict]:
        return departures(self.data_dir, self.year)

    @cached_property
    def changes(self):
        return changes(self.data, self.year)

    @cached_property
    def revisions(self) -> pd.DataFrame:
        return revisions(self.data, self.year)

    @cached_property
    def own_pending(self) -> list[str]:
        return own_pending(self.narrative_dir, self.year)

    @cached_property
    def inherited(self) -> tuple[int | None, list[dict]]:
        return inherited_departures(self.data_dir, self.year)

    @cached_property
    def with_source(self) -> bool:
        """Whether the plan's editions reproduce a source report (lib/beichen/audit/source_text.py): the
        comparison with it is then part of the 核查报告, else the plan's own figures are checked."""
        from beichen.audit.source_text import has_source_report

        return has_source_report(self.data_dir, self.data)

    @property
    def page_list(self) -> list[tuple[str, str]]:
        return page_list(self.with_source)

    def _heading(self, name: str) -> str:
        return dict(self.page_list)[name]

    def _part(self, name: str) -> int:
        """The number of the part `name` (the index page is 0)."""
        return [n for n, _ in self.page_list].index(name)

    def _see(self, name: str) -> str:
        return f"（见第{NUMERALS[self._part(name) - 1]}部分）"

    # index
    def index(self) -> str:
        if not self.with_source:
            return self._own_index()
        counts = audit.verdict_counts(self.checks)
        lines = [
            f"# {TITLE}（{self.year}年版）", "",
            f"本文件是《{self.data.plan.report_title}》{self.year}年版的核查报告，供审核签发使用，"
            "不属于报告正文，不对外发布。报告正文只写采用的数值；每一处与原报告不同的取舍、每个数字的数据来源、"
            "数据核查的全部结果和证据都列在这里。", "",
            # No heading here: in the PDF a section of the root page would swallow the chapters.
            *self._status_block(),
            "**概要**", "",
            f"- 数据核查：共{len(self.checks)}项，" + "，".join(f"{v}{n}项" for v, n in counts.items() if n) + "（见第一部分）",
            f"- 与原报告的差异：{self._departures_count()}（见第二部分）",
            *self._summary_tail(),
        ]
        return "\n".join(lines)

    def _own_index(self) -> str:
        """The index of an edition with no source report: what was checked, part by part."""
        indicators = self.edition.indicators()
        lines = [
            f"# {TITLE}（{self.year}年版）", "",
            f"本文件是《{self.data.plan.report_title}》{self.year}年版的核查报告，供审核签发使用，"
            "不属于报告正文，不对外发布。报告正文只写采用的数值；数据核查的计算和依据、每个数字的数据来源、"
            "缺失数据和待补充文字、输入文件的校验值、正文表述的核查结果都列在这里。", "",
            *self._status_block(),
            "**概要**", "",
            f"- 数据核查：评价指标{len(indicators)}项，逐项复算完成度、进展和序时进度"
            + (f"；另有登记的核查{len(self.checks)}项" if self.checks else "") + self._see("audit"),
            *self._summary_tail(),
        ]
        return "\n".join(lines)

    def _summary_tail(self) -> list[str]:
        """The index's summary lines after the audit's (and the source comparison's), each with its part."""
        return [
            "- 与上年版相比变化的数字：" + ("本版为规划期首个评估版本，无上年版可比" if self.changes is None
                                   else f"{len(self.changes)}个{self._see('changes')}"),
            *([f"- 本版修订的往年数字：{len(self.revisions)}个{self._see('changes')}"] if not self.revisions.empty else []),
            f"- 缺失数据：{len(self.summary['missing'])}项；待补充文字：{self._pending_count()}{self._see('gaps')}",
            f"- 成文日期：{self.issue_date}", "",
            "```{tableofcontents}\n```",
        ]

    def _status_block(self) -> list[str]:
        """征求意见稿 with what keeps it one, or 定稿 with the sign-off and the PDF's SHA-256."""
        from beichen.publish.status import dossier_block

        return dossier_block(self.status, _esc) if self.status is not None else []

    def audit(self) -> str:
        if not self.with_source:
            return self._own_audit()
        ed = self.edition
        parts = [f"# {self._heading('audit')}", "",
                 f"{audit.coverage_sentence(ed)}。{audit.summary_sentence(self.checks)}。", "",
                 "## （一）核查方法", "",
                 audit.method_text(ed.plan), "",
                 "## （二）核查结果", ""]
        if self.checks:
            parts += self._results()
        else:
            parts.append("本版数据中没有原报告所载、可供核查的数字或表述。")
        parts += ["## （三）原报告不一致之处", ""]
        items = audit.findings(self.checks, self._findings_narrative(), self._treatment(), place=self._place)
        # Passages written when the audit was the report's appendix (附表5/6) name its tables so.
        parts += [i.replace("附表5", "表1-1").replace("附表6", "表1-2") for i in items] or ["未发现不一致之处。"]
        return "\n\n".join(p for p in parts if p is not None)

    def _results(self) -> list[str]:
        """（二）核查结果: the checks in 表1-1, but those of wording and those with a long figure
        (quotations, worked sums: too long for a column of a seven-column table), one paragraph
        each after it; the working of every check in 表1-2."""
        tabled, stated = split_checks(self.checks)
        parts = []
        if stated:
            parts += [f"核查结果见表1-1；对原报告表述的核查和引文、计算较长的核查（第{_numbers(stated)}项）"
                      "逐项列于表后。各项核查的计算式与数据来源见表1-2。", ""]
        if tabled:
            parts += [markdown_table(audit.results_table(tabled), audit.RESULTS_CAPTION, align=audit.RESULTS_ALIGN), ""]
        parts += [p for c in stated for p in (statement_check(c), "")]
        parts += [markdown_table(audit.inputs_table(self.checks), audit.INPUTS_CAPTION, align=audit.INPUTS_ALIGN), ""]
        return parts

    def _place(self, c) -> str:
        """Where a check of the audit is listed: its row of 表1-1, or its paragraph after it."""
        return f"表1-1后第{c.number}项" if in_words(c) else f"表1-1第{c.number}项"

    def _own_audit(self) -> str:
        """The data audit of an edition with no source report: every evaluation indicator's figures
        and the computation of its completion, progress and 序时进度, with the data rows they come
        from; checks registered in data/meta/audit.yml, if any, below."""
        plan, ed = self.data.plan, self.edition
        indicators = ed.indicators()
        complete = [i for i in indicators if not (i.base.missing or i.target.missing or i.actual.missing)]
        computed = "完成度" if ed.is_final else f"完成度、进展和序时进度"
        parts = [f"# {self._heading('audit')}", "",
                 f"本版所用的评价指标{len(indicators)}项，载有{plan.base_year}年基数、{plan.target_year}年目标和实际值、"
                 f"可计算{computed}的{len(complete)}项"
                 + (f"；其余{len(indicators) - len(complete)}项缺少数值，列入缺失数据{self._see('gaps')}"
                    if len(complete) < len(indicators) else "") + "。", "",
                 "## （一）核查方法", "", self._own_method(), "",
                 "## （二）核查结果", "",
                 markdown_table(indicator_checks(ed), "表1-1 评价指标的计算复核", align="rllrrrrll"), ""]
        if self.checks:   # checks the analyst registered for this plan (data/meta/audit.yml)
            results = audit.results_table(self.checks).rename(columns=OWN_RESULT_COLUMNS)
            parts += [f"另按 {folder_shown(self.data_dir)}/meta/audit.yml 登记的核查：{audit.summary_sentence(self.checks)}。", "",
                      markdown_table(results, "表1-2 登记的核查", align=audit.RESULTS_ALIGN), "",
                      "## （三）不一致之处", ""]
            items = audit.findings(self.checks, self._findings_narrative(), self._treatment())
            parts += [line for item in items for line in (item, "")] or ["未发现不一致之处。"]
        return "\n".join(parts)

    def _own_method(self) -> str:
        """How the plan's own figures are checked: the rules, with the plan's thresholds and words."""
        plan = self.data.plan
        words, band = plan.status_words, fmt.number(plan.schedule_band_pp)
        lines = [
            "- **核查对象**：本版用到的规划数字：各项评价指标的基数、目标和实际值，以及产业链和其他统计数字。"
            f"每个数字取自数据文件的一行，行号和来源见第{NUMERALS[self._part('provenance') - 1]}部分。",
            f"- **年份**：基数须为规划基期{plan.base_year}年的数，目标须为目标年{plan.target_year}年的数，"
            "实际值不晚于本版年份；载入数据时逐行校验，不符者构建即停止。",
            "- **完成度**：实际值 ÷ 目标值（越低越好的指标为目标值 ÷ 实际值），按一位小数判断："
            + (f"高于100%为“{words['exceeded']}”，等于100%为“{words['reached']}”，其余为“{plan.missed_word}”。"
               if self.edition.is_final else
               f"高于100%为“{words['exceeded']}”，等于100%为“{words['reached_early']}”，"
               f"不低于{fmt.number(plan.near_target_pct)}%为“{words['near']}”，其余为“{words['behind']}”。"),
        ]
        if not self.edition.is_final:
            sw = plan.schedule_words
            lines.append(
                "- **序时进度**：进展 =（实际值 − 基数）÷（目标值 − 基数），序时进度 =（实际值所属年份 − 基期）÷"
                "（目标年 − 基期）；两者各按一位小数相比，相差在±" + band + "个百分点以内（含±" + band + f"个百分点）为“{sw['on_time']}”，"
                f"高于为“{sw['ahead']}”，低于为“{sw['behind']}”。")
        lines += [f"- **缺失**：缺少基数、目标或实际值的指标不作判断，列入缺失数据{self._see('gaps')}。",
                  f"- **表述**：正文中断言数字、比较或判断的表述，逐一与本版数据核对{self._see('claims')}。"]
        return "\n".join(lines)

    def false_statements(self, printed: str) -> list[str]:
        """What this 核查报告's own text (the finding passages, the reasons of the analyst's
        decisions) says of the edition that its printed text does not bear out (lib/beichen/audit/ledger.py
        false_statements); the build stops on any. The treatment lines are generated from decisions
        the build has already checked against the printed text."""
        from beichen.audit.findings import load_resolutions
        from beichen.audit.ledger import false_statements

        texts = audit.findings(self.checks, self._findings_narrative())
        # a carried decision's reason speaks of the edition it was written for, and is shown as such
        texts += [r.reason for r in load_resolutions(self.data_dir, self.year).values() if not r.carried]
        return [p for t in texts for p in false_statements(t, printed)]

    def _treatment(self) -> dict[str, str]:
        """{check_id: what the edition does about it} for every 不一致 check (data/meta/resolutions.yml)."""
        from beichen.audit.findings import load_resolutions

        resolutions = load_resolutions(self.data_dir, self.year)
        out = {}
        for c in self.checks:
            r = resolutions.get(f"audit-{c.check_id}")
            out[c.check_id] = (f"**本版的处理**：{_esc(r.summary)}。{_reason(r)}" if r else
                               f"**本版的处理**：尚未决定（在 {folder_shown(self.data_dir)}/meta/resolutions.yml 中登记；未处理前本版为征求意见稿）")
        return out

    def _findings_narrative(self) -> Narrative:
        """The finding passages describe the source, not a year: the edition's own when written,
        else those of the latest earlier edition that has them (a new year's stubs are not shown)."""
        from beichen.render.narrative import PENDING

        for year in range(self.year, self.data.plan.first_edition - 1, -1):
            narrative = Narrative(Edition(self.data, year), FINDINGS_CHAPTER, self.narrative_dir)
            if (audit.finding_passages(narrative)
                    and not any(PENDING in item for item in audit.findings(self.checks, narrative))):
                return narrative
        return Narrative(self.edition, FINDINGS_CHAPTER, self.narrative_dir)

    def _pending_count(self) -> str:
        """The report's pending passages, and the 核查报告's own apart (they are not the report's)."""
        report = f"{len(self.summary['pending'])}段"
        own = len(self.own_pending)
        return f"报告正文{report}，核查报告本身另有{own}段" if own else report

    def _departures_count(self) -> str:
        if self.found is None:
            edition, inherited = self.inherited
            if not inherited:
                return f"{len(self.departures)}条说明（未与正文比对）"
            own = f"本版自有说明{len(self.departures)}条" if self.departures else ""
            carried = f"沿用{edition}年版的说明{len(inherited)}条"
            return "，".join(w for w in (carried, own) if w) + "（本版未与原报告逐段比对）"
        counts = self.found.counts()
        from beichen.audit.departures import KINDS
        return f"{sum(counts.values())}处（" + "、".join(f"{KINDS[k]}{n}处" for k, n in counts.items() if n) + "）"

    def departures_page(self) -> str:
        lines = [f"# {self._heading('departures')}", "", "## （一）与原报告的差异", ""]
        edition, inherited = self.inherited
        if self.found is not None:
            lines += _found_lines(self.found)
        elif not self.departures and inherited:
            lines += self._inherited_lines(edition, inherited)
        elif not self.departures:
            lines.append(f"data/meta/departures.yml 中没有{self.year}年版及以前各版的条目。")
        else:
            from beichen.audit.source_text import source_path

            source = source_path(self.data_dir)
            why = (f"原报告原文不在本机（{source}；可用环境变量 BEICHEN_SOURCE 指明），无从比对" if not source.exists() else
                   "逐段比对的是 data/meta/departures.yml 的 compare_edition 所指的版本，且须在构建时进行")
            lines += [f"本版未与原报告逐段比对（{_esc(why)}）；以下为该文件中本版的条目，未经核对。", ""]
            lines += _entry_lines(self.departures)
            if inherited:
                lines += ["", *self._inherited_lines(edition, inherited)]
        lines += ["## （二）与上年版的差异", ""]
        if self.changes is None:
            lines.append("本版为规划期首个评估版本，无上年版。")
        else:
            earlier = departures(self.data_dir, self.year - 1)
            lines.append(f"上年版（{self.year - 1}年版）有与原报告的差异说明{len(earlier)}条；本版数字与上年版不同之处"
                         f"共{len(self.changes)}个，本版修订的往年数字{len(self.revisions)}个，逐项见第三部分。")
        return "\n".join(lines)

    def _inherited_lines(self, edition: int, inherited: list[dict]) -> list[str]:
        """The earlier edition's departures, which this edition carries: its chapters are built from
        the same templates and fixed text; its own year's passages are new text, not the source's."""
        from beichen.audit.departures import compared_edition

        compared = compared_edition(self.data_dir)
        why = (f"逐段比对只对复现原报告的{compared}年版进行" if compared is not None and compared != self.year
               else "本版未与原报告逐段比对")
        return [f"本版未与原报告逐段比对（{_esc(why)}）。本版的章节由与{edition}年版相同的模板和固定文字生成，"
                f"{edition}年版逐段比对所得的与原报告的差异及其说明（{len(inherited)}条）列于下，作为本版沿用的差异。"
                f"各条是对{edition}年版核实的，本版未重新核对：随年份而变的内容（封面的版本年份和成文日期、按本年数据"
                "印出或不印的段落和图表）以本版正文为准；本版新写的年度文字和新录入的数字与上年版的差异见下文和第三部分。",
                "", *_entry_lines(inherited)]

    def changes_page(self) -> str:
        lines = [f"# {self._heading('changes')}", ""]
        if self.changes is None:
            lines.append("本版为规划期首个评估版本，无上年版可比。")
        elif self.changes.empty:
            lines.append(f"本版与{self.year - 1}年版相比，没有数值不同的数字。")
        else:
            lines += [f"下表列出本版与{self.year - 1}年版数值不同的全部数字（含新增的数字），供签发前逐项核对录入。", "",
                      markdown_table(self.changes, f"表{self._part('changes')}-1 与{self.year - 1}年版相比变化的数字", align="llrrr")]
        same = changes(self.data, self.year, same_value=True)
        if same is not None and not same.empty:
            lines += ["", f"另有{len(same)}个数字按{self.year}年重新录入，数值与上年版相同（请确认确未变化）：", "",
                      "、".join(_esc(w) for w in same["数字"]) + "。"]
        if self.changes is None and self.revisions.empty:   # the plan's first edition: nothing to revise
            return "\n".join(lines)
        lines += ["", "## 本版修订的往年数字", ""]
        if self.revisions.empty:
            lines.append("本版没有修订往年的数字。")
        else:
            lines += [f"下表列出本版通过填报表修订的往年数字：原值是更早一版所载的数，该版不因修订而改变；修订值只用于"
                      f"{self.year}年版及以后各版。修订人为提供修订数的单位（填报表“来源”列），修订原因见填报表“修订原因”列"
                      "（data/revisions.csv）。", "",
                      markdown_table(self.revisions, f"表{self._part('changes')}-2 本版修订的往年数字", align="lrrrll")]
        return "\n".join(lines)

    def provenance(self) -> str:
        if self.with_source:
            lines = [f"# {self._heading('provenance')}", "",
                     "本版显示的每个数字，按数据文件列出其数值、所属年份、在数据文件中的行号（表头为第1行）、"
                     "出处（原报告章节或数据来源），以及录入时所属的版本。原报告所载、仅供核查的数字见第一部分。", ""]
            tables = provenance_tables(self.data, self.year)
        else:
            lines = [f"# {self._heading('provenance')}", "",
                     "本版显示的每个数字，按数据文件列出其数值、所属年份、在数据文件中的行号（表头为第1行）、"
                     "数据来源（填报表“来源”列），以及录入时所属的版本。", ""]
            tables = provenance_tables(self.data, self.year, source_column="数据来源")
        # Which table holds which file's figures, said once above the tables: a lead-in of its own
        # before each table was left at a page's foot when its table went overleaf.
        numbers = [f"表{self._part('provenance')}-{n}" for n in range(1, len(tables) + 1)]
        shown, said = [], []
        for number, (file, frame) in zip(numbers, tables):
            frame, same = one_value_apart(frame, "录入版本")
            shown.append(markdown_table(frame, f"{number} {provenance_caption(file)}", align="lrrrll"[:len(frame.columns)]))
            said.append(f"{number}为数据文件 {_esc(folder_shown(self.data_dir) + '/' + file)} 中的数字"
                        + (f"（均为{_esc(same)}录入）" if same else ""))
        if said:
            lines += ["；".join(said) + "。", ""]
        for table in shown:
            lines += [table, ""]
        return "\n".join(lines)

    def gaps_page(self) -> str:
        missing, pending = self.summary["missing"], self.summary["pending"]
        own = self.own_pending
        lines = [f"# {self._heading('gaps')}", "",
                 f"缺失数据{len(missing)}项（报告中显示“{fmt.MISSING}”），报告正文待补充文字{len(pending)}段"
                 "（报告中显示“本年度文字待补充”）。网站首页和构建日志的计数与此相同。"
                 + (f"另有核查报告本身的待补充文字{len(own)}段（见下文（三）），不计入报告正文的计数。" if own else ""), "",
                 "## （一）缺失数据", "", _bullets(missing) if missing else "无。", "",
                 "## （二）待补充文字", "", _bullets(pending) if pending else "无。"]
        if own:
            lines += ["", "## （三）核查报告本身的待补充文字", "",
                      f"{folder_shown(self.data_dir)}/narrative/{self.year}/{FINDINGS_CHAPTER}.md 中以下{len(own)}段尚未按{self.year}年撰写"
                      "（仍有“待更新”行或为空），第一部分的"
                      + ("“原报告不一致之处”" if self.with_source else "不一致之处") + "在写好之前沿用最近一版的文字：", "",
                      _bullets(own)]
        return "\n".join(lines)

    def inputs_page(self) -> str:
        lib = library_facts()
        facts = pd.DataFrame([
            {"项目": "报告版本", "内容": f"{self.year}年版"},
            {"项目": "成文日期", "内容": self.issue_date},
            {"项目": "规划", "内容": f"{self.data.plan.quoted}（{self.data.plan.base_year}年基数，"
                                      f"{self.data.plan.target_year}年目标）"},
            {"项目": "程序版本", "内容": lib["version"]},
            {"项目": "程序提交", "内容": lib["commit"]},
        ])
        return "\n".join([
            f"# {self._heading('inputs')}", "",
            markdown_table(facts, f"表{self._part('inputs')}-1 构建信息", align="ll"), "",
            "下表为本版所用每个输入文件的SHA-256校验值（四个数据表只计本版所用的行及表头，按原文件的字节）。重新构建时输入相同，则报告相同；签发后如有改动，校验值即不同。", "",
            markdown_table(checksum_table(self.data, self.data_dir, self.narrative_dir, self.year), f"表{self._part('inputs')}-2 输入文件校验值",
                           align="ll")])

    def pages(self) -> dict[str, str]:
        done = self.without_gaps()
        pages = {"index": self.index(), "audit": done["audit"],
                 **({"departures": self.departures_page()} if self.with_source else {}),
                 "changes": done["changes"], "provenance": done["provenance"], "gaps": self.gaps_page(),
                 "inputs": done["inputs"], "claims": self.claims_page()}
        return {name: nest_quotes(pages[name]) for name, _ in self.page_list}

    def claims_page(self) -> str:
        """Every finding of the edition with what the edition does about it, and the claims ledger's
        coverage: how many statements of each kind it tied to a figure, and what it cannot see."""
        from beichen.audit import claims as ledger_rules

        lines = [f"# {self._heading('claims')}", ""]
        if self.review is None:
            return "\n".join(lines + ["本次构建未读取正文（无表述核查结果）。"])
        findings = self.review.findings
        counts: dict[str, int] = {}
        for c in self.review.claims:
            counts[c.kind] = counts.get(c.kind, 0) + 1
        lines += ["构建时从本版正文（标题、段落、表格各行、图题、图中文字和图示说明）读出每一处断言数字、比较或判断的表述，"
                  "与所说的数量挂钩，并按版本数据逐一核对："
                  + "、".join(f"{ledger_rules.KIND_WORDS[k]}{n}处" for k, n in counts.items()) + "；"
                  "另核对同一页中自称“并非预测”而又称“预测”的用语，以及表中判断用语是否在计算方法中定义。"
                  "同一数量的两处表述数值不同、用词与数字不符（如3.1倍称“翻倍”），均列为核查发现。", "",
                  f"**无法核对的表述**：用数据和 {folder_shown(self.data_dir)}/meta/claims.yml 均未收录的名称指称的数量；"
                  "与全市或外地的比较（如“位居全市第一”）；定性判断（如“协同效应显著”），由核查人员通读判断，"
                  f"其中前后矛盾者登记在 {folder_shown(self.data_dir)}/meta/audit.yml 的 text_tensions。", "",
                  f"## （一）核查发现及本版的处理（共{len(findings)}项，未处理{sum(f.open for f in findings)}项）", ""]
        if not findings:
            lines.append("无。")
        for n, f in enumerate(findings, start=1):
            r = f.resolution
            # A heading of the level under （一） (“1.”), kept with what follows it in print; as a
            # Markdown list its numbers hung into the margin by their width.
            lines += [f"### {n}.{_esc(f.title)}", "",
                      f"发现（{_esc(f.kind)}）：{_esc(f.detail)}", "",
                      "本版的处理：" + (f"{_esc(r.summary)}" if r else "**尚未处理**（本版因此为征求意见稿）"), "",
                      *([f"{_reason(r)}（{folder_shown(self.data_dir)}/meta/resolutions.yml 第{r.line}行）", ""] if r else [])]
        if self.review.stale:
            lines += ["## （二）不对应任何核查发现的处理决定", ""]
            lines += [f"- {_esc(r.finding)}（第{r.line}行）：本版已无此发现，该条决定未用" for r in self.review.stale]
        return "\n".join(lines + self._comments_section(3 if self.review.stale else 2))

    def _comments_section(self, n: int) -> list[str]:
        """（n）征求意见处理: the reviewers' comments and changes brought back by `make review` and what was
        done with each (lib/beichen/word/decisions.py); nothing while the edition has none recorded."""
        from beichen.word import decisions

        if not decisions.load(self.data_dir, self.year):
            return []
        return ["", *decisions.page_lines(self.data_dir, self.year, f"## （{NUMERALS[n - 1]}）征求意见处理",
                                          f"{self._part('claims')}-1", markdown_table, folder_shown(self.data_dir))]

    @cached_property
    def _without_gaps(self) -> dict[str, str]:
        return {"audit": self.audit(), "changes": self.changes_page(),
                "provenance": self.provenance(), "inputs": self.inputs_page()}

    def without_gaps(self) -> dict[str, str]:
        """The pages that do not depend on the chapters' notes (all but the index and the gaps): the
        build computes them while the chapters run."""
        with self._lock:
            return self._without_gaps


# --- the book --------------------------------------------------------------------------------------

def stage(dossier: Dossier, folder: Path) -> list[str]:
    """Write the dossier's book (pages, _toc, _config with the report's print style) into `folder`;
    of an earlier build in `folder`, Sphinx's output and environment are kept and only the files
    whose bytes changed are rewritten (so Sphinx re-reads those pages alone). Returns those files."""
    from beichen.publish.incremental import sync_tree

    final = Path(folder)
    folder = final.with_name(final.name + ".next")
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    _stage_pages(dossier, folder)
    changed = sync_tree(folder, final, keep=("_build", "sphinx-html.log", "sphinx-pdf.log"))
    shutil.rmtree(folder)
    return changed


def _stage_pages(dossier: Dossier, folder: Path) -> None:
    for name, text in dossier.pages().items():
        (folder / f"{name}.md").write_text(text + "\n", encoding="utf-8")
    toc = {"format": "jb-book", "root": "index", "chapters": [{"file": n} for n, _ in dossier.page_list[1:]]}
    (folder / "_toc.yml").write_text(yaml.safe_dump(toc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    config = yaml.safe_load((REPO_ROOT / "_config.yml").read_text(encoding="utf-8"))
    plan = dossier.data.plan
    title = f"{plan.report_title}·{TITLE}"
    config["title"] = f"{title}（{dossier.year}年版）"
    config["author"] = plan.author
    config["copyright"] = str(dossier.year)
    config.setdefault("html", {})["extra_footer"] = "工作文件，供审核签发使用，不对外发布"
    config["parse"] = {"myst_enable_extensions": ["colon_fence"]}
    sphinx = config.setdefault("sphinx", {})
    # No charts, no Chinese search; this module as an extension only drops sphinx-thebe's CDN script.
    # The rules of Chinese composition as in the report's PDF (a formula's minus, figure and unit).
    sphinx["extra_extensions"] = ["beichen.dossier.document", "beichen.pdf.composition"]
    cfg = sphinx.setdefault("config", {})
    cfg["release"], cfg["today"] = str(dossier.year), dossier.issue_date
    cfg["html_static_path"], cfg["html_css_files"] = [], []
    # Like the report: no _sources/ copies, no source links, no theme download menu.
    cfg["html_copy_source"], cfg["html_show_sourcelink"] = False, False
    cfg.setdefault("html_theme_options", {})["use_download_button"] = False
    cfg.pop("nb_mime_priority_overrides", None)
    cfg["latex_elements"]["tableofcontents"] = r"\beichentableofcontents"
    cfg["latex_elements"]["preamble"] += "\n" + latex_preamble(plan.report_title)
    cfg["latex_additional_files"] = [*cfg.get("latex_additional_files", []), "latex/beichen-dossier.sty"]
    config.setdefault("latex", {}).setdefault("latex_documents", {})["title"] = title  # the title page adds the year
    (folder / "_config.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    shutil.copytree(REPO_ROOT / "latex", folder / "latex")


def latex_preamble(report_title: str) -> str:
    """What the 核查报告's LaTeX adds to the report's print style: latex/beichen-dossier.sty, and
    the cover's title as two lines, the report's title over “核查报告” (set as one, it broke
    wherever the line was full, after the “·” in 2024). The PDF's properties keep the one-line title."""
    from beichen.render.escape import latex

    title = rf"{latex(report_title)}\texorpdfstring{{\\}}{{·}}{TITLE}"
    return "\n".join([r"\usepackage{beichen-dossier}", rf"\AtBeginDocument{{\title{{{title}}}}}"])


def source_date_epoch(issue_date: str) -> int:
    """The first day of the issue month (“2025年11月” → 2025-11-01 00:00 UTC) as a Unix time: the
    date the PDF records, so a rebuild of the same inputs gives the same bytes."""
    import calendar
    import re

    match = re.match(r"(\d{4})年(?:(\d{1,2})月)?", issue_date or "")
    year, month = (int(match.group(1)), int(match.group(2) or 1)) if match else (1970, 1)
    return calendar.timegm((year, month, 1, 0, 0, 0))


def jb_environment(issue_date: str) -> dict:
    """The environment of the 核查报告's Jupyter Book runs."""
    import os

    # TeX and Sphinx take their timestamps from SOURCE_DATE_EPOCH (FORCE_SOURCE_DATE: TeX's \today too).
    from beichen.pdf.latex import latex_environment

    # xelatex as restricted as for the report (no shell escape, reads inside the build tree only).
    return latex_environment(dict(os.environ, SOURCE_DATE_EPOCH=str(source_date_epoch(issue_date)),
                                  FORCE_SOURCE_DATE="1", PYTHONHASHSEED="0"))


def _jupyter_book(folder: Path, builder: str, log_name: str, issue_date: str, warm=None, extra=()) -> None:
    from beichen.publish.warm_book import jupyter_book

    result = jupyter_book(["build", str(folder), "--builder", builder, "-n", "-W", "--keep-going", *extra],
                          jb_environment(issue_date), warm)
    (folder / log_name).write_text(result.stdout + result.stderr, encoding="utf-8")
    if result.returncode != 0:
        raise BuildError(f"核查报告构建失败（{builder}），详见 {folder / log_name}:\n{result.stderr[-2000:]}")


def inputs_key(dossier: Dossier, pdf: bool, with_gaps: bool = True) -> str:
    """SHA-256 of everything the 核查报告 of an edition is made from: the edition's own rows and
    the other input files (input_files), the build's notes, the issue date, the program (its code,
    version and commit), the book configuration and print style."""
    from beichen.publish.incremental import LIB_DIR, program_facts, tree_digest

    gaps = gap_summary(dossier.gaps) if with_gaps else None
    status = dossier.status.key() if with_gaps and dossier.status is not None else None
    found = dossier.departures_page() if with_gaps and dossier.found is not None else None  # found in the built text
    digest = hashlib.sha256(json.dumps({"year": dossier.year, "pdf": pdf, "gaps": gaps, "status": status,
                                        "departures": found,
                                        "issued": dossier.issue_date, **program_facts()},
                                       ensure_ascii=False, sort_keys=True).encode())
    for name, content in input_files(dossier.data, dossier.data_dir, dossier.narrative_dir, dossier.year):
        digest.update(name.encode() + b"\0" + hashlib.sha256(content).digest())
    for folder in (LIB_DIR, REPO_ROOT / "latex"):
        digest.update(tree_digest(folder, skip=()).encode())
    digest.update((REPO_ROOT / "_config.yml").read_bytes())
    return digest.hexdigest()


def build_cached(dossier: Dossier, folder: Path, steps, pdf: bool = False, log=print, warm=None) -> Path:
    """The 核查报告, rebuilt only when one of its inputs (inputs_key) changed since the last build
    in `folder` (as recorded in `steps`, the build's one lib/beichen/publish/incremental.Steps); returns its
    HTML folder."""
    import time

    html = Path(folder) / "_build" / "html"
    key = inputs_key(dossier, pdf)
    # The recorded tree holds the PDF when one was asked for (`pdf` is part of the key).
    if steps.same("dossier", key, html):
        log("    核查报告：未变，沿用")
        return html
    if html.exists() and not steps.intact("dossier", html):  # damaged since: all pages afresh (see build._report_html)
        shutil.rmtree(html)
    steps.forget("dossier")
    started = time.perf_counter()
    built = build(dossier, folder, pdf, warm)
    steps.mark("dossier", key, html)
    log(f"    核查报告：已生成 ({time.perf_counter() - started:.1f}s)")
    return built


def build(dossier: Dossier, folder: Path, pdf: bool = False, warm=None) -> Path:
    """Stage and build the 核查报告; return its HTML folder (with dossier-<year>.pdf when pdf)."""
    from beichen.publish.incremental import fresh_static, sphinx_build_args

    stage(dossier, folder)
    fresh_static(Path(folder) / "_build" / "html")
    # Every page rewritten (--all): the 核查报告 is rebuilt only when one of its inputs changed, the
    # program included, and a page whose source did not change is still written by changed code.
    _jupyter_book(folder, "html", "sphinx-html.log", dossier.issue_date, warm, sphinx_build_args([]))
    html = folder / "_build" / "html"  # its .buildinfo (Sphinx's config hash) is left out when published
    if pdf:
        from beichen.pdf.latex import latex_run, missing_characters
        latex = folder / "_build" / "latex"
        with latex_run(latex):  # a killed or failed run leaves no half-written .aux/.toc for the next
            _jupyter_book(folder, "pdflatex", "sphinx-pdf.log", dossier.issue_date)
        built = latex / "book.pdf"
        if not built.exists():
            raise BuildError(f"核查报告 PDF 未生成，详见 {folder / 'sphinx-pdf.log'}")
        lost = missing_characters(latex / "book.log")
        if lost:
            raise BuildError(f"核查报告 PDF 中有缺字: {', '.join(sorted(lost))}")
        shutil.copy2(built, html / pdf_name(dossier.year))
    return html


def setup(app):
    """Sphinx extension for the dossier's book: Jupyter Book 1 always loads sphinx-thebe, whose
    inline script names unpkg.com; drop it as the report does (lib/beichen/site/vega_offline.py), with
    no Vega assets (the dossier has no charts)."""
    from beichen.site.vega_offline import _strip_thebe
    from beichen.site.search import exact_incremental_index

    exact_incremental_index()

    app.add_config_value("beichen_strip_thebe", True, "html")
    app.connect("html-page-context", _strip_thebe, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}


def _reason(r) -> str:
    """Why the analyst decided so; a decision carried from an earlier edition gives its reason as
    written for that edition (its “本版” is that edition)."""
    if not r.carried:
        return f"理由：{_esc(r.reason)}"
    return f"理由（{r.edition}年版所记）：{_esc(r.reason.replace('本版', f'{r.edition}年版'))}"
