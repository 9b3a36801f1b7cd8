"""An EPUB's package document (OPF), read the one way everything that opens a built EPUB
reads it: the proof pictures, ``publish check`` and the tests."""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass
from urllib.parse import unquote

from lxml import etree

CONTAINER = "META-INF/container.xml"
XHTML = "application/xhtml+xml"


@dataclass(frozen=True)
class Item:
    """One file the manifest lists."""

    id: str
    path: str
    """Its name inside the ZIP (the href resolved against the package document's folder)."""
    media_type: str
    properties: frozenset[str]


@dataclass(frozen=True)
class Package:
    path: str
    """The package document's name inside the ZIP."""
    root: etree._Element
    """The package document itself, for its metadata."""
    manifest: dict[str, Item]
    """Items by id, in manifest order."""
    spine: list[tuple[Item, bool]]
    """The reading order: each item with whether it is linear (``linear="no"`` is not)."""

    @property
    def documents(self) -> list[Item]:
        """Every XHTML document: the spine's in reading order, then the rest (such as a
        navigation document outside the spine)."""
        spine = [item for item, _ in self.spine if item.media_type == XHTML]
        rest = [i for i in self.manifest.values() if i.media_type == XHTML and i not in spine]
        return [*spine, *rest]


def read_package(book: zipfile.ZipFile) -> Package:
    """The package document that META-INF/container.xml names first."""
    container = etree.fromstring(book.read(CONTAINER))
    path = next(e.get("full-path") for e in container.iter("{*}rootfile"))
    root = etree.fromstring(book.read(path))
    base = posixpath.dirname(path)
    manifest = {
        e.get("id"): Item(
            e.get("id"),
            posixpath.normpath(posixpath.join(base, unquote(e.get("href")))),
            e.get("media-type", ""),
            frozenset((e.get("properties") or "").split()),
        )
        for e in root.iterfind("{*}manifest/{*}item")
    }
    spine = [
        (manifest[ref.get("idref")], ref.get("linear") != "no")
        for ref in root.iterfind("{*}spine/{*}itemref")
    ]
    return Package(path, root, manifest, spine)
