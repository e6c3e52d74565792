"""The print edition: Jupyter Book's LaTeX builder with xelatex, from the executed notebooks.

The print style (GB/T 9704-2012-like: A4, 仿宋 三号, 黑体/楷体 headings, “— 1 —” page numbers,
title page, 目录) lives in latex/; see latex/README.md.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from contextlib import contextmanager
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
    # The office fonts are looked for by name on every run (latex/beichen-report.sty); kpathsea
    # would try to make a TeX font of each name that is not installed, running METAFONT to fail ten times
    # (4 of 7 s of a run of the 核查报告). A font that is not there is simply not there.
    env.update({"MKTEXTFM": "0", "MKTEXPK": "0", "MKTEXMF": "0"})
    env.pop("TEXMFOUTPUT", None)  # paranoid mode would allow absolute paths under it
    return env


def _jupyter_book(book: Path, builder: str, log_name: str, env: dict) -> subprocess.CompletedProcess:
    from beichen import processes

    # Sphinx, latexmk and xelatex end with the build, even killed (lib/beichen/processes.py).
    result = processes.run(
        [str(Path(sys.executable).parent / "jupyter-book"), "build", str(book), "--builder", builder,
         "-n", "-W", "--keep-going"], group=True, env=env)
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
    when that source differs from the one the last PDF was set from (`steps`, lib/beichen/publish/build.py).
    `env` (lib/beichen/publish/reproducible.py) carries SOURCE_DATE_EPOCH so the PDF's dates and /ID are
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
    from beichen import processes

    with latex_run(latex_dir):  # a failure below leaves the marker: the next run starts clean
        made = processes.run(["make", "all-pdf"], group=True, cwd=latex_dir, env=env)
        with open(book / "sphinx-pdf.log", "a", encoding="utf-8") as log:
            log.write(made.stdout + made.stderr)
        built = latex_dir / "book.pdf"
        if made.returncode != 0 or not built.exists():
            raise BuildError(f"PDF 构建失败，详见 {book / 'sphinx-pdf.log'} 与 {latex_dir / 'book.log'}:\n"
                             f"{made.stdout[-1500:]}{made.stderr[-1500:]}")
        missing = missing_glyphs(latex_dir / "book.log")
        if missing:
            raise BuildError(glyph_report(missing, book, latex_dir / "book.log"))
    shutil.copy2(built, target)
    if steps is not None:
        steps.mark("tex", source, target)
    return target, True


# What latexmk and xelatex keep between runs in a LaTeX folder: a run killed half-way leaves them
# half-written (a .toc cut inside \contentsline), and the next run would stop on them.
LATEX_RUN_STATE = ("*.aux", "*.toc", "*.out", "*.lof", "*.lot", "*.fls", "*.fdb_latexmk", "*.xdv",
                   "*.idx", "*.ind", "*.ilg", "*.log", "book.pdf")
RUNNING = ".beichen-latex-running"


@contextmanager
def latex_run(latex_dir: Path):
    """A LaTeX run that, if it did not finish (killed, or failed), leaves no state for the next:
    a marker is written before and removed after a run that succeeded; a run that finds the marker
    starts from the .tex alone."""
    latex_dir = Path(latex_dir)
    marker = latex_dir / RUNNING
    if marker.exists():
        for pattern in LATEX_RUN_STATE:
            for path in latex_dir.glob(pattern):
                path.unlink(missing_ok=True)
    latex_dir.mkdir(parents=True, exist_ok=True)
    marker.touch()
    yield
    marker.unlink(missing_ok=True)


# xelatex's line for a character no font has: “Missing character: There is no ​ (U+200B) in font
# [FandolSong-Regular.otf]/OT:…!” (TeX Live 2021 and later; older ones omit the code point, and a
# control character may be written as ^^^^200b or ^^M). The log wraps at 79 columns.
MISSING_LINE = re.compile(r"Missing character: There is no (\^\^\^\^[0-9a-f]{4}|\^\^[0-9a-f]{2}|\^\^.|.+?)"
                          r"(?: \(U\+([0-9A-Fa-f]{4,6})\))? in font ([^!]*?)!", re.S)


def missing_glyphs(log: Path) -> dict[str, dict]:
    """Each character xelatex reported missing from the fonts: {character: {"fonts": […], "log_line": n}}."""
    if not log.exists():
        return {}
    text = log.read_text(encoding="utf-8", errors="replace")
    found: dict[str, dict] = {}
    for match in MISSING_LINE.finditer(text):
        shown, code, font = match.groups()
        if code:
            char = chr(int(code, 16))
        elif shown.startswith("^^^^"):
            char = chr(int(shown[4:], 16))
        elif shown.startswith("^^") and len(shown) == 4:
            char = chr(int(shown[2:], 16))
        elif shown.startswith("^^") and len(shown) == 3:
            char = chr(ord(shown[2]) ^ 0x40)  # TeX's ^^M notation: the character 64 away
        else:
            char = shown[0] if len(shown) == 1 else shown
        font = re.sub(r"\s+", "", font).split("/")[0].strip("[]")
        entry = found.setdefault(char, {"fonts": [], "log_line": text.count("\n", 0, match.start()) + 1})
        if font and font not in entry["fonts"]:
            entry["fonts"].append(font)
    return found


def missing_characters(log: Path) -> set[str]:
    """Characters xelatex reported as missing from the fonts (“Missing character: …”)."""
    return set(missing_glyphs(log))


def _code_point(char: str) -> str:
    from beichen.inputs.text_policy import code_point

    return code_point(char) if len(char) == 1 else f"“{char}”"


def glyph_places(char: str, book: Path, limit: int = 3) -> list[str]:
    """Where a character stands in what the build read and wrote, the analyst's files first: the input
    snapshot (data/*.csv by row and column, data/meta/*.yml and the passages by line and column), then
    the staged book's chapters and the LaTeX source. The PDF log knows only the character."""
    import csv
    import io

    book = Path(book)
    snapshot = book.parent / "input"
    candidates: list[tuple[Path, str]] = []
    if (snapshot / "data").is_dir():
        candidates += [(p, "data/" + p.relative_to(snapshot / "data").as_posix())
                       for p in sorted((snapshot / "data").rglob("*")) if p.suffix in (".csv", ".yml")]
    if (snapshot / "narrative").is_dir():
        candidates += [(p, "data/narrative/" + p.relative_to(snapshot / "narrative").as_posix())
                       for p in sorted((snapshot / "narrative").rglob("*.md"))]
    for pattern in ("*.yml", "chapters/*.ipynb", "chapters/*.md", "*.md", "_build/latex/*.tex"):
        candidates += [(p, f"暂存书稿 {p.relative_to(book).as_posix()}") for p in sorted(book.glob(pattern))]
    places: list[str] = []
    for path, label in candidates:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue
        if char not in text:
            continue
        if path.suffix == ".csv":
            rows = list(csv.reader(io.StringIO(text)))
            header = rows[0] if rows else []
            for number, row in enumerate(rows, start=1):
                for index, cell in enumerate(row):
                    if char in cell:
                        column = header[index] if index < len(header) else str(index + 1)
                        places.append(f"{label} 第{number}行, 列 {column}, 第{cell.index(char) + 1}个字符")
        else:
            for number, line in enumerate(text.split("\n"), start=1):
                if char in line:
                    places.append(f"{label} 第{number}行, 第{line.index(char) + 1}列")
        if len(places) >= limit:
            break
    return places[:limit]


def glyph_report(missing: dict[str, dict], book: Path, log: Path) -> str:
    """The missing-glyph error, one line per character: its code point and name (never the character
    alone: an invisible one would show as nothing), the fonts that lack it, and where it stands."""
    lines = ["PDF 中有缺字 (missing glyphs)：以下字符所用字体中没有，PDF 中会印成空白："]
    for char, seen in missing.items():
        places = glyph_places(char, book)
        where = "；".join(places) if places else f"未在本版的输入和书稿中找到（见 {log} 第{seen['log_line']}行）"
        lines.append(f"  - 码位 {_code_point(char)}，字体 {'、'.join(seen['fonts']) or '未知'} 中没有；位置：{where}")
    lines.append("修正：改用字体中有的字（不可见的控制字符直接删去；生僻字可换用通用写法），或在 latex/ 的字体设置中补上含该字的字体")
    return "\n".join(lines)
