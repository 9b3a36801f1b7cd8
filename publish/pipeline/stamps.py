"""Whether a unit's editions are up to date, without reading the manuscript.

After a successful build a small JSON stamp is left in ``build/<slug>/``. It holds a
digest of everything that shapes the editions: what all manuscripts of a build share
(options, and ``software.digest``: templates, the code and versions of publish and of the
tools it drives) and what is the manuscript's own (its text, and the images and
bibliography it uses, which are only known after reading it, so the stamp lists them).

Each file is recorded with its digest, size and modification time: a check stats each
file once and reads (and hashes) only a file whose stat changed, so a file touched but
not changed costs one read, and an unchanged archive costs a stat per file. A stat taken
within ``software.RACY_NS`` of the stamp's writing is not trusted (the file may have
changed again within the clock's tick). Nothing here imports pandoc, WeasyPrint or
EbookLib.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import asdict, fields, is_dataclass
from pathlib import Path

from ..options import Options
from . import software
from .outcome import Outcome
from .units import ISSUE_FILE, is_issue

STAMP = ".publish-stamp.json"
Record = dict[str, list]
"""Per file, relative to the unit's folder: [sha256, size, modification time in ns]."""


def shared_digest(options: Options) -> str:
    """Digest of the inputs every manuscript of this build has in common."""
    h = hashlib.sha256()
    # Where the output and the user's templates are does not shape an edition (the
    # templates' contents do, below): a build folder can move with its sources.
    # Nor the build's relations: each unit's stamp records its own part (``relations``).
    choices = {
        f.name: str(_plain(getattr(options, f.name)))
        for f in fields(options)
        if f.name not in ("out", "templates", "relations")
    }
    # SOURCE_DATE_EPOCH, when set, is the date written into every edition.
    choices["SOURCE_DATE_EPOCH"] = os.environ.get("SOURCE_DATE_EPOCH", "")
    h.update(json.dumps(choices, sort_keys=True).encode())
    # The code itself, not only its version number: between releases the code changes too.
    h.update(software.digest(options.templates).encode())
    return h.hexdigest()


def _plain(value: object) -> object:
    """A dataclass as the dict ``asdict`` makes of it (what the digest always held)."""
    return asdict(value) if is_dataclass(value) and not isinstance(value, type) else value


Stats = dict[str, tuple[int, int]]
"""Stats already taken in this build (the register's: size, modification time), by path."""


def is_current(
    unit: Path, options: Options, shared: str, relations: str = "", stats: Stats | None = None
) -> bool:
    """True when the last build of the unit (a manuscript, an issue's ``issue.yaml``) had
    exactly these inputs (``relations``: the digest of what the build's other manuscripts
    say of its own, ``publish.updates``) and every file it wrote is still there."""
    if is_issue(unit):
        return _issue_current(unit.parent, options, shared, relations, stats or {})
    return _manuscript_current(unit, options, shared, relations, stats or {})


def write(outcome: Outcome, options: Options, shared: str, relations: str = "") -> None:
    """Record the inputs of a successful build of the outcome's unit."""
    if is_issue(outcome.source):
        _write_issue(
            outcome.source.parent, options, shared, outcome.uses, outcome.written, relations
        )
    else:
        _write_manuscript(outcome.source, options, shared, outcome.uses, outcome.written, relations)


def stamp_path(source: Path, options: Options) -> Path:
    return options.out / source.stem / STAMP


def _manuscript_current(
    source: Path, options: Options, shared: str, relations: str, stats: Stats
) -> bool:
    folder = options.out / source.stem
    try:
        present = {e.name for e in os.scandir(folder) if e.is_file()}
        if STAMP not in present:
            return False
        stamp = json.loads((folder / STAMP).read_text(encoding="utf-8"))
        # The editions it wrote, from the one listing of their folder: no stat each.
        if not set(stamp["outputs"]) <= present:
            return False
        if stamp["shared"] != shared or source.name not in stamp["files"]:
            return False
        if stamp.get("relations", "") != relations:
            return False
        return _unchanged(stamp, source.parent, folder / STAMP, stats)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError):
        # No stamp, an unreadable one, or a used file that is gone: build again.
        return False


def _unchanged(stamp: dict, folder: Path, path: Path, stats: Stats) -> bool:
    """Whether every file the stamp records still has its digest; a file whose stat
    changed but not its contents is recorded again, so that next time its stat decides."""
    files: Record = stamp["files"]
    trusted_before = int(stamp["written_ns"]) - software.RACY_NS
    again = False
    for name, (digest, size, mtime) in files.items():
        where = folder / name
        # A manuscript's stat was taken by the register already: not twice.
        stat = stats.get(str(where)) or _stat(where)
        if stat == (size, mtime) and mtime < trusted_before:
            continue
        if file_digest(where) != digest:
            return False
        files[name] = [digest, *stat]
        again = True
    if again:
        stamp["written_ns"] = time.time_ns()
        _save(path, stamp)
    return True


def _stat(path: Path) -> tuple[int, int]:
    st = os.stat(path)
    return st.st_size, st.st_mtime_ns


def _write_manuscript(
    source: Path,
    options: Options,
    shared: str,
    uses: list[Path],
    written: list[Path],
    relations: str,
) -> None:
    # Relative to the manuscript, whose folder holds every file it may use. The editions
    # it wrote by name: an edition that does not apply (a deposit without a DOI) writes
    # nothing, and the formats asked are in ``shared``.
    stamp = {
        "shared": shared,
        "files": _record(source.parent, [source, *uses]),
        "outputs": sorted(p.name for p in written if p.parent.name == source.stem),
    }
    if relations:
        stamp["relations"] = relations
    _save(stamp_path(source, options), stamp)


def _record(folder: Path, paths: list[Path]) -> Record:
    """Each file's [digest, size, time], the stat taken before the contents are read: a
    file changed in between then looks changed next time, never the reverse."""
    found: Record = {}
    for path in sorted(set(paths)):
        st = os.stat(path)
        found[os.path.relpath(path, folder)] = [file_digest(path), st.st_size, st.st_mtime_ns]
    return found


def _save(path: Path, stamp: dict) -> None:
    stamp.setdefault("written_ns", time.time_ns())
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps(stamp, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(temporary, path)


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# An issue: like a manuscript's stamp, over ``issue.yaml``, every article and every file
# they use. A changed article rebuilds its whole issue: every later article's pages may
# have moved.


def _issue_stamp(folder: Path, options: Options) -> Path:
    return options.out / folder.name / STAMP


def _issue_current(
    folder: Path, options: Options, shared: str, relations: str, stats: Stats
) -> bool:
    try:
        path = _issue_stamp(folder, options)
        stamp = json.loads(path.read_text(encoding="utf-8"))
        if stamp["shared"] != shared or stamp.get("relations", "") != relations:
            return False
        files = stamp["files"]
        if ISSUE_FILE not in files or set(files) < {p.name for p in folder.glob("*.md")}:
            return False
        outputs = [options.out / p for p in stamp["outputs"]]
        if not all(p.is_file() for p in outputs):
            return False
        return _unchanged(stamp, folder, path, stats)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False


def _write_issue(
    folder: Path,
    options: Options,
    shared: str,
    uses: list[Path],
    written: list[Path],
    relations: str,
) -> None:
    stamp = {
        "shared": shared,
        "files": _record(folder, [folder / ISSUE_FILE, *folder.glob("*.md"), *uses]),
        "outputs": sorted(os.path.relpath(p, options.out) for p in written),
    }
    if relations:
        stamp["relations"] = relations
    _save(_issue_stamp(folder, options), stamp)
