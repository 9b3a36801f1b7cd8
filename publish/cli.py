"""The ``publish`` command."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .build import Outcome, discover
from .diagnostics import display_path
from .options import FORMATS, PAPERS, Options

if TYPE_CHECKING:
    from .progress import Summary

DESCRIPTION = """\
Turn semantic Markdown manuscripts (YAML front matter + pandoc Markdown) into three
editions each: a print PDF, an EPUB 3 and a self-contained archival HTML page.
"""


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="publish", description=DESCRIPTION)
    top.add_argument("--version", action="version", version=f"publish {__version__}")
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser(
        "build",
        help="build editions of manuscripts",
        description="Build build/<slug>/<slug>.{pdf,epub,html} from each manuscript "
        "(slug: the file name without .md).",
    )
    build.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="manuscripts or folders of them (default: source/)",
    )
    _common(build)
    build.add_argument(
        "--format",
        default=",".join(FORMATS),
        type=_formats,
        help="editions to write, comma-separated (default: pdf,epub,html)",
    )
    build.add_argument("--strict", action="store_true", help="treat warnings as errors")
    build.add_argument(
        "--base-url",
        metavar="URL",
        help="site the texts were first published on: links to its other "
        "pages become absolute links there",
    )
    build.add_argument(
        "--print-marks",
        action="store_true",
        help="add crop marks and bleed to the PDF for a printer",
    )
    build.add_argument(
        "--templates",
        type=Path,
        metavar="DIR",
        help="your own templates folder, searched before the built-in one",
    )
    build.add_argument("--check", action="store_true", help="validate the editions after building")
    build.add_argument(
        "--jobs",
        "-j",
        type=_positive,
        metavar="N",
        help="manuscripts built at once, in as many worker processes (default: the number of CPUs)",
    )
    build.add_argument(
        "--force",
        action="store_true",
        help="build every manuscript, even those whose editions are up to date",
    )
    build.add_argument(
        "--quiet", "-q", action="store_true", help="print nothing but errors and warnings"
    )
    build.add_argument("--proof", action="store_true", help="write proof images after building")

    check = commands.add_parser(
        "check",
        help="validate editions",
        description="Validate editions with EPUBCheck, Ace, the Nu HTML Checker, axe-core "
        "and PDF structure checks; exit 1 when any check fails.",
    )
    check.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="edition files or folders (default: build/)",
    )
    check.add_argument("--json", type=Path, metavar="FILE", help="write the full report as JSON")

    proof = commands.add_parser(
        "proof",
        help="see the editions as pictures",
        description="Render PDF pages, HTML and EPUB screenshots and a contact sheet into "
        "build/<slug>/proof/ (building what is missing).",
    )
    proof.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="manuscripts or folders of them (default: source/)",
    )
    _common(proof)
    return top


def _common(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--out",
        type=Path,
        default=Path("build"),
        metavar="DIR",
        help="output folder (default: build)",
    )
    sub.add_argument("--paper", choices=PAPERS, default="a4", help="PDF paper size (default: a4)")


def _formats(value: str) -> tuple[str, ...]:
    chosen = tuple(v.strip() for v in value.split(",") if v.strip())
    unknown = [v for v in chosen if v not in FORMATS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(
            f"unknown format {', '.join(unknown) or '(none)'}; choose from {', '.join(FORMATS)}"
        )
    return chosen


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, not {value!r}")
    return int(value)


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command == "build":
        return run_build(args)
    if args.command == "check":
        from .check import check_paths

        return check_paths(args.paths or [Path("build")], args.json)
    from .proof import proof

    return proof(args)


def run_build(args: argparse.Namespace) -> int:
    """Build what is out of date, in parallel, reporting progress and a summary."""
    options = Options(
        out=args.out,
        formats=args.format,
        paper=args.paper,
        strict=args.strict,
        base_url=args.base_url,
        print_marks=args.print_marks,
        templates=args.templates,
    )
    sources = discover(args.paths or [Path("source")])
    if not sources:
        print("publish: error: no manuscripts (*.md) found", file=sys.stderr)
        return 1
    clash = _same_slug(sources)
    if clash:
        names = " and ".join(display_path(s) for s in clash)
        print(
            f"publish: error: {names} would both be built into "
            f"{display_path(options.out / clash[0].stem)}: rename one of them",
            file=sys.stderr,
        )
        return 1
    summary = _build_out_of_date(sources, options, args)
    if summary is None:
        print("publish: interrupted", file=sys.stderr)
        return 130
    if summary.failed:
        return 1
    if args.proof:
        from .proof import proof_sources

        for sheet in proof_sources(sources, options):
            print(f"proof {sheet}")
    if args.check:
        from .check import check_paths

        return check_paths([options.out / s.stem for s in sources], None)
    return 0


def _build_out_of_date(
    sources: list[Path], options: Options, args: argparse.Namespace
) -> Summary | None:
    """Build the manuscripts whose stamps do not match (all with ``--force``); None when
    interrupted."""
    from . import progress, stamps

    started = time.perf_counter()
    shared = stamps.shared_digest(options)
    todo = [s for s in sources if args.force or not stamps.is_current(s, options, shared)]
    summary = progress.Summary(total=len(sources), skipped=len(sources) - len(todo))
    report = progress.reporter(summary, quiet=args.quiet)

    def done(outcome: Outcome) -> None:
        if not outcome.failed:
            stamps.write(outcome.source, options, shared, outcome.uses)
        report.done(outcome)

    interrupted = False
    if todo:
        from .parallel import build_all, default_jobs

        summary.jobs = min(args.jobs or default_jobs(), len(todo))
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


def _same_slug(sources: list[Path]) -> list[Path]:
    """Two manuscripts whose editions would go to the same folder, if any: in parallel
    they would overwrite each other's editions and stamps."""
    seen: dict[str, Path] = {}
    for source in sources:
        if source.stem in seen:
            return [seen[source.stem], source]
        seen[source.stem] = source
    return []
