"""The plan is data: a made-up second plan (“十五五”, 2026–2030, base 2025; tests/fixtures/plan-15)
builds a 2027 edition with the same library and chapter templates, with no code change.
Expected values are hand-worked in the fixture's README."""
import contextlib
import io
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from beichen.inputs.loading import load_all
from beichen.model import projection
from beichen.model.edition import Edition
from beichen.render import tables

FIXTURE = Path(__file__).parent / "fixtures" / "plan-15"


@pytest.fixture(scope="module")
def edition_2027():
    return Edition(load_all(FIXTURE), 2027)


def test_the_second_plans_figures_hand_worked(edition_2027):
    inds = {i.indicator_id: i for i in edition_2027.indicators(core=True)}
    mfg, smes, energy = inds["mfg_va_share_gdp"], inds["specialized_smes"], inds["energy_intensity"]
    # Completion: 42.5 / 45 = 94.4% (接近目标); 330 / 500 = 66.0%; lower is better: 0.40 / 0.46 = 87.0%.
    assert round(mfg.completion_pct, 1) == 94.4 and mfg.status == "接近目标"
    assert round(smes.completion_pct, 1) == 66.0 and smes.status == "滞后"
    assert round(energy.completion_pct, 1) == 87.0 and energy.status == "滞后"
    # 序时进度 by 2027 of 2026–2030: (2027 − 2025) / 5 = 40%.
    assert mfg.elapsed == pytest.approx(0.4)
    # Progress: 2.5 / 5 = 50% 快于; 30 / 200 = 15% 慢于; (0.46 − 0.50) / (0.40 − 0.50) = 40% 符合.
    assert (mfg.schedule, smes.schedule, energy.schedule) == ("快于序时进度", "慢于序时进度", "符合序时进度")
    # Projection to 2030 over 2 years of change: 42.5 + 1.25 × 3 = 46.25; 330 + 15 × 3 = 375.
    assert projection.project_indicator(mfg).projected == pytest.approx(46.25)
    assert projection.project_indicator(smes).projected == pytest.approx(375)
    table = tables.core_indicator_table(edition_2027, list(inds.values()))
    assert list(table.columns)[2:5] == ["2025年基数", "2030年目标", "2027年实际"]


@pytest.mark.build
def test_a_2027_edition_of_the_second_plan_builds(tmp_path):
    from beichen.publish.build import build_report

    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data)
    with contextlib.redirect_stdout(io.StringIO()):
        build_report(2027, data, data / "narrative", tmp_path / "site", tmp_path / "staging")
    page = tmp_path / "site" / "2027" / "chapters" / "01_targets.html"  # the book's only chapter
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    for tag in soup(["script", "style"]):
        tag.decompose()
    text = " ".join(soup.get_text(" ").split())
    assert "一、“十五五”总体目标指标完成情况" in text and "2030年目标实现情况外推" in text
    for needle in ["94.4%", "66.0%", "87.0%", "接近目标", "慢于序时进度", "符合序时进度", "2025年基数", "约375家"]:
        assert needle in text, needle
    assert "十四五" not in text and "2020" not in text
    assert [p.name for p in (tmp_path / "site" / "2027" / "chapters").glob("*.html")] == ["01_targets.html"]
