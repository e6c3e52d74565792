"""The reviewers' comments and changes as recorded by `make review` (meta/review-<year>.yml), as the
核查报告's 意见处理 table: who said what, on which passage, and what was done with it and why."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

COLUMNS = ["审阅人", "日期", "类型", "位置", "内容", "处理", "理由"]


def review_file(data_dir: Path, year: int) -> Path:
    return Path(data_dir) / "meta" / f"review-{year}.yml"


def load(data_dir: Path, year: int) -> list[dict]:
    path = review_file(data_dir, year)
    if not path.exists():
        return []
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("意见", [])


def table(data_dir: Path, year: int) -> pd.DataFrame:
    """One row per comment or change, in the order they were brought back; text as recorded."""
    rows = [{c: str(item.get(c, "")).replace("\n", "↵") for c in COLUMNS} for item in load(data_dir, year)]
    return pd.DataFrame(rows, columns=COLUMNS)


def page_lines(data_dir: Path, year: int, heading: str, number: str, markdown_table, folder: str) -> list[str]:
    """The 意见处理 section (MyST): a sentence on where the decisions live, and the table (表<number>).
    `heading` is a Markdown heading (“## （三）征求意见处理”)."""
    frame = table(data_dir, year)
    if frame.empty:
        return [heading, "", f"本版尚未导回审阅意见（make docx 生成征求意见稿，make review 导回；"
                f"记录在 {folder}/meta/review-{year}.yml）。"]
    counts = frame["处理"].value_counts()
    said = "，".join(f"{k}{v}项" for k, v in counts.items())
    return [heading, "",
            f"征求意见稿共收到审阅意见{len(frame)}项（{said}）。处理决定和理由记录在 {folder}/meta/review-{year}.yml，"
            "可由起草组修改；文字修改经 make review APPLY=1 写入文字底稿，涉及数字、表格和程序生成语句的修改不写入文字，"
            "须改数据文件。", "",
            markdown_table(frame, f"表{number} 意见处理", align="lllllll")]
