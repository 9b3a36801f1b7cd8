"""The client's side: connect to the scheduler, refuse workers whose software differs,
send each unit as a parcel, and write and report what comes back. Up-to-date checks,
stamps and writing stay here; a worker needs ``publish`` installed and nothing else."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import uuid
from collections.abc import Callable
from concurrent.futures import CancelledError
from dataclasses import replace
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

from ...diagnostics import Diagnostic, PublishError
from ...options import Options
from ...pipeline.outcome import Outcome
from ...pipeline.render import write_editions
from ...pipeline.units import name_of
from ...updates.prepare import for_unit
from ..local import Done, longest_first
from .fingerprint import difference, fingerprint
from .parcel import Returned, Scanner, bundle, option_folders
from .worker import build_remotely

if TYPE_CHECKING:
    from distributed import Client, Future

    from ...pipeline.progress import Summary

INSTALL = "pip install 'publish[cluster]'"
CONNECT_SECONDS = 5
"""How long to try to reach the scheduler: an unreachable one is an error within 10 s."""
IN_FLIGHT_PER_THREAD = 4
"""Manuscripts queued on the cluster per worker thread: enough to keep every worker busy,
few enough that the client does not hold an archive's bytes in memory at once."""
RETRIES = 1
LOST = "the Dask cluster dropped it (the scheduler is gone?); build again to carry on"
KEY_PREFIX = "publish-build"


class ClusterError(PublishError):
    """The cluster cannot be used at all: a one-line message for the user."""


def on_cluster(address: str, summary: Summary) -> Callable[..., float]:
    """A ``build_all`` that builds on the Dask cluster at ``address``."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise ClusterError(f"--scheduler needs Dask's distributed scheduler: {INSTALL}") from None

    def build_all(
        sources: list[Path], options: Options, jobs: int, done: Done, started: Callable[[], None]
    ) -> float:
        client = connect(address)
        try:
            summary.jobs, threads = check_workers(client)
            return _run(client, sources, options, done, started, threads)
        finally:
            with contextlib.suppress(Exception):
                client.close(timeout=CONNECT_SECONDS)

    return build_all


def connect(address: str) -> Client:
    """A client of the scheduler at ``address``, or a one-line error within seconds."""
    from distributed import Client

    # The client logs to stderr what we report ourselves, in one line: its loggers
    # each have their own level, and all pass through the handlers of this one.
    for handler in logging.getLogger("distributed").handlers:
        handler.setLevel(logging.CRITICAL)
    try:
        # A handshake on a connection of our own first: a Client that fails to connect
        # spends twice its timeout more closing itself when it is collected.
        asyncio.run(_handshake(address))
        return Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
    except Exception as exc:  # refused, timed out, not a scheduler, a malformed address
        # distributed retries a refused connection until the timeout, then says so.
        timed_out = isinstance(exc, TimeoutError) or str(exc).startswith("Timed out")
        why = "no answer" if timed_out else _first_line(exc)
        raise ClusterError(
            f"cannot reach the Dask scheduler at {address} within {CONNECT_SECONDS} s "
            f"({why}): is `dask scheduler` running there?"
        ) from None


async def _handshake(address: str) -> None:
    from distributed.comm import connect as open_comm

    comm = await asyncio.wait_for(open_comm(address, timeout=CONNECT_SECONDS), CONNECT_SECONDS)
    await comm.close()


def check_workers(client: Client) -> tuple[int, int]:
    """The worker processes and threads of the cluster, after refusing one whose
    software would write other bytes than ours."""
    ours = fingerprint()
    theirs = client.run(fingerprint, on_error="return")
    for worker, found in sorted(theirs.items()):
        if isinstance(found, BaseException):
            raise ClusterError(f"the Dask worker {worker} cannot build: {found}; {INSTALL} there")
        if found != ours:
            raise ClusterError(f"the Dask worker {worker} {difference(ours, found)}")
    threads = client.nthreads()
    return max(1, len(threads)), max(1, sum(threads.values()))


def _run(
    client: Client,
    sources: list[Path],
    options: Options,
    done: Done,
    started: Callable[[], None],
    threads: int,
) -> float:
    from distributed import as_completed

    expected = fingerprint()
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    folders = option_folders(options)
    # Each folder once to every worker, not once per manuscript.
    scattered = {
        name: client.scatter(bundle(path), broadcast=True, hash=False)
        for name, path in folders.items()
    }
    scanner = Scanner(options.out, list(folders.values()), options.resource_path)
    futures: dict[object, tuple[Path, frozenset[Path]]] = {}
    queue = as_completed(loop=client.loop)

    def submit(source: Path, more: frozenset[Path] = frozenset()) -> None:
        if client.status != "running":  # the scheduler is gone: no use sending more
            finish(source, _failed(LOST))
            return
        try:
            parcel = scanner.parcel(source, more)
        except OSError as exc:
            what = "the manuscript" if exc.filename == str(source) else f"'{exc.filename}'"
            finish(source, _failed(f"cannot read {what}: {exc.strerror}"))
            return
        future = client.submit(
            build_remotely,
            parcel,
            scattered,
            for_unit(options, source),
            epoch,
            expected,
            key=f"{KEY_PREFIX}-{uuid.uuid4().hex}-{_label(source)}",
            pure=False,
            retries=RETRIES,
        )
        futures[future] = (source, more)
        queue.add(future)

    roots = {**folders, **scanner.resources}
    peak = 0.0

    def finish(source: Path, returned: Returned) -> None:
        nonlocal peak
        peak = max(peak, returned.peak_mb)
        outcome = _outcome(source, returned, Paths(source, returned, roots))
        write_editions(outcome, returned.editions, options)
        done(outcome)
        following = next(waiting, None)
        if following is not None:
            submit(following)

    waiting = iter(longest_first(sources))
    try:
        for source in islice(waiting, threads * IN_FLIGHT_PER_THREAD):
            submit(source)
        started()
        for future in queue:
            source, sent = futures.pop(future)
            returned = _result(future, source)
            more = frozenset(map(Paths(source, returned, roots), returned.need)) - sent
            if more:  # the build opened a stand-in: send the file itself and build again
                submit(source, sent | more)
            else:
                finish(source, returned)
    except KeyboardInterrupt:
        # What was written is stamped; what was not is dropped, never half-written.
        client.cancel(list(futures), force=True)
        raise
    return peak


def _result(future: Future, source: Path) -> Returned:
    from distributed import KilledWorker

    try:
        returned = future.result()
    except KilledWorker:
        return _failed(
            "every Dask worker that tried to build it died (out of memory?); "
            "give the workers more memory or build it locally"
        )
    except CancelledError:  # the scheduler went away, or someone cancelled the task
        return _failed(LOST)
    except Exception as exc:  # what the task itself cannot catch: unpacking, a dying client
        return _failed(f"the Dask cluster did not build it ({_first_line(exc)}); build again")
    if returned.refused:
        return _failed(returned.refused)
    return returned


def _label(source: Path) -> str:
    """A unit's name in the scheduler's task keys: an issue by its folder."""
    return name_of(source)


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _failed(message: str) -> Returned:
    return Returned(diagnostics=[Diagnostic(Path("\0source"), None, message)])


class Paths:
    """The worker's paths in our terms: its folders mapped to ours."""

    def __init__(self, source: Path, returned: Returned, folders: dict[str, Path]) -> None:
        self.source = source
        ours = {"manuscript": source.parent, **folders}
        self.pairs = [
            (Path(root), ours[tag].resolve()) for tag, root in returned.roots.items() if tag in ours
        ]

    def __call__(self, p: Path | str) -> Path:
        p = Path(p)
        if p == Path("\0source"):
            return self.source
        for theirs, ours in self.pairs:
            if p.is_relative_to(theirs):
                return ours / p.relative_to(theirs)
        return p

    def text(self, message: str) -> str:
        # A message names a file by its absolute path, as the local build's would.
        for theirs, ours in self.pairs:
            message = message.replace(str(theirs), str(ours))
        return message


def _outcome(source: Path, returned: Returned, paths: Paths) -> Outcome:
    outcome = Outcome(source)
    outcome.diagnostics = [
        replace(d, path=paths(d.path), message=paths.text(d.message)) for d in returned.diagnostics
    ]
    outcome.uses = [paths(p) for p in returned.uses]
    return outcome
