"""The 核查报告's 一、数据核查 (lib/beichen/dossier/audit_section.py): every check with its evidence, long ones as paragraphs."""
from __future__ import annotations

from beichen.audit import checks as audit
from beichen.dossier import audit_section, wording
from _dossier_fixtures import dossier_2024  # noqa: F401  (fixtures)


def test_audit_page_has_every_check_with_its_evidence(dossier_2024):
    page = dossier_2024.audit()
    checks = dossier_2024.checks
    assert audit.summary_sentence(checks) in page
    tabled, stated = audit_section.split_checks(checks)
    for c in tabled:
        assert f"| {c.number} | {c.item} |" in page, c.check_id   # 表1-1 results
    for c in stated:   # the checks of the source's wording: a paragraph each, after 表1-1
        assert wording.nest_quotes(f"**第{c.number}项　{c.item}**（原报告{c.source}）") in page, c.check_id
    # 表1-2: the worked formula and the data rows of, e.g., the in-chain total (nine chains).
    assert "425.1 + 324.4 + 130.6 + 126.7 + 116.4 + 74.8 + 69.2 + 20.1 + 7 = 1294.3" in page
    assert "chains.csv 第2–10行" in page
    assert "（1）" in page and "不一致〕" in page                    # findings, contradictions first


def test_checks_with_long_figures_are_paragraphs_not_table_rows(dossier_2024):
    """表1-1's seven columns hold figures; a check whose stated value, computed value or tolerance
    is longer than 14 characters, or that checks the source's wording, is a paragraph after it."""
    tabled, stated = audit_section.split_checks(dossier_2024.checks)
    assert len(tabled) + len(stated) == len(dossier_2024.checks)
    for c in tabled:
        assert max(len(c.stated_text), len(c.computed_text), len(c.tolerance_text)) <= 14, c.check_id
    by_number = {c.number: c for c in dossier_2024.checks}
    # 表1-1 第17项 (source 一(一)2): 49.8% in 2023, 2.3% in 2024 — its computed text is 27 characters.
    assert by_number[17].category == "占比合理性" and by_number[17] in stated
    assert all(c in stated for c in dossier_2024.checks if c.category in audit_section.STATEMENT_CATEGORIES)


def test_numbers_of_checks_are_named_with_runs_as_ranges():
    class C:
        def __init__(self, number):
            self.number = number
    assert audit_section._numbers([C(n) for n in (17, 18, 32, 44, 45, 46)]) == "17、18、32、44—46"
    assert audit_section._numbers([C(1)]) == "1"


def test_a_check_in_words_is_well_formed_markdown(dossier_2024):
    """Its emphasis is parsed as emphasis (no “**” left as text), its item, place, quotations and
    verdict all printed."""
    from markdown_it import MarkdownIt

    c = next(c for c in dossier_2024.checks if c.number == 44)
    text = audit_section.statement_check(c)
    tokens = MarkdownIt("commonmark").parseInline(text)[0].children
    assert [t.type for t in tokens if t.type != "text" or t.content][:1] == ["strong_open"]
    assert not any("*" in t.content for t in tokens if t.type == "text")
    assert f"第44项　{c.item}" in text and f"原报告{c.source}" in text and text.endswith(f"结论：{c.verdict}。")
