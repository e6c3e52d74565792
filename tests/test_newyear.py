"""Starting a new year, and the 2025 edition computed from the made-up fixture (tests/fixtures/2025/)."""
from pathlib import Path

import pytest

from beichen.publish import build
from beichen.inputs import newyear
from beichen.publish.new_year import new_year
from beichen.render import sentences
from beichen.render import tables
from beichen.errors import BuildError
from beichen.inputs.intake import COLUMNS, import_entry
from beichen.inputs.loading import load_all
from beichen.render.narrative import PENDING, Narrative
from beichen.model.edition import Edition

FIXTURE = Path(__file__).parent / "fixtures" / "2025" / "entry-2025.csv"  # made-up figures


@pytest.fixture
def data_2025(data_copy, tmp_path):
    """data/ with the made-up 2025 figures imported."""
    import_entry(2025, FIXTURE, data_copy, backup_dir=tmp_path / "backup", log=lambda *_: None)
    return data_copy


def test_new_year_writes_the_entry_table_and_text_stubs(data_copy, capsys):
    result = new_year(2025, data_copy, data_copy / "narrative")
    entry = data_copy / "entry" / "2025.csv"
    raw = entry.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Chinese Excel opens UTF-8 correctly
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == ",".join(COLUMNS)
    rows = result["rows"]
    assert sum(r["数据表"] == "评价指标" for r in rows) == 7
    assert sum(r["数据表"] == "产业链" for r in rows) == 27          # 9 chains × firms/output/growth
    assert all(r["本年数值"] == "" for r in rows)
    by_id = {(r["标识"], r["类型"]): r for r in rows}
    assert by_id[("mfg_va_share_gdp", "actual")]["上年数值"] == "39.8"
    assert by_id[("sei_va_share", "actual")]["上年数值"] == "49.8（2023年）"
    assert by_id[("base_stations_5g", "actual")]["统计期"] == "截至2025年"
    assert by_id[("beijing_relocation_projects", "actual")]["上年数值"] == "超200"
    # the snapshot published with the 2025 edition is 2026's January–October
    snapshot = by_id[("above_scale_industrial_output_jan_oct", "actual")]
    assert (snapshot["年份"], snapshot["统计期"]) == ("2026", "2026年1-10月")
    assert ("chain_output", "stated_sum") in by_id
    assert not any(kind.startswith("stated_") for (i, kind) in by_id if i != "chain_output")
    # text stubs: every passage of 2024, each opening with the 待更新 line, placeholders kept
    stub = (data_copy / "narrative" / "2025" / "01_targets.md").read_text(encoding="utf-8")
    old = (data_copy / "narrative" / "2024" / "01_targets.md").read_text(encoding="utf-8")
    assert stub.count("<!-- 待更新") == old.count("<!-- passage:") > 5
    assert "{{ ind('mfg_va_share_gdp').actual }}" in stub
    assert "make import YEAR=2025" in capsys.readouterr().out


def test_a_stub_passage_shows_pending_until_written(data_copy):
    new_year(2025, data_copy, data_copy / "narrative")
    edition = Edition(load_all(data_copy), 2025)
    text = Narrative(edition, "01_targets", data_copy / "narrative")
    assert PENDING in text.render("quality")
    # the passage, after the chapter's headings still to write (a stub title shows the plain heading)
    assert text.pending[-1] == "一、（一）1.质量效益" and "一、（一）1.质量效益 小标题" in text.pending
    path = data_copy / "narrative" / "2025" / "01_targets.md"
    stub = path.read_text(encoding="utf-8")
    assert "参考｜**制造业增加值占比超目标**" in stub     # last year's words, as reference only
    # Deleting only the 待更新 line publishes nothing of last year: the passage stays pending.
    path.write_text("\n".join(l for l in stub.splitlines() if not l.startswith("<!-- 待更新")), encoding="utf-8")
    assert PENDING in Narrative(edition, "01_targets", data_copy / "narrative").render("quality")
    # The analyst writes the year's text: it is published.
    path.write_text("<!-- passage: quality -->\n2025年制造业稳中有进。\n", encoding="utf-8")
    assert Narrative(edition, "01_targets", data_copy / "narrative").render("quality") == "2025年制造业稳中有进。"


def test_adopting_last_years_text_cannot_restate_last_years_figures(data_copy):
    """Last year's passage adopted verbatim (参考｜ removed) with no 2025 figures entered: a count inside a
    phrase (连续三年) or “{{ year }}年” next to a 2024 figure stops the passage instead of printing
    “2025年…1389.9亿元（2024年）” or “连续三（2024年）年”."""
    new_year(2025, data_copy, data_copy / "narrative")
    path = data_copy / "narrative" / "2025" / "01_targets.md"
    adopted = "\n".join(l.removeprefix("参考｜") for l in path.read_text(encoding="utf-8").splitlines()
                        if not l.startswith("<!-- 待更新"))
    path.write_text(adopted, encoding="utf-8")
    text = Narrative(Edition(load_all(data_copy), 2025), "01_targets", data_copy / "narrative")
    assert PENDING in text.render("quality")
    assert any("仍为2024年的数" in p or "段落写明2025年" in p for p in text.pending)
    assert text.render("title_quality") == "实体经济根基持续夯实"  # plain words carry over


def test_new_year_refuses_to_overwrite(data_copy):
    new_year(2025, data_copy, data_copy / "narrative")
    entry = data_copy / "entry" / "2025.csv"
    entry.write_text("filled in", encoding="utf-8")
    with pytest.raises(BuildError, match="已存在"):
        new_year(2025, data_copy, data_copy / "narrative", xlsx=True)
    assert entry.read_text(encoding="utf-8") == "filled in"


def test_new_year_as_xlsx(data_copy):
    from openpyxl import load_workbook

    new_year(2025, data_copy, data_copy / "narrative", xlsx=True)
    sheet = load_workbook(data_copy / "entry" / "2025.xlsx").active
    assert [c.value for c in sheet[1]] == COLUMNS
    assert sheet.cell(2, 2).value == "mfg_va_share_gdp"


@pytest.mark.parametrize("year", [2019, 2031])
def test_new_year_outside_the_plan_is_refused(data_copy, year):
    with pytest.raises(BuildError, match=f"年份 {year} 超出"):
        new_year(year, data_copy, data_copy / "narrative")


def test_a_year_without_any_data_is_refused_with_the_next_step(tmp_path, data_copy, capsys):
    code = build.main(["--year", "2022", "--data-dir", str(data_copy), "--site-dir", str(tmp_path / "site"),
                       "--staging-dir", str(tmp_path / "staging")])
    out = capsys.readouterr().out
    assert code == 1 and "没有2022年的任何数据" in out and "make new-year YEAR=2022" in out
    assert not (tmp_path / "site").exists()


def test_2025_completion_rates_are_recomputed_from_the_new_figures(data_2025):
    edition = Edition(load_all(data_2025), 2025)
    frame = tables.core_indicator_table(edition, edition.indicators(core=True))
    # Hand calculation (tests/fixtures/2025/README.md): 40.4/37, 51.2/55, 768/650, 36/20, 35/29.
    assert list(frame["完成度"]) == ["109.2%", "93.1%", "118.2%", "180.0%", "120.7%"]
    assert list(frame["2025年实际"]) == ["40.4%", "51.2%（2024年）", "768家", "36个", "35家"]
    assert list(frame["较上年"]) == ["提高0.6个百分点", "提高1.4个百分点", "增加53家", "增加5个", "增加2家"]
    # 2025 is the plan's target year: a target not met is 未完成 (data/meta/plan.yml missed_word), not 接近目标
    assert list(frame["状态"]) == ["超额完成", "未完成", "超额完成", "超额完成", "超额完成"]
    assert tables.core_indicator_align(frame) == "llrrrrrc"


def test_2025_year_over_year_sentences(data_2025):
    edition = Edition(load_all(data_2025), 2025)
    mfg = edition.indicator("mfg_va_share_gdp")
    assert sentences.against_previous_year(mfg) == "较上年提高0.6个百分点"
    assert sentences.indicator_sentence(mfg, with_base=False) == (
        "制造业增加值占GDP比重40.4%，较“十四五”目标（37%）超额3.4个百分点，较上年提高0.6个百分点，完成度109.2%")
    from beichen.model.derived import derived_figures

    key = tables.key_figures_table(edition, derived_figures(edition))
    assert "目标650家，完成度118.2%；较上年增加53家" in list(key["对照"])


def test_2025_chain_shares_and_stale_values(data_2025):
    from beichen.model.derived import derived_figures

    edition = Edition(load_all(data_2025), 2025)
    shares = dict(zip(*[tables.chains_table(edition)[c] for c in ("产业链", "占规上工业总产值")]))
    assert shares["新材料产业链"] == "30.3%"        # 440.0 / 1450
    k = derived_figures(edition)
    assert k["over_100_share"].text == "80.6%"       # 1168.9 / 1450
    assert k["in_chain_share"].text == "93.0%"       # 1348.3 / 1450
    assert k["in_chain_firms_sum"].text == "496家"
    # left empty in 2025: the 2024 value, with its year
    assert edition.indicator("hightech_mfg_va_share").actual.text == "1.1%（2024年）"


def test_2025_missing_snapshot_is_shown_and_listed(data_2025):
    edition = Edition(load_all(data_2025), 2025)
    frame = tables.snapshot_table(edition)
    assert set(frame["数值"]) == {"暂无数据"}
    assert "规上工业总产值（1-10月累计）（2026年，实际值）" in edition.missing


def test_an_indicator_without_any_value_shows_missing_and_is_listed(data_2025):
    path = data_2025 / "indicator_values.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(l for l in lines if not l.startswith("green_factories,") or ",actual," not in l
                            and ",stated_" not in l), encoding="utf-8")
    edition = Edition(load_all(data_2025), 2025)
    frame = tables.core_indicator_table(edition, edition.indicators(core=True))
    row = frame[frame["关键指标"] == "国家级/市级绿色工厂数量"].iloc[0]
    assert (row["2025年实际"], row["完成度"], row["较上年"]) == ("暂无数据", "暂无数据", "—")
    assert "国家级/市级绿色工厂数量（实际值）" in edition.missing


def test_the_2024_edition_is_unchanged_by_the_2025_import(data_2025, report_data):
    """A late 2024 figure entered in 2025 (edition 2025) does not alter the 2024 edition."""
    before = tables.core_indicator_table(Edition(report_data, 2024), Edition(report_data, 2024).indicators(core=True))
    after_edition = Edition(load_all(data_2025), 2024)
    after = tables.core_indicator_table(after_edition, after_edition.indicators(core=True))
    assert before.equals(after)
    assert "较上年" not in after.columns
    assert list(after["2024年实际"])[1] == "49.8%（2023年）"


def test_the_sheet_has_the_revision_column_and_says_how_to_revise_and_withdraw(report_data):
    rows = newyear.entry_rows(report_data, 2025)
    assert COLUMNS.index("修订原因") == COLUMNS.index("来源") + 1
    assert all(row["修订原因"] == "" for row in rows)
    assert all("复制本行，把“年份”改为那一年" in row["说明"] and "填“撤回”" in row["说明"] for row in rows)
    # 未发布 is offered exactly where the import accepts it: a statistic's actual value
    offered = {(row["数据表"], row["类型"]) for row in rows if "填“未发布”" in row["说明"]}
    assert offered == {("其他统计", "actual")}


def test_a_revisions_line_naming_no_revision_is_refused(data_copy):
    from beichen.inputs.loading import DataValidationError

    path = data_copy / "revisions.csv"
    path.write_text(path.read_text(encoding="utf-8") + "2025,chains,new_materials,output_100m_yuan,2024,统计局年报修订\n",
                    encoding="utf-8")
    with pytest.raises(DataValidationError) as err:
        load_all(data_copy)
    assert ("revisions.csv: 第2行: new_materials output_100m_yuan 2024年（2025年版）在 chains.csv 中没有对应的修订"
            in str(err.value))
    path.write_text("edition,table,figure_id,field,year,reason\n2025,chains,new_materials,output_100m_yuan,2024,\n",
                    encoding="utf-8")
    with pytest.raises(DataValidationError) as err:
        load_all(data_copy)
    assert "revisions.csv: 第2行, 列 reason" in str(err.value)
