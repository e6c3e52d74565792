"""The print edition: Jupyter Book's LaTeX builder with xelatex, from the executed notebooks.

The print style (GB/T 9704-2012-like: A4, 仿宋 三号, 黑体/楷体 headings, “— 1 —” page numbers,
title page, 目录) lives in latex/; see latex/README.md.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from beichen.errors import BuildError


def latex_environment(base: dict | None = None) -> dict:
    """xelatex may run no shell command and read and write only inside the build tree.

    kpathsea takes its texmf.cnf settings from the environment: openin_any/openout_any=p
    (“paranoid”) refuse absolute paths, “..” and dot files, so `\\input{/etc/hostname}` in a
    passage cannot print a file of the machine into the PDF; shell_escape=f and
    -no-shell-escape (through Sphinx's latexmkrc, $LATEXOPTS) turn \\write18 off entirely.
    """
    import os

    env = dict(os.environ if base is None else base)
    env.update({"openin_any": "p", "openout_any": "p", "shell_escape": "f",
                "LATEXOPTS": "-no-shell-escape"})
    env.pop("TEXMFOUTPUT", None)  # paranoid mode would allow absolute paths under it
    return env


def _jupyter_book(book: Path, builder: str, log_name: str, env: dict) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(Path(sys.executable).parent / "jupyter-book"), "build", str(book), "--builder", builder,
         "-n", "-W", "--keep-going"],
        capture_output=True, text=True, env=env)
    (book / log_name).write_text(result.stdout + result.stderr, encoding="utf-8")
    return result


def latex_digest(latex_dir: Path) -> str:
    """SHA-256 of what xelatex reads: the .tex, style and image files Sphinx wrote (not its own
    output: .aux, .log, .pdf …)."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted(Path(latex_dir).rglob("*")):
        if path.is_file() and path.suffix in {".tex", ".sty", ".ltx", ".cls", ".pdf", ".png", ".jpg", ".svg"} \
                and path.name not in {"book.pdf"} and not path.name.startswith("report-"):
            digest.update(path.relative_to(latex_dir).as_posix().encode() + b"\0"
                          + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def build_pdf(book: Path, year: int, env: dict | None = None, steps=None) -> tuple[Path, bool]:
    """Build report-<year>.pdf from a staged, executed book; return (its path, whether xelatex ran).

    Sphinx writes the LaTeX source (keeping its environment from earlier builds); xelatex runs only
    when that source differs from the one the last PDF was set from (`steps`, lib/publish/build.py).
    `env` (lib/publish/reproducible.py) carries SOURCE_DATE_EPOCH so the PDF's dates and /ID are
    those of the edition; the LaTeX restrictions are added here.
    """
    if shutil.which("xelatex") is None:
        raise BuildError("缺少 xelatex：请先运行 `make setup`（需 root 安装 texlive-xetex 等软件包）")
    latex_dir = book / "_build" / "latex"
    env = latex_environment(env)
    result = _jupyter_book(book, "latex", "sphinx-pdf.log", env)
    if result.returncode != 0:
        raise BuildError(f"PDF 的 LaTeX 源生成失败，详见 {book / 'sphinx-pdf.log'}:\n"
                         f"{result.stdout[-1500:]}{result.stderr[-1500:]}")
    target = latex_dir / f"report-{year}.pdf"
    source = latex_digest(latex_dir)
    if steps is not None and steps.same("tex", source, target):
        return target, False
    if steps is not None:
        steps.forget("tex")
    made = subprocess.run(["make", "all-pdf"], cwd=latex_dir, capture_output=True, text=True, env=env)
    with open(book / "sphinx-pdf.log", "a", encoding="utf-8") as log:
        log.write(made.stdout + made.stderr)
    built = latex_dir / "book.pdf"
    if made.returncode != 0 or not built.exists():
        raise BuildError(f"PDF 构建失败，详见 {book / 'sphinx-pdf.log'} 与 {latex_dir / 'book.log'}:\n"
                         f"{made.stdout[-1500:]}{made.stderr[-1500:]}")
    missing = missing_characters(latex_dir / "book.log")
    if missing:
        raise BuildError(f"PDF 中有缺字 (missing glyphs): {', '.join(sorted(missing))}")
    shutil.copy2(built, target)
    if steps is not None:
        steps.mark("tex", source)
    return target, True


def missing_characters(log: Path) -> set[str]:
    """Characters xelatex reported as missing from the fonts (“Missing character: …”)."""
    if not log.exists():
        return set()
    text = log.read_text(encoding="utf-8", errors="replace")
    return set(re.findall(r"Missing character: There is no (\S+)", text))
