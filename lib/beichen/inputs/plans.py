"""The plans of the repository side by side, and which one a year belongs to.

Each plan period is one data folder with the same layout (meta/plan.yml, indicators.csv, …, narrative/,
entry/): the 十四五 plan, which the report began with, stays in ``data/``; every later plan lives in
``plans/<first year>-<target year>/`` (``make new-plan``, lib/beichen/inputs/newplan.py). Evaluation years never
overlap, so a year names its plan: ``make report YEAR=2026`` builds from ``plans/2026-2030/`` without
the analyst naming a folder (``PLAN=2026-2030`` names one explicitly).

    python -m beichen.inputs.plans --year 2026             # prints the plan folder of 2026 (the Makefile's)
    python -m beichen.inputs.plans --year 2026 --plan 2026-2030

Also the checks that know the plan (run by ``load_all``, hence by ``make validate`` and at the start of
every build before any chapter runs): base and target rows of the plan's own years, and every catalogue
id that meta/report.yml names, whatever key a chapter reads it under.
"""
from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from beichen import cli
from beichen.errors import BuildError
from beichen.inputs.audit_registry import metric_rule_problems
from beichen.inputs.plan import Plan, PlanError, load_plan
from beichen.paths import PLANS_FOLDER, REPO_ROOT, checkout_of

FIRST_PLAN_FOLDER = "data"   # the 十四五 plan: where the report began, never moved (its editions stay byte-identical)
FOLDER_NAME = re.compile(r"^(\d{4})-(\d{4})$")


@dataclass(frozen=True)
class PlanFolder:
    """One plan period's data folder."""

    name: str      # what PLAN= takes: “data” for 十四五, “2026-2030” for a later plan
    path: Path
    plan: Plan

    @property
    def narrative_dir(self) -> Path:
        return self.path / "narrative"

    @property
    def years(self) -> range:
        """The years this plan evaluates (its editions): base + 1 … target."""
        return range(self.plan.first_edition, self.plan.last_edition + 1)

    def describe(self) -> str:
        """“plans/2026-2030/（“十五五”，2026–2030年）”."""
        return f"{self.relative}（{self.plan.quoted}，{self.plan.first_edition}–{self.plan.last_edition}年）"

    @property
    def relative(self) -> str:
        return f"{FIRST_PLAN_FOLDER}/" if self.name == FIRST_PLAN_FOLDER else f"{PLANS_FOLDER}/{self.name}/"


def folder_name(base_year: int, target_year: int) -> str:
    """The folder of a later plan: first evaluated year – target year, “2026-2030”."""
    return f"{base_year + 1}-{target_year}"


def candidate_folders(root: Path | str = REPO_ROOT) -> list[tuple[str, Path]]:
    """(name, path) of every plan folder under root, data/ first, then plans/* in name order."""
    root = Path(root)
    found = []
    if (root / FIRST_PLAN_FOLDER / "meta" / "plan.yml").exists():
        found.append((FIRST_PLAN_FOLDER, root / FIRST_PLAN_FOLDER))
    plans = root / PLANS_FOLDER
    if plans.is_dir():   # a plan folder by its name (2026-2030) or its plan.yml; other folders are not plans
        found += [(p.name, p) for p in sorted(plans.iterdir())
                  if p.is_dir() and (FOLDER_NAME.match(p.name) or (p / "meta" / "plan.yml").exists())]
    return found


def plan_folders(root: Path | str = REPO_ROOT, problems: list[str] | None = None) -> list[PlanFolder]:
    """Every readable plan folder (data/ first, then plans/*). A folder whose plan.yml is missing or
    wrong, or whose name disagrees with its years, is left out and described in `problems`."""
    problems = [] if problems is None else problems
    out = []
    for name, path in candidate_folders(root):
        where = f"{FIRST_PLAN_FOLDER}/" if name == FIRST_PLAN_FOLDER else f"{PLANS_FOLDER}/{name}/"
        try:
            plan = load_plan(path)
        except PlanError as err:
            problems.append(f"{where}{err}")
            continue
        if name != FIRST_PLAN_FOLDER:
            expected = folder_name(plan.base_year, plan.target_year)
            if name != expected:
                problems.append(f"{where}: 文件夹名应为评估期“{expected}”（meta/plan.yml 的 base_year {plan.base_year} + 1 "
                                f"至 target_year {plan.target_year}）；请把文件夹改名为 {PLANS_FOLDER}/{expected}/，"
                                "或改正 plan.yml 中的年份")
                continue
        out.append(PlanFolder(name, path, plan))
    return out


def folder_named(name: str, root: Path | str = REPO_ROOT) -> PlanFolder:
    """The plan folder PLAN= names (“2026-2030”, also “plans/2026-2030”, “data”, or the plan's name “十五五”)."""
    wanted = name.strip().strip("/").removeprefix(f"{PLANS_FOLDER}/")
    problems: list[str] = []
    folders = plan_folders(root, problems)
    for folder in folders:
        if wanted in (folder.name, folder.plan.name):
            return folder
    known = "、".join(f"{f.name}（{f.plan.quoted}）" for f in folders) or "无"
    raise BuildError(f"没有名为“{name}”的规划文件夹；已有：{known}。"
                     + ("另有无法读取的规划文件夹：" + "；".join(problems) + "。" if problems else "")
                     + "新规划先运行 make new-plan（见 README“新规划期”）")


def folder_for_year(year: int, root: Path | str = REPO_ROOT, plan: str | None = None) -> PlanFolder:
    """The plan folder that evaluates `year` (or the one `plan` names, which must evaluate it).

    Refused in Chinese when no plan or two plans evaluate the year."""
    if plan:
        folder = folder_named(plan, root)
        if int(year) not in folder.years:
            raise BuildError(f"{folder.describe()} 不评估{year}年；该规划的年份为 {folder.plan.first_edition}–"
                             f"{folder.plan.last_edition}，请改用其中的年份，或去掉 PLAN= 让程序按年份选择规划")
        return folder
    problems: list[str] = []
    folders = plan_folders(root, problems)
    hits = [f for f in folders if int(year) in f.years]
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        raise BuildError(f"{year}年同时属于两个规划：" + "、".join(f.describe() for f in hits)
                         + "；各规划的评估年份不能重叠，请改正其中一个的 meta/plan.yml（base_year、target_year）")
    known = "；".join(f.describe() for f in folders) or "无"
    broken = ("另有无法读取的规划文件夹：" + "；".join(problems) + "。") if problems else ""
    raise BuildError(f"没有评估{year}年的规划（已有：{known}）。{broken}"
                     f"{year}年属于新的规划期时，先运行 make new-plan 建立该规划的文件夹（见 README“新规划期”）")


def root_of(data_dir: Path | str) -> Path:
    """The repository (or test copy) a plan folder belongs to: the parent of data/, of plans/."""
    return checkout_of(data_dir)


def resolve_data_dir(year: int, data_dir: Path | str, narrative_dir: Path | str | None = None
                     ) -> tuple[Path, Path]:
    """(data_dir, narrative_dir) of the plan of `year`, starting from the data folder a command was given.

    A year of that folder's plan keeps it; a year of another plan beside it (``data/`` and
    ``plans/*/`` under the same root) takes that plan's folder and narrative — so ``make site
    YEARS="2024 2026"`` builds each edition from its own plan. A narrative folder other than the
    data folder's own is kept as given (tests point it elsewhere)."""
    data_dir = Path(data_dir)
    narrative_dir = Path(narrative_dir) if narrative_dir is not None else data_dir / "narrative"
    try:
        own = load_plan(data_dir)
    except PlanError:
        return data_dir, narrative_dir   # the build reports the broken plan.yml itself
    if own.first_edition <= int(year) <= own.last_edition:
        return data_dir, narrative_dir
    folders = [f for f in plan_folders(root_of(data_dir)) if int(year) in f.years]
    if len(folders) != 1:
        return data_dir, narrative_dir   # the plan's own check_edition_year says what is wrong
    moved = folders[0]
    own_narrative = narrative_dir.resolve() == (data_dir / "narrative").resolve()
    return moved.path, (moved.narrative_dir if own_narrative else narrative_dir)


# --- checks that know the plan ---------------------------------------------------------------

def plan_row_problems(plan: Plan, indicator_values) -> list[str]:
    """Rows of indicator_values.csv whose base or target year is not the plan's: a row carried over
    from another plan, or a year mistyped. Named by file, line, column, value and fix."""
    problems = []
    expected = {"base": ("base_year", plan.base_year), "target": ("target_year", plan.target_year)}
    for index, row in indicator_values.iterrows():
        kind = row["kind"]
        if kind not in expected:
            continue
        key, year = expected[kind]
        if int(row["year"]) != year:
            word = "基期数" if kind == "base" else "目标值"
            problems.append(
                f"indicator_values.csv: 第{index + 2}行, 列 year: 值 {int(row['year'])}：{row['indicator_id']} 的{word}"
                f"（kind {kind}）应为 meta/plan.yml 的 {key} {year} 年的数；改正：填{plan.quoted}规划的{year}年{word}"
                f"并把 year 改为 {year}；若这一行属于另一规划，把它移到那个规划的文件夹（新规划期不改动原规划的文件，"
                f"用 make new-plan 另建文件夹，见 README“新规划期”）")
    return problems


# Keys of meta/report.yml whose values are catalogue ids, whatever list or table holds them: what the id
# must be (indicator, metric, chain, or figure = a metric or an indicator). A key added for a chapter
# is checked as soon as it uses one of these names (e.g. `figures:` of a key project). A singular key
# holds one id (text), a plural one a list: `chains: true` or `chains: in_chain_share` (a row of 表0-1)
# are switches, not ids.
ID_KEYS = {"indicator": "indicator", "indicator_id": "indicator", "metric": "metric", "metric_id": "metric",
           "chain": "chain", "chain_id": "chain", "figure": "figure", "current": "figure", "target": "figure",
           "lead": "figure", "scale_output": "metric", "stated_chain_output": "metric", "per_10k": "metric"}
ID_LIST_KEYS = {"indicators": "indicator", "metrics": "metric", "chains": "chain", "figures": "figure",
                "table": "figure"}   # snapshot.table: the figures of the in-year snapshot table
# Keys whose name ends so hold a list of ids: lead_chains, key_indicators, …
ID_SUFFIXES = {"_chains": "chain", "_indicators": "indicator", "_metrics": "metric", "_figures": "figure"}
# Tables keyed by id (indicator_definitions: {indicator id: text}), holding lists of ids (figure_tables:
# {name: [ids]}) or ids as values (snapshot.sentence: {firms: id, …}).
ID_KEYED = {"indicator_definitions": "indicator"}
ID_TABLES = {"figure_tables": "figure"}
ID_VALUES = {"sentence": "figure"}
# Text, not ids (headings: passage key → words; labels; chapters: notebook names).
NOT_IDS = {"headings", "label", "labels", "path", "chapters", "name", "title", "style", "key"}
KIND_WORDS = {"indicator": ("评价指标", "indicators.csv 的 indicator_id"),
              "metric": ("统计数字", "metrics.csv 的 metric_id"),
              "chain": ("产业链", "chains.csv 的 chain_id"),
              "figure": ("评价指标或统计数字", "indicators.csv 的 indicator_id 或 metrics.csv 的 metric_id")}


def _id_kind(key: str, value: Any) -> str | None:
    """What the ids under `key` are, if `value` holds ids: one id under a singular key, a list under a plural."""
    if isinstance(value, str):
        return ID_KEYS.get(key)
    if isinstance(value, list):
        if key in ID_LIST_KEYS:
            return ID_LIST_KEYS[key]
        return next((kind for suffix, kind in ID_SUFFIXES.items() if key.endswith(suffix)), None)
    return None


def _ids_under(node: Any, path: str, kind: str | None) -> Iterator[tuple[str, str, str]]:
    """(place in the file, kind, id) of every id-bearing value under node."""
    if isinstance(node, dict):
        for key, value in node.items():
            key = str(key)
            where = f"{path}.{key}" if path else key
            if key in NOT_IDS:
                continue
            if isinstance(value, dict) and key in ID_KEYED:
                for ident in value:
                    yield f"{where}（键）", ID_KEYED[key], str(ident)
            elif isinstance(value, dict) and key in ID_TABLES:
                for name, items in value.items():
                    yield from _ids_under(items, f"{where}.{name}", ID_TABLES[key])
            elif isinstance(value, dict) and key in ID_VALUES:
                for name, ident in value.items():
                    yield from _ids_under(ident, f"{where}.{name}", ID_VALUES[key])
            else:
                yield from _ids_under(value, where, _id_kind(key, value))
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from _ids_under(item, f"{path} 第{i + 1}项", kind)
    elif kind and isinstance(node, str):
        yield path, kind, node


def catalogue_problems(report_meta: dict, indicators: set[str], metrics: set[str], chains: set[str],
                       file: str = "meta/report.yml") -> list[str]:
    """Every id meta/report.yml names that is not in the plan's catalogue, with the key that names it."""
    known = {"indicator": indicators, "metric": metrics, "chain": chains, "figure": indicators | metrics}
    problems = []
    for where, kind, ident in _ids_under(report_meta or {}, "", None):
        if ident in known[kind]:
            continue
        word, column = KIND_WORDS[kind]
        problems.append(f"{file}: {where}: “{ident}” 不是本规划的{word}（不在 {column} 中）；"
                        f"改正：改为其中已有的标识，或先在该数据文件中加入这一项")
    return problems


def plan_problems(data) -> list[str]:
    """The checks that know the plan, over loaded data (lib/beichen/inputs/loading.py runs them in load_all)."""
    problems = plan_row_problems(data.plan, data.indicator_values)
    problems += catalogue_problems(data.meta.get("report") or {}, set(data.indicators["indicator_id"]),
                                   set(data.metrics["metric_id"]), set(data.chains["chain_id"]))
    problems += metric_rule_problems((data.meta.get("audit") or {}).get("metric_rules") or {},
                                     set(data.indicators["indicator_id"]), set(data.metrics["metric_id"]),
                                     set(data.chains["chain_id"]))
    return problems


def main(argv: list[str] | None = None) -> int:
    """Print the plan folder of a year (the Makefile passes it on as --data-dir)."""
    parser = cli.ArgumentParser(description="Print the data folder of the plan that evaluates YEAR.")
    parser.add_argument("--year", type=cli.year, required=True)
    parser.add_argument("--plan", default="", help="a plan folder by name: data, 2026-2030 (PLAN=)")
    parser.add_argument("--root", type=Path, default=REPO_ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        folder = folder_for_year(args.year, args.root, args.plan or None)
    except BuildError as err:
        sys.stderr.write(f"错误: {err}\n")
        return 1
    print(folder.path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
