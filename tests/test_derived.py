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
