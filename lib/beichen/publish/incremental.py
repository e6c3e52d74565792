"""What a rebuild can skip: the whole build when no input of the edition changed, a Sphinx run when
no staged file changed, a copy when the bytes are the same.

Kept light on purpose (hashlib and csv only): `edition_inputs` runs before the build imports pandas,
Jupyter or Sphinx, so a build with nothing to do ends in a fraction of a second.

* `edition_inputs`: a digest of every input of one edition — the rows of the four data tables
  entered for it or an earlier edition (a later year's import leaves it as it was), the other data
  and metadata files, the year's narrative, the chapter templates, the book's configuration, static
  files and print style, the library, the pins, the Python version and the build's options.
* `BuildState` (build/<year>/state.json): that digest and a digest of what was published for it,
  written only after a successful publish. The next build with the same digest, and the published
  edition still intact, does nothing.
* `sync_tree`: make a folder equal to another, writing only files whose bytes differ (so their
  modification time tells Sphinx and latexmk what changed) and removing the ones gone.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import sys
from pathlib import Path

from beichen.files import write_atomic
from beichen.paths import REPO_ROOT

LIB_DIR = Path(__file__).resolve().parents[1]
EDITION_TABLES = ("indicator_values", "metrics", "chains", "revisions", "unpublished")  # rows carry the edition they were entered for
BOOK_FILES = ("_config.yml", "_toc.yml", "requirements.lock")
BOOK_FOLDERS = ("chapters", "_static", "latex")
# Rewritten in every published edition whenever another edition is published (lib/beichen/site/landing.py).
MANAGED = ("_static/switcher.json",)


def files(folder: Path) -> list[Path]:
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts and ".ipynb_checkpoints" not in p.parts)


def _edition_rows(path: Path, year: int) -> bytes:
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


def edition_inputs(year: int, data_dir: Path, narrative_dir: Path, options: dict) -> str:
    """SHA-256 over every input of the edition of `year` (see the module's docstring)."""
    data_dir, narrative_dir = Path(data_dir), Path(narrative_dir)
    digest = hashlib.sha256(json.dumps({"year": year, "python": sys.version, **options},
                                       sort_keys=True).encode())

    def add(name: str, content: bytes) -> None:
        digest.update(name.encode("utf-8") + b"\0" + hashlib.sha256(content).digest())

    for path in files(data_dir):
        rel = path.relative_to(data_dir)
        # entry sheets and narrative are read apart; hidden folders are an import's work (.import-staged, .import-work)
        if rel.parts[0] in ("entry", "narrative") or rel.parts[0].startswith(".") or rel.name.startswith("."):
            continue
        if len(rel.parts) == 1 and path.stem in EDITION_TABLES:
            add(f"data/{rel.as_posix()}", _edition_rows(path, year))
        else:
            add(f"data/{rel.as_posix()}", path.read_bytes())
    for path in files(narrative_dir / str(year)):
        add(f"narrative/{path.relative_to(narrative_dir).as_posix()}", path.read_bytes())
    for name in BOOK_FILES:
        path = REPO_ROOT / name
        add(name, path.read_bytes() if path.exists() else b"")
    for folder in BOOK_FOLDERS:
        for path in files(REPO_ROOT / folder):
            add(path.relative_to(REPO_ROOT).as_posix(), path.read_bytes())
    for path in files(LIB_DIR):
        if path.suffix == ".py":
            add(f"lib/beichen/{path.relative_to(LIB_DIR).as_posix()}", path.read_bytes())
    return digest.hexdigest()


def tree_digest(folder: Path, skip: tuple[str, ...] = MANAGED, skip_top: tuple[str, ...] = ()) -> str:
    """SHA-256 over a folder's file names and contents (`skip`: paths relative to it; `skip_top`:
    top-level entries left out whole)."""
    folder = Path(folder)
    digest = hashlib.sha256()
    for path in files(folder):
        rel = path.relative_to(folder).as_posix()
        if rel in skip or rel.split("/", 1)[0] in skip_top:
            continue
        digest.update(rel.encode("utf-8") + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def sync_tree(source: Path, target: Path, keep: tuple[str, ...] = ()) -> list[str]:
    """Make `target` hold exactly the files of `source`: files whose bytes differ are written (and
    get a new modification time), equal ones are left alone, others removed — except top-level
    entries named in `keep` (Sphinx's _build, logs). Returns the relative paths written or removed."""
    source, target = Path(source), Path(target)
    target.mkdir(parents=True, exist_ok=True)
    changed = []
    wanted = set()
    for path in files(source):
        rel = path.relative_to(source)
        wanted.add(rel.as_posix())
        dest = target / rel
        content = path.read_bytes()
        if dest.is_file() and dest.stat().st_size == len(content) and dest.read_bytes() == content:
            continue
        write_atomic(dest, content)
        changed.append(rel.as_posix())
    for path in files(target):
        rel = path.relative_to(target)
        if rel.parts[0] in keep or rel.as_posix() in wanted:
            continue
        path.unlink()
        changed.append(rel.as_posix())
    for folder in sorted((p for p in target.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
        rel = folder.relative_to(target)
        if rel.parts[0] not in keep and not any(folder.iterdir()):
            folder.rmdir()
    return sorted(changed)


class Steps:
    """What each step of the last successful build was made from, and what it made
    (build/<year>/steps.json): a step whose inputs are the same, and whose outputs still hold the
    bytes recorded when it finished, is not run again. Nothing under build/ is trusted without
    that proof: a page, PDF or 核查报告 edited, truncated or half-written since is made again."""

    def __init__(self, folder: Path):
        import threading

        self.path = Path(folder) / "steps.json"
        self._lock = threading.Lock()  # the report's and the 核查报告's steps run side by side
        try:
            self.done = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.done = {}
        if not isinstance(self.done, dict):
            self.done = {}

    def key(self, name: str) -> str | None:
        """The inputs the step `name` last finished with (None: never, or not since it was forgotten)."""
        entry = self.done.get(name)
        return entry.get("key") if isinstance(entry, dict) else None

    def same(self, name: str, key: str, *outputs: Path) -> bool:
        return self.key(name) == key and self.intact(name, *outputs)

    def intact(self, name: str, *outputs: Path) -> bool:
        """Whether every one of `outputs` holds the bytes recorded when the step `name` finished."""
        entry = self.done.get(name)
        recorded = entry.get("outputs", {}) if isinstance(entry, dict) else {}
        return bool(outputs) and all(
            str(o) in recorded and output_digest(Path(o)) == recorded[str(o)] for o in outputs)

    def mark(self, name: str, key: str, *outputs: Path) -> None:
        """The step `name` finished from `key`, making `outputs` (files or folders) as they are now."""
        made = {str(o): output_digest(Path(o)) for o in outputs}
        with self._lock:
            self.done[name] = {"key": key, "outputs": made}
            self._write()

    def forget(self, name: str) -> None:
        """Before a step runs: a step killed half-way must not count as done."""
        with self._lock:
            if self.done.pop(name, None) is not None:
                self._write()

    def _write(self) -> None:
        write_atomic(self.path, json.dumps(self.done, sort_keys=True))


def output_digest(path: Path) -> str | None:
    """SHA-256 of a file, tree_digest of a folder (without the managed switcher list), None if absent."""
    if path.is_dir():
        return tree_digest(path)
    if path.is_file():
        return hashlib.sha256(path.read_bytes()).hexdigest()
    return None


class BuildState:
    """build/<year>/state.json: the inputs digest of the last published build, and what it published."""

    def __init__(self, folder: Path):
        self.path = Path(folder) / "state.json"

    def load(self) -> dict:
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def unchanged(self, inputs: str, published: Path, review: Path | None = None) -> bool:
        """True when the last published build had these inputs and site/<year>/ (and review/<year>/, its
        核查报告) are still what it published."""
        state = self.load()
        if state.get("inputs") != inputs or not Path(published).is_dir():
            return False
        if review is not None and not (Path(review).is_dir() and tree_digest(review, skip=()) == state.get("review")):
            return False
        return tree_digest(published) == state.get("published")

    def save(self, inputs: str, published: Path, review: Path | None = None) -> None:
        facts = {"inputs": inputs, "published": tree_digest(published)}
        if review is not None:
            facts["review"] = tree_digest(review, skip=())
        write_atomic(self.path, json.dumps(facts))


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


def program_facts() -> dict[str, str]:
    """The program's version and, in a git checkout, its commit (— when unknown): printed in the
    核查报告, so an input of every edition."""
    import subprocess

    try:
        from importlib.metadata import version
        ver = version("beichen-report")   # pyproject.toml's name
    except Exception:  # not installed as a package (a bare checkout)
        ver = "—"
    try:
        commit = subprocess.run(["git", "-C", str(REPO_ROOT), "rev-parse", "--short=12", "HEAD"],
                                capture_output=True, text=True, timeout=10).stdout.strip() or "—"
        dirty = subprocess.run(["git", "-C", str(REPO_ROOT), "status", "--porcelain", "--", "lib"],
                               capture_output=True, text=True, timeout=10).stdout.strip()
        if dirty and commit != "—":
            commit += "（程序有未提交的修改）"
    except (OSError, subprocess.SubprocessError):
        commit = "—"
    return {"version": ver, "commit": commit}
