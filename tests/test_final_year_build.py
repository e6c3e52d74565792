"""Issue 22, end to end: the plan's last year (2025) entered by README's 新年度更新 with partial chain
figures, a decline, a revision of a 2024 figure, an exact 100% and a blank snapshot
(tests/fixtures/final-year/scenario.py, MADE-UP figures), built next to the 2024 edition.
The edition is read as its reader would: no false or stale statement, and 2024 stays byte-identical."""
from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from beichen.paths import DATA_DIR
from tests.conftest import copy_published
from beichen.publish import build, incremental

pytestmark = pytest.mark.build

SCENARIO_FILE = Path(__file__).parent / "fixtures" / "final-year" / "scenario.py"
_spec = importlib.util.spec_from_file_location("final_year_scenario", SCENARIO_FILE)
scenario = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(scenario)


def _tree_digest(folder: Path) -> str:
    """Every published file of an edition but the year switcher's list (incremental.MANAGED), which
    every edition rewrites by design when another edition is published (2025 joins the list)."""
    digest = hashlib.sha256()
    managed = {folder / name for name in incremental.MANAGED}
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p not in managed):
        digest.update(str(path.relative_to(folder)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _text(html: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    main = soup.find("main") or soup
    for tag in main(["script", "style"]):
        tag.decompose()
    return " ".join(main.get_text(" ").split())


class FinalYear:
    def __init__(self, root: Path, output: str, before_2024: str):
        self.root, self.output, self.before_2024 = root, output, before_2024
        self.site, self.review, self.data = root / "site", root / "review", root / "data"

    def text(self, name: str) -> str:
        return _text((self.site / "2025" / "chapters" / f"{name}.html").read_text(encoding="utf-8"))

    def all_text(self) -> str:
        return "\n".join(_text(p.read_text(encoding="utf-8"))
                         for p in sorted((self.site / "2025").rglob("*.html")) if p.name != "search.html")

    def review_text(self) -> str:
        return "\n".join(_text(p.read_text(encoding="utf-8")) for p in sorted((self.review / "2025").glob("*.html")))


@pytest.fixture(scope="module")
def final_year(built_2024, tmp_path_factory) -> FinalYear:
    root = tmp_path_factory.mktemp("final-year")
    copy_published(built_2024, root)  # the 2024 build below starts where the shared one ended
    shutil.copytree(DATA_DIR, root / "data", ignore=shutil.ignore_patterns("entry", ".import-work"))
    shutil.rmtree(root / "data" / "narrative" / "2025", ignore_errors=True)
    quiet = io.StringIO()
    with contextlib.redirect_stdout(quiet):
        build.build_report(2024, root / "data", root / "data" / "narrative", root / "site", root / "staging",
                           review_dir=root / "review")
    before_2024 = _tree_digest(root / "site" / "2024")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        scenario.prepare(root / "data", log=print)
        build.build_report(2025, root / "data", root / "data" / "narrative", root / "site", root / "staging",
                           review_dir=root / "review")
        build.build_report(2024, root / "data", root / "data" / "narrative", root / "site", root / "staging",
                           review_dir=root / "review")
    return FinalYear(root, out.getvalue(), before_2024)


def test_the_2024_edition_is_byte_identical_after_the_final_year_and_its_revision(final_year):
    assert _tree_digest(final_year.site / "2024") == final_year.before_2024
    # the one file left out above: the 2024 pages' year switcher now offers 2025 too
    switcher = json.loads((final_year.site / "2024" / incremental.MANAGED[0]).read_text(encoding="utf-8"))
    assert [entry["version"] for entry in switcher] == ["2025", "2024"]
    assert "输入未变：2024年版沿用已发布的版本" in final_year.output


def test_no_schedule_or_forecast_words_in_the_plans_last_year(final_year):
    text = final_year.all_text()
    for word in ("序时进度", "外推", "预计可达", "预计难以", "预测", "提前完成"):
        assert word not in text, word


def test_every_chain_is_shown_with_its_year_and_no_count_over_a_partial_set(final_year):
    text = final_year.text("02_industry")
    for name in ("新材料产业链", "现代轻工产业链", "新能源产业链", "高端装备制造产业链", "汽车与新能源汽车产业链",
                 "绿色石化产业链", "中医药产业链", "生物医药产业链", "信息技术应用创新产业链"):
        assert name in text, name
    for false in ("1条产业链发展情况", "1条超百亿元产业链", "聚焦1条", "公布增速的1条产业链均保持增长",
                  "增速最高（下降", "增长-5.9%", "28.8%"):   # 28.8% = 400.0 / 1389.9: a 2025 output over a 2024 total
        assert false not in final_year.all_text(), false
    assert "下降5.9%" in text  # the scenario's 新材料 2025 growth is −5.9


def test_the_revision_reaches_2025_and_the_review_lists_it(final_year):
    review = final_year.review_text()
    # scenario: 新材料产业链 2024 output revised 425.1 → 426.5 by 区统计局 for 统计局年报修订
    assert "426.5" in review and "425.1" in review
    assert scenario.REVISION_REASON in review and scenario.REVISION_SOURCE in review


def test_no_markup_ids_or_last_years_words_leak(final_year):
    text = final_year.all_text()
    assert "**" not in text
    assert not re.search(r"\b\d\d_[a-z]+/[a-z_]+", text + final_year.review_text())   # passage ids
    for stale in ("超百亿元产业链支撑作用凸显", "从“规划布局”到“生态成型”", "从“蓝图设计”到“标杆示范”",
                  "基础扎实", "尚未发布"):
        assert stale not in text, stale
    # chapter 五 of 2025 is not written: no table of last year's recommended targets
    assert "智能工厂和数字化车间累计目标" not in final_year.text("05_recommendations")


def test_review_counts_agree_with_the_edition(final_year):
    review = final_year.review_text()
    assert "与原报告的差异：0" not in review
    assert "数值与上年版相同" not in review or "同比增长" not in review.split("数值与上年版相同")[1][:60]
