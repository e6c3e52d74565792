"""The 核查报告's 六、输入文件校验值与构建信息 (lib/beichen/dossier/inputs_digest.py)."""
from __future__ import annotations

import hashlib

from beichen.paths import DATA_DIR, NARRATIVE_DIR
from beichen.dossier import inputs_digest
from _dossier_fixtures import dossier_2024  # noqa: F401  (fixtures)


def test_checksums_are_the_files_sha256(report_data, dossier_2024):
    table = inputs_digest.checksum_table(report_data, DATA_DIR, NARRATIVE_DIR, 2024)
    shown = {name: digest.replace(" ", "") for name, digest in zip(table["文件"], table["SHA-256"])}
    # The real data holds only 2024 rows: the edition's rows are the whole file (BOM and line ends aside).
    metrics = (DATA_DIR / "metrics.csv").read_bytes().decode("utf-8-sig").encode("utf-8")
    assert shown["data/metrics.csv（本版所用的行）"] == hashlib.sha256(metrics).hexdigest()
    meta = DATA_DIR / "meta" / "departures.yml"
    assert shown["data/meta/departures.yml"] == hashlib.sha256(meta.read_bytes()).hexdigest()
    assert "data/editions.csv" in shown and "narrative/2024/01_targets.md" in shown
