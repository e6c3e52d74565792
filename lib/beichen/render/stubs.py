"""The narrative stubs of a plan's first year: with no earlier text to copy, each chapter's file holds
one empty passage per passage its template asks for, each opening with the 待更新 line and saying where
in the report it stands (`make new-year`, lib/beichen/publish/new_year.py).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from beichen.errors import BuildError
from beichen.inputs.loading import ReportData
from beichen.paths import CHAPTERS_DIR
from beichen.render.narrative import passage_label
from beichen.render.outline import expand_notebook, is_template

FIRST_STUB_LINE = ("<!-- 待更新：请按{year}年的情况撰写本段，写好后删去本行。{year}年是{plan}规划的第一年，没有上一年的文字可参考；"
                   "本段在报告中的位置：{place}。数字一律用双花括号占位符，不要手填（见本规划 narrative/README.md）。"
                   "本段写好之前，报告中显示“本年度文字待补充”。 -->")
# A passage call of a chapter template: passage("intro"), passage(f"merit_{i.indicator_id}").
PASSAGE_CALL = re.compile(r"passage\(\s*(f?)\"([^\"]*)\"")
TITLE_KEY = re.compile(r"\{\{\s*(title_\w+)\s*\}\}")
FAMILY = re.compile(r"\{([^}]*)\}")


def _family_ids(expression: str, data: ReportData) -> list[str] | None:
    """The ids an f-string passage family runs over, judged by what its placeholder names:
    an indicator family (merit_{i.indicator_id}) over the plan's core indicators, a chain family
    (chain_{chain_id}) over the chains meta/report.yml gives their own passage (lead_chains), else
    every chain of the plan. None for a family the catalogue cannot tell."""
    if "indicator" in expression:
        core = data.indicators[data.indicators["core"]]
        return list(core["indicator_id"])
    if "chain" in expression:
        lead = data.meta["report"].get("lead_chains")
        return list(lead) if lead else list(dict.fromkeys(data.chains["chain_id"]))
    return None


def _report_passages(source: str, report: dict) -> list[str]:
    """Passages meta/report.yml names for a chapter that reads the key naming them: values under keys
    ending in “passages” (dimension_passages, recommendation_passages), the sections of risks_chapter,
    and <key>_results / <key>_review of each key project."""
    names: list[str] = []

    def texts(value) -> list[str]:
        if isinstance(value, str):
            return [value]
        if isinstance(value, dict):
            return [t for v in value.values() for t in texts(v)]
        if isinstance(value, list):
            return [t for v in value for t in texts(v)]
        return []

    for key, value in report.items():
        if key not in source:
            continue
        if key.endswith("passages") or key.endswith("_chapter"):
            names += texts(value)
        if key == "projects" and isinstance(value, list):
            for project in value:
                if isinstance(project, dict) and project.get("key"):
                    names += [f"{project['key']}_results", f"{project['key']}_review"]
    return names


def chapter_passages(notebook: Path, data: ReportData) -> list[str]:
    """The passages a chapter template asks for in an edition of this plan, in the template's order:
    its literal passage("…") calls and {{ title_… }} headings, each f-string family expanded over
    the plan's catalogue, and the passages meta/report.yml names for it. Nothing of an earlier year."""
    template = json.loads(notebook.read_text(encoding="utf-8"))
    try:   # the template as the build runs it for this plan: one section per dimension, project … (issue 23)
        if is_template(template):
            template = expand_notebook(template, data)
    except ValueError as err:   # OutlineError: report.yml cannot fill the template; says which key
        raise BuildError(str(err)) from None
    cells = template.get("cells", [])
    source = "\n".join("".join(cell.get("source", [])) for cell in cells)
    names: list[str] = []
    headings = data.meta["report"].get("headings") or {}
    for cell in cells:
        text = "".join(cell.get("source", []))
        if cell.get("cell_type") == "markdown":
            names += TITLE_KEY.findall(text)
            continue
        names += [k for k in TITLE_KEY.findall(text) if k in headings]
        for fstring, name in PASSAGE_CALL.findall(text):
            if not fstring:
                names.append(name)
                continue
            ids = _family_ids(" ".join(FAMILY.findall(name)), data)
            if ids is not None:
                names += [FAMILY.sub(ident, name) for ident in ids]
    names += _report_passages(source, data.meta["report"])
    return list(dict.fromkeys(names))


def first_year_stubs(data: ReportData, target: Path, year: int, chapters_dir: Path = CHAPTERS_DIR) -> list[Path]:
    """Stubs of the first year of a plan: for each chapter the plan's report has (meta/report.yml
    `chapters`, else every template), one empty passage per passage the template asks for, each
    opening with the 待更新 line and saying where in the report it stands. Needs no earlier text."""
    wanted = data.meta["report"].get("chapters")
    notebooks = sorted(Path(chapters_dir).glob("*.ipynb"))
    if wanted:
        notebooks = [n for n in notebooks if n.stem in wanted]
    target.mkdir(parents=True)
    written = []
    for notebook in notebooks:
        names = chapter_passages(notebook, data)
        if not names:
            continue
        parts = []
        for name in names:
            try:
                place = passage_label(notebook.stem, name, chapters_dir=chapters_dir)
            except Exception:  # a label is a courtesy: the stub is written without it
                place = notebook.stem
            parts.append(f"<!-- passage: {name} -->\n" + FIRST_STUB_LINE.format(year=year, plan=data.plan.quoted,
                                                                             place=place) + "\n")
        out = target / f"{notebook.stem}.md"
        out.write_text("\n".join(parts), encoding="utf-8")
        written.append(out)
    return written
