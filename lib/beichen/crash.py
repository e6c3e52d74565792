"""Crash injection for the crash-safety tests: die at a named step, as a SIGKILL would.

    BEICHEN_CRASH_AT=publish:swapped python -m beichen.publish.build --year 2024

Each step that changes published output or data/ calls ``point("<step>")``; when the
environment variable names that step the process ends at once (``os._exit``: no cleanup, no
``finally``, no flushing), so a test can check what a kill at exactly that instant leaves behind.
Unset (always, outside the tests) it does nothing.
"""
from __future__ import annotations

import os
import sys

ENV = "BEICHEN_CRASH_AT"
EXIT_STATUS = 137  # what a shell reports for SIGKILL


def point(step: str) -> None:
    if os.environ.get(ENV) == step:
        sys.stdout.flush()
        os._exit(EXIT_STATUS)
