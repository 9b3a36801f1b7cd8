"""An EPUB unpacked so that a browser can show its pages: the reading order as files."""

from __future__ import annotations

import zipfile
from pathlib import Path

from .opf import read_package


def unpack(epub: Path, folder: Path) -> list[Path]:
    """Extract `epub` into `folder`; return its spine documents in reading order.

    The navigation document is left out unless the spine lists it as linear
    content, as readers do.
    """
    with zipfile.ZipFile(epub) as archive:
        _extract(archive, folder)
        package = read_package(archive)
    return [
        folder / item.path
        for item, linear in package.spine
        if linear and "nav" not in item.properties
    ]


def _extract(archive: zipfile.ZipFile, folder: Path) -> None:
    """Extract every member, refusing names that would land outside `folder`."""
    root = folder.resolve()
    for member in archive.namelist():
        target = (folder / member).resolve()
        if not target.is_relative_to(root):
            raise ValueError(f"unsafe path in EPUB: {member}")
    archive.extractall(folder)
