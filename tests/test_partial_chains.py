"""Issue 22: 2025 figures entered for one chain of nine (新材料, a decline: 400.0亿元, −5.9%; MADE-UP,
tests/fixtures/final-year/scenario.py). Every chain shows its latest year, labelled when older; sums,
shares, counts and rankings are of one year, said when it is not the edition's; words follow the sign."""
from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pandas as pd
import pytest

from beichen.inputs.loading import load_all
from beichen.model.derived import derived_figures
from beichen.model.edition import Edition
from beichen.paths import DATA_DIR
from beichen.render import chart_data, sentences, tables
from beichen.render.narrative import PENDING, Narrative

SCENARIO_FILE = Path(__file__).parent / "fixtures" / "final-year" / "scenario.py"
_spec = importlib.util.spec_from_file_location("final_year_scenario_chains", SCENARIO_FILE)
scenario = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(scenario)

OTHER_CHAINS = ["现代轻工产业链", "新能源产业链", "高端装备制造产业链", "汽车与新能源汽车产业链",
                "绿色石化产业链", "中医药产业链", "生物医药产业链", "信息技术应用创新产业链"]


def _scenario_data(root: Path) -> Path:
    """A copy of data/ with the scenario's 2025 entries imported (no revision row)."""
    data = root / "data"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("entry", ".import-work"))
    shutil.rmtree(data / "narrative" / "2025", ignore_errors=True)
    scenario.prepare(data, revise=False)
    return data


@pytest.fixture(scope="module")
def scenario_dir(tmp_path_factory) -> Path:
    return _scenario_data(tmp_path_factory.mktemp("partial-chains"))


@pytest.fixture(scope="module")
def data(scenario_dir):
    return load_all(scenario_dir)


@pytest.fixture
def ed(data) -> Edition:
    return Edition(data, 2025)


def test_every_chain_shows_its_latest_year(ed):
    chains = ed.chains()
    assert len(chains) == 9
    years = dict(zip(chains["name"], chains["year"]))
    assert years["新材料产业链"] == 2025 and all(years[n] == 2024 for n in OTHER_CHAINS)
    new = chains[chains["chain_id"] == "new_materials"].iloc[0]
    assert (new["output_100m_yuan"], new["yoy_growth_pct"]) == (400.0, -5.9)
    assert ed.chains_years() == [2025, 2024]
    # 2024 is the latest year all nine chains have: sums and rankings are of 2024
    assert ed.chains_common_year() == 2024
    assert ed.chain_total("output_100m_yuan").year == 2024


def test_sums_shares_and_counts_are_of_one_year_and_say_which(ed):
    k = derived_figures(ed)
    # 2024 rows: 425.1 + 324.4 + 130.6 + 126.7 + 116.4 = 1123.2 over 100亿元; 1123.2 / 1389.9 = 80.8%
    assert k["over_100_count"].value == 5 and k["over_100_count"].text == "5条（2024年）"
    assert k["over_100_share"].value == pytest.approx(80.81, abs=0.01)
    assert k["over_100_share"].text == "80.8%（2024年）"
    # top two of 2024: (425.1 + 324.4) / 1389.9 = 749.5 / 1389.9 = 53.9%
    assert k["top2_share"].text == "53.9%（2024年）"
    # stated 1294.1 (2024) agrees with the 2024 rows' sum 1294.3 within 9 × 0.05: printed as stated;
    # 1294.1 / 1389.9 = 93.1%
    assert k["in_chain_output"].text == "1294.1亿元（2024年）"
    assert k["in_chain_share"].text == "93.1%（2024年）"
    # 115 + 101 + 16 + 110 + 55 + 49 + 4 + 19 + 11 = 480 firms (2024), not 118 (新材料 2025 alone)
    assert k["in_chain_firms_sum"].text == "480家（2024年）"
    # the plan's nine chains: structural, no year
    assert k["chains_count"].text == "9条" and not k["chains_count"].stale
    # 400.0 / 1389.9 = 28.8% would divide a 2025 output by the 2024 total
    assert not any("28.8%" in f.text for f in k.values())


def test_a_chains_share_is_of_its_own_years_total(ed):
    chains = ed.chains()
    row = {c: chains[chains["chain_id"] == c].iloc[0] for c in ("new_materials", "modern_light_industry")}
    # no 2025 规模以上工业总产值 in the scenario: no share for 新材料 2025
    assert ed.chain_share(row["new_materials"]).missing
    # 324.4 / 1389.9 = 23.3% (both 2024), labelled as of 2024
    share = ed.chain_share(row["modern_light_industry"])
    assert share.value == pytest.approx(23.34, abs=0.01) and share.text == "23.3%（2024年）"


def test_table_2_1_lists_nine_chains_with_their_years(ed):
    table = tables.chains_table(ed)
    assert len(table) == 9 and "年份" in table.columns
    row = table[table["产业链"] == "新材料产业链"].iloc[0]
    # the output as stated, as the text writes it (“400亿元”, below; issue 24: the source's “7亿元” was 7.0 in 表2-1)
    assert (row["年份"], row["产值（亿元）"], row["同比增速"], row["占规上工业总产值"]) == ("2025年", "400", "-5.9%", "暂无数据")
    assert set(table.loc[table["产业链"] != "新材料产业链", "年份"]) == {"2024年"}
    assert tables.chains_table_align(table) == "lccrrrr"
    assert sentences.chains_caption(ed, "{n}条产业链发展情况") == "9条产业链发展情况（2025年1条、2024年8条）"


def test_chain_charts_label_older_chains_and_rank_within_one_year(ed):
    frame, takeaway, combined = chart_data.chains(ed)
    assert len(frame) == 9
    assert combined is None   # the chart shows two years: its note would pass 2024's share off as the chart's
    assert "28.8%" not in takeaway and "1条超百亿元" not in takeaway
    assert takeaway == ("2024年5条超百亿元产业链合计占规上工业总产值的80.8%，新材料、现代轻工两条产业链合计占53.9%；"
                        "2025年已录入1条产业链（新材料产业链）的数据，其余8条为2024年数。")
    growth, takeaway = chart_data.chain_growth(ed)
    # growth stated: 新材料 −5.9 (2025); 现代轻工 3.6, 汽车 3.4, 生物医药 7.7, 信创 27.8 (2024)
    assert dict(zip(growth["name"], growth["note"]))["现代轻工产业链"] == "2024年"
    assert takeaway == ("2025年新材料产业链同比下降5.9%；"
                        "2024年公布增速的4条产业链均保持增长，信息技术应用创新产业链增速最高（增长27.8%）。")
    assert sentences.chains_caption(ed, "部分产业链产值同比增速", growth) == "部分产业链产值同比增速（2025年1条、2024年4条）"


def test_summary_and_key_figures_name_the_year_of_the_chain_totals(ed):
    line = [b for b in sentences.summary_findings(ed).splitlines() if "**产业链**" in b][0]
    assert line == ("- **产业链**：2024年480家在链企业完成工业产值1294.1亿元，占规上工业总产值的93.1%；"
                    "5条超百亿元产业链合计占80.8%；2025年已录入1条产业链（新材料产业链）的数据，其余8条为2024年数。")
    key = tables.key_figures_table(ed, derived_figures(ed)).set_index("指标")
    assert key.loc["在链企业产值占规上工业总产值比重", "对照"] == "2024年480家在链企业"
    assert tuple(key.loc["超百亿元产业链产值占比"]) == ("80.8%（2024年）", "2024年5条产业链")


@pytest.mark.parametrize("rates, expected", [
    ([3.6, 27.8], "公布增速的2条产业链均保持增长，B增速最高（增长27.8%）"),
    ([-1.2, -5.9], "公布增速的2条产业链均有所下降，A降幅最小（下降1.2%）"),
    ([-5.9, 3.6, 0.0], "公布增速的3条产业链中1条增长、1条下降、1条持平，B增速最高（增长3.6%）"),
    ([-5.9], "A同比下降5.9%"),
])
def test_growth_words_follow_the_sign(rates, expected):
    frame = pd.DataFrame({"name": list("ABC")[:len(rates)], "yoy_growth_pct": rates})
    assert sentences.growth_group(frame) == expected


def test_passages_chain_figures_and_counts_in_a_phrase(tmp_path, ed):
    folder = tmp_path / "2025"
    folder.mkdir()
    (folder / "99_test.md").write_text(
        "<!-- passage: own -->\n{{ c('new_materials').output }}，同比{{ c('new_materials').growth }}，"
        "{{ c('new_materials').change }}，占比{{ c('new_materials').share }}\n"
        "<!-- passage: older -->\n{{ c('modern_light_industry').output }}，同比增长{{ c('modern_light_industry').growth }}，"
        "占比{{ c('modern_light_industry').share }}\n"
        "<!-- passage: copied -->\n新材料产业链产值同比增长{{ c('new_materials').growth }}\n"
        "<!-- passage: structural -->\n聚焦{{ k.chains_count }}产业链\n"
        "<!-- passage: over -->\n已培育形成{{ k.over_100_count }}超百亿元产业链\n", encoding="utf-8")
    n = Narrative(ed, "99_test", tmp_path)
    # 新材料 2025: a decline says so; no 2025 total, so no share
    assert n.render("own") == "400亿元，同比下降5.9%，下降5.9%，占比暂无数据"
    # 2024's words (“同比增长{{ … }}”) over 2025's decline: the rising verb goes, not “同比增长下降5.9%”
    assert n.render("copied") == "新材料产业链产值同比下降5.9%"
    # 现代轻工 2024 in the 2025 edition: labelled; 324.4 / 1389.9 = 23.3% of the same year
    assert n.render("older") == "324.4亿元（2024年），同比增长3.6%，占比23.3%（2024年）"
    # the plan's number of chains has no year; the 2024 over-100 count cannot stand in a 2025 phrase
    assert n.render("structural") == "聚焦9条产业链"
    assert PENDING in n.render("over")
    assert any("超百亿元产业链条数仍为2024年" in p for p in n.pending)


def test_a_revised_row_makes_the_printed_total_the_tables_sum(tmp_path):
    data_dir = _scenario_data(tmp_path)
    # data/README's route for a revision: a row of year 2024 entered for edition 2025 (425.1 → 426.5)
    with (data_dir / "chains.csv").open("a", encoding="utf-8") as f:
        f.write("new_materials,新材料产业链,超百亿,2024,115,426.5,,,区统计局,2025\n")
    data = load_all(data_dir)
    k = derived_figures(Edition(data, 2025))
    # 2024 rows with the revision: 1294.3 − 425.1 + 426.5 = 1295.7, not the source's 1294.1
    assert k["in_chain_output"].text == "1295.7亿元（2024年）"
    # 1295.7 / 1389.9 = 93.2%
    assert k["in_chain_share"].text == "93.2%（2024年）"
    # the 2024 edition keeps the source's figure
    k2024 = derived_figures(Edition(data, 2024))
    assert (k2024["in_chain_output"].text, k2024["in_chain_share"].text) == ("1294.1亿元", "93.1%")


def test_the_2024_edition_reads_as_before(data):
    ed = Edition(data, 2024)
    k = derived_figures(ed)
    assert [k[n].text for n in ("in_chain_output", "in_chain_share", "over_100_count", "over_100_share", "top2_share")] \
        == ["1294.1亿元", "93.1%", "5条", "80.8%", "53.9%"]
    table = tables.chains_table(ed)
    assert "年份" not in table.columns and tables.chains_table_align(table) == "lcrrrr"
    assert sentences.chains_caption(ed, "{n}条产业链发展情况") == "2024年9条产业链发展情况"
    line = [b for b in sentences.summary_findings(ed).splitlines() if "**产业链**" in b][0]
    assert line == "- **产业链**：480家在链企业完成工业产值1294.1亿元，占规上工业总产值的93.1%；5条超百亿元产业链合计占80.8%。"
    _, takeaway = chart_data.chain_growth(ed)
    assert takeaway == "公布增速的4条产业链均保持增长，信息技术应用创新产业链增速最高（增长27.8%）。"


def test_the_chain_download_rows_share_of_the_same_year(ed):
    from beichen.render import appendix

    rows = {r["产业链"]: r for r in appendix.chain_rows(ed)}
    assert len(rows) == 9
    # 新材料 2025 without a 2025 total: no share (not 400.0 / 1389.9 = 28.8)
    assert (rows["新材料产业链"]["年份"], rows["新材料产业链"]["占规上工业总产值比重（%）"]) == (2025, None)
    # 现代轻工 2024: 324.4 / 1389.9 = 23.3
    assert (rows["现代轻工产业链"]["年份"], rows["现代轻工产业链"]["占规上工业总产值比重（%）"]) == (2024, 23.3)


def test_the_download_readme_says_which_years_the_chains_are(ed, data):
    from beichen.render import appendix

    line = [l for l in appendix.readme_text(ed).splitlines() if l.startswith("产业链.csv")][0]
    assert line.startswith("产业链.csv：各产业链最近一年（2025年1条、2024年8条，见“年份”列）")
    assert "同一年规上工业总产值" in line
    line_2024 = [l for l in appendix.readme_text(Edition(data, 2024)).splitlines() if l.startswith("产业链.csv")][0]
    assert line_2024 == ("产业链.csv：2024年各产业链的企业数（家）、产值（亿元）、同比增长（%，报告未载的为空）"
                         "和产值占规上工业总产值的比重（%）。")
