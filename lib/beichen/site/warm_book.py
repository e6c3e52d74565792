"""`jupyter-book build`, started ahead of time: the process imports Jupyter Book, Sphinx, the themes,
myst-nb, the report's extensions and jieba's dictionary while the chapters are still running, then
waits for its one command on standard input.

The command and its result are those of the `jupyter-book` program (same entry point, arguments,
environment, exit code and output); what moves off the critical path is the ~2 s of imports and
dictionary loading every Sphinx run pays before it reads a page. The waiting side is
lib/beichen/publish/warm_book_server.py (apart, so that the extensions it imports may use this module).
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from beichen import processes


class WarmBook:
    """One `jupyter-book` process, started now, given its command later (or told to stop)."""

    def __init__(self, env: dict | None = None, jieba: bool = False):
        # It dies with the build, even a killed one, mid-command (lib/beichen/processes.py).
        self._proc = processes.popen([sys.executable, "-m", "beichen.publish.warm_book_server", *(["--jieba"] if jieba else [])],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, env=env)

    def run(self, args: list[str]) -> subprocess.CompletedProcess:
        """Run `jupyter-book <args>` in the waiting process; its output, as subprocess.run gives it."""
        out, err = self._proc.communicate(json.dumps([str(a) for a in args]) + "\n")
        return subprocess.CompletedProcess(["jupyter-book", *args], self._proc.returncode, out, err)

    def close(self) -> None:
        """Stop it if it was never given a command (it has written nothing yet: it only imports)."""
        if self._proc.poll() is None:
            self._proc.kill()
            self._proc.communicate()


def jupyter_book(args: list[str], env: dict | None = None, warm: WarmBook | None = None) -> subprocess.CompletedProcess:
    """`jupyter-book <args>`: in `warm` if given, else a new process."""
    if warm is not None:
        return warm.run(args)
    # group: latexmk and xelatex (the 核查报告's PDF) end with the build too.
    return processes.run([str(Path(sys.executable).parent / "jupyter-book"), *map(str, args)], group=True, env=env)
