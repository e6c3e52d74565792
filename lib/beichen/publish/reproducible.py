"""Same inputs, same bytes: the build's clock is the edition's issue date, not the wall clock.

Sphinx, xelatex and xdvipdfmx stamp their output with the current time (page footers, the
PDF's CreationDate/ModDate and its /ID) unless SOURCE_DATE_EPOCH is set
(https://reproducible-builds.org/specs/source-date-epoch/). A build's time must come from its
inputs: the latest commit or a file's mtime changes when nothing the reader sees does, so the
epoch is the edition's issue date as recorded in data/editions.csv (“2025年11月” → 2025-11-01
00:00 UTC).
"""
from __future__ import annotations

import calendar
import os
import re

from beichen.errors import BuildError

DATE = re.compile(r"^\s*(\d{4})\s*年\s*(?:(\d{1,2})\s*月\s*(?:(\d{1,2})\s*日)?)?\s*$")


def source_date_epoch(issue_date: str) -> int:
    """Seconds since 1970 (UTC) of an issue date written “2025年”, “2025年11月” or “2025年11月20日”."""
    match = DATE.match(str(issue_date))
    if not match:
        raise BuildError(f"data/editions.csv: 成文日期 “{issue_date}” 不合要求，应写作“2025年11月”或“2025年11月20日”")
    year, month, day = int(match.group(1)), int(match.group(2) or 1), int(match.group(3) or 1)
    return calendar.timegm((year, month, day, 0, 0, 0))


def environment(epoch: int, base: dict | None = None) -> dict:
    """The environment of the build's subprocesses (Sphinx, latexmk, xelatex, xdvipdfmx)."""
    env = dict(os.environ if base is None else base)
    env["SOURCE_DATE_EPOCH"] = str(int(epoch))
    env["FORCE_SOURCE_DATE"] = "1"  # TeX's \today and \time follow SOURCE_DATE_EPOCH too
    env["TZ"] = "UTC"
    env["LC_ALL"] = env.get("LC_ALL") or "C.UTF-8"
    env["PYTHONHASHSEED"] = "0"  # Sphinx's set ordering in search index and inventories
    return env
