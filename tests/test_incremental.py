"""What a rebuild may skip (lib/beichen/publish/incremental.py): unit tests, no build."""
import os
import time

from beichen import files
from beichen.publish import incremental

NARRATIVE = "narrative"


def test_an_editions_inputs_ignore_rows_entered_for_a_later_edition(data_copy):
    before = incremental.edition_inputs(2024, data_copy, data_copy / NARRATIVE, {"pdf": False})
    metrics = data_copy / "metrics.csv"
    original = metrics.read_text(encoding="utf-8")
    # a row of the 2025 edition (last column: edition)
    metrics.write_text(original + "gdp_demo,示例,亿元,1,2025,2025,1.0,actual,区统计局,,,,2025\n", encoding="utf-8")
    assert incremental.edition_inputs(2024, data_copy, data_copy / NARRATIVE, {"pdf": False}) == before
    assert incremental.edition_inputs(2025, data_copy, data_copy / NARRATIVE, {"pdf": False}) != \
        incremental.edition_inputs(2025, data_copy, data_copy / NARRATIVE, {"pdf": True})
    # the same row entered for the 2024 edition is an input of it
    metrics.write_text(original + "gdp_demo,示例,亿元,1,2024,2024,1.0,actual,区统计局,,,,2024\n", encoding="utf-8")
    assert incremental.edition_inputs(2024, data_copy, data_copy / NARRATIVE, {"pdf": False}) != before


def test_an_editions_inputs_cover_its_text_and_options(data_copy):
    before = incremental.edition_inputs(2024, data_copy, data_copy / NARRATIVE, {"pdf": False})
    assert incremental.edition_inputs(2024, data_copy, data_copy / NARRATIVE, {"pdf": True}) != before
    text = data_copy / NARRATIVE / "2024" / "05_recommendations.md"
    text.write_text(text.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert incremental.edition_inputs(2024, data_copy, data_copy / NARRATIVE, {"pdf": False}) != before


def test_sync_writes_only_what_differs(tmp_path):
    source, target = tmp_path / "new", tmp_path / "book"
    for folder in (source, target):
        (folder / "chapters").mkdir(parents=True)
    (source / "chapters" / "a.ipynb").write_text("same", encoding="utf-8")
    (source / "chapters" / "b.ipynb").write_text("new", encoding="utf-8")
    (target / "chapters" / "a.ipynb").write_text("same", encoding="utf-8")
    (target / "chapters" / "b.ipynb").write_text("old", encoding="utf-8")
    (target / "chapters" / "gone.ipynb").write_text("x", encoding="utf-8")
    (target / "_build").mkdir()
    (target / "_build" / "env.pickle").write_text("kept", encoding="utf-8")
    past = time.time() - 1000
    os.utime(target / "chapters" / "a.ipynb", (past, past))
    changed = files.sync_tree(source, target, keep=("_build",))
    assert changed == ["chapters/b.ipynb", "chapters/gone.ipynb"]
    assert os.stat(target / "chapters" / "a.ipynb").st_mtime == past  # untouched: Sphinx will not re-read it
    assert (target / "chapters" / "b.ipynb").read_text(encoding="utf-8") == "new"
    assert not (target / "chapters" / "gone.ipynb").exists()
    assert (target / "_build" / "env.pickle").exists()


def test_the_state_trusts_only_an_intact_published_edition(tmp_path):
    published = tmp_path / "site" / "2024"
    published.mkdir(parents=True)
    (published / "index.html").write_text("<p>2024</p>", encoding="utf-8")
    state = incremental.BuildState(tmp_path / "build")
    state.save("k", published)
    assert state.unchanged("k", published)
    assert not state.unchanged("other", published)
    # the year switcher's list is rewritten whenever another edition is published
    (published / "_static").mkdir()
    (published / "_static" / "switcher.json").write_text("[]", encoding="utf-8")
    assert state.unchanged("k", published)
    (published / "index.html").write_text("<p>edited by hand</p>", encoding="utf-8")
    assert not state.unchanged("k", published)


def test_sphinx_writes_every_page_when_no_page_changed():
    """Sphinx stops before copying its static files when no page is out of date; fresh_static has
    removed them, so a build where only a chart PDF, a download or nothing changed writes all pages
    (else the site loses _static/ and myst-nb fails on its CSS)."""
    from beichen.site.rerun import sphinx_build_args

    assert sphinx_build_args(["chapters/01_targets.ipynb", "charts/01_targets/fig1-1.pdf"]) == []
    assert sphinx_build_args(["_config.yml"]) == [] and sphinx_build_args(["claims.md"]) == []
    assert sphinx_build_args(["_static/data/产业链.csv"]) == ["--all"]
    assert sphinx_build_args([]) == ["--all"]


def test_a_moved_build_folder_finds_its_outputs_intact_and_no_edited_one(tmp_path):
    """A step's outputs are recorded by their place in the build folder (build/<year>/steps.json), so a
    checkout copied or moved elsewhere reuses them; an output edited in the copy is still made again."""
    import shutil

    work = tmp_path / "build" / "2024"
    (work / "html").mkdir(parents=True)
    (work / "html" / "index.html").write_text("<p>页</p>", encoding="utf-8")
    (work / "report.pdf").write_bytes(b"%PDF-1.5 ... %%EOF")
    incremental.Steps(work).mark("html", "k1", work / "html", work / "report.pdf")
    moved = tmp_path / "elsewhere" / "2024"
    shutil.copytree(work, moved)
    steps = incremental.Steps(moved)
    assert steps.same("html", "k1", moved / "html", moved / "report.pdf")
    assert not steps.same("html", "k2", moved / "html", moved / "report.pdf")  # other inputs
    (moved / "report.pdf").write_bytes(b"%PDF-1.5 ... cut")
    assert not steps.same("html", "k1", moved / "html", moved / "report.pdf")
    assert steps.same("html", "k1", moved / "html")
