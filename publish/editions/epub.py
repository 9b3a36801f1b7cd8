"""The e-reader edition: EPUB 3.3 through EbookLib, with pop-up footnotes and the
metadata of EPUB Accessibility 1.1. EbookLib writes the package; we own the markup."""

from __future__ import annotations

from typing import Any

from ..document import IDS, Document
from ..images import with_sized_images
from ..labels import Labels, labels_for
from ..options import Options
from ..templates import asset, environment
from ..xhtml import to_xhtml
from . import epub_metadata, notices, paging
from . import epub_package as package
from .code import line_spans
from .common import build_time, byline, is_rtl, note_direction, with_backlink
from .paging import title_context_of
from .scholarly import bibliography_semantics, correspondence_label
from .tables import readable_tables


def render(doc: Document, options: Options) -> bytes:
    env = environment("epub", options.templates)
    images = {
        src: package.image_name(f"images/{i:03d}-", r, options.max_image_px)
        for i, (src, r) in enumerate(doc.resources.items(), start=1)
    }
    context = article_context(
        doc, images, options.max_image_px, title_context_of(options.pages), options
    )
    labels = context["labels"]
    toc = toc_entries(doc, labels)
    book = epub_metadata.book(doc)
    article = package.xhtml(
        "article", "article.xhtml", env.get_template("article.xhtml.j2").render(**context)
    )
    # EPUB 3.3: a document with MathML or inline SVG (the ORCID iD mark) says so.
    text = article.content.decode("utf-8")
    article.properties = [p for p, tag in (("mathml", "<math"), ("svg", "<svg")) if tag in text]
    if options.pages is not None:  # every printed page, in the nav's page-list
        folios = range(options.pages.first, options.pages.last + 1)
        context["page_list"] = paging.page_list([(n, "article.xhtml") for n in folios])
        paging.epub_metadata(book, options.pages)
    nav = package.xhtml(
        "nav", "nav.xhtml", env.get_template("nav.xhtml.j2").render(toc=toc, **context)
    )
    nav.properties = ["nav"]
    ncx = package.ncx(env.get_template("toc.ncx.j2").render(flat_toc=flatten(toc), **context))
    for item in (article, nav, ncx):
        book.add_item(item)
    css = asset("epub", "style.css", options.templates)
    if context["updates"]:  # only then: other books keep their bytes
        css += "\n" + asset("epub", "updates.css", options.templates)
    package.add_style(book, css, article.content.decode())
    for src, name in images.items():
        uid = f"img{len(book.items)}"
        book.add_item(package.image(uid, name, doc.resources[src], options.max_image_px))
    book.spine = [article]
    return package.package(book, build_time(doc.meta))


def article_context(
    doc: Document,
    images: dict[str, str],
    max_px: int,
    title: dict[str, str] | None = None,
    options: Options | None = None,
) -> dict[str, Any]:
    """What ``article.xhtml.j2`` is rendered with: the text with its note calls, tables,
    code and bibliography made ready for reading systems, and the notes with their
    back-links. ``images``: each image's address in the text → its name in the EPUB.
    ``title``: what the title block shows of an issue (``paging.title_context``).
    The issue EPUB renders each of its articles from this too. ``options``: where the
    notice box links (``notices.shown``)."""
    body = doc.with_noterefs(
        _relink_images(doc, to_xhtml(readable_tables(line_spans(doc.body))), images, max_px),
        _call,
    )
    body = bibliography_semantics(body)
    labels = labels_for(doc.meta.lang)
    notes = [
        {
            "number": n.number,
            "dir": note_direction(n.html, doc.meta.lang),
            "html": with_backlink(
                _relink_images(doc, to_xhtml(n.html), images, max_px),
                f'<a href="#{IDS.noteref(n.number)}" role="doc-backlink">'
                f"{labels.back_to_note.format(n=n.number)}</a>",
            ),
        }
        for n in doc.notes
    ]
    return {
        "meta": doc.meta,
        "byline": byline(doc.meta),
        "labels": labels,
        "correspondence": correspondence_label(doc.meta.lang),
        "rtl": is_rtl(doc.meta.lang),
        "body": body,
        "notes": notes,
        "bibliography": 'id="bibliography"' in body,
        "updates": notices.shown(doc, options or Options(), "epub"),
        **(title or {}),
    }


def _call(n: int) -> str:
    return (
        f'<a href="#{IDS.note(n)}" id="{IDS.noteref(n)}" class="noteref" epub:type="noteref" '
        f'role="doc-noteref">{n}</a>'
    )


def toc_entries(doc: Document, labels: Labels) -> list[dict[str, Any]]:
    """The title, then the text's sections (two levels), then the notes."""
    title = notices.marked_title(doc, doc.meta.title.text)  # "Retracted: …"
    toc: list[dict[str, Any]] = [{"href": "article.xhtml", "label": title, "children": []}]
    for heading in doc.headings:
        if heading.level > 3:
            continue
        entry = {
            "href": f"article.xhtml#{heading.id}",
            "label": heading.text,
            "children": [],
        }
        if heading.level == 3 and toc[-1]["children"] is not None and len(toc) > 1:
            toc[-1]["children"].append(entry)
        else:
            toc.append(entry)
    noted = [a for a in doc.meta.authors if a.note]
    if noted:
        toc.append(
            {
                "href": f"article.xhtml#{IDS.about_author_heading}",
                # As the heading itself says it (shared/about_authors.html.j2).
                "label": labels.about_authors if len(noted) > 1 else labels.about_author,
                "children": [],
            }
        )
    if doc.notes:
        toc.append(
            {"href": f"article.xhtml#{IDS.notes_heading}", "label": labels.notes, "children": []}
        )
    return toc


def flatten(toc: list[dict[str, object]]) -> list[dict[str, object]]:
    flat = []
    for entry in toc:
        flat.append(entry)
        flat.extend(flatten(entry["children"]))  # type: ignore[arg-type]
    return flat


def _relink_images(doc: Document, fragment: str, images: dict[str, str], max_px: int) -> str:
    return with_sized_images(doc, fragment, lambda r, _: images[r.src], "screen", max_px)
