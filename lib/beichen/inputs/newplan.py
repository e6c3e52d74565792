"""Start a new plan period: its own folder, from the documented template, never an edit of a running plan.

    python -m beichen.inputs.newplan --plan 2026-2030 --name 十五五     # make new-plan PLAN=2026-2030 NAME=十五五

Writes plans/<first year>-<target year>/ from templates/plan/ (every file and key documented there):
meta/plan.yml with the plan's name, the previous plan's name, base year (first year − 1), target
year, report title and issuing body filled in; the catalogue files with their headers only;
narrative/ and entry/. Refuses when the folder exists or its years overlap another plan's; touches
neither data/ nor any other plan. Then prints the next steps, each acting on the new folder.
"""
from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from beichen import cli
from beichen.errors import BuildError
from beichen.inputs.plans import FIRST_PLAN_FOLDER, FOLDER_NAME, PLANS_FOLDER, PlanFolder, plan_folders
from beichen.inputs.text_policy import cell_problems
from beichen.paths import REPO_ROOT

TEMPLATE_DIR = REPO_ROOT / "templates" / "plan"
# The keys of meta/plan.yml that new-plan fills in (the template writes them as {{key}}).
FILLED_KEYS = ("name", "previous_name", "base_year", "target_year", "report_title", "author")


def _years(folder: str) -> tuple[int, int]:
    """(first year, target year) of a folder name “2026-2030”, refused in Chinese otherwise."""
    match = FOLDER_NAME.match(folder.strip().strip("/").removeprefix(f"{PLANS_FOLDER}/"))
    if not match:
        raise BuildError(f"规划文件夹名 “{folder}” 应为“首年-目标年”，如 PLAN=2026-2030")
    first, target = int(match.group(1)), int(match.group(2))
    if target <= first:
        raise BuildError(f"规划文件夹名 “{folder}” 的目标年 {target} 应晚于首年 {first}")
    return first, target


def _predecessor(folders: list[PlanFolder], base_year: int) -> PlanFolder | None:
    """The plan whose target year is the new plan's base year (十四五 for a plan starting 2026)."""
    return next((f for f in folders if f.plan.target_year == base_year), None)


def _default_title(previous: PlanFolder | None, name: str) -> str | None:
    """The previous plan's report title with its name replaced: 北辰区工业经济“十五五”规划后评估报告."""
    if previous is None or previous.plan.name not in previous.plan.report_title:
        return None
    return previous.plan.report_title.replace(previous.plan.name, name)


def fill_plan_yml(template: str, values: dict[str, object]) -> str:
    """The template's plan.yml with {{key}} replaced: text as a double-quoted YAML scalar (a title with
    a colon or quotes stays one value), years as numbers."""
    text = template
    for key in FILLED_KEYS:
        value = values[key]
        text = text.replace("{{" + key + "}}", str(value) if isinstance(value, int)
                            else json.dumps(str(value), ensure_ascii=False))
    if "{{" in text:
        raise BuildError("templates/plan/meta/plan.yml 中还有未填的 {{…}}：模板与程序不一致，请告知维护人员")
    return text


def new_plan(folder: str, name: str, title: str | None = None, previous_name: str | None = None,
             author: str | None = None, root: Path | str = REPO_ROOT, template: Path | str = TEMPLATE_DIR,
             log=print) -> Path:
    """Create plans/<folder>/ from the template; return its path. Refuses to overwrite anything."""
    root, template = Path(root), Path(template)
    first, target = _years(folder)
    base = first - 1
    name = (name or "").strip()
    if not name:
        raise BuildError("缺少规划简称：请写 NAME=十五五 这样的形式")
    target_dir = root / PLANS_FOLDER / f"{first}-{target}"
    if target_dir.exists():
        raise BuildError(f"{PLANS_FOLDER}/{first}-{target}/ 已存在，未做任何改动（不覆盖已填写的规划）；"
                         f"继续填写它，或先自行移走后再运行 make new-plan")
    problems: list[str] = []
    folders = plan_folders(root, problems)
    overlap = [f for f in folders if not (target < f.plan.first_edition or first > f.plan.last_edition)]
    if overlap:
        raise BuildError(f"{first}–{target}年与已有的规划重叠：" + "、".join(f.describe() for f in overlap)
                         + "；各规划的评估年份不能重叠，请检查 PLAN= 的年份")
    previous = _predecessor(folders, base)
    previous_name = (previous_name or (previous.plan.name if previous else "")).strip()
    if not previous_name:
        raise BuildError(f"没有目标年为{base}年的已有规划，无法推定上一个规划期的简称：请加 PREVIOUS=十四五 这样的参数")
    title = (title or _default_title(previous, name) or "").strip()
    if not title:
        raise BuildError("无法从上一规划推定报告标题：请加 TITLE=某区工业经济“十五五”规划评估报告 这样的参数")
    author = (author or (previous.plan.author if previous else "")).strip()
    if not author:
        raise BuildError("无法从上一规划推定署名：请加 AUTHOR=天津市某区 这样的参数")
    values = {"name": name, "previous_name": previous_name, "base_year": base, "target_year": target,
              "report_title": title, "author": author}
    for key in ("name", "previous_name", "report_title", "author"):   # invisible characters, leading “=”
        bad = cell_problems(str(values[key]), f"参数 {key}")
        if bad:
            raise BuildError("；".join(bad))
    if not (template / "meta" / "plan.yml").exists():
        raise BuildError(f"规划模板 {template} 不完整（缺 meta/plan.yml）：请从仓库恢复 templates/plan/")

    # Built beside its place and renamed into it: an interrupted command leaves no half-made plan.
    staging = root / PLANS_FOLDER / f".{first}-{target}.new"
    if staging.exists():
        shutil.rmtree(staging)
    shutil.copytree(template, staging)
    plan_yml = staging / "meta" / "plan.yml"
    plan_yml.write_text(fill_plan_yml(plan_yml.read_text(encoding="utf-8"), values), encoding="utf-8")
    (staging / "narrative").mkdir(exist_ok=True)
    (staging / "entry").mkdir(exist_ok=True)
    staging.rename(target_dir)

    rel = f"{PLANS_FOLDER}/{first}-{target}"
    log(f"已建立“{name}”规划的文件夹 {rel}/（基期 {base} 年，目标年 {target} 年，评估 {first}–{target} 年各版；"
        f"上一规划“{previous_name}”；报告标题：{title}；署名：{author}）。{FIRST_PLAN_FOLDER}/ 和其他规划未改动。")
    log("下一步（各文件的每一列、每个键都在文件注释和该文件夹的 README.md 中说明）:")
    log(f"  1. 核对 {rel}/meta/plan.yml：评价维度 dimensions、判定阈值和用语（名称、年份、标题已填好）")
    log(f"  2. 填写 {rel}/indicators.csv（评价指标）、indicator_values.csv（基期 {base} 年数和目标 {target} 年值）、"
        f"metrics.csv（其他统计数字）、chains.csv（产业链，没有则只留表头）")
    log(f"  3. 填写 {rel}/meta/report.yml（各章展示哪些指标、产业链、重点工程）")
    log(f"  4. make validate PLAN={first}-{target}       # 检查上面各文件")
    log(f"  5. make new-year YEAR={first}              # 生成 {first} 年的填报表和文字底稿（在 {rel}/ 中）")
    log(f"  6. make import YEAR={first}，撰写 {rel}/narrative/{first}/ 的文字，make report YEAR={first}")
    return target_dir


def main(argv: list[str] | None = None) -> int:
    parser = cli.ArgumentParser(description="Create plans/<first>-<target>/ for a new plan period.")
    parser.add_argument("--plan", required=True, help="首年-目标年, e.g. 2026-2030 (PLAN=)")
    parser.add_argument("--name", required=True, help="the plan's short name, e.g. 十五五 (NAME=)")
    parser.add_argument("--title", default=None, help="report title (TITLE=); default: the previous plan's, renamed")
    parser.add_argument("--previous", default=None, help="previous plan's name (PREVIOUS=); default: found")
    parser.add_argument("--author", default=None, help="issuing body (AUTHOR=); default: the previous plan's")
    args = parser.parse_args(argv)
    try:
        new_plan(args.plan, args.name, args.title, args.previous, args.author)
    except BuildError as err:
        print(f"错误: {err}")
        return 1
    except OSError as err:
        print(f"错误: {err.filename or ''}: {err.strerror or err}；未建立规划文件夹")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
