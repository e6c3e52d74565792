"""Killed at any instant, publish and import leave the old or the new state, and the next run
finishes or rolls back (issue 14, defect 5).

Each kill is injected at a named step (BEICHEN_CRASH_AT, lib/beichen/crash.py): the child process ends
with os._exit there, as SIGKILL would end it — no cleanup runs.
"""
import os
import subprocess
import sys
from pathlib import Path

import pytest

PUBLISH_STEPS = ["publish:copied", "publish:swapped", "publish:done"]
IMPORT_STEPS = ["import:staged", "import:journal", "import:replaced-1", "import:replaced-2",
                "import:replaced-3", "import:committed"]
FIXTURE = Path(__file__).parent / "fixtures" / "2025" / "entry-2025.csv"  # made-up 2025 figures
DATA_FILES = ["indicator_values.csv", "metrics.csv", "chains.csv"]


def _run(code: str, crash_at: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.pop("BEICHEN_CRASH_AT", None)
    if crash_at:
        env["BEICHEN_CRASH_AT"] = crash_at
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)


def _edition(folder: Path, word: str) -> Path:
    (folder / "chapters").mkdir(parents=True)
    (folder / "index.html").write_text(f"<p>{word}</p>", encoding="utf-8")
    for n in range(50):  # enough files that copying is not instant
        (folder / "chapters" / f"p{n}.html").write_text(word * 100, encoding="utf-8")
    return folder


def _shown(site: Path) -> str:
    """What a reader sees at site/2024/: the edition's word, or what is wrong."""
    page = site / "2024" / "index.html"
    if not page.exists():
        return "missing"
    word = page.read_text(encoding="utf-8")[3:-4]
    pages = {p.read_text(encoding="utf-8") for p in (site / "2024" / "chapters").glob("*.html")}
    return word if pages == {word * 100} and len(list((site / "2024" / "chapters").glob("*.html"))) == 50 else "mixed"


@pytest.mark.parametrize("step", PUBLISH_STEPS)
def test_publish_killed_at_each_step_leaves_old_or_new(tmp_path, step):
    site = tmp_path / "site"
    _edition(site / "2024", "old")
    new = _edition(tmp_path / "html", "new")
    publish = f"from pathlib import Path; from beichen.publish.build import publish; " \
              f"publish(Path({str(new)!r}), 2024, Path({str(site)!r}))"
    killed = _run(publish, crash_at=step)
    assert killed.returncode == 137, killed.stderr
    assert _shown(site) in ("old", "new")
    # the next run finishes, and leaves nothing behind
    again = _run(publish)
    assert again.returncode == 0, again.stderr
    assert _shown(site) == "new"
    assert sorted(p.name for p in site.iterdir()) == ["2024"]


def test_publish_of_a_first_edition_killed_leaves_none_or_new(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    new = _edition(tmp_path / "html", "new")
    publish = f"from pathlib import Path; from beichen.publish.build import publish; " \
              f"publish(Path({str(new)!r}), 2024, Path({str(site)!r}))"
    assert _run(publish, crash_at="publish:copied").returncode == 137
    assert _shown(site) == "missing"  # there was no old edition; no half-copied one either
    assert _run(publish).returncode == 0 and _shown(site) == "new"


def _digest(data_dir: Path) -> dict:
    return {name: (data_dir / name).read_bytes() for name in DATA_FILES}


@pytest.fixture(scope="module")
def imported_data(tmp_path_factory):
    """data/ before and after a complete import of the 2025 fixture (reference states)."""
    import shutil

    from beichen.paths import DATA_DIR

    root = tmp_path_factory.mktemp("import-ref")
    shutil.copytree(DATA_DIR, root / "data")
    before = _digest(root / "data")
    result = _run(_import_code(root / "data"))
    assert result.returncode == 0, result.stdout + result.stderr
    return before, _digest(root / "data")


def _import_code(data_dir: Path) -> str:
    return (f"import sys; from pathlib import Path; from beichen.inputs.intake import main; "
            f"sys.exit(main(['--year', '2025', '--file', {str(FIXTURE)!r}, '--data-dir', {str(data_dir)!r}]))")


@pytest.mark.parametrize("step", IMPORT_STEPS)
def test_import_killed_at_each_step_changes_all_three_files_or_none(data_copy, imported_data, step):
    before, after = imported_data
    assert before != after
    killed = _run(_import_code(data_copy), crash_at=step)
    assert killed.returncode == 137, killed.stdout + killed.stderr
    # Until the next command has run, nothing reads a mixture: load_all refuses while a
    # replacement is half done, and the three files are otherwise all old or all new.
    from beichen import journal
    from beichen.inputs.loading import DataValidationError, load_all

    if journal.pending(data_copy):
        with pytest.raises(DataValidationError, match="中断"):
            load_all(data_copy)
    else:
        assert _digest(data_copy) in (before, after)
    # The next command (here: validate) takes the lock, finishes or rolls back, and reads whole files.
    validate = _run(f"import sys; from beichen.inputs.validate import main; sys.exit(main([{str(data_copy)!r}]))")
    assert validate.returncode == 0, validate.stdout + validate.stderr
    state = _digest(data_copy)
    assert state in (before, after)
    # the steps after the journal is written are past the commit point: rolled forward
    assert (state == after) == (IMPORT_STEPS.index(step) >= IMPORT_STEPS.index("import:journal"))
    assert not (data_copy / ".import-staged").exists() and not journal.pending(data_copy)
    # nor the import's merge folder (it was a beichen-import-* folder of the system's temp dir, never removed)
    assert not (data_copy / journal.WORK).exists()


def test_an_import_killed_while_merging_leaves_its_work_for_the_next_command_to_remove(data_copy):
    """Killed before the replacement (its work folder full), the import leaves data/ as it was; the
    next command removes the work folder, and nothing is left in the system's temp dir either."""
    import tempfile

    from beichen import journal

    temp_before = set(Path(tempfile.gettempdir()).glob("beichen-import-*"))
    killed = _run(_import_code(data_copy), crash_at="import:staged")
    assert killed.returncode == 137
    assert (data_copy / journal.WORK).is_dir()  # what SIGKILL leaves: no cleanup ran
    assert set(Path(tempfile.gettempdir()).glob("beichen-import-*")) == temp_before
    validate = _run(f"import sys; from beichen.inputs.validate import main; sys.exit(main([{str(data_copy)!r}]))")
    assert validate.returncode == 0, validate.stdout + validate.stderr
    assert not (data_copy / journal.WORK).exists()
