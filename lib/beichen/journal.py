"""Replace several data files together: all of them or none, even if the process is killed.

``os.replace`` is atomic for one file, not for three: a kill between two replaces used to leave
indicator_values.csv new and metrics.csv/chains.csv old, a mixture that still validated. Here
the new files are first written whole into data/.import-staged/ and flushed to disk; then a
journal (data/.import-journal.json, itself written atomically) records that the set is
complete; only then are the files moved into place, one by one, and the journal removed.

After a kill, ``recover`` (run by every command as soon as it holds the lock) finds either
- no journal: the set was never complete; the staged folder is discarded (rolled back), or
- a journal: the set is complete; the remaining moves are done (rolled forward).
Either way data/ ends up all old or all new before anything reads it.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from beichen import crash

JOURNAL = ".import-journal.json"
STAGED = ".import-staged"


def _fsync_file(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def pending(data_dir: Path) -> bool:
    """True while a replacement is half done (load_all refuses to read such a data/)."""
    return (Path(data_dir) / JOURNAL).exists()


def replace_together(data_dir: Path, new_files: dict[str, Path]) -> None:
    """Put each new_files[name] in place as data_dir/name, all together."""
    data_dir = Path(data_dir)
    staged = data_dir / STAGED
    if staged.exists():
        shutil.rmtree(staged)
    staged.mkdir()
    for name, source in new_files.items():
        shutil.copyfile(source, staged / name)
        _fsync_file(staged / name)
    _fsync_dir(staged)
    crash.point("import:staged")
    tmp = data_dir / f"{JOURNAL}.tmp"
    tmp.write_text(json.dumps({"files": list(new_files)}, ensure_ascii=False), encoding="utf-8")
    _fsync_file(tmp)
    os.replace(tmp, data_dir / JOURNAL)  # the commit point
    _fsync_dir(data_dir)
    crash.point("import:journal")
    _roll_forward(data_dir)


def _roll_forward(data_dir: Path) -> list[str]:
    journal = data_dir / JOURNAL
    names = json.loads(journal.read_text(encoding="utf-8"))["files"]
    staged = data_dir / STAGED
    moved = []
    for number, name in enumerate(names, start=1):
        if (staged / name).exists():
            os.replace(staged / name, data_dir / name)
            moved.append(name)
        crash.point(f"import:replaced-{number}")
    _fsync_dir(data_dir)
    journal.unlink()
    crash.point("import:committed")
    shutil.rmtree(staged, ignore_errors=True)
    return moved


# Where an import merges and validates its copy of data/ before the replacement (lib/beichen/inputs/intake.py):
# inside data/, not the system's temp folder, so what a killed import leaves is found and removed here.
WORK = ".import-work"


def recover(data_dir: Path, log=print) -> str | None:
    """Finish or undo a replacement a killed command left behind; say which, or None if clean.
    An import's merge folder left by a kill is removed (it never holds the only copy of anything)."""
    data_dir = Path(data_dir)
    shutil.rmtree(data_dir / WORK, ignore_errors=True)
    if (data_dir / JOURNAL).exists():
        moved = _roll_forward(data_dir)
        message = (f"上次导入在替换数据文件时中断；其新数据已完整校验，现已补完替换"
                   f"（{'、'.join(moved) or '各文件此前已替换'}），data/ 为导入后的状态")
    elif (data_dir / STAGED).exists() and not any((data_dir / STAGED).iterdir()) \
            and not (data_dir / f"{JOURNAL}.tmp").exists():
        (data_dir / STAGED).rmdir()  # killed while tidying up after a complete replacement
        return None
    elif (data_dir / STAGED).exists() or (data_dir / f"{JOURNAL}.tmp").exists():
        shutil.rmtree(data_dir / STAGED, ignore_errors=True)
        (data_dir / f"{JOURNAL}.tmp").unlink(missing_ok=True)
        message = "上次导入在替换数据文件之前中断；已丢弃其未完成的文件，data/ 保持导入前的状态"
    else:
        return None
    log(f"    · {message}")
    return message
