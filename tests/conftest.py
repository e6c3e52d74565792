"""Shared fixtures: the real data, an edition, a scratch copy of data/, and the built 2024 site."""
from __future__ import annotations

import fcntl
import os
import shutil
from pathlib import Path

import pytest

from beichen.inputs.loading import load_all
from beichen.paths import DATA_DIR
from beichen.model.edition import Edition


@pytest.fixture(scope="session")
def report_data():
    return load_all(DATA_DIR)


@pytest.fixture
def edition_2024(report_data):
    return Edition(report_data, 2024)


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A writable copy of data/ (CSV files and narrative) for tests that break things."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


class BuiltEdition:
    """Where a test build put its output."""

    def __init__(self, site: Path, staging: Path, year: int, review: Path | None = None):
        self.site = site
        self.staging = staging
        self.year = year
        # The internal 核查报告's folder (review/ beside site/, never inside it) and this edition's part of it.
        self.review = review if review is not None else site.parent / "review"
        self.check = self.review / str(year)
        self.html = site / str(year)
        self.book = staging / str(year) / "book"
        self.pdf = self.html / f"report-{year}.pdf"
        self.latex_dir = self.book / "_build" / "latex"

    def page(self, name: str) -> str:
        return (self.html / "chapters" / f"{name}.html").read_text(encoding="utf-8")

    def all_text(self) -> str:
        return "\n".join(p.read_text(encoding="utf-8") for p in sorted((self.html / "chapters").glob("*.html")))


def shared_folder(tmp_path_factory, name: str) -> Path:
    """A folder every pytest-xdist worker of this run sees under one name (the workers' temporary
    folders are siblings under the run's), or a fresh one when the tests run in one process."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return tmp_path_factory.getbasetemp().parent / name
    return tmp_path_factory.mktemp(name)


def made_once(folder: Path, make) -> None:
    """Run make(folder) once for all workers: the first to take the lock makes it, the others wait
    for it and then reuse it. A failure is recorded, so a waiting worker fails at once with the same
    message instead of failing the same way a second time."""
    folder.mkdir(parents=True, exist_ok=True)
    done, failed = folder / ".made", folder / ".failed"
    with open(folder.with_name(folder.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if failed.exists():
            pytest.fail(f"made by another worker, which failed: {failed.read_text(encoding='utf-8')}")
        if done.exists():
            return
        try:
            make(folder)
        except BaseException as err:
            failed.write_text(f"{type(err).__name__}: {err}", encoding="utf-8")
            raise
        done.touch()


def _logged_build(root: Path, year: int, data: Path, **options) -> None:
    """build_report into root/site, root/staging and root/review, its printed log kept in root/build.log."""
    import contextlib
    import io

    from beichen.publish.build import build_report

    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            build_report(year, data, data / "narrative", root / "site", root / "staging",
                         review_dir=root / "review", **options)
    finally:
        (root / "build.log").write_text(out.getvalue(), encoding="utf-8")


@pytest.fixture(scope="session")
def built_2024(tmp_path_factory) -> BuiltEdition:
    """The 2024 edition with its PDF, built cold (no cache) once per test run and shared by the workers,
    into temporary folders (site/ is not touched); `log` is what the build printed."""
    root = shared_folder(tmp_path_factory, "build2024")
    made_once(root, lambda _: _logged_build(root, 2024, DATA_DIR, pdf=True, use_cache=False))
    built = BuiltEdition(root / "site", root / "staging", 2024, root / "review")
    built.log = (root / "build.log").read_text(encoding="utf-8")
    return built


def copy_published(built: BuiltEdition, root: Path) -> BuiltEdition:
    """A copy of a built edition as a checkout holds it after `make report`: its work folder (executed
    chapters, caches, Sphinx and LaTeX state), its published site and its 核查报告. A build of the copy
    starts where that build ended, so a test's scenario costs only what it changes."""
    root.mkdir(parents=True, exist_ok=True)
    for source, part in ((built.staging, "staging"), (built.site, "site"), (built.review, "review")):
        shutil.copytree(source, root / part, symlinks=True)
    return BuiltEdition(root / "site", root / "staging", built.year, root / "review")


@pytest.fixture(scope="session")
def rebuilt_2024(tmp_path_factory) -> BuiltEdition:
    """The 2024 edition with its PDF built again, cold, after README's new-year steps entered the 2025
    edition's figures (tests/fixtures/2025/entry-2025.csv, made up): the same 2024 inputs, so it must
    be byte for byte the shared build (tests of reproducible builds and of editions frozen by their year)."""
    from beichen.inputs.intake import import_entry
    from beichen.publish.new_year import new_year

    root = shared_folder(tmp_path_factory, "rebuild2024")

    def make(_):
        import contextlib
        import io

        data = root / "data"
        shutil.copytree(DATA_DIR, data)
        with contextlib.redirect_stdout(io.StringIO()):
            new_year(2025, data, data / "narrative")
            import_entry(2025, Path(__file__).parent / "fixtures" / "2025" / "entry-2025.csv", data,
                         backup_dir=root / "backup")
        _logged_build(root, 2024, data, pdf=True, use_cache=False)

    made_once(root, make)
    return BuiltEdition(root / "site", root / "staging", 2024, root / "review")


@pytest.fixture
def warm_staging(built_2024, tmp_path) -> Path:
    """A copy of the shared 2024 build's work folder (build/: executed chapters, caches, Sphinx and
    LaTeX state) for a test that builds changed inputs: its build reruns only what the change
    touches instead of building cold. site/ and review/ are not copied, so nothing is published yet."""
    staging = tmp_path / "staging"
    shutil.copytree(built_2024.staging, staging, symlinks=True)
    return staging


@pytest.fixture(scope="session")
def built_site(built_2024) -> Path:
    """The HTML root of the built 2024 edition."""
    return built_2024.html


def count_chart_outputs(book: Path) -> int:
    """Charts in the executed notebooks: outputs that carry a vector application/pdf."""
    import json

    count = 0
    for notebook in sorted((book / "chapters").glob("*.ipynb")):
        for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
            if "remove-cell" in cell.get("metadata", {}).get("tags", []):
                continue
            count += sum("application/pdf" in out.get("data", {}) for out in cell.get("outputs", []))
    return count


@pytest.fixture(scope="session")
def built_pdf(built_2024):
    """The PDF of the 2024 edition, its LaTeX folder, and how many charts it must hold."""
    built_2024.expected_charts = count_chart_outputs(built_2024.book)
    return built_2024


# `make test-fast` (the inner loop) leaves out tests marked `slow`: those that took over ~1 s in a profile of
# `make test` (`pytest --durations=100`, 2026-12-05) because they run `make` or the build in a subprocess, kill
# an import or a build, wait for a watchdog, compile LaTeX or feed large inputs. Whole modules of such tests:
SLOW_MODULES = {
    "test_crash_safety.py", "test_intake_hardening.py", "test_makefile.py", "test_processes.py",
    "test_stable_pdf.py", "test_pdf_sandbox.py", "test_bounded_work.py", "test_half_finished.py",
    "test_build_hardening.py", "test_editions.py", "test_csp.py", "test_docx.py", "test_pdf_fonts.py",
}
# and single tests (by function name) in otherwise quick modules:
SLOW_TESTS = {
    "test_passages_that_would_hang_or_exhaust_the_build_are_refused_at_once_naming_the_passage",
    "test_work_between_the_template_s_steps_is_stopped_by_the_watchdog",
    "test_a_passage_that_runs_too_long_is_stopped_naming_the_passage",
    "test_make_validate_exits_non_zero_on_a_formula",
    "test_make_import_refuses_a_formula_and_leaves_data_unchanged",
    "test_make_new_year_refuses_a_metric_name_that_is_a_formula",
    "test_make_validate_refuses_a_narrative_passage_and_exits_non_zero",
    "test_after_the_final_year_scenario_2024_is_unchanged_and_2025_shows_the_revision",
    "test_a_blank_cell_over_an_earlier_import_is_reported_not_silent",
    "test_reimporting_a_corrected_file_updates_its_own_rows",
    "test_withdrawing_removes_this_editions_import_and_says_so",
    "test_a_revised_earlier_year_is_a_row_of_the_new_edition_with_its_reason",
    "test_write_vega_assets_wrapped_and_idempotent",
    "test_mimebundle_keys_and_contents",
    "test_print_spec_has_caption_below_and_pdf_has_cjk_font",
    "test_pages_are_the_same_on_every_build",
    "test_dossier_lists_every_seeded_contradiction",
    "test_seeded_exceeded_claims",
    "test_the_entry_sheet_records_not_published",
    "test_no_report_id_in_lib_or_chapters",
    "test_a_year_without_any_data_is_refused_with_the_next_step",
}


# `make test` runs two pytest-xdist workers, each taking whole modules (`--dist loadfile`) so that a module's
# fixtures are made once, in the order sorted here: the first module makes the shared build (built_2024, about
# 40 s) while the other worker runs modules that need no build (EARLY); then modules that take long, so the
# two workers finish together instead of one starting a long module near the end; then the quick ones. Seconds
# from a profile of `make test` (`pytest --durations`, 2026-12-06; modules not named are short).
MODULE_SECONDS = {
    "test_editions.py": 76, "test_caches_keyed_on_code.py": 71, "test_incremental_build.py": 60,
    "test_status_build.py": 57, "test_half_finished.py": 55, "test_build_hardening.py": 52,
    "test_bounded_work.py": 50, "test_second_plan_build.py": 45, "test_final_year_build.py": 39,
    "test_csp.py": 34, "test_browser.py": 60, "test_site_screens.py": 45, "test_hygiene.py": 25,
}
EARLY = ("test_crash_safety.py", "test_charts.py", "test_stable_pdf.py", "test_intake_hardening.py",
         "test_dated_words.py", "test_narrative_security.py", "test_pdf_fonts.py", "test_intake.py")


def _module_rank(name: str) -> tuple[int, float]:
    if name in EARLY:
        return (1, EARLY.index(name))
    seconds = MODULE_SECONDS.get(name, 0)
    first = max(MODULE_SECONDS, key=MODULE_SECONDS.get)
    return (0 if name == first else 2 if seconds else 3, -seconds)


def pytest_collection_modifyitems(items):
    slow = pytest.mark.slow
    for item in items:
        if item.path.name in SLOW_MODULES or getattr(item, "originalname", item.name) in SLOW_TESTS:
            item.add_marker(slow)
    items.sort(key=lambda item: _module_rank(item.path.name))  # stable: the order within a module is kept
