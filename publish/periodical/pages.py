"""Where an article's printed pages begin in its text (page-break markers), and the
issue EPUB's page-list. What the article's own editions show of its pages is theirs:
``editions/paging.py``."""

from __future__ import annotations

from dataclasses import replace

from ..document import Document, Metadata
from .blocks import Break, insert_breaks


def marker(page: int, epub: bool = False) -> str:
    """An empty, named page-break marker. In the EPUB the name is ``aria-label`` (what
    Ace asks for); on the web page it is ``title``: axe-core 4 looks up a ``doc-*`` role
    without its DPUB flag, takes the span for a generic element and fails any
    ``aria-label`` on it (aria-prohibited-attr), while a title names it the same way."""
    if epub:
        return (
            f'<span class="pagebreak" role="doc-pagebreak" id="page-{page}" '
            f'epub:type="pagebreak" aria-label="{page}"></span>'
        )
    return f'<span class="pagebreak" role="doc-pagebreak" id="page-{page}" title="{page}"></span>'


def with_breaks(doc: Document, breaks: list[Break], epub: bool = False) -> Document:
    """The article with a page-break marker where each of its printed pages begins."""
    return replace(doc, body=insert_breaks(doc.body, breaks, lambda p: marker(p, epub)))


def publication_lang(meta: Metadata, issue_lang: str, publication: str) -> str | None:
    """The issue's language, for an article in another whose publication is the issue's;
    else None (nothing to mark)."""
    same = meta.publication is not None and meta.publication.text == publication
    return issue_lang if same and meta.lang != issue_lang else None
