"""Derived figures: checked against the source's printed figures or hand calculation."""
from beichen.model.derived import derived_figures
from beichen.model.edition import Edition


def test_shares_and_sums(edition_2024):
    k = derived_figures(edition_2024)
    # Source 一(一)1: 1294.1 / 1389.9 → 93.1%.
    assert k["in_chain_share"].text == "93.1%"
    # Source 一(一)1 states 480家; hand sum 115+101+16+110+55+49+4+19+11 = 480.
    assert k["in_chain_firms_sum"].text == "480家"
    # Hand sum of the nine outputs: 1294.3 (the source states 1294.1 — see the data audit).
    assert k["in_chain_output_sum"].text == "1294.3亿元"
    # Hand calculation: (425.1+324.4+130.6+126.7+116.4) / 1389.9 = 1123.2 / 1389.9 = 80.8%.
    assert k["over_100_count"].text == "5条"
    assert k["over_100_share"].text == "80.8%"
    # Source 二(三): 新材料、现代轻工 合计 53.9%.
    assert k["top2_share"].text == "53.9%"


def test_growth_and_multiples(edition_2024):
    k = derived_figures(edition_2024)
    assert k["hightech_growth"].text == "61.8%"        # source 一(一)3
    assert k["champions_growth"].text == "87.5%"       # source 一(一)3
    assert k["first_sets_multiple"].text == "翻倍"      # source 一(一)3: 32 vs 16
    assert k["smart_growth"].text == "210.0%"          # source 一(一)4
    assert k["smart_multiple"].text == "3.1倍"          # hand: 31 / 10
    assert k["hightech_avg_increase"].text == "约68家"  # hand: (715 − 442) / 4 = 68.25
    assert k["green_factories_sum"].text == "33家"      # source 一(一)5: 9 + 24
    assert k["im_projects_sum"].text == "29个"          # source 一(一)4: 15 + 9 + 5
    assert k["district_match_ratio"].text == "50%"     # hand: 1474.425 / 2948.85
    assert k["smart_factories_to_go"].text == "9个"     # hand: 40 − 31


def test_missing_inputs_give_missing_not_crash(report_data):
    k = derived_figures(Edition(report_data, 2021))
    assert k["in_chain_share"].text == "暂无数据"
    assert k["in_chain_share"].value is None


def _with_report(report_data, **changes):
    """The data with report.yml keys replaced (a plan's own catalogue)."""
    import dataclasses

    meta = dict(report_data.meta)
    meta["report"] = {**report_data.meta["report"], **changes}
    return dataclasses.replace(report_data, meta=meta)


def test_the_plans_own_derived_figures_come_from_report_yml(report_data):
    # report.yml `derived`: a plan names its own; the chain figures need no entry.
    data = _with_report(report_data, derived={
        "labs_sum": {"op": "sum", "figures": ["national_key_labs", "municipal_key_labs"], "unit": "家"},
        "green_growth": {"op": "growth_since_base", "figure": "green_factories"}})
    k = derived_figures(Edition(data, 2024))
    assert "first_sets_multiple" not in k and "in_chain_share" in k
    # source 三(三)1: 全国重点实验室2家 + 市级重点实验室16家 = 18家
    assert k["labs_sum"].text == "18家"
    # source 一(二)表: 33 green factories in 2024 against a base of 19 in 2020:
    # hand (33 ÷ 19 − 1) × 100 = 73.68… → 73.7%
    assert k["green_growth"].text == "73.7%"


def test_an_unknown_derived_rule_is_refused_in_chinese(report_data):
    import pytest

    from beichen.model.derived import DerivedRuleError

    data = _with_report(report_data, derived={"x": {"op": "median", "figure": "first_sets"}})
    with pytest.raises(DerivedRuleError, match="derived.x: op “median” 不是可用的计算"):
        derived_figures(Edition(data, 2024))


def test_no_scale_output_no_chain_share(report_data):
    # Without report.yml scale_output the chain shares have nothing to divide by: missing, not a crash.
    data = _with_report(report_data, scale_output=None)
    k = derived_figures(Edition(data, 2024))
    assert k["in_chain_share"].text == "暂无数据" and k["in_chain_firms_sum"].text == "480家"


def test_the_class_of_large_chains_is_the_plans(report_data):
    from beichen.model.derived import large_chains

    # 十四五: report.yml large_chains {min_output: 100, name: 超百亿元产业链} — 二(一)1's five chains
    assert large_chains(Edition(report_data, 2024)) == (100.0, "超百亿元产业链")
    # a plan naming none has no such class: its figures missing, the chain sums still computed
    data = _with_report(report_data, large_chains=None)
    k = derived_figures(Edition(data, 2024))
    assert large_chains(Edition(data, 2024)) is None
    assert k["over_100_count"].text == "暂无数据" and k["in_chain_output_sum"].text == "1294.3亿元"
    # another threshold: chains with output ≥ 300亿元 in 2024 are 新材料 425.1 and 现代轻工 324.4 (二(一)1)
    data = _with_report(report_data, large_chains={"min_output": 300, "name": "超三百亿元产业链"})
    assert derived_figures(Edition(data, 2024))["over_100_count"].text == "2条"
