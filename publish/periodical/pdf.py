"""The issue in print: a cover, a contents page and the articles, laid out as one
WeasyPrint document so that folios run on across the issue and the contents page
gives the page each article really begins on."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime

from weasyprint import HTML
from weasyprint.document import Document as LaidOut
from weasyprint.text.fonts import FontConfiguration

from ..compat.weasyprint_lang import keep_lang_in_tags
from ..diagnostics import Diagnostic, ManuscriptError
from ..document import Document
from ..editions import notices
from ..editions.common import build_time, is_rtl
from ..editions.fetch import BoundedFetcher
from ..editions.paging import pages_label, title_context, with_page_labels
from ..editions.pdf import PAPER, html_for_print, print_css, short_title
from ..editions.pdf_figures import lay_out as lay_out_figures
from ..editions.pdf_math import tag_formulas
from ..editions.pdf_notes import overflowing_notes
from ..editions.pdf_write import refuse, write
from ..images import data_uri, for_print
from ..labels import labels_for
from ..options import Options
from ..templates import ASSETS, asset, environment
from . import blocks
from .articles import names, running_names
from .layout import Pages, read_back
from .pages import publication_lang
from .schema import Issue

BODY_RE = re.compile(r"<body[^>]*>(.*)</body>", re.S)
ID_RE = re.compile(r'\b(id|aria-labelledby|aria-describedby)="([^"]+)"')
HREF_RE = re.compile(r'\bhref="#([^"]+)"')


COVER_ARTICLES = 6
"""Articles a typeset cover names: as many as fit on it beside the masthead and theme."""


@dataclass
class Laid:
    pdf: bytes
    pages: Pages
    styles: list[dict[int, str]]
    """Per article, the styles its blocks were given to keep notes with their calls: its
    own PDF takes the same, so that it breaks its pages where the issue does."""


def article_anchor(index: int) -> str:
    return f"a{index + 1}"


def prefixed(fragment: str, prefix: str, keep: str | None = None) -> str:
    """``fragment`` with every id (and every reference to one) prefixed, so that the
    articles of one document never share an id; ids starting with ``keep`` stay."""

    def add(value: str) -> str:
        return value if keep and value.startswith(keep) else f"{prefix}-{value}"

    fragment = ID_RE.sub(lambda m: f'{m.group(1)}="{add(m.group(2))}"', fragment)
    return HREF_RE.sub(lambda m: f'href="#{add(m.group(1))}"', fragment)


def issue_html(
    issue: Issue,
    docs: list[Document],
    options: Options,
    ranges: list[tuple[int, int]] | None = None,
    styles: list[dict[int, str]] | None = None,
    at_end: list[frozenset[int]] | None = None,
) -> str:
    """The whole issue as one HTML document; ``ranges`` are the articles' pages from an
    earlier layout (placeholders in a first one); ``at_end``, per article, its notes too
    long for a page, set after its text as its own PDF sets them."""
    env = environment("issue", options.templates)
    labels = labels_for(issue.lang)
    sections, entries = [], []
    for i, doc in enumerate(docs):
        anchor = article_anchor(i)
        meta = doc.meta
        # The article as its own PDF sets it, so that both break their pages alike;
        # its blocks numbered, to find in the layout where each page begins.
        own = blocks.number(blocks.styled(doc.body, styles[i] if styles else {}))
        long_notes = at_end[i] if at_end else frozenset()
        first, last = ranges[i] if ranges else (0, 0)
        other = publication_lang(meta, issue.lang, issue.publication)
        title = title_context(pages_label(first, last), other)
        whole = BODY_RE.search(
            html_for_print(replace(doc, body=own), options, at_end=long_notes, title=title)
        )
        assert whole is not None  # the print template is a whole HTML document
        section = whole.group(1)
        if meta.lang != issue.lang:
            # A note is set apart from its article, in the page's note area: it says
            # its language itself when the article's is not the issue's.
            section = section.replace(
                '<span class="footnote" ', f'<span class="footnote" lang="{meta.lang}" '
            )
        head = short_title(meta.title.text)
        if meta.authors:
            head = f"{running_names(meta)} · {head}"
        shown = notices.shown(doc, options, "pdf")
        sections.append(
            {
                "html": prefixed(section, anchor),
                "anchor": anchor,
                "lang": meta.lang,
                "rtl": is_rtl(meta.lang),
                "head": head,
                # A retracted article's pages are marked in the issue too (issue 23).
                "mark": shown.get("mark_kind", ""),
                "mark_words": shown.get("mark", ""),
            }
        )
        entries.append(
            {
                "anchor": anchor,
                "title": notices.marked_title(doc, meta.title.html, markup=True),
                "byline": names(meta),
                "page": ranges[i][0] if ranges else 0,
                "lang": meta.lang,
                "rtl": is_rtl(meta.lang),
            }
        )
    image = issue.cover_image
    cover = data_uri(image, for_print(image)) if image is not None else None
    return env.get_template("issue-print.html.j2").render(
        issue=issue,
        rtl=is_rtl(issue.lang),
        cover_articles=COVER_ARTICLES,
        labels=labels,
        labels_editors="Editors" if len(issue.editors) > 1 else "Editor",
        entries=entries,
        sections=sections,
        cover=cover,
        css=issue_css(docs, options),
        paper=PAPER[options.paper],
        paper_name=options.paper,
        created=build_time_of(issue).strftime("%Y-%m-%dT%H:%M:%SZ"),
        running_left=" · ".join([issue.publication, *issue.numbering]),
    )


def issue_css(docs: list[Document], options: Options) -> str:
    """The house style and the issue's; with an article that shows notices or versions,
    their style as its own PDF has it, so that it breaks its pages alike, and the marks
    of retracted articles' pages (issue 23)."""
    parts = [print_css(options), asset("issue", "print.css", options.templates)]
    if any(notices.shown(doc, options, "pdf") for doc in docs):
        parts.append(asset("pdf", "updates.css", options.templates))
        parts.append(asset("issue", "update-marks.css", options.templates))
    return "\n".join(parts)


def build_time_of(issue: Issue) -> datetime:
    from ..document import Metadata, Rich

    return build_time(Metadata(title=Rich("", ""), date=issue.date))


LAYOUTS = 6
"""Layouts tried before the pages settle: the second nearly always agrees with the first."""


def render(issue: Issue, docs: list[Document], options: Options) -> Laid:
    """Lay out the issue, read back where each article falls, lay it out again with those
    pages in the contents and the articles' title blocks until they no longer move, and
    write the PDF."""
    settled: list[tuple[Pages, list[dict[int, str]]]] = []

    def lay_out() -> LaidOut:
        document, pages, styles = _settled(issue, docs, options)
        settled.append((pages, styles))
        return document

    # Written as an article's own PDF is (editions/pdf_write.py).
    pdf = write(lay_out, issue.identifier)
    [(pages, styles)] = settled
    # Formulas tagged /Formula with their TeX, as in an article's own PDF.
    pdf = with_page_labels(tag_formulas(pdf), 1)
    return Laid(pdf, pages, styles)


def _settled(
    issue: Issue, docs: list[Document], options: Options
) -> tuple[LaidOut, Pages, list[dict[int, str]]]:
    ranges: list[tuple[int, int]] | None = None
    widows: dict[tuple[int, int], int] = {}
    at_end = [frozenset[int]() for _ in docs]
    for _ in range(LAYOUTS):
        styles = [
            {
                block: f"break-after: avoid; widows: {n}"
                for (article, block), n in widows.items()
                if article == i
            }
            for i in range(len(docs))
        ]
        document = _layout(issue, docs, options, ranges, styles, at_end)
        # WeasyPrint cannot continue a note on the next page: one longer than a page is
        # set after its article's text, as the article's own PDF does (pdf_notes.py).
        too_long = [
            at_end[i] | overflowing_notes(document, f"{article_anchor(i)}-")
            for i in range(len(docs))
        ]
        if too_long != at_end:
            at_end = too_long
            continue
        pages = read_back(document, len(docs))
        found = [(p.first, p.last) for p in pages.articles]
        # WeasyPrint 70 may set a note whose call ends a page on the next page (see
        # print.css): the call's paragraph then keeps more lines with what follows, so
        # that the call's line goes over with its note.
        for key in pages.misplaced:
            widows[key] = widows.get(key, 1) + 1
        if found == ranges and not pages.misplaced:
            break
        ranges = found
    else:
        raise ManuscriptError(
            [
                Diagnostic(
                    issue.folder / "issue.yaml",
                    None,
                    f"the issue's pages did not settle after {LAYOUTS} layouts: "
                    "please report this issue folder",
                )
            ]
        )
    return document, pages, styles


def _layout(
    issue: Issue,
    docs: list[Document],
    options: Options,
    ranges: list[tuple[int, int]] | None,
    styles: list[dict[int, str]],
    at_end: list[frozenset[int]],
) -> LaidOut:
    page = issue_html(issue, docs, options, ranges, styles, at_end)
    folders = [issue.folder, *(d.folder for d in docs), ASSETS, *filter(None, [options.templates])]
    fetcher = BoundedFetcher(list(dict.fromkeys(folders)))
    keep_lang_in_tags()
    # Figures moved to fill the gaps they would leave, as each article's own PDF moves
    # them (editions/pdf_figures.py): else the two break their pages differently.
    document = lay_out_figures(
        page,
        lambda text: HTML(string=text, base_url=str(issue.folder) + "/", url_fetcher=fetcher),
        FontConfiguration(),
    )
    refuse(fetcher.refused, issue.folder / "issue.yaml")
    return document
