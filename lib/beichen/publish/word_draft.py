"""`make docx YEAR=…`: bring the edition up to date, then write its Word draft (lib/beichen/word/draft.py)."""
from __future__ import annotations

from pathlib import Path

from beichen import cli
from beichen.errors import BuildError
from beichen.inputs.plans import resolve_data_dir
from beichen.lock import BusyError, one_writer
from beichen.publish import build
from beichen.word.draft import docx_dir, make_docx


def main(argv: list[str] | None = None) -> int:
    """`make docx YEAR=…`: bring the edition up to date (as `make html`), then write its Word draft."""
    parser = cli.ArgumentParser(description="The edition as an editable .docx for the review round.")
    parser.add_argument("--year", type=cli.year, default=2024)
    build.add_path_arguments(parser)
    args = parser.parse_args(argv)
    review_dir = args.review_dir or build.default_review_dir(args.site_dir)
    try:
        with one_writer(f"生成{args.year}年版Word征求意见稿", args.data_dir):
            build.build_report(args.year, args.data_dir, args.narrative_dir, args.site_dir, args.staging_dir,
                               pdf=False, review_dir=review_dir)
            data_dir, narrative_dir = resolve_data_dir(args.year, args.data_dir, args.narrative_dir)
            target = docx_dir(review_dir, args.year) / f"report-{args.year}.docx"
            manifest = make_docx(args.year, Path(args.staging_dir) / str(args.year) / "book", narrative_dir, target,
                                 data_dir)
    except BusyError as err:
        build.log(f"错误: {err}")
        return 1
    except BuildError as err:
        build.log(f"错误: {err}")
        return 1
    build.log(f"Word 稿（{manifest['status']}，内部工作文件，不在 site/ 中）: {target}")
    build.log(f"    版本指纹 {manifest['fingerprint']}；审阅后的文件用 make review YEAR={args.year} FILE=… 导回")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
