"""Lighthouse over every page of a built site: `make lighthouse` (not part of `make test`).

    python tools/lighthouse/run_lighthouse.py site/ [--runs 3] [--presets desktop mobile] [--year 2024]

Serves the site folder on 127.0.0.1 (a random port), runs the npm package `lighthouse`
(tools/lighthouse/package-lock.json) with the system Chromium (CHROME_PATH, default
/usr/bin/chromium) once per page, preset and run, and prints one table: the median of the runs
for performance, accessibility, best practices and SEO, plus transfer size and request count.
Timing on a shared machine is noisy, which is why this is a benchmark and not a test.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from beichen.site.preview import serve

HERE = Path(__file__).resolve().parent
CLI = HERE / "node_modules" / "lighthouse" / "cli" / "index.js"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
METRICS = ["largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift"]
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run "
                "--disable-background-networking --disable-component-update --disable-sync")




def pages(site: Path, year: str) -> list[str]:
    """Every reader-facing page of the edition, relative to site/."""
    edition = site / year
    found = [p for p in sorted(edition.rglob("*.html"))
             if not {"_static", "_sources", "_images"} & set(p.relative_to(edition).parts[:-1])]
    return [p.relative_to(site).as_posix() for p in found]


def run_once(url: str, preset: str, keep: Path | None = None) -> dict:
    chrome = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        cmd = ["node", str(CLI), url, "--output=json", f"--output-path={out}", "--quiet",
               f"--only-categories={','.join(CATEGORIES)}",
               f"--chrome-flags={CHROME_FLAGS} --user-data-dir={tmp}/profile"]
        if preset == "desktop":
            cmd.append("--preset=desktop")
        env = dict(os.environ, CHROME_PATH=chrome)
        subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        report = json.loads(out.read_text(encoding="utf-8"))
        if keep:  # the last run's full report, for its diagnostics
            keep.mkdir(parents=True, exist_ok=True)
            name = f"{preset}-" + url.split("/", 3)[-1].replace("/", "_").replace(".html", "") + ".json"
            (keep / name).write_text(out.read_text(encoding="utf-8"), encoding="utf-8")
    scores = {c: round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES}
    items = report["audits"].get("network-requests", {}).get("details", {}).get("items", [])
    scores["kib"] = round(sum(i.get("transferSize", 0) for i in items) / 1024)
    scores["requests"] = len(items)
    failed = [a["id"] for a in report["audits"].values()
              if a.get("score") is not None and a.get("score") < 1 and a.get("scoreDisplayMode") == "binary"]
    scores["failed"] = failed
    for metric in ("largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift"):
        scores[metric] = report["audits"].get(metric, {}).get("numericValue") or 0
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--year", default="2024")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--presets", nargs="+", default=["desktop", "mobile"])
    parser.add_argument("--pages", nargs="*", help="only these pages (relative to site/)")
    parser.add_argument("--json", type=Path, help="also write the medians here")
    parser.add_argument("--keep", type=Path, help="keep each page's last full report in this folder")
    parser.add_argument("--no-compress", action="store_true",
                        help="serve text files uncompressed (a static host compresses them: the default)")
    args = parser.parse_args(argv)
    if not CLI.exists():
        print(f"lighthouse is not installed: run `npm ci` in {HERE}", file=sys.stderr)
        return 2
    site = args.site.resolve()
    targets = args.pages or pages(site, args.year)
    rows = []
    with serve(site, compress=not args.no_compress) as base:
        for preset in args.presets:
            for page in targets:
                runs = [run_once(base + page, preset, args.keep) for _ in range(args.runs)]
                med = {k: statistics.median(r[k] for r in runs) for k in CATEGORIES + ["kib", "requests"] + METRICS}
                failed = sorted({f for r in runs for f in r["failed"]})
                rows.append({"preset": preset, "page": page, **med, "failed": failed})
                print(f"  {preset:7} {page}: " + " ".join(f"{k}={med[k]:g}" for k in med), flush=True)
    print()
    print(f"Lighthouse {json.loads((HERE / 'node_modules/lighthouse/package.json').read_text())['version']}, "
          f"median of {args.runs} run(s), local server ({'uncompressed' if args.no_compress else 'gzip, as a static host'}), "
          f"{os.environ.get('CHROME_PATH', '/usr/bin/chromium')}")
    head = f"| {'preset':7} | {'page':38} | perf | a11y | best | seo | KiB | req | LCP ms | TBT ms | CLS |"
    print(head)
    print("|" + "|".join("-" * (len(c)) for c in head.split("|")[1:-1]) + "|")
    for r in rows:
        print(f"| {r['preset']:7} | {r['page']:38} | {r['performance']:4g} | {r['accessibility']:4g} "
              f"| {r['best-practices']:4g} | {r['seo']:3g} | {r['kib']:3g} | {r['requests']:3g} "
              f"| {r['largest-contentful-paint']:6.0f} | {r['total-blocking-time']:6.0f} "
              f"| {r['cumulative-layout-shift']:.3f} |")
    fails = {f for r in rows for f in r["failed"]}
    if fails:
        print("audits not passed on some page:", ", ".join(sorted(fails)))
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
