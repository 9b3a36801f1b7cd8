"""Every edition in one table: what the rest of the program knows of a format.

An edition is a pure function ``(document, options) -> bytes`` in a module of its own,
plus one entry here. ``--format``, ``Options``, ``publish serve``'s links, ``publish
check``'s dispatch, an issue's build and the cluster all read this table, so nothing
else names a format. The render function is imported when an edition is first written
(WeasyPrint alone takes a second to import, which an up-to-date build never needs), and
an entry is plain data: it pickles to worker processes and Dask workers by value.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from ..document import Document
    from ..options import Options

Render = Callable[["Document", "Options"], bytes]
IssuePages = Literal["layout", "markers", "epub-markers"]


@dataclass(frozen=True)
class Edition:
    """One edition a manuscript is written into: ``build/<slug>/<slug><suffix>``."""

    name: str
    """What ``--format`` calls it."""
    suffix: str
    media_type: str
    label: str
    """What a reader's link to it says (an issue's contents page)."""
    module: str
    """The module whose ``render(document, options) -> bytes`` writes it."""
    issue_pages: IssuePages
    """How it shows where an article is printed in its issue: ``layout`` keeps the
    issue's own page layout (its folios), ``markers`` and ``epub-markers`` mark where
    each printed page begins in the text (as HTML, or with EPUB's page-break markup)."""
    check: str
    """The function of ``publish.check`` that validates a list of these files."""
    whole_issue: bool
    """Whether an issue is also written whole in this edition (``build/<issue>/``)."""

    def render(self, document: Document, options: Options) -> bytes:
        """The edition's bytes (imports its module the first time)."""
        return bytes(importlib.import_module(self.module).render(document, options))

    __call__ = render


EDITIONS: dict[str, Edition] = {
    e.name: e
    for e in (
        Edition(
            "html",
            ".html",
            "text/html; charset=utf-8",
            "Web page",
            "publish.editions.html",
            "markers",
            "check_pages",
            whole_issue=False,
        ),
        Edition(
            "pdf",
            ".pdf",
            "application/pdf",
            "PDF",
            "publish.editions.pdf",
            "layout",
            "check_pdfs",
            whole_issue=True,
        ),
        Edition(
            "epub",
            ".epub",
            "application/epub+zip",
            "EPUB",
            "publish.editions.epub",
            "epub-markers",
            "check_epubs",
            whole_issue=True,
        ),
    )
}
"""In the order they are offered to a reader (the web page first: it opens anywhere),
and ``--format``'s default."""

FORMATS: tuple[str, ...] = tuple(EDITIONS)


def by_suffix(suffix: str) -> Edition | None:
    """The edition a file with this suffix is, if any."""
    return next((e for e in EDITIONS.values() if e.suffix == suffix), None)


def edition_file(slug: str, name: str) -> str:
    """An edition's path in the output folder: ``slug/slug.pdf``."""
    return f"{slug}/{slug}{EDITIONS[name].suffix}"
