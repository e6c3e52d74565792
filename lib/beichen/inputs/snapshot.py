"""An edition's rows of a data table: the tables whose rows carry the edition they were entered for
(indicator_values, metrics, chains, revisions, unpublished) are read, for an edition, as they stood
when it was made — a later year's import leaves an earlier edition as it was.

Kept light on purpose (csv only): the build's no-op check (lib/beichen/publish/incremental.py) runs
before anything imports pandas.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path


def edition_rows(path: Path, year: int) -> bytes:
    """The header and the rows of a data table entered for `year` or earlier, as in the file."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:  # not UTF-8: the build's validation says so; here any change counts
        return raw
    lines = text.splitlines(keepends=True)
    if not lines:
        return raw
    try:
        column = next(csv.reader([lines[0]])).index("edition")
    except ValueError:
        return raw
    kept = [lines[0]]
    for line in lines[1:]:
        try:
            cells = next(csv.reader(io.StringIO(line)))
            if int(cells[column]) > year:
                continue
        except (StopIteration, IndexError, ValueError):
            pass  # a line that is not one whole row: kept, so any change to it counts
        kept.append(line)
    return "".join(kept).encode("utf-8")
