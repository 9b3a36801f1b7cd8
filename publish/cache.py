"""Where publish keeps what it can compute again: ``$PUBLISH_CACHE``, else the user's
cache folder (``~/.cache/publish``). Never the build folder, which holds only editions
and their stamps. ``PUBLISH_CACHE=`` (empty) turns the disk cache off."""

from __future__ import annotations

import os
from pathlib import Path


def folder(kind: str) -> Path | None:
    """The cache folder for one kind of thing (``images``, ``software``), or None when
    the disk cache is off."""
    named = os.environ.get("PUBLISH_CACHE")
    if named is not None:
        return Path(named) / kind if named else None
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "publish" / kind
