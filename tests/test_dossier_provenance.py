"""The 核查报告's 四、数字来源 (lib/beichen/dossier/provenance.py, figures.py)."""
from __future__ import annotations

from beichen.paths import DATA_DIR
from beichen.dossier import provenance
from _dossier_fixtures import dossier_2024  # noqa: F401  (fixtures)


def test_provenance_cites_the_data_rows(report_data, dossier_2024):
    tables = dict(provenance.provenance_tables(report_data, 2024))
    assert list(tables) == ["indicator_values.csv", "metrics.csv", "chains.csv"]
    lines = (DATA_DIR / "indicator_values.csv").read_text(encoding="utf-8-sig").splitlines()
    row = tables["indicator_values.csv"].set_index("数字").loc["国家级高新技术企业数量（基数）"]
    assert row["数值"] == "442家" and row["所属年份"] == "2020年"
    assert lines[int(row["数据行"].strip("第行")) - 1].startswith("hightech_firms,2020,base,442,")
    chains = tables["chains.csv"].set_index("数字")
    assert chains.loc["新材料产业链产值", "数值"] == "425.1亿元"            # 二(一)1
    assert len(chains) == 9 * 2 + 4   # firms and output of nine chains, growth of four (二(一))


def test_provenance_captions_say_what_the_table_holds(dossier_2024):
    page = dossier_2024.provenance()
    for caption in ("表4-1 评价指标的基数、目标和实际值的来源", "表4-2 其他统计数字的来源",
                    "表4-3 产业链的企业数、产值和增速的来源"):
        assert f"```{{table}} {caption}" in page
    assert "表4-1为数据文件 data/indicator\\_values.csv 中的数字（均为2024年版录入）；" in page   # one edition: said once
    assert "录入版本" not in page
    assert provenance.provenance_caption("unknown.csv") == "其他数字的来源"
