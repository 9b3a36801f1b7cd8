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
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..pipeline.software import RACY_NS
from ..pipeline.units import ISSUE_FILE

if TYPE_CHECKING:
    from .facts import Facts

FILE = ".publish-register.json"
FORMAT = 3
"""Changed when ``Facts`` changes: a register of another format is read again."""
Stat = tuple[int, int]
"""A file's size and modification time in nanoseconds."""


class Register:
    """The register as this build found it. (A plain class, as ``prepare.Prepared``:
    making a dataclass costs a millisecond at import, and deciding that nothing changed
    should cost little more than its stats.)"""

    def __init__(
        self,
        entries: dict[str, dict],
        stats: dict[str, Stat],
        ours: frozenset[str],
        changed: bool,
        derived: dict,
    ) -> None:
        self.entries = entries
        """What the register file holds, by path relative to the build folder: each
        manuscript's stat, unit (relative too) and facts (as JSON), this build's and
        earlier ones'."""
        self.stats = stats
        """The stat of each manuscript of this build, by its path as given."""
        self.ours = ours
        """The manuscripts of this build, as the entries name them."""
        self.changed = changed
        """Whether any entry was read again, added or dropped (then it is saved)."""
        self.derived = derived
        """What the last build derived from the entries (``prepare``: each manuscript's
        digest of its relations), kept while no entry changes."""

    def facts(self) -> list[Facts]:
        """Every manuscript's facts, this build's first."""
        from .facts import from_json

        keys = sorted(self.entries, key=lambda k: k not in self.ours)
        return [from_json(self.entries[k]["facts"]) for k in keys]

    def save(self, out: Path) -> None:
        """Keep the register in ``out`` for the next build, when it changed (and only
        into a folder a build made: a build that wrote nothing leaves none)."""
        if self.changed and out.is_dir():
            _save(out / FILE, self.entries, self.derived)
            self.changed = False


def gather(manuscripts: dict[Path, Path], out: Path) -> Register:
    """The register of ``out`` brought up to date with ``manuscripts`` (each with its
    unit); ``Register.save`` keeps it. A manuscript whose stat is the one recorded costs
    that stat and nothing else."""
    entries, written_ns, derived = _load(out / FILE)
    trusted_before = written_ns - RACY_NS
    changed = False
    stats: dict[str, Stat] = {}
    # Paths relative to the build folder: it may move with its sources.
    base = os.path.abspath(out)
    up = os.path.relpath(os.getcwd(), base)

    def key_of(path: Path) -> str:
        text = str(path)  # a Path's text has no "." parts nor doubled slashes
        if text.startswith("/"):
            return os.path.relpath(text, base)
        if text.startswith("..") or "/.." in text:
            return os.path.normpath(os.path.join(up, text))
        return text if up == "." else f"{up}/{text}"

    wanted = {key_of(m): (m, key_of(u)) for m, u in manuscripts.items()}
    for key in [*entries, *(k for k in wanted if k not in entries)]:
        entry = entries.get(key)
        given, unit = wanted.get(key) or (located(out, key), entry["unit"] if entry else key)
        try:
            st = os.stat(given)
        except OSError:
            changed |= entries.pop(key, None) is not None
            continue
        stat = [st.st_size, st.st_mtime_ns]
        if key in wanted:
            stats[str(given)] = (st.st_size, st.st_mtime_ns)
        if entry and entry["stat"] == stat and stat[1] < trusted_before and entry["unit"] == unit:
            # An issue's article without a date of its own has its issue's: that file too.
            if "issue" not in entry or _trusted(given.parent / ISSUE_FILE, entry, trusted_before):
                continue
        entries[key] = _entry(given, unit, stat)
        changed = True
    return Register(entries, stats, frozenset(wanted), changed, {} if changed else derived)


def _entry(given: Path, unit: str, stat: list[int]) -> dict[str, Any]:
    facts = read_facts(given, unit)
    entry: dict[str, Any] = {"stat": stat, "facts": facts, "unit": unit}
    if facts.get("issue_date"):
        entry["issue"] = _stat(given.parent / ISSUE_FILE)
    return entry


def _trusted(issue: Path, entry: dict, trusted_before: int) -> bool:
    """Whether the issue's file is as the entry recorded it."""
    stat = _stat(issue)
    return stat is not None and stat == entry["issue"] and stat[1] < trusted_before


def _stat(path: Path) -> list[int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


def located(out: Path, key: str) -> Path:
    """A path the register holds (relative to the build folder) as the build names it."""
    return Path(os.path.normpath(os.path.join(out, key)))


def read_facts(source: Path, unit: str) -> dict[str, Any]:
    """The facts of one manuscript, as JSON (``facts.read``)."""
    from dataclasses import asdict

    from .facts import read

    return asdict(read(source, unit))


def _load(path: Path) -> tuple[dict[str, dict], int, dict]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            return {}, 0, {}
        entries = data["entries"]
        if not all(
            isinstance(e, dict) and {"stat", "unit", "facts"} <= set(e) for e in entries.values()
        ):
            return {}, 0, {}
        return dict(entries), int(data["written_ns"]), dict(data.get("derived") or {})
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}, 0, {}


def _save(path: Path, entries: dict[str, dict], derived: dict) -> None:
    """Replace the register at once; one that cannot be written is read again next time."""
    from ..output import write_atomically

    record = {
        "format": FORMAT,
        "written_ns": time.time_ns(),
        "entries": entries,
        "derived": derived,
    }
    with contextlib.suppress(OSError):
        write_atomically(path, (json.dumps(record, sort_keys=True) + "\n").encode("utf-8"))
