"""The JATS ``<front>``: the journal and the article's metadata, from ``Document.meta``.

Element order follows the JATS 1.3 Journal Publishing content models (article-meta's
sequence: ids, titles, contributors, author notes, dates, volume and pages, permissions,
abstract, keywords, funding); the vendored XSD checks it in the tests.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from ..document import Affiliation, Author, Document, Metadata
from ..read.identifiers import orcid_url
from .jats_inline import XLINK, E, inline_from_html

ALI = "http://www.niso.org/schemas/ali/1.0/"
SLUG_RE = re.compile(r"[^a-z0-9]+")
FRONT_ID = "jats-"
"""Prefix of the ids the front gives (affiliations, correspondence, author notes), apart
from the manuscript's own ids that the body keeps."""


def front(doc: Document, pages: tuple[str, str] | None = None) -> etree._Element:
    """``pages``: the article's pages in its printed issue, when built as part of one."""
    return E("front", journal_meta(doc.meta), article_meta(doc, pages))


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


def article_meta(doc: Document, pages: tuple[str, str] | None = None) -> etree._Element:
    meta = doc.meta
    out = E("article-meta")
    if meta.doi:
        out.append(E("article-id", meta.doi, **{"pub-id-type": "doi"}))
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
    permissions = permissions_of(meta)
    if permissions is not None:
        out.append(permissions)
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
