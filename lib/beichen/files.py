"""Files written whole or not at all, and the build's caches of results kept by content.

`write_atomic` writes beside the target and renames over it, so a reader (another thread, a killed
build's successor) never sees half a file. `cached` keeps a result under the SHA-256 of what makes it,
in the folder named by an environment variable the build sets (lib/beichen/publish/build.py WORK_CACHES):
chart PDFs (lib/beichen/render/charts.py), table layouts (lib/beichen/render/tables.py).
"""
from __future__ import annotations

import hashlib
import json
import os
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable


def write_atomic(path: Path | str, data: bytes | str) -> None:
    path = Path(path)
    content = data.encode("utf-8") if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    tmp.write_bytes(content)
    os.replace(tmp, path)


def write_if_changed(path: Path | str, data: bytes | str) -> bool:
    """write_atomic unless the file already holds these bytes (its time then stays as it was)."""
    path = Path(path)
    content = data.encode("utf-8") if isinstance(data, str) else data
    if path.is_file() and path.read_bytes() == content:
        return False
    write_atomic(path, content)
    return True


def cached(env: str, source: Any, suffix: str, make: Callable[[], bytes],
           valid: Callable[[bytes], bool]) -> bytes:
    """make(), or the bytes it gave for the same `source` (JSON-able) in an earlier build, when the
    environment variable `env` names a cache folder.

    An entry is trusted only with proof: beside it, the SHA-256 of the bytes it was written with
    (`<key><suffix>.sha256`). An entry edited, truncated or cut short by a full disk since — even
    one that still looks `valid`, such as a PDF that still starts with %PDF and ends with %%EOF — is
    thrown away and made again, once: the new bytes replace it."""
    folder = os.environ.get(env)
    if not folder:
        return make()
    key = hashlib.sha256(json.dumps(source, sort_keys=True, ensure_ascii=False, default=str)
                         .encode("utf-8")).hexdigest()
    path = Path(folder) / f"{key}{suffix}"
    proof = path.with_name(path.name + ".sha256")
    if path.is_file():
        data = path.read_bytes()
        try:
            recorded = proof.read_text(encoding="ascii").strip()
        except (OSError, ValueError):
            recorded = None
        if recorded == hashlib.sha256(data).hexdigest() and valid(data):
            return data
        path.unlink(missing_ok=True)
        proof.unlink(missing_ok=True)
    data = make()
    # The entry first, its proof last: killed between the two, the entry has no proof and is made again.
    write_atomic(path, data)
    write_atomic(proof, hashlib.sha256(data).hexdigest())
    return data


@lru_cache(maxsize=None)  # the code does not change while a build runs
def code_digest(*modules: str) -> str:
    """SHA-256 of the source files of `modules` (dotted names): part of a cache key, so a change to
    the code that fills a cache (a print transform of the charts) is not answered from it."""
    import importlib.util

    digest = hashlib.sha256()
    for name in modules:
        spec = importlib.util.find_spec(name)
        origin = getattr(spec, "origin", None) if spec else None
        digest.update(name.encode() + b"\0" + (Path(origin).read_bytes() if origin and Path(origin).is_file() else b""))
    return digest.hexdigest()


# --- file trees: what a rebuild compares and copies (lib/beichen/publish/incremental.py) ---

def tree_files(folder: Path) -> list[Path]:
    """Every file under `folder`, sorted, without caches (none when it is missing)."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts and ".ipynb_checkpoints" not in p.parts)


def tree_digest(folder: Path, skip: tuple[str, ...] = (), skip_top: tuple[str, ...] = ()) -> str:
    """SHA-256 over a folder's file names and contents (`skip`: paths relative to it; `skip_top`:
    top-level entries left out whole)."""
    folder = Path(folder)
    digest = hashlib.sha256()
    for path in tree_files(folder):
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
    for path in tree_files(source):
        rel = path.relative_to(source)
        wanted.add(rel.as_posix())
        dest = target / rel
        content = path.read_bytes()
        if dest.is_file() and dest.stat().st_size == len(content) and dest.read_bytes() == content:
            continue
        write_atomic(dest, content)
        changed.append(rel.as_posix())
    for path in tree_files(target):
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
