"""Jupyter kernels started ahead of time for the chapters that will run: the kernel's start and the
chapter's imports (pandas, Altair, vl-convert, the library: about 2 s) happen while the data are
checked and the build decides which chapters to re-run.

A warm kernel is a fresh kernel in which the chapters' modules were imported silently (no history,
no execution count): a chapter executed in it gives the same notebook as in a kernel started for it.
Each kernel runs one chapter and is shut down after it; kernels not used are shut down at the end,
also one that was still starting then. Every kernel dies with the build, killed or not
(lib/beichen/publish/build.py `_kernel_manager_class`).
"""
from __future__ import annotations

import queue
import threading

# What every chapter template imports first (chapters/*.ipynb, second cell).
PRELOAD = ("import beichen.render.chapter, beichen.render.tables, beichen.render.sentences, "
           "beichen.render.charts, beichen.render.chart_data")


class WarmKernels:
    """`count` kernels starting now in the background; `take()` hands one over (or None)."""

    def __init__(self, manager_class, count: int, extra_arguments: list[str]):
        self._ready: queue.Queue = queue.Queue()
        self._all: list = []
        self._lock = threading.Lock()
        self._closed = False
        self._threads = [threading.Thread(target=self._start, args=(manager_class, extra_arguments), daemon=True)
                         for _ in range(count)]
        for thread in self._threads:
            thread.start()

    def _start(self, manager_class, extra_arguments) -> None:
        km = None
        try:
            km = manager_class(kernel_name="python3")
            with self._lock:
                if self._closed:
                    return
                self._all.append(km)
            km.start_kernel(extra_arguments=extra_arguments)
            client = km.blocking_client() if hasattr(km, "blocking_client") else km.client()
            client.start_channels()
            try:
                client.wait_for_ready(timeout=60)
                client.execute_interactive(PRELOAD, silent=True, store_history=False, timeout=120)
            finally:
                client.stop_channels()
        except Exception:  # a kernel that does not come up: the chapter starts its own
            if km is not None:
                self._stop(km)
            self._ready.put(None)
            return
        with self._lock:
            closed = self._closed
        if closed:  # closed while it was starting (a build that stopped early): nobody will take it
            self._stop(km)
            self._ready.put(None)
        else:
            self._ready.put(km)

    def take(self):
        """A ready kernel manager, waiting for one still starting; None when none is left."""
        with self._lock:
            if self._closed or not self._threads:
                return None
            self._threads.pop()
        km = self._ready.get()
        with self._lock:
            if km is not None and km in self._all:
                self._all.remove(km)  # the chapter's now: run_chapter shuts it down
        return km

    def _stop(self, km) -> None:
        """Shut down one kernel started here, once (close() and a starting thread may both try)."""
        with self._lock:
            if km not in self._all:
                return
            self._all.remove(km)
        try:
            if km.has_kernel:
                km.shutdown_kernel(now=True)
        except Exception:
            pass

    def close(self) -> None:
        """Shut down every kernel started here and not taken; one still starting is shut down by its
        thread as soon as it is up."""
        with self._lock:
            self._closed = True
            kernels = [km for km in self._all if km.has_kernel]
        for km in kernels:
            self._stop(km)
