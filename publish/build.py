"""The pipeline, top to bottom: discover the manuscripts, refuse two that would share a
folder, skip those whose editions are up to date, build the rest (read each once, render
every edition from that one document, write them into place) on an executor, report;
then, if asked, proof and check what was built.

The unit of work is a manuscript, or an issue (its ``issue.yaml``, standing for the issue
and every article in its folder: an article's pages depend on the articles before it). An
executor is anything that builds a list of units and hands back each ``Outcome``: the
local pool of worker processes (``parallel.py``), or a Dask cluster (``cluster.py``, with
``--scheduler``).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2

from .diagnostics import Diagnostic, ManuscriptError, PublishError, display_path
from .options import Options
from .output import BuildLocked, locked, remove_stale_parts, write_all

if TYPE_CHECKING:
    from .document import Document
    from .progress import Summary


@dataclass(frozen=True)
class Plan:
    """How to run a build, beside what it builds (``Options`` shape the editions)."""

    jobs: int | None = None
    """Manuscripts built at once (default: one per CPU)."""
    force: bool = False
    quiet: bool = False
    proof: bool = False
    check: bool = False
    scheduler: str | None = None
    """A Dask scheduler's address: build there instead of in local processes."""


Rendered = dict[str, bytes]
"""Editions as bytes, by path in the output folder (``slug/slug.pdf``)."""


@dataclass
class Outcome:
    """What became of one manuscript (or one issue: its source is the ``issue.yaml``)."""

    source: Path
    written: list[Path] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    uses: list[Path] = field(default_factory=list)
    """Files besides the manuscript that shaped the editions (its images, bibliography)."""

    @property
    def failed(self) -> bool:
        return any(d.severity == "error" for d in self.diagnostics)


def build(paths: list[Path], options: Options, plan: Plan) -> int:
    """``publish build``: the exit status (0 built, 1 failed, 130 interrupted)."""
    from .periodical.discover import split_issues

    named = paths or [Path("source")]
    every = discover(named)
    sources, issues = split_issues(every, named)
    clash = same_slug(every) or issue_clash(every, issues)
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
    from .periodical.build import issue_outputs, write_archive_pages
    from .periodical.schema import ISSUE_FILE

    units = sources + [folder / ISSUE_FILE for folder in issues]
    try:
        with locked(options.out):
            try:
                summary = build_out_of_date(units, options, plan)
            except PublishError as exc:  # the cluster cannot be used (ClusterError)
                print(f"publish: error: {exc}", file=sys.stderr)
                return 1
            if summary is not None:
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
    built = [(options.out / s.stem, s.stem) for s in sources] + issue_outputs(issues, options)
    if plan.proof:
        from .proof import proof_folder

        for folder, name in built:
            print(f"proof {proof_folder(folder, name, options.paper)}")
    if plan.check:
        from .check import check_paths

        return check_paths([folder for folder, _ in built], None)
    return 0


def build_out_of_date(
    sources: list[Path],
    options: Options,
    plan: Plan,
    observe: Callable[[Outcome], None] | None = None,
) -> Summary | None:
    """Build the units (manuscripts, issues' ``issue.yaml``) whose stamps do not match (all
    with ``force``) and stamp each one that succeeds; None when interrupted. ``observe``
    sees each outcome after it was stamped and reported (``publish serve`` follows its
    manuscripts' state with it)."""
    from . import progress, stamps
    from .periodical import stamp as issue_stamp

    started = time.perf_counter()
    shared = stamps.shared_digest(options)

    def current(unit: Path) -> bool:
        if is_issue(unit):
            return issue_stamp.is_current(unit.parent, options, shared)
        return stamps.is_current(unit, options, shared)

    todo = [s for s in sources if plan.force or not current(s)]
    summary = progress.Summary(total=len(sources), skipped=len(sources) - len(todo))
    report = progress.reporter(summary, quiet=plan.quiet)

    def done(outcome: Outcome) -> None:
        if not outcome.failed:
            try:
                if is_issue(outcome.source):
                    folder = outcome.source.parent
                    issue_stamp.write(folder, options, shared, outcome.uses, outcome.written)
                else:
                    stamps.write(outcome.source, options, shared, outcome.uses)
            except OSError:
                pass  # without its stamp the unit is simply built again next time
        report.done(outcome)
        if observe is not None:
            observe(outcome)

    interrupted = False
    if todo:
        from .parallel import build_all, default_jobs

        summary.jobs = min(plan.jobs or default_jobs(), len(todo))
        if plan.scheduler:
            from .cluster import on_cluster

            build_all = on_cluster(plan.scheduler, summary)
        try:
            summary.peak_mb = build_all(
                todo, options, summary.jobs, done, started=lambda: report.start(len(todo))
            )
        except KeyboardInterrupt:
            # What was built is stamped: the next build carries on from there.
            interrupted = True
    summary.seconds = time.perf_counter() - started
    report.finish()
    return None if interrupted else summary


def is_issue(unit: Path) -> bool:
    """Whether a unit of work is an issue (its ``issue.yaml``) rather than a manuscript."""
    from .periodical.schema import ISSUE_FILE

    return unit.name == ISSUE_FILE


def same_slug(sources: list[Path]) -> list[Path]:
    """Two manuscripts whose editions would go to the same folder, if any: in parallel
    they would overwrite each other's editions and stamps."""
    seen: dict[str, Path] = {}
    for source in sources:
        if source.stem in seen:
            return [seen[source.stem], source]
        seen[source.stem] = source
    return []


def issue_clash(manuscripts: list[Path], issues: list[Path]) -> list[Path]:
    """An issue folder and another issue folder, or a manuscript outside it, whose
    editions would go to the same folder (``build/<name>/``), if any. (An issue's own
    article named like its folder is the issue's error, at its issue.yaml.)"""
    seen: dict[str, Path] = {}
    for folder in issues:
        if folder.name in seen:
            return [seen[folder.name], folder]
        seen[folder.name] = folder
    for source in manuscripts:
        issue = seen.get(source.stem)
        if issue is not None and source.parent != issue:
            return [issue, source]
    return []


def discover(paths: list[Path]) -> list[Path]:
    """The manuscripts named, with folders standing for every ``*.md`` below them."""
    found: list[Path] = []
    for path in paths:
        found.extend(sorted(path.rglob("*.md")) if path.is_dir() else [path])
    return list(dict.fromkeys(found))


def build_one(source: Path, options: Options) -> Outcome:
    """Build every requested edition of one manuscript (or issue), or none of them."""
    outcome, rendered = render_one(source, options)
    write_editions(outcome, rendered, options)
    return outcome


def render_one(source: Path, options: Options) -> tuple[Outcome, Rendered]:
    """Every requested edition of one manuscript (or of an issue and its articles, for an
    ``issue.yaml``), or none of them (the outcome's diagnostics say why).

    All editions are rendered in memory first, so that an error in any of them leaves
    the editions of an earlier build as they were."""
    outcome = Outcome(source)
    try:
        if is_issue(source):
            from .periodical.build import render_issue

            return outcome, render_issue(outcome, options)
        return outcome, _render_manuscript(outcome, options)
    except ManuscriptError as exc:
        outcome.diagnostics.extend(exc.diagnostics)
    except jinja2.TemplateError as exc:
        outcome.diagnostics.append(template_error(exc, source))
    except RecursionError:
        outcome.diagnostics.append(
            Diagnostic(
                source,
                None,
                "a template includes or calls itself without end (or the text nests too "
                "deeply to render): check your templates folder",
            )
        )
    except UnicodeDecodeError as exc:
        outcome.diagnostics.append(
            Diagnostic(source, None, f"a template is not UTF-8 ({exc.reason}): save it as UTF-8")
        )
    return outcome, {}


def _render_manuscript(outcome: Outcome, options: Options) -> Rendered:
    # Imported here: WeasyPrint alone takes a second to import, which a build where
    # everything is up to date never needs.
    from .editions.registry import EDITIONS, edition_file

    doc = read_manuscript(outcome.source, options)
    outcome.diagnostics.extend(doc.diagnostics)
    outcome.uses = [r.path for r in doc.resources.values()] + list(doc.inputs)
    slug = outcome.source.stem
    return {edition_file(slug, f): EDITIONS[f].render(doc, options) for f in options.formats}


def read_manuscript(source: Path, options: Options) -> Document:
    """The manuscript read as the options say (``strict``, ``base_url``, ``resource_path``)."""
    from .read import read

    return read(
        source,
        strict=options.strict,
        base_url=options.base_url,
        resource_path=options.resource_path,
    )


def write_editions(outcome: Outcome, rendered: Rendered, options: Options) -> None:
    """Put every rendered edition in place, all or none: a failure (a full disk, a
    read-only folder) is a message and leaves the earlier editions as they were."""
    if not rendered:
        return
    targets = {options.out / name: data for name, data in rendered.items()}
    folders = sorted({path.parent for path in targets})
    try:
        for folder in folders:
            remove_stale_parts(folder)
        write_all(targets)
    except OSError as exc:
        where = display_path(Path(exc.filename) if exc.filename else folders[0])
        outcome.diagnostics.append(
            Diagnostic(
                outcome.source,
                None,
                f"cannot write the editions into {where}: {exc.strerror or exc}; "
                "the earlier editions are kept as they were (free some space, or choose "
                "a folder you may write with --out)",
            )
        )
        return
    outcome.written.extend(targets)


def template_error(exc: jinja2.TemplateError, source: Path) -> Diagnostic:
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        return Diagnostic(
            Path(exc.filename), exc.lineno, f"template error: {exc.message}; fix the template"
        )
    where = _template_frame(exc)
    if where:
        return Diagnostic(where[0], where[1], f"template error: {exc}; fix the template")
    return Diagnostic(
        source, None, f"template error while rendering: {exc}; check your templates folder"
    )


def _template_frame(exc: BaseException) -> tuple[Path, int] | None:
    """The template file and line an error was raised in: Jinja rewrites the traceback so
    that template code appears as frames of the template's own file."""
    found = None
    tb = exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith(".j2"):
            found = (Path(name), tb.tb_lineno)
        tb = tb.tb_next
    return found
