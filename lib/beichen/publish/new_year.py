"""Start a new year: the entry table and the narrative stubs the analyst fills in, and nothing else.

    python -m beichen.publish.new_year --year 2025          # make new-year YEAR=2025
    python -m beichen.publish.new_year --year 2025 --xlsx   # the entry table as .xlsx instead of CSV

What is written: lib/beichen/inputs/newyear.py (the entry table, last year's passages as stubs) and
lib/beichen/render/stubs.py (a plan's first year: the passages the chapter templates ask for).
Refuses to overwrite anything that exists.
"""
from __future__ import annotations

import sys
from pathlib import Path

from beichen import cli
from beichen.errors import BuildError
from beichen.inputs.intake import ENTRY_DIR_NAME, TABLE_LABELS
from beichen.inputs.loading import DataValidationError, load_all
from beichen.inputs.newyear import entry_rows, stub_narrative, write_entry_csv, write_entry_xlsx
from beichen.inputs.plan import PlanError, load_plan
from beichen.lock import BusyError, one_writer
from beichen.paths import CHAPTERS_DIR, DATA_DIR, NARRATIVE_DIR
from beichen.render.stubs import first_year_stubs


def new_year(year: int, data_dir: Path = DATA_DIR, narrative_dir: Path = NARRATIVE_DIR,
             xlsx: bool = False, log=print, chapters_dir: Path = CHAPTERS_DIR) -> dict[str, object]:
    """Create the entry table and narrative stubs for `year`; refuse if either exists.

    The stubs are last year's passages when the plan has text of an earlier year, else (the plan's
    first year) the passages the chapter templates ask for (`first_year_stubs`)."""
    load_plan(data_dir).check_edition_year(year)
    data_dir, narrative_dir = Path(data_dir), Path(narrative_dir)
    entry_dir = data_dir / ENTRY_DIR_NAME
    entry = entry_dir / f"{year}.{'xlsx' if xlsx else 'csv'}"
    existing = [p for p in (entry_dir / f"{year}.csv", entry_dir / f"{year}.xlsx") if p.exists()]
    target = narrative_dir / str(year)
    if existing:
        raise BuildError("以下填报表已存在，未做任何改动（不覆盖已填写的内容）: "
                         + "、".join(str(p) for p in existing)
                         + f"；若要换用另一种格式，先自行移走它。已有填报表的，直接填写后运行 make import YEAR={year}")
    # The year's text is never touched once it exists: only the entry sheet is (re)made then.
    keep_narrative = target.exists()
    earlier = sorted(int(p.name) for p in narrative_dir.iterdir()
                     if p.is_dir() and p.name.isdigit() and int(p.name) < year) if narrative_dir.exists() else []
    prev = earlier[-1] if earlier else None

    data = load_all(data_dir)
    rows = entry_rows(data, year)
    entry_dir.mkdir(parents=True, exist_ok=True)
    if xlsx:
        write_entry_xlsx(rows, entry, year)
    else:
        write_entry_csv(rows, entry)
    if keep_narrative:
        stubs = []
    elif prev is None:
        stubs = first_year_stubs(data, target, year, chapters_dir)
    else:
        stubs = stub_narrative(narrative_dir / str(prev), target, prev, year)
    counts = {label: sum(r["数据表"] == label for r in rows) for label in TABLE_LABELS.values()}
    log(f"已生成填报表 {entry}: {len(rows)} 行（" + "、".join(f"{k}{v}行" for k, v in counts.items()) + "）")
    if keep_narrative:
        log(f"{year}年文字 {target}/ 已存在，未改动")
    elif prev is None:
        log(f"已生成{year}年文字底稿 {target}/: {len(stubs)} 个文件（{data.plan.quoted}规划的第一年：各章要写的段落，"
            f"每段开头有“待更新”行，正文为空；写法见 {narrative_dir / 'README.md'}）")
    else:
        log(f"已生成{year}年文字底稿 {target}/: {len(stubs)} 个文件（每段开头有“待更新”行，{prev}年原文以“参考｜”行附后）")
    folder = _plan_folder_words(data_dir)
    log("下一步:")
    log(f"  1. 用 Excel 打开 {entry}，只在“本年数值”列填数字（没有的留空），保存；"
        f"修订往年的数、撤回已导入的数见“说明”列")
    log(f"  2. 撰写 {target}/ 中各段{year}年的文字，写好一段删去该段的“待更新”行")
    log(f"  3. make import YEAR={year}     # 校验并并入 {folder}")
    log(f"  4. make site YEARS=\"… {year}\"  # 或 make report YEAR={year}")
    return {"entry": entry, "narrative": target, "rows": rows, "previous_year": prev}


def _plan_folder_words(data_dir: Path) -> str:
    """The plan folder as the analyst knows it: “data/”, “plans/2026-2030/” (or the path given)."""
    data_dir = Path(data_dir)
    if data_dir.parent.name == "plans":
        return f"plans/{data_dir.name}/"
    return f"{data_dir.name}/"


def main(argv: list[str] | None = None) -> int:
    parser = cli.ArgumentParser(description="Create the entry table and text stubs of a new year.")
    parser.add_argument("--year", type=cli.year, required=True)
    parser.add_argument("--xlsx", action="store_true", help="write data/entry/<year>.xlsx instead of .csv")
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    parser.add_argument("--narrative-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    narrative_dir = args.narrative_dir or Path(args.data_dir) / "narrative"
    try:
        with one_writer(f"新建{args.year}年填报表", args.data_dir):
            new_year(args.year, args.data_dir, narrative_dir, args.xlsx)
    except (BuildError, DataValidationError, BusyError, PlanError) as err:
        print(f"错误: {err}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
