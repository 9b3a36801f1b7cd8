"""What an article's editions show of its pages in its printed issue (``Options.pages``,
which the issue's build sets): its pages in the title block, the page-break markers'
style on the web page, page-list, ``pageBreakSource`` and citation in its EPUB, folios
and page labels from its first issue page in its PDF.

The editions call these only when ``Options.pages`` is set, so an article built on its
own is exactly what it was before. (Where the markers go in the text is the issue's
business: ``periodical/pages.py``.)
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from ..options import Pagination
from .common import is_rtl

if TYPE_CHECKING:
    from ebooklib.epub import EpubBook


def page_range(first: int, last: int) -> str:
    """ "5–8", or "5" for an article on one page."""
    return str(first) if first == last else f"{first}–{last}"


def pages_label(first: int, last: int) -> str:
    return f"Page {first}" if first == last else f"Pages {first}–{last}"


def title_context(label: str | None = None, lang: str | None = None) -> dict[str, str]:
    """What the title block's publication line (``shared/title_block.html.j2``) shows of
    the issue: the article's pages at its end (``issue_pages``), and, with ``lang`` (the
    issue's, when the article is in another language), the publication's name marked as
    being in that language and direction. The article's own PDF and its pages in the
    issue PDF carry the same line, so that both break their pages at the same words."""
    context = {"issue_pages": label} if label else {}
    if lang is not None:
        context["publication_lang"] = lang
        context["publication_dir"] = "rtl" if is_rtl(lang) else "ltr"
    return context


def title_context_of(pages: Pagination | None) -> dict[str, str]:
    """``title_context`` of an article built with its issue's pages (none on its own)."""
    if pages is None:
        return {}
    return title_context(pages_label(pages.first, pages.last), pages.lang)


# The EPUB edition.


def page_list(pages: list[tuple[int, str]]) -> str:
    """The nav's page-list: (folio, document) of every printed page."""
    items = "\n".join(f'<li><a href="{doc}#page-{n}">{n}</a></li>' for n, doc in pages)
    return (
        '<nav epub:type="page-list" id="page-list" role="doc-pagelist" '
        'aria-labelledby="page-list-heading" hidden="hidden">\n'
        f'<h2 id="page-list-heading">Pages</h2>\n<ol>\n{items}\n</ol>\n</nav>\n'
    )


def epub_metadata(book: EpubBook, pages: Pagination) -> None:
    """The print source of the page numbers, the pages, and the features they give."""

    def meta(prop: str, value: str) -> None:
        book.add_metadata(None, "meta", value, {"property": prop})

    # dc:source names the print edition the page-list follows (EPUB Accessibility's
    # pageBreakSource; EPUBCheck 5.3 does not know the a11y: property yet).
    print_source(book, pages.source)
    meta("dcterms:bibliographicCitation", pages.citation)
    meta("schema:accessibilityFeature", "pageBreakMarkers")
    meta("schema:accessibilityFeature", "pageNavigation")
    meta("schema:accessibilityFeature", "printPageNumbers")


def print_source(book: EpubBook, source: str) -> None:
    """``dc:source`` refined as the source of the pagination, as EPUB 3 and Ace want."""
    book.add_metadata("DC", "source", source, {"id": "print-source"})
    book.add_metadata(
        None, "meta", "pagination", {"property": "source-of", "refines": "#print-source"}
    )


# The PDF edition.


def pdf_labels(pdf: bytes, pages: Pagination) -> bytes:
    return with_page_labels(pdf, pages.first)


def with_page_labels(pdf_bytes: bytes, first: int) -> bytes:
    """The PDF with page labels that are its printed folios, from ``first`` on."""
    import pikepdf  # here: the web and EPUB editions read this module too

    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        style = pikepdf.Dictionary(S=pikepdf.Name.D)
        if first != 1:
            style.St = first
        pdf.Root.PageLabels = pdf.make_indirect(pikepdf.Dictionary(Nums=pikepdf.Array([0, style])))
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
        return out.getvalue()
