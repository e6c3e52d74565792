"""Issue 21, item 6: what is typed after `make` (YEAR=, YEARS=, FILE=, XLSX=, OUT=, RUNS=) reaches the
programs as data, never as shell or make code, and a refused value fails the make target.

Each probe tries to create a file in a temporary folder; the attack worked if the file exists. The
probes run the real Makefile with `-o <venv>/.installed` (the environment is taken as set up, so no
installation starts) and stop at the programs' argument checks, before any build.
"""
import subprocess
from pathlib import Path

import pytest

from beichen.paths import REPO_ROOT

INSTALLED = REPO_ROOT / ".venv" / ".installed"


def _make(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "--no-print-directory", "-C", str(REPO_ROOT), "-o", str(INSTALLED), *arguments],
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def trap(tmp_path) -> Path:
    return tmp_path / "ran"


@pytest.mark.parametrize("target, variable, template", [
    ("html", "YEAR", "2019; touch {trap} #"),          # a shell command after the year (issue 21)
    ("report", "YEAR", "2019 && touch {trap}"),
    ("html", "YEAR", "$(shell touch {trap})"),         # make code: would run while make expands it
    ("html", "YEAR", "`touch {trap}`"),
    ("html", "YEAR", "2019'; touch {trap}; echo '"),  # closing the quote
    ("new-year", "YEAR", "$$(touch {trap})"),
    ("site", "YEARS", "2024 abc'; touch {trap}; '"),
    ("import", "FILE", "$(shell touch {trap})"),
])
def test_a_hostile_value_runs_nothing_and_fails_the_target(trap, target, variable, template):
    value = template.format(trap=trap)
    result = _make(target, f"{variable}={value}")
    assert not trap.exists(), f"{variable}={value} ran a command"
    assert result.returncode != 0
    if variable in ("YEAR", "YEARS"):
        assert "不是四位数字的年份" in result.stderr


def test_xlsx_and_other_flags_are_not_expanded(trap):
    result = _make("new-year", "YEAR=abc", f"XLSX=$(shell touch {trap})")
    assert not trap.exists()
    assert result.returncode != 0


def test_the_values_reach_the_programs_as_one_word_each():
    """make -n prints the commands: the values typed, each one quoted word (a year list split in words)."""
    printed = _make("-n", "report", "site", "YEAR=2025", "YEARS=2024 2025").stdout
    assert "beichen.publish.build --year '2025' --pdf" in printed
    assert "beichen.publish.site --years '2024' '2025'" in printed
    spaced = _make("-n", "import", "YEAR=2025", "FILE=录入 表 (1).xlsx").stdout
    assert "--file '录入 表 (1).xlsx'" in spaced
