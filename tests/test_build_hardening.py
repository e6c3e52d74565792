"""The build: published output carries no build internals, the same inputs give the same bytes,
one build runs at a time, and every chapter of an edition reads one snapshot of the data
(issue 14, defects 3, 7, 8; issue 9, item 6)."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from beichen.paths import DATA_DIR, REPO_ROOT


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.build
def test_published_site_carries_no_notebooks_paths_or_injected_cells(built_2024):
    site = _files(built_2024.html)
    assert not [name for name in site if name.startswith("_sources/") or name.endswith(".ipynb")]
    for name, content in site.items():
        for trace in (str(REPO_ROOT).encode(), str(built_2024.staging).encode(), b"/tmp/",
                      b"injected-parameters", b"papermill", b"_sources/"):
            assert trace not in content, (name, trace)
    # the executed notebooks Jupyter Book renders are cleaned too: no parameter cells, no run metadata
    for notebook in (built_2024.book / "chapters").glob("*.ipynb"):
        nb = json.loads(notebook.read_text(encoding="utf-8"))
        assert "papermill" not in nb["metadata"]
        for cell in nb["cells"]:
            tags = cell.get("metadata", {}).get("tags", [])
            assert "injected-parameters" not in tags and "parameters" not in tags
            assert "execution" not in cell.get("metadata", {}) and "papermill" not in cell.get("metadata", {})


@pytest.mark.build
@pytest.mark.pdf
def test_same_inputs_give_byte_identical_site_and_pdf(built_2024, rebuilt_2024):
    """A second build, cold, into other folders (tests/conftest.py: rebuilt_2024; rows of the next
    edition were entered meanwhile, which are no input of this one)."""
    first, second = _files(built_2024.html), _files(rebuilt_2024.html)
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []  # the PDF included


@pytest.mark.build
@pytest.mark.pdf
def test_pdf_dates_and_id_come_from_the_edition(built_2024, rebuilt_2024):
    import re

    first = (built_2024.html / "report-2024.pdf").read_bytes()
    second = rebuilt_2024.pdf.read_bytes()
    # data/editions.csv: 2025年11月 → 2025-11-01 00:00 UTC; without SOURCE_DATE_EPOCH this is the build time
    for pdf in (built_2024.pdf, rebuilt_2024.pdf):
        info = subprocess.run(["pdfinfo", "-isodates", str(pdf)], capture_output=True, text=True).stdout
        assert re.search(r"CreationDate:\s+2025-11-01T00:00:00(Z|\+00)", info), info
    assert re.findall(rb"/ID ?\[<[0-9a-f]+>", first) == re.findall(rb"/ID ?\[<[0-9a-f]+>", second)


@pytest.mark.build
def test_edition_json_and_landing_page_have_no_wall_clock(built_2024):
    edition = json.loads((built_2024.html / "edition.json").read_text(encoding="utf-8"))
    assert "built" not in edition and edition["issue_date"] == "2025年11月"
    assert "生成于" not in (built_2024.site / "index.html").read_text(encoding="utf-8")


def test_source_date_epoch_comes_from_the_issue_date():
    from beichen.publish.reproducible import source_date_epoch

    assert source_date_epoch("2025年11月") == 1761955200      # 2025-11-01T00:00:00Z
    assert source_date_epoch("2025年11月20日") == 1763596800   # 2025-11-20T00:00:00Z
    assert source_date_epoch("2026年") == 1767225600          # 2026-01-01T00:00:00Z


def test_a_second_build_waits_then_refuses_naming_the_holder(tmp_path):
    """Two builds at once broke each other's staging folder and cache; now the second one waits
    for the lock and, after its time limit, refuses having touched nothing."""
    from beichen.lock import one_writer

    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    staging = tmp_path / "staging"
    env = dict(os.environ, BEICHEN_LOCK_WAIT="1")
    with one_writer("测试占用", data, log=lambda m: None):
        result = subprocess.run(
            [sys.executable, "-m", "beichen.publish.build", "--year", "2024", "--data-dir", str(data),
             "--staging-dir", str(staging), "--site-dir", str(tmp_path / "site")],
            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert f"进程 {os.getpid()}（测试占用" in result.stdout
    assert "请稍候" in result.stdout and "已放弃" in result.stdout
    assert not staging.exists() and not (tmp_path / "site").exists()


def test_every_chapter_reads_one_snapshot_even_if_data_changes_mid_build(tmp_path, monkeypatch):
    """An import (or an edit) while chapters run must not give chapter 1 old figures and the
    appendix new ones. The chapters are stood in for by a function that reads the figure the
    real chapters print first (规上工业总产值, metrics.csv), and data/ is changed after the first."""
    from beichen.inputs.loading import load_all
    from beichen.publish import build

    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    seen = {}

    def fake_chapter(chapter, year, book, data_dir, narrative_dir, notes_dir, cache_dir=None, kernels=None):
        metrics = load_all(data_dir).metrics
        value = metrics.loc[(metrics["metric_id"] == "above_scale_industrial_output")
                            & (metrics["year"] == 2024), "value"].iloc[0]
        seen[chapter] = (value, Path(data_dir), Path(narrative_dir))
        if len(seen) == 1:  # the “import” lands while the first chapter runs
            path = data / "metrics.csv"
            path.write_text(path.read_text(encoding="utf-8").replace(f",{value:g},", f",{value + 1:g},", 1),
                            encoding="utf-8")
            assert load_all(data).metrics.loc[lambda m: (m["metric_id"] == "above_scale_industrial_output")
                                              & (m["year"] == 2024), "value"].iloc[0] == value + 1
        return chapter, 0.0

    class Stop(Exception):
        pass

    def stop(*args, **kwargs):
        raise Stop

    monkeypatch.setattr(build, "run_chapter", fake_chapter)
    monkeypatch.setattr(build, "build_html", stop)
    # no chapter printed anything: the comparison with the source (every passage missing) stands aside
    monkeypatch.setattr("beichen.audit.departures.check_edition", lambda *args: None)
    # nor the claims ledger, whose decisions (data/meta/resolutions.yml) are checked against the printed text
    from beichen.audit.ledger import Review
    monkeypatch.setattr("beichen.audit.ledger.review_book", lambda *args, **kwargs: Review([], [], {}))
    monkeypatch.setattr("beichen.dossier.document.Dossier.false_statements", lambda self, printed: [])
    with pytest.raises(Stop):
        build.build_report(2024, data, data / "narrative", tmp_path / "site", tmp_path / "staging")
    assert len(seen) == 7
    assert len({value for value, _, _ in seen.values()}) == 1
    snapshot = tmp_path / "staging" / "2024" / "input"
    assert {d for _, d, _ in seen.values()} == {snapshot / "data"}
    assert {n for _, _, n in seen.values()} == {snapshot / "narrative"}


@pytest.mark.build
@pytest.mark.pdf
def test_an_edition_is_frozen_by_its_year(built_2024, rebuilt_2024):
    """rebuilt_2024 was built after README's new-year steps entered the 2025 edition's figures (the made-up
    tests/fixtures/2025/entry-2025.csv, a 2024 value among them); its pages, downloads and PDF are the
    shared build's byte for byte (test_same_inputs_give_byte_identical_site_and_pdf): rows entered for
    2025 never reach the 2024 edition."""
    data = rebuilt_2024.staging.parent / "data"
    entered = [line for name in ("metrics.csv", "indicator_values.csv")
               for line in (data / name).read_text(encoding="utf-8").splitlines() if line.endswith(",2025")]
    assert len(entered) > 10  # the scenario really happened, with a 2024 value entered for the 2025 edition:
    assert "sei_va_share,2024,actual,51.2,2025年度数据填报,2025" in entered
    files = _files(rebuilt_2024.html)
    assert len([name for name in files if name.endswith(".html")]) >= 8
    assert len([name for name in files if name.startswith("_downloads/")]) == 4  # 说明.txt and three tables
    assert files == _files(built_2024.html)
