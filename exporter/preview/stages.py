"""Runs the two build stages in threads of their own, the newest change first.

A change starts the first stage at once, even while the print stage builds an earlier version: the
web edition is never kept waiting for a PDF. The print stage then builds the newest version it has
been handed; one handed something newer while it builds gives its own up.
"""

from __future__ import annotations

import functools
import threading

from exporter.preview.builds import Builder, Prepared


class Stages:
    """The threads that build the stages of ``builder`` after each :meth:`changed`, until :meth:`stop`."""

    def __init__(self, builder: Builder) -> None:
        self.builder = builder
        self._wanted = threading.Event()
        self._print_wanted = threading.Event()
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._print_job: Prepared | None = None
        self._threads = [
            threading.Thread(target=self._web_loop, name="preview-web", daemon=True),
            threading.Thread(target=self._print_loop, name="preview-print", daemon=True),
        ]

    def start(self, first: Prepared | None = None) -> None:
        """Start the threads; ``first``, the first stage's result already built, goes to the print stage."""
        if first is not None:
            self._hand(first)
        for thread in self._threads:
            thread.start()

    def changed(self) -> None:
        """A file the issue is built from changed: build again."""
        self._wanted.set()

    def stop(self, wait: float = 5.0) -> None:
        """Stop the threads after their step, waiting up to ``wait`` seconds for the first stage's.

        The web edition takes a moment; a PDF being rendered is not waited for, and is given up when
        it is done (the print stage writes nothing once stopped).
        """
        self._stopping.set()
        self._wanted.set()
        self._print_wanted.set()
        if self._threads[0].is_alive():
            self._threads[0].join(wait)

    def _hand(self, job: Prepared) -> None:
        with self._lock:
            self._print_job = job
        self._print_wanted.set()

    def _current(self, job: Prepared) -> bool:
        with self._lock:
            return self._print_job is job and not self._stopping.is_set()

    def _web_loop(self) -> None:
        while True:
            self._wanted.wait()
            if self._stopping.is_set():
                return
            self._wanted.clear()
            job = self.builder.web()
            if job is not None and not self._stopping.is_set():
                self._hand(job)

    def _print_loop(self) -> None:
        while True:
            self._print_wanted.wait()
            if self._stopping.is_set():
                return
            self._print_wanted.clear()
            with self._lock:
                job = self._print_job
            if job is not None:
                self.builder.printed(job, functools.partial(self._current, job))
