"""An article's versions in its build folder: ``build/<slug>/.publish-versions.json``
records the version of the editions there (number, date, note, files) and every version
kept before it, whose editions are in ``build/<slug>/v<N>/``.

When a build writes a higher version than the manifest's, the editions there are first
copied, the same bytes, into ``v<N>/`` (in the same write as the new editions: all or
none). No build removes or overwrites a kept version: one whose files would change, or a
version number that goes down, is a located error and nothing is written.

Read only where the build folder is: in the relations before the build (the earlier
versions the editions list) and when writing (``pipeline.render.write_editions``, in a
worker process or on a Dask client); never by a renderer.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, replace
from pathlib import Path

from ..diagnostics import Diagnostic, display_path
from .model import Updates, Version
from .relations import Relations

MANIFEST = ".publish-versions.json"


@dataclass(frozen=True)
class Entry:
    """One version as the manifest records it."""

    version: Version
    files: tuple[str, ...]


@dataclass(frozen=True)
class Manifest:
    current: Entry
    kept: tuple[Entry, ...] = ()


def kept_folder(number: int) -> str:
    return f"v{number}"


class Unreadable(Exception):
    """A manifest that cannot be read: its kept versions would be forgotten."""


def read(folder: Path) -> Manifest | None:
    """The manifest of ``build/<slug>/``; for a folder of editions built before versions
    were recorded, they as version 1 (undated); None for no editions at all."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        return Manifest(_entry(data["current"]), tuple(_entry(e) for e in data["kept"]))
    except FileNotFoundError:
        pass
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise Unreadable(folder / MANIFEST) from exc
    files = editions_in(folder)
    return Manifest(Entry(Version(1), files)) if files else None


def editions_in(folder: Path) -> tuple[str, ...]:
    """The editions in a folder: its files, less the build's own records (dot files)."""
    try:
        return tuple(sorted(e.name for e in os.scandir(folder) if _edition(e)))
    except OSError:
        return ()


def _edition(entry: os.DirEntry) -> bool:
    return not entry.name.startswith(".") and entry.is_file(follow_symlinks=False)


def with_earlier(relations: Relations, slugs: list[str], out: Path) -> Relations:
    """``relations`` with the earlier versions of the manuscripts ``slugs`` (those about
    to be built) as their build folders keep them, and a located error for a version
    lower than the one built there."""
    updates = dict(relations.updates)
    findings = dict(relations.findings)
    for slug in slugs:
        current = relations.current.get(slug)
        try:
            manifest = read(out / slug)
        except Unreadable:
            findings[slug] = (*findings.get(slug, ()), unreadable(slug, Path(slug + ".md")))
            continue
        if current is None or manifest is None:
            continue
        problem = going_down(out / slug, current, manifest, relations)
        if problem is not None:
            findings[slug] = (*findings.get(slug, ()), problem)
            continue
        earlier = [_listed(e, slug) for e in manifest.kept]
        if current.number > manifest.current.version.number:
            earlier.append(_listed(manifest.current, slug))
            stale = undated_bump(slug, current, manifest.current.version, relations)
            if stale is not None:
                findings[slug] = (*findings.get(slug, ()), stale)
        if earlier:
            own = updates.get(slug, Updates())
            updates[slug] = replace(own, version=own.version or current, earlier=tuple(earlier))
    return replace(relations, updates=updates, findings=findings)


def undated_bump(
    slug: str, current: Version, before: Version, relations: Relations
) -> Diagnostic | None:
    """The warning of a new version dated as the one before it, or earlier: most often
    a 'version:' raised without changing the 'version-date:' beside it, and the list of
    versions would say both appeared the same day."""
    if not current.date or not before.date or slug not in relations.version_dated:
        return None
    same = current.date == before.date
    earlier = len(current.date) == len(before.date) and current.date < before.date
    if not (same or earlier):
        return None
    when = "the same day as" if same else "before"
    return Diagnostic(
        Path(slug + ".md"),
        relations.version_lines.get(slug),
        f"version {current.number} is dated {current.date}, {when} version "
        f"{before.number} ({before.date}): set 'version-date' to the day this version "
        "appears",
        "warning",
    )


def going_down(
    folder: Path, current: Version, manifest: Manifest, relations: Relations
) -> Diagnostic | None:
    """The error of a version lower than the one in the build folder."""
    built = manifest.current.version.number
    if current.number >= built:
        return None
    return Diagnostic(
        Path(folder.name + ".md"),
        relations.version_lines.get(folder.name),
        f"'version: {current.number}' is lower than version {built}, which is built in "
        f"{display_path(folder)}/: a version number only goes up (write 'version: "
        f"{built + 1}' for a new version); nothing is written",
    )


def _listed(entry: Entry, slug: str) -> Version:
    html = f"{slug}.html"
    href = f"{kept_folder(entry.version.number)}/{html}" if html in entry.files else None
    return replace(entry.version, href=href)


def keep(
    rendered: dict[Path, bytes], relations: Relations, out: Path, source: Path
) -> tuple[dict[Path, bytes], list[Diagnostic]]:
    """What to write besides ``rendered`` (the editions kept into ``v<N>/``, each
    article's manifest), or the errors that forbid writing anything."""
    extra: dict[Path, bytes] = {}
    problems: list[Diagnostic] = []
    for slug in sorted({p.parent.name for p in rendered if p.parent.parent == out}):
        current = relations.current.get(slug)
        if current is None:  # not a manuscript (an issue's own folder)
            continue
        folder = out / slug
        names = tuple(sorted(p.name for p in rendered if p.parent == folder and _named(p)))
        found = _keep_one(folder, slug, current, names, relations, source)
        if isinstance(found, Diagnostic):
            problems.append(found)
        else:
            extra.update(found)
    return ({} if problems else extra), problems


def _named(path: Path) -> bool:
    return not path.name.startswith(".")


def _keep_one(
    folder: Path,
    slug: str,
    current: Version,
    names: tuple[str, ...],
    relations: Relations,
    source: Path,
) -> dict[Path, bytes] | Diagnostic:
    try:
        manifest = read(folder)
    except Unreadable:
        return unreadable(slug, _path(source, slug))
    line = relations.version_lines.get(slug)
    files: dict[Path, bytes] = {}
    kept: tuple[Entry, ...] = ()
    listed = names
    if manifest is not None:
        down = going_down(folder, current, manifest, relations)
        if down is not None:
            return replace(down, path=_path(source, slug))
        kept = manifest.kept
        if current.number > manifest.current.version.number:
            old = manifest.current
            copied = _copies(folder, old, slug, source, line)
            if isinstance(copied, Diagnostic):
                return copied
            names_kept, copies = copied
            files.update(copies)
            kept = (*kept, Entry(old.version, names_kept))
        else:
            # The same version built again: what is there stays its editions.
            listed = tuple(sorted(set(names) | set(editions_in(folder))))
    record = Manifest(Entry(current, listed), kept)
    files[folder / MANIFEST] = _json(record)
    return files


def _copies(
    folder: Path, old: Entry, slug: str, source: Path, line: int | None
) -> tuple[tuple[str, ...], dict[Path, bytes]] | Diagnostic:
    """The editions of the version ``old`` kept (their names), with the copies to write
    into its ``v<N>/`` (none of a file there already with the same bytes); an error when
    one is there with other bytes."""
    into = folder / kept_folder(old.version.number)
    copies: dict[Path, bytes] = {}
    names: list[str] = []
    for name in old.files:
        try:
            data = (folder / name).read_bytes()
        except FileNotFoundError:
            continue  # listed, but removed by hand since: nothing to keep of it
        names.append(name)
        target = into / name
        try:
            there = target.read_bytes()
        except FileNotFoundError:
            copies[target] = data
            continue
        if there != data:
            return Diagnostic(
                _path(source, slug),
                line,
                f"a kept version would change: {slug}/{kept_folder(old.version.number)}/"
                f"{name} holds other bytes than version {old.version.number}'s edition in "
                f"{slug}/; nothing is written (a kept version is never overwritten: move "
                "that folder away if it is not what readers cited)",
            )
    return tuple(sorted(names)), copies


def unreadable(slug: str, source: Path) -> Diagnostic:
    return Diagnostic(
        source,
        None,
        f"{slug}/{MANIFEST} cannot be read: it lists the versions kept in {slug}/; "
        "restore it from a backup (nothing is written until it can be read)",
    )


def _path(source: Path, slug: str) -> Path:
    """The manuscript of ``slug``: the unit itself, or an article beside its issue.yaml."""
    return source if source.stem == slug else source.parent / f"{slug}.md"


def _entry(data: dict) -> Entry:
    version = Version(int(data["number"]), data.get("date"), str(data.get("note", "")))
    return Entry(version, tuple(str(f) for f in data["files"]))


def _json(manifest: Manifest) -> bytes:
    def entry(e: Entry) -> dict:
        v = e.version
        return {"number": v.number, "date": v.date, "note": v.note, "files": list(e.files)}

    record = {"current": entry(manifest.current), "kept": [entry(e) for e in manifest.kept]}
    return (json.dumps(record, indent=1, ensure_ascii=False) + "\n").encode()
