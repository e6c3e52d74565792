"""One writer at a time: build, import and new-year take the same lock before touching anything.

Two builds at once used to break each other's staging folder and chapter cache; two imports at
once lost one of them. Every command that writes data/, build/ or site/ runs inside
``one_writer(...)``: an exclusive ``fcntl.flock`` on one lock file beside data/. A second
command waits, saying who holds the lock (process id, command, since when), and gives up with
a message after BEICHEN_LOCK_WAIT seconds (default 30 minutes), having changed nothing.
The kernel drops the lock when its holder dies, however it dies, so a killed command never
leaves a stale lock behind; what it left half done is put right by the next holder
(see ``recover``).
"""
from __future__ import annotations

import fcntl
import json
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from beichen import journal
from beichen.paths import DATA_DIR, checkout_of

LOCK_NAME = ".beichen.lock"
WAIT_ENV = "BEICHEN_LOCK_WAIT"
DEFAULT_WAIT = 1800.0
POLL = 0.2


class BusyError(RuntimeError):
    """Another command held the lock for longer than we were willing to wait."""


def lock_path(data_dir: Path | str = DATA_DIR) -> Path:
    """The lock file of the checkout that data_dir belongs to (beside data/, not inside it:
    the data files stay exactly the tables)."""
    return checkout_of(data_dir) / LOCK_NAME


def describe(holder: dict) -> str:
    """“进程 4242（python -m beichen.publish.build --year 2024），自 2026-11-28 03:40:12 起”."""
    if not holder:
        return "另一个命令（未能读到其信息）"
    return f"进程 {holder.get('pid', '?')}（{holder.get('command', '?')}），自 {holder.get('since', '?')} 起"


def _read_holder(fd: int) -> dict:
    try:
        raw = os.pread(fd, 4096, 0)
        return json.loads(raw.decode("utf-8")) if raw.strip() else {}
    except (OSError, ValueError):
        return {}


def _command_line() -> str:
    argv = list(sys.argv)
    if argv and argv[0].endswith(".py"):
        module = Path(argv[0]).with_suffix("").parts
        if "beichen" in module:
            argv[0] = "python -m " + ".".join(module[module.index("beichen"):])
    return " ".join(argv)[:200]


@contextmanager
def one_writer(what: str, data_dir: Path | str = DATA_DIR, wait: float | None = None, log=print):
    """Hold the checkout's lock for the duration of the block; `what` says what we are (“构建2024年版”).

    Waits at most `wait` seconds (default: $BEICHEN_LOCK_WAIT, else 30 minutes) for another
    holder, then raises BusyError. After acquiring, finishes or rolls back what a killed
    import left behind, so the block always starts from whole data files.
    """
    if wait is None:
        wait = float(os.environ.get(WAIT_ENV, DEFAULT_WAIT))
    path = lock_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)  # not inherited by child processes
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = describe(_read_holder(fd))
            log(f"请稍候：{holder}正在运行（构建、导入或新建年度同一时间只能运行一个）。"
                f"本命令（{what}）将在其结束后开始，最多等待{wait:.0f}秒…")
            deadline = time.monotonic() + wait
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise BusyError(f"等待{wait:.0f}秒后，{describe(_read_holder(fd))}仍在运行；"
                                        f"本命令（{what}）已放弃，未做任何改动。请待其结束后重试") from None
                    time.sleep(POLL)
            log(f"    已轮到本命令（{what}），开始运行")
        holder = {"pid": os.getpid(), "command": f"{what}：{_command_line()}",
                  "since": time.strftime("%Y-%m-%d %H:%M:%S")}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(holder, ensure_ascii=False).encode("utf-8"), 0)
        journal.recover(Path(data_dir), log)
        yield
    finally:
        os.close(fd)  # releases the lock
