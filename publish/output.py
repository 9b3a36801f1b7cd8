"""Writing editions so that a failed or interrupted build never leaves a broken file, nor
a mix of old and new editions: every edition of a manuscript is written beside its
target and flushed to disk first, then all take their names; a failure before that
removes what was written and leaves the earlier editions as they were."""

from __future__ import annotations

import fcntl
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PART = ".part"
WAIT_SECONDS = 600.0
"""How long a build waits for another one writing into the same folder (``publish
serve`` rebuilding while the author runs ``publish build``, two terminals, a CI job
and a cron job): the lock is released when that build ends, and most end in minutes."""


class BuildLocked(Exception):
    """Another build holds the lock on the output folder."""


def write_all(files: dict[Path, bytes]) -> None:
    """Write every file, or none: on any error (a full disk, a read-only folder) the
    targets keep their earlier content and no ``.part`` file is left."""
    parts: list[tuple[Path, Path]] = []
    try:
        for target, data in files.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(
                prefix=f".{target.name}.", suffix=PART, dir=target.parent
            )
            parts.append((Path(temporary), target))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                # On disk before it takes the name: after a crash the target is the old
                # edition or the new one, never an empty file.
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temporary, 0o644)
    except BaseException:
        for part, _ in parts:
            part.unlink(missing_ok=True)
        raise
    _rename_all(parts)
    for folder in {target.parent for _, target in parts}:
        _sync_folder(folder)


def _rename_all(parts: list[tuple[Path, Path]]) -> None:
    """Give each part its target's name; if one cannot take it (its name is taken by a
    folder, say), put back the editions already replaced and remove the parts."""
    backups: list[tuple[Path, Path]] = []
    done: list[Path] = []
    try:
        for temporary, target in parts:
            if target.is_file():
                backup = temporary.with_suffix(".old")
                os.link(target, backup)
                backups.append((backup, target))
            os.replace(temporary, target)
            done.append(target)
    except BaseException:
        for backup, target in backups:
            if target in done:
                os.replace(backup, target)
        for temporary, _ in parts:
            temporary.unlink(missing_ok=True)
        for backup, _ in backups:
            backup.unlink(missing_ok=True)
        raise
    for backup, _ in backups:
        backup.unlink(missing_ok=True)


def write_atomically(target: Path, data: bytes) -> None:
    write_all({target: data})


def remove_stale_parts(folder: Path) -> None:
    """``.part`` files a killed build left (under the lock, no other build is writing)."""
    if folder.is_dir():
        for pattern in (f".*{PART}", ".*.old"):
            for stale in folder.glob(pattern):
                stale.unlink(missing_ok=True)


@contextmanager
def locked(out: Path, wait: float = WAIT_SECONDS) -> Iterator[None]:
    """Hold the lock on the folder that holds ``out`` for the duration of a build, so
    that two builds into the same folder do not write the same editions at once. The
    lock is on the folder itself: no file is left behind. A build that finds it taken
    waits its turn, saying so in one line, for at most ``wait`` seconds; then raises
    BuildLocked."""
    holder = out.absolute().parent
    while not holder.is_dir() and holder != holder.parent:
        holder = holder.parent
    fd = os.open(holder, os.O_RDONLY)
    try:
        _acquire(fd, holder, wait)
        yield
    finally:
        os.close(fd)


def _acquire(fd: int, holder: Path, wait: float) -> None:
    deadline = time.monotonic() + wait
    said = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                waited = f" (still, after waiting {wait:.0f} s)" if wait else ""
                raise BuildLocked(f"{holder}{waited}") from None
        if not said:
            # Polled, not a blocking flock: a blocking call could not be given up at the
            # deadline, and Ctrl-C stays immediate.
            print(
                f"publish: another build is writing into {holder}: this one waits for it "
                f"to end (at most {wait / 60:.0f} minutes)",
                file=sys.stderr,
                flush=True,
            )
            said = True
        time.sleep(min(0.2, max(0.0, deadline - time.monotonic())))


def _sync_folder(folder: Path) -> None:
    # The renames themselves reach the disk.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
