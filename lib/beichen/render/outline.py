"""A chapter's outline from the plan's catalogue: the chapter templates name no dimension, project or
chain; the build expands each template for the plan before it runs (issue 23).

A template cell may carry, in its metadata, ``"beichen": {…}``:

- ``{"each": "dimension"}`` — the cell belongs to a group repeated once per dimension of plan.yml
  (``dimensions``), in that order; ``{"each": "project"}`` — once per key project of report.yml
  (``projects``); ``{"each": "industry_section"}`` — once per entry of report.yml ``industry_sections``
  (chapter 二's sections after the chains', numbered from （二））; ``{"each": "recommendation"}`` — once per
  recommendation of report.yml ``recommendation_passages`` (chapter 五's sections, numbered 1., 2., …).
  Consecutive cells with the same ``each`` form one group.
- ``{"when": "figures"}`` / ``{"when": "ladder_chart"}`` — inside a project group: only for a project
  with a results table (``figures``) / a ladder chart (``ladder_chart``: its title); ``{"when": "heading"}``
  — inside a recommendation group: only when the plan's report lists its recommendations (a section each).
- ``{"needs": "snapshot"}`` / ``"chains"`` / ``"before_after"`` / ``"lead_chains"`` — the cell is dropped
  when the plan's report has no in-year snapshot, no chains, no before/after chart, no lead chains;
  ``{"needs": "heading:title_…"}`` — when report.yml ``headings`` does not name that section's heading.
  In a notebook's own metadata, ``{"needs": "chains"}`` / ``"projects"``: the whole chapter
  (``chapter_needed``: the build leaves it out and says why).

In a repeated cell, ``<<n>>`` is the item's number (1, 2, …), ``<<numeral>>`` its Chinese numeral
(一, 二, …), ``<<name>>`` its name (escaped for MyST), ``<<passage>>`` its passage (a dimension's, from
report.yml ``dimension_passages``, default ``dimension_<n>``), ``<<key>>`` a project's key and
``<<table_n>>`` the number of a project's results table among the chapter's tables.
A template without such metadata is returned as it is.

The build runs the expansion, not the template (lib/beichen/publish/build.py): ``run_chapter`` gives papermill
``runnable_template(template, scratch, load_all(data_dir))`` (scratch outside the staged book), and
``template_title_keys`` reads ``title_keys(templates, data)``; ``lib/beichen/inputs/newyear.py`` and
``narrative.passage_places`` read the expanded template alike.
"""
from __future__ import annotations

import copy
import json
import re
from pathlib import Path

from beichen import formatting as fmt
from beichen.render import escape

PLACEHOLDER = re.compile(r"<<(\w+)>>")
# A heading subtitle of a template (``{{ title_… }}``): the year's words, a MyST substitution.
TITLE_IN_TEMPLATE = re.compile(r"\{\{\s*(title_\w+)\s*\}\}")
TITLE_PREFIX = "title_"   # the narrative's heading passages (beichen.inputs.narrative.TITLE_PREFIX)
_NAME_OK = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
REPORT_FILE = "meta/report.yml"


class OutlineError(ValueError):
    """The plan's catalogue cannot fill a chapter template (a missing or malformed report.yml entry)."""


def _marks(cell: dict) -> dict:
    return (cell.get("metadata") or {}).get("beichen") or {}


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def dimension_items(plan, report: dict) -> list[dict]:
    """Chapter 一's sections: one per dimension of plan.yml, with its passage."""
    passages = report.get("dimension_passages") or {}
    items = []
    for n, name in enumerate(plan.dimensions, start=1):
        passage = passages.get(name) or f"dimension_{n}"
        if not _NAME_OK.match(str(passage)):
            raise OutlineError(f"{REPORT_FILE}: dimension_passages 中“{name}”的段落名“{passage}”应由英文字母、"
                               "数字和下划线组成；修正：改为如 quality 的段落名")
        items.append({"n": n, "numeral": fmt.chinese_numeral(n), "name": name, "passage": passage})
    return items


def project_items(report: dict) -> list[dict]:
    """Chapter 三's sections: one per key project of report.yml `projects`, with its table's number."""
    items, tables = [], 0
    for n, entry in enumerate(report.get("projects") or [], start=1):
        where = f"{REPORT_FILE}: projects 第{n}项"
        if not isinstance(entry, dict) or not entry.get("name") or not entry.get("key"):
            raise OutlineError(f"{where} 应有 name（标题）和 key（段落名前缀）；修正：按 "
                               "templates/plan/meta/report.yml 的说明填写")
        if not _NAME_OK.match(str(entry["key"])):
            raise OutlineError(f"{where}: key“{entry['key']}”应由英文字母、数字和下划线组成")
        figures = list(entry.get("figures") or [])
        tables += bool(figures)
        items.append({"n": n, "numeral": fmt.chinese_numeral(n), "name": str(entry["name"]),
                      "key": entry["key"], "figures": figures, "ladder_chart": entry.get("ladder_chart") or "",
                      "table_n": tables if figures else None})
    return items


def industry_section_items(report: dict) -> list[dict]:
    """Chapter 二's sections after the chains' （一）: one per entry of report.yml `industry_sections`
    (heading and passage), numbered （二）, （三）, … — the plan's own headings, none by default."""
    items = []
    for n, entry in enumerate(report.get("industry_sections") or [], start=2):
        where = f"{REPORT_FILE}: industry_sections 第{n - 1}项"
        if not isinstance(entry, dict) or not entry.get("name") or not entry.get("passage"):
            raise OutlineError(f"{where} 应有 name（标题）和 passage（段落名）；修正：按 "
                               "templates/plan/meta/report.yml 的说明填写")
        if not _NAME_OK.match(str(entry["passage"])):
            raise OutlineError(f"{where}: passage“{entry['passage']}”应由英文字母、数字和下划线组成")
        items.append({"n": n, "numeral": fmt.chinese_numeral(n), "name": str(entry["name"]),
                      "passage": entry["passage"]})
    return items


def recommendation_items(report: dict) -> list[dict]:
    """Chapter 五's recommendations: one per passage of report.yml `recommendation_passages`, each a section
    headed by the year's words (passage title_recommendation_<passage>: chapter 一's title_<passage> may
    share the name); a plan that lists none has the one passage
    “recommendations” and no section heading."""
    listed = bool(report.get("recommendation_passages"))
    return [{"n": n, "passage": name, "heading": listed}
            for n, name in enumerate(section_passages(report, "recommendations"), start=1)]


def recommendation_title_keys(report: dict) -> list[str]:
    """The heading keys (title_recommendation_<passage>) of chapter 五's sections: whole headings, the year's words."""
    return [f"{TITLE_PREFIX}recommendation_{item['passage']}" for item in recommendation_items(report) if item["heading"]]


def plan_has(need: str, report: dict, has_chains: bool) -> bool:
    """Whether the plan's report has what a `needs` cell shows."""
    if need == "snapshot":
        snapshot = report.get("snapshot") or {}
        return bool((snapshot.get("table") or []) or (snapshot.get("chart") or []))
    if need == "chains":
        return has_chains
    if need.startswith("heading:"):  # a section whose heading the plan's report names (report.yml headings)
        return bool((report.get("headings") or {}).get(need.split(":", 1)[1]))
    if need in ("before_after", "ladder", "lead_chains", "projects", "recommendation_targets"):
        return bool(report.get(need))
    raise OutlineError(f"章节模板: 单元的 needs “{need}” 无法识别（snapshot、chains、before_after、ladder）")


def _fill(cell: dict, item: dict) -> dict:
    out = copy.deepcopy(cell)
    markdown = cell.get("cell_type") == "markdown"

    def value(match: re.Match) -> str:
        key = match.group(1)
        if key not in item or item[key] is None:
            raise OutlineError(f"章节模板: 占位符 <<{key}>> 在此处无值")
        text = str(item[key])
        return escape.myst(text) if markdown and key == "name" else text

    out["source"] = PLACEHOLDER.sub(value, _source(cell))
    out.get("metadata", {}).pop("beichen", None)
    # Each copy is its own cell (nbformat 4.5 ids must be unique).
    if "id" in out:
        out["id"] = f"{cell['id']}-{item['n']}"
    return out


def expand_cells(cells: list[dict], plan, report: dict, has_chains: bool) -> list[dict]:
    """The template's cells for this plan: groups repeated per item, cells it does not need dropped."""
    items = {"dimension": lambda: dimension_items(plan, report), "project": lambda: project_items(report),
             "industry_section": lambda: industry_section_items(report),
             "recommendation": lambda: recommendation_items(report)}
    out: list[dict] = []
    i = 0
    while i < len(cells):
        cell = cells[i]
        marks = _marks(cell)
        if marks.get("needs") and not plan_has(marks["needs"], report, has_chains):
            i += 1
            continue
        each = marks.get("each")
        if not each:
            plain = copy.deepcopy(cell)
            plain.get("metadata", {}).pop("beichen", None)
            out.append(plain)
            i += 1
            continue
        if each not in items:
            raise OutlineError(f"章节模板: each “{each}” 无法识别（dimension、project、industry_section、recommendation）")
        group = []
        while i < len(cells) and _marks(cells[i]).get("each") == each:
            group.append(cells[i])
            i += 1
        for item in items[each]():
            for member in group:
                when = _marks(member).get("when")
                if when and not item.get(when):
                    continue
                out.append(_fill(member, item))
    return out


def check_projects(data) -> None:
    """Every figure of a project's results table is a figure of the plan's data (report.yml `projects`)."""
    known = set(data.metrics["metric_id"])
    for item in project_items(data.meta.get("report") or {}):
        for figure in item["figures"]:
            if figure not in known:
                raise OutlineError(f"{REPORT_FILE}: projects 第{item['n']}项（{item['name']}）figures 中的“{figure}”"
                                   "不是 metrics.csv 的 metric_id；修正：改为已有的标识")
        if item["ladder_chart"] and not (data.meta.get("report") or {}).get("ladder"):
            raise OutlineError(f"{REPORT_FILE}: projects 第{item['n']}项（{item['name']}）有 ladder_chart，"
                               "但 ladder（梯度培育的各级）为空；修正：填写 ladder 或删去 ladder_chart")


def expand_notebook(notebook: dict, data) -> dict:
    """A template notebook (as JSON) expanded for the plan of `data` (lib/beichen/inputs/loading.ReportData)."""
    report = data.meta.get("report") or {}
    has_chains = not data.chains.empty
    check_projects(data)
    out = copy.deepcopy(notebook)
    out["cells"] = expand_cells(notebook.get("cells", []), data.plan, report, has_chains)
    out.get("metadata", {}).pop("beichen", None)   # the chapter's own marks: read by chapter_needed
    return out


# What a whole chapter shows, for the reader of a log: the chapter is left out of a plan without it.
_NEEDS_WORDS = {"chains": "产业链（chains.csv 无数据行）", "projects": "重点工程（meta/report.yml 无 projects）"}


def chapter_needed(notebook: dict, data) -> str:
    """“” when the plan's report has what the chapter shows (notebook metadata ``"beichen": {"needs": …}``:
    chapter 二 needs chains, chapter 三 key projects), else why the chapter is left out, in Chinese. A plan
    without chains has no chain chapter rather than an empty one."""
    need = ((notebook.get("metadata") or {}).get("beichen") or {}).get("needs")
    if not need or plan_has(need, data.meta.get("report") or {}, not data.chains.empty):
        return ""
    return f"本规划没有{_NEEDS_WORDS.get(need, need)}，不设此章"


def is_template(notebook: dict) -> bool:
    """Whether the notebook or any cell carries outline metadata (else expanding changes nothing)."""
    return ("beichen" in (notebook.get("metadata") or {})
            or any(_marks(cell) for cell in notebook.get("cells", [])))


def expand_file(template: Path, target: Path, data) -> Path:
    """Write the template expanded for the plan to `target` (the file papermill then runs)."""
    notebook = json.loads(Path(template).read_text(encoding="utf-8"))
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(expand_notebook(notebook, data), ensure_ascii=False, indent=1) + "\n",
                      encoding="utf-8")
    return target


def runnable_template(template: Path, scratch: Path, data) -> Path:
    """The file papermill runs for `template` in an edition of this plan: the template itself when it
    has no outline metadata, else its expansion written to `scratch` (outside the staged book, so that
    Sphinx never reads it). For lib/beichen/publish/build.py's run_chapter."""
    notebook = json.loads(Path(template).read_text(encoding="utf-8"))
    if not is_template(notebook):
        return Path(template)
    return expand_file(template, Path(scratch) / Path(template).name, data)


def title_keys(templates: list[Path], data) -> set[str]:
    """The heading-subtitle keys ({{ title_… }}) of the templates as expanded for this plan (chapter 一's
    title_<passage> of each dimension): for lib/beichen/publish/build.py's template_title_keys."""
    keys: set[str] = set()
    for template in templates:
        notebook = expand_notebook(json.loads(Path(template).read_text(encoding="utf-8")), data)
        for cell in notebook["cells"]:
            if cell.get("cell_type") == "markdown":
                keys |= set(TITLE_IN_TEMPLATE.findall(_source(cell)))
    return keys


# --- what chapter cells ask of the plan's report (data/meta/report.yml) ------------------------------

# Passages of a chapter's sections, with the name each has when the plan's report lists none.
_PASSAGE_LISTS = {
    "problems": (("risks_chapter", "problems"), ["problems"]),
    "risks": (("risks_chapter", "risks"), "risks"),
    "opportunities": (("risks_chapter", "opportunities"), "opportunities"),
    "recommendations": (("recommendation_passages",), ["recommendations"]),
}


def _report(edition) -> dict:
    return edition.data.meta.get("report") or {}


def passages(edition, section: str) -> list[str]:
    """The passages of a section (“problems”, “risks”, “opportunities”, “recommendations”), in order."""
    return section_passages(_report(edition), section)


def section_passages(report, section: str) -> list[str]:
    """`passages` of a report.yml (a dict, or a chapter's recording view of it)."""
    path, default = _PASSAGE_LISTS[section]
    # A chapter's edition records what it reads of report.yml (lib/beichen/model/reads.py): the first key is
    # asked of it, the rest are plain values.
    value = report.get(path[0])
    for key in path[1:]:
        value = value.get(key) if isinstance(value, dict) else None
    value = value or default
    names = [value] if isinstance(value, str) else list(value)
    for name in names:
        if not _NAME_OK.match(str(name)):
            raise OutlineError(f"{REPORT_FILE}: {'.'.join(path)} 的段落名“{name}”应由英文字母、数字和下划线组成")
    return names


def project(edition, n: int) -> dict:
    """Key project `n` (from 1) of report.yml `projects`, with its table's number."""
    return project_items(_report(edition))[n - 1]


def ladder_title(edition, n: int) -> str:
    """The title of project `n`'s ladder chart (report.yml `projects[].ladder_chart`)."""
    return project(edition, n)["ladder_chart"]


def before_after_title(edition) -> str:
    """The words before the years in the title of chapter 一's before/after chart
    (report.yml `before_after_title`; “主要成果” when the plan names none)."""
    return str(_report(edition).get("before_after_title") or "主要成果")
