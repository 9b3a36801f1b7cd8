"""``publish build``, top to bottom: find the units (``pipeline.units``), refuse two that
would share a folder, build those out of date (``pipeline.run``: stamps, an executor,
each unit read once and every edition rendered from it, written all or none), report;
then the archive's pages, and, if asked, proof and check what was built.

The unit of work is a manuscript, or an issue (its ``issue.yaml``, standing for the issue
and every article in its folder: an article's pages depend on the articles before it). An
executor is anything that builds a list of units and hands back each ``Outcome``: the
local pool of worker processes (``executors/local.py``), or a Dask cluster
(``executors/dask/``, with ``--scheduler``).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .diagnostics import PublishError, display_path
from .options import Options
from .output import BuildLocked, locked
from .pipeline import units as found_units
from .pipeline.outcome import Outcome, Plan, Rendered
from .pipeline.run import build_out_of_date
from .pipeline.units import Units

if TYPE_CHECKING:
    from .pipeline.reading import read_manuscript
    from .pipeline.render import build_one, render_one

# What tests and benchmarks have long imported from here.
__all__ = ["Outcome", "Plan", "Rendered", "build", "build_one", "read_manuscript", "render_one"]
LAZY = {
    "build_one": "publish.pipeline.render",
    "render_one": "publish.pipeline.render",
    "read_manuscript": "publish.pipeline.reading",
}
"""Names imported on first use: a build with nothing to do never loads the renderers."""


def __getattr__(name: str) -> object:
    if name in LAZY:
        import importlib

        return getattr(importlib.import_module(LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def build(paths: list[Path], options: Options, plan: Plan) -> int:
    """``publish build``: the exit status (0 built, 1 failed, 130 interrupted)."""
    units = found_units.find(paths)
    named, sources, issues = units.named, units.loose, units.issues
    clash = units.clash()
    if clash:
        names = " and ".join(display_path(p) for p in clash)
        # An issue is built into a folder of its folder's name, a manuscript of its stem.
        name = clash[0].name if clash[0] in issues else clash[0].stem
        print(
            f"publish: error: {names} would both be built into "
            f"{display_path(options.out / name)}: rename one of them",
            file=sys.stderr,
        )
        return 1
    if not sources and not issues:
        where = ", ".join(display_path(p) for p in named)
        print(f"publish: error: no manuscripts (*.md) found in {where}", file=sys.stderr)
        return 1
    if options.out.exists() and not options.out.is_dir():
        print(
            f"publish: error: --out {display_path(options.out)} is a file, not a folder: "
            "name a folder",
            file=sys.stderr,
        )
        return 1
    try:
        with locked(options.out):
            try:
                summary = build_out_of_date(units.work, options, plan)
            except PublishError as exc:  # the cluster cannot be used (ClusterError)
                print(f"publish: error: {exc}", file=sys.stderr)
                return 1
            if summary is not None and _archive_may_change(units, options, summary.built):
                from .periodical.build import write_archive_pages

                write_archive_pages(options, plan.quiet)
    except BuildLocked as exc:
        print(
            f"publish: error: another build is writing into {exc}: wait for it to "
            "finish, or give this one another --out",
            file=sys.stderr,
        )
        return 1
    if summary is None:
        print("publish: interrupted", file=sys.stderr)
        return 130
    if summary.failed:
        return 1
    if not (plan.proof or plan.check):
        return 0
    from .periodical.build import issue_outputs

    built = [(options.out / s.stem, s.stem) for s in sources] + issue_outputs(issues, options)
    if plan.proof:
        from .proof import proof_folder

        for folder, name in built:
            print(f"proof {proof_folder(folder, name, options.paper)}")
    if plan.check:
        from .check import check_paths

        return check_paths([folder for folder, _ in built], None)
    return 0


def _archive_may_change(units: Units, options: Options, built: int) -> bool:
    """Whether the archive's pages (over the issues built into ``options.out``) may need
    writing: not when nothing was built, and the build names no issue or the pages are
    there (they are made from the build folder's issues, unchanged then)."""
    if built:
        return True
    pages = ["index.html"] + (["sitemap.xml", "feed.xml"] if options.base_url else [])
    return bool(units.issues) and not all((options.out / p).is_file() for p in pages)
