"""The trust boundary: a manuscript may use files from its own folder, and nothing else."""

from __future__ import annotations

import html
import mimetypes
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..diagnostics import Collector
from ..document import Resource

RAW_IMG_RE = re.compile(r"<img\b[^>]*>", re.I)
RAW_A_RE = re.compile(r"<a\b[^>]*>", re.I)
ATTR_RE = r"""\s{}\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))"""
IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/svg+xml", "image/webp"}


class OutsideError(ValueError):
    """A reference that would leave the manuscript's folder or reach the network."""


def inside(folder: Path, target: str) -> Path:
    """The file ``target`` names, relative to ``folder``; raise OutsideError when it is not
    a plain local file inside that folder (symlinks are followed before the test)."""
    parts = urlsplit(target)
    if parts.scheme in ("http", "https", "ftp") or target.startswith("//"):
        raise OutsideError(
            "a build never touches the network: save the file beside the "
            "manuscript and refer to it by its name"
        )
    if parts.scheme and parts.scheme != "file" or parts.netloc:
        raise OutsideError(
            f"'{parts.scheme}:' addresses are not allowed here: use a file "
            "in the manuscript's folder"
        )
    relative = unquote(parts.path)
    if not relative or relative.startswith("/") or parts.scheme == "file":
        raise OutsideError(
            "absolute paths are not allowed: put the file in the manuscript's "
            "folder and use a relative path"
        )
    root = folder.resolve()
    path = (root / relative).resolve()
    if not path.is_relative_to(root):
        raise OutsideError(
            "the path leaves the manuscript's folder: copy the file into "
            "that folder and use a relative path"
        )
    return path


def line_of(text: str, needle: str, default: int = 1) -> int:
    """1-based line of the first occurrence of ``needle`` in ``text``."""
    at = text.find(needle)
    return text.count("\n", 0, at) + 1 if at >= 0 else default


def raw_images(raw_html: tuple[str, ...]) -> tuple[dict[str, str], ...]:
    """The ``<img>`` elements written as raw HTML, in the form the Lua filter reports
    Markdown images, so that both pass the same checks and are packed the same way."""
    found = []
    for fragment in raw_html:
        for tag in RAW_IMG_RE.findall(fragment):
            src = _attribute(tag, "src")
            if src is not None:
                found.append({"src": src, "alt": _attribute(tag, "alt") or ""})
    return tuple(found)


def raw_links(raw_html: tuple[str, ...]) -> tuple[str, ...]:
    """The ``href`` of each ``<a>`` written as raw HTML, to be checked like Markdown links."""
    found = []
    for fragment in raw_html:
        for tag in RAW_A_RE.findall(fragment):
            href = _attribute(tag, "href")
            if href is not None:
                found.append(href)
    return tuple(found)


def _attribute(tag: str, name: str) -> str | None:
    match = re.search(ATTR_RE.format(name), tag, re.I)
    if not match:
        return None
    return html.unescape(next(g for g in match.groups() if g is not None))


def resolve_images(
    manuscript: Path, text: str, images: tuple[dict[str, str], ...], report: Collector
) -> dict[str, Resource]:
    found: dict[str, Resource] = {}
    for image in images:
        src = image["src"]
        if src in found or src.startswith("data:image/"):
            continue
        line = line_of(text, src)
        if src.startswith("data:"):
            report.error(line, "only image data may be embedded as a 'data:' address")
            continue
        try:
            path = inside(manuscript.parent, src)
        except OutsideError as exc:
            report.error(line, f"image '{src}': {exc}")
            continue
        if not path.is_file():
            report.error(
                line,
                f"image '{src}' does not exist: put it next to the manuscript or correct the path",
            )
            continue
        media_type = mimetypes.guess_type(path.name)[0] or ""
        if media_type not in IMAGE_TYPES:
            report.error(line, f"image '{src}' is not a PNG, JPEG, GIF, SVG or WebP file")
            continue
        found[src] = Resource(src=src, path=path, media_type=media_type, alt=image["alt"])
    return found
