"""Cache of executed chapters: a chapter runs again only when something it read changed, value by value.

A cache entry holds what the chapter made (executed notebook, chart files, notes of missing figures
and pending passages) and what it depended on:

* its files: the template, the library modules its kernel loaded (lib/beichen/render/chapter.py), the pinned
  packages, the plan (data/meta/plan.yml), the Python version — each with its SHA-256;
* its reads: every question it asked of the edition model and its narrative, with a digest of the
  answer (lib/beichen/model/reads.py).

`decide` compares both with the new build's inputs: a changed file is named, and the reads are asked
again of the new data, so a chapter that never read the figure an analyst corrected is reused, and a
figure entered for a later edition changes nothing in an earlier one. The decision is printed per
chapter: “沿用” or “重算：<what changed>”.

An entry is written whole or not at all: into a temporary folder first, with a manifest of every
file's SHA-256, then renamed into place. Restoring checks the manifest and that every chart the
notebook refers to is there; an entry that fails the check (a kill while copying, a disk error, an
entry from an older layout) is thrown away and the chapter re-executed, never published and never a
reason for the build to fail.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from beichen.paths import REPO_ROOT
from beichen.files import tree_files as _files
from beichen.paths import LIB_DIR

MANIFEST = "manifest.json"
INPUTS = "inputs.json"
READS = "reads.json"
SHOWN = 4  # changed things named per chapter; the rest counted


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _file_digest(path: Path) -> str:
    return _sha256(path) if path.exists() else "<absent>"


def file_inputs(chapter: str, year: int, data_dir: Path, modules: list[str],
                source: Path | None = None) -> dict[str, str]:
    """{what: digest} of the files a chapter's output depends on besides its reads. `source` is the
    notebook executed: the template as expanded for the plan (lib/beichen/render/outline.py) when it has
    outline marks, so a section added to meta/report.yml re-runs the chapter."""
    named = {f"{chapter}.ipynb": Path(source) if source else REPO_ROOT / f"{chapter}.ipynb",
             "requirements.lock": REPO_ROOT / "requirements.lock",
             "data/meta/plan.yml": Path(data_dir) / "meta" / "plan.yml"}
    named.update({f"lib/beichen/{m}": LIB_DIR / m for m in modules})
    inputs = {name: _file_digest(path) for name, path in named.items()}
    inputs["Python"] = sys.version.split()[0]
    inputs["年份"] = str(year)
    return inputs


@dataclass(frozen=True)
class Decision:
    reuse: bool
    why: str  # “沿用” or “重算：…”


def _named(things: list[str]) -> str:
    shown = "、".join(things[:SHOWN])
    return shown + (f"等{len(things)}项" if len(things) > SHOWN else "")


def decide(cache_dir: Path | None, chapter: str, year: int, data_dir: Path, narrative_dir: Path,
           edition, answers: dict | None = None, source: Path | None = None) -> Decision:
    """Reuse the cached chapter, or run it again and say why."""
    if cache_dir is None:
        return Decision(False, "重算：不使用缓存（--no-cache）")
    stem = Path(chapter).name
    entry = Path(cache_dir) / stem
    if not entry.exists():
        return Decision(False, "重算：尚无缓存")
    if not _entry_is_whole(entry, stem):
        shutil.rmtree(entry, ignore_errors=True)
        return Decision(False, "重算：缓存条目不完整，已丢弃")
    try:
        stored = json.loads((entry / INPUTS).read_text(encoding="utf-8"))
        reads = json.loads((entry / READS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        shutil.rmtree(entry, ignore_errors=True)
        return Decision(False, "重算：缓存条目不完整，已丢弃")
    now = file_inputs(chapter, year, data_dir, reads.get("modules", []), source)
    files = [name for name in sorted(set(stored) | set(now)) if stored.get(name) != now.get(name)]
    if files:
        return Decision(False, f"重算：{_named(files)}有改动")
    from beichen.model.reads import replay
    from beichen.inputs.narrative import passage_reader

    changed = replay(reads.get("reads", []), edition, passage_reader(narrative_dir, year), answers)
    if changed:
        return Decision(False, f"重算：{_named(changed)}有变化")
    return Decision(True, "沿用")


def _parts(stem: str, notebook: Path, notes_dir: Path) -> list[tuple[Path, str]]:
    """(live path, name in the cache) of what a chapter produces."""
    return [(notebook, "chapter.ipynb"), (notebook.parent / "charts" / stem, "charts"),
            (notes_dir / f"{stem}.json", "notes.json"), (notes_dir / f"{stem}.reads.json", READS)]


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
        return ((entry / "chapter.ipynb").exists() and (entry / READS).exists() and (entry / INPUTS).exists()
                and _referenced_charts(entry / "chapter.ipynb", stem) <= charts)
    except (OSError, ValueError, KeyError, TypeError):
        return False


def restore(cache_dir: Path, chapter: str, notebook: Path, notes_dir: Path) -> bool:
    """Copy the cached outputs of `chapter` into place if the entry is whole; a broken entry is
    removed (the chapter is then executed)."""
    stem = Path(chapter).name
    entry = Path(cache_dir) / stem
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


def store(cache_dir: Path, chapter: str, year: int, data_dir: Path, notebook: Path, notes_dir: Path,
          source: Path | None = None) -> None:
    """Keep the outputs of a successful run with what they depended on: written into a temporary
    folder, then renamed into place, so an entry is whole or absent whatever happens meanwhile."""
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
    modules = json.loads((tmp / READS).read_text(encoding="utf-8")).get("modules", []) if (tmp / READS).exists() else []
    (tmp / INPUTS).write_text(json.dumps(file_inputs(chapter, year, data_dir, modules, source), ensure_ascii=False,
                                         indent=0, sort_keys=True), encoding="utf-8")
    files = {str(p.relative_to(tmp)): _sha256(p) for p in _files(tmp)}
    (tmp / MANIFEST).write_text(json.dumps({"files": files}, sort_keys=True), encoding="utf-8")
    if entry.exists():
        old = cache_dir / f".{stem}.old-{os.getpid()}"
        entry.rename(old)
        tmp.rename(entry)
        shutil.rmtree(old, ignore_errors=True)
    else:
        tmp.rename(entry)
