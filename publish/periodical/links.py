"""``publish check`` on contents pages: they are not editions of a manuscript, so our
lint (which compares a manuscript's editions) does not apply; what must hold is that
every link and image on them reaches a file of the build folder."""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import html

from ..check.result import CheckResult
from .contents import SUMMARY


def is_contents_page(path: Path) -> bool:
    """An issue's ``index.html`` or the archive's home page."""
    if path.name != "index.html":
        return False
    return (path.parent / SUMMARY).is_file() or any(path.parent.glob(f"*/{SUMMARY}"))


def check_links(page: Path) -> CheckResult:
    started = time.perf_counter()
    result = CheckResult(page, "links")
    root = html.fromstring(page.read_bytes())
    for element in root.iter("a", "link", "img"):
        address = element.get("href") or element.get("src")
        if not address:
            continue
        parts = urlsplit(address)
        if parts.scheme or parts.netloc:
            if parts.scheme != "data":
                result.error(f"link out of the build folder: {address}")
            continue
        if not parts.path:
            if parts.fragment and not root.get_element_by_id(unquote(parts.fragment), None):
                result.error(f"link to #{parts.fragment} has no target")
            continue
        target = (page.parent / unquote(parts.path)).resolve()
        if not target.is_file():
            result.error(f"link to {address}: no such file")
    result.seconds = time.perf_counter() - started
    return result
