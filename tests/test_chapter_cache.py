"""The chapter cache: a chapter re-runs exactly when something it read changed, value by value.

Expected values here are worked by hand from the data files: which rows a change touches, and
which chapter's text cites a figure (grep of data/narrative/2024/ and chapters/).
"""
import json
import shutil

import pytest

from beichen.inputs.loading import load_all
from beichen.model.edition import Edition
from beichen.model.reads import Reads, replay
from beichen.inputs.narrative import passage_reader
from beichen.paths import DATA_DIR, NARRATIVE_DIR
from beichen.publish import chapter_cache

# metrics.csv line 46: “承接非首都功能疏解项目 … 200 … 超” (source 一(三)3 “超200个”); the id appears in
# no chapter template and in one narrative passage only (data/narrative/2024/01_targets.md, line 65).
RELOCATION = "beijing_relocation_projects"


def _set_metric(data_dir, metric_id, old, new):
    path = data_dir / "metrics.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    hits = [i for i, line in enumerate(lines) if line.startswith(f"{metric_id},") and f",{old},actual," in line]
    assert len(hits) == 1, hits
    lines[hits[0]] = lines[hits[0]].replace(f",{old},actual,", f",{new},actual,")
    path.write_text("".join(lines), encoding="utf-8")


def _recorded(data_dir, year=2024):
    """What a chapter-like reader asks: one figure, one indicator, one metadata list, the chains."""
    reads = Reads()
    edition = Edition(load_all(data_dir), year, reads=reads)
    edition.lookup(RELOCATION)
    edition.indicator("hightech_firms")
    edition.data.meta["report"]["ladder"]
    edition.chains()
    return reads.to_json()


def test_a_chapters_reads_are_its_questions_with_answer_digests(data_copy):
    entries = _recorded(data_copy)
    keys = [json.loads(e["key"]) for e in entries]
    assert [2024, "lookup", [RELOCATION], {}] in keys
    assert [2024, "indicator", ["hightech_firms"], {}] in keys
    assert [2024, "meta", ["report", "ladder"], {}] in keys
    assert [2024, "chains", [], {}] in keys
    # the lookups made inside a recorded query are part of it, not recorded apart
    assert not any(k[1] in ("indicator_value", "metric") for k in keys)


def test_changing_one_figure_changes_exactly_the_answer_that_holds_it(data_copy):
    entries = _recorded(data_copy)
    edition = Edition(load_all(data_copy), 2024)
    assert replay(entries, edition, passage_reader(NARRATIVE_DIR, 2024)) == []
    _set_metric(data_copy, RELOCATION, 200, 210)
    assert replay(entries, Edition(load_all(data_copy), 2024), passage_reader(NARRATIVE_DIR, 2024)) == ["承接非首都功能疏解项目"]


def test_a_figure_entered_for_a_later_edition_changes_no_answer_of_an_earlier_one(data_copy):
    entries = _recorded(data_copy)
    path = data_copy / "metrics.csv"
    # a 2025 import: the same figure for 2025, entered for the 2025 edition
    path.write_text(path.read_text(encoding="utf-8")
                    + f"{RELOCATION},承接非首都功能疏解项目,个,0,2025,截至2025年,230,actual,区发改委,超,,,2025\n",
                    encoding="utf-8")
    data = load_all(data_copy)
    assert replay(entries, Edition(data, 2024), passage_reader(NARRATIVE_DIR, 2024)) == []
    assert Edition(data, 2025).lookup(RELOCATION).value == 230  # the later edition does see it


def test_the_targets_table_reads_its_figures_not_the_whole_metrics_table(data_copy):
    # 表5-1 (chapter 五) once read metrics.csv whole, so any figure changed re-ran chapter 五.
    from beichen.render import tables

    reads = Reads()
    edition = Edition(load_all(data_copy), 2024, reads=reads)
    frame = tables.targets_table(edition, ["smart_factories_target_5y"])
    assert frame["目标值"].tolist() == ["40个"]       # source 五2 “累计达到40”, counted like 表1-1's 个
    keys = [json.loads(e["key"]) for e in reads.to_json()]
    assert [2024, "target_indicator", ["smart_factories_target_5y"], {}] in keys
    assert not any(k[1] == "data" for k in keys), keys
    _set_metric(data_copy, RELOCATION, 200, 210)
    assert replay(reads.to_json(), Edition(load_all(data_copy), 2024), passage_reader(NARRATIVE_DIR, 2024)) == []


def test_a_passage_is_a_read_of_its_text(tmp_path, data_copy):
    from beichen.render.narrative import Narrative

    narrative = tmp_path / "narrative"
    shutil.copytree(NARRATIVE_DIR, narrative)
    reads = Reads()
    text = Narrative(Edition(load_all(data_copy), 2024, reads=reads), "05_recommendations", narrative)
    text.render("synergy")
    entries = reads.to_json()
    edition = Edition(load_all(data_copy), 2024)
    # another passage of the same file is not a read of this chapter's “synergy”
    path = narrative / "2024" / "05_recommendations.md"
    before = path.read_text(encoding="utf-8")
    path.write_text(before.replace("实施创新驱动，推动数字化转型", "实施创新驱动，推进数字化转型"), encoding="utf-8")
    assert path.read_text(encoding="utf-8") != before  # the “innovation” passage did change
    assert replay(entries, edition, passage_reader(narrative, 2024)) == []
    path.write_text(path.read_text(encoding="utf-8").replace("扭住承接非首都功能疏解", "抓住承接非首都功能疏解"),
                    encoding="utf-8")
    assert replay(entries, edition, passage_reader(narrative, 2024)) == ["05_recommendations.md 的段落“synergy”"]


def _chapter_outputs(tmp_path, reads=None, modules=("render/tables.py",)):
    book, notes = tmp_path / "book" / "chapters", tmp_path / "notes"
    (book / "charts" / "02_industry").mkdir(parents=True)
    notes.mkdir(exist_ok=True)
    (book / "02_industry.ipynb").write_text('{"md": "```{figure} charts/02_industry/fig2-1.pdf"}', encoding="utf-8")
    (book / "charts" / "02_industry" / "fig2-1.pdf").write_bytes(b"%PDF")
    (notes / "02_industry.json").write_text("{}", encoding="utf-8")
    (notes / "02_industry.reads.json").write_text(json.dumps({"reads": reads or [], "modules": list(modules)}),
                                                  encoding="utf-8")
    return book, notes


def test_store_and_restore_round_trip(tmp_path):
    book, notes = _chapter_outputs(tmp_path)
    cache = tmp_path / "cache"
    chapter_cache.store(cache, "chapters/02_industry", 2024, DATA_DIR, book / "02_industry.ipynb", notes)
    shutil.rmtree(tmp_path / "book")
    shutil.rmtree(notes)
    assert chapter_cache.restore(cache, "chapters/02_industry", book / "02_industry.ipynb", notes)
    assert (book / "charts" / "02_industry" / "fig2-1.pdf").read_bytes() == b"%PDF"
    assert (notes / "02_industry.json").exists() and (notes / "02_industry.reads.json").exists()


def test_decide_names_what_changed(tmp_path, data_copy, monkeypatch):
    """A changed file among those the chapter used (template, a loaded module, the plan) is named; a
    module it never loaded is not its input; a changed figure it read is named by its label."""
    lib = tmp_path / "lib"
    (lib / "render").mkdir(parents=True)
    (lib / "render" / "tables.py").write_text("WIDTH = 1\n", encoding="utf-8")
    (lib / "render" / "charts.py").write_text("SIZE = 1\n", encoding="utf-8")
    monkeypatch.setattr(chapter_cache, "LIB_DIR", lib)
    book, notes = _chapter_outputs(tmp_path, reads=_recorded(data_copy))
    cache = tmp_path / "cache"
    chapter_cache.store(cache, "chapters/02_industry", 2024, data_copy, book / "02_industry.ipynb", notes)

    def decision():
        edition = Edition(load_all(data_copy), 2024)
        return chapter_cache.decide(cache, "chapters/02_industry", 2024, data_copy, NARRATIVE_DIR, edition)

    assert decision() == chapter_cache.Decision(True, "沿用")
    (lib / "render" / "charts.py").write_text("SIZE = 2\n", encoding="utf-8")  # not loaded by the chapter
    assert decision().reuse
    _set_metric(data_copy, RELOCATION, 200, 210)
    assert decision() == chapter_cache.Decision(False, "重算：承接非首都功能疏解项目有变化")
    (lib / "render" / "tables.py").write_text("WIDTH = 2\n", encoding="utf-8")
    assert decision() == chapter_cache.Decision(False, "重算：lib/beichen/render/tables.py有改动")
    assert chapter_cache.decide(None, "chapters/02_industry", 2024, data_copy, NARRATIVE_DIR, None).why \
        == "重算：不使用缓存（--no-cache）"


@pytest.mark.parametrize("damage", ["chart removed", "chart truncated", "manifest removed", "reads removed"])
def test_a_broken_entry_is_rebuilt_never_fatal(tmp_path, damage):
    """Issue 14, defect 3: an entry stored without its charts made every later build fail
    (“image file not readable … fig2-1.pdf”). A broken entry is now detected and dropped."""
    book, notes = _chapter_outputs(tmp_path)
    cache = tmp_path / "cache"
    chapter_cache.store(cache, "chapters/02_industry", 2024, DATA_DIR, book / "02_industry.ipynb", notes)
    entry = cache / "02_industry"
    if damage == "chart removed":
        (entry / "charts" / "fig2-1.pdf").unlink()
    elif damage == "chart truncated":
        (entry / "charts" / "fig2-1.pdf").write_bytes(b"")
    elif damage == "reads removed":
        (entry / "reads.json").unlink()
    else:
        (entry / "manifest.json").unlink()
    decision = chapter_cache.decide(cache, "chapters/02_industry", 2024, DATA_DIR, NARRATIVE_DIR, None)
    assert decision == chapter_cache.Decision(False, "重算：缓存条目不完整，已丢弃")
    assert not entry.exists()  # dropped: the chapter runs again and stores a whole entry
    assert not chapter_cache.restore(cache, "chapters/02_industry", book / "02_industry.ipynb", notes)


def test_an_entry_is_written_whole_or_not_at_all(tmp_path, monkeypatch):
    """Killed (here: failing) while copying, no entry exists under the chapter's name."""
    book, notes = _chapter_outputs(tmp_path)
    cache = tmp_path / "cache"
    real_copy = shutil.copy2

    def failing_copy(src, dst, *args, **kwargs):
        if str(src).endswith(".json"):
            raise OSError("disk full")
        return real_copy(src, dst, *args, **kwargs)

    monkeypatch.setattr(shutil, "copy2", failing_copy)
    with pytest.raises(OSError):
        chapter_cache.store(cache, "chapters/02_industry", 2024, DATA_DIR, book / "02_industry.ipynb", notes)
    assert not (cache / "02_industry").exists()


def test_the_expanded_notebook_is_the_chapters_input(tmp_path):
    """A chapter template with outline marks is expanded per plan from meta/report.yml before it runs
    (lib/beichen/render/outline.py): a section added there changes the notebook executed, not the template,
    and must re-run the chapter rather than restore the one without the section."""
    book, notes = _chapter_outputs(tmp_path)
    cache = tmp_path / "cache"
    expanded = tmp_path / "expanded" / "02_industry.ipynb"
    expanded.parent.mkdir()
    expanded.write_text('{"cells": ["one section"]}', encoding="utf-8")
    chapter_cache.store(cache, "chapters/02_industry", 2024, DATA_DIR, book / "02_industry.ipynb", notes, expanded)

    def decision():
        return chapter_cache.decide(cache, "chapters/02_industry", 2024, DATA_DIR, NARRATIVE_DIR, None, None, expanded)

    assert decision() == chapter_cache.Decision(True, "沿用")
    expanded.write_text('{"cells": ["one section", "another"]}', encoding="utf-8")
    assert decision() == chapter_cache.Decision(False, "重算：chapters/02_industry.ipynb有改动")
