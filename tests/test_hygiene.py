"""Hygiene as tests (issue 27, item 5): every path the documentation and the code's comments name
exists; no function grows past ~80 lines; the build leaves nothing in the temp dir."""
from __future__ import annotations

import ast
import contextlib
import io
import os
import re
import tempfile
from pathlib import Path

import pytest

from beichen.paths import REPO_ROOT

# Where a newcomer reads about the tree: the READMEs, the book's configuration, the Makefile's
# comments, the library's docstrings and comments, and the comments of data/meta/*.yml.
DOCUMENTS = ["README.md", "data/README.md", "latex/README.md", "_config.yml", "Makefile"]
# Paths of the checkout's own source (outputs such as site/2024/ or plans/2026-2030/ are examples
# of what the commands make, not references).
SOURCE_PATH = re.compile(r"(?<![\w/.-])((?:lib|latex|chapters|tests|tools|\.ci|data/meta)/[\w./-]*\w)")


def _named_files() -> list[Path]:
    return ([REPO_ROOT / name for name in DOCUMENTS] + sorted((REPO_ROOT / "lib" / "beichen").rglob("*.py"))
            + sorted((REPO_ROOT / "data" / "meta").glob("*.yml")))


def _exists(reference: str) -> bool:
    """`lib/beichen/audit/ledger.Review` names ledger.py's Review: the file is what must exist."""
    path = REPO_ROOT / reference
    if path.exists():
        return True
    stem, dot, _ = reference.rpartition(".")
    return bool(dot) and "/" in stem and (REPO_ROOT / f"{stem}.py").is_file()


def test_every_path_named_in_documents_and_comments_exists():
    missing = []
    for file in _named_files():
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
            if file.name == "Makefile" and not line.lstrip().startswith("#"):
                continue  # the recipes' paths are the build's own, checked by running it
            missing += [f"{file.relative_to(REPO_ROOT)}:{number}: {ref}"
                        for ref in SOURCE_PATH.findall(line) if not _exists(ref.rstrip("."))]
    assert not missing, "named but absent:\n" + "\n".join(missing)


def test_the_path_check_sees_a_stale_reference(tmp_path):
    """The pattern above finds the kind of reference the package move left behind (issue 27: the
    docs named lib/build.py and lib/zh_search.py after they had moved)."""
    line = "The build (lib/build.py) and `lib/beichen/site/search.py`; see data/meta/plan.yml."
    found = SOURCE_PATH.findall(line)
    assert found == ["lib/build.py", "lib/beichen/site/search.py", "data/meta/plan.yml"]
    assert [_exists(f) for f in found] == [False, True, True]


# Functions still longer than the limit, to be split into named steps (issue 27, item 5): this list
# may only shrink (the second test fails when one of them has been split, so it is taken off).
LONG_LIMIT = 80
STILL_LONG: set[str] = set()


def _long_functions() -> dict[str, int]:
    found = {}
    for file in sorted((REPO_ROOT / "lib" / "beichen").rglob("*.py")):
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > LONG_LIMIT:
                    found[f"{file.relative_to(REPO_ROOT).as_posix()}:{node.name}"] = length
    return found


def test_no_new_function_over_80_lines():
    new = {name: n for name, n in _long_functions().items() if name not in STILL_LONG}
    assert not new, f"split into named steps (≤ {LONG_LIMIT} lines): {new}"


def test_the_list_of_long_functions_only_shrinks():
    assert STILL_LONG <= set(_long_functions()), "split: take it off STILL_LONG"


# --- dead code ------------------------------------------------------------------------------------

def _template_code() -> str:
    """The Python the chapter templates run (chapters/*.ipynb code cells; an outline mark <<…>> as a
    number) and the names the narrative files use inside {{ }} and {% %} (k.…, s.…, c(…)): both
    call the library, so vulture reads them as its users."""
    import json

    parts = []
    for notebook in sorted((REPO_ROOT / "chapters").glob("*.ipynb")):
        for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "code":
                source = re.sub(r"<<[^>]*>>", "0", "".join(cell["source"]))
                parts.append("\n".join(line for line in source.splitlines()
                                       if not line.lstrip().startswith(("%", "!"))))
    texts = [*REPO_ROOT.glob("data/narrative/**/*.md"), *REPO_ROOT.glob("plans/**/*.md"),
             *(REPO_ROOT / "tests" / "fixtures").rglob("*.md")]
    for text in texts:
        for expression in re.findall(r"\{[{%]-?\s*(.*?)\s*-?[%}]\}", text.read_text(encoding="utf-8")):
            parts.append("\n".join(re.findall(r"[A-Za-z_]\w*", expression)))
    return "\n\n".join(parts)


def test_no_dead_code_in_the_library(tmp_path):
    """vulture over lib/beichen, with its users: the chapter templates and narrative files, the tests,
    and tests/vulture_whitelist.py (names a framework calls, each with who calls it)."""
    import subprocess
    import sys

    users = tmp_path / "templates.py"
    users.write_text(_template_code(), encoding="utf-8")
    found = subprocess.run([sys.executable, "-m", "vulture", "lib/beichen", "tests", str(users),
                            "--min-confidence", "60"], cwd=REPO_ROOT, capture_output=True, text=True)
    assert "invalid syntax" not in found.stdout + found.stderr  # every user was read
    dead = [line for line in found.stdout.splitlines() if line.startswith("lib/beichen/")]
    assert not dead, "unused (remove it, or add to tests/vulture_whitelist.py saying who uses it):\n" + "\n".join(dead)


def test_vulture_sees_a_dead_function(tmp_path):
    """The check above can fail: a function nothing calls is reported."""
    import subprocess
    import sys

    module = tmp_path / "probe.py"
    module.write_text("def used():\n    return 1\n\n\ndef never_called():\n    return 2\n\n\nused()\n")
    found = subprocess.run([sys.executable, "-m", "vulture", str(module)], capture_output=True, text=True)
    assert "never_called" in found.stdout and "'used'" not in found.stdout


# --- scratch space -------------------------------------------------------------------------------

@pytest.fixture
def own_temp_dir(monkeypatch, tmp_path):
    """TMPDIR pointed at an empty folder of the test's own, for this process and its children.
    Short (directly in the system temp dir): a kernel's Unix socket path holds at most 107 bytes.
    After tmp_path, which pytest makes under the temp dir it had."""
    folder = Path(tempfile.mkdtemp(prefix="bt-"))
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", None)  # gettempdir() reads TMPDIR again
    try:
        yield folder
    finally:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)


def test_an_import_leaves_nothing_in_the_temp_dir(own_temp_dir, data_copy, tmp_path):
    from beichen.inputs.intake import import_entry

    fixture = REPO_ROOT / "tests" / "fixtures" / "2025" / "entry-2025.csv"  # made-up figures
    if not fixture.exists():
        pytest.skip("no 2025 entry fixture")
    import_entry(2025, fixture, data_copy, backup_dir=tmp_path / "backup", log=lambda *_: None)
    assert sorted(os.listdir(own_temp_dir)) == []


# jieba keeps its parsed dictionary in the temp dir as one file reused by every later run (a cache
# of ~1 s, the same bytes each time), not a folder per run.
KEPT = {"jieba.cache"}


@pytest.mark.build
@pytest.mark.parametrize("stop", [RuntimeError("网页生成失败"), KeyboardInterrupt()], ids=["failure", "ctrl-c"])
def test_a_build_stopped_after_its_chapters_leaves_nothing_in_the_temp_dir(own_temp_dir, data_copy, warm_staging,
                                                                          tmp_path, monkeypatch, stop):
    """A chapter runs for real in a kernel (with its socket folder; it renders print charts, for which
    vl-convert gets a font folder in the kernel's temp dir): the build starts from the shared build's
    work folder (tests/conftest.py) with a passage of the chapter on industry changed. Then the build
    stops where the pages would be written, by an error or by Ctrl-C. Nothing of it is left in TMPDIR."""
    from beichen.publish import build

    def stopped(*args, **kwargs):
        raise stop

    passage = data_copy / "narrative" / "2024" / "02_industry.md"
    passage.write_text(passage.read_text(encoding="utf-8").replace("。", "。 ", 1), encoding="utf-8")
    monkeypatch.setattr(build, "build_html", stopped)
    out = io.StringIO()
    with pytest.raises(type(stop)), contextlib.redirect_stdout(out):
        build.build_report(2024, data_copy, data_copy / "narrative", tmp_path / "site", warm_staging)
    assert "重算：02_industry.md 的段落" in out.getvalue()  # the chapter ran
    assert sorted(set(os.listdir(own_temp_dir)) - KEPT) == []
