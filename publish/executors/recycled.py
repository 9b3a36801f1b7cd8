"""Worker processes for a caller that lives long, ``publish serve``: builds run there,
never in the caller, and a worker is replaced after ``MAX_BUILDS`` builds or once it
holds more than ``MAX_MB``, so the preview's memory stays flat however long it runs
(WeasyPrint's native caches, Pango's, cairo's and fontconfig's, grow with each build and
are never given back).

The workers are forked from multiprocessing's fork server, a process started fresh
(never forked from a process with threads, as the server is) that imports WeasyPrint,
EbookLib and the readers once; a replacement worker starts in a few hundredths of a
second. Python 3.11's own ``max_tasks_per_child`` is not used: with builds queued it can
stop replacing workers and hang (CPython gh-115634, fixed in 3.13.x and later); a pool
is replaced here only between builds, when nothing is queued.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from ..options import Options
from ..pipeline.outcome import Outcome
from ..updates.prepare import for_unit
from .local import Done, build_unit, died, longest_first, warm_up

MAX_BUILDS = 20
"""Builds a pool's workers make before they are replaced."""
MAX_MB = 600.0
"""Resident memory of a worker past which the pool is replaced after its build."""


class RecycledWorkers:
    """Up to ``jobs`` worker processes, started when first needed and replaced now and
    then; ``build_all`` has the signature of ``executors.local.build_all``."""

    def __init__(self, jobs: int, max_builds: int = MAX_BUILDS, max_mb: float = MAX_MB) -> None:
        self.jobs = jobs
        self.max_builds = max_builds
        self.max_mb = max_mb
        self.builds = 0
        """Builds made by the current pool."""
        self.recycled = 0
        """Pools replaced so far."""
        self.worker_mb = 0.0
        """Resident memory of the worker that built last, in MB."""
        self.last_pid = 0
        """The process that built last."""
        self._pool: ProcessPoolExecutor | None = None

    def build_all(
        self,
        sources: list[Path],
        options: Options,
        jobs: int,
        done: Done,
        started: Callable[[], None],
    ) -> float:
        """Build every unit in the workers, calling ``done`` with each outcome as it
        arrives; the peak memory of the busiest worker, in MB."""
        pool = self._pool or self._start()
        futures = {pool.submit(_build, s, for_unit(options, s)): s for s in longest_first(sources)}
        started()
        peak = 0.0
        replace = False
        try:
            for future in as_completed(futures):
                try:
                    outcome, worker_peak, pid, rss = future.result()
                except BrokenProcessPool:  # the pool cannot build any more: a new one
                    outcome, worker_peak, pid, rss = died(futures[future]), 0.0, 0, 0.0
                    replace = True
                self.last_pid = pid
                self.worker_mb = rss
                replace = replace or rss > self.max_mb
                peak = max(peak, worker_peak)
                self.builds += 1
                done(outcome)
        except KeyboardInterrupt:
            pool.shutdown(cancel_futures=True)
            self._pool = None
            raise
        if replace or self.builds >= self.max_builds:
            self.recycle()
        return peak

    def recycle(self) -> None:
        """End the workers (the next build starts new ones)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
            self.recycled += 1
        self.builds = 0

    def close(self) -> None:
        self.recycle()

    def _start(self) -> ProcessPoolExecutor:
        self._pool = ProcessPoolExecutor(self.jobs, mp_context=_context(), initializer=warm_up)
        return self._pool


def _build(source: Path, options: Options) -> tuple[Outcome, float, int, float]:
    outcome, peak = build_unit(source, options)
    return outcome, peak, os.getpid(), resident_mb()


def resident_mb(pid: int | str = "self") -> float:
    """A process's resident memory now, in MB (Linux's /proc; 0 elsewhere)."""
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[1])
    except (OSError, ValueError, IndexError):
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def _context() -> multiprocessing.context.BaseContext:
    """The fork server where there is one (it imports the heavy modules once, for every
    worker to inherit), else fresh interpreters."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    from ..editions import EDITIONS

    context = multiprocessing.get_context("forkserver")
    # Imported by name in the fork server (it ignores any it cannot import).
    context.set_forkserver_preload(
        [e.module for e in EDITIONS.values()] + ["publish.read.pandoc", __name__]
    )
    return context
