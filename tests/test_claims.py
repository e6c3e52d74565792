"""The claims ledger (lib/beichen/audit/claims.py): statements of the printed text tied to the quantity they
speak of and checked against the edition model. Conflicting claims of each kind are seeded into
hand-made text (or a copy of the data) and must be caught; true statements must not be.

Expected values are the source's figures (section named) or hand calculation, as noted.
"""
from __future__ import annotations

import shutil

import pytest

from beichen.audit import claims
from beichen.audit.edition_text import Block
from beichen.inputs.loading import load_all
from beichen.model.edition import Edition

P1 = "01_targets"


def para(text: str, page: str = P1, section: str = "一、总体／（一）完成情况") -> Block:
    return Block(page, section, "paragraph", text)


def chart(text: str, number: str = "图1-2 对比", page: str = P1) -> Block:
    return Block(page, "一、总体／（三）核心亮点", "chart", text, row="图中文字", table=number)


def cell(text: str, row: str, column: str, table: str = "表1-3 外推", page: str = P1) -> Block:
    return Block(page, "一、总体／（四）补充分析", "table", text, row=row, column=column, table=table)


def findings(edition, blocks):
    return {f.finding_id: f for f in claims.ledger(edition, blocks)[1]}


# --- each kind of claim, seeded ------------------------------------------------------------------

def test_two_increases_of_one_quantity_are_one_finding(edition_2024):
    # 一(一)3 “新增国家级高新技术企业208家”; 图1-2 prints 715 − 442 = 273 (一(二)表: 2024 715家, 2020 442家).
    found = findings(edition_2024, [
        para("规模工业企业R&D经费投入占比2.5%，新增国家级高新技术企业208家，累计达715家。"),
        chart("国家级高新技术企业（家）增加273家为1.6倍"),
    ])
    f = found["claim-increase-hightech_firms"]
    assert "208家" in f.detail and "增加273家" in f.detail and "= 273" in f.detail
    assert "两处表述不一致" in f.title
    assert len(found) == 1  # 715 ÷ 442 = 1.62 → “为1.6倍” holds


def test_a_change_from_the_year_before_is_checked_against_that_year_not_the_base(data_copy):
    # A 2025 figure of 38 智能工厂/数字化车间 (made up); 2024 31个, 2020 10个 (source 一(二)表).
    with (data_copy / "indicator_values.csv").open("a", encoding="utf-8") as f:
        f.write("smart_factories_digital_workshops,2025,actual,38,测试,2025\n")
    edition = Edition(load_all(data_copy), 2025)
    row = ["数字经济", "智能工厂/数字化车间数量", "10个", "20个", "38个"]
    header = ["指标类别", "关键指标", "2020年基数", "2025年目标", "2025年实际"]
    true_row = [cell(t, "数字经济", h, "表1-1 亮点") for t, h in zip(row + ["增加7个"], header + ["较上年"])]
    # 38 − 31 = 7 from the year before; 38 − 10 = 28 since the base year: neither contradicts the other
    assert findings(edition, true_row + [para("智能工厂/数字化车间数量较上年增加7个。"),
                                         chart("智能工厂/数字化车间数量（个）增加28个")]) == {}
    found = findings(edition, [cell(t, "数字经济", h, "表1-1 亮点")
                               for t, h in zip(row + ["增加9个"], header + ["较上年"])])
    f = found["claim-increase-smart_factories_digital_workshops"]
    assert "38个（2025年）− 31个（2024年）= 7" in f.detail, f.detail


def test_doubled_for_three_point_one_times_is_caught_and_a_true_doubling_is_not(edition_2024):
    # 一(一)4 “示范项目数量翻倍”: 31 ÷ 10 = 3.1倍 (一(二)表); 一(一)3 首台（套） 32 ÷ 16 = 2.0倍.
    found = findings(edition_2024, [
        para("示范项目数量翻倍。推动天士力等31家企业获批数字化车间、智能工厂。"),
        para("首台（套）重大技术装备达32个（较2020年的16个翻倍）。"),
    ])
    assert set(found) == {"claim-multiple-smart_factories_digital_workshops"}
    assert "31个 ÷ 10个 = 3.10倍" in found["claim-multiple-smart_factories_digital_workshops"].detail


def test_a_growth_rate_that_the_figures_do_not_give_is_caught(edition_2024):
    # 单项冠军 8 (2020) → 15 (2024): (15 ÷ 8 − 1) × 100% = 87.5%, not 80%.
    found = findings(edition_2024, [para("国家级和市级单项冠军累计15个（较2020年的8个增长80%）。")])
    assert "87.50%" in found["claim-growth-single_champions-since_base"].detail
    assert not findings(edition_2024, [para("国家级和市级单项冠军累计15个（较2020年的8个增长87.5%）。")])


def test_highest_for_what_is_not_the_highest_is_caught(edition_2024):
    # 二(一)2: 信息技术应用创新产业链 27.8% > 生物医药产业链 7.7% (year on year).
    found = findings(edition_2024, [para("生物医药产业链增速最高。")])
    f = found["claim-superlative-biomedicine-growth"]
    assert "信息技术应用创新产业链为27.8" in f.detail
    assert not findings(edition_2024, [para("信息技术应用创新产业链增速最高。")])


def test_largest_growth_within_a_chart_compares_the_charts_quantities(edition_2024):
    # 图1-2: growth since 2020 — 智能工厂 (31 ÷ 10 − 1) = 210%, 高新技术企业 (715 ÷ 442 − 1) = 61.8%.
    blocks = [chart("国家级高新技术企业（家）增加273家为1.6倍"), chart("智能工厂/数字化车间（个）增加21个为3.1倍"),
              chart("与2020年相比，国家级高新技术企业增幅最大（增长61.8%）。")]
    found = findings(edition_2024, blocks)
    assert "claim-superlative-hightech_firms-growth" in found
    blocks[-1] = chart("与2020年相比，智能工厂/数字化车间增幅最大（增长210.0%）。")
    assert not findings(edition_2024, blocks)


def test_growth_said_of_a_decline_is_caught(tmp_path, data_copy):
    # A chain that declined (−5.9%, made up) printed as “同比增长5.9%”.
    path = data_copy / "chains.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("modern_light_industry,现代轻工产业链,超百亿,2024,101,324.4,3.6,",
                                 "modern_light_industry,现代轻工产业链,超百亿,2024,101,324.4,-5.9,"), encoding="utf-8")
    edition = Edition(load_all(data_copy), 2024)
    found = findings(edition, [para("现代轻工产业链，101家在链企业实现产值324.4亿元，同比增长5.9%，占比23.3%。", page="02_industry")])
    assert "同比增长-5.9%" in found["claim-growth-modern_light_industry-yoy"].detail
    assert not findings(edition, [para("现代轻工产业链，101家在链企业实现产值324.4亿元，同比下降5.9%。", page="02_industry")])


def test_a_status_word_the_figures_do_not_support_is_caught(edition_2024):
    # 战略性新兴产业增加值占比 49.8% (2023) of 55%: 90.5% → 接近目标, not 超额完成 (一(二)表).
    found = findings(edition_2024, [para("战略性新兴产业增加值占比49.8%，超额完成“十四五”目标。")])
    assert "为“接近目标”" in found["claim-status-sei_va_share"].detail
    # 国家级/市级绿色工厂 33 of 29: 113.8% → 超额完成 (一(一)5).
    assert not findings(edition_2024, [para("国家级/市级绿色工厂数量33家，超额完成目标。")])
    # A projection's words are not a status: “预计难以达标” asserts nothing reached.
    assert not findings(edition_2024, [cell("预计难以达标", "战略性新兴产业增加值占比", "判断"),
                                       Block("06_appendix", "附录", "paragraph", "外推值仍达不到目标的，为“预计难以达标”。")])


def test_a_forecast_the_page_says_is_no_forecast_is_caught(edition_2024):
    heading = Block(P1, "一／2.2025年目标实现预测", "heading", "2.2025年目标实现预测")
    denial = para("外推结果见表1-3，反映的是现有趋势延续时的数值，并非预测。")
    assert "claim-negated-预测-01_targets" in findings(edition_2024, [heading, denial])
    # Said on another page, or not denied: no finding.
    assert not findings(edition_2024, [heading, para("并非预测。", page="06_appendix")])
    assert not findings(edition_2024, [heading])


def test_a_verdict_word_the_appendix_does_not_define_is_caught(edition_2024):
    appendix = Block("06_appendix", "附录／（二）计算方法", "paragraph", "外推值达到目标的，判断为“预计可达目标”。")
    found = findings(edition_2024, [cell("保持达标", "制造业增加值占GDP比重", "判断"), appendix])
    assert "claim-undefined-保持达标" in found
    defined = Block("06_appendix", "附录", "paragraph", "已达到目标、外推值仍达到目标的，判断为“保持达标”。")
    assert not findings(edition_2024, [cell("保持达标", "制造业增加值占GDP比重", "判断"), defined])


# --- the real text ---------------------------------------------------------------------------------

def test_the_ledger_reads_claims_of_every_kind_from_true_sentences_without_findings(edition_2024):
    """Sentences of the 2024 edition as printed (after the analyst's decisions): claims are read and
    tied to their quantities, and none is a finding."""
    blocks = [
        para("首台（套）重大技术装备达32个（较2020年的16个翻倍），国家级和市级单项冠军累计15个（较2020年的8个增长87.5%）。"),
        para("国家级高新技术企业累计达715家（较2020年的442家增长61.8%）。"),
        para("制造业增加值占比超目标。2024年北辰区规模以上工业总产值达1389.9亿元，制造业增加值303.89亿元，"
             "占全区生产总值比重39.8%，较“十四五”目标（37%）超额2.8个百分点，较“十三五”末（36.6%）提升3.2个百分点。"),
        chart("智能工厂/数字化车间（个）增加21个为3.1倍"),
        para("新材料产业链，作为全区第一大支柱产业，成为产业链条最完备、规模最大的优势产业。", page="02_industry"),
    ]
    read, found = claims.ledger(edition_2024, blocks)
    kinds = {(c.kind, c.quantity) for c in read}
    assert {("multiple", "first_sets"), ("growth", "single_champions"), ("growth", "hightech_firms"),
            ("status", "mfg_va_share_gdp"), ("growth", "mfg_va_share_gdp"), ("increase", "smart_factories_digital_workshops"),
            ("superlative", "new_materials")} <= kinds
    assert found == []


def test_names_of_the_data_and_claims_yml_find_the_subject(edition_2024):
    lexicon = claims.Lexicon(edition_2024)
    found = {q for _, _, q in lexicon.find("国家级高新技术企业数量、示范项目数量、信创产业链、首台（套）重大技术装备")}
    assert found == {"hightech_firms", "smart_factories_digital_workshops", "it_innovation", "first_sets"}


def test_claims_yml_naming_an_unknown_quantity_fails_validation(data_copy):
    from beichen.inputs.loading import DataValidationError

    path = data_copy / "meta" / "claims.yml"
    text = path.read_text(encoding="utf-8").replace("  示范项目数量: smart_factories_digital_workshops",
                                                    "  示范项目数量: no_such_figure")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataValidationError) as err:
        load_all(data_copy)
    assert "claims.yml" in str(err.value) and "no_such_figure" in str(err.value)


# --- seeded into a copy of the text, built ----------------------------------------------------------------

@pytest.mark.build
def test_conflicting_claims_seeded_into_the_text_keep_the_edition_a_draft(tmp_path, data_copy, monkeypatch,
                                                                          warm_staging):
    """Two statements a careful reader would catch, written into a copy of the 2024 text: both are
    findings of the build, listed as open in the 核查报告, and the edition stays a 征求意见稿."""
    from beichen.publish.build import build_report

    # New words in source passages are also departures without a reason (tests/test_departures.py):
    # that check stands aside here, so the build goes on to what the claims ledger makes of them.
    monkeypatch.setattr("beichen.audit.departures.check_edition", lambda *args: None)

    industry = data_copy / "narrative" / "2024" / "02_industry.md"
    industry.write_text(industry.read_text(encoding="utf-8").replace(
        "增速显著，成为培育新动能的重要载体。", "增速显著，其中生物医药产业链增速最高，成为培育新动能的重要载体。"), encoding="utf-8")
    targets = data_copy / "narrative" / "2024" / "01_targets.md"
    targets.write_text(targets.read_text(encoding="utf-8").replace(
        "（较2020年的{{ v_at('single_champions', 2020) }}增长{{ k.champions_growth }}）",
        "（较2020年的{{ v_at('single_champions', 2020) }}增长80%）"), encoding="utf-8")
    build_report(2024, data_copy, data_copy / "narrative", tmp_path / "site", warm_staging,
                 review_dir=tmp_path / "review")
    page = (tmp_path / "review" / "2024" / "claims.html").read_text(encoding="utf-8")
    # 二(一)2: 信息技术应用创新产业链 27.8% > 生物医药 7.7%; 单项冠军 (15 ÷ 8 − 1) × 100% = 87.5%, not 80%.
    assert "生物医药产业链：“增速最高”与数据不符" in page
    assert "国家级和市级制造业单项冠军的增长" in page and "87.50%" in page
    assert page.count("尚未处理") == 2
    assert "征求意见稿" in (tmp_path / "site" / "2024" / "chapters" / "02_industry.html").read_text(encoding="utf-8")
    index = (tmp_path / "review" / "2024" / "index.html").read_text(encoding="utf-8")
    assert "未解决的核查发现2项" in index


@pytest.mark.build
def test_a_checking_report_sentence_the_edition_contradicts_stops_the_build(tmp_path, data_copy, warm_staging):
    """The 核查报告 says only what is true of the built edition: a finding passage claiming a heading
    the edition does not print stops the build, naming the sentence; the published edition stays."""
    from beichen.errors import BuildError
    from beichen.publish.build import build_report

    check = data_copy / "narrative" / "2024" / "check.md"
    check.write_text(check.read_text(encoding="utf-8").replace(
        "远不止“翻倍”。", "远不止“翻倍”。本版第一部分小标题改为“示范项目数量成倍增长”。"), encoding="utf-8")
    with pytest.raises(BuildError) as err:
        build_report(2024, data_copy, data_copy / "narrative", tmp_path / "site", warm_staging,
                     review_dir=tmp_path / "review")
    assert "本版未印“示范项目数量成倍增长”" in str(err.value)
    assert not (tmp_path / "site" / "2024").exists() and not (tmp_path / "review" / "2024").exists()


def test_two_levels_of_one_quantity_are_caught(edition_2024):
    # 一(一)3 “小巨人”企业累计20家 vs 三(三)1 “小巨人”企业19家 (the data holds 19 for the edition).
    found = findings(edition_2024, [para("有效期内的市级专精特新中小企业达184家，“小巨人”企业累计20家。"),
                                    para("市级专精特新企业达184家、“小巨人”企业19家。", page="03_projects")])
    f = found["claim-level-little_giant_firms"]
    assert "累计20家" in f.detail and "两处表述不一致" in f.title
    # A bound holds when the figure is above it: 5G基站 5444个 (三(一)1) is “超5000个”, not “超6000个”.
    assert not findings(edition_2024, [para("建成5G基站超5000个。", page="03_projects")])
    assert "claim-level-base_stations_5g" in findings(edition_2024, [para("建成5G基站超6000个。", page="03_projects")])
