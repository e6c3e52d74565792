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

import hashlib
import json
import sys
import threading
from pathlib import Path

from beichen.files import sync_tree, tree_files as files, write_atomic  # noqa: F401  (sync_tree: the build's)
from beichen.files import tree_digest as _tree_digest
from beichen.inputs.snapshot import edition_rows
from beichen.paths import LIB_DIR, REPO_ROOT, program_facts  # noqa: F401  (program_facts: the build's)

EDITION_TABLES = ("indicator_values", "metrics", "chains", "revisions", "unpublished")  # rows carry the edition they were entered for
BOOK_FILES = ("_config.yml", "_toc.yml", "requirements.lock")
BOOK_FOLDERS = ("chapters", "_static", "latex")
# Rewritten in every published edition whenever another edition is published (lib/beichen/site/landing.py).
MANAGED = ("_static/switcher.json",)


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
            add(f"data/{rel.as_posix()}", edition_rows(path, year))
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
    """lib/beichen/files.py `tree_digest`, leaving out by default the files the build manages apart (MANAGED)."""
    return _tree_digest(folder, skip, skip_top)


class Steps:
    """What each step of the last successful build was made from, and what it made
    (build/<year>/steps.json): a step whose inputs are the same, and whose outputs still hold the
    bytes recorded when it finished, is not run again. Nothing under build/ is trusted without
    that proof: a page, PDF or 核查报告 edited, truncated or half-written since is made again."""

    def __init__(self, folder: Path):
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
            self._name(o) in recorded and output_digest(Path(o)) == recorded[self._name(o)] for o in outputs)

    def mark(self, name: str, key: str, *outputs: Path) -> None:
        """The step `name` finished from `key`, making `outputs` (files or folders) as they are now."""
        made = {self._name(o): output_digest(Path(o)) for o in outputs}
        with self._lock:
            self.done[name] = {"key": key, "outputs": made}
            self._write()

    def _name(self, output: Path) -> str:
        """An output under the build's folder by its path there: a checkout (or its build/) moved or
        copied elsewhere still finds its outputs intact, instead of making every page and PDF again."""
        output, folder = Path(output).absolute(), self.path.parent.absolute()
        return output.relative_to(folder).as_posix() if output.is_relative_to(folder) else str(output)

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
