"""Issue 21, item 8: every command finishes or leaves things as they were.

* `make html` after `make report` keeps the PDF made from exactly those pages; after a change it
  publishes pages that link no PDF (never a PDF of other figures, never a link to nothing); the
  builds alternate without a failing first build.
* A build killed right after the folder swap leaves the old edition in site/.2024.new: the next
  command removes it, even when it has nothing else to do.
* A LaTeX run killed half-way leaves half-written .aux/.toc files: the next run starts clean.
* A full disk ends in one Chinese sentence, with no half-copied edition beside the published one.
"""
import contextlib
import errno
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from beichen.paths import DATA_DIR

PASSAGE = "00_summary.md"


def _build(root: Path, pdf: bool, crash_at: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "BEICHEN_CRASH_AT"}
    if crash_at:
        env["BEICHEN_CRASH_AT"] = crash_at
    data = root / "data"
    return subprocess.run([sys.executable, "-m", "beichen.publish.build", "--year", "2024", *(["--pdf"] if pdf else []),
                           "--data-dir", str(data), "--narrative-dir", str(data / "narrative"),
                           "--site-dir", str(root / "site"), "--staging-dir", str(root / "build")],
                          env=env, capture_output=True, text=True, timeout=900)


def _pdf_links(site: Path) -> int:
    return sum(p.read_text(encoding="utf-8").count("report-2024.pdf") for p in (site / "2024").rglob("*.html"))


def _edit_passage(root: Path, n: int) -> None:
    """A change of words that no check reads: one more full stop's space, n times."""
    path = root / "data" / "narrative" / "2024" / PASSAGE
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("。", "。" + " " * n, 1) if n else text, encoding="utf-8")


@pytest.fixture(scope="module")
def runs(built_2024, tmp_path_factory):
    root = tmp_path_factory.mktemp("half-finished")
    shutil.copytree(DATA_DIR, root / "data")
    # The shared 2024 build's work folder (tests/conftest.py): the first `make report` here publishes from
    # its caches instead of building cold; nothing asserted below depends on how the first build got there.
    shutil.copytree(built_2024.staging, root / "build", symlinks=True)
    site = root / "site"
    seen = {}

    def step(name, pdf, crash_at=None):
        result = _build(root, pdf, crash_at)
        seen[name] = {"rc": result.returncode, "log": result.stdout + result.stderr,
                      "pdf": (site / "2024" / "report-2024.pdf").exists(), "links": _pdf_links(site),
                      "landing": (site / "index.html").read_text(encoding="utf-8") if (site / "index.html").exists() else "",
                      "leftovers": sorted(p.name for p in [*site.glob(".*"), *(root / "review").glob(".*")])}

    step("report", pdf=True)
    step("html after report", pdf=False)
    _edit_passage(root, 1)
    step("html after a change", pdf=False)
    # Back to `make report`, killed right after the swap: the new edition is in place and site/.2024.new
    # holds the one it replaced.
    step("report again, killed after the swap", pdf=True, crash_at="publish:swapped")
    seen["report again, killed after the swap"]["leftovers"] = sorted(p.name for p in site.glob(".*"))
    step("after the kill", pdf=True)
    step("nothing to do", pdf=True)
    # A LaTeX run killed half-way: its marker, and a table of contents cut inside \contentsline.
    latex = root / "build" / "2024" / "book" / "_build" / "latex"
    (latex / ".beichen-latex-running").touch()
    (latex / "book.toc").write_text("\\contentsline {chapter}{\\numberline {1}", encoding="utf-8")
    _edit_passage(root, 2)
    step("after a killed LaTeX run", pdf=True)
    return seen


@pytest.mark.build
@pytest.mark.pdf
def test_html_after_report_keeps_the_pdf_of_the_same_pages(runs):
    report, html = runs["report"], runs["html after report"]
    assert report["rc"] == 0 and report["pdf"] and report["links"] > 0, report["log"][-2000:]
    assert html["rc"] == 0, html["log"][-2000:]
    assert html["pdf"] and html["links"] == report["links"]


@pytest.mark.build
@pytest.mark.pdf
def test_html_after_a_change_links_no_pdf(runs):
    """The pages changed and no PDF was made from them: no PDF, and no page or landing link to one."""
    changed = runs["html after a change"]
    assert changed["rc"] == 0, changed["log"][-2000:]
    assert not changed["pdf"] and changed["links"] == 0
    assert "2024/report-2024.pdf" not in changed["landing"]
    # and back: the first `make report` after the switch publishes the PDF of the changed pages (it is
    # then killed right after the swap, below)
    again = runs["report again, killed after the swap"]
    assert "PDF：已排版" in again["log"] and again["pdf"] and again["links"] > 0, again["log"][-2000:]


@pytest.mark.build
@pytest.mark.pdf
def test_a_folder_left_by_a_kill_after_the_swap_is_removed_by_the_next_command(runs):
    killed = runs["report again, killed after the swap"]
    assert killed["rc"] == 137
    assert killed["leftovers"] == [".2024.new"]  # the old edition, swapped out and not yet removed
    after = runs["after the kill"]
    assert after["rc"] == 0, after["log"][-2000:]
    assert after["leftovers"] == []
    assert "上次发布中断，已恢复" not in after["log"]  # .new is removed silently; only a restored edition is told


@pytest.mark.build
@pytest.mark.pdf
def test_a_latex_run_killed_half_way_does_not_fail_the_next(runs):
    run = runs["after a killed LaTeX run"]
    assert run["rc"] == 0, run["log"][-3000:]
    assert "PDF：已排版" in run["log"] and run["pdf"]


def test_a_killed_latex_run_leaves_no_state_for_the_next(tmp_path):
    from beichen.pdf.latex import RUNNING, latex_run

    (tmp_path / "book.tex").write_text("x", encoding="utf-8")
    (tmp_path / "book.toc").write_text("\\contentsline {chapter}{", encoding="utf-8")
    with latex_run(tmp_path):  # finished: the state it leaves is trusted by the next run
        pass
    with latex_run(tmp_path):
        assert (tmp_path / "book.toc").exists()
    with pytest.raises(RuntimeError):
        with latex_run(tmp_path):  # a run that fails (or is killed) keeps its marker
            raise RuntimeError
    assert (tmp_path / RUNNING).exists()
    with latex_run(tmp_path):
        assert not (tmp_path / "book.toc").exists() and (tmp_path / "book.tex").exists()


def _no_space(after: int):
    """shutil.copyfile (under copy2 and copytree) that fails with ENOSPC after `after` files, as a full disk does."""
    real, count = shutil.copyfile, {"n": 0}

    def copyfile(src, dst, *args, **kwargs):
        count["n"] += 1
        if count["n"] > after:
            raise OSError(errno.ENOSPC, "No space left on device", str(dst))
        return real(src, dst, *args, **kwargs)
    return copyfile


def test_a_full_disk_leaves_no_half_copied_edition(tmp_path, monkeypatch):
    from beichen.publish import build

    site = tmp_path / "site"
    (site / "2024").mkdir(parents=True)
    (site / "2024" / "index.html").write_text("old", encoding="utf-8")
    new = tmp_path / "new"
    for n in range(30):
        (new / "chapters").mkdir(parents=True, exist_ok=True)
        (new / "chapters" / f"p{n}.html").write_text("new", encoding="utf-8")
    monkeypatch.setattr(shutil, "copyfile", _no_space(10))
    with pytest.raises(OSError) as caught:
        build.publish(new, 2024, site)
    assert sorted(p.name for p in site.iterdir()) == ["2024"]
    assert (site / "2024" / "index.html").read_text(encoding="utf-8") == "old"
    # copytree gathers the failures into one shutil.Error (20 KB of paths in the issue): one sentence.
    sentence = build.disk_full(caught.value, site)
    assert sentence.startswith("磁盘空间不足（") and sentence.count("。") == 1 and "\n" not in sentence
    assert "已发布的版本未改动" in sentence


def test_a_full_disk_stops_the_build_with_one_sentence(tmp_path, monkeypatch, capsys):
    from beichen.publish import build

    failures = [(f"/build/2024/out/chapters/p{n}.html", f"/site/.2024.new/chapters/p{n}.html",
                 "[Errno 28] No space left on device") for n in range(200)]

    def full(*args, **kwargs):
        raise shutil.Error(failures)

    monkeypatch.setattr(build, "build_report", full)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = build.main(["--year", "2024", "--site-dir", str(tmp_path / "site"), "--data-dir", str(DATA_DIR),
                           "--staging-dir", str(tmp_path / "build")])
    printed = out.getvalue() + capsys.readouterr().err
    assert code == 1
    assert [line for line in printed.splitlines() if line.strip()] == [line for line in printed.splitlines()
                                                                       if "磁盘空间不足" in line]
    assert len(printed) < 300


def test_other_errors_are_not_called_a_full_disk(tmp_path):
    from beichen.publish.build import disk_full

    assert disk_full(OSError(errno.EACCES, "Permission denied"), tmp_path) is None
    assert disk_full(shutil.Error([("a", "b", "[Errno 13] Permission denied")]), tmp_path) is None
