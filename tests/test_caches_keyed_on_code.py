"""Every cache of the build is keyed on the code that fills it (issue 27, item 4): a change to a
print transform, a table-layout rule or any library module is not answered from a cache."""
from __future__ import annotations

import shutil

import pytest

import pandas as pd

from beichen import files

PDF = b"%PDF-1.4\n% a stand-in for vl-convert's output\n%%EOF\n"


def _other_code(real, changed: str):
    """code_digest as after an edit of the module `changed` (the others as they are)."""
    def digest(*modules):
        return real(*modules) + (f"-{changed} edited" if changed in modules else "")
    return digest


def test_code_digest_follows_the_source_of_the_module(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    module = tmp_path / "beichen_probe_module.py"
    module.write_text("def for_print(spec):\n    return spec\n", encoding="utf-8")
    files.code_digest.cache_clear()
    before = files.code_digest("beichen_probe_module")
    files.code_digest.cache_clear()
    assert files.code_digest("beichen_probe_module") == before  # same source, same key
    module.write_text("def for_print(spec):\n    return {**spec, 'width': 1}\n", encoding="utf-8")
    files.code_digest.cache_clear()
    assert files.code_digest("beichen_probe_module") != before
    files.code_digest.cache_clear()


def test_a_chart_pdf_is_made_again_when_the_print_transforms_change(tmp_path, monkeypatch):
    from beichen.render import charts

    made = []
    monkeypatch.setenv(charts.CHART_CACHE_ENV, str(tmp_path / "charts"))
    monkeypatch.setattr(charts, "print_pdf_uncached", lambda spec, rounds=8: made.append(1) or PDF)
    spec = {"mark": "bar", "data": {"values": [{"v": 1}]}, "encoding": {"x": {"field": "v"}}}
    assert charts.print_pdf(spec) == PDF and charts.print_pdf(spec) == PDF
    assert len(made) == 1  # the second from the cache
    monkeypatch.setattr(files, "code_digest", _other_code(files.code_digest, charts.__name__))
    charts.print_pdf(spec)
    assert len(made) == 2


def test_a_table_layout_is_worked_out_again_when_its_rules_or_words_change(tmp_path, monkeypatch):
    from beichen.render import print_text, tables

    made = []
    monkeypatch.setenv(tables.WIDTHS_CACHE_ENV, str(tmp_path / "widths"))

    def widths(frame, *args):
        made.append(1)
        return [100] * len(frame.columns)

    monkeypatch.setattr(tables, "latex_widths_uncached", widths)
    frame = pd.DataFrame({"指标": ["规上工业总产值"], "数值": ["1,389.5"]})
    tables.table_layout(frame)
    tables.table_layout(frame)
    assert len(made) == 1
    real = files.code_digest
    for module in (tables.__name__, print_text.__name__):  # the layout rules, the words a cell breaks into
        monkeypatch.setattr(files, "code_digest", _other_code(real, module))
        tables.table_layout(frame)
    assert len(made) == 3


def test_the_whole_build_skip_sees_a_change_to_any_library_module(tmp_path, monkeypatch, data_copy):
    """incremental.edition_inputs (the digest that lets a build publish nothing new) covers every
    module of the library: an edit to one, here the chart module in a copy of the package, is a
    different digest."""
    from beichen.paths import REPO_ROOT
    from beichen.publish import incremental

    library = tmp_path / "beichen"
    shutil.copytree(REPO_ROOT / "lib" / "beichen", library, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(incremental, "LIB_DIR", library)
    args = (2024, data_copy, data_copy / "narrative", {"pdf": True})
    before = incremental.edition_inputs(*args)
    charts = library / "render" / "charts.py"
    charts.write_text(charts.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    assert incremental.edition_inputs(*args) != before


@pytest.mark.build
@pytest.mark.pdf
def test_an_edited_print_transform_is_published_without_make_clean(built_2024, tmp_path):
    """A copy of the checkout is built with its PDF (its build/ a copy of the shared build's, as if
    `make report` had run there); then one print transform of its chart module is edited (the fill of
    the first category: a grey for white) and it is built again, reusing its build/ as `make report`
    does. The chart cache misses (new chart PDFs) and the report's PDF changes: before issue 27 the
    cached chart PDFs were published unchanged until `make clean`."""
    import os
    import subprocess
    import sys

    from beichen.paths import REPO_ROOT

    copy = tmp_path / "checkout"
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=REPO_ROOT, capture_output=True, check=True).stdout
    for name in tracked.decode().split("\0"):
        if name and (REPO_ROOT / name).is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO_ROOT / name, copy / name)
    shutil.copytree(built_2024.staging, copy / "build", symlinks=True)
    env = {**os.environ, "PYTHONPATH": str(copy / "lib")}  # the copy's library, in the build and its kernels

    def build() -> bytes:
        subprocess.run([sys.executable, "-m", "beichen.publish.build", "--year", "2024", "--pdf"], cwd=copy,
                       env=env, check=True, capture_output=True)
        return (copy / "site" / "2024" / "report-2024.pdf").read_bytes()

    charts_cache = copy / "build" / "2024" / "charts"
    before = build()
    cached_before = set(os.listdir(charts_cache))
    module = copy / "lib" / "beichen" / "render" / "charts.py"
    text = module.read_text(encoding="utf-8")
    old = 'PRINT_FILLS = ["#8c8c8c", '
    assert old in text
    module.write_text(text.replace(old, 'PRINT_FILLS = ["#5a5a5a", '), encoding="utf-8")
    after = build()
    assert set(os.listdir(charts_cache)) - cached_before  # made again, not taken from the cache
    assert after != before
