"""Building on a Dask cluster: ``publish build --scheduler tcp://HOST:PORT``.

The same shape of executor as ``parallel.py``: it builds a list of units (manuscripts, and
issues: an ``issue.yaml`` with every article of its folder, one task, since an article's
pages depend on the articles before it) and hands back each ``Outcome``. Up-to-date
checks, stamps and writing stay here, on the client; a worker needs ``publish`` installed
and nothing else (no shared file system).

What travels: each manuscript's bytes (an issue's: its ``issue.yaml`` and every
manuscript of its folder), and the files of its folder it may use. Which
files a manuscript uses is only known once it is read, so the client sends every file of
the manuscript's folder that its text or the user's templates name (a cheap scan: a file
is named when its base name occurs among the words of the text, or in it at all for odd
names), and the files its stamp recorded last time. Every look-up a build makes starts
from such a name (an image, a link, a stylesheet's ``url()``), so a file named nowhere
cannot change the editions and need not travel. A named file above ``SEND_LIMIT`` (a
large PDF beside the article, which a link only checks for) goes as an empty stand-in
of the same name; the worker watches, with an audit hook, whether the build opens a
stand-in, and if it does, the client sends that file and the manuscript is built again.
The folders of ``--resource-path`` are scanned the same way. Folders named by the
options (``--templates``) go whole, once per worker.

The worker rebuilds each folder in a private temporary folder with the same relative
layout and the same names, renders every edition to bytes, and returns them with the
diagnostics, whose paths the client maps back to its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import html
import json
import logging
import os
import re
import resource
import stat
import sys
import tempfile
import threading
import traceback
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import CancelledError
from dataclasses import dataclass, field, fields, replace
from functools import cache
from importlib import metadata
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import quote, unquote

from .build import Outcome, Rendered, is_issue, render_one, write_editions
from .diagnostics import Diagnostic, PublishError
from .options import Options
from .parallel import Done, longest_first
from .read import MAX_BYTES

if TYPE_CHECKING:
    from distributed import Client, Future

    from .progress import Summary

INSTALL = "pip install 'publish[cluster]'"
CONNECT_SECONDS = 5
"""How long to try to reach the scheduler: an unreachable one is an error within 10 s."""
SEND_LIMIT = 8 * 1024 * 1024
"""A file the text names but that is larger than this is sent only if the build opens it."""
IN_FLIGHT_PER_THREAD = 4
"""Manuscripts queued on the cluster per worker thread: enough to keep every worker busy,
few enough that the client does not hold an archive's bytes in memory at once."""
RETRIES = 1
LOST = "the Dask cluster dropped it (the scheduler is gone?); build again to carry on"
READ_BY_PANDOC = {".bib", ".bibtex", ".json", ".yaml", ".yml", ".csl", ".ris", ".xml"}
"""Bibliographies and styles: pandoc reads them in its own process, where the audit hook
cannot see, so they always travel whole."""
KEY_PREFIX = "publish-build"
SKIP_DIRS = {".git", ".hg", ".svn", "__pycache__"}
OUTSIDE = "/publish-outside-the-manuscript-folder"
"""Where a stand-in for a symlink that leaves the folder points, so that the trust
boundary refuses it on the worker exactly as it does here."""


class ClusterError(PublishError):
    """The cluster cannot be used at all: a one-line message for the user."""


# --- What travels -------------------------------------------------------------------


@dataclass(frozen=True)
class Shipment:
    """The files of one folder a unit may use, by path relative to that folder."""

    files: dict[str, bytes] = field(default_factory=dict)
    holes: dict[str, int] = field(default_factory=dict)
    """Manuscripts above the reader's limit, sent as their size only (the reader refuses
    them from their size)."""
    stand_ins: tuple[str, ...] = ()
    """Files that exist here but whose bytes were not sent (empty on the worker)."""
    links: dict[str, str] = field(default_factory=dict)
    """Symbolic links of the folder: path -> target (``OUTSIDE`` when it leaves it)."""
    specials: tuple[str, ...] = ()
    """Named pipes and devices (reading one would never end): a pipe on the worker, which
    the build refuses there as it does here."""


@dataclass(frozen=True)
class Parcel:
    """One unit of work: a manuscript or an ``issue.yaml``, with the files it may use."""

    name: str
    """The unit's file name, in its folder."""
    folder: str
    """Its folder's name, kept on the worker: an issue is named by its folder."""
    shipments: dict[str, Shipment]
    """By tag: ``manuscript`` (the unit's folder, the unit included), ``resource-N`` (the
    N-th folder of ``--resource-path``)."""


@dataclass(frozen=True)
class Bundle:
    """A whole folder (a templates folder), sent once to each worker."""

    files: dict[str, bytes]
    digest: str


@dataclass
class Returned:
    """What a worker sends back for one unit; paths are the worker's."""

    editions: Rendered = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    uses: list[str] = field(default_factory=list)
    need: list[str] = field(default_factory=list)
    """Stand-ins the build opened: send their bytes and build again."""
    roots: dict[str, str] = field(default_factory=dict)
    """The worker's folders by tag, to map its paths back to ours."""
    peak_mb: float = 0.0
    refused: str | None = None
    """Why this worker refused the task (its software differs from ours)."""


# --- The client ---------------------------------------------------------------------


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
            raise ClusterError(f"the Dask worker {worker} {_difference(ours, found)}")
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
    folders = _option_folders(options)
    # Each folder once to every worker, not once per manuscript.
    scattered = {
        name: client.scatter(_bundle(path), broadcast=True, hash=False)
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
            options,
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
    return source.parent.name if is_issue(source) else source.stem


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


def _option_folders(options: Options) -> dict[str, Path]:
    """The folders the options name (``--templates``), by option name; the output
    folder is ours alone."""
    found = {}
    for f in fields(options):
        value = getattr(options, f.name)
        if f.name != "out" and isinstance(value, Path):
            found[f.name] = value
    return found


def _bundle(folder: Path) -> Bundle:
    files = {}
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            rel = p.relative_to(folder).as_posix()
            files[rel] = p.read_bytes()
            h.update(rel.encode() + b"\0" + hashlib.sha256(files[rel]).digest())
    return Bundle(files, h.hexdigest())


class Scanner:
    """Packs units with the files of their folders (and of ``--resource-path``) that they
    name, or that the user's templates name (a stylesheet's ``url(logo.png)`` is read from
    the manuscript's folder)."""

    def __init__(
        self, out: Path, templates: Sequence[Path] = (), resource_path: Sequence[Path] = ()
    ) -> None:
        self.out = out.resolve()
        self.listings: dict[Path, Listing] = {}
        self.resources = {f"resource-{i}": p.resolve() for i, p in enumerate(resource_path)}
        """The ``--resource-path`` folders by tag."""
        self.templates = "\n".join(
            p.read_bytes().decode("utf-8", "replace")
            for folder in templates
            for p in sorted(folder.rglob("*"))
            if p.is_file() and p.stat().st_size <= SEND_LIMIT
        )
        self.by_templates: dict[Path, set[str]] = {}

    def listing(self, folder: Path) -> Listing:
        if folder not in self.listings:
            self.listings[folder] = Listing(folder, self.out)
        return self.listings[folder]

    def parcel(self, source: Path, more: frozenset[Path] = frozenset()) -> Parcel:
        """``source`` and the files it may use; ``more`` are files (by our path) that a
        build opened as stand-ins, sent whole this time."""
        folder = source.parent.resolve()
        units = sorted(folder.glob("*.md")) if is_issue(source) else []
        holes: dict[str, int] = {}
        texts: dict[str, bytes] = {}
        specials = []
        for unit in [source, *units]:
            status = unit.stat()
            size = status.st_size
            if not stat.S_ISREG(status.st_mode):
                specials.append(unit.name)
            elif size > MAX_BYTES:
                holes[unit.name] = size
            else:
                texts[unit.name] = unit.read_bytes()
        text = "\n".join(t.decode("utf-8", "replace") for t in texts.values())
        wanted = {folder / p for p in _stamped(source, self.out)} | set(more)
        roots = {"manuscript": folder, **self.resources}
        shipments = {}
        for tag, root in roots.items():
            listing = self.listing(root)
            named = listing.named(text)
            if root not in self.by_templates:
                self.by_templates[root] = listing.named(self.templates)
            named |= self.by_templates[root]
            named |= {p.relative_to(root).as_posix() for p in wanted if p.is_relative_to(root)}
            shipment = self._shipment(root, listing, named, more)
            if tag == "manuscript":  # the units themselves, as read here (links followed)
                units_here = {*texts, *holes, *specials}
                links = {k: v for k, v in shipment.links.items() if k not in units_here}
                files = {k: v for k, v in shipment.files.items() if k not in holes} | texts
                shipment = replace(
                    shipment,
                    files=files,
                    holes=holes,
                    links=links,
                    specials=tuple(sorted({*shipment.specials, *specials})),
                )
            shipments[tag] = shipment
        name = folder.name or "manuscript"
        return Parcel(source.name, name, shipments)

    @staticmethod
    def _shipment(root: Path, listing: Listing, named: set[str], more: frozenset[Path]) -> Shipment:
        files: dict[str, bytes] = {}
        stand_ins = []
        specials = sorted(named & listing.specials)
        for rel in sorted((named & listing.files.keys()) - listing.specials):
            asked = root / rel in more
            large = listing.files[rel] > SEND_LIMIT
            if large and not asked and Path(rel).suffix.lower() not in READ_BY_PANDOC:
                stand_ins.append(rel)
                continue
            try:
                files[rel] = (root / rel).read_bytes()
            except OSError:
                if asked:  # the build opens it, and it cannot be read
                    raise
                stand_ins.append(rel)  # the worker will say whether the build opens it
        return Shipment(files, {}, tuple(stand_ins), listing.links, tuple(specials))


class Listing:
    """Every file below one manuscript folder, by base name, read once per build."""

    def __init__(self, folder: Path, out: Path) -> None:
        self.files: dict[str, int] = {}
        self.specials: set[str] = set()
        """Files that are not regular ones (named pipes, devices)."""
        self.links: dict[str, str] = {}
        self.by_name: dict[str, list[str]] = {}
        self.odd: list[str] = []
        """Base names that the word scan cannot find (they hold spaces or brackets)."""
        for top, dirs, names in os.walk(folder):
            here = Path(top)
            if here.is_relative_to(out):
                dirs[:] = []
                continue
            dirs[:] = [d for d in dirs if d not in SKIP_DIRS]
            for name in names + [d for d in dirs if (here / d).is_symlink()]:
                path = here / name
                rel = path.relative_to(folder).as_posix()
                if path.is_symlink():
                    target = path.resolve()
                    self.links[rel] = (
                        os.path.relpath(target, path.parent)
                        if target.is_relative_to(folder)
                        else OUTSIDE
                    )
                    if target.is_relative_to(folder) and target.is_file():
                        self.by_name.setdefault(name, []).append(
                            target.relative_to(folder).as_posix()
                        )
                    continue
                status = path.stat()
                self.files[rel] = status.st_size
                if not stat.S_ISREG(status.st_mode):
                    self.specials.add(rel)
                self.by_name.setdefault(name, []).append(rel)
        self.odd = [n for n in self.by_name if WORD_SPLIT_RE.search(n)]

    def named(self, text: str) -> set[str]:
        """The files whose base name the text contains."""
        found: set[str] = set()
        for word in set(WORD_SPLIT_RE.split(text)):
            for form in _forms(word):
                found.update(self.by_name.get(form.rpartition("/")[2], ()))
        for name in self.odd:
            if any(form in text for form in (name, html.escape(name), quote(name))):
                found.update(self.by_name[name])
        return found


# Not ';': it ends an HTML entity (&amp;) inside a name.
WORD_SPLIT_RE = re.compile(r"""[\s()\[\]<>"'=,|{}`]+""")


def _forms(word: str) -> set[str]:
    """A word as a file name may be written in Markdown or HTML: plain, %-encoded,
    with entities, with backslash escapes, followed by a #fragment or ?query."""
    forms = {word}
    for w in list(forms):
        forms.add(unquote(w))
        forms.add(html.unescape(w))
        forms.add(unquote(html.unescape(w)))
    for w in list(forms):
        forms.add(re.sub(r"\\(.)", r"\1", w))
    for w in list(forms):
        forms.add(w.split("#")[0].split("?")[0])
    return forms


def _stamped(source: Path, out: Path) -> set[str]:
    """The files the last build of ``source`` used, as its stamp recorded them (relative
    to its folder)."""
    from .stamps import STAMP

    folder = source.parent.name if is_issue(source) else source.stem
    try:
        stamp = json.loads((out / folder / STAMP).read_text(encoding="utf-8"))
        uses = stamp["files"] if is_issue(source) else stamp["uses"]
        return {Path(p).as_posix() for p in uses}
    except (OSError, ValueError, KeyError, TypeError):
        return set()


# --- The worker ---------------------------------------------------------------------


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
        return Returned(refused=f"a Dask worker {_difference(expected, mine)}")
    # One unit at a time per process, whatever the worker's --nthreads: the date
    # (SOURCE_DATE_EPOCH) is process-wide, and WeasyPrint is not known to be thread-safe.
    with _one_at_a_time, tempfile.TemporaryDirectory(prefix="publish-cluster-") as tmp:
        _set_epoch(epoch)
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


def _set_epoch(epoch: str | None) -> None:
    # The date written into the editions: the client's, not the worker's environment.
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


# --- Same software on both sides ------------------------------------------------------


@cache
def fingerprint() -> dict[str, str]:
    """What decides the bytes of an edition besides its inputs: the versions of publish,
    pandoc, WeasyPrint and the other libraries, publish's code and assets, and the
    system's fonts (WeasyPrint falls back on them for a character ours lack)."""
    from . import stamps

    found = dict(stamps._versions())
    # Every library publish pins (bundled citation styles, too), not only the tools the
    # stamps name.
    for requirement in metadata.requires("publish") or []:
        # Pinned (==): what changes the bytes of an edition is pinned, by the project's rule.
        pin, _, marker = requirement.partition(";")
        if "==" in pin and "extra" not in marker:
            name = re.split(r"[\s\[<>=!~]", pin, maxsplit=1)[0]
            with contextlib.suppress(metadata.PackageNotFoundError):
                found.setdefault(name.lower(), metadata.version(name))
    h = hashlib.sha256()
    stamps._update_with_tree(h, stamps.PACKAGE, suffixes={".py", ".lua"})
    stamps._update_with_tree(h, stamps.ASSETS)
    found["publish code"] = h.hexdigest()[:12]
    found["system fonts"] = _system_fonts()
    return found


def _system_fonts() -> str:
    from .fonts import fc_list

    listed = fc_list("%{file}|%{fontversion}\\n")
    if listed is None:
        return "unknown"
    return hashlib.sha256("\n".join(sorted(listed.splitlines())).encode()).hexdigest()[:12]


def _difference(ours: dict[str, str], theirs: dict[str, str]) -> str:
    differ = [
        f"{name} {theirs.get(name, 'absent')} (here: {ours.get(name, 'absent')})"
        for name in sorted(ours.keys() | theirs.keys())
        if ours.get(name) != theirs.get(name)
    ]
    return (
        "would write other bytes than a local build, so it is refused: it has "
        + ", ".join(differ)
        + "; install the same versions there"
    )
