"""Data-aware cache of executed chapters: a chapter is re-run only when something it reads changed.

A chapter's fingerprint covers everything that can change its output: its template, the year,
every file of the build's data snapshot, its own narrative file for that year, the library's
source and the pinned dependencies. When the fingerprint matches the cached one, the executed
notebook, its chart files and its notes (missing figures, pending passages) are restored
instead of re-executed.

An entry is written whole or not at all: into a temporary folder first, with a manifest of
every file's SHA-256, then renamed into place. Restoring checks the manifest and that every
chart the notebook refers to is there; an entry that fails the check (a kill while copying,
a disk error, an entry from an older layout) is thrown away and the chapter re-executed, never
a reason for the build to fail.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from pathlib import Path

from beichen.paths import REPO_ROOT

LIB_DIR = Path(__file__).resolve().parents[1]  # the whole beichen package
MANIFEST = "manifest.json"


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in Path(folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def fingerprint(chapter: str, year: int, data_dir: Path, narrative_dir: Path) -> str:
    """SHA-256 over the chapter's inputs (paths relative, contents exact)."""
    stem = Path(chapter).name
    named = [(f"{chapter}.ipynb", REPO_ROOT / f"{chapter}.ipynb"),
             ("requirements.lock", REPO_ROOT / "requirements.lock")]
    named += [(f"data/{p.relative_to(data_dir)}", p) for p in _files(data_dir)
              if p.relative_to(data_dir).parts[0] not in ("narrative", "entry")]
    named += [(f"lib/{p.relative_to(LIB_DIR)}", p) for p in _files(LIB_DIR) if p.suffix == ".py"]
    named.append((f"narrative/{stem}.md", Path(narrative_dir) / str(year) / f"{stem}.md"))
    digest = hashlib.sha256(f"{chapter}|{year}".encode())
    for name, path in named:
        digest.update(name.encode() + b"\0")
        digest.update(path.read_bytes() if path.exists() else b"<absent>")
        digest.update(b"\0")
    return digest.hexdigest()


def _parts(stem: str, notebook: Path, notes_dir: Path) -> list[tuple[Path, str]]:
    """(live path, name in the cache) of what a chapter produces."""
    return [(notebook, "chapter.ipynb"), (notebook.parent / "charts" / stem, "charts"),
            (notes_dir / f"{stem}.json", "notes.json")]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _referenced_charts(notebook: Path, stem: str) -> set[str]:
    """Chart files the executed notebook points at (charts/<stem>/fig2-1.pdf → fig2-1.pdf)."""
    text = notebook.read_text(encoding="utf-8") if notebook.exists() else ""
    return set(re.findall(rf"charts/{re.escape(stem)}/([\w.-]+\.pdf)", text))


def _entry_is_whole(entry: Path, stem: str) -> bool:
    try:
        manifest = json.loads((entry / MANIFEST).read_text(encoding="utf-8"))
        for name, digest in manifest["files"].items():
            if _sha256(entry / name) != digest:
                return False
        charts = {p.name for p in (entry / "charts").glob("*.pdf")}
        return (entry / "chapter.ipynb").exists() and _referenced_charts(entry / "chapter.ipynb", stem) <= charts
    except (OSError, ValueError, KeyError, TypeError):
        return False


def restore(cache_dir: Path, chapter: str, key: str, notebook: Path, notes_dir: Path) -> bool:
    """Copy the cached outputs of `chapter` into place if they were made from the same inputs
    and the entry is whole; a broken entry is removed (the chapter is then executed)."""
    stem = Path(chapter).name
    entry = Path(cache_dir) / stem
    try:
        if (entry / "fingerprint").read_text() != key:
            return False
    except OSError:
        return False
    if not _entry_is_whole(entry, stem):
        shutil.rmtree(entry, ignore_errors=True)
        return False
    for live, name in _parts(stem, notebook, notes_dir):
        cached = entry / name
        if cached.is_dir():
            if live.exists():
                shutil.rmtree(live)
            shutil.copytree(cached, live)
        elif cached.exists():
            live.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(cached, live)
    return True


def store(cache_dir: Path, chapter: str, key: str, notebook: Path, notes_dir: Path) -> None:
    """Keep the outputs of a successful run: written into a temporary folder, then renamed
    into place, so an entry is whole or absent whatever happens meanwhile."""
    stem = Path(chapter).name
    cache_dir = Path(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    entry = cache_dir / stem
    tmp = cache_dir / f".{stem}.tmp-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    for live, name in _parts(stem, notebook, notes_dir):
        if live.is_dir():
            shutil.copytree(live, tmp / name)
        elif live.exists():
            shutil.copy2(live, tmp / name)
    files = {str(p.relative_to(tmp)): _sha256(p) for p in _files(tmp)}
    (tmp / MANIFEST).write_text(json.dumps({"files": files}, sort_keys=True), encoding="utf-8")
    (tmp / "fingerprint").write_text(key)
    if entry.exists():
        old = cache_dir / f".{stem}.old-{os.getpid()}"
        entry.rename(old)
        tmp.rename(entry)
        shutil.rmtree(old, ignore_errors=True)
    else:
        tmp.rename(entry)
