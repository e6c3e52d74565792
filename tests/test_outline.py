"""lib/beichen/render/outline.py: chapter templates expanded from the plan's catalogue (issue 23)."""
from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from beichen.render import outline

ROOT = Path(__file__).resolve().parents[1]


def _sources(cells):
    return ["".join(c["source"]) if isinstance(c["source"], list) else c["source"] for c in cells]


def _template(name):
    return json.loads((ROOT / "chapters" / f"{name}.ipynb").read_text(encoding="utf-8"))


def test_chapter_one_of_the_2024_plan_keeps_its_five_headings(report_data):
    # The 十四五 plan's five dimensions (data/meta/plan.yml) with their passages (report.yml
    # dimension_passages): the headings the 2024 edition printed from its literal cells, in the source's
    # order 一(一)1–5.
    cells = outline.expand_notebook(_template("01_targets"), report_data)["cells"]
    headings = [s for s in _sources(cells) if s.startswith("### ") and "title_" in s and "序时" not in s]
    assert headings == ["### 1.质量效益{{ title_quality }}", "### 2.结构调整{{ title_structure }}",
                        "### 3.智能创新{{ title_innovation }}", "### 4.数字经济{{ title_digital }}",
                        "### 5.绿色发展{{ title_green }}"]
    assert 'ch.say(ch.passage("green"))' in _sources(cells)
    assert not any("beichen" in c.get("metadata", {}) for c in cells)


def test_a_plan_gets_a_heading_for_each_of_its_own_dimensions_only():
    group = [
        {"cell_type": "markdown", "id": "h", "metadata": {"beichen": {"each": "dimension"}},
         "source": "### <<n>>.<<name>>{{ title_<<passage>> }}"},
        {"cell_type": "code", "id": "c", "metadata": {"beichen": {"each": "dimension"}}, "outputs": [],
         "execution_count": None, "source": 'ch.say(ch.passage("<<passage>>"))'},
    ]
    plan = SimpleNamespace(dimensions=("开放合作", "数字经济"))
    cells = outline.expand_cells(group, plan, {"dimension_passages": {"数字经济": "digital"}}, has_chains=False)
    # 开放合作 has no passage named in report.yml: dimension_1 (its place in plan.yml, from 1).
    assert _sources(cells) == ["### 1.开放合作{{ title_dimension_1 }}", 'ch.say(ch.passage("dimension_1"))',
                               "### 2.数字经济{{ title_digital }}", 'ch.say(ch.passage("digital"))']
    assert [c["id"] for c in cells] == ["h-1", "c-1", "h-2", "c-2"]   # unique ids for nbformat 4.5


def test_a_dimension_name_is_escaped_for_myst():
    cell = {"cell_type": "markdown", "id": "h", "metadata": {"beichen": {"each": "dimension"}},
            "source": "### <<n>>.<<name>>"}
    cells = outline.expand_cells([cell], SimpleNamespace(dimensions=("*开放*合作",)), {}, has_chains=False)
    assert _sources(cells) == ["### 1.\\*开放\\*合作"]


def test_projects_number_their_tables_among_those_that_have_one():
    report = {"projects": [
        {"name": "“5G+工业互联网”建设工程", "key": "fiveg", "figures": ["base_stations_5g"]},
        {"name": "“政产学研用”创新发展工程", "key": "collab"},
        {"name": "企业梯度培育工程", "key": "ladder", "figures": ["tech_smes"], "ladder_chart": "企业梯度培育双路径"}]}
    items = outline.project_items(report)
    # 2024 edition: 表3-1 is the first project's, 表3-2 the third's (the second has none).
    assert [i["table_n"] for i in items] == [1, None, 2]
    assert [i["numeral"] for i in items] == ["一", "二", "三"]
    group = [
        {"cell_type": "markdown", "id": "a", "metadata": {"beichen": {"each": "project"}},
         "source": "## （<<numeral>>）<<name>>"},
        {"cell_type": "code", "id": "b", "metadata": {"beichen": {"each": "project", "when": "figures"}},
         "source": "ch.table(*tables.project_results_table(ed, <<n>>))"},
        {"cell_type": "code", "id": "c", "metadata": {"beichen": {"each": "project", "when": "ladder_chart"}},
         "source": "ladder(<<n>>)"},
    ]
    cells = outline.expand_cells(group, SimpleNamespace(dimensions=()), report, has_chains=True)
    assert _sources(cells) == ["## （一）“5G+工业互联网”建设工程", "ch.table(*tables.project_results_table(ed, 1))",
                               "## （二）“政产学研用”创新发展工程",
                               "## （三）企业梯度培育工程", "ch.table(*tables.project_results_table(ed, 3))",
                               "ladder(3)"]


def test_cells_the_plan_does_not_need_are_dropped():
    cells = [{"cell_type": "code", "id": "s", "metadata": {"beichen": {"needs": "snapshot"}}, "source": "snap"},
             {"cell_type": "code", "id": "l", "metadata": {"beichen": {"needs": "lead_chains"}}, "source": "lead"},
             {"cell_type": "code", "id": "k", "metadata": {}, "source": "kept"}]
    plan = SimpleNamespace(dimensions=())
    assert _sources(outline.expand_cells(cells, plan, {"snapshot": {"table": [], "chart": []}}, False)) == ["kept"]
    report = {"snapshot": {"table": ["x_jan_oct"]}, "lead_chains": ["c1"]}
    assert _sources(outline.expand_cells(cells, plan, report, True)) == ["snap", "lead", "kept"]


def test_a_project_without_name_or_key_is_refused_in_chinese():
    with pytest.raises(outline.OutlineError, match="projects 第1项 应有 name（标题）和 key"):
        outline.project_items({"projects": [{"name": "数智赋能工程"}]})
    with pytest.raises(outline.OutlineError, match="key“数智”应由英文字母"):
        outline.project_items({"projects": [{"name": "数智赋能工程", "key": "数智"}]})


def test_a_project_figure_not_in_the_data_is_refused(report_data):
    import dataclasses

    meta = dict(report_data.meta)
    meta["report"] = {**report_data.meta["report"], "projects": [{"name": "测试工程", "key": "t", "figures": ["no_such"]}]}
    with pytest.raises(outline.OutlineError, match="“no_such”不是 metrics.csv 的 metric_id"):
        outline.check_projects(dataclasses.replace(report_data, meta=meta))


def test_section_passages_default_when_the_plan_lists_none():
    assert outline.section_passages({}, "problems") == ["problems"]
    assert outline.section_passages({}, "risks") == ["risks"]
    assert outline.section_passages({}, "recommendations") == ["recommendations"]
    report = {"risks_chapter": {"problems": ["a", "b"]}, "recommendation_passages": ["synergy"]}
    assert outline.section_passages(report, "problems") == ["a", "b"]
    assert outline.section_passages(report, "opportunities") == ["opportunities"]
    assert outline.section_passages(report, "recommendations") == ["synergy"]


def test_a_template_without_outline_metadata_runs_as_it_is(tmp_path, report_data):
    template = ROOT / "chapters" / "00_summary.ipynb"
    assert outline.runnable_template(template, tmp_path, report_data) == template
    expanded = outline.runnable_template(ROOT / "chapters" / "01_targets.ipynb", tmp_path, report_data)
    assert expanded.parent == tmp_path and "title_green" in expanded.read_text(encoding="utf-8")


def test_title_keys_are_those_of_the_expanded_templates(report_data):
    keys = outline.title_keys([ROOT / "chapters" / "01_targets.ipynb"], report_data)
    assert {"title_completion", "title_quality", "title_green"} <= keys


def test_a_section_named_by_a_heading_of_report_yml_only_when_named():
    cells = [{"cell_type": "markdown", "id": "f", "metadata": {"beichen": {"needs": "heading:title_featured_chains"}},
              "source": "### 2.{{ title_featured_chains }}"}]
    plan = SimpleNamespace(dimensions=())
    assert outline.expand_cells(cells, plan, {"headings": {"title_lead_chains": "先导产业链"}}, True) == []
    kept = outline.expand_cells(cells, plan, {"headings": {"title_featured_chains": "特色产业链"}}, True)
    assert _sources(kept) == ["### 2.{{ title_featured_chains }}"]


def test_a_plan_without_chains_or_projects_has_no_such_chapter(report_data):
    import dataclasses

    industry, projects = _template("02_industry"), _template("03_projects")
    assert outline.chapter_needed(industry, report_data) == "" == outline.chapter_needed(projects, report_data)
    no_chains = dataclasses.replace(report_data, chains=report_data.chains.iloc[0:0])
    assert outline.chapter_needed(industry, no_chains) == "本规划没有产业链（chains.csv 无数据行），不设此章"
    meta = dict(report_data.meta)
    meta["report"] = {**report_data.meta["report"], "projects": []}
    assert "重点工程" in outline.chapter_needed(projects, dataclasses.replace(report_data, meta=meta))
    # the chapter's own mark does not reach the notebook the build runs
    assert "beichen" not in outline.expand_notebook(industry, report_data)["metadata"]


def test_chapter_two_sections_after_the_chains_are_the_plans_own(report_data):
    # 2024 (data/meta/report.yml industry_sections): the source's 二(二) and 二(三), as its literal cells printed
    cells = outline.expand_notebook(_template("02_industry"), report_data)["cells"]
    sections = [s for s in _sources(cells) if s.startswith("## （")]
    assert sections == ["## （一）核心产业链发展态势", "## （二）新兴产业与新赛道布局", "## （三）产业发展成效与亮点"]
    assert 'ch.say(ch.passage("results"))' in _sources(cells)
    # a plan naming none has the chains' section only; one naming its own gets its own words, numbered on
    assert outline.industry_section_items({}) == []
    own = outline.industry_section_items({"industry_sections": [{"name": "新动能培育", "passage": "emerging"}]})
    assert [(i["numeral"], i["name"], i["passage"]) for i in own] == [("二", "新动能培育", "emerging")]
    with pytest.raises(outline.OutlineError, match="industry_sections 第1项"):
        outline.industry_section_items({"industry_sections": [{"name": "缺段落名"}]})


def test_chapter_five_of_the_2024_plan_has_a_section_per_recommendation(report_data):
    """Issue 25: chapter 五 had no heading, so the site showed no 本页目录. Its four recommendations
    (report.yml recommendation_passages, in the source's order 五1–4) each get a section headed by
    the year's words."""
    cells = outline.expand_notebook(_template("05_recommendations"), report_data)["cells"]
    headings = [s for s in _sources(cells) if s.startswith("## ")]
    assert headings == ["## 1.{{ title_recommendation_synergy }}", "## 2.{{ title_recommendation_innovation }}",
                        "## 3.{{ title_recommendation_chains }}", "## 4.{{ title_recommendation_ecosystem }}"]
    sources = _sources(cells)
    # each passage right under its heading
    at = sources.index("## 2.{{ title_recommendation_innovation }}")
    assert 'ch.say(ch.passage("innovation"))' in sources[at + 1]
    assert outline.recommendation_title_keys(report_data.meta["report"]) == [
        "title_recommendation_synergy", "title_recommendation_innovation", "title_recommendation_chains",
        "title_recommendation_ecosystem"]
    assert {"title_recommendation_synergy"} <= outline.title_keys([ROOT / "chapters" / "05_recommendations.ipynb"],
                                                                  report_data)


def test_a_plan_that_lists_no_recommendations_has_one_passage_and_no_heading():
    cells = outline.expand_cells(_template("05_recommendations")["cells"], SimpleNamespace(dimensions=()), {},
                                 has_chains=False)
    sources = _sources(cells)
    assert not any(s.startswith("## ") for s in sources)
    assert any('ch.say(ch.passage("recommendations"))' in s for s in sources)
    assert not any("{{ title_recommendation" in s for s in sources)
    assert outline.recommendation_title_keys({}) == []
