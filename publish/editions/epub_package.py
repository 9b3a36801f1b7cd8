"""The one EPUB packaging, for an article's EPUB and an issue's: the items (XHTML
documents, the NCX, images sized for screens) and the package written by EbookLib with
``xml:lang`` on ``<package>`` (``compat/ebooklib_lang.py``), as a ZIP whose entries have a
fixed order and fixed times (``compat/ebooklib_zip.py``)."""

from __future__ import annotations

import io
import re
from datetime import datetime

from ebooklib import epub

from ..compat.ebooklib_lang import LangWriter
from ..compat.ebooklib_zip import reproducible_zip
from ..document import Resource
from ..fonts import epub_fonts
from ..images import file_name, reader_copy

WRITER_OPTIONS = {"epub3_pages": False, "epub3_landmark": False, "epub2_guide": False}
"""No pages, landmarks or guide of EbookLib's own making: the nav we render has them."""


def xhtml(uid: str, name: str, text: str) -> epub.EpubItem:
    return epub.EpubItem(
        uid=uid, file_name=name, media_type="application/xhtml+xml", content=text.encode("utf-8")
    )


def ncx(text: str) -> epub.EpubItem:
    """The EPUB 2 table of contents, for older reading systems."""
    return epub.EpubItem(
        uid="ncx", file_name="toc.ncx", media_type="application/x-dtbncx+xml", content=text.encode()
    )


def image(uid: str, name: str, resource: Resource, max_px: int) -> epub.EpubItem:
    """An image as the EPUB carries it: the reader's copy (``publish.images``: sized for
    screens, a photograph given as PNG as a JPEG, a PDF figure as SVG), without its camera
    metadata, never the original. ``name`` is from ``image_name``."""
    copy = reader_copy(resource, max_px)
    return epub.EpubItem(uid=uid, file_name=name, media_type=copy.media_type, content=copy.data)


def image_name(prefix: str, resource: Resource, max_px: int) -> str:
    """``<prefix><name>``, with the extension of the reader's copy's type."""
    return prefix + safe_name(file_name(resource, reader_copy(resource, max_px)))


def safe_name(name: str) -> str:
    """A file name safe in any EPUB reader's archive: ASCII letters, digits, ._-."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", name)


def meta(book: epub.EpubBook, prop: str, value: str, **extra: str) -> None:
    """An OPF ``<meta property>``, refining another element with ``refines``."""
    book.add_metadata(None, "meta", value, {"property": prop, **extra})


def package(book: epub.EpubBook, when: datetime) -> bytes:
    """The EPUB file, dated ``when`` (the build time: SOURCE_DATE_EPOCH or the text's)."""
    raw = io.BytesIO()
    writer = LangWriter(raw, book, {"mtime": when, **WRITER_OPTIONS})
    writer.process()
    writer.write()
    return reproducible_zip(raw.getvalue(), when)


def add_style(book: epub.EpubBook, css: str, text: str) -> None:
    """``style.css``: ``css``, then the faces of the fonts cut to ``text`` (after the
    house CSS: its @namespace must come first), and those fonts."""
    fonts, font_css = epub_fonts(text, href_prefix="fonts/")
    book.add_item(
        epub.EpubItem(
            uid="style",
            file_name="style.css",
            media_type="text/css",
            content=(css + font_css).encode(),
        )
    )
    for font in fonts:
        book.add_item(
            epub.EpubItem(
                uid=f"font-{font.file_name.removesuffix('.ttf')}",
                file_name=f"fonts/{font.file_name}",
                media_type=font.media_type,
                content=font.content,
            )
        )
