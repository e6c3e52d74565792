"""The data-aware chapter cache: a chapter re-runs exactly when one of its inputs changed."""
import shutil

import pytest

from beichen.publish import chapter_cache
from beichen.paths import DATA_DIR, NARRATIVE_DIR


def _narrative_copy(tmp_path):
    target = tmp_path / "narrative"
    shutil.copytree(NARRATIVE_DIR, target)
    return target


def test_fingerprint_follows_the_chapters_inputs(tmp_path, data_copy):
    narrative = _narrative_copy(tmp_path)
    key = chapter_cache.fingerprint("chapters/02_industry", 2024, data_copy, narrative)
    assert key == chapter_cache.fingerprint("chapters/02_industry", 2024, DATA_DIR, NARRATIVE_DIR)
    assert key != chapter_cache.fingerprint("chapters/02_industry", 2025, data_copy, narrative)
    # another chapter's text does not matter ...
    (narrative / "2024" / "03_projects.md").write_text("<!-- passage: intro -->\n改\n", encoding="utf-8")
    assert chapter_cache.fingerprint("chapters/02_industry", 2024, data_copy, narrative) == key
    # ... its own text and any data file do.
    own = narrative / "2024" / "02_industry.md"
    own.write_text(own.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    changed_text = chapter_cache.fingerprint("chapters/02_industry", 2024, data_copy, narrative)
    assert changed_text != key
    chains = data_copy / "chains.csv"
    chains.write_text(chains.read_text(encoding="utf-8").replace(",425.1,", ",425.2,"), encoding="utf-8")
    assert chapter_cache.fingerprint("chapters/02_industry", 2024, data_copy, narrative) != changed_text


def test_fingerprint_covers_the_library_subpackages(tmp_path, monkeypatch):
    """A change in beichen.render (say the table widths or the print charts) re-runs the
    chapters: the fingerprint reads every module of the package, not only its top level."""
    lib = tmp_path / "lib"
    (lib / "render").mkdir(parents=True)
    (lib / "__init__.py").write_text("", encoding="utf-8")
    module = lib / "render" / "tables.py"
    module.write_text("WIDTH = 1\n", encoding="utf-8")
    monkeypatch.setattr(chapter_cache, "LIB_DIR", lib)
    before = chapter_cache.fingerprint("chapters/02_industry", 2024, DATA_DIR, NARRATIVE_DIR)
    module.write_text("WIDTH = 2\n", encoding="utf-8")
    assert chapter_cache.fingerprint("chapters/02_industry", 2024, DATA_DIR, NARRATIVE_DIR) != before


def test_store_and_restore_round_trip(tmp_path):
    book, notes, cache = tmp_path / "book" / "chapters", tmp_path / "notes", tmp_path / "cache"
    (book / "charts" / "02_industry").mkdir(parents=True)
    notes.mkdir()
    (book / "02_industry.ipynb").write_text("nb", encoding="utf-8")
    (book / "charts" / "02_industry" / "fig2-1.pdf").write_bytes(b"%PDF")
    (notes / "02_industry.json").write_text("{}", encoding="utf-8")
    chapter_cache.store(cache, "chapters/02_industry", "k1", book / "02_industry.ipynb", notes)
    shutil.rmtree(tmp_path / "book")
    shutil.rmtree(notes)
    assert not chapter_cache.restore(cache, "chapters/02_industry", "other", book / "02_industry.ipynb", notes)
    assert chapter_cache.restore(cache, "chapters/02_industry", "k1", book / "02_industry.ipynb", notes)
    assert (book / "charts" / "02_industry" / "fig2-1.pdf").read_bytes() == b"%PDF"
    assert (notes / "02_industry.json").exists()


@pytest.mark.build
def test_rebuild_reuses_unchanged_chapters(built_2024, tmp_path, capsys):
    from beichen.publish.build import build_report

    staging = tmp_path / "staging"
    shutil.copytree(built_2024.staging / "2024" / "cache", staging / "2024" / "cache")
    narrative = _narrative_copy(tmp_path)
    capsys.readouterr()
    build_report(2024, DATA_DIR, narrative, tmp_path / "site", staging)
    out = capsys.readouterr().out
    assert out.count("未变，沿用缓存") == 7
    page = (tmp_path / "site" / "2024" / "chapters" / "02_industry.html").read_text(encoding="utf-8")
    assert "30.6%" in page and "report-chart" in page
    # Change one passage: only that chapter runs again, and the change is published.
    text = narrative / "2024" / "05_recommendations.md"
    text.write_text(text.read_text(encoding="utf-8").replace("优化产业生态", "优化产业生态环境"), encoding="utf-8")
    build_report(2024, DATA_DIR, narrative, tmp_path / "site", staging)
    out = capsys.readouterr().out
    assert out.count("未变，沿用缓存") == 6
    assert "五、进一步推进规划实施的对策建议 … 完成" in out
    assert "优化产业生态环境" in (tmp_path / "site" / "2024" / "chapters" / "05_recommendations.html").read_text(
        encoding="utf-8")


def _chapter_outputs(tmp_path):
    book, notes = tmp_path / "book" / "chapters", tmp_path / "notes"
    (book / "charts" / "02_industry").mkdir(parents=True)
    notes.mkdir(exist_ok=True)
    (book / "02_industry.ipynb").write_text('{"md": "```{figure} charts/02_industry/fig2-1.pdf"}', encoding="utf-8")
    (book / "charts" / "02_industry" / "fig2-1.pdf").write_bytes(b"%PDF")
    (notes / "02_industry.json").write_text("{}", encoding="utf-8")
    return book, notes


@pytest.mark.parametrize("damage", ["chart removed", "chart truncated", "manifest removed"])
def test_a_broken_entry_is_rebuilt_never_fatal(tmp_path, damage):
    """Issue 14, defect 3: an entry stored without its charts made every later build fail
    (“image file not readable … fig2-1.pdf”). A broken entry is now detected and dropped."""
    book, notes = _chapter_outputs(tmp_path)
    cache = tmp_path / "cache"
    chapter_cache.store(cache, "chapters/02_industry", "k1", book / "02_industry.ipynb", notes)
    entry = cache / "02_industry"
    if damage == "chart removed":
        (entry / "charts" / "fig2-1.pdf").unlink()
    elif damage == "chart truncated":
        (entry / "charts" / "fig2-1.pdf").write_bytes(b"")
    else:
        (entry / "manifest.json").unlink()
    assert not chapter_cache.restore(cache, "chapters/02_industry", "k1", book / "02_industry.ipynb", notes)
    assert not entry.exists()  # dropped: the chapter runs again and stores a whole entry


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
        chapter_cache.store(cache, "chapters/02_industry", "k1", book / "02_industry.ipynb", notes)
    assert not (cache / "02_industry").exists()
