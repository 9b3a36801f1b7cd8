"""The worker's side: build one unit in a private folder from a parcel and return the
bytes. A build leaves the process as it found it: the date (``SOURCE_DATE_EPOCH``) is put
back, and the audit hook that watches for opened stand-ins (which Python cannot remove
once added, PEP 578) does nothing outside a build."""

from __future__ import annotations

import contextlib
import os
import resource
import sys
import tempfile
import threading
import traceback
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any, cast

from ...diagnostics import Diagnostic
from ...options import Options
from ...pipeline.outcome import Outcome, Rendered
from ...pipeline.render import render_one
from .fingerprint import difference, fingerprint
from .parcel import Bundle, Parcel, Returned, Shipment


def build_remotely(
    parcel: Parcel,
    bundles: dict[str, Bundle],
    options: Options,
    epoch: str | None,
    expected: dict[str, str],
) -> Returned:
    """On a worker: build one unit in a private folder, return the bytes."""
    mine = fingerprint()
    if mine != expected:
        return Returned(refused=f"a Dask worker {difference(expected, mine)}")
    # One unit at a time per process, whatever the worker's --nthreads: the date
    # (SOURCE_DATE_EPOCH) is process-wide, and WeasyPrint is not known to be thread-safe.
    with (
        _one_at_a_time,
        tempfile.TemporaryDirectory(prefix="publish-cluster-") as tmp,
        _epoch(epoch),
    ):
        roots = {
            tag: Path(tmp).resolve() / tag / (parcel.folder if tag == "manuscript" else "")
            for tag in parcel.shipments
        }
        for tag, shipment in parcel.shipments.items():
            _unpack(shipment, roots[tag])
        source = _inside(roots["manuscript"], parcel.name)
        local = {name: _folder(bundle) for name, bundle in bundles.items()}
        # In the order the client gave them: a file in two folders is taken from the first.
        resource_path = tuple(roots[f"resource-{i}"] for i in range(len(roots) - 1))
        worker_options = replace(
            options,
            out=Path(tmp) / "out",
            resource_path=resource_path,
            **cast(dict[str, Any], local),
        )
        stand_ins = {
            str(roots[tag] / p) for tag, sent in parcel.shipments.items() for p in sent.stand_ins
        }
        with _watching(stand_ins) as opened:
            outcome, editions = _render(source, worker_options)
        return Returned(
            editions={} if opened else editions,
            diagnostics=outcome.diagnostics,
            uses=[str(p) for p in outcome.uses],
            need=sorted(opened),
            roots={
                **{t: str(r) for t, r in roots.items()},
                **{k: str(v) for k, v in local.items()},
            },
            peak_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        )


def _render(source: Path, options: Options) -> tuple[Outcome, Rendered]:
    try:
        return render_one(source, options)
    except Exception as exc:  # a bug or a library crash: report it, build the rest
        outcome = Outcome(source)
        detail = "".join(traceback.format_exception_only(exc)).strip()
        outcome.diagnostics.append(
            Diagnostic(source, None, f"internal error: {detail}; please report it")
        )
        return outcome, {}


def _unpack(shipment: Shipment, root: Path) -> None:
    root.mkdir(parents=True)
    for rel, data in shipment.files.items():
        _write(root, rel, data)
    for rel in shipment.stand_ins:
        _write(root, rel, b"")
    for rel in shipment.specials:
        os.mkfifo(_inside(root, rel))
    for rel, size in shipment.holes.items():
        with open(_inside(root, rel), "wb") as handle:
            handle.truncate(size)  # sparse: the reader only asks its size
    for rel, target in shipment.links.items():
        link = _inside(root, rel)
        link.parent.mkdir(parents=True, exist_ok=True)
        if not link.exists() and not link.is_symlink():
            link.symlink_to(target)


def _write(root: Path, rel: str, data: bytes) -> None:
    path = _inside(root, rel)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _inside(root: Path, rel: str) -> Path:
    # A parcel comes from a client we trust, but a path must still not leave the folder.
    path = (root / rel).resolve() if ".." in Path(rel).parts else root / rel
    if not path.is_relative_to(root) or Path(rel).is_absolute():
        raise ValueError(f"a parcel's path leaves its folder: {rel}")
    return path


_one_at_a_time = threading.Lock()
_folders_lock = threading.Lock()


def _folder(bundle: Bundle) -> Path:
    """A bundle unpacked once per worker process, at a path that stays the same for
    the whole build (the templates' Jinja environment is cached by that path)."""
    folder = Path(tempfile.gettempdir()) / f"publish-folder-{os.getpid()}-{bundle.digest[:16]}"
    with _folders_lock:
        if not folder.is_dir():
            partial = folder.with_name(folder.name + ".part")
            for rel, data in bundle.files.items():
                _write(partial, rel, data)
            partial.mkdir(exist_ok=True)
            partial.rename(folder)
    return folder


@contextlib.contextmanager
def _epoch(epoch: str | None) -> Iterator[None]:
    """The date written into the editions: the client's, not the worker's environment,
    for the duration of one build; the worker's own is put back after it."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    _set_epoch(epoch)
    try:
        yield
    finally:
        _set_epoch(before)


def _set_epoch(epoch: str | None) -> None:
    if epoch is None:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
    else:
        os.environ["SOURCE_DATE_EPOCH"] = epoch


_watch = threading.local()
_hooked = False


@contextlib.contextmanager
def _watching(paths: set[str]) -> Iterator[set[str]]:
    """The paths among ``paths`` that are opened in this thread meanwhile."""
    global _hooked
    if not _hooked:
        sys.addaudithook(_audit)
        _hooked = True
    opened: set[str] = set()
    _watch.paths, _watch.opened = paths, opened
    try:
        yield opened
    finally:
        _watch.paths = None


def _audit(event: str, args: tuple) -> None:
    if event != "open":
        return
    paths = getattr(_watch, "paths", None)
    if paths and isinstance(args[0], str | bytes | os.PathLike):
        name = os.path.abspath(os.fsdecode(args[0]))
        if name in paths:
            _watch.opened.add(name)
