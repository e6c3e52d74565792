"""`make bench`: how long a build takes, cold and after small changes, against plain Jupyter Book.

Every figure is the whole-process wall time of the command an analyst runs (`python -m
beichen.publish.build …`, `python -m beichen.publish.make_site …`, `jupyter-book build …`), the median
of --runs runs, in a scratch folder with a copy of data/ (nothing in data/, site/ or build/ is
touched). The builds compared in a ratio run in turns (cold, unchanged, each change; the peers beside
ours), so a slow spell of the shared machine weighs on both sides alike. Not part of `make test`:
times are reported, never asserted.

Changes, each made anew before every timed run (so each run has something to do):
* one value: 承接非首都功能疏解项目 (metrics.csv; cited only by chapter 一's text) 200 ↔ 210, or
  产业子链 (cited only by chapter 五's) 16 ↔ 17;
* one passage: chapter 五's “synergy” passage, 扭住 ↔ 抓住;
* editions: a 2025 edition imported from tests/fixtures/2025 (made-up figures) and a 2023 edition
  made of the rows of 2023 and earlier (its text left to write); the change is one 2025 figure.

Peers, the same notebooks and Sphinx configuration built by plain Jupyter Book 1:
* `execute_notebooks: force` — every notebook executed, every page written;
* `execute_notebooks: cache` with `_build/` kept, nothing changed — Jupyter Book's own cache
  (it keys on the notebooks' code, not on the data they read).
"""
from __future__ import annotations

import argparse
import csv
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
JB = str(Path(sys.executable).parent / "jupyter-book")
# (metric id, value, other value): each cited by one chapter's text only (grep data/narrative/2024, chapters/,
# data/meta): 承接非首都功能疏解项目 by chapter 一 (the largest: 3 charts, 3 tables), 产业子链 by chapter 五.
FIGURE = ("beijing_relocation_projects", ",200,actual,", ",210,actual,")
FIGURE_5 = ("sub_chains", ",16,actual,", ",17,actual,")
PASSAGE = ("05_recommendations.md", "一是扭住承接", "一是抓住承接")
FIGURE_2025 = ("mfg_va_share_gdp", "40.4", "40.6")  # a figure of the 2025 import


def run(cmd: list[str], cwd: Path | None = None) -> float:
    started = time.perf_counter()
    result = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"失败: {' '.join(cmd)}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return seconds


class Workspace:
    def __init__(self, root: Path):
        self.root = root
        self.data = root / "data"
        shutil.copytree(ROOT / "data", self.data, ignore=shutil.ignore_patterns("entry"))
        # The values and words toggled below are not the source's: the comparison of the 2024 text with
        # the source (lib/beichen/audit/departures.py, 0.1 s of a build) would stop those builds. Off here.
        departures = self.data / "meta" / "departures.yml"
        departures.write_text(departures.read_text(encoding="utf-8").replace("\ncompare_edition:", "\n# compare_edition:"),
                              encoding="utf-8")
        self.staging, self.site = root / "build", root / "site"

    def paths(self) -> list[str]:
        return ["--data-dir", str(self.data), "--narrative-dir", str(self.data / "narrative"),
                "--site-dir", str(self.site), "--staging-dir", str(self.staging)]

    def build(self, year: int = 2024, pdf: bool = False, cold: bool = False) -> float:
        return run([PY, "-m", "beichen.publish.build", "--year", str(year), *(["--pdf"] if pdf else []),
                    *(["--no-cache"] if cold else []), *self.paths()])

    def site_build(self, years: list[int], pdf: bool = False) -> float:
        return run([PY, "-m", "beichen.publish.make_site", "--years", *map(str, years),
                    *([] if pdf else ["--html-only"]), *self.paths()])

    def toggle(self, path: Path, a: str, b: str, line_start: str = "") -> None:
        """Swap a for b (or back) in the one line of `path` that starts with line_start."""
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        hits = [i for i, line in enumerate(lines) if line.startswith(line_start) and (a in line or b in line)]
        assert len(hits) == 1, (path, line_start, hits)
        line = lines[hits[0]]
        lines[hits[0]] = line.replace(a, b) if a in line else line.replace(b, a)
        path.write_text("".join(lines), encoding="utf-8")

    def change_value(self, figure=FIGURE) -> None:
        self.toggle(self.data / "metrics.csv", figure[1], figure[2], figure[0] + ",")

    def change_passage(self) -> None:
        self.toggle(self.data / "narrative" / "2024" / PASSAGE[0], PASSAGE[1], PASSAGE[2])

    def add_editions(self) -> None:
        """A 2025 edition (the made-up import of tests/fixtures/2025) and a 2023 edition."""
        from beichen.inputs.intake import import_entry
        from beichen.publish.new_year import new_year

        new_year(2025, self.data, self.data / "narrative", log=lambda *a: None)
        import_entry(2025, ROOT / "tests" / "fixtures" / "2025" / "entry-2025.csv", self.data,
                     backup_dir=self.root / "backup", log=lambda *a: None)
        # 2023: the 2024 edition's figures one year earlier (base and target rows as they are), its
        # text left to write — made-up, like the 2025 import, for timing only.
        for name in ("indicator_values", "metrics", "chains"):
            path = self.data / f"{name}.csv"
            with path.open(encoding="utf-8-sig", newline="") as f:
                rows = list(csv.DictReader(f))
            earlier = [_one_year_earlier(r) for r in rows if r["edition"] == "2024"]
            with path.open("a", encoding="utf-8", newline="") as f:
                csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n").writerows(earlier)
        (self.data / "narrative" / "2023").mkdir(exist_ok=True)

    def change_2025_value(self) -> None:
        path = self.data / "indicator_values.csv"
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        hits = [i for i, line in enumerate(lines) if line.startswith(FIGURE_2025[0] + ",") and line.rstrip().endswith(",2025")
                and "actual" in line]
        assert len(hits) == 1, hits
        line = lines[hits[0]]
        a, b = f",{FIGURE_2025[1]},", f",{FIGURE_2025[2]},"
        lines[hits[0]] = line.replace(a, b) if a in line else line.replace(b, a)
        path.write_text("".join(lines), encoding="utf-8")


def _one_year_earlier(row: dict) -> dict:
    """A 2024-edition row as the 2023 edition's: observed years after the base year moved back one."""
    row = dict(row, edition="2023")
    if row.get("kind", "actual") not in ("base", "target") and row["year"].isdigit() and int(row["year"]) > 2020:
        old = row["year"]
        row["year"] = str(int(old) - 1)
        if row.get("period"):
            row["period"] = row["period"].replace(old, row["year"])
    return row


def peer_book(root: Path, mode: str) -> Path:
    """The report's notebooks and Sphinx configuration as a plain Jupyter Book that executes them."""
    book = root / f"peer-{mode}"
    if book.exists():
        shutil.rmtree(book)
    book.mkdir()
    shutil.copytree(ROOT / "chapters", book / "chapters")
    shutil.copytree(ROOT / "_static", book / "_static")
    shutil.copy2(ROOT / "_toc.yml", book / "_toc.yml")
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    config["execute"] = {"execute_notebooks": mode, "timeout": 600}
    (book / "_config.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return book


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, help="also write the table (Markdown) to this file")
    args = parser.parse_args(argv)
    n = args.runs
    rows: list[tuple[str, float, str]] = []  # (build, seconds, compared with)

    def row(name: str, seconds: float, base: float | None = None, base_name: str = "", ours: str = "") -> None:
        """`base`: the ratio is this build's time to base_name's; with `ours`, the peer's time is the
        base and the column says how long ours takes as a share of it."""
        if base and ours:
            ratio = f"{ours}: {base / seconds:.0%} of this"
        elif base:
            ratio = f"{seconds / base:.1%} of {base_name}" if seconds / base < 0.1 else f"{seconds / base:.0%} of {base_name}"
        else:
            ratio = ""
        rows.append((name, seconds, ratio))
        print(f"  {name}: {seconds:.2f} s", flush=True)

    with tempfile.TemporaryDirectory(prefix="beichen-bench-") as tmp:
        ws = Workspace(Path(tmp))
        print(f"bench: median of {n} runs each", flush=True)
        # Cold and incremental builds alternate (cold, then each change on top of it), so that a slower
        # or faster spell of the shared machine weighs on both sides of a ratio alike.
        # The peers build the same notebooks in the same turns as ours (HTML).
        force, cached = peer_book(ws.root, "force"), peer_book(ws.root, "cache")
        run([JB, "build", str(cached), "--builder", "html"])
        peers: dict[str, list[float]] = {"force": [], "cache": []}

        def peer_force() -> None:
            shutil.rmtree(force / "_build", ignore_errors=True)
            peers["force"].append(run([JB, "build", str(force), "--builder", "html"]))

        def peer_cache() -> None:
            peers["cache"].append(run([JB, "build", str(cached), "--builder", "html"]))

        for pdf, label in ((True, "HTML + PDF"), (False, "HTML only")):
            times: dict[str, list[float]] = {}
            for _ in range(n):
                for name, change in (("cold", None), ("nothing changed", None),
                                     ("one value changed (read by chapter 一 only)", ws.change_value),
                                     ("one value changed (read by chapter 五 only)", lambda: ws.change_value(FIGURE_5)),
                                     ("one narrative passage changed (chapter 五)", ws.change_passage)):
                    if change:
                        change()
                    times.setdefault(name, []).append(ws.build(pdf=pdf, cold=name == "cold"))
                    if not pdf and name == "cold":
                        peer_force()
                    if not pdf and name == "nothing changed":
                        peer_cache()
            cold = statistics.median(times.pop("cold"))
            row(f"2024, {label}, every chapter executed (cold, `--no-cache`)", cold)
            for name, values in times.items():
                row(f"2024, {label}, {name}", statistics.median(values), cold, "cold")
        unchanged = statistics.median(times["nothing changed"])
        row("peer: plain `jupyter-book build`, `execute_notebooks: force` (HTML)", statistics.median(peers["force"]),
            cold, ours="our cold HTML")
        row("peer: plain `jupyter-book build`, `execute_notebooks: cache`, `_build` kept, nothing changed",
            statistics.median(peers["cache"]), unchanged, ours="our no-change HTML")

        ws.add_editions()
        ws.site_build([2023, 2024, 2025], pdf=True)
        ones, threes = [], []
        for _ in range(n):  # alternating, as above
            ws.change_2025_value()
            ones.append(ws.build(2025, pdf=True))
            ws.change_2025_value()
            threes.append(ws.site_build([2023, 2024, 2025], pdf=True))
        one = statistics.median(ones)
        row("one edition (2025, HTML + PDF) after one 2025 figure changed", one)
        row("three editions (2023, 2024, 2025, HTML + PDF) after one 2025 figure changed", statistics.median(threes),
            one, "one edition")

    table = ["| build | median | ratio |", "|---|---:|---|"]
    table += [f"| {name} | {seconds:.2f} s | {ratio} |" for name, seconds, ratio in rows]
    text = "\n".join(table)
    print("\n" + text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
