"""``publish check``: validate every edition with the validators readers' tools trust.

EPUBs go through EPUBCheck and Ace by DAISY, HTML pages through the Nu HTML
Checker and axe-core in headless Chromium, PDFs through pikepdf structure
checks, ``qpdf --check`` and veraPDF where installed; our own lint then compares
the editions of each manuscript with each other.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, TextIO

from ..diagnostics import ToolMissing
from ..editions.registry import EDITIONS, of_path
from . import delivery, epub, html, lint, pdf
from .report import write_json, write_table
from .result import CheckResult, not_installed

SUFFIXES = tuple(e.suffix for e in EDITIONS.values())
CHECK_ORDER = [
    "EPUBCheck",
    "Ace",
    "Nu",
    "axe",
    "PDF",
    "qpdf",
    "veraPDF",
    "JATS",
    "Crossref",
    "lint",
    "links",
]


def find_editions(paths: list[Path]) -> list[Path]:
    """Edition files named, or found below folders named, in a stable order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            # proof/ holds `publish proof`'s contact sheet, a picture of the editions.
            found += sorted(
                p
                for p in path.rglob("*")
                if p.suffix in SUFFIXES
                and p.is_file()
                and p.parent.name != "proof"
                and not _archive_file(p)
            )
        elif path.name.endswith(SUFFIXES):
            found.append(path)
    return list(dict.fromkeys(found))


Submit = Callable[..., Future]
"""Runs a check in the pool: ``submit(name, editions, check, *args)``."""
Waiting = list[Future]


def _archive_file(path: Path) -> bool:
    """The archive's sitemap and feed beside its home page (``periodical/contents.py``):
    XML, but not JATS, which is what a ``.xml`` file found in a folder is checked as."""
    return path.name in ("sitemap.xml", "feed.xml") and (path.parent / "index.html").is_file()


def run_checks(editions: list[Path]) -> list[CheckResult]:
    """Every check on every edition, the slow external ones side by side: each edition's
    entry in the registry names the function here that validates its files."""
    # Threads only wait on JVMs, Node and Chromium; three keep two cores busy.
    with ThreadPoolExecutor(max_workers=3) as pool:

        def submit(name: str, paths: list[Path], check: Callable, *args: Any) -> Future:
            return pool.submit(_guarded, name, paths, check, *args)

        results: list[CheckResult] = []
        jobs: Waiting = []
        for edition in EDITIONS.values():
            files = [p for p in editions if edition.matches(p)]
            if not files:
                continue
            validate = globals()[edition.check]
            results += validate(files, submit, jobs)
        # Contents pages of issues and the archive are not a manuscript's editions:
        # their links are checked instead of lint.
        from ..periodical.links import check_links, is_contents_page

        contents = [p for p in editions if is_contents_page(p)]
        # JATS and deposits are validated against their schemas, not read as a reader's.
        linted = [p for p in editions if p not in contents and _is_reader_edition(p)]
        results += _guarded("lint", linted, lint.check, linted)
        results += [r for p in contents for r in _guarded("links", [p], _one(check_links), p)]
        results += [r for job in jobs for r in job.result()]
    position = {path: i for i, path in enumerate(editions)}
    return sorted(results, key=lambda r: (position[r.edition], CHECK_ORDER.index(r.check)))


def _is_reader_edition(path: Path) -> bool:
    edition = of_path(path)
    return edition is None or edition.reader


def check_pages(pages: list[Path], submit: Submit, jobs: Waiting) -> list[CheckResult]:
    """Web pages: the Nu HTML Checker and axe-core, in the pool."""
    jobs += [submit("Nu", pages, html.nu, pages), submit("axe", pages, html.axe, pages)]
    return []


def check_epubs(epubs: list[Path], submit: Submit, jobs: Waiting) -> list[CheckResult]:
    """EPUBs: EPUBCheck over all of them and Ace on each, in the pool."""
    jobs.append(submit("EPUBCheck", epubs, epub.epubcheck, epubs))
    jobs += [submit("Ace", [p], _one(epub.ace), p) for p in epubs]
    return []


def check_pdfs(pdfs: list[Path], submit: Submit, jobs: Waiting) -> list[CheckResult]:
    """PDFs: our structure checks and ``qpdf --check`` one after another here, and
    veraPDF's PDF/A-3a and PDF/UA-1 profiles over all of them in one JVM, in the pool."""
    jobs.append(submit("veraPDF", pdfs, delivery.check_pdfs, pdfs))
    return [r for p in pdfs for r in _pdf_checks(p)]


def check_xml(files: list[Path], submit: Submit, jobs: Waiting) -> list[CheckResult]:
    """JATS editions and Crossref deposits against their official schemas, offline."""
    jobs.append(submit("JATS", files, delivery.check_xml, files))
    return []


def _pdf_checks(path: Path) -> list[CheckResult]:
    checks = [("PDF", pdf.structure), ("qpdf", pdf.qpdf)]
    found = [_guarded(name, [path], _one(check), path) for name, check in checks]
    return [r for results in found for r in results if r is not None]


def _one(check: Callable[[Path], CheckResult | None]) -> Callable[[Path], list]:
    return lambda path: [check(path)]


def _guarded(
    name: str, editions: list[Path], check: Callable[..., list[CheckResult]], *args: Any
) -> list[CheckResult]:
    """The check's results; if the validator itself crashes, a failure saying how."""
    try:
        return check(*args)
    except ToolMissing as missing:  # Found late, inside the check: a failure like any other.
        return [not_installed(path, name, missing.what, missing.install) for path in editions]
    except Exception as error:  # A broken validator must fail the check, not the command.
        results = [CheckResult(path, name) for path in editions]
        for result in results:
            result.error(f"{name} crashed: {type(error).__name__}: {error}")
        return results


def check_paths(
    paths: list[Path], json_out: Path | None = None, stream: TextIO = sys.stdout
) -> int:
    """Check the editions in ``paths``, print the table, return the exit code (0: all pass)."""
    # Absolute: a file named '-rf.html' must reach the validators as a name, not an option.
    editions = [e.absolute() for e in find_editions(paths)]
    missing = [p for p in paths if not p.exists()]
    for path in missing:
        stream.write(f"{path}: error: no such file or folder\n")
    if not editions:
        stream.write(f"error: no editions ({', '.join(SUFFIXES)}) found to check\n")
        return 1
    started = time.perf_counter()
    results = run_checks(editions)
    write_table(results, stream, time.perf_counter() - started)
    if json_out is not None:
        write_json(results, json_out)
    return 0 if all(r.passed for r in results) and not missing else 1


__all__ = ["check_paths", "find_editions", "run_checks", "CheckResult"]
