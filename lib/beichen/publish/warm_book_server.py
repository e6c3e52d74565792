"""The waiting side of lib/beichen/site/warm_book.py: import Jupyter Book, Sphinx and the report's
extensions now, then run the one `jupyter-book` command read from standard input (none: exit).

    python -m beichen.publish.warm_book_server [--jieba]
"""
from __future__ import annotations

import json
import sys


def _serve(jieba: bool) -> int:
    from jupyter_book.cli.main import main as jupyter_book_main

    import myst_nb.sphinx_ext  # noqa: F401  (imported here, ahead of the command)
    import sphinx.application  # noqa: F401
    import sphinx_book_theme  # noqa: F401

    import beichen.dossier.pages  # noqa: F401  (the 核查报告's extension)
    import beichen.site.ui  # noqa: F401
    import beichen.site.vega_offline  # noqa: F401
    import beichen.site.search  # noqa: F401
    if jieba:
        import jieba as _jieba
        _jieba.initialize()
    line = sys.stdin.readline()
    if not line.strip():
        return 0
    args = json.loads(line)
    sys.argv = ["jupyter-book", *args]
    try:
        jupyter_book_main(args, prog_name="jupyter-book")
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    return 0


if __name__ == "__main__":
    sys.exit(_serve("--jieba" in sys.argv[1:]))
