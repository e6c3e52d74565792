"""Data-aware cache of executed chapters: a chapter is re-run only when something it reads changed.

A chapter's fingerprint covers everything that can change its output: its template, the year,
every data file, its own narrative file for that year, the library's source and the pinned
dependencies. When the fingerprint matches the cached one, the executed notebook, its chart
files and its notes (missing figures, pending passages) are restored instead of re-executed.
"""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from beichen.paths import REPO_ROOT

LIB_DIR = Path(__file__).resolve().parents[1]  # the whole beichen package


def fingerprint(chapter: str, year: int, data_dir: Path, narrative_dir: Path) -> str:
    """SHA-256 over the chapter's inputs (paths relative, contents exact)."""
    stem = Path(chapter).name
    inputs = [REPO_ROOT / f"{chapter}.ipynb", REPO_ROOT / "requirements.lock"]
    inputs += sorted(Path(data_dir).glob("*.csv")) + sorted((Path(data_dir) / "meta").glob("*.yml"))
    inputs += sorted(LIB_DIR.rglob("*.py"))
    inputs.append(Path(narrative_dir) / str(year) / f"{stem}.md")
    digest = hashlib.sha256(f"{chapter}|{year}".encode())
    for path in inputs:
        # Library modules by their path in the package (several are called __init__.py); data by name.
        digest.update(str(path.relative_to(LIB_DIR) if path.is_relative_to(LIB_DIR) else path.name).encode())
        digest.update(path.read_bytes() if path.exists() else b"<absent>")
    return digest.hexdigest()


def _parts(stem: str, notebook: Path, notes_dir: Path) -> list[tuple[Path, str]]:
    """(live path, name in the cache) of what a chapter produces."""
    return [(notebook, "chapter.ipynb"), (notebook.parent / "charts" / stem, "charts"),
            (notes_dir / f"{stem}.json", "notes.json")]


def restore(cache_dir: Path, chapter: str, key: str, notebook: Path, notes_dir: Path) -> bool:
    """Copy the cached outputs of `chapter` into place if they were made from the same inputs."""
    stem = Path(chapter).name
    entry = cache_dir / stem
    if not (entry / "fingerprint").exists() or (entry / "fingerprint").read_text() != key:
        return False
    for live, name in _parts(stem, notebook, notes_dir):
        cached = entry / name
        if cached.is_dir():
            shutil.copytree(cached, live, dirs_exist_ok=True)
        elif cached.exists():
            live.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(cached, live)
    return True


def store(cache_dir: Path, chapter: str, key: str, notebook: Path, notes_dir: Path) -> None:
    """Keep the outputs of a successful run; the fingerprint is written last (an entry is whole or absent)."""
    stem = Path(chapter).name
    entry = cache_dir / stem
    if entry.exists():
        shutil.rmtree(entry)
    entry.mkdir(parents=True)
    for live, name in _parts(stem, notebook, notes_dir):
        if live.is_dir():
            shutil.copytree(live, entry / name)
        elif live.exists():
            shutil.copy2(live, entry / name)
    (entry / "fingerprint").write_text(key)
