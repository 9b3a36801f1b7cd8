"""The build's side of remote images: the copies ``publish fetch`` (``publish/remote.py``)
left beside a manuscript, looked up in its lock file and checked by their sha256. Nothing
here touches the network."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

FOLDER = ".publish-remote"
LOCK = "remote.lock.json"


class NoCopy(ValueError):
    """A remote image without a usable downloaded copy; the message says what to do."""


def address(src: str) -> str:
    """The address as the author wrote it: filters/pdf_figures.lua percent-encodes the
    dot of a PDF figure's name (``plot%2Epdf``), an unreserved character that RFC 3986
    says to decode; the lock file and the request use the written form."""
    return re.sub("%2[Ee]", ".", src)


def is_remote(src: str) -> bool:
    return urlsplit(src).scheme.lower() in ("http", "https") or src.startswith("//")


def folder_of(manuscript: Path) -> Path:
    return manuscript.parent / FOLDER


def read_lock(manuscript: Path) -> dict[str, dict[str, Any]]:
    """The lock file's entries by address; empty when there is none (or it is unreadable:
    then every image is fetched again)."""
    try:
        data = json.loads((folder_of(manuscript) / LOCK).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    images = data.get("images") if isinstance(data, dict) else None
    return {k: v for k, v in images.items() if isinstance(v, dict)} if images else {}


def cached(manuscript: Path, src: str) -> Path:
    """The verified local copy of the remote image ``src``; raise NoCopy saying how to
    get one."""
    command = f"publish fetch {manuscript.name}"
    src = address(src)
    if not src.lower().startswith("https://"):
        raise NoCopy(
            "a build never touches the network, and only https: images can be fetched: "
            "save the file beside the manuscript and refer to it by its name"
        )
    entry = read_lock(manuscript).get(src)
    if entry is None:
        raise NoCopy(
            f"a build never touches the network: run '{command}' once to download it "
            f"into {FOLDER}/ beside the manuscript, or save the file beside the "
            "manuscript and refer to it by its name"
        )
    name = str(entry.get("file", ""))
    path = folder_of(manuscript) / name
    if "/" in name or "\\" in name or name.startswith(".") or not path.is_file():
        raise NoCopy(f"its downloaded copy is missing: run '{command}' again")
    if hashlib.sha256(path.read_bytes()).hexdigest() != entry.get("sha256"):
        raise NoCopy(
            f"its downloaded copy in {FOLDER}/ was changed since it was fetched: "
            f"run '{command} --refresh'"
        )
    return path
