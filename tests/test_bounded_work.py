"""Bounded work (issue 21, point 3): a hostile passage stops the build at once, naming the passage; a
chapter cell has a time limit; no process outlives its build, killed or not; kernels leave no scratch.

Builds run as the analyst runs them (python -m beichen.publish.build) in a subprocess, on a copy of
data/, into temp folders; TMPDIR points at a short folder of the test's own, which every child of the
build inherits: that is how the test finds the build's processes (their command line or environment)
and its kernels' scratch folders.
"""
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from beichen.paths import DATA_DIR, REPO_ROOT

pytestmark = pytest.mark.build

SUMMARY = "00_summary.md"


def _tmpdir() -> Path:
    # Short: a kernel's socket path (TMPDIR/beichen-kernel-xxxxxxxx/k-1) must fit in 107 bytes.
    return Path(tempfile.mkdtemp(prefix="bw", dir="/tmp"))


def _build(root: Path, env_extra: dict | None = None, args=(), wait: bool = True):
    env = {**os.environ, "TMPDIR": str(root / "tmp"), **(env_extra or {})}
    env.pop("BEICHEN_CRASH_AT", None)
    command = [sys.executable, "-m", "beichen.publish.build", "--year", "2024", "--data-dir", str(root / "data"),
               "--narrative-dir", str(root / "data" / "narrative"), "--site-dir", str(root / "site"),
               "--staging-dir", str(root / "build"), *args]
    if not wait:
        return subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True)
    return subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=600)


def _digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode() + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _processes_of(marker: str) -> list[str]:
    """Live processes (not zombies) whose command line or environment holds `marker`."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            environ = (proc / "environ").read_bytes()
        except OSError:
            continue
        if state != "Z" and (marker in cmdline or marker.encode() in environ):
            found.append(f"{proc.name} {cmdline[:150]}")
    return found


@pytest.fixture(scope="module")
def published(built_2024):
    """A good 2024 edition built and published into temp folders; the data copy is restored by each test.
    The build starts from the shared build's work folder (tests/conftest.py) with one passage of the
    summary changed (one more space after its first full stop), so that chapter runs in a kernel."""
    root = _tmpdir()
    (root / "tmp").mkdir()
    shutil.copytree(DATA_DIR, root / "data")
    shutil.copytree(built_2024.staging, root / "build", symlinks=True)
    summary = root / "data" / "narrative" / "2024" / SUMMARY
    summary.write_text(summary.read_text(encoding="utf-8").replace("。", "。 ", 1), encoding="utf-8")
    result = _build(root)
    assert "重算：00_summary.md 的段落" in result.stdout, result.stdout
    assert result.returncode == 0, result.stdout + result.stderr
    yield root
    shutil.rmtree(root, ignore_errors=True)


def test_a_build_leaves_no_kernel_scratch_folder_and_no_process(published):
    assert not list((published / "tmp").glob("beichen-kernel-*"))
    assert _processes_of(str(published / "tmp")) == []


@pytest.fixture
def summary(published):
    """The summary chapter's narrative file of the data copy, restored after the test."""
    path = published / "data" / "narrative" / "2024" / SUMMARY
    original = path.read_text(encoding="utf-8")
    yield path
    path.write_text(original, encoding="utf-8")


def _with_lead(path: Path, text: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "<!-- passage: lead -->"
    lines[1] += text
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize("probe", ["{{ (9**(9**9)) > 1 }}", "{{ 'x'*10**8 }}"])
def test_the_issue_s_probes_stop_the_build_at_once_naming_the_passage(published, summary, probe):
    before = _digest(published / "site")
    _with_lead(summary, probe)
    started = time.perf_counter()
    result = _build(published)
    seconds = time.perf_counter() - started
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    assert f"{SUMMARY}: 段落 lead（第2行起）: 模板的计算超出限制，已拒绝" in out
    assert "已发布的版本未改动" in out
    assert seconds < 90, f"took {seconds:.0f}s"  # the chapter alone is re-run: ~10 s
    assert _digest(published / "site") == before
    assert not list((published / "tmp").glob("beichen-kernel-*"))


def test_a_cell_that_runs_too_long_stops_the_build_naming_the_chapter(published, summary):
    """The per-cell limit (BEICHEN_CELL_TIMEOUT) catches what the render limit does not: here the
    render limit is lifted and the passage loops over figure lookups for minutes."""
    before = _digest(published / "site")
    _with_lead(summary, "{% for i in range(1000) %}{% for j in range(400) %}"
                        "{% set x = v('mfg_va_share_gdp') %}{% endfor %}{% endfor %}")
    started = time.perf_counter()
    result = _build(published, {"BEICHEN_CELL_TIMEOUT": "8", "BEICHEN_RENDER_TIMEOUT": "3600"})
    seconds = time.perf_counter() - started
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    assert "(chapters/00_summary.ipynb) 有代码单元执行超过8秒，已中止" in out
    assert "ch.passage(\"lead\")" in out or "ch.say" in out  # the cell's first line
    assert seconds < 120, f"took {seconds:.0f}s"
    assert _digest(published / "site") == before
    time.sleep(1)
    assert _processes_of(str(published / "tmp")) == []


def test_a_killed_build_leaves_no_process_behind(tmp_path):
    """SIGKILL of the build while a chapter's kernel is stuck in a long C computation (9**(9**9), as the
    issue's passage made it before templates were bounded): the kernel holds the interpreter lock, so
    ipykernel's own parent check never runs; it kept a core busy for ever. Now it dies with the build."""
    root = _tmpdir()
    try:
        (root / "tmp").mkdir()
        shutil.copytree(DATA_DIR, root / "data")
        startup = root / "ipython" / "profile_default" / "startup"
        startup.mkdir(parents=True)
        # Every kernel of this build freezes 4 s after it starts, in one C call that holds the GIL.
        (startup / "00-freeze.py").write_text("import threading\nthreading.Timer(4, lambda: 9**(9**9)).start()\n")
        build = _build(root, {"IPYTHONDIR": str(root / "ipython")}, args=["--no-cache"], wait=False)
        marker = str(root / "tmp")
        deadline = time.monotonic() + 120
        while not any("ipykernel" in p for p in _processes_of(marker)):
            assert build.poll() is None and time.monotonic() < deadline, build.stdout.read()
            time.sleep(0.2)
        time.sleep(6)  # the chapters run; the kernels are frozen in 9**(9**9)
        assert build.poll() is None, build.stdout.read()
        kernels = [p for p in _processes_of(marker) if "ipykernel" in p]
        assert kernels
        os.kill(build.pid, signal.SIGKILL)
        build.wait()
        time.sleep(3)
        assert _processes_of(marker) == [], "outlived the build"
    finally:
        for line in _processes_of(str(root / "tmp")):  # never leave one running, whatever happened
            os.kill(int(line.split()[0]), signal.SIGKILL)
        shutil.rmtree(root, ignore_errors=True)


def test_warm_kernels_closed_while_starting_leave_no_kernel(monkeypatch):
    """A build that stops early (bad data) closes its pre-started kernel before it is up: the kernel
    used to come up afterwards and live on, unused, as long as the process (the whole test session)."""
    from beichen.publish.build import KERNEL_ARGUMENTS, _kernel_manager_class
    from beichen.publish.warm_kernel import WarmKernels

    root = _tmpdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    try:
        kernels = WarmKernels(_kernel_manager_class(), 1, KERNEL_ARGUMENTS)
        time.sleep(0.3)
        kernels.close()
        for thread in kernels._threads:
            thread.join(timeout=90)
        time.sleep(1)
        assert _processes_of(str(root)) == []
        assert not list(root.glob("beichen-kernel-*"))
    finally:
        for line in _processes_of(str(root)):
            os.kill(int(line.split()[0]), signal.SIGKILL)
        shutil.rmtree(root, ignore_errors=True)
