"""Each edition is a function from the parsed document to the bytes of one file."""

from __future__ import annotations

from collections.abc import Callable

from ..document import Document
from ..options import Options
from . import epub, html, pdf

Render = Callable[[Document, Options], bytes]

EDITIONS: dict[str, Render] = {"pdf": pdf.render, "epub": epub.render, "html": html.render}
