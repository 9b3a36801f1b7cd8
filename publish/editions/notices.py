"""What the editions show of notices and versions (``Document.updates``, issue 23): the
notice box after the title block, the status before a retracted article's title, the
version line and the list of earlier versions (what machines read of them is
``notices_ld``). An article that nothing updates and that numbers no versions gets an empty
context, and its editions are byte for byte what they were.

Where a link goes depends on the edition: the web page links to the other pages of the
build as they lie beside it (``../x/x.html``, ``v1/x.html``); the EPUB and the PDF are
read apart from the build folder, so they link to a DOI, else to the page's address
under ``--base-url``, else they name the article without a link."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import quote, urljoin

from markupsafe import Markup

from ..document import IDS, Document, human_date
from ..labels import UPDATE_WORDS, update_words
from ..languages import is_rtl
from ..updates.model import Kind, Link, Updates, Version

if TYPE_CHECKING:
    from ..options import Options

Edition = Literal["html", "epub", "pdf"]
NOTICES_HEADING = IDS.notices_heading
NOTICE_OF_HEADING = IDS.notice_of_heading
VERSIONS_HEADING = IDS.versions_heading


def shown(doc: Document, options: Options, edition: Edition) -> dict[str, Any]:
    """The templates' ``updates``: ``notices`` (the box of an updated article),
    ``notice_of`` (a notice's own box), ``title_status`` (before a retracted or withdrawn
    article's title), ``mark`` and ``mark_kind`` (the words with which, and how loudly,
    the PDF marks every page: ``retracted`` or ``concern``), ``version``
    (the line under the title) and ``versions`` (the list near the end); empty when
    there is nothing to show."""
    updates = doc.updates
    if updates == Updates():
        return {}
    lang = doc.meta.lang
    words = update_words(lang)
    address = _addresses(doc, options, edition)
    found: dict[str, Any] = dict.fromkeys(("notices", "notice_of", "version", "versions"))
    found.update(title_status="", mark="", mark_kind="", words_attrs=words_attrs(lang, edition))
    status = updates.status
    if status is not None:
        found["notices"] = {
            "id": NOTICES_HEADING,
            "heading": words.headings.get(status.name, status.status),
            "mark": updates.mark,
            "entries": [
                {
                    "kind": kind_label(n.kind, lang),
                    **_dated(n.date, lang),
                    "title_html": _title_html(n.link),
                    "url": address(n.link),
                }
                for n in updates.notices
            ],
        }
        if updates.mark:
            found["mark"] = status_label(status, lang)
            found["mark_kind"] = updates.mark
        if updates.mark == "retracted":
            found["title_status"] = shown_status(doc)
    if updates.notice is not None and updates.targets:
        label = kind_label(updates.notice, lang)
        found["notice_of"] = {
            "id": NOTICE_OF_HEADING,
            "heading": label,
            "label": words.notice_of.format(label=label),
            "verb": words.verbs.get(updates.notice.name, f"{label}:"),
            "entries": [{"title_html": _title_html(t), "url": address(t)} for t in updates.targets],
        }
    if updates.version is not None:
        found.update(_versions(doc, updates, options, edition))
    return found


def words_attrs(lang: str, edition: Edition) -> Markup:
    """The attributes that mark the box's own words as English where the text's language
    has no words for notices yet (English words read out with a Persian voice, a colon
    set at the wrong end of an English line in a right-to-left page); none otherwise."""
    primary = lang.split("-")[0].lower()
    if primary in UPDATE_WORDS:
        return Markup("")
    xml = ' xml:lang="en"' if edition == "epub" else ""
    return Markup(f' lang="en"{xml}' + (' dir="ltr"' if is_rtl(lang) else ""))


def status_label(kind: Kind, lang: str) -> str:
    """What an article updated by ``kind`` has become, in ``lang``: "Retracted"."""
    return update_words(lang).statuses.get(kind.name, kind.status)


def kind_label(kind: Kind, lang: str) -> str:
    return update_words(lang).kinds.get(kind.name, kind.label)


def _dated(date: str | None, lang: str) -> dict[str, str]:
    return {"datetime": date or "", "date_text": human_date(date, lang) if date else ""}


def _title_html(link: Link) -> str:
    """The article's title as a link's text; its DOI for one known by DOI alone."""
    if link.title_html:
        return link.title_html
    if link.title_text:
        return html.escape(link.title_text)
    return html.escape(f"https://doi.org/{link.doi}" if link.doi else link.slug or "")


def _base(options: Options) -> str | None:
    return options.base_url.rstrip("/") + "/" if options.base_url else None


def _addresses(doc: Document, options: Options, edition: Edition) -> Any:
    base = _base(options)

    def address(link: Link) -> str | None:
        doi = f"https://doi.org/{link.doi}" if link.doi else None
        if edition == "html":
            return link.href or doi
        if doi:
            return doi
        if base and link.slug:
            return urljoin(base, quote(f"{link.slug}/{link.slug}.html"))
        return None

    return address


def _versions(doc: Document, updates: Updates, options: Options, edition: Edition) -> dict:
    lang = doc.meta.lang
    words = update_words(lang)
    base = _base(options)

    def url(version: Version) -> str | None:
        if not version.href:
            return None
        if edition == "html":
            return version.href
        return urljoin(base, quote(f"{doc.slug}/{version.href}")) if base else None

    current = updates.version
    assert current is not None
    line = {"label": words.version.format(n=current.number), **_dated(current.date, lang)}
    found: dict[str, Any] = {"version": line, "versions": None}
    if updates.earlier:
        items = [
            {
                "label": words.version.format(n=v.number),
                **_dated(v.date, lang),
                "note": v.note,
                "url": url(v),
                "current": "",
            }
            for v in updates.earlier
        ]
        items.append(
            {
                **line,
                "note": current.note,
                "url": None,
                "current": words.this_version,
            }
        )
        found["versions"] = {"id": VERSIONS_HEADING, "heading": words.versions, "entries": items}
    return found


def shown_status(doc: Document) -> str:
    """What goes before the title of a retracted or withdrawn article ("Retracted:",
    "Rétracté\u00a0:"), in its language; empty for any other."""
    status = doc.updates.status
    if status is None or doc.updates.mark != "retracted":
        return ""
    words = update_words(doc.meta.lang)
    return words.status_colon.format(status=status_label(status, doc.meta.lang))


def marked_title(doc: Document, title: str, markup: bool = False) -> str:
    """``title`` (text, or HTML with ``markup``) with "Retracted: " before it when the
    article is retracted or withdrawn: as contents lists and the EPUB's navigation give
    it. Any other article's title as it is."""
    status = shown_status(doc)
    if not status:
        return title
    return f"{html.escape(status) if markup else status} {title}"
