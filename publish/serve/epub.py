"""The EPUB reading view: each edition unpacked once per build into a temporary folder,
so that a browser can show its documents as pages with their stylesheet and fonts."""

from __future__ import annotations

import shutil
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import ParseError

from ..epub_pages import unpack


@dataclass(frozen=True)
class Unpacked:
    folder: Path
    pages: list[str]
    """The documents in reading order, as paths inside ``folder`` (POSIX form)."""


class Shelf:
    def __init__(self, out: Path, scratch: Path) -> None:
        self.out = out
        self.scratch = scratch
        self._lock = threading.Lock()
        self._books: dict[str, tuple[tuple[int, int, int], Unpacked]] = {}
        self._count = 0

    def open(self, slug: str) -> Unpacked | None:
        """The article's EPUB, unpacked again when the file on disk changed; None when
        there is none, or it cannot be read."""
        epub = self.out / slug / f"{slug}.epub"
        try:
            info = epub.stat()
        except OSError:
            return None
        key = (info.st_mtime_ns, info.st_size, info.st_ino)
        with self._lock:
            cached = self._books.get(slug)
            if cached and cached[0] == key:
                return cached[1]
            self._count += 1
            folder = self.scratch / f"{self._count}"
            try:
                pages = unpack(epub, folder)
            except (OSError, ValueError, KeyError, AttributeError, ParseError, zipfile.BadZipFile):
                shutil.rmtree(folder, ignore_errors=True)
                return None
            book = Unpacked(folder, [p.relative_to(folder).as_posix() for p in pages])
            self._books[slug] = (key, book)
            if cached:
                shutil.rmtree(cached[1].folder, ignore_errors=True)
            return book
