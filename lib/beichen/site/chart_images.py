"""The charts' printed images: each chapter writes its charts as SVG beside its notebook
(``charts/<chapter>/<figure>.svg``, lib/beichen/render/chapter.py), and the page names them relative to
itself; after the HTML build they are copied to the same place beside the page.

A browser prints the image, not the interactive chart: a chart is drawn only when it nears the screen,
and printing does not wait for that (lib/beichen/site/assets/charts.css). The image is lazy and shown
only on paper, so a reader on screen never fetches it; Chromium fetches it, and waits for it, when printing.
"""
from __future__ import annotations

from pathlib import Path

from beichen.files import write_if_changed

#: Where a chapter's chart images stand, relative to the book's source folder (the staged book).
PATTERN = "chapters/" + "charts/*/*.svg"


def copy_chart_images(app, exception) -> None:
    """After the HTML build: every chart image of the book beside its page, stale ones removed."""
    if exception or getattr(app.builder, "format", None) != "html":
        return
    src, out = Path(app.srcdir), Path(app.outdir)
    wanted = {p.relative_to(src) for p in src.glob(PATTERN)}
    for rel in sorted(wanted):
        write_if_changed(out / rel, (src / rel).read_text(encoding="utf-8"))
    for old in out.glob(PATTERN):
        if old.relative_to(out) not in wanted:
            old.unlink()


def setup(app):
    app.connect("build-finished", copy_chart_images)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
