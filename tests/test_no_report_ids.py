"""No report id in code: a plan's ids live in its data (and its meta/*.yml), never in lib/ or in the
chapter notebooks, so that a new plan's report is generated from its own catalogue (issue 23).

The ids are every indicator_id, metric_id and chain_id of data/ (the 十四五 plan), of the made-up
十五五 plan tests/fixtures/plan-15 and of any plan under plans/. A Python file is read as tokens: an id
in a string (docstrings included) is a defect, an id in a comment is not (a comment may say why with
an example). A notebook's code cells are read alike, its Markdown cells as text.
"""
from __future__ import annotations

import csv
import io
import json
import re
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CATALOGUES = (("indicators.csv", "indicator_id"), ("metrics.csv", "metric_id"), ("chains.csv", "chain_id"))


def plan_dirs() -> list[Path]:
    return [ROOT / "data", ROOT / "tests" / "fixtures" / "plan-15",
            *sorted(p for p in (ROOT / "plans").glob("*") if p.is_dir())]


def report_ids() -> set[str]:
    ids = set()
    for folder in plan_dirs():
        for name, column in CATALOGUES:
            path = folder / name
            if path.exists():
                with path.open(encoding="utf-8-sig", newline="") as handle:
                    ids |= {row[column].strip() for row in csv.DictReader(handle) if (row.get(column) or "").strip()}
    return ids


def _pattern(ids: set[str]) -> re.Pattern:
    # Whole words only: “chain_output” is not found inside “in_chain_output”.
    return re.compile(r"(?<![A-Za-z0-9_])(" + "|".join(sorted(map(re.escape, ids), key=len, reverse=True))
                      + r")(?![A-Za-z0-9_])")


def ids_in_python(source: str, pattern: re.Pattern, first_line: int = 1) -> list[tuple[int, str]]:
    """(line, id) of every id inside a string token of Python source."""
    found = []
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return ids_in_text(source, pattern, first_line)
    for token in tokens:
        if token.type == tokenize.STRING or token.type == getattr(tokenize, "FSTRING_MIDDLE", -1):
            for offset, line in enumerate(token.string.splitlines() or [""]):
                found += [(token.start[0] + offset + first_line - 1, m.group(1)) for m in pattern.finditer(line)]
    return found


def ids_in_text(text: str, pattern: re.Pattern, first_line: int = 1) -> list[tuple[int, str]]:
    return [(number + first_line - 1, m.group(1))
            for number, line in enumerate(text.splitlines(), start=1) for m in pattern.finditer(line)]


def offences(ids: set[str]) -> list[str]:
    pattern = _pattern(ids)
    found = []
    for path in sorted((ROOT / "lib").rglob("*.py")):
        for line, report_id in ids_in_python(path.read_text(encoding="utf-8"), pattern):
            found.append(f"{path.relative_to(ROOT)}:{line}: {report_id}")
    for path in sorted((ROOT / "chapters").glob("*.ipynb")):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        for index, cell in enumerate(notebook["cells"]):
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            scan = ids_in_python if cell["cell_type"] == "code" else ids_in_text
            for line, report_id in scan(source, pattern):
                found.append(f"{path.relative_to(ROOT)}: 第{index + 1}个单元 第{line}行: {report_id}")
    return found


def test_no_report_id_in_lib_or_chapters():
    ids = report_ids()
    # The catalogues were read (not an empty pattern that finds nothing): the 十四五 plan alone has
    # 7 indicators (data/indicators.csv) and 9 chains (data/chains.csv, 二(一)).
    assert {"mfg_va_share_gdp", "new_materials", "above_scale_industrial_output"} <= ids
    found = offences(ids)
    assert not found, ("报告的标识写在了代码里（应放在 data/meta/report.yml 等元数据中）：\n" + "\n".join(found))


def test_the_scan_finds_an_id_in_a_string_and_names_its_line():
    pattern = _pattern({"new_materials", "chain_output"})
    source = 'x = 1\n# new_materials in a comment is allowed\ny = f"{a}chain_output"\nz = "in_chain_output"\n'
    assert ids_in_python(source, pattern) == [(3, "chain_output")]
    docstring = 'def f():\n    """Reads new_materials."""\n'
    assert ids_in_python(docstring, pattern) == [(2, "new_materials")]


def test_the_scan_reads_markdown_cells_as_text():
    pattern = _pattern({"tcm"})
    assert ids_in_text("## （一）标题\n链 tcm 的小节", pattern) == [(2, "tcm")]
    assert ids_in_text("tcm_extra 不是标识", pattern) == []
