"""The print edition: WeasyPrint lays out HTML with each note at its call, so that it
falls to the foot of the page where it is called (CSS ``float: footnote``)."""

from __future__ import annotations

import html
import multiprocessing.util
import shutil
from functools import lru_cache
from pathlib import Path
from typing import Any

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from ..compat import weasyprint_artifacts, weasyprint_footnotes
from ..compat.weasyprint_internals import font_folder
from ..compat.weasyprint_lang import keep_lang_in_tags
from ..document import IDS, Document
from ..fonts import pdf_font_css
from ..labels import labels_for
from ..options import Options
from ..templates import ASSETS, asset, environment
from . import notices
from .code import drawn_line_numbers, line_spans
from .common import build_time, byline, is_rtl, note_direction
from .fetch import BoundedFetcher
from .html import inline_images
from .paging import title_context_of
from .pdf_figures import lay_out
from .pdf_math import draw_formulas, tag_formulas
from .pdf_notes import clean_bookmarks, overflowing_notes, tight
from .pdf_write import VARIANT, pdf_identifier, refuse, write
from .scholarly import correspondence_label, with_xmp
from .tables import readable_tables

PAPER = {"a4": "A4", "letter": "letter"}


def html_for_print(
    doc: Document,
    options: Options,
    css: str | None = None,
    at_end: frozenset[int] = frozenset(),
    title: dict[str, str] | None = None,
) -> str:
    """The HTML handed to WeasyPrint (also what the golden tests compare), with the house
    style in its <style> element unless ``css`` says otherwise. ``at_end``: notes too long
    for a page, set after the text instead of at the foot of a page (see ``render``).
    ``title``: what the title block shows of an issue (``paging.title_context``), by
    default that of ``options.pages``."""
    notes = {n.number: tight(n.inline_html) if n.inline_html else n.html for n in doc.notes}

    directions = {n.number: note_direction(n.html, doc.meta.lang) for n in doc.notes}

    def call(n: int) -> str:
        note, ref = IDS.note(n), IDS.noteref(n)
        own = f' dir="{directions[n]}"' if directions[n] else ""
        if n in at_end:
            return f'<a class="noteref" id="{ref}" href="#{note}">{n}</a>'
        return (
            f'<a class="noteref" id="{ref}" href="#{note}">{n}</a>'
            f'<span class="footnote" id="{note}"{own}><a class="note-number" href="#{ref}">'
            f"{n}.</a> {printable(notes[n])}</span>"
        )

    def end_notes() -> str:
        if not at_end:
            return ""
        items = "".join(
            f'<div class="endnote" id="{IDS.note(n)}"'
            + (f' dir="{directions[n]}"' if directions[n] else "")
            + f'><a class="note-number" href="#{IDS.noteref(n)}">{n}.</a> '
            + f"{printable(notes[n])}</div>"
            for n in sorted(at_end)
        )
        return (
            f'<section class="endnotes" role="doc-endnotes"><h2>{labels_for(doc.meta.lang).notes}'
            f"</h2>{items}</section>"
        )

    def printable(fragment: str) -> str:
        # Formulas drawn (pdf_math), images sized for print (publish.images).
        return inline_images(doc, draw_formulas(fragment), "print")

    # Code rows and drawn line numbers, readable table headers (issue 11).
    body = readable_tables(drawn_line_numbers(line_spans(doc.body)))
    meta = doc.meta
    updates = notices.shown(doc, options, "pdf")
    return (
        environment("pdf", options.templates)
        .get_template("article.html.j2")
        .render(
            meta=meta,
            byline=byline(meta),
            labels=labels_for(meta.lang),
            correspondence=correspondence_label(meta.lang),
            rtl=is_rtl(meta.lang),
            # Images as data: URIs, not file paths: WeasyPrint names each image in the
            # PDF after its URL, which would put the source folder into the bytes.
            body=clean_bookmarks(doc.with_noterefs(printable(body), call)) + end_notes(),
            css=print_css(options) if css is None else css,
            paper=PAPER[options.paper],
            paper_name=options.paper,
            subject=meta.abstract.text if meta.abstract else ", ".join(meta.publication_line),
            created=build_time(meta).strftime("%Y-%m-%dT%H:%M:%SZ"),
            short_title=(
                meta.short_title.text if meta.short_title else short_title(meta.title.text)
            ),
            running_left=" · ".join(meta.publication_line[:3]),
            # In an issue the folios run from the article's first page there; the first
            # page has its folio too, as in the issue, where it is not page 1.
            first_folio=options.pages.first if options.pages else None,
            # Notices and versions (issue 23); the page mark of a retracted article.
            updates=updates,
            updates_css=updates_css(updates, options),
            **(title_context_of(options.pages) if title is None else title),
        )
    )


def updates_css(updates: dict[str, Any], options: Options) -> str:
    """The style of the notice box and versions, and of a marked article's page mark
    (``pdf/mark-retracted.css``, ``pdf/mark-concern.css``); none without updates."""
    if not updates:
        return ""
    parts = [asset("pdf", "updates.css", options.templates)]
    if updates.get("mark"):
        parts.append(asset("pdf", f"mark-{updates['mark_kind']}.css", options.templates))
    return "\n".join(parts)


def print_css(options: Options) -> str:
    """The shipped fonts, the house style, the paper's margins and, if asked, crop marks;
    and the multi-column fallback when WeasyPrint's footnote placement cannot be fixed."""
    mine = options.templates
    parts = [
        pdf_font_css(),
        asset("pdf", "print.css", mine),
        asset("pdf", f"paper-{options.paper}.css", mine),
    ]
    if not weasyprint_footnotes.apply():
        parts.append(asset("pdf", "print-columns.css", mine))
    if options.print_marks:
        parts.append(asset("pdf", "print-marks.css", mine))
    return "\n".join(parts)


def prepare() -> None:
    """Install the WeasyPrint fixes this edition relies on, once per process: called
    before worker processes are forked, so that they inherit them and a warning about
    a fix that cannot be applied is given once per build, not once per worker."""
    weasyprint_footnotes.apply()
    weasyprint_artifacts.apply()


def render(doc: Document, options: Options) -> bytes:
    house, fonts = house_style(
        options.paper,
        options.print_marks,
        options.templates,
        weasyprint_footnotes.apply(),
        print_css(options),
    )
    page = html_for_print(doc, options, css="")
    fetcher = BoundedFetcher([doc.folder, ASSETS, *filter(None, [options.templates])])
    keep_lang_in_tags()
    # The same house style and fonts on every pass, so that the bytes are those of a
    # single render with them.
    render_options = {
        "stylesheets": [house],
        "pdf_variant": VARIANT,
        "pdf_identifier": pdf_identifier(doc.meta.identifier),
    }

    def laid_out(page: str) -> Any:
        return lay_out(  # figures moved to fill the gaps they leave (pdf_figures.py)
            page,
            lambda text: HTML(string=text, base_url=str(doc.folder) + "/", url_fetcher=fetcher),
            fonts,
            **render_options,
        )

    def settled() -> Any:
        laid = laid_out(page)
        # WeasyPrint cannot continue a note on the next page: a note longer than a page
        # ran off its top, its first lines lost. Such notes are set after the text.
        too_long = overflowing_notes(laid)
        if not too_long:
            return laid
        return laid_out(html_for_print(doc, options, css="", at_end=too_long))

    pdf = write(settled, doc.meta.identifier, stylesheets=[house])
    pdf = with_xmp(pdf, doc.meta)
    pdf = tag_formulas(pdf)
    if options.pages is not None:
        from .paging import pdf_labels

        pdf = pdf_labels(pdf, options.pages)
    refuse(
        fetcher.refused,
        doc.source,
        ": a build reads only files in the manuscript's folder and the templates folder",
    )
    return pdf


@lru_cache(maxsize=8)
def house_style(
    paper: str,
    print_marks: bool,
    templates: Path | None,
    notes_fixed: bool,
    text: str | None = None,
) -> tuple[CSS, FontConfiguration]:
    """The house style parsed once per process, with the fonts it loads: parsing it and
    loading the faces cost about 0.1 s an article. Keyed by what changes the CSS (the
    footnote fix decides whether the column fallback is in it), and by the stylesheet's
    text itself (``print_css``, a few file reads): a templates folder's stylesheet
    edited while ``publish serve`` runs is a new house style, not the cached one.
    WeasyPrint documents reusing both across documents; the PDFs are byte-identical to
    parsing them anew."""
    options = Options(paper=paper, print_marks=print_marks, templates=templates)
    fonts = FontConfiguration()
    fetcher = BoundedFetcher([ASSETS, *filter(None, [templates])])
    css = CSS(
        string=print_css(options) if text is None else text,
        base_url=str(ASSETS) + "/",
        url_fetcher=fetcher,
        font_config=fonts,
    )
    if fetcher.refused:  # our own stylesheet: a broken installation
        raise RuntimeError(f"the print stylesheet reads {fetcher.refused[0][0]}")
    folder = font_folder(fonts)
    if folder is not None:
        # WeasyPrint copies the faces into a temporary folder that it removes when the
        # FontConfiguration is collected, which never happens in a worker process (it
        # leaves with os._exit); multiprocessing runs these finalizers on the way out.
        multiprocessing.util.Finalize(
            fonts, shutil.rmtree, args=(folder,), kwargs={"ignore_errors": True}, exitpriority=1
        )
    return css, fonts


def short_title(title: str, limit: int = 60) -> str:
    """The title cut at a word to ``limit`` characters, for a running head."""
    title = html.unescape(title)
    return title if len(title) <= limit else title[: title.rfind(" ", 0, limit)] + "…"
