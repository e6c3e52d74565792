"""`make review YEAR=… FILE=…`: bring a reviewed Word draft back (lib/beichen/word/review.py), under the
lock every writer of data/ takes."""
from __future__ import annotations

from pathlib import Path

from beichen import cli
from beichen.lock import BusyError, one_writer
from beichen.publish import build
from beichen.word.review import ReviewError, bring_back


def main(argv: list[str] | None = None) -> int:
    parser = cli.ArgumentParser(description="Bring a reviewed Word draft back.")
    parser.add_argument("--year", type=cli.year, default=2024)
    parser.add_argument("--file", type=Path, required=True)
    parser.add_argument("--apply", action="store_true")
    build.add_path_arguments(parser)
    args = parser.parse_args(argv)
    if not args.file.is_file():
        build.log(f"错误: 找不到审阅后的文件 {args.file}（FILE=…）")
        return 1
    review_dir = args.review_dir or build.default_review_dir(args.site_dir)
    try:
        with one_writer(f"导回{args.year}年版审阅意见", args.data_dir):
            out = bring_back(args.year, args.file, args.data_dir, args.narrative_dir, review_dir, args.apply)
    except (ReviewError, BusyError) as err:
        build.log(f"错误: {err}")
        return 1
    for item in out["items"]:
        build.log(f"  [{item['处理']}] {item['审阅人']} {item['日期']} {item['类型']}“{item['内容']}”"
                  f"（{item['位置'] or '未定位'}，{item['定位']}）：{item['理由']}")
    for diff in out["diffs"]:
        build.log(diff)
    if out["written"]:
        build.log("已写入: " + "、".join(out["written"]))
    elif out["diffs"]:
        build.log(f"以上为建议的修改，未写入；确认后加 APPLY=1（全部写入或都不写入）。")
    build.log(f"意见处理记录: {Path(args.data_dir) / 'meta' / f'review-{args.year}.yml'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
