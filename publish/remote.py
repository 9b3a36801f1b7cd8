"""Remote images, on request: ``publish fetch`` downloads the ``https:`` images that
manuscripts show, once, into a folder beside each manuscript; builds use those copies and
never touch the network.

Beside a manuscript ``paper.md``::

    .publish-remote/
        remote.lock.json        what was fetched: address, file, sha256, size, date
        3f2a…-logo.png          each image, named by its digest and its address's name

A build looks an ``https:`` image up in the lock file and uses the copy only when its
sha256 is still the one recorded (a changed or missing copy is an error that says to
fetch again). ``publish fetch`` fetches what the lock file lacks (``--refresh``: all
again). Limits: https only (a redirect too), at most ``MAX_REDIRECTS`` redirects,
``MAX_BYTES`` per image, ``SECONDS`` per request, and a picture's content type. The
downloaded file then goes through the same checks as any local picture at build time.

``PUBLISH_FETCH_CA`` names a file of certificates to trust instead of the system's (the
tests run a local HTTPS server with their own certificate).
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import os
import re
import ssl
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .diagnostics import Collector, ManuscriptError
from .read.remote_copies import FOLDER, LOCK, address, cached, folder_of, is_remote, read_lock

MAX_BYTES = 20_000_000
"""Size of one downloaded image."""
SECONDS = 30
"""Time for one request (connecting, and between two pieces of the answer)."""
MAX_REDIRECTS = 5
TYPES = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "image/svg+xml": ".svg",
    "application/pdf": ".pdf",
}
"""Content types accepted, and the extension the copy is given."""


IMG_SRC_RE = re.compile(r"""<img\b[^>]*?\ssrc=["']([^"']+)["']""", re.I)


class RemoteError(ValueError):
    """An image that cannot be used or fetched; the message says what to do."""


def remote_images(manuscript: Path) -> list[tuple[int, str]]:
    """The remote images a manuscript shows, with their lines, as pandoc reads it."""
    from .document import Markers
    from .read import pandoc
    from .read.boundary import Finder
    from .read.frontmatter import split
    from .read.site_paths import written

    report = Collector(manuscript)
    try:
        text = manuscript.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RemoteError(f"{manuscript}: error: cannot be read ({exc})") from None
    fm = split(text, report)
    if fm is None:
        raise ManuscriptError(report.items)
    converted = pandoc.convert(fm.for_pandoc(text), Markers())
    find = Finder(text, fm.body_line)
    found: dict[str, int] = {}
    # Markdown images, and <img> written as HTML in the text (the build shows both)
    raw = [
        html.unescape(m.group(1))
        for fragment in (converted.body, *converted.notes)
        for m in IMG_SRC_RE.finditer(fragment)
    ]
    for src in map(address, (*converted.images, *raw)):
        if is_remote(src) and src not in found:
            found[src] = find.first(f"]({written(src)}", written(src)) or fm.body_line
    return [(line, src) for src, line in found.items()]


@dataclass(frozen=True)
class Fetched:
    data: bytes
    media_type: str


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects are followed here, by hand, so that each target is checked."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _context() -> ssl.SSLContext:
    ca = os.environ.get("PUBLISH_FETCH_CA")
    return ssl.create_default_context(cafile=ca) if ca else ssl.create_default_context()


def download(url: str) -> Fetched:
    """One image over https, within the limits; RemoteError saying why not."""
    opener = urllib.request.build_opener(
        _NoRedirect, urllib.request.HTTPSHandler(context=_context())
    )
    for _ in range(MAX_REDIRECTS + 1):
        if urlsplit(url).scheme.lower() != "https":
            raise RemoteError(f"'{url}' is not an https: address, which is all that is fetched")
        request = urllib.request.Request(url, headers={"User-Agent": "publish-fetch"})
        try:
            response = opener.open(request, timeout=SECONDS)
        except urllib.error.HTTPError as exc:
            if exc.code in (301, 302, 303, 307, 308) and exc.headers.get("Location"):
                url = urllib.parse.urljoin(url, exc.headers["Location"])
                continue
            raise RemoteError(f"the server answered {exc.code} {exc.reason}") from None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            raise RemoteError(f"could not be fetched ({reason})") from None
        with response:
            media_type = response.headers.get_content_type()
            if media_type not in TYPES:
                raise RemoteError(
                    f"the server sent '{media_type}', not a picture (PNG, JPEG, GIF, WebP, "
                    "SVG or PDF)"
                )
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > MAX_BYTES:
                raise RemoteError(f"it is larger than {MAX_BYTES // 1_000_000} MB (the limit)")
            data = response.read(MAX_BYTES + 1)
            if len(data) > MAX_BYTES:
                raise RemoteError(f"it is larger than {MAX_BYTES // 1_000_000} MB (the limit)")
            return Fetched(data, media_type)
    raise RemoteError(f"more than {MAX_REDIRECTS} redirects")


def _file_name(url: str, fetched: Fetched, digest: str) -> str:
    stem = Path(urlsplit(url).path).stem or "image"
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-.")[:60] or "image"
    return f"{digest[:16]}-{stem}{TYPES[fetched.media_type]}"


def fetch(manuscript: Path, refresh: bool = False, out: Any = sys.stdout) -> int:
    """Fetch what the manuscript's lock file lacks; the number of failures (each said
    on ``out`` at its line)."""
    wanted = remote_images(manuscript)
    lock = {} if refresh else read_lock(manuscript)
    folder = folder_of(manuscript)
    failures = 0
    for line, url in wanted:
        if url in lock:
            try:
                cached(manuscript, url)
                continue
            except ValueError:
                pass  # missing or changed: fetch it again
        try:
            if not url.lower().startswith("https://"):
                raise RemoteError("only https: addresses are fetched")
            fetched = download(url)
        except RemoteError as exc:
            print(f"{manuscript}:{line}: error: image '{url}': {exc}", file=sys.stderr)
            failures += 1
            continue
        digest = hashlib.sha256(fetched.data).hexdigest()
        name = _file_name(url, fetched, digest)
        folder.mkdir(exist_ok=True)
        _write(folder / name, fetched.data)
        lock[url] = {
            "file": name,
            "sha256": digest,
            "bytes": len(fetched.data),
            "type": fetched.media_type,
            "fetched": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        print(f"{manuscript}:{line}: fetched '{url}' ({len(fetched.data):,} bytes)", file=out)
    used = {url for _, url in wanted}
    kept = {url: entry for url, entry in sorted(lock.items()) if url in used}
    if kept or (folder / LOCK).exists():
        folder.mkdir(exist_ok=True)
        body = {"version": 1, "images": kept}
        _write(folder / LOCK, (json.dumps(body, indent=2, ensure_ascii=False) + "\n").encode())
    return failures


def _write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.replace(tmp, path)


def register(commands: Any) -> None:
    """The ``fetch`` subcommand (cli.py adds it with this)."""
    sub = commands.add_parser(
        "fetch",
        help="download the remote images manuscripts use, for builds to use",
        description=f"Download each https: image the manuscripts show into {FOLDER}/ "
        f"beside the manuscript, recorded in {FOLDER}/{LOCK} (address, sha256, date); "
        "builds then use these copies and never touch the network.",
    )
    sub.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="manuscripts or folders of them (default: source/)",
    )
    sub.add_argument("--refresh", action="store_true", help="fetch every image again")


def command(args: argparse.Namespace) -> int:
    """``publish fetch``: 0 when every remote image has its copy, 1 otherwise."""
    from .pipeline.units import discover

    paths = args.paths or [Path("source")]
    failures = 0
    for missing in [p for p in paths if not p.exists()]:
        print(
            f"publish: error: '{missing}' does not exist: name manuscripts or folders of them",
            file=sys.stderr,
        )
        failures += 1
    paths = [p for p in paths if p.exists()]
    for manuscript in discover(paths):
        try:
            failures += fetch(manuscript, refresh=args.refresh)
        except ManuscriptError as error:
            for diagnostic in error.diagnostics:
                print(diagnostic, file=sys.stderr)
            failures += 1
        except RemoteError as exc:
            print(exc, file=sys.stderr)
            failures += 1
    return 1 if failures else 0
