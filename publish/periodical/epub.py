"""The issue as an EPUB: a title page, a contents document and one spine document per
article (so ids never collide between articles, and each article's notes stay its own),
with a nav of the articles and their headings and a page-list from the print issue."""

from __future__ import annotations

import html
from typing import Any

from ebooklib import epub

from ..document import Document, Resource
from ..editions import epub_package as package
from ..editions import notices
from ..editions import paging as edition_pages
from ..editions.common import is_rtl
from ..editions.epub import article_context, flatten, toc_entries
from ..labels import labels_for
from ..options import Options
from ..templates import asset, environment
from . import pages as paging
from .articles import names
from .blocks import END, Break
from .layout import Pages
from .pdf import article_anchor, build_time_of, prefixed
from .schema import Issue


def article_file(index: int) -> str:
    return f"article-{index + 1}.xhtml"


def render(issue: Issue, docs: list[Document], laid: Pages, options: Options) -> bytes:
    env = environment("issue", options.templates)
    article_env = environment("epub", options.templates)
    labels = labels_for(issue.lang)
    book = _book(issue, docs)
    folio_doc: dict[int, str] = {}
    front_pages = range(1, laid.articles[0].first) if laid.articles else range(0)
    cover_name = None
    if issue.cover is not None:
        cover_name = f"images/cover{issue.cover.suffix.lower()}"
    rtl = is_rtl(issue.lang)
    title = env.get_template("title.xhtml.j2").render(
        issue=issue,
        rtl=rtl,
        cover=cover_name,
        markers=paging.marker(1, epub=True) if 1 in front_pages else "",
    )
    contents_markers = "".join(paging.marker(n, epub=True) for n in front_pages if n != 1)
    for n in front_pages:
        folio_doc[n] = "title.xhtml" if n == 1 else "contents.xhtml"
    documents: list[epub.EpubItem] = []
    toc: list[dict[str, object]] = []
    entries: list[dict[str, object]] = []
    images: list[tuple[str, Resource]] = []
    updated = False  # an article with a notice box or versions (issue 23)
    for i, (doc, placement) in enumerate(zip(docs, laid.articles, strict=True)):
        name = article_file(i)
        breaks = list(placement.breaks)
        breaks += [Break(n, END) for n, owner in sorted(laid.trailing.items()) if owner == i]
        for brk in breaks:
            folio_doc[brk.page] = name
        marked = paging.with_breaks(doc, breaks, epub=True)
        srcs = {
            src: package.image_name(f"images/a{i + 1}-{j:03d}-", r, options.max_image_px)
            for j, (src, r) in enumerate(doc.resources.items(), start=1)
        }
        images += [(path, doc.resources[src]) for src, path in srcs.items()]
        other = paging.publication_lang(doc.meta, issue.lang, issue.publication)
        shown = edition_pages.title_context(lang=other)
        context = article_context(marked, srcs, options.max_image_px, shown, options)
        updated = updated or bool(context["updates"])
        alabels = context["labels"]
        text = article_env.get_template("article.xhtml.j2").render(**context)
        # Ids prefixed as in the issue PDF: never shared between articles, and the
        # same note ids in both editions of the issue. Page markers keep theirs.
        prefix = article_anchor(i)
        text = prefixed(text, prefix, keep="page-")
        document = package.xhtml(f"article{i + 1}", name, text)
        if "<math" in text:
            document.properties = ["mathml"]  # EPUB 3.3: a document with MathML says so
        documents.append(document)
        headings = toc_entries(doc, alabels)
        for entry in headings:
            _rehref(entry, name, prefix)
        authors = ", ".join(a.name.text for a in doc.meta.authors)
        title_text = notices.marked_title(doc, doc.meta.title.text)  # "Retracted: …"
        label = f"{title_text} — {authors}" if authors else title_text
        toc.append(
            {
                "href": name,
                "label": label,
                "children": headings[1:],
                "lang": doc.meta.lang,
                "rtl": is_rtl(doc.meta.lang),
            }
        )
        pages = edition_pages.page_range(placement.first, placement.last)
        entries.append(
            {
                "href": name,
                "title": notices.marked_title(doc, doc.meta.title.html, markup=True),
                "byline": names(doc.meta),
                "pages": pages,
                "lang": doc.meta.lang,
                "rtl": is_rtl(doc.meta.lang),
            }
        )
    contents = env.get_template("contents.xhtml.j2").render(
        issue=issue, rtl=rtl, labels=labels, entries=entries, markers=contents_markers
    )
    page_list = edition_pages.page_list(sorted(folio_doc.items()))
    nav = package.xhtml(
        "nav",
        "nav.xhtml",
        env.get_template("nav.xhtml.j2").render(
            issue=issue,
            rtl=rtl,
            labels=labels,
            toc=[{"href": "contents.xhtml", "label": labels.contents, "children": []}, *toc],
            page_list=page_list,
            first_article=article_file(0),
            first_title=docs[0].meta.title.text,
        ),
    )
    nav.properties = ["nav"]
    ncx = package.ncx(env.get_template("toc.ncx.j2").render(issue=issue, flat_toc=flatten(toc)))
    front = [
        package.xhtml("title", "title.xhtml", title),
        package.xhtml("contents", "contents.xhtml", contents),
    ]
    for item in [*front, *documents, nav, ncx]:
        book.add_item(item)
    css = asset("epub", "style.css", options.templates) + asset(
        "issue", "epub.css", options.templates
    )
    if updated:
        css += "\n" + asset("epub", "updates.css", options.templates)
    package.add_style(
        book, css, "".join(item.content.decode("utf-8") for item in [*front, *documents])
    )
    image = issue.cover_image
    if image is not None and cover_name is not None:
        cover = package.image("cover-image", cover_name, image, options.max_image_px)
        cover.properties = ["cover-image"]
        book.add_item(cover)
    for j, (path, resource) in enumerate(images, start=1):
        book.add_item(package.image(f"img{j}", path, resource, options.max_image_px))
    book.spine = [*front, *documents]
    return package.package(book, build_time_of(issue))


def _rehref(entry: dict[str, Any], name: str, prefix: str) -> None:
    _, _, fragment = str(entry["href"]).partition("#")
    entry["href"] = f"{name}#{prefix}-{fragment}" if fragment else name
    for child in entry["children"]:
        _rehref(child, name, prefix)


def _book(issue: Issue, docs: list[Document]) -> epub.EpubBook:
    book = epub.EpubBook()
    book.set_identifier(issue.identifier)
    book.set_title(issue.label)
    if issue.title:
        book.add_metadata("DC", "description", issue.title)
    book.set_language(issue.lang)
    if is_rtl(issue.lang):
        book.set_direction("rtl")
    for i, editor in enumerate(issue.editors, start=1):
        book.add_author(editor, role="edt", uid=f"editor{i}")
    seen: list[str] = []
    for doc in docs:
        seen += [a.name.text for a in doc.meta.authors if a.name.text not in seen]
    for i, name in enumerate(seen, start=1):
        book.add_metadata("DC", "contributor", name, {"id": f"contributor{i}"})
        _meta(book, "role", "aut", refines=f"#contributor{i}", scheme="marc:relators")
    book.add_metadata("DC", "date", issue.date)
    if issue.publisher:
        book.add_metadata("DC", "publisher", issue.publisher)
    _meta(book, "belongs-to-collection", issue.publication, id="publication")
    _meta(book, "collection-type", "series", refines="#publication")
    if issue.issn:
        _meta(book, "dcterms:identifier", f"urn:issn:{issue.issn}", refines="#publication")
    if issue.volume:  # a special issue may belong to no volume
        volume = f"{issue.publication}, Volume {issue.volume}"
        _meta(book, "belongs-to-collection", volume, id="volume")
        _meta(book, "collection-type", "set", refines="#volume")
        if issue.issue.isdigit():
            _meta(book, "group-position", issue.issue, refines="#volume")
    images = [r for d in docs for r in d.resources.values()]
    described = all(r.alt.strip() for r in images)
    for mode in ["textual", "visual"] if images or issue.cover else ["textual"]:
        _meta(book, "schema:accessMode", mode)
    _meta(book, "schema:accessModeSufficient", "textual" if described else "textual,visual")
    features = [
        "structuralNavigation",
        "tableOfContents",
        "readingOrder",
        "displayTransformability",
        "pageBreakMarkers",
        "pageNavigation",
        "printPageNumbers",
    ]
    if images and described:
        features.append("alternativeText")
    for feature in features:
        _meta(book, "schema:accessibilityFeature", feature)
    _meta(book, "schema:accessibilityHazard", "none")
    _meta(
        book,
        "schema:accessibilitySummary",
        "This issue meets WCAG 2.2 Level AA. It has a table of contents, headings for its "
        "sections, notes linked to and from the text, the page numbers of the print issue, "
        "and no fixed font sizes or colours, so the reader's settings apply.",
    )
    edition_pages.print_source(book, f"{issue.label} (print), {issue.identifier}")
    if described:
        _meta(book, "dcterms:conformsTo", "EPUB Accessibility 1.1 - WCAG 2.2 Level AA")
    return book


def _meta(book: epub.EpubBook, prop: str, value: str, **extra: str) -> None:
    package.meta(book, prop, html.unescape(value), **extra)
