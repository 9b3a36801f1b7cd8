"""The one door to pandoc: a manuscript's text in, body HTML, notes and an inventory out."""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pypandoc

FILTER = Path(__file__).parent / "filters" / "collect.lua"
# Quarto's fig-alt and fig-width (issue 11); runs before the other filters.
FIGURES_FILTER = Path(__file__).parent / "filters" / "figures.lua"
READER = "markdown+smart"
NOTE_RE = re.compile(r"<!--publish:note (\d+)-->\n?(.*?)<!--publish:/note-->\n?", re.S)
REPORT_MARK = "<!--publish:report "
RTS_OPTIONS = ("+RTS", "-A64m", "-RTS")


@dataclass(frozen=True)
class Converted:
    """What one pandoc run gives: everything the editions and the checks need."""

    body: str
    """Body HTML; each note call is a ``<!--publish:noteref N-->`` marker."""
    notes: tuple[str, ...]
    """Each note's HTML, in call order (note N is ``notes[N - 1]``)."""
    meta: dict[str, dict[str, str]] = field(default_factory=dict)
    """Rich metadata fields by dotted path (``author.0.note``): ``{"html", "text"}``."""
    images: tuple[dict[str, str], ...] = ()
    links: tuple[str, ...] = ()
    raw_html: tuple[str, ...] = ()
    nested_notes: tuple[str, ...] = ()
    """Text of each note called inside another note (set there in parentheses)."""
    unresolved_notes: tuple[str, ...] = ()
    """Labels of note calls that have no definition (pandoc keeps them as text)."""
    log: tuple[dict, ...] = ()
    """pandoc's own messages (``--log``), for checks to turn into diagnostics."""


def convert(text: str, before: tuple[str, ...] = ()) -> Converted:
    """Convert a whole manuscript (front matter included) with pandoc, once; ``before``:
    arguments (filters, citeproc) that run before the collecting filter."""
    # pandoc's messages go to a JSON log, not to the user's terminal: they become our
    # diagnostics, with the manuscript's name and line (see inspect.py).
    fd, log_path = tempfile.mkstemp(prefix="publish-pandoc-", suffix=".json")
    os.close(fd)
    try:
        html = pypandoc.convert_text(
            text,
            "html5",
            format=READER,
            extra_args=[
                "--wrap=none",
                "--quiet",
                f"--log={log_path}",
                # Math as MathML, with its TeX kept as alttext/annotation (issue 11): the
                # HTML and EPUB show it as it is, the PDF draws it (editions/pdf_math.py).
                "--mathml",
                "--lua-filter",
                str(FIGURES_FILTER),
                *before,
                "--lua-filter",
                str(FILTER),
                # A larger GHC allocation area: about a quarter less CPU per article (fewer
                # minor collections) and less memory than the default -H64m (measured in issue 5).
                *RTS_OPTIONS,
            ],
            sandbox=True,
        )
        log = tuple(json.loads(Path(log_path).read_text(encoding="utf-8") or "[]"))
    finally:
        os.unlink(log_path)
    head, _, tail = html.rpartition(REPORT_MARK)
    report = json.loads(tail.rstrip().removesuffix("-->"))
    notes = tuple(m.group(2).strip() for m in NOTE_RE.finditer(head))
    first_note = NOTE_RE.search(head)
    body = head[: first_note.start()] if first_note else head
    return Converted(
        body=body.strip(),
        notes=notes,
        meta=report["meta"] or {},
        images=tuple(report["images"]),
        links=tuple(report["links"]),
        raw_html=tuple(report["raw"]),
        unresolved_notes=tuple(report["unresolved"]),
        nested_notes=tuple(report["nested"]),
        log=log,
    )


def version() -> str:
    return pypandoc.get_pandoc_version()
