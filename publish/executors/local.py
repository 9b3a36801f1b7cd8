"""Building many manuscripts at once, in worker processes that live for the whole build.

Each worker imports pandoc's wrapper, WeasyPrint and EbookLib once and then builds one
manuscript after another with ``build_one``; starting an interpreter and importing
WeasyPrint costs about a second, more than building a short article."""

from __future__ import annotations

import importlib
import multiprocessing
import os
import resource
import traceback
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from ..diagnostics import Diagnostic
from ..options import Options
from ..pipeline.outcome import Outcome
from ..pipeline.render import build_one
from ..pipeline.units import is_issue
from ..updates.prepare import for_unit

Done = Callable[[Outcome], None]


def default_jobs() -> int:
    """The CPUs this process may run on (fewer than the machine's in a container)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def build_all(
    sources: list[Path], options: Options, jobs: int, done: Done, started: Callable[[], None]
) -> float:
    """Build every unit (manuscript, issue) in ``sources``, calling ``done`` with each outcome as it
    arrives (in the order they finish); return the peak memory of the busiest worker, in
    MB. ``started`` is called once the workers exist."""
    warm_up()
    if jobs <= 1 or len(sources) <= 1:
        started()
        for source in sources:
            done(build_unit(source, options)[0])
        return _peak_mb()
    workers = min(jobs, len(sources))
    peak = 0.0
    with ProcessPoolExecutor(workers, mp_context=_context(), initializer=warm_up) as pool:
        futures = {
            pool.submit(build_unit, s, for_unit(options, s)): s for s in longest_first(sources)
        }
        started()
        try:
            for future in as_completed(futures):
                outcome, worker_peak = result_of(future, futures[future])
                peak = max(peak, worker_peak)
                done(outcome)
        except KeyboardInterrupt:
            # Otherwise leaving the pool waits for every manuscript still queued.
            pool.shutdown(cancel_futures=True)
            raise
    return peak


def longest_first(sources: list[Path]) -> list[Path]:
    """Long manuscripts first, so that the build does not end waiting on one of them
    while the other workers sit idle."""

    def size(path: Path) -> int:
        # An issue (its issue.yaml) is as long as all its articles together.
        units = path.parent.glob("*.md") if is_issue(path) else [path]
        try:
            return sum(p.stat().st_size for p in units)
        except OSError:
            return 0

    return sorted(sources, key=lambda p: (-size(p), str(p)))


def warm_up() -> None:
    """Import everything a build needs, once per process. Called in the parent before
    the workers are forked (they inherit it), and as each worker's initializer in case
    the platform starts them fresh instead."""
    from ..editions import EDITIONS, pdf
    from ..read import pandoc

    for edition in EDITIONS.values():  # loads WeasyPrint and EbookLib
        importlib.import_module(edition.module)

    pdf.prepare()  # WeasyPrint's fixes; the house style is parsed in each worker
    pandoc.version()  # finds the pandoc binary once, not once per manuscript


def build_unit(source: Path, options: Options) -> tuple[Outcome, float]:
    """Build one unit in this process: its outcome (an internal error reported, never
    raised) and the process's peak memory so far, in MB."""
    try:
        outcome = build_one(source, options)
    except Exception as exc:  # a bug or a library crash: report it, build the rest
        outcome = Outcome(source)
        detail = "".join(traceback.format_exception_only(exc)).strip()
        outcome.diagnostics.append(
            Diagnostic(source, None, f"internal error: {detail}; please report it")
        )
    return outcome, _peak_mb()


def result_of(future: Future, source: Path) -> tuple[Outcome, float]:
    """The outcome of a future ``build_unit``; that of a worker that died, when it did."""
    try:
        return future.result()
    except BrokenProcessPool:
        return died(source), 0.0


def died(source: Path) -> Outcome:
    """The outcome of a unit whose worker process died building it."""
    outcome = Outcome(source)
    outcome.diagnostics.append(
        Diagnostic(
            source,
            None,
            "the worker process building it died (out of memory?); try again with fewer --jobs",
        )
    )
    return outcome


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _context() -> multiprocessing.context.BaseContext | None:
    # fork: the workers start with everything the parent already imported.
    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return None
