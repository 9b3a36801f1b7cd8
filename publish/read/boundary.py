"""The trust boundary: a manuscript may use files from its own folder and from the folders
the user names (``--resource-path``), and nothing else."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..diagnostics import Collector
from ..document import Markers, Resource
from . import remote_copies
from .pdf_figures import pdf_figure
from .pictures import BadPicture, checked
from .site_paths import site_path, written

IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/svg+xml", "image/webp"}
NOT_A_PICTURE = (
    "is not a PNG, JPEG, GIF, SVG, WebP or PDF file (by its name): convert it to PNG, "
    "or to JPEG for a photograph, and refer to the new file"
)
NOT_EPS = (
    "is an EPS (PostScript) file, which only Ghostscript reads, a program that runs "
    "what the file says and that a build does not run: convert it to PDF or SVG "
    "(epstopdf, or Inkscape) and refer to the new file"
)


class OutsideError(ValueError):
    """A reference that would leave the manuscript's folder or reach the network."""


def inside(folder: Path, target: str, extra: tuple[Path, ...] = ()) -> Path:
    """The file ``target`` names, relative to ``folder``; raise OutsideError when it is not
    a plain local file inside that folder or one of ``extra`` (symlinks are followed
    before the test). An absolute ``/x.png`` is looked for inside ``extra`` only."""
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
    if "\x00" in relative:
        raise OutsideError("the path holds a NUL character: correct the file name")
    roots = [r.resolve() for r in extra]
    if not relative or parts.scheme == "file" or relative.startswith("/") and not roots:
        raise OutsideError(
            "absolute paths are not allowed: put the file in the manuscript's "
            "folder and use a relative path"
        )
    if relative.startswith("/"):
        candidates = [(root, root / relative.lstrip("/")) for root in roots]
    else:
        candidates = [(root, root / relative) for root in [folder.resolve(), *roots]]
        # ``../docs/images/x.png`` from a paper in the repository's ``paper/`` folder:
        # allowed when it lands in a folder the user named (``--resource-path``).
        candidates += [(root, folder.resolve() / relative) for root in roots]
    try:
        resolved = [(root, path.resolve()) for root, path in candidates]
    except (OSError, RuntimeError):
        raise OutsideError(
            "the path goes round in a loop of symbolic links: correct the file name"
        ) from None
    for root, path in resolved:
        if path.is_relative_to(root) and path.exists():
            return path
    for root, path in resolved:
        if path.is_relative_to(root):
            return path
    raise OutsideError(
        "the path leaves the manuscript's folder: copy the file into "
        "that folder and use a relative path"
    )


class Finder:
    """Lines of things in the manuscript's text. Successive calls with one needle give
    successive occurrences: the second ``javascript:`` removed is reported at the second
    one in the text, not again at the first."""

    def __init__(self, text: str, default: int = 1) -> None:
        """``default``: the line the body starts at, where the search begins, and the
        answer when nothing is found."""
        self.text = text
        self.default = default
        self.start = 0
        for _ in range(default - 1):
            self.start = text.find("\n", self.start) + 1
        self.after: dict[str, int] = {}

    def __call__(self, needle: str) -> int:
        return self.first(needle) or self.default

    def first(self, *needles: str) -> int | None:
        """The line of the next occurrence of the first of ``needles`` found."""
        for needle in needles:
            if not needle:
                continue
            at = self.text.find(needle, self.after.get(needle, self.start))
            if at < 0:
                at = self.text.find(needle, self.start)
            if at >= 0:
                self.after[needle] = at + len(needle)
                return self.text.count("\n", 0, at) + 1
        return None


def line_of(text: str, needle: str, default: int = 1) -> int:
    """1-based line of the first occurrence of ``needle`` in ``text``."""
    at = text.find(needle)
    return text.count("\n", 0, at) + 1 if at >= 0 else default


def resolve_images(
    manuscript: Path,
    images: list[tuple[str, str]],
    find: Finder,
    report: Collector,
    markers: Markers,
    extra: tuple[Path, ...] = (),
) -> dict[str, Resource]:
    """Each local image the text shows, checked to lie inside the boundary and to be the
    picture its name says, with the bytes the editions will use."""
    found: dict[str, Resource] = {}
    for src, alt in images:
        # pandoc percent-encodes what it writes (braces, spaces; figures.lua the dot of
        # a PDF figure's name): messages and line searches use the text as written.
        shown = written(src)
        line = (
            find.first(f"]({shown}", f'"{shown}"', f"'{shown}'", f"({shown}", shown)
            or find.first(f"]({src}", src)
            or find.default
        )
        if src in found:
            continue
        picture = _picture(manuscript, src, shown, extra, report, line)
        if picture is None:
            continue
        path, media_type = picture
        removed: list[str] = []
        try:
            if media_type == "application/pdf":
                content = pdf_figure(path)
                media_type = "image/svg+xml"
            else:
                content, removed = checked(path, media_type)
        except BadPicture as exc:
            report.error(line, f"image '{shown}' {exc}")
            continue
        for what in removed:
            report.warning(
                line, f"image '{shown}': {what} removed: pictures may not run code or load files"
            )
        found[src] = Resource(
            src=src,
            path=path,
            media_type=media_type,
            alt=alt,
            content=content,
            key=markers.image(len(found) + 1),
        )
    return found


def _picture(
    manuscript: Path,
    src: str,
    shown: str,
    extra: tuple[Path, ...],
    report: Collector,
    line: int,
) -> tuple[Path, str] | None:
    """The file ``src`` names and its media type, or None after reporting why not."""
    target = site_path(src)
    if target is not None and not extra:
        report.error(
            line,
            f"image '{shown}' is an address in a web site: name the site's folder with "
            "--resource-path (or resource-path: in the front matter), and the picture is "
            f"looked for at '{target.lstrip('/')}' inside it",
        )
        return None
    try:
        if remote_copies.is_remote(src):
            path = remote_copies.cached(manuscript, src)
        else:
            path = inside(manuscript.parent, target or src, extra)
    except (OutsideError, remote_copies.NoCopy) as exc:
        report.error(line, f"image '{shown}': {exc}")
        return None
    if path.is_dir():
        report.error(line, f"image '{shown}' is a folder: name the picture file inside it")
        return None
    if not path.is_file():
        report.error(
            line,
            f"image '{shown}' does not exist: put it next to the manuscript or correct the path",
        )
        return None
    media_type = mimetypes.guess_type(path.name)[0] or ""
    if media_type in ("application/postscript", "image/x-eps") or path.suffix.lower() == ".eps":
        report.error(line, f"image '{shown}' {NOT_EPS}")
        return None
    if media_type not in IMAGE_TYPES and media_type != "application/pdf":
        report.error(line, f"image '{shown}' {NOT_A_PICTURE}")
        return None
    return path, media_type
