"""The ``publish`` command."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from . import __version__, remote
from .build import build
from .diagnostics import Collector, PublishError, display_path
from .options import ALL_FORMATS, FORMATS, PAPERS, Options
from .own_templates import FOLDER, copy_builtin, default_folder
from .pipeline.outcome import Plan
from .settings import NAME, Settings, formats_for_build, load

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
    _build_options(build)
    build.add_argument("--check", action="store_true", help="validate the editions after building")
    build.add_argument(
        "--scheduler",
        metavar="tcp://HOST:PORT",
        default=os.environ.get("PUBLISH_SCHEDULER") or None,
        help="build on the Dask cluster whose scheduler is there (default: $PUBLISH_SCHEDULER; "
        "needs pip install 'publish[cluster]')",
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

    templates = commands.add_parser(
        "templates",
        help="start the publication's own templates folder",
        description="Write a copy of the built-in templates and stylesheets, with a README "
        "saying what each file shapes, into DIR (default: templates/, which build, serve "
        "and proof then use without any option). Existing files are never overwritten.",
    )
    templates.add_argument(
        "dir", nargs="?", type=Path, default=FOLDER, metavar="DIR", help="default: templates/"
    )
    remote.register(commands)  # publish fetch: remote images, downloaded on request

    serve = commands.add_parser(
        "serve",
        help="preview the editions in a browser while you write",
        description="Build what is out of date, serve the editions over HTTP and rebuild "
        "a manuscript when it or a file it uses changes; open pages reload by themselves "
        "and show the errors of a failed build. Ctrl-C stops it.",
    )
    serve.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="manuscripts or folders of them (default: source/)",
    )
    _common(serve)
    _build_options(serve)
    serve.add_argument(
        "--port", type=_port, default=8000, metavar="N", help="port to listen on (default: 8000)"
    )
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        metavar="HOST",
        help="address to listen on (default: 127.0.0.1, this machine only)",
    )
    serve.add_argument("--open", action="store_true", help="open the home page in a web browser")
    return top


def _build_options(sub: argparse.ArgumentParser) -> None:
    """The options of a build, shared by ``build`` and ``serve``."""
    sub.add_argument(
        "--format",
        default=None,
        type=_formats,
        help=f"editions to write, comma-separated, of {','.join(ALL_FORMATS)} (default: "
        f"{','.join(FORMATS)} and what publish.yaml's 'formats' adds)",
    )
    sub.add_argument("--strict", action="store_true", help="treat warnings as errors")
    sub.add_argument(
        "--base-url",
        metavar="URL",
        type=_web_address,
        help="site the texts were first published on: links to its other "
        "pages become absolute links there",
    )
    sub.add_argument(
        "--print-marks",
        action="store_true",
        help="add crop marks and bleed to the PDF for a printer",
    )
    sub.add_argument(
        "--templates",
        type=_folder,
        metavar="DIR",
        help="your own templates folder, searched before the built-in one (default: "
        "templates/ when the current folder has one)",
    )
    sub.add_argument(
        "--resource-path",
        type=_folders,
        default=(),
        metavar="DIR[:DIR]",
        help="folders besides each manuscript's own that its images may come from "
        "(an absolute /x.png is looked for in them)",
    )
    sub.add_argument(
        "--max-image-px",
        type=_positive,
        default=1600,
        metavar="N",
        help="largest side of an image in the HTML and EPUB, in pixels (default: 1600); "
        "the PDF takes at most 300 ppi at the printed size",
    )
    sub.add_argument(
        "--jobs",
        "-j",
        type=_positive,
        metavar="N",
        help="manuscripts built at once, in as many worker processes (default: the number of CPUs)",
    )
    sub.add_argument(
        "--force",
        action="store_true",
        help="build every manuscript, even those whose editions are up to date",
    )
    sub.add_argument(
        "--quiet", "-q", action="store_true", help="print nothing but errors and warnings"
    )


def _common(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--out",
        type=Path,
        default=Path("build"),
        metavar="DIR",
        help="output folder (default: build)",
    )
    sub.add_argument("--paper", choices=PAPERS, default="a4", help="PDF paper size (default: a4)")


def _quiet_libraries() -> None:
    """Stderr carries our diagnostics only: what the libraries log or warn about is either
    said by us in the manuscript's terms, or of no use to an editor. Our own warnings
    (the footnote fix falling back, say) are said, once, as a diagnostic line."""
    logging.basicConfig(handlers=[logging.NullHandler()], force=True)
    warnings.simplefilter("ignore")
    warnings.filterwarnings("default", category=UserWarning, module=r"publish(\.|$)")
    warnings.showwarning = _show_warning


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    print(f"publish: warning: {message}", file=file or sys.stderr)


def publication_settings() -> Settings | None:
    """``publish.yaml`` in the folder where publish runs (the publication's, beside
    ``source/``), or empty settings; None after printing its errors."""
    path = Path(NAME)
    report = Collector(path)
    settings = load(path if path.is_file() else None, report)
    for diagnostic in report.items:
        print(diagnostic, file=sys.stderr)
    return None if report.errors else settings


def _formats(value: str) -> tuple[str, ...]:
    chosen = tuple(v.strip() for v in value.split(",") if v.strip())
    unknown = [v for v in chosen if v not in ALL_FORMATS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(
            f"unknown format {', '.join(unknown) or '(none)'}; choose from {', '.join(ALL_FORMATS)}"
        )
    return chosen


def _port(value: str) -> int:
    if not value.isdigit() or not 0 <= int(value) <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port number from 0 to 65535, not {value!r}")
    return int(value)


def _folders(value: str) -> tuple[Path, ...]:
    folders = tuple(Path(v) for v in value.split(":") if v)
    missing = [str(f) for f in folders if not f.is_dir()]
    if missing:
        raise argparse.ArgumentTypeError(f"not a folder: {', '.join(missing)}")
    return folders


def _web_address(value: str) -> str:
    if not value.lower().startswith(("http://", "https://")):
        raise argparse.ArgumentTypeError(
            f"expected an http(s) address such as https://example.org/, not {value!r}"
        )
    return value


def _folder(value: str) -> Path:
    if not Path(value).is_dir():
        raise argparse.ArgumentTypeError(f"not a folder: {value}")
    return Path(value)


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, not {value!r}")
    return int(value)


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line, with paths allowed after options too (``publish build a.md
    --force b.md``): argparse's intermixed parsing does not work with subcommands."""
    cli = parser()
    args, extra = cli.parse_known_args(argv)
    if extra and hasattr(args, "paths") and not any(e.startswith("-") for e in extra):
        args.paths = [*(args.paths or []), *map(Path, extra)]
    elif extra:
        cli.error(f"unrecognized arguments: {' '.join(extra)}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    _quiet_libraries()
    args = parse(argv)
    try:
        os.getcwd()
    except FileNotFoundError:  # every relative path would fail, each in its own way
        print(
            "publish: error: the current folder no longer exists: cd into one that does",
            file=sys.stderr,
        )
        return 1
    try:
        return run(args)
    except PublishError as error:  # A missing tool, say: one line that says what to do.
        print(f"publish: error: {error}", file=sys.stderr)
        return 1


def run(args: argparse.Namespace) -> int:
    if args.command == "check":
        from .check import check_paths

        return check_paths(args.paths or [Path("build")], args.json)
    if args.command == "templates":
        written = copy_builtin(args.dir)
        print(f"wrote {len(written)} files into {display_path(args.dir)}: edit them there")
        return 0
    if args.command == "fetch":
        return remote.command(args)
    # `publish proof` is a build of what is missing, then the proofs.
    proofing = args.command == "proof"
    settings = publication_settings()
    if settings is None:
        return 1
    options = Options(
        out=args.out,
        formats=formats_for_build(settings, getattr(args, "format", None)),
        settings=settings,
        paper=args.paper,
        strict=getattr(args, "strict", False),
        base_url=getattr(args, "base_url", None),
        print_marks=getattr(args, "print_marks", False),
        templates=default_folder(getattr(args, "templates", None)),
        resource_path=getattr(args, "resource_path", ()),
        max_image_px=getattr(args, "max_image_px", 1600),
    )
    plan = Plan(
        jobs=getattr(args, "jobs", None),
        force=getattr(args, "force", False),
        quiet=getattr(args, "quiet", False) or proofing,
        proof=proofing or getattr(args, "proof", False),
        check=getattr(args, "check", False),
        scheduler=getattr(args, "scheduler", None),
    )
    if args.command == "serve":
        from .serve import Address, serve

        return serve(args.paths, options, plan, Address(args.host, args.port), args.open)
    return build(args.paths, options, plan)
