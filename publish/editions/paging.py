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
import re
from typing import TYPE_CHECKING

import pikepdf

from ..options import Pagination
from .common import is_rtl

if TYPE_CHECKING:
    from ebooklib.epub import EpubBook


def page_range(first: int, last: int) -> str:
    """ "5–8", or "5" for an article on one page."""
    return str(first) if first == last else f"{first}–{last}"


PUBLICATION_LINE_RE = re.compile(r'(<p class="publication-line">.*?)(</p>)', re.S)


def pages_label(first: int, last: int) -> str:
    return f"Page {first}" if first == last else f"Pages {first}–{last}"


def with_pages_line(page: str, label: str, lang: str | None = None) -> str:
    """The title block's publication line with the article's pages at its end. The
    article's own PDF and its pages in the issue PDF carry the same line, so that both
    break their pages at the same words. With ``lang`` (the issue's, when the article
    is in another language) the publication's name says its language and direction."""
    addition = f'<span class="sep" aria-hidden="true"> · </span><span class="pages">{label}</span>'
    page = PUBLICATION_LINE_RE.sub(lambda m: m.group(1) + addition + m.group(2), page, count=1)
    return with_publication_lang(page, lang)


def with_publication_lang(page: str, lang: str | None) -> str:
    """The publication's name (the publication line's first part) marked as being in
    ``lang``, with its direction; the page unchanged when ``lang`` is None."""
    if lang is None:
        return page
    direction = "rtl" if is_rtl(lang) else "ltr"
    return page.replace(
        '<p class="publication-line"><span>',
        f'<p class="publication-line"><span lang="{lang}" dir="{direction}">',
        1,
    )


# The HTML edition.


def html_page(page: str, pages: Pagination) -> str:
    """The pages in the title block. (The markers' style is ``html/page-markers.css``,
    which the template takes in; the Highwire ``citation_firstpage`` tags and JSON-LD
    ``pageStart`` come from the metadata's ``firstpage``/``lastpage``, which the issue's
    build sets.)"""
    return with_pages_line(page, pages_label(pages.first, pages.last), pages.lang)


# The EPUB edition.


def page_list(pages: list[tuple[int, str]]) -> str:
    """The nav's page-list: (folio, document) of every printed page."""
    items = "\n".join(f'<li><a href="{doc}#page-{n}">{n}</a></li>' for n, doc in pages)
    return (
        '<nav epub:type="page-list" id="page-list" role="doc-pagelist" '
        'aria-labelledby="page-list-heading" hidden="hidden">\n'
        f'<h2 id="page-list-heading">Pages</h2>\n<ol>\n{items}\n</ol>\n</nav>\n'
    )


def with_page_list(nav: bytes, pages: list[tuple[int, str]]) -> bytes:
    text = nav.decode("utf-8")
    return text.replace("</body>", page_list(pages) + "</body>", 1).encode("utf-8")


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


def print_html(page: str, pages: Pagination) -> str:
    """The article's pages in its title block, as in the issue. (Its folios from its
    first page in the issue are the template's: ``first_folio``.)"""
    return with_pages_line(page, pages_label(pages.first, pages.last), pages.lang)


def epub_article(article: bytes, pages: Pagination) -> bytes:
    text = article.decode("utf-8")
    return with_pages_line(text, pages_label(pages.first, pages.last), pages.lang).encode("utf-8")


def pdf_labels(pdf: bytes, pages: Pagination) -> bytes:
    return with_page_labels(pdf, pages.first)


def with_page_labels(pdf_bytes: bytes, first: int) -> bytes:
    """The PDF with page labels that are its printed folios, from ``first`` on."""
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        style = pikepdf.Dictionary(S=pikepdf.Name.D)
        if first != 1:
            style.St = first
        pdf.Root.PageLabels = pdf.make_indirect(pikepdf.Dictionary(Nums=pikepdf.Array([0, style])))
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
        return out.getvalue()
