"""`make site`: build several editions, then the landing page and the year switcher lists.

    python -m beichen.publish.make_site --years 2024 2025     # build each edition (with PDFs), then site/index.html
    python -m beichen.publish.make_site --refresh             # only rewrite the landing page and switcher lists
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from beichen import cli
from beichen.errors import BuildError
from beichen.inputs.loading import DataValidationError
from beichen.lock import BusyError, one_writer
from beichen.paths import DATA_DIR, NARRATIVE_DIR, SITE_DIR, STAGING_DIR
from beichen.publish.build import add_path_arguments, build_report
from beichen.site.landing import published_editions, refresh_site


def build_site(years: list[int], pdf: bool = True, data_dir: Path = DATA_DIR,
               narrative_dir: Path = NARRATIVE_DIR, site_dir: Path = SITE_DIR,
               staging_dir: Path = STAGING_DIR, log=print, review_dir: Path | None = None) -> list[int]:
    """Build each year's edition in turn, then the landing page; return the years that failed.

    A failing year leaves its last good edition in place and does not stop the others. Each
    edition's 核查报告 goes to review_dir/<year>/ (default: review/ beside site_dir), not into the site.
    """
    started = time.perf_counter()
    failed = []
    for year in years:
        try:
            build_report(year, data_dir, narrative_dir, site_dir, staging_dir, pdf=pdf, review_dir=review_dir)
        except (BuildError, DataValidationError) as err:
            log(f"错误: {year}年版构建失败，已发布的{year}年版未改动:\n{err}")
            failed.append(year)
    index = refresh_site(site_dir, data_dir)
    built = [y for y in years if y not in failed]
    log(f"== 网站首页: {index}（{len(published_editions(site_dir))} 个版本；本次生成 "
        f"{'、'.join(map(str, built)) or '无'}；{time.perf_counter() - started:.0f}s）==")
    return failed


def main(argv: list[str] | None = None) -> int:
    parser = cli.ArgumentParser(description="Build several editions and the landing page.")
    parser.add_argument("--years", type=cli.year, nargs="*", default=[])
    parser.add_argument("--html-only", action="store_true", help="skip the PDFs")
    parser.add_argument("--refresh", action="store_true", help="only rewrite the landing page and switcher lists")
    add_path_arguments(parser)
    args = parser.parse_args(argv)
    try:
        with one_writer("生成各年度版本", args.data_dir):
            if args.refresh or not args.years:
                print(f"网站首页: {refresh_site(args.site_dir, args.data_dir)}")
                return 0
            failed = build_site(args.years, not args.html_only, args.data_dir, args.narrative_dir,
                                args.site_dir, args.staging_dir, review_dir=args.review_dir)
    except BusyError as err:
        print(f"错误: {err}")
        return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
