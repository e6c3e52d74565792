"""Issue 23: plans side by side — make new-plan, which plan a year belongs to, the first year of a plan,
checks that know the plan, and the landing page grouped by plan.

Everything is written under tmp_path: a made-up repository root with data/ (a copy of the 十四五 plan)
and plans/2026-2030/ made by new_plan from templates/plan/, filled with a made-up 十五五 catalogue:

| indicator (made up)      | dimension | core  | base 2025 | target 2030 |
|--------------------------|-----------|-------|-----------|-------------|
| gazelle_firms 瞪羚企业数量 | 创新驱动   | true  | 40 家      | 80 家        |
| green_share 绿色工厂占比   | 绿色低碳   | false | 10 %       | 20 %         |

one chain (smart_chain 智能装备产业链, base-year row 2025: 12家, 30.5亿元) and one statistic
(robot_firms 机器人企业, 2025: 20家); every row entered beforehand has edition 2025 (the base year).
"""
import hashlib
import json
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from beichen.errors import BuildError
from beichen.inputs import newplan, plans, validate
from beichen.publish.new_year import new_year
from beichen.inputs.loading import DataValidationError, load_all
from beichen.paths import DATA_DIR
from beichen.site import landing as editions

INDICATORS = """indicator_id,dimension,name,unit,direction,core,decimals,note
gazelle_firms,创新驱动,瞪羚企业数量,家,higher,true,0,
green_share,绿色低碳,绿色工厂占比,%,higher,false,1,
"""
VALUES = """indicator_id,year,kind,value,source,edition
gazelle_firms,2025,base,40,规划表1,2025
gazelle_firms,2030,target,80,规划表1,2025
green_share,2025,base,10,规划表1,2025
green_share,2030,target,20,规划表1,2025
"""
CHAINS = """chain_id,name,group,year,enterprises,output_100m_yuan,yoy_growth_pct,stated_share_pct,source,edition
smart_chain,智能装备产业链,新兴,2025,12,30.5,,,区工信局,2025
"""
METRICS = """metric_id,name,unit,decimals,year,period,value,kind,source,qualifier,indicator_id,note,edition
robot_firms,机器人企业,家,0,2025,2025,20,actual,区工信局,,,,2025
"""
REPORT = """lead_chains: [smart_chain]
key_indicators: [gazelle_firms]
before_after: []
ladder: []
recommendation_targets: []
snapshot: {table: [], chart: []}
"""


@pytest.fixture
def root(tmp_path) -> Path:
    """A repository root holding data/ (the 十四五 plan) and nothing else yet."""
    shutil.copytree(DATA_DIR, tmp_path / "data")
    return tmp_path


def _new_plan(root: Path) -> Path:
    return newplan.new_plan("2026-2030", "十五五", root=root, log=lambda *_: None)


@pytest.fixture
def plan_15(root) -> Path:
    """plans/2026-2030/ made by new_plan and filled with the made-up catalogue above."""
    folder = _new_plan(root)
    plan_yml = folder / "meta" / "plan.yml"
    text = plan_yml.read_text(encoding="utf-8")
    plan_yml.write_text(text.replace("dimensions: [质量效益, 结构调整, 智能创新, 数字经济, 绿色发展]",
                                     "dimensions: [创新驱动, 绿色低碳]"), encoding="utf-8")
    for name, content in (("indicators.csv", INDICATORS), ("indicator_values.csv", VALUES),
                          ("chains.csv", CHAINS), ("metrics.csv", METRICS)):
        (folder / name).write_text(content, encoding="utf-8")
    (folder / "meta" / "report.yml").write_text(REPORT, encoding="utf-8")
    return folder


# --- make new-plan ---------------------------------------------------------------------------

def test_new_plan_creates_its_folder_from_the_template_and_refuses_a_second_time(root):
    before = {p: p.read_bytes() for p in (root / "data").rglob("*") if p.is_file()}
    folder = _new_plan(root)
    assert folder == root / "plans" / "2026-2030"
    plan = load_plan_yml(folder)
    # base = first year − 1 = 2025; the previous plan is the one whose target year is 2025: data/'s 十四五
    assert (plan["name"], plan["previous_name"], plan["base_year"], plan["target_year"]) == ("十五五", "十四五", 2025, 2030)
    assert plan["report_title"] == "北辰区工业经济“十五五”规划后评估报告"   # 十四五's title, renamed
    assert plan["author"] == "天津市北辰区"
    for name in ("indicators.csv", "indicator_values.csv", "metrics.csv", "chains.csv", "editions.csv",
                 "revisions.csv", "unpublished.csv", "meta/audit.yml", "README.md", "narrative/README.md"):
        assert (folder / name).is_file(), name
    assert (folder / "indicators.csv").read_text(encoding="utf-8").count("\n") == 1   # header only
    assert (folder / "entry").is_dir()
    written = (folder / "meta" / "plan.yml").read_bytes()
    with pytest.raises(BuildError, match="plans/2026-2030/ 已存在，未做任何改动"):
        _new_plan(root)
    assert (folder / "meta" / "plan.yml").read_bytes() == written
    assert {p: p.read_bytes() for p in (root / "data").rglob("*") if p.is_file()} == before   # data/ untouched


def test_new_plan_refuses_years_of_another_plan_and_a_bad_folder_name(root):
    with pytest.raises(BuildError, match="与已有的规划重叠"):   # 2025 is 十四五's final edition
        newplan.new_plan("2025-2029", "新规划", root=root, log=lambda *_: None)
    with pytest.raises(BuildError, match="应为“首年-目标年”"):
        newplan.new_plan("2026", "十五五", root=root, log=lambda *_: None)
    assert not (root / "plans" / "2025-2029").exists()


def load_plan_yml(folder: Path) -> dict:
    import yaml
    return yaml.safe_load((folder / "meta" / "plan.yml").read_text(encoding="utf-8"))


# --- which plan a year belongs to ----------------------------------------------------------------

def test_discovery_picks_data_for_2024_and_the_new_plan_for_2026(plan_15, root):
    assert plans.folder_for_year(2024, root).path == root / "data"
    assert plans.folder_for_year(2021, root).name == "data"          # 十四五: 2021–2025
    assert plans.folder_for_year(2026, root).path == plan_15         # 十五五: 2026–2030
    assert plans.folder_for_year(2030, root).name == "2026-2030"
    with pytest.raises(BuildError, match="没有评估2031年的规划"):
        plans.folder_for_year(2031, root)
    assert plans.folder_for_year(2026, root, plan="2026-2030").path == plan_15
    with pytest.raises(BuildError, match="不评估2024年"):
        plans.folder_for_year(2024, root, plan="2026-2030")
    with pytest.raises(BuildError, match="没有名为“2031-2035”的规划文件夹"):
        plans.folder_for_year(2031, root, plan="2031-2035")


def test_two_plans_evaluating_one_year_are_refused(plan_15, root):
    other = root / "plans" / "2025-2029"
    shutil.copytree(plan_15, other)
    plan_yml = other / "meta" / "plan.yml"
    plan_yml.write_text(plan_yml.read_text(encoding="utf-8").replace("base_year: 2025", "base_year: 2024")
                        .replace("target_year: 2030", "target_year: 2029"), encoding="utf-8")
    with pytest.raises(BuildError, match="2026年同时属于两个规划"):
        plans.folder_for_year(2026, root)


def test_a_build_of_another_plans_year_reads_that_plans_folder(plan_15, root):
    """make site YEARS="2024 2026" hands data/ to every build: 2026 is read from plans/2026-2030/."""
    assert plans.resolve_data_dir(2026, root / "data") == (plan_15, plan_15 / "narrative")
    assert plans.resolve_data_dir(2024, root / "data") == (root / "data", root / "data" / "narrative")


# --- the first year of a plan --------------------------------------------------------------------

def _chapter(folder: Path) -> Path:
    """A made-up chapter template: a heading with a title passage, a passage, and a family over indicators."""
    folder.mkdir()
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["## （一）完成情况{{ title_completion }}"]},
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
         "source": ["ch.say(ch.passage(\"intro\"))"]},
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
         "source": ["merits = {i.indicator_id: ch.passage(f\"merit_{i.indicator_id}\") for i in core}"]},
    ]
    (folder / "01_targets.ipynb").write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4,
                                                         "nbformat_minor": 5}), encoding="utf-8")
    return folder


def test_first_year_writes_the_plans_own_entry_sheet_and_stubs(plan_15, tmp_path):
    chapters = _chapter(tmp_path / "chapters")
    result = new_year(2026, plan_15, plan_15 / "narrative", log=lambda *_: None, chapters_dir=chapters)
    rows = result["rows"]
    # 2 indicators + 1 chain × 3 figures (firms, output, growth) + 1 statistic = 6 rows, nothing of 十四五
    assert [(r["标识"], r["类型"]) for r in rows] == [
        ("gazelle_firms", "actual"), ("green_share", "actual"),
        ("smart_chain", "enterprises"), ("smart_chain", "output_100m_yuan"), ("smart_chain", "yoy_growth_pct"),
        ("robot_firms", "actual")]
    assert {r["年份"] for r in rows} == {"2026"}
    # the base-year rows, 2025 = 2026 − 1: an indicator's base (40家), the chain's firms (12), the statistic (20)
    assert [rows[i]["上年数值"] for i in (0, 1, 2, 5)] == ["40", "10", "12", "20"]
    assert (plan_15 / "entry" / "2026.csv").exists()
    assert not (root_data(plan_15) / "entry" / "2026.csv").exists()
    stub = (plan_15 / "narrative" / "2026" / "01_targets.md").read_text(encoding="utf-8")
    # the template's passages: its title, intro, and merit_<id> of the one core indicator (gazelle_firms)
    assert [line.split(": ")[1].rstrip(" ->") for line in stub.splitlines() if line.startswith("<!-- passage:")] == [
        "title_completion", "intro", "merit_gazelle_firms"]
    assert stub.count("<!-- 待更新") == 3 and "参考｜" not in stub and "“十五五”规划的第一年" in stub
    assert result["previous_year"] is None


def root_data(plan_folder: Path) -> Path:
    return plan_folder.parent.parent / "data"


def test_first_year_stubs_show_pending_until_written(plan_15, tmp_path):
    from beichen.model.edition import Edition
    from beichen.render.narrative import PENDING, Narrative

    new_year(2026, plan_15, plan_15 / "narrative", log=lambda *_: None, chapters_dir=_chapter(tmp_path / "c"))
    text = Narrative(Edition(load_all(plan_15), 2026), "01_targets", plan_15 / "narrative")
    assert PENDING in text.render("intro")


# --- checks that know the plan -------------------------------------------------------------------

def test_a_base_row_of_another_year_is_refused_with_file_and_row(plan_15, root, capsys):
    values = plan_15 / "indicator_values.csv"
    # line 4 of the file (header = line 1): green_share's base, typed as 十四五's base year 2020
    values.write_text(VALUES.replace("green_share,2025,base", "green_share,2020,base"), encoding="utf-8")
    with pytest.raises(DataValidationError) as err:
        load_all(plan_15)
    assert any(p.startswith("indicator_values.csv: 第4行, 列 year: 值 2020") and "base_year 2025" in p
               for p in err.value.problems)
    assert validate.main(["--root", str(root), "--plan", "2026-2030"]) == 1
    out = capsys.readouterr().out
    assert "第4行" in out and "Traceback" not in out


def test_a_target_row_of_another_year_is_refused(plan_15):
    (plan_15 / "indicator_values.csv").write_text(VALUES.replace("gazelle_firms,2030,target", "gazelle_firms,2025,target"),
                                                  encoding="utf-8")
    with pytest.raises(DataValidationError) as err:
        load_all(plan_15)
    assert any("第3行, 列 year: 值 2025" in p and "target_year 2030" in p for p in err.value.problems)


def test_an_unknown_id_under_any_key_of_report_yml_is_refused(plan_15):
    (plan_15 / "meta" / "report.yml").write_text(
        REPORT + "projects:\n  - {name: 数智工程, key: digital, figures: [robot_firms, no_such_figure]}\n",
        encoding="utf-8")
    with pytest.raises(DataValidationError) as err:
        load_all(plan_15)
    assert [p for p in err.value.problems if "no_such_figure" in p] == [
        "meta/report.yml: projects 第1项.figures 第2项: “no_such_figure” 不是本规划的评价指标或统计数字"
        "（不在 indicators.csv 的 indicator_id 或 metrics.csv 的 metric_id 中）；改正：改为其中已有的标识，"
        "或先在该数据文件中加入这一项"]


def test_make_validate_checks_every_plan(plan_15, root, capsys):
    assert validate.main(["--root", str(root)]) == 0
    out = capsys.readouterr().out
    assert "data/: 数据校验通过" in out and "plans/2026-2030/: 数据校验通过: indicators 2" in out


# --- the landing page, plans side by side --------------------------------------------------------

def _fake_edition(site: Path, year: int, title: str) -> None:
    folder = site / str(year)
    (folder / "_static").mkdir(parents=True)
    (folder / "index.html").write_text(f"<html>{year}</html>", encoding="utf-8")
    (folder / "edition.json").write_text(json.dumps({"year": year, "label": f"{year}年版", "title": title},
                                                    ensure_ascii=False), encoding="utf-8")


def _digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in folder.rglob("*") if p.is_file()}


def test_landing_page_groups_editions_by_plan_newest_plan_first(plan_15, root):
    site = root / "site"
    old_title, new_title = "北辰区工业经济“十四五”规划后评估报告", "北辰区工业经济“十五五”规划后评估报告"
    for year in (2024, 2025):
        _fake_edition(site, year, old_title)
    editions.refresh_site(site, root / "data")
    before = _digests(site / "2024")
    _fake_edition(site, 2026, new_title)
    index = editions.refresh_site(site, root / "data")
    soup = BeautifulSoup(index.read_text(encoding="utf-8"), "html.parser")
    groups = [(s.h2.get_text(), s.select_one("p.period").get_text(), [h.get_text() for h in s.select("li.edition h3")])
              for s in soup.select("section.plan")]
    assert groups == [(new_title, "“十五五”规划 · 2026—2030年", ["2026年版"]),
                      (old_title, "“十四五”规划 · 2021—2025年", ["2025年版", "2024年版"])]
    assert soup.h1.get_text() == "天津市北辰区规划评估报告"   # no one plan's title over both
    # the switcher spans the plans; an earlier edition changes in its switcher list only
    switcher = json.loads((site / "2024" / "_static" / "switcher.json").read_text(encoding="utf-8"))
    assert [e["version"] for e in switcher] == ["2026", "2025", "2024"]
    after = _digests(site / "2024")
    assert {k for k in before if before[k] != after.get(k)} == {"_static/switcher.json"}


def test_landing_page_of_one_plan_has_no_plan_groups(root):
    site = root / "site"
    _fake_edition(site, 2024, "北辰区工业经济“十四五”规划后评估报告")
    soup = BeautifulSoup(editions.refresh_site(site, root / "data").read_text(encoding="utf-8"), "html.parser")
    assert not soup.select("section.plan")
    assert soup.h1.get_text() == "北辰区工业经济“十四五”规划后评估报告"
    assert [h.get_text() for h in soup.select("li.edition h2")] == ["2024年版"]


def test_a_plan_without_chains_or_projects_has_neither_chapter(plan_15):
    """The made-up plan above lists no key project; with its one chain removed it has no chains either:
    chapters 二 and 三 are left out of its report, each with the reason, not printed empty."""
    from beichen.publish import build

    (plan_15 / "chains.csv").write_text(CHAINS.splitlines()[0] + "\n", encoding="utf-8")
    (plan_15 / "meta" / "report.yml").write_text(REPORT.replace("[smart_chain]", "[]"), encoding="utf-8")
    left_out = build.chapters_left_out(load_all(plan_15))
    assert sorted(left_out) == ["chapters/02_industry", "chapters/03_projects"]
    assert "产业链" in left_out["chapters/02_industry"] and "重点工程" in left_out["chapters/03_projects"]


def test_the_14th_plan_keeps_every_chapter(report_data):
    from beichen.publish import build

    assert build.chapters_left_out(report_data) == {}


def test_a_later_plans_lock_and_import_backups_live_in_the_checkout_not_in_plans(tmp_path):
    # one lock per checkout: builds of different plans write the same site/ and build/
    from beichen.lock import lock_path
    from beichen.paths import checkout_of

    later = tmp_path / "plans" / "2026-2030"
    later.mkdir(parents=True)
    (tmp_path / "data").mkdir()
    assert checkout_of(later) == checkout_of(tmp_path / "data") == tmp_path.resolve()
    assert lock_path(later) == lock_path(tmp_path / "data")
    assert lock_path(later).parent == tmp_path.resolve()


def test_an_audit_rule_naming_no_figure_of_the_plan_is_refused_at_load(data_copy):
    # meta/audit.yml metric_rules are checked with the other catalogue ids, before any chapter runs
    from beichen.inputs.loading import DataValidationError, load_all

    path = data_copy / "meta" / "audit.yml"
    text = path.read_text(encoding="utf-8")
    assert "metric_rules:" in text
    path.write_text(text.replace("metric_rules:", "metric_rules:\n  no_such_figure: {rule: total, parts: []}", 1),
                    encoding="utf-8")
    with pytest.raises(DataValidationError) as info:
        load_all(data_copy)
    assert "metric_rules.no_such_figure" in str(info.value) and "metrics.csv" in str(info.value)
