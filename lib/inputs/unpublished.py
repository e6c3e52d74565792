"""data/unpublished.csv: figures recorded as not yet published by their source (optional file).

A figure without a value is shown as 暂无数据 (未录入: nobody entered it). Only a figure recorded here
— e.g. the following year's January–October 快报数 that the statistics office had not released when
the edition was prepared — is said to be “尚未发布”. `make import` writes a row when the entry sheet's
本年数值 reads 未发布; a value entered later for the same figure and year supersedes the record.

Columns: metric_id (metrics.csv), year (the figure's year), source (who said it is not published),
edition (the edition the record was made for: earlier editions never see it).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from beichen.inputs.loading import SLUG, DataValidationError, _edition, _text, read_table

UNPUBLISHED_FILE = "unpublished.csv"
# What the analyst types in 本年数值 to record a figure as not yet published.
UNPUBLISHED_WORD = "未发布"
COLUMNS = ["metric_id", "year", "source", "edition"]


def unpublished_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "metric_id": _text(checks=pa.Check.str_matches(SLUG)),
            "year": pa.Column(int, pa.Check.in_range(2015, 2035), coerce=True),
            "source": _text(checks=pa.Check.str_length(min_value=1)),
            "edition": _edition(),
        },
        unique=["metric_id", "year", "edition"],
        name=UNPUBLISHED_FILE,
    )


def load_unpublished(data_dir: Path | str, known_metrics: set[str]) -> pd.DataFrame:
    """The records of data_dir/unpublished.csv, validated (an empty frame when the file is absent)."""
    path = Path(data_dir) / UNPUBLISHED_FILE
    if not path.exists():
        return pd.DataFrame({c: pd.Series(dtype="int64" if c in ("year", "edition") else "object") for c in COLUMNS})
    frame = read_table(path, unpublished_schema())
    unknown = [f"{UNPUBLISHED_FILE}: 第{i + 2}行, 列 metric_id: 值 “{m}” 不在 metrics.csv 中"
               for i, m in frame["metric_id"].items() if m not in known_metrics]
    if unknown:
        raise DataValidationError(unknown)
    return frame
