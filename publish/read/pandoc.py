"""The one door to pandoc: a manuscript's text in, body HTML, notes and a report out.

pandoc runs as a child process with a time limit and a memory cap, and sees only a
front matter that Python has already read and bounded (see ``frontmatter.py``). Each
process keeps one pandoc running and feeds it one manuscript after another
(``pandoc_process.py``), with the same output as the one-shot command below, which
converts what the long-lived one cannot (citeproc) or fails on (for pandoc's own
message)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pypandoc

from ..document import Markers
from . import limits, pandoc_process

FILTER = Path(__file__).parent / "filters" / "collect.lua"
# Quarto's fig-alt and fig-width (issue 11); runs before the other filters.
FIGURES_FILTER = Path(__file__).parent / "filters" / "figures.lua"
# A figure saved as PDF is an <img>, not the <embed> pandoc writes for it (issue 21).
PDF_FIGURES_FILTER = Path(__file__).parent / "filters" / "pdf_figures.lua"
# French spacing before ; : ! ? » and after « (a text in French only).
TYPOGRAPHY_FILTER = Path(__file__).parent / "filters" / "typography.lua"
READER = "markdown+smart"
# A larger GHC allocation area: about a quarter less CPU per article (fewer minor
# collections) and less memory than the default -H64m (measured in issue 5). -M caps the
# heap, so that a hostile text ends in a message instead of taking the machine's memory.
RTS_OPTIONS = ("+RTS", "-A64m", f"-M{limits.PANDOC_MEMORY_MB}m", "-RTS")


class PandocFailed(Exception):
    """pandoc could not convert the text: the message says why, in our words;
    ``stderr`` holds pandoc's own, for a caller that knows what it means."""

    def __init__(self, message: str, stderr: str = "") -> None:
        super().__init__(message)
        self.stderr = stderr


@dataclass(frozen=True)
class Converted:
    """What one pandoc run gives: everything the editions and the checks need."""

    body: str
    """Body HTML; each note call is a ``Markers.noteref`` marker."""
    notes: tuple[str, ...]
    """Each note's HTML, in call order (note N is ``notes[N - 1]``)."""
    meta: dict[str, dict[str, str]] = field(default_factory=dict)
    """Rich metadata fields by dotted path (``author.0.note``): ``{"html", "text"}``."""
    images: tuple[str, ...] = ()
    """The address of each image written in Markdown."""
    raw_count: int = 0
    """How many raw HTML pieces the text holds."""
    shifted: bool = False
    """Whether the text used level-1 headings, so that every heading moved down one."""
    nested_notes: tuple[str, ...] = ()
    """Text of each note called inside another note (set there in parentheses)."""
    unresolved_notes: tuple[str, ...] = ()
    """Labels of note calls that have no definition (pandoc keeps them as text)."""
    log: tuple[dict, ...] = ()
    """pandoc's own messages (``--log``), for checks to turn into diagnostics."""


@cache
def executable() -> str:
    return pypandoc.get_pandoc_path()


def convert(text: str, markers: Markers, before: tuple[str, ...] = ()) -> Converted:
    """Convert a whole manuscript (front matter included) with pandoc, once; ``before``:
    arguments (filters, citeproc) that run before the collecting filter."""
    filters: tuple[str, ...] = (
        *("--lua-filter", str(PDF_FIGURES_FILTER), "--lua-filter", str(FIGURES_FILTER)),
        *("--lua-filter", str(TYPOGRAPHY_FILTER)),
        *(*before, "--lua-filter", str(FILTER)),
    )
    env = dict(os.environ, PUBLISH_MARK=markers.prefix, LC_ALL="C.UTF-8")
    data = text.encode("utf-8")
    request = pandoc_process.request_for(filters)
    process = None
    if request is not None:
        process = pandoc_process.instance(_loop_argv(), env, abbreviations())
    if process is not None and request is not None:
        try:
            html, messages = process.convert(data, markers.prefix, *request, limits.PANDOC_SECONDS)
            return _split(html, markers, tuple(messages))
        except pandoc_process.TimedOut:
            raise PandocFailed(_timeout()) from None
        except pandoc_process.Died as died:
            raise PandocFailed(_failure(died.code, died.stderr), died.stderr) from None
        except pandoc_process.Refused:
            pass  # pandoc's own message, from the command below
    html, log = _one_shot(data, filters, env)
    return _split(html, markers, log)


@cache
def abbreviations() -> list[str]:
    """The abbreviations the command line reads (followed by a no-break space with
    +smart): its data file, the user's own if there is one."""
    data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    for own in (Path(data) / "pandoc" / "abbreviations", Path.home() / ".pandoc" / "abbreviations"):
        if own.is_file():
            return own.read_text(encoding="utf-8").split()
    done = subprocess.run(
        [executable(), "--print-default-data-file", "abbreviations"],
        capture_output=True,
        check=True,
        timeout=limits.PANDOC_SECONDS,
    )
    return done.stdout.decode("utf-8").split()


def _loop_argv() -> list[str]:
    return [executable(), "lua", str(pandoc_process.LOOP), *RTS_OPTIONS]


def _timeout() -> str:
    return (
        f"pandoc took longer than {limits.PANDOC_SECONDS} s (the limit) to read "
        "the text: look for brackets '[' or marks '_' and '*' that never close "
        "(pandoc's time doubles with each), or split it into several manuscripts"
    )


def _one_shot(data: bytes, filters: tuple[str, ...], env: dict[str, str]) -> tuple[str, tuple]:
    """The HTML and the log of one pandoc command run on ``data``."""
    # pandoc's messages go to a JSON log, not to the user's terminal: they become our
    # diagnostics, with the manuscript's name and line (see diagnose.py).
    fd, log_path = tempfile.mkstemp(prefix="publish-pandoc-", suffix=".json")
    os.close(fd)
    args = [
        executable(),
        f"--from={READER}",
        "--to=html5",
        "--wrap=none",
        "--quiet",
        "--sandbox",
        f"--log={log_path}",
        # Math as MathML, with its TeX kept as alttext/annotation (issue 11): the HTML and
        # EPUB show it as it is, the PDF draws it (editions/pdf_math.py).
        "--mathml",
        *filters,
        *RTS_OPTIONS,
    ]
    try:
        try:
            done = subprocess.run(
                args,
                input=data,
                capture_output=True,
                env=env,
                timeout=limits.PANDOC_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise PandocFailed(_timeout()) from None
        if done.returncode != 0:
            stderr = done.stderr.decode("utf-8", "replace")
            raise PandocFailed(_failure(done.returncode, stderr), stderr)
        html = done.stdout.decode("utf-8")
        log = tuple(json.loads(Path(log_path).read_text(encoding="utf-8") or "[]"))
    finally:
        os.unlink(log_path)
    return html, log


def _failure(code: int, stderr: str) -> str:
    if "Heap exhausted" in stderr or code == 251:
        return (
            f"pandoc needed more than {limits.PANDOC_MEMORY_MB} MB (the limit) to read the "
            "text: split it into several manuscripts, or simplify its nesting"
        )
    # pandoc's own words, on one line and short: never its dump of the input.
    first = next((line.strip() for line in stderr.splitlines() if line.strip()), "")
    first = first if len(first) <= 120 else first[:117] + "..."
    return (
        f"pandoc could not read the text (exit {code}: {first or 'no message'}): correct "
        "what it names, or report it with the manuscript"
    )


def _split(html: str, markers: Markers, log: tuple[dict, ...]) -> Converted:
    mark = re.escape(markers.prefix)
    head, found, tail = html.rpartition(f"<!--{markers.prefix} report ")
    if not found:
        raise PandocFailed("pandoc's output lacks the filter's report")
    report = json.loads(tail.rstrip().removesuffix("-->"))
    note_re = re.compile(rf"<!--{mark} note (\d+)-->\n?(.*?)<!--{mark} /note-->\n?", re.S)
    notes = tuple(m.group(2).strip() for m in note_re.finditer(head))
    first_note = note_re.search(head)
    body = head[: first_note.start()] if first_note else head
    return Converted(
        body=body.strip(),
        notes=notes,
        meta=report["meta"] or {},
        images=tuple(report["images"]),
        raw_count=int(report["raw"]),
        shifted=bool(report["shifted"]),
        unresolved_notes=tuple(report["unresolved"]),
        nested_notes=tuple(report["nested"]),
        log=log,
    )


def version() -> str:
    return pypandoc.get_pandoc_version()
