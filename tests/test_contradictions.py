"""The classes of contradiction beyond recomputed figures (lib/beichen/audit/contradictions.py): each is
caught in the source's data, and a contradiction seeded into a copy of the data is caught too.

Expected values are hand calculations from the source's figures (section named in each test).
"""
from __future__ import annotations

import pytest
import yaml

from beichen.audit import checks as audit
from beichen.inputs.loading import DataValidationError, load_all
from beichen.model.edition import Edition
from beichen.paths import DATA_DIR, NARRATIVE_DIR
from beichen.dossier.document import Dossier
from tests.test_audit import SOURCE


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not found in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _audit(data_dir, year=2024):
    return {c.check_id: c for c in audit.run_audit(Edition(load_all(data_dir), year))}


def _registry(data_dir):
    path = data_dir / "meta" / "audit.yml"
    return path, yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def real():
    return _audit(DATA_DIR)


# --- the source's own contradictions -------------------------------------------------------------------

def test_stated_increase_against_levels(real):
    # 一(一)3: “新增国家级高新技术企业208家，累计达715家（较2020年的442家增长61.8%）”: 715 − 442 = 273 ≠ 208.
    c = real["hightech_firms-increase"]
    assert c.verdict == audit.MISMATCH and c.computed == 273
    assert c.formula == "715 − 442 = 273（原报告新增208）"
    # “新增…企业技术中心4家，累计84家”: no base stated → 无法核查, not 一致.
    assert real["enterprise_tech_centers-increase"].verdict == audit.UNCHECKABLE


def test_implausible_shares(real):
    # 一(一)2 “战略性新兴产业增加值占比2.3%” against 一(二)表 49.8%（2023）: 47.5 points in one year.
    sei = real["sei_va_share_in_text-plausible"]
    assert sei.verdict == audit.MISMATCH and sei.computed == pytest.approx(47.5)
    # 一(一)2 高技术产业（制造业）1.1% against 医药制造 alone: (69.2 + 20.1) ÷ 1389.9 = 6.42%.
    ht = real["hightech_mfg_va_share-plausible"]
    assert ht.verdict == audit.MISMATCH and round(ht.computed, 2) == 6.42


def test_chapter_four_problems_against_chapter_one(real):
    # 四(一)2 “制造业增加值不高” vs 一(一)1 超目标: 39.8 ÷ 37 = 107.6% → the data bears 一 out.
    assert real["mfg_va-tension"].verdict == audit.MISMATCH
    # 四(一)3 “缺乏集成能力较强的解决方案服务商” does not contradict 一(一)4 “系统解决方案供应商（5）”:
    # five approved providers say nothing of their integration capability — no false alarm.
    assert "solution_providers-tension" not in real
    # 四(一)2 “比重不够大” vs 一(一)2 “双达标”: 49.8 ÷ 55 = 90.5%, not reached: the problem stands.
    assert real["sei_hightech-tension"].verdict == audit.OK


def test_chains_named_outside_the_nine(real):
    for check_id in ("robot-chain", "machine_tool-chain", "robot_growth-chain"):
        assert real[check_id].verdict == audit.MISMATCH
        assert real[check_id].computed_text == "不在9条产业链之中"
    assert real["xinchuang-chain"].verdict == audit.OK   # 信创 = 信息技术应用创新产业链


def test_exceeded_without_a_target_is_uncheckable(real):
    assert real["projects-exceeded"].verdict == audit.UNCHECKABLE
    green = real["green_transition-exceeded"]
    assert green.verdict == audit.UNCHECKABLE and "国家级/市级绿色工厂数量完成度113.8%" in green.computed_text


def test_new_registry_entries_quote_the_source_verbatim():
    if not SOURCE.exists():
        pytest.skip(f"source report not found at {SOURCE}")
    source = SOURCE.read_text(encoding="utf-8")
    _, raw = _registry(DATA_DIR)
    words = [e["words"] for key in ("increases", "plausible_shares", "named_chains", "exceeded_claims")
             for e in raw[key]]
    words += [e[side]["words"] for e in raw["tensions"] for side in ("problem", "achievement")]
    words += [q["words"] for e in raw["text_tensions"] for q in e["quotes"]]
    # 2 increases, 2 shares, 4 chains, 2 claims, 2 tensions × 2, text tensions 3 + 4 + 3 quotes
    assert len(words) == 24
    for w in words:
        assert w in source, w
    for e in raw["named_chains"]:   # the chain named is in the quoted words (short form before 产业链)
        assert e["chain"].removesuffix("产业链") in e["words"], e


# --- contradictions seeded into a copy of the data -------------------------------------------------------

def test_seeded_increase_is_caught(data_copy):
    # Make 一(一)3 consistent (新增 = 715 − 442 = 273), then seed a base that breaks it (715 − 452 = 263).
    _edit(data_copy / "metrics.csv", "new_hightech_firms,新增国家级高新技术企业,家,0,2024,2024,208,",
          "new_hightech_firms,新增国家级高新技术企业,家,0,2024,2024,273,")
    assert _audit(data_copy)["hightech_firms-increase"].verdict == audit.OK
    _edit(data_copy / "indicator_values.csv", "hightech_firms,2020,base,442,", "hightech_firms,2020,base,452,")
    assert _audit(data_copy)["hightech_firms-increase"].verdict == audit.MISMATCH


def test_seeded_implausible_share_is_caught(data_copy):
    metrics = data_copy / "metrics.csv"
    _edit(metrics, "sei_va_share_in_text,战略性新兴产业增加值占比（正文所载）,%,1,2024,2024,2.3,",
          "sei_va_share_in_text,战略性新兴产业增加值占比（正文所载）,%,1,2024,2024,51.0,")
    _edit(data_copy / "indicator_values.csv", "hightech_mfg_va_share,2024,actual,1.1,",
          "hightech_mfg_va_share,2024,actual,7,")
    checks = _audit(data_copy)
    assert checks["sei_va_share_in_text-plausible"].verdict == audit.OK      # |51 − 49.8| = 1.2 ≤ 5
    assert checks["hightech_mfg_va_share-plausible"].verdict == audit.OK     # 7 ≥ 6.42
    _edit(metrics, ",2024,2024,51.0,", ",2024,2024,30.0,")                  # |30 − 49.8| = 19.8 > 5
    _edit(data_copy / "indicator_values.csv", "hightech_mfg_va_share,2024,actual,7,",
          "hightech_mfg_va_share,2024,actual,6.4,")                         # 6.4 < 6.42
    checks = _audit(data_copy)
    assert checks["sei_va_share_in_text-plausible"].verdict == audit.MISMATCH
    assert checks["hightech_mfg_va_share-plausible"].verdict == audit.MISMATCH


def test_seeded_achievement_contradicts_chapter_four(data_copy):
    # 战略性新兴产业 reaches its target (56 ≥ 55): “比重不够大” now contradicts “双达标” and the data;
    # 制造业 falls short (36.9 < 37): “制造业增加值不高” no longer contradicts the data.
    _edit(data_copy / "indicator_values.csv", "sei_va_share,2023,actual,49.8,", "sei_va_share,2023,actual,56,")
    _edit(data_copy / "indicator_values.csv", "mfg_va_share_gdp,2024,actual,39.8,",
          "mfg_va_share_gdp,2024,actual,36.9,")
    checks = _audit(data_copy)
    assert checks["sei_hightech-tension"].verdict == audit.MISMATCH
    assert checks["mfg_va-tension"].verdict == audit.OK


def test_seeded_unknown_chain_is_caught(data_copy):
    _edit(data_copy / "chains.csv", "it_innovation,信息技术应用创新产业链,", "it_innovation,信息技术产业链,")
    assert _audit(data_copy)["xinchuang-chain"].verdict == audit.MISMATCH


def test_seeded_exceeded_claims(data_copy):
    path, raw = _registry(data_copy)
    raw["exceeded_claims"].append({"id": "seeded-exceeded", "item": "绿色工厂超额完成", "source": "一(一)5",
                                   "subjects": [{"indicator": "green_factories"}], "words": "超额完成“十四五”目标",
                                   "edition": 2024})
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    assert _audit(data_copy)["seeded-exceeded"].verdict == audit.OK         # 33 ÷ 29 = 113.8%
    values = data_copy / "indicator_values.csv"
    _edit(values, "green_factories,2024,actual,33,", "green_factories,2024,actual,28,")
    assert _audit(data_copy)["seeded-exceeded"].verdict == audit.MISMATCH   # 28 ÷ 29 = 96.6%
    _edit(values, "green_factories,2025,target,29,一(二)表,2024\n", "")
    assert _audit(data_copy)["seeded-exceeded"].verdict == audit.UNCHECKABLE  # no target: not 一致


def test_registry_names_unknown_figures_as_data_errors(data_copy):
    path, raw = _registry(data_copy)
    raw["increases"][0]["level"] = {"indicator": "no_such_indicator"}
    raw["tensions"][0]["holds"] = "maybe"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DataValidationError) as err:
        load_all(data_copy)
    text = str(err.value)
    assert "increases 第1项" in text and "no_such_indicator" in text
    assert "tensions 第1项" in text and "maybe" in text


def test_dossier_lists_every_seeded_contradiction(data_copy):
    """The 核查报告's audit lists the seeded contradictions (its pages, without a book build)."""
    _edit(data_copy / "indicator_values.csv", "sei_va_share,2023,actual,49.8,", "sei_va_share,2023,actual,56,")
    _edit(data_copy / "chains.csv", "it_innovation,信息技术应用创新产业链,", "it_innovation,信息技术产业链,")
    _edit(data_copy / "indicator_values.csv", "hightech_firms,2020,base,442,", "hightech_firms,2020,base,452,")
    dossier = Dossier(load_all(data_copy), 2024, data_copy, NARRATIVE_DIR, {}, "2025年11月")
    page = dossier.audit()
    by_id = {c.check_id: c for c in dossier.checks}
    for check_id in ("sei_hightech-tension", "xinchuang-chain", "hightech_firms-increase"):
        c = by_id[check_id]
        assert c.verdict == audit.MISMATCH
        # a check of wording, or with a figure too long for 表1-1's columns: a paragraph after the table
        assert f"**第{c.number}项　" in page and f"〔表1-1后第{c.number}项：不一致〕" in page
