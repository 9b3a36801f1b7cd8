"""The archival HTML edition: one self-contained page, endnotes with back-links."""

from __future__ import annotations

from ..document import IDS, Document
from ..fonts import embed_fonts
from ..images import SCREEN_MAX_PX, data_uri, with_sized_images
from ..labels import labels_for
from ..options import Options
from ..templates import asset, environment
from . import notices, notices_ld
from .code import line_spans
from .common import byline, dublin_core, is_rtl, json_ld, note_direction, with_backlink
from .paging import title_context_of
from .scholarly import correspondence_label, highwire
from .tables import readable_tables


def render(doc: Document, options: Options) -> bytes:
    def call(n: int) -> str:
        return (
            f'<a href="#{IDS.note(n)}" id="{IDS.noteref(n)}" class="noteref" '
            f'role="doc-noteref"><sup>{n}</sup></a>'
        )

    labels = labels_for(doc.meta.lang)
    updates = notices.shown(doc, options, "html")
    body = readable_tables(line_spans(doc.body), scroll=True)  # code rows, table headers
    notes = [
        {
            "number": note.number,
            "dir": note_direction(note.html, doc.meta.lang),
            "html": with_backlink(
                inline_images(doc, note.html, max_px=options.max_image_px),
                f'<a href="#{IDS.noteref(note.number)}" role="doc-backlink" '
                f'aria-label="{labels.back_to_note.format(n=note.number)}">↑</a>',
            ),
        }
        for note in doc.notes
    ]
    page = (
        environment("html", options.templates)
        .get_template("article.html.j2")
        .render(
            meta=doc.meta,
            byline=byline(doc.meta),
            labels=labels,
            rtl=is_rtl(doc.meta.lang),
            body=doc.with_noterefs(inline_images(doc, body, max_px=options.max_image_px), call),
            notes=notes,
            css=asset("html", "style.css", options.templates),
            jsonld=json_ld(doc),
            dublin_core=dublin_core(doc.meta),
            highwire=highwire(doc, with_pdf="pdf" in options.formats),
            correspondence=correspondence_label(doc.meta.lang),
            # In an issue: where each printed page begins is marked in the text; the
            # markers' style is a stylesheet of its own, overridable like the others.
            page_css=asset("html", "page-markers.css", options.templates) if options.pages else "",
            # Notices and versions (issue 23): their box, links and style only where
            # there are some, so that other pages keep their bytes.
            updates=updates,
            links=notices_ld.head_links(doc),
            updates_css=asset("html", "updates.css", options.templates) if updates else "",
            **title_context_of(options.pages),
        )
    )
    return embed_fonts(page).encode("utf-8")


def inline_images(
    doc: Document, fragment: str, edition: str = "screen", max_px: int = SCREEN_MAX_PX
) -> str:
    """Images as data: URIs, so that the page needs no other file; each sized for the
    edition by publish.images (screen: HTML; print: the PDF)."""
    return with_sized_images(doc, fragment, data_uri, edition, max_px)
