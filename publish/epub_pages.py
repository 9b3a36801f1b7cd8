"""An EPUB unpacked so that a browser can show its pages: the reading order as files."""

from __future__ import annotations

import zipfile
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

CONTAINER = "META-INF/container.xml"
NS = {
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
    "opf": "http://www.idpf.org/2007/opf",
}


def unpack(epub: Path, folder: Path) -> list[Path]:
    """Extract `epub` into `folder`; return its spine documents in reading order.

    The navigation document is left out unless the spine lists it as linear
    content, as readers do.
    """
    with zipfile.ZipFile(epub) as archive:
        _extract(archive, folder)
        root = ElementTree.fromstring(archive.read(CONTAINER))
        opf_path = root.find("c:rootfiles/c:rootfile", NS).get("full-path")
        package = ElementTree.fromstring(archive.read(opf_path))
    base = PurePosixPath(opf_path).parent
    items = {item.get("id"): item for item in package.iterfind("opf:manifest/opf:item", NS)}
    pages = []
    for ref in package.iterfind("opf:spine/opf:itemref", NS):
        item = items[ref.get("idref")]
        if ref.get("linear") == "no" or "nav" in (item.get("properties") or "").split():
            continue
        pages.append(folder / base / item.get("href"))
    return pages


def _extract(archive: zipfile.ZipFile, folder: Path) -> None:
    """Extract every member, refusing names that would land outside `folder`."""
    root = folder.resolve()
    for member in archive.namelist():
        target = (folder / member).resolve()
        if not target.is_relative_to(root):
            raise ValueError(f"unsafe path in EPUB: {member}")
    archive.extractall(folder)
