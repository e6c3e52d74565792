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
    assert "beichen.publish.make_site --years '2024' '2025'" in printed
    spaced = _make("-n", "import", "YEAR=2025", "FILE=录入 表 (1).xlsx").stdout
    assert "--file '录入 表 (1).xlsx'" in spaced


def test_plan_and_new_plan_values_are_data_too(trap):
    """Issue 23: PLAN= (every target that takes YEAR) and new-plan's NAME=, TITLE= are quoted words."""
    for target, value in (("html", f"$(shell touch {trap})"), ("new-year", f"x'; touch {trap}; '")):
        result = _make(target, "YEAR=2026", f"PLAN={value}")   # run: refused as an unknown plan folder
        assert not trap.exists(), value
        assert result.returncode != 0 and "的规划文件夹" in result.stderr
    # new-plan only printed (-n): run, a harmless name would create plans/2026-2030/ in the repository
    for variable in ("NAME", "TITLE"):
        _make("-n", "new-plan", "PLAN=2026-2030", "NAME=十五五", f"{variable}=$(shell touch {trap})")
        assert not trap.exists(), variable
    printed = _make("-n", "html", "YEAR=2026", "PLAN=2026-2030").stdout
    # the plan folder is asked of lib/beichen/inputs/plans.py and handed on; the analyst types no folder
    assert "beichen.inputs.plans --year '2026' --plan '2026-2030'" in printed
    assert '--data-dir "$plan_dir" --narrative-dir "$plan_dir/narrative"' in printed
    made = _make("-n", "new-plan", "PLAN=2026-2030", "NAME=十五五", "TITLE=某区“十五五”规划评估报告").stdout
    assert "beichen.inputs.newplan --plan '2026-2030' --name '十五五'" in made and "--title '某区“十五五”规划评估报告'" in made


def test_a_year_no_plan_evaluates_fails_with_the_fix():
    result = _make("html", "YEAR=2031")
    assert result.returncode != 0
    assert "没有评估2031年的规划" in result.stderr and "make new-plan" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_help_documents_plan():
    printed = _make("help").stdout
    assert "PLAN=2026-2030" in printed and "make new-plan" in printed
