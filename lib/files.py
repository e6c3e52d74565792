"""Files written whole or not at all, and the build's caches of results kept by content.

`write_atomic` writes beside the target and renames over it, so a reader (another thread, a killed
build's successor) never sees half a file. `cached` keeps a result under the SHA-256 of what makes it,
in the folder named by an environment variable the build sets (lib/publish/build.py WORK_CACHES):
chart PDFs (lib/render/charts.py), table layouts (lib/render/tables.py).
"""
from __future__ import annotations

import hashlib
import json
import os
import threading
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
    environment variable `env` names a cache folder; a stored result that is not `valid` is made again."""
    folder = os.environ.get(env)
    if not folder:
        return make()
    key = hashlib.sha256(json.dumps(source, sort_keys=True, ensure_ascii=False, default=str)
                         .encode("utf-8")).hexdigest()
    path = Path(folder) / f"{key}{suffix}"
    if path.is_file():
        data = path.read_bytes()
        if valid(data):
            return data
    data = make()
    write_atomic(path, data)
    return data
