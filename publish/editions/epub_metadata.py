"""The EPUB package metadata: Dublin Core, the periodical as collections, and accessibility
metadata (EPUB Accessibility 1.1) that is true of this book."""

from __future__ import annotations

import re

from ebooklib import epub

from ..document import Document
from . import notices
from .common import is_rtl
from .epub_package import meta as _meta


def book(doc: Document) -> epub.EpubBook:
    meta = doc.meta
    book = epub.EpubBook()
    book.set_identifier(meta.identifier)
    # A retracted or withdrawn article says so in the reading system's library too.
    book.set_title(notices.marked_title(doc, meta.title.text))
    book.set_language(meta.lang)
    if is_rtl(meta.lang):
        book.set_direction("rtl")
    if meta.doi:
        # ONIX code list 5, value 06: the identifier is a DOI.
        _meta(book, "identifier-type", "06", refines="#id", scheme="onix:codelist5")
    for i, author in enumerate(meta.authors, start=1):
        # Not add_author(file_as=...): EbookLib 0.20 gives file-as the MARC relators
        # scheme, which belongs to the role alone.
        book.add_author(author.name.text, role="aut", uid=f"creator{i}")
        _meta(book, "file-as", author.file_as, refines=f"#creator{i}")
    dc = {
        "date": meta.date,
        "publisher": meta.publisher and meta.publisher.text,
        "description": meta.abstract and meta.abstract.text,
        "rights": meta.rights_text,
    }
    for name, value in dc.items():
        if value:
            book.add_metadata("DC", name, value)
    for keyword in meta.keywords:
        book.add_metadata("DC", "subject", keyword)
    _collections(book, doc)
    _accessibility(book, doc)
    return book


def _collections(book: epub.EpubBook, doc: Document) -> None:
    """The periodical as a series; its volume and issue as a set within it."""
    meta = doc.meta
    if not meta.publication:
        return
    _meta(book, "belongs-to-collection", meta.publication.text, id="publication")
    _meta(book, "collection-type", "series", refines="#publication")
    if meta.volume or meta.issue:
        label = ", ".join(meta.publication_line[:3])
        _meta(book, "belongs-to-collection", label, id="issue")
        _meta(book, "collection-type", "set", refines="#issue")
        if meta.issue and meta.issue.isdigit():
            _meta(book, "group-position", meta.issue, refines="#issue")


IMG_RE = re.compile(r"<img\b[^>]*>")
ALT_RE = re.compile(r'\salt="([^"]*)"')


def _accessibility(book: epub.EpubBook, doc: Document) -> None:
    images = list(doc.resources.values())
    # Every use of an image counts, not each file once: the same picture may be
    # described in one place and not in another.
    alts = [
        ALT_RE.search(tag)
        for fragment in (doc.body, *(n.html for n in doc.notes))
        for tag in IMG_RE.findall(fragment)
    ]
    described = (
        bool(images)
        and all(r.alt.strip() for r in images)
        and all(a is not None and a.group(1).strip() for a in alts)
    )
    modes = ["textual", "visual"] if images else ["textual"]
    for mode in modes:
        _meta(book, "schema:accessMode", mode)
    _meta(
        book,
        "schema:accessModeSufficient",
        "textual" if (described or not images) else "textual,visual",
    )
    features = [
        "structuralNavigation",
        "tableOfContents",
        "readingOrder",
        "displayTransformability",
    ]
    if described:
        features.append("alternativeText")
    for feature in features:
        _meta(book, "schema:accessibilityFeature", feature)
    _meta(book, "schema:accessibilityHazard", "none")
    summary = (
        "This publication meets WCAG 2.2 Level AA. It has a table of contents, "
        "headings for its sections, notes linked to and from the text, and no "
        "fixed font sizes or colours, so the reader's settings apply."
    )
    if images:
        summary += (
            " Every image has a text description."
            if described
            else " Some images have no text description."
        )
    _meta(book, "schema:accessibilitySummary", summary)
    if described or not images:
        _meta(book, "dcterms:conformsTo", "EPUB Accessibility 1.1 - WCAG 2.2 Level AA")
