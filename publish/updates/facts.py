"""What the other manuscripts of a build need to know of one (``register`` keeps it):
read from its front matter alone, YAML without pandoc."""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from ..pipeline.units import ISSUE_FILE

HEAD_BYTES = 1_100_000
"""What is read of a manuscript for its front matter (its limit, ``read.limits``, is 1 MB)."""


@dataclass(frozen=True)
class Facts:
    """One manuscript as the others see it."""

    source: str
    """Its path, as the build named it when it was read."""
    unit: str
    """The unit it is built in (itself, or its issue's ``issue.yaml``), relative to the
    build folder."""
    slug: str
    title_text: str = ""
    doi: str | None = None
    date: str | None = None
    notice: str | None = None
    updates: tuple[str, ...] = ()
    """What it updates, as ``keys.Own.updates``: slugs and ``doi:10...``."""
    updates_lines: tuple[int, ...] = ()
    version: int | None = None
    version_line: int | None = None
    version_date: str | None = None
    version_note: str = ""
    issue_date: bool = False
    """Whether ``date`` is its issue's (an article of an issue without a date of its own
    takes the issue's, as its editions do)."""


def read(source: Path, unit: str) -> Facts:
    """What the front matter says; what it cannot say (a malformed front matter) is left
    out: reading the manuscript itself reports it, at its line."""
    from ..diagnostics import Collector
    from ..read.frontmatter import split
    from ..read.identifiers import IdentifierError, doi, looks_like_doi
    from ..read.metadata import checker
    from .keys import read_own

    base = Facts(source=str(source), unit=unit, slug=source.stem)
    try:
        with open(source, "rb") as handle:
            text = handle.read(HEAD_BYTES).decode("utf-8", errors="replace").lstrip("\ufeff")
    except OSError:
        return base
    report = Collector(source)
    fm = split(text.replace("\r\n", "\n"), report)
    if fm is None:
        return base
    check = checker(fm, report)
    own = read_own(fm.data, check)
    data = fm.data
    found = None
    for key in ("doi", "identifier"):
        value = data.get(key)
        if isinstance(value, str) and (key == "doi" or looks_like_doi(value)):
            with contextlib.suppress(IdentifierError):
                found = doi(value)
                break
    title = data.get("title")
    date = check.date(data["date"]) if "date" in data else None
    issue_date = date is None and unit.endswith(ISSUE_FILE)
    if issue_date:
        date = _issue_date(source.parent)
    return Facts(
        source=base.source,
        unit=unit,
        slug=base.slug,
        title_text=plain_title(title) if isinstance(title, (str, int, float)) else "",
        doi=found,
        date=date,
        issue_date=issue_date,
        notice=own.notice,
        updates=own.updates,
        updates_lines=own.updates_lines,
        version=own.version,
        version_line=own.version_line,
        version_date=own.version_date,
        version_note=own.version_note,
    )


def _issue_date(folder: Path) -> str | None:
    """The date of the issue in ``folder``, as its ``issue.yaml`` gives it."""
    from ..diagnostics import Collector
    from ..periodical.schema import load

    issue = load(folder, Collector(folder / ISSUE_FILE))
    return issue.value("date") if issue is not None else None


EMPHASIS_RE = re.compile(r"(\*{1,3}|_{1,3}|`)(\S(?:.*?\S)?)\1")


def plain_title(value: object) -> str:
    """A title as typed, on one line, without Markdown's emphasis marks (a title is
    rendered by pandoc only when its own manuscript is read)."""
    text = " ".join(str(value).split())
    return EMPHASIS_RE.sub(r"\2", text).replace("\\", "")


def from_json(record: dict) -> Facts:
    """Facts from their JSON (whose lists were tuples); a field this code does not know
    (a register of another version) is left out."""
    known = {f.name for f in fields(Facts)}
    record = {k: v for k, v in record.items() if k in known}
    values: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in record.items()}
    return Facts(**values)
