"""Fixtures of the 核查报告's tests (tests/test_dossier*.py): the 2024 edition's pages without a build,
and the plan's last year with a revision (issue 22; tests/fixtures/final-year/scenario.py)."""
from __future__ import annotations

import pytest

from beichen.dossier import document as dz
from beichen.paths import DATA_DIR, NARRATIVE_DIR


@pytest.fixture(scope="module")
def dossier_2024(report_data):
    gaps = {"missing": ["甲（实际值）", "甲（实际值）", "乙（目标）"],
            "pending": ["00_summary/lead"]}
    return dz.Dossier(report_data, 2024, DATA_DIR, NARRATIVE_DIR, gaps, "2025年11月")


@pytest.fixture(scope="module")
def final_year_dossier(tmp_path_factory):
    import importlib.util
    import shutil
    from pathlib import Path

    from beichen.inputs.loading import load_all

    spec = importlib.util.spec_from_file_location(
        "final_year_scenario", Path(__file__).parent / "fixtures" / "final-year" / "scenario.py")
    scenario = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scenario)
    data_dir = tmp_path_factory.mktemp("final-year") / "data"
    shutil.copytree(DATA_DIR, data_dir, ignore=shutil.ignore_patterns("entry", ".import-work"))
    shutil.rmtree(data_dir / "narrative" / "2025", ignore_errors=True)
    scenario.prepare(data_dir)
    gaps = {"missing": [], "pending": ["00_summary/lead"]}
    return scenario, dz.Dossier(load_all(data_dir), 2025, data_dir, data_dir / "narrative", gaps, "2026年")
