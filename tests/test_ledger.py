"""Findings and resolutions (lib/beichen/audit/findings.py, lib/beichen/audit/ledger.py): the analyst's decisions are
data, the edition follows them, and a decision the edition does not follow stops the build."""
from __future__ import annotations

import json

import pytest
import yaml

from beichen.audit import ledger
from beichen.audit.edition_text import read_book
from beichen.audit.findings import Finding, ResolutionError, load_resolutions, resolve
from beichen.inputs.loading import load_all
from beichen.model.edition import Edition


def _write_resolutions(data_dir, entries):
    (data_dir / "meta" / "resolutions.yml").write_text(
        yaml.safe_dump({"resolutions": entries}, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _book(tmp_path, paragraphs: list[str], heading: str = "# 一、总体"):
    """A staged book of one chapter: a heading cell and one output per paragraph (as papermill leaves it)."""
    book = tmp_path / "book"
    (book / "chapters").mkdir(parents=True)
    (book / "_config.yml").write_text(yaml.safe_dump({"parse": {"myst_substitutions": {"t": "小标题"}}}), encoding="utf-8")
    (book / "_toc.yml").write_text(yaml.safe_dump({"format": "jb-book", "root": "chapters/01_targets"}), encoding="utf-8")
    cells = [{"cell_type": "markdown", "metadata": {}, "source": heading}]
    cells += [{"cell_type": "code", "metadata": {}, "source": "", "outputs": [
        {"output_type": "display_data", "metadata": {}, "data": {"text/markdown": p, "text/plain": "<Markdown>"}}]}
        for p in paragraphs]
    (book / "chapters" / "01_targets.ipynb").write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4,
                                                                    "nbformat_minor": 5}), encoding="utf-8")
    return book


def test_the_committed_resolutions_load(report_data):
    from beichen.paths import DATA_DIR

    found = load_resolutions(DATA_DIR, 2024)
    assert found["audit-smart_factories-doubled-claim"].replacement == "示范项目数量大幅增长"
    assert load_resolutions(DATA_DIR, 2023) == {}  # a decision never reaches back to an earlier edition
    assert load_resolutions(DATA_DIR, 2031, carry=False) == {}  # decisions belong to their edition…
    later = load_resolutions(DATA_DIR, 2025)     # …and are carried to a later one until it decides anew
    assert set(later) == set(found)
    assert all(r.carried and r.edition == 2024 for r in later.values())
    assert later["audit-smart_factories-doubled-claim"].summary.startswith("沿用2024年版的决定，改写：")


def test_a_later_editions_own_decision_replaces_the_carried_one(tmp_path):
    (tmp_path / "meta").mkdir()
    (tmp_path / "meta" / "resolutions.yml").write_text(
        "resolutions:\n"
        "  - {finding: f1, edition: 2024, action: remove, text: 甲, reason: 理由一}\n"
        "  - {finding: f1, edition: 2025, action: keep, note: 待核实, reason: 理由二}\n"
        "  - {finding: f2, edition: 2024, action: remove, text: 乙, reason: 理由三}\n", encoding="utf-8")
    found = load_resolutions(tmp_path, 2026)
    assert (found["f1"].edition, found["f1"].action, found["f1"].carried) == (2025, "keep", True)
    own = load_resolutions(tmp_path, 2025)
    assert (own["f1"].carried, own["f2"].carried) == (False, True)
    # a carried decision whose finding is gone is not reported as stale; an own one is
    from beichen.audit.findings import resolve
    _, stale = resolve([], own)
    assert [r.finding for r in stale] == ["f1"]


@pytest.mark.parametrize("entry, message", [
    ({"finding": "x", "edition": 2024, "action": "replace", "text": "a"}, "缺少“reason”"),
    ({"finding": "x", "edition": 2024, "action": "rewrite", "reason": "r"}, "action 值 “rewrite” 无效"),
    ({"finding": "x", "edition": 2024, "action": "replace", "text": "a", "reason": "r"}, "须填“with”"),
    ({"finding": "x", "edition": 2024, "action": "keep", "reason": "r"}, "须填“note”"),
    ({"finding": "x", "edition": "二〇二四", "action": "keep", "note": "n", "reason": "r"}, "应为年份"),
])
def test_a_malformed_decision_is_refused_naming_file_entry_and_field(data_copy, entry, message):
    _write_resolutions(data_copy, [entry])
    with pytest.raises(ResolutionError) as err:
        load_resolutions(data_copy, 2024)
    assert "data/meta/resolutions.yml: 第1条（第2行）" in str(err.value) and message in str(err.value)


def test_two_decisions_about_one_finding_are_refused(data_copy):
    entry = {"finding": "x", "edition": 2024, "action": "keep", "note": "n", "reason": "r"}
    _write_resolutions(data_copy, [entry, entry])
    with pytest.raises(ResolutionError, match="重复"):
        load_resolutions(data_copy, 2024)


def test_a_finding_without_a_decision_is_open_and_a_decision_without_a_finding_is_stale(data_copy):
    _write_resolutions(data_copy, [{"finding": "b", "edition": 2024, "action": "keep", "note": "n", "reason": "r"},
                                   {"finding": "gone", "edition": 2024, "action": "keep", "note": "n", "reason": "r"}])
    found, stale = resolve([Finding("a", "k", "t", "d"), Finding("b", "k", "t", "d")], load_resolutions(data_copy, 2024))
    assert [f.finding_id for f in found if f.open] == ["a"]
    assert [r.finding for r in stale] == ["gone"]


def test_the_book_follows_replace_remove_and_keep_once(tmp_path):
    book = _book(tmp_path, ["**示范项目数量翻倍**。推动31家企业获批。", "我区制造业增加值不高，且亩均产出不高。",
                            "新增国家级高新技术企业208家，累计达715家。"])
    resolutions = [ledger.Resolution("f1", 2024, "replace", "r", "示范项目数量翻倍", "示范项目数量大幅增长"),
                   ledger.Resolution("f2", 2024, "keep", "r", "我区制造业增加值不高", note="指总量"),
                   ledger.Resolution("f3", 2024, "remove", "r", "新增国家级高新技术企业208家，")]
    done = ledger.apply_resolutions(book, resolutions)
    assert done == {"f1": 1, "f2": 1, "f3": 1}
    text = "\n".join(b.text for b in read_book(book))
    assert "示范项目数量大幅增长。推动31家企业获批。" in text and "翻倍" not in text
    assert text.count("（注：指总量）") == 1 and "累计达715家" in text and "208" not in text
    # Applied again (a rebuild over the same staged text): the note is not added twice.
    ledger.apply_resolutions(book, resolutions)
    assert "\n".join(b.text for b in read_book(book)).count("（注：指总量）") == 1


def test_a_decision_the_edition_cannot_follow_stops_the_build_naming_its_line(tmp_path, data_copy):
    _write_resolutions(data_copy, [{"finding": "audit-smart_factories-doubled-claim", "edition": 2024,
                                    "action": "replace", "text": "示范项目数量成倍", "with": "示范项目数量大幅增长",
                                    "reason": "r"}])
    book = _book(tmp_path, ["**示范项目数量翻倍**。推动天士力等31家企业获批数字化车间、智能工厂。"])
    edition = Edition(load_all(data_copy), 2024)
    with pytest.raises(ResolutionError) as err:
        ledger.review_book(edition, data_copy, book)
    assert "第2行（audit-smart_factories-doubled-claim）" in str(err.value) and "示范项目数量成倍" in str(err.value)


def test_the_audits_finding_and_the_texts_claim_about_it_are_one_finding(tmp_path, data_copy):
    """一(一)4 “翻倍”: the audit's check of the source and the ledger's reading of the edition's heading
    are one contradiction, listed once; resolved, the edition prints the decided words."""
    _write_resolutions(data_copy, [])
    book = _book(tmp_path, ["**示范项目数量翻倍**。推动天士力等31家企业获批数字化车间、智能工厂。"])
    edition = Edition(load_all(data_copy), 2024)
    review = ledger.review_book(edition, data_copy, book)
    ids = [f.finding_id for f in review.findings]
    assert "audit-smart_factories-doubled-claim" in ids and "claim-multiple-smart_factories_digital_workshops" not in ids
    merged = next(f for f in review.findings if f.finding_id == "audit-smart_factories-doubled-claim")
    assert "本版" in merged.detail and merged.open
    # The 2024 decisions, all of them: every finding resolved, the heading rewritten, nothing stale.
    from beichen.paths import DATA_DIR
    (data_copy / "meta" / "resolutions.yml").write_bytes((DATA_DIR / "meta" / "resolutions.yml").read_bytes())
    book = _book(tmp_path / "again", ["**示范项目数量翻倍**。推动天士力等31家企业获批数字化车间、智能工厂。"])
    with pytest.raises(ResolutionError):  # the other decisions' words are not in this one-paragraph book
        ledger.review_book(edition, data_copy, book)


def test_what_the_checking_report_says_of_the_edition_is_checked_against_its_printed_text():
    printed = "4.数字经济：智能制造与场景应用双突破\n示范项目数量大幅增长。推动31家企业获批。"
    # True, with the edition's words quoted: nothing to report.
    assert ledger.false_statements("本版小标题印作“示范项目数量大幅增长”。", printed) == []
    # The examples: a heading said to be changed that the edition still prints otherwise, and
    # a statement about the edition with nothing to check it by.
    wrong = ledger.false_statements("本版小标题改为“示范项目数量翻倍以上”。", printed)
    assert wrong == ["“本版小标题改为“示范项目数量翻倍以上”。”：本版未印“示范项目数量翻倍以上”"]
    vague = ledger.false_statements("本版在正文第一部分注明原文数字。", printed)
    assert vague and "无法核对" in vague[0]
    # Sentences about the source alone are not the edition's.
    assert ledger.false_statements("原报告一(一)4称示范项目数量翻倍。", printed) == []


def test_every_2024_finding_of_the_audit_has_a_decision_and_none_without_them(report_data, data_copy):
    """The 14 不一致 of the 2024 audit (tests/test_audit.py EXPECTED_MISMATCHES) are all decided in
    data/meta/resolutions.yml; without the file every one of them is open (a 征求意见稿)."""
    from beichen.paths import DATA_DIR

    edition = Edition(report_data, 2024)
    found, stale = ledger.edition_findings(edition, DATA_DIR)
    assert len(found) == 14 and not [f.finding_id for f in found if f.open] and stale == []
    (data_copy / "meta" / "resolutions.yml").unlink()
    found, _ = ledger.edition_findings(Edition(load_all(data_copy), 2024), data_copy)
    assert len([f for f in found if f.open]) == 14
