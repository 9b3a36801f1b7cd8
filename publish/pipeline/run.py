"""Build the units that are out of date on an executor, stamp each one that succeeds,
and tell the person waiting."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from ..options import Options
from ..updates.prepare import Prepared, prepare
from . import progress, stamps
from .outcome import Outcome, Plan

BuildAll = Callable[
    [list[Path], Options, int, Callable[[Outcome], None], Callable[[], None]], float
]
"""An executor: builds the units given on up to so many workers, hands each outcome to
the callback as it comes, calls the other once the workers exist; returns the peak
memory of the busiest worker in MB (``executors.local.build_all``)."""


def build_out_of_date(
    units: list[Path],
    options: Options,
    plan: Plan,
    observe: Callable[[Outcome], None] | None = None,
    executor: BuildAll | None = None,
) -> progress.Summary | None:
    """Build the units (manuscripts, issues' ``issue.yaml``) whose stamps do not match (all
    with ``force``) and stamp each one that succeeds; None when interrupted. ``observe``
    sees each outcome after it was stamped and reported (``publish serve`` follows its
    manuscripts' state with it, and builds on its own ``executor``: by default the
    processes of ``executors.local``, or the cluster of ``plan.scheduler``)."""
    started = time.perf_counter()
    shared = stamps.shared_digest(options)
    # What the manuscripts say of each other (notices, versions), before any is built;
    # the units related to those asked for are checked too.
    prepared = prepare(units, options.out)
    units = prepared.units
    digests = {u: prepared.digest(u) for u in units}
    stats = prepared.register.stats
    todo = [
        u
        for u in units
        if plan.force or not stamps.is_current(u, options, shared, digests[u], stats)
    ]
    summary = progress.Summary(total=len(units), skipped=len(units) - len(todo))
    report = progress.reporter(summary, quiet=plan.quiet)
    if todo:
        options = replace(options, relations=prepared.for_building(todo, options.out))

    failed: list[Path] = []

    def stamp(outcome: Outcome, used: Options, suffix: str = "") -> None:
        if outcome.failed:
            failed.append(outcome.source)
            return
        try:
            stamps.write(outcome, used, shared, digests.get(outcome.source, "") + suffix)
        except OSError:
            pass  # without its stamp the unit is simply built again next time

    def done(outcome: Outcome) -> None:
        stamp(outcome, options)
        report.done(outcome)
        if observe is not None:
            observe(outcome)

    interrupted = False
    if todo:
        from ..executors.local import build_all as local
        from ..executors.local import default_jobs

        summary.jobs = min(plan.jobs or default_jobs(), len(todo))
        build_all: BuildAll = executor or local
        if executor is None and plan.scheduler:
            from ..executors.dask.client import on_cluster

            build_all = on_cluster(plan.scheduler, summary)
        try:
            summary.peak_mb = build_all(
                todo, options, summary.jobs, done, lambda: report.start(len(todo))
            )
            again = _without_failed_notices(todo, failed, options, prepared)
            if again is not None:
                units_again, options_again = again

                def redone(outcome: Outcome) -> None:
                    # Stamped apart: once the notice builds, its articles take it again.
                    stamp(outcome, options_again, WITHOUT_FAILED)
                    if observe is not None:
                        observe(outcome)

                build_all(units_again, options_again, summary.jobs, redone, lambda: None)
        except KeyboardInterrupt:
            # What was built is stamped: the next build carries on from there.
            interrupted = True
    if summary.built or not todo:
        # Not after a build that wrote nothing: a failed build leaves build/ as it was
        # (the manuscripts it read are read again next time, their stats having moved).
        prepared.register.save(options.out)
    summary.seconds = time.perf_counter() - started
    report.finish()
    return None if interrupted else summary


WITHOUT_FAILED = ":without-failed-notices"
"""Marks the stamp of an article built again without a notice whose build failed."""


def _without_failed_notices(
    todo: list[Path], failed: list[Path], options: Options, prepared: Prepared
) -> tuple[list[Path], Options] | None:
    """The units built with a notice that then failed (a notice is built beside the
    articles it updates, not before them), to build again without it, and the options
    to build them with; None when there are none."""
    relations = options.relations
    if relations is None or not failed:
        return None
    broken = {
        slug
        for unit in failed
        for slug in prepared.members.get(unit, [])
        if relations.of(slug).notice is not None
    }
    if not broken:
        return None
    without, carried = relations.without(broken)
    again = [
        u
        for u in todo
        if u not in failed and any(s in carried for s in prepared.members.get(u, []))
    ]
    if not again:
        return None
    return again, replace(options, relations=without)
