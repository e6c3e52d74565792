"""The 核查报告's 二、与原报告及上年版的差异 (lib/beichen/dossier/departures_section.py)."""
from __future__ import annotations

from beichen.audit import checks as audit
from beichen.paths import DATA_DIR, NARRATIVE_DIR
from beichen.dossier import departures_section, wording
from beichen.dossier import document as dz
from _dossier_fixtures import dossier_2024, final_year_dossier  # noqa: F401  (fixtures)


def test_departures_are_listed_with_reasons(dossier_2024):
    """Without a built text the page lists the entries as declared, and says they were not compared;
    the build's departures (tests/test_departures.py) are listed by kind under their reasons."""
    page = dossier_2024.departures_page()
    import yaml
    raw = yaml.safe_load((DATA_DIR / "meta" / "departures.yml").read_text(encoding="utf-8"))["departures"]
    entries = [e for e in raw if e["edition"] == 2024]
    assert dossier_2024.departures == entries and len(entries) >= 2   # every entry of the edition
    assert "本版未与原报告逐段比对" in page and "条说明（未与正文比对）" in dossier_2024.index()
    for entry in entries:
        assert wording._esc(entry["reason"]) in page
    assert "本版为规划期首个评估版本，无上年版" in page


def test_found_departures_are_listed_by_kind_with_their_reasons(report_data, tmp_path):
    from beichen.audit import departures as dp
    from tests.test_departures import EDITION, SPLIT, edited, make_book, make_data

    chapters = edited(**{"01_targets": ("增长110%", "增长110.0%")})
    book = make_book(tmp_path / "book", chapters)
    data = make_data(tmp_path / "data", SPLIT + "  - edition: 2024\n    kind: reformatted\n    rule: one-decimal\n"
                                                "    reason: 印到一位小数。\n")
    check = dz.Dossier(report_data, 2024, DATA_DIR, NARRATIVE_DIR, {"missing": [], "pending": []}, "2025年11月",
                       found=dp.check(book, data, 2024))
    page = check.departures_page()
    assert "共有差异3处：改变格式3处" in page and "### 1. 改变格式（3处）" in page
    assert "印到一位小数。" in page and "原报告一(一)1（第7行）" in page and "〔110.0%〕" in page
    assert "与原报告的差异：3处（改变格式3处）" in check.index()


def test_the_review_counts_the_departures_it_carries_from_2024(final_year_dossier):
    _, d = final_year_dossier
    carried = len(departures_section.departures(d.data_dir, 2024))
    assert carried > 0 and departures_section.departures(d.data_dir, 2025) == []
    assert f"与原报告的差异：沿用2024年版的说明{carried}条（本版未与原报告逐段比对）" in d.index()
    assert "0条说明" not in d.index() and "中没有2025年版的条目" not in d.departures_page()
    assert f"差异及其说明（{carried}条）列于下" in d.departures_page()
