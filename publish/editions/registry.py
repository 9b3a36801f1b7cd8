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
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from ..document import Document
    from ..options import Options

Render = Callable[["Document", "Options"], bytes]
IssuePages = Literal["layout", "markers", "epub-markers", "none"]


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
    each printed page begins in the text (as HTML, or with EPUB's page-break markup);
    ``none``: the text as written, its pages only in its metadata (JATS, a deposit)."""
    check: str
    """The function of ``publish.check`` that validates a list of these files."""
    whole_issue: bool
    """Whether an issue is also written whole in this edition (``build/<issue>/``)."""
    archival: bool = False
    """Whether the edition carries the manuscript and its JATS inside it (PDF/A-3's
    associated files): its render runs inside ``pdf_write.carrying``."""
    reader: bool = True
    """A reader's edition (written by default, linked from contents pages), or a file
    a journal delivers to others (JATS to PMC, a deposit to Crossref), written when
    ``--format`` or ``publish.yaml``'s ``formats`` asks."""

    def render(self, document: Document, options: Options) -> bytes:
        """The edition's bytes (imports its module the first time)."""
        return bytes(importlib.import_module(self.module).render(document, options))

    __call__ = render

    def files(self, document: Document, options: Options) -> dict[str, bytes]:
        """Every file the edition writes, by path in the output folder: its own file and,
        when its module has ``companions(document, options, xml)``, the files beside it
        (the JATS edition's images and its PMC package); {} when the module's
        ``applies(document)`` says the document has none (a deposit needs a DOI)."""
        module = importlib.import_module(self.module)
        applies = getattr(module, "applies", None)
        if applies is not None and not applies(document):
            return {}
        if self.archival:
            from .pdf_write import carrying

            with carrying(*_carried(document, options)):
                main = bytes(module.render(document, options))
        else:
            main = bytes(module.render(document, options))
        found = {f"{document.slug}/{document.slug}{self.suffix}": main}
        companions = getattr(module, "companions", None)
        if companions is not None:
            for name, data in companions(document, options, main).items():
                found[f"{document.slug}/{name}"] = data
        return found

    def matches(self, path: Path) -> bool:
        """Whether ``path`` is a file of this edition (``x.crossref.xml`` is a deposit,
        not a JATS edition, though both end in ``.xml``)."""
        if not path.name.endswith(self.suffix):
            return False
        longer = [e.suffix for e in EDITIONS.values() if len(e.suffix) > len(self.suffix)]
        return not any(path.name.endswith(s) for s in longer)


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
            archival=True,
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
        Edition(
            "jats",
            ".xml",
            "application/jats+xml",
            "JATS XML",
            "publish.editions.jats",
            "none",
            "check_xml",
            whole_issue=False,
            reader=False,
        ),
        Edition(
            "crossref",
            ".crossref.xml",
            "application/vnd.crossref.deposit+xml",
            "Crossref deposit",
            "publish.editions.crossref",
            "none",
            "check_xml",
            whole_issue=True,
            reader=False,
        ),
    )
}
"""In the order they are offered to a reader (the web page first: it opens anywhere),
then the files a journal delivers to others."""

FORMATS: tuple[str, ...] = tuple(e.name for e in EDITIONS.values() if e.reader)
"""``--format``'s default: the reader editions (``publish.yaml``'s ``formats`` adds)."""
ALL_FORMATS: tuple[str, ...] = tuple(EDITIONS)
"""What ``--format`` accepts."""


def _carried(document: Document, options: Options) -> tuple[Callable[[], list], datetime]:
    """What an archival edition carries: the manuscript (Source) and the article as
    JATS (Alternative), made only when the PDF is written; dated as the edition is."""
    from ..compat.weasyprint_pdfa import attachments
    from .common import build_time

    def made() -> list:
        # A manuscript whose reading removed active content (scripts, event handlers,
        # outside addresses) is not carried verbatim inside its PDF: only what was
        # checked is published (tests/test_security.py).
        if any("removed" in d.message for d in document.diagnostics):
            return []
        # Through the table, as every edition is made (the JATS module imports Options).
        return attachments(document.source, EDITIONS["jats"].render(document, options))

    return made, build_time(document.meta)


def by_suffix(suffix: str) -> Edition | None:
    """The edition a file with this suffix is, if any."""
    return next((e for e in EDITIONS.values() if e.suffix == suffix), None)


def of_path(path: Path) -> Edition | None:
    """The edition ``path`` is a file of, if any."""
    return next((e for e in EDITIONS.values() if e.matches(path)), None)


def edition_file(slug: str, name: str) -> str:
    """An edition's path in the output folder: ``slug/slug.pdf``."""
    return f"{slug}/{slug}{EDITIONS[name].suffix}"
