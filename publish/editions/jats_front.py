"""The JATS ``<front>``: the journal and the article's metadata, from ``Document.meta``.

Element order follows the JATS 1.3 Journal Publishing content models (article-meta's
sequence: ids, version, subject, titles, contributors, author notes, dates, volume and
pages, publication history, permissions, related articles, abstract, keywords, funding);
the vendored XSD checks it in the tests. What notices and versions add (``Document.updates``)
is in ``notice_*``, ``related_articles``, ``article_version`` and ``pub_history``.
"""

from __future__ import annotations

import re
from html import escape
from typing import Any

from lxml import etree

from ..document import Affiliation, Author, Document, Metadata
from ..read.identifiers import orcid_url
from ..updates.model import Kind, Link, Updates, Version
from .jats_inline import XLINK, E, inline_from_html

ALI = "http://www.niso.org/schemas/ali/1.0/"
SLUG_RE = re.compile(r"[^a-z0-9]+")
FRONT_ID = "jats-"
"""Prefix of the ids the front gives (affiliations, correspondence, author notes), apart
from the manuscript's own ids that the body keeps."""


NOTICE_ARTICLE_TYPE = {
    "correction": "correction",
    "erratum": "correction",
    "addendum": "addendum",
    "expression-of-concern": "expression-of-concern",
    "retraction": "retraction",
    "withdrawal": "retraction",
}
"""``article-type`` of a notice: PMC's values (its style checker knows no "erratum" and
no "withdrawal": these are a correction and a retraction, their own kind said by the
subject heading ``notice_categories`` writes)."""
UPDATED_TYPE = {
    "correction": "corrected-article",
    "erratum": "corrected-article",
    "addendum": "addended-article",
    "expression-of-concern": "object-of-concern",
    "retraction": "retracted-article",
    "withdrawal": "retracted-article",
}
"""``related-article-type`` in a notice, naming the article it updates (the JATS tag
library's values; "object-of-concern" is PMC's, which its style checker requires)."""
FORWARD_TYPE = {
    "correction": "correction-forward",
    "erratum": "correction-forward",
    "addendum": "addendum",
    "expression-of-concern": "expression-of-concern",
    "retraction": "retraction-forward",
    "withdrawal": "retraction-forward",
}
"""``related-article-type`` in an updated article, naming (forward) its notice."""


def front(
    doc: Document, pages: tuple[str, str] | None = None, base: str | None = None
) -> etree._Element:
    """``pages``: the article's pages in its printed issue, when built as part of one.
    ``base``: the ``base-url`` where ``build/`` is published, which makes the links to
    other articles of the build (without a DOI) and to kept versions absolute."""
    return E("front", journal_meta(doc.meta), article_meta(doc, pages, base))


def article_type(doc: Document) -> str:
    """``article/@article-type``: a notice's kind, else a research article."""
    notice = doc.updates.notice
    return NOTICE_ARTICLE_TYPE[notice.name] if notice else "research-article"


def journal_meta(meta: Metadata) -> etree._Element:
    title = meta.publication.text if meta.publication else ""
    # journal-id is required; a publisher id from the journal's title (or a generic one).
    journal_id = SLUG_RE.sub("-", title.lower()).strip("-") or "journal"
    out = E("journal-meta", E("journal-id", journal_id, **{"journal-id-type": "publisher-id"}))
    if meta.publication:
        out.append(
            E("journal-title-group", inline_from_html("journal-title", meta.publication.html))
        )
    if meta.issn:
        out.append(E("issn", meta.issn, **{"pub-type": "epub"}))
    if meta.publisher:
        out.append(E("publisher", E("publisher-name", meta.publisher.text)))
    return out


def article_meta(
    doc: Document, pages: tuple[str, str] | None = None, base: str | None = None
) -> etree._Element:
    meta = doc.meta
    updates = doc.updates
    out = E("article-meta")
    if meta.doi:
        out.append(E("article-id", meta.doi, **{"pub-id-type": "doi"}))
    if updates.version is not None:
        out.append(article_version(updates.version))
    if updates.notice is not None:
        out.append(notice_categories(updates.notice))
    group = E("title-group", inline_from_html("article-title", meta.title.html))
    if meta.subtitle:
        group.append(inline_from_html("subtitle", meta.subtitle.html))
    out.append(group)
    if meta.authors:
        out.append(contrib_group(meta))
    for number, affiliation in enumerate(meta.affiliations, 1):
        out.append(aff(affiliation, number))
    notes = author_notes(meta)
    if notes is not None:
        out.append(notes)
    out.append(pub_date(meta.date))
    for name, value in (("volume", meta.volume), ("issue", meta.issue)):
        if value:
            out.append(E(name, value))
    first, last = pages or (meta.firstpage, meta.lastpage)
    if first:
        out.append(E("fpage", first))
        if last:
            out.append(E("lpage", last))
    history = pub_history(updates.earlier, doc.slug, base)
    if history is not None:
        out.append(history)
    permissions = permissions_of(meta)
    if permissions is not None:
        out.append(permissions)
    out.extend(related_articles(updates, base))
    if meta.abstract:
        out.append(abstract(meta.abstract.html))
    if meta.keywords:
        out.append(
            E("kwd-group", *(E("kwd", k) for k in meta.keywords), **{"kwd-group-type": "author"})
        )
    funding = funding_group(meta)
    if funding is not None:
        out.append(funding)
    return out


def contrib_group(meta: Metadata) -> etree._Element:
    listed = [a.name.text for a in meta.affiliations]
    group = E("contrib-group")
    for n, author in enumerate(meta.authors, 1):
        group.append(
            contrib(author, n, [listed.index(a.name.text) + 1 for a in author.affiliations])
        )
    return group


def contrib(author: Author, n: int, affiliations: list[int]) -> etree._Element:
    attrs = {"contrib-type": "author"}
    if author.corresponding:
        attrs["corresp"] = "yes"
    out = E("contrib", **attrs)
    if author.orcid:
        out.append(
            E(
                "contrib-id",
                orcid_url(author.orcid),
                **{"contrib-id-type": "orcid", "authenticated": "false"},
            )
        )
    if author.family:
        name = E("name", E("surname", author.family))
        if author.given:
            name.append(E("given-names", author.given))
        out.append(name)
    else:
        out.append(E("string-name", author.name.text))
    if author.email:
        out.append(E("email", author.email))
    if author.url:
        out.append(E("uri", author.url, **{f"{{{XLINK}}}href": author.url}))
    for number in affiliations:
        out.append(E("xref", str(number), rid=f"{FRONT_ID}aff{number}", **{"ref-type": "aff"}))
    if author.corresponding and author.email:
        out.append(E("xref", "*", rid=f"{FRONT_ID}cor{n}", **{"ref-type": "corresp"}))
    if author.note:
        out.append(E("xref", "†", rid=f"{FRONT_ID}note{n}", **{"ref-type": "author-notes"}))
    return out


def aff(affiliation: Affiliation, number: int) -> etree._Element:
    """The line as printed: department, the institution with its ROR id, city and
    country (the line's last part when two or more follow the institution)."""
    out = E("aff", E("label", str(number)), id=f"{FRONT_ID}aff{number}")
    parts = [p.strip() for p in affiliation.name.text.split(",")]
    name = affiliation.institution or affiliation.name.text
    at = parts.index(name) if name in parts else len(parts)
    before, after = parts[:at], parts[at + 1 :]
    for department in before:
        out.append(E("institution", department, **{"content-type": "dept"}))
        out[-1].tail = ", "
    wrap = E("institution-wrap")
    if affiliation.ror:
        wrap.append(E("institution-id", affiliation.ror, **{"institution-id-type": "ror"}))
    wrap.append(E("institution", name))
    out.append(wrap)
    if len(after) >= 2:
        wrap.tail = ", " + ", ".join(after[:-1]) + ", "
        out.append(E("country", after[-1]))
    elif after:
        wrap.tail = ", " + after[0]
    return out


def author_notes(meta: Metadata) -> etree._Element | None:
    items: list[Any] = []
    for n, author in enumerate(meta.authors, 1):
        if author.corresponding and author.email:
            items.append(
                E(
                    "corresp",
                    f"Correspondence: {author.name.text}, ",
                    E("email", author.email),
                    id=f"{FRONT_ID}cor{n}",
                )
            )
    for n, author in enumerate(meta.authors, 1):
        if author.note:
            items.append(E("fn", inline_from_html("p", author.note.html), id=f"{FRONT_ID}note{n}"))
    return E("author-notes", *items) if items else None


def pub_date(date: str | None) -> etree._Element:
    if not date:
        return E("pub-date-not-available")
    year, _, rest = date.partition("-")
    month, _, day = rest.partition("-")
    out = E(
        "pub-date",
        **{"publication-format": "electronic", "date-type": "pub", "iso-8601-date": date},
    )
    if day:
        out.append(E("day", day))
    if month:
        out.append(E("month", month))
    out.append(E("year", year))
    return out


def permissions_of(meta: Metadata) -> etree._Element | None:
    """The copyright line and the licence, machine-readable (``ali:license_ref``), as
    Plan S and PMC ask."""
    copyright_ = meta.copyright
    if not (meta.rights or meta.license_url or copyright_):
        return None
    out = E("permissions")
    if copyright_:
        out.append(E("copyright-statement", copyright_.text))
        if copyright_.year:
            out.append(E("copyright-year", copyright_.year))
        if copyright_.holder:
            out.append(E("copyright-holder", copyright_.holder))
    if meta.rights or meta.license_url:
        licence = E("license")
        if meta.license_url:
            ref = etree.SubElement(licence, f"{{{ALI}}}license_ref")
            ref.text = meta.license_url
        line = inline_from_html("license-p", meta.rights.html if meta.rights else "")
        if meta.license_url:
            if meta.rights:
                _append_text(line, ": ")
            line.append(E("ext-link", meta.license_url, **_uri(meta.license_url)))
        licence.append(line)
        out.append(licence)
    return out


def _append_text(element: etree._Element, text: str) -> None:
    if len(element):
        element[-1].tail = (element[-1].tail or "") + text
    else:
        element.text = (element.text or "") + text


def abstract(html: str) -> etree._Element:
    from .jats_body import blocks_from_html

    out = E("abstract")
    out.extend(blocks_from_html(html))
    return out


def funding_group(meta: Metadata) -> etree._Element | None:
    """Quarto's ``funding``: an ``award-group`` for each award (its funder, with its
    ROR or Funder Registry id, and the award's number), then the statements."""
    if not meta.funding:
        return None
    out = E("funding-group")
    awards = [a for f in meta.funding for a in f.awards]
    for n, award in enumerate(awards, 1):
        group = etree.SubElement(out, "award-group", id=f"award{n}")
        if award.funder:
            source = etree.SubElement(group, "funding-source")
            wrap = etree.SubElement(source, "institution-wrap")
            etree.SubElement(wrap, "institution").text = award.funder
            if award.funder_id:
                kind = "ror" if "ror.org" in award.funder_id else "doi"
                ident = etree.SubElement(wrap, "institution-id", {"institution-id-type": kind})
                ident.text = award.funder_id
        if award.number:
            etree.SubElement(group, "award-id").text = award.number
        if award.name:
            etree.SubElement(group, "award-name").text = award.name
    for funding in meta.funding:
        out.append(E("funding-statement", funding.text))
    return out


def _uri(url: str) -> dict[str, str]:
    return {"ext-link-type": "uri", f"{{{XLINK}}}href": url}


def notice_categories(kind: Kind) -> etree._Element:
    """The notice's kind as its subject heading ("Erratum", "Withdrawal"), which PMC
    displays and which keeps what ``article-type`` cannot say."""
    return E(
        "article-categories",
        E("subj-group", E("subject", kind.label), **{"subj-group-type": "heading"}),
    )


def related_articles(updates: Updates, base: str | None = None) -> list[etree._Element]:
    """A notice's ``related-article`` for each article it updates (``corrected-article``,
    ``retracted-article``...), then an updated article's forward link to each notice
    (``correction-forward``, ``retraction-forward``...), oldest first."""
    pairs: list[tuple[str, Link]] = []
    if updates.notice is not None:
        pairs += [(UPDATED_TYPE[updates.notice.name], t) for t in updates.targets]
    pairs += [(FORWARD_TYPE[n.kind.name], n.link) for n in updates.notices]
    return [related_article(kind, link, n, base) for n, (kind, link) in enumerate(pairs, 1)]


def related_article(kind: str, link: Link, n: int, base: str | None = None) -> etree._Element:
    """One link: by DOI, as JATS4R and PMC ask; an article of the build without one by
    its address under ``base-url`` (none without it: a relative address means nothing
    where the XML is delivered). Its title is the element's text either way."""
    attrs = {"related-article-type": kind, "id": f"{FRONT_ID}ra{n}"}
    if link.doi:
        attrs |= {"ext-link-type": "doi", f"{{{XLINK}}}href": link.doi}
    elif link.slug and base:
        attrs |= _uri(f"{base}/{link.slug}/{link.slug}.html")
    out = E("related-article", **attrs)
    if link.title_html or link.title_text:
        out.append(
            inline_from_html(
                "article-title", link.title_html or escape(link.title_text, quote=False)
            )
        )
    return out


def article_version(version: Version) -> etree._Element:
    """This version's number (the tag library asks for ``article-version-type`` with a
    free value), with its date."""
    attrs = {"article-version-type": "number"}
    if version.date:
        attrs["iso-8601-date"] = version.date
    return E("article-version", str(version.number), **attrs)


def pub_history(
    earlier: tuple[Version, ...], slug: str, base: str | None = None
) -> etree._Element | None:
    """Each kept earlier version as an ``event`` of the publication history: what it
    was (its number and note), its number, its date and, under ``base-url``, its address."""
    if not earlier:
        return None
    out = E("pub-history")
    for version in earlier:
        desc = f"Version {version.number}" + (f": {version.note}" if version.note else "")
        event = E("event", E("event-desc", desc), **{"event-type": "version"})
        event.append(
            E("article-version", str(version.number), **{"article-version-type": "number"})
        )
        if version.date:
            event.append(pub_date(version.date))
        if version.href and base:
            url = f"{base}/{slug}/{version.href}"
            event.append(E("self-uri", url, **{f"{{{XLINK}}}href": url, "content-type": "html"}))
        out.append(event)
    return out
