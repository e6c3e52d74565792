"""Sphinx run again over a kept build (the site's and the 核查报告's): which arguments, and which
copied static files to remove first so a rerun writes the bytes a cold build writes.
"""
from __future__ import annotations

import shutil
from pathlib import Path


def sphinx_build_args(changed: list[str]) -> list[str]:
    """`jupyter-book build` arguments for a book whose files `changed` (sync_tree's list): none when
    a page or the configuration changed (Sphinx writes what is out of date, then copies the static
    files); `--all` when only other files did (a chart PDF, a download, the print style) or none —
    Sphinx would find no page out of date and stop before copying its static files, which
    fresh_static has removed, leaving the site without them (and myst-nb failing on its CSS)."""
    pages = [p for p in changed if p.endswith((".ipynb", ".md")) or p in ("_config.yml", "_toc.yml")]
    return [] if pages else ["--all"]


# The pages' own scripts, moved out of the pages for the Content-Security-Policy (lib/beichen/site/policy.py),
# one file per content digest: written as each page is written, so a rerun that rewrites some pages
# only would lose the others' if they went with the rest of _static/.
PAGE_SCRIPTS_DIR = "_static/beichen-scripts"


def fresh_static(html_dir: Path) -> None:
    """Before Sphinx runs again over a kept build: remove its copied static files. Sphinx copies
    them anew before writing pages and stamps each page's link with the file's checksum only if
    the file exists then; files written after the pages (the search texts, myst-nb's CSS) exist
    at that moment only in a rebuild, so a kept _static/ would give other bytes than a cold build.
    The pages' moved scripts stay (named by their content; those no page names are removed after
    the run)."""
    html_dir = Path(html_dir)
    scripts = html_dir / PAGE_SCRIPTS_DIR
    kept = html_dir / ".beichen-scripts.kept"
    shutil.rmtree(kept, ignore_errors=True)
    if scripts.is_dir():
        scripts.rename(kept)
    shutil.rmtree(html_dir / "_static", ignore_errors=True)
    if kept.is_dir():
        scripts.parent.mkdir(parents=True)
        kept.rename(scripts)
