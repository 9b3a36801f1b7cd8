"""What WeasyPrint may read while laying out a manuscript: files in its own folder and
our templates folder; nothing from the network, nothing elsewhere on the machine."""

from __future__ import annotations

import base64
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

from ..read.boundary import IMAGE_TYPES

FONT_TYPES = {
    "font/woff",
    "font/woff2",
    "font/ttf",
    "font/otf",
    "font/sfnt",
    "application/font-woff",
    "application/vnd.ms-opentype",
    "application/x-font-ttf",
}
ALLOWED = IMAGE_TYPES | FONT_TYPES | {"text/css"}


class BoundedFetcher(URLFetcher):
    """Serves files below ``roots`` and image ``data:`` addresses; refuses the rest and
    remembers each refusal, so that the build can fail with a message instead of a
    silently incomplete PDF."""

    def __init__(self, roots: list[Path]) -> None:
        super().__init__(allowed_protocols={"file", "data"})
        self.roots = [r.resolve() for r in roots]
        self.refused: list[tuple[str, str]] = []

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        try:
            body, media = self._read(url)
        except PermissionError as exc:
            self.refused.append((url, str(exc)))
            raise
        return URLFetcherResponse(url, body=body, headers={"Content-Type": media})

    def _read(self, url: str) -> tuple[bytes, str]:
        parts = urlsplit(url)
        if parts.scheme == "data":
            header, _, payload = url.partition(",")
            media = header.removeprefix("data:").split(";")[0]
            if media not in IMAGE_TYPES:
                kind = media or "text/plain"
                raise PermissionError(f"a 'data:' address of type '{kind}', which is no image")
            raw = (
                base64.b64decode(payload)
                if header.endswith(";base64")
                else unquote(payload).encode()
            )
            return raw, media
        if parts.scheme != "file":
            raise PermissionError(f"'{url}' from the network")
        path = Path(unquote(parts.path)).resolve()
        if not any(path.is_relative_to(root) for root in self.roots):
            raise PermissionError(f"'{path}', outside those folders")
        media = mimetypes.guess_type(path.name)[0] or ""
        if media not in ALLOWED or not path.is_file():
            raise PermissionError(f"'{path.name}', which is not an image, font or stylesheet")
        return path.read_bytes(), media
