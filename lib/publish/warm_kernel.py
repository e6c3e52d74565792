"""Jupyter kernels started ahead of time for the chapters that will run: the kernel's start and the
chapter's imports (pandas, Altair, vl-convert, the library: about 2 s) happen while the data are
checked and the build decides which chapters to re-run.

A warm kernel is a fresh kernel in which the chapters' modules were imported silently (no history,
no execution count): a chapter executed in it gives the same notebook as in a kernel started for it.
Each kernel runs one chapter and is shut down after it; kernels not used are shut down at the end.
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
        try:
            km = manager_class(kernel_name="python3")
            with self._lock:
                if self._closed:
                    return
                self._all.append(km)
            km.start_kernel(extra_arguments=extra_arguments)
            client = km.client()
            client.start_channels()
            try:
                client.wait_for_ready(timeout=60)
                client.execute_interactive(PRELOAD, silent=True, store_history=False, timeout=120)
            finally:
                client.stop_channels()
            self._ready.put(km)
        except Exception:  # a kernel that does not come up: the chapter starts its own
            self._ready.put(None)

    def take(self):
        """A ready kernel manager, waiting for one still starting; None when none is left."""
        with self._lock:
            if self._closed or not self._threads:
                return None
            self._threads.pop()
        return self._ready.get()

    def close(self) -> None:
        """Shut down every kernel started here that is still running."""
        with self._lock:
            self._closed = True
            kernels = list(self._all)
        for km in kernels:
            try:
                if km.has_kernel:
                    km.shutdown_kernel(now=True)
            except Exception:
                pass
