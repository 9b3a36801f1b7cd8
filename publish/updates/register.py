"""The register of a build folder: for every manuscript built into it, what the other
manuscripts need to know of it (slug, DOI, title, date, kind of notice, what it updates,
its version), read from its front matter alone (YAML, never pandoc).

Kept in ``<out>/.publish-register.json``, each entry with the stat of its file: an
unchanged archive costs one stat per manuscript and reads no front matter (nor imports
the YAML reader). The stats taken are handed on (``Register.stats``) so that the stamps
need not take them again. The register also remembers manuscripts built into the same
folder by earlier builds of other paths (``publish build source/notice.md``): they are
the archive a notice may update; an entry whose file is gone is dropped.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import time
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from ..pipeline.software import RACY_NS

FILE = ".publish-register.json"
FORMAT = 1
"""Changed when ``Facts`` changes: a register of another format is read again."""
HEAD_BYTES = 1_100_000
"""What is read of a manuscript for its front matter (its limit, ``read.limits``, is 1 MB)."""
Stat = tuple[int, int]
"""A file's size and modification time in nanoseconds."""


@dataclass(frozen=True)
class Facts:
    """One manuscript as the others see it."""

    source: str
    """Its path, absolute."""
    unit: str
    """The unit it is built in (absolute): itself, or its issue's ``issue.yaml``."""
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


@dataclass
class Register:
    facts: dict[str, Facts]
    """Every manuscript known, by absolute path: this build's and earlier ones'."""
    stats: dict[str, Stat]
    """The stat of each manuscript of this build, by its path as given."""
    entries: dict[str, dict]
    """What the register file holds."""
    ours: frozenset[str] = frozenset()
    """The manuscripts of this build, by absolute path."""
    changed: bool = False

    def save(self, out: Path) -> None:
        """Keep the register in ``out`` for the next build, when it changed (and only
        into a folder a build made: a build that wrote nothing leaves none)."""
        if self.changed and out.is_dir():
            _save(out / FILE, self.entries)
            self.changed = False


def gather(manuscripts: dict[Path, Path], out: Path) -> Register:
    """The register of ``out`` brought up to date with ``manuscripts`` (each with its
    unit); ``Register.save`` keeps it."""
    path = out / FILE
    entries, written_ns = _load(path)
    trusted_before = written_ns - RACY_NS
    changed = False
    stats: dict[str, Stat] = {}
    facts: dict[str, Facts] = {}
    wanted = {os.path.abspath(m): (m, os.path.abspath(u)) for m, u in manuscripts.items()}
    for key in list(entries) + [k for k in wanted if k not in entries]:
        given, unit = wanted.get(key, (Path(key), entries.get(key, {}).get("unit", key)))
        try:
            st = os.stat(given)
        except OSError:
            changed |= entries.pop(key, None) is not None
            continue
        stat = (st.st_size, st.st_mtime_ns)
        if key in wanted:
            stats[str(given)] = stat
        entry = entries.get(key)
        if entry and tuple(entry["stat"]) == stat and stat[1] < trusted_before:
            with contextlib.suppress(TypeError, KeyError):
                if entry["facts"]["unit"] == unit:
                    facts[key] = _facts(entry["facts"])
                    continue
        found = read_facts(given, unit)
        facts[key] = found
        entries[key] = {"stat": list(stat), "facts": asdict(found), "unit": unit}
        changed = True
    return Register(facts, stats, entries, frozenset(wanted), changed)


def read_facts(source: Path, unit: str) -> Facts:
    """What the front matter says; what it cannot say (a malformed front matter) is left
    out: reading the manuscript itself reports it, at its line."""
    from ..diagnostics import Collector
    from ..read.frontmatter import split
    from ..read.identifiers import IdentifierError, doi
    from ..read.metadata import checker
    from .keys import read_own

    base = Facts(source=os.path.abspath(source), unit=unit, slug=source.stem)
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
        if isinstance(value, str) and (key == "doi" or value.lower().startswith(("doi:", "10."))):
            with contextlib.suppress(IdentifierError):
                found = doi(value)
                break
    title = data.get("title")
    return Facts(
        source=base.source,
        unit=unit,
        slug=base.slug,
        title_text=plain_title(title) if isinstance(title, (str, int, float)) else "",
        doi=found,
        date=check.date(data["date"]) if "date" in data else None,
        notice=own.notice,
        updates=own.updates,
        updates_lines=own.updates_lines,
        version=own.version,
        version_line=own.version_line,
        version_date=own.version_date,
        version_note=own.version_note,
    )


EMPHASIS_RE = re.compile(r"(\*{1,3}|_{1,3}|`)(\S(?:.*?\S)?)\1")


def plain_title(value: object) -> str:
    """A title as typed, on one line, without Markdown's emphasis marks (a title is
    rendered by pandoc only when its own manuscript is read)."""
    text = " ".join(str(value).split())
    return EMPHASIS_RE.sub(r"\2", text).replace("\\", "")


def _facts(record: dict) -> Facts:
    """Facts from their JSON (whose lists were tuples)."""
    values: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in record.items()}
    return Facts(**values)


def _load(path: Path) -> tuple[dict[str, dict], int]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT or set(data["fields"]) != {f.name for f in fields(Facts)}:
            return {}, 0
        return dict(data["entries"]), int(data["written_ns"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}, 0


def _save(path: Path, entries: dict[str, dict]) -> None:
    """Replace the register at once; one that cannot be written is read again next time."""
    record = {
        "format": FORMAT,
        "fields": sorted(f.name for f in fields(Facts)),
        "written_ns": time.time_ns(),
        "entries": entries,
    }
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(json.dumps(record, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink()
