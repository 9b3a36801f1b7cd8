"""The HTTP side of ``publish serve``: the editions from the build folder, the pages the
server makes, and one event stream per open page (Server-Sent Events).

Editions are served as they are on disk, except that an HTML page gets one script
element before its ``</body>``; the files themselves are never changed."""

from __future__ import annotations

import ipaddress
import json
import mimetypes
import posixpath
import secrets
import socket
import sys
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from ..editions.registry import EDITIONS
from . import page
from .epub import Shelf
from .state import State

KEEPALIVE = 15.0
"""Seconds between comments on a quiet event stream: a closed tab is noticed when one
cannot be written."""
LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}
TYPES = {
    **{e.suffix: e.media_type for e in EDITIONS.values()},
    ".xhtml": "application/xhtml+xml; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
}
# Our pages run no script but the one from /_serve/; an edition's own would have been
# removed by the build, and this stops any that slipped through.
PAGE_POLICY = "script-src 'self'; object-src 'none'; base-uri 'none'"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass
class Site:
    """What the request handlers share."""

    state: State
    out: Path
    formats: tuple[str, ...]
    shelf: Shelf
    loopback: bool
    server: str = field(default_factory=lambda: secrets.token_hex(8))
    """Tells one run of the server from the next: a page from an earlier run reloads."""


class Server(ThreadingHTTPServer):
    # Event streams never end by themselves: their threads must not hold up the exit.
    daemon_threads = True

    def __init__(self, address: tuple[str, int], site: Site) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.site = site
        super().__init__((address[0].strip("[]"), address[1]), Handler)

    def handle_error(self, request: object, client_address: tuple[str, int]) -> None:
        """One line, not the traceback socketserver prints: a browser that went away
        mid-answer is no news, anything else is worth a line."""
        error = sys.exc_info()[1]
        if not isinstance(error, ConnectionError | TimeoutError):
            print(f"publish: warning: answering a browser failed: {error!r}", file=sys.stderr)


class Handler(BaseHTTPRequestHandler):
    server: Server
    server_version = "publish-serve"

    def log_message(self, format: str, *args: object) -> None:
        pass  # a line per request would bury the build messages

    def do_HEAD(self) -> None:
        self._dispatch(body=False)

    def do_GET(self) -> None:
        self._dispatch(body=True)

    def _dispatch(self, body: bool) -> None:
        site = self.server.site
        if site.loopback and not self._from_loopback_name():
            # A page elsewhere must not read the preview through a name of its own that
            # resolves to this machine (DNS rebinding).
            self._send(
                HTTPStatus.FORBIDDEN,
                b"publish serve answers only to localhost\n",
                "text/plain; charset=utf-8",
                body,
            )
            return
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        if path == "/":
            version = site.state.version
            data = page.home(site.state.all(), site.out, site.formats, version, site.server)
            self._send(HTTPStatus.OK, data, TYPES[".html"], body, policy=True)
        elif path == "/_serve/events":
            self._events(body)
        elif path.startswith("/_serve/pdf/"):
            self._pdf(path.removeprefix("/_serve/pdf/"), body)
        elif path.startswith("/_serve/epub/"):
            self._epub(path.removeprefix("/_serve/epub/"), body)
        elif path.startswith("/_serve/"):
            self._static(path.removeprefix("/_serve/"), body)
        else:
            self._edition(path.lstrip("/"), body)

    def _from_loopback_name(self) -> bool:
        host = self.headers.get("Host", "")
        name = urlsplit("//" + host).hostname if host else None
        return name in LOOPBACK_NAMES

    def _static(self, name: str, body: bool) -> None:
        if name not in ("live.js", "worker.js", "serve.css"):
            self._missing(body)
            return
        data = (page.STATIC / name).read_bytes()
        self._send(HTTPStatus.OK, data, TYPES[Path(name).suffix], body)

    def _edition(self, relative: str, body: bool) -> None:
        """A file of an article's build folder; its HTML with the live script."""
        site = self.server.site
        slug, _, rest = relative.partition("/")
        article = site.state.get(slug)
        target = _inside(site.out / slug, rest) if article else None
        if article is None or target is None or not target.is_file():
            self._missing(body)
            return
        data = target.read_bytes()
        if target.suffix == ".html":
            tag = page.script_tag(
                {"slug": slug, "generation": article.generation, "server": site.server}
            )
            data = page.inject(data, tag)
        self._send(HTTPStatus.OK, data, _type(target), body, policy=target.suffix == ".html")

    def _pdf(self, slug: str, body: bool) -> None:
        article = self.server.site.state.get(slug)
        if article is None or "pdf" not in self.server.site.formats:
            self._missing(body)
            return
        data = page.pdf_viewer(article, self.server.site.server)
        self._send(HTTPStatus.OK, data, TYPES[".html"], body, policy=True)

    def _epub(self, relative: str, body: bool) -> None:
        site = self.server.site
        slug, _, rest = relative.partition("/")
        article = site.state.get(slug)
        book = site.shelf.open(slug) if article and "epub" in site.formats else None
        if article is None or book is None:
            self._missing(body)
            return
        if not rest:
            if not book.pages:
                self._missing(body)
                return
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", _epub_address(slug, book.pages[0]))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        target = _inside(book.folder, rest)
        if target is None or not target.is_file():
            self._missing(body)
            return
        data = target.read_bytes()
        if target.suffix in (".xhtml", ".html"):
            info: dict[str, str | int] = {
                "slug": slug,
                "generation": article.generation,
                "server": site.server,
            }
            if rest in book.pages:
                at = book.pages.index(rest)
                info.update(
                    name=f"{slug}.epub",
                    index=at + 1,
                    count=len(book.pages),
                    prev=_epub_address(slug, book.pages[at - 1]) if at > 0 else "",
                    next=_epub_address(slug, book.pages[at + 1])
                    if at + 1 < len(book.pages)
                    else "",
                )
            data = page.inject(data, page.script_tag(info))
        self._send(
            HTTPStatus.OK, data, _type(target), body, policy=target.suffix in (".xhtml", ".html")
        )

    def _events(self, body: bool) -> None:
        """Send the state of every article each time it changes, until the browser goes
        away or the server stops (one stream per browser: see worker.js)."""
        site = self.server.site
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not body:
            return
        seen = -1
        last = None
        try:
            self.wfile.write(b"retry: 1000\n\n")
            while True:
                version = site.state.wait(seen, KEEPALIVE)
                if site.state.closing:
                    return
                message = json.dumps(self._everything(version), sort_keys=True)
                if message != last:
                    self.wfile.write(f"data: {message}\n\n".encode())
                    last = message
                elif version == seen:
                    self.wfile.write(b": keepalive\n\n")
                self.wfile.flush()
                seen = version
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            return

    def _everything(self, version: int) -> dict[str, object]:
        site = self.server.site
        articles = {a.slug: a.public() for a in site.state.all()}
        return {"server": site.server, "version": version, "articles": articles}

    def _missing(self, body: bool) -> None:
        what = f"Nothing is served at {self.path.split('?')[0]}."
        self._send(HTTPStatus.NOT_FOUND, page.not_found(what), TYPES[".html"], body, policy=True)

    def _send(
        self,
        status: HTTPStatus,
        data: bytes,
        content_type: str,
        body: bool,
        policy: bool = False,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        # Always the file as it is now: a rebuilt edition must not come from a cache.
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        if policy:
            self.send_header("Content-Security-Policy", PAGE_POLICY)
        self.end_headers()
        if body:
            try:
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass


def _inside(folder: Path, relative: str) -> Path | None:
    """``folder/relative`` when it stays inside ``folder`` and names no hidden file (the
    build's stamp, a half-written edition)."""
    parts = [p for p in posixpath.normpath("/" + relative).split("/") if p]
    if not parts or any(p.startswith(".") for p in parts):
        return None
    target = folder.joinpath(*parts)
    try:
        if not target.resolve().is_relative_to(folder.resolve()):
            return None
    except OSError:
        return None
    return target


def _epub_address(slug: str, inside: str) -> str:
    return f"/_serve/epub/{quote(slug)}/{quote(inside)}"


def _type(path: Path) -> str:
    return (
        TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    )
