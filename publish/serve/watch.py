"""Changed files, in batches: watchfiles in a thread of its own, handing each debounced
batch to the building thread through a queue (an editor's save that writes twice
arrives as one batch)."""

from __future__ import annotations

import os
import queue
import sys
import threading
from pathlib import Path

import watchfiles

READY_TIMEOUT = 10.0
"""Seconds to wait for the operating system's watches to be in place."""


class Watcher:
    def __init__(self, roots: list[Path], ignore: list[Path]) -> None:
        self.roots = _outermost([r.resolve() for r in roots])
        # What we write ourselves (the build folder) is no change to rebuild for.
        self.filter = watchfiles.DefaultFilter(
            ignore_paths=[os.path.join(p.resolve(), "") for p in ignore]
        )
        self.batches: queue.Queue[set[Path]] = queue.Queue()
        self.stop_event = threading.Event()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, name="publish-watch", daemon=True)

    def start(self) -> None:
        """Start watching; return once changes from now on will be seen."""
        if not self.roots:
            self.ready.set()
            return
        self.thread.start()
        self.ready.wait(READY_TIMEOUT)

    def next(self, timeout: float) -> set[Path]:
        """The files changed since the last call, waiting up to ``timeout`` seconds for
        the first; empty when none. Batches that queued up during a build are merged."""
        try:
            changed = set(self.batches.get(timeout=timeout))
        except queue.Empty:
            return set()
        while True:
            try:
                changed |= self.batches.get_nowait()
            except queue.Empty:
                return changed

    def stop(self) -> None:
        self.stop_event.set()
        if self.thread.is_alive():
            self.thread.join(timeout=1.0)

    def _run(self) -> None:
        # yield_on_timeout with a short timeout: the first (empty) batch says the
        # watches are in place, and the stop event is looked at every 50 ms anyway.
        try:
            for changes in watchfiles.watch(
                *self.roots,
                watch_filter=self.filter,
                stop_event=self.stop_event,
                rust_timeout=200,
                yield_on_timeout=True,
                raise_interrupt=False,
            ):
                self.ready.set()
                if changes:
                    self.batches.put({Path(path) for _, path in changes})
        except OSError as exc:  # a watched folder removed, or too many watches
            print(f"publish: warning: stopped watching for changes: {exc}", file=sys.stderr)
        finally:
            self.ready.set()


def _outermost(folders: list[Path]) -> list[Path]:
    """The folders, less those inside another one (watched already)."""
    unique = sorted(set(folders), key=lambda p: len(p.parts))
    kept: list[Path] = []
    for folder in unique:
        if not any(folder.is_relative_to(k) for k in kept):
            kept.append(folder)
    return kept
