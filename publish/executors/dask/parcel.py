"""What travels to a Dask worker and back: a unit with the files of its folder it may
use (``Parcel``, made by ``Scanner``), a whole folder the options name (``Bundle``), and
what the worker returns (``Returned``)."""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from urllib.parse import quote, unquote

from ...diagnostics import Diagnostic
from ...options import Options
from ...pipeline.outcome import Rendered
from ...pipeline.stamps import STAMP
from ...pipeline.units import is_issue, name_of
from ...read import MAX_BYTES

SEND_LIMIT = 8 * 1024 * 1024
"""A file the text names but that is larger than this is sent only if the build opens it."""
READ_BY_PANDOC = {".bib", ".bibtex", ".json", ".yaml", ".yml", ".csl", ".ris", ".xml"}
"""Bibliographies and styles: pandoc reads them in its own process, where the audit hook
cannot see, so they always travel whole."""
SKIP_DIRS = {".git", ".hg", ".svn", "__pycache__"}
OUTSIDE = "/publish-outside-the-manuscript-folder"
"""Where a stand-in for a symlink that leaves the folder points, so that the trust
boundary refuses it on the worker exactly as it does here."""


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


def option_folders(options: Options) -> dict[str, Path]:
    """The folders the options name (``--templates``), by option name; the output
    folder is ours alone."""
    found = {}
    for f in fields(options):
        value = getattr(options, f.name)
        if f.name != "out" and isinstance(value, Path):
            found[f.name] = value
    return found


def bundle(folder: Path) -> Bundle:
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
    folder = name_of(source)
    try:
        stamp = json.loads((out / folder / STAMP).read_text(encoding="utf-8"))
        uses = stamp["files"] if is_issue(source) else stamp["uses"]
        return {Path(p).as_posix() for p in uses}
    except (OSError, ValueError, KeyError, TypeError):
        return set()
