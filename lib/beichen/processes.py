"""Child processes of a build that end with it: chapter kernels, the waiting Sphinx processes, LaTeX.

A build killed with SIGKILL runs no cleanup, and a kernel busy in a long computation never reaches
ipykernel's own parent check (a Python thread that needs the interpreter lock the computation
holds): it kept running at full speed. Here the kernel asks Linux to kill it when its parent
goes (``prctl(PR_SET_PDEATHSIG, SIGKILL)``, set between fork and exec, kept across exec).

Linux means by “parent” the *thread* that forked, not the process: a kernel started from a worker
thread would be killed when that thread ends (the thread that pre-starts a kernel ends as soon as it
is up). So every child is forked from one thread that lives as long as the process, `_launcher`.

A child that starts children of its own (make → latexmk → xelatex) is run under a small supervisor,
``python -m beichen.processes CMD…``, the leader of its own process group: it dies with the
build (SIGTERM) and takes the whole group with it.

Elsewhere than Linux nothing is set and children behave as before.
"""
from __future__ import annotations

import ctypes
import os
import queue
import signal
import subprocess
import sys
import threading
from concurrent.futures import Future

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
_libc = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None


def die_with_parent(sig: int = signal.SIGKILL):
    """A `preexec_fn`: the child gets `sig` when the thread that forked it ends (with its process)."""
    parent = os.getpid()

    def preexec() -> None:
        if _libc is None:
            return
        _libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0)
        if os.getppid() != parent:  # the build died between fork and prctl: nobody will signal us
            os._exit(1)

    return preexec


class _Launcher:
    """One daemon thread, alive as long as the process, that forks every child."""

    def __init__(self):
        self._jobs: queue.Queue = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def run(self, job):
        """job() in the launcher thread; its result (or its exception) here."""
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._serve, name="beichen-launcher", daemon=True)
                self._thread.start()
        if threading.current_thread() is self._thread:
            return job()
        done: Future = Future()
        self._jobs.put((job, done))
        return done.result()

    def _serve(self) -> None:
        while True:
            job, done = self._jobs.get()
            try:
                done.set_result(job())
            except BaseException as err:  # handed to the caller
                done.set_exception(err)


_launcher = _Launcher()


def on_launcher_thread(job):
    """Run `job()` (which forks) in the long-lived launcher thread; see the module's docstring."""
    return _launcher.run(job)


def popen(args, group: bool = False, **kwargs) -> subprocess.Popen:
    """subprocess.Popen whose process ends with this one. `group`: the command may start processes of
    its own; it runs under the supervisor, and they all end with this process."""
    if group:
        args = [sys.executable, "-m", "beichen.processes", *map(str, args)]
        kwargs["start_new_session"] = True
        kwargs["preexec_fn"] = die_with_parent(signal.SIGTERM)  # the supervisor's cue to end its group
    else:
        kwargs["preexec_fn"] = die_with_parent()
    return on_launcher_thread(lambda: subprocess.Popen(args, **kwargs))


def run(args, input: str | None = None, group: bool = False, **kwargs) -> subprocess.CompletedProcess:
    """subprocess.run(args, capture_output=True, text=True, …) whose processes end with this one."""
    kwargs.setdefault("stdout", subprocess.PIPE)
    kwargs.setdefault("stderr", subprocess.PIPE)
    kwargs.setdefault("text", True)
    if input is not None:
        kwargs["stdin"] = subprocess.PIPE
    with popen(args, group=group, **kwargs) as process:
        try:
            out, err = process.communicate(input)
        except BaseException:
            process.kill()
            raise
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def _supervise(argv: list[str]) -> int:
    """Run argv; on SIGTERM (the build died) kill our whole process group, argv's children included."""
    def end_group(signum, frame):
        os.killpg(0, signal.SIGKILL)

    signal.signal(signal.SIGTERM, end_group)
    child = subprocess.Popen(argv)
    return child.wait()


if __name__ == "__main__":
    sys.exit(_supervise(sys.argv[1:]))
