"""What indexes and catalogues read: Google Scholar's Highwire tags, schema.org
identifiers and citations, the PDF's XMP (Dublin Core and PRISM), and the byline with
affiliation numbers and ORCID links that every edition's title block shows."""

from __future__ import annotations

import html
import io
import re
import unicodedata

import pikepdf
from lxml import etree

from ..compat import weasyprint_pdfa
from ..document import Author, Document, Metadata
from ..fonts import has_small_caps
from ..languages import is_rtl
from ..read.identifiers import doi_url, orcid_url

PRISM = "http://prismstandard.org/namespaces/basic/2.0/"
ENTRY_RE = re.compile(r'<div id="(ref-[^"]+)" class="csl-entry"[^>]*>(.*?)</div>', re.S)
TAG_RE = re.compile(r"<[^>]+>")
CORRESPONDENCE = {
    "en": "Correspondence",
    "fr": "Correspondance",
    "de": "Korrespondenz",
    "es": "Correspondencia",
    "fa": "نشانی نویسندهٔ مسئول",
    "ar": "المراسلة",
}


def author_html(author: Author, meta: Metadata) -> str:
    """One name of the byline: the name, its affiliations' numbers when authors'
    affiliations differ, and a link to the author's ORCID record."""
    out = _name(author.name.html, author.name.text, is_rtl(meta.lang))
    if meta.numbered_affiliations and author.affiliations:
        listed = [a.name.text for a in meta.affiliations]
        numbers = [str(listed.index(a.name.text) + 1) for a in author.affiliations]
        out += f'<sup class="affiliation-ref">{",".join(numbers)}</sup>'
    if author.orcid:
        out += (
            f' <a class="orcid" href="{orcid_url(author.orcid)}" '
            f'aria-label="ORCID iD of {html.escape(author.name.text)}">ORCID</a>'
        )
    return out


def _name(markup: str, text: str, rtl: bool) -> str:
    """A name isolated from the byline's direction when it is written in the other one
    (so the commas and "and" around it stay in place), and kept out of the byline's
    small capitals when the face has none for its letters."""
    directions = {unicodedata.bidirectional(c) for c in text}
    if ("L" in directions) if rtl else bool(directions & {"R", "AL"}):
        markup = f"<bdi>{markup}</bdi>"
    if not has_small_caps(text):
        markup = f'<span class="no-small-caps">{markup}</span>'
    return markup


def correspondence_label(lang: str) -> str:
    return CORRESPONDENCE.get(lang.split("-")[0].lower(), CORRESPONDENCE["en"])


def bibliography_semantics(body: str) -> str:
    """The EPUB's structural semantics for the bibliography and its entries, which
    reading systems use for their own navigation (ARIA roles alone are not read)."""
    body = body.replace(
        ' role="doc-bibliography"', ' epub:type="bibliography" role="doc-bibliography"'
    )
    return body.replace(
        'class="csl-entry" role="listitem"',
        'class="csl-entry" epub:type="biblioentry" role="listitem"',
    )


def highwire(doc: Document, with_pdf: bool = True) -> list[tuple[str, str]]:
    """Google Scholar's ``citation_*`` tags, in the order of its inclusion guidelines."""
    meta = doc.meta
    tags = [("citation_title", meta.title.text)]
    for author in meta.authors:
        tags.append(("citation_author", _inverted(author)))
        for affiliation in author.affiliations:
            tags.append(("citation_author_institution", affiliation.name.text))
        if author.orcid:
            tags.append(("citation_author_orcid", orcid_url(author.orcid)))
    if meta.date:
        tags.append(("citation_publication_date", meta.date.replace("-", "/")))
    if meta.publication:
        tags.append(("citation_journal_title", meta.publication.text))
    for name, value in (
        ("citation_volume", meta.volume),
        ("citation_issue", meta.issue),
        ("citation_firstpage", meta.firstpage),
        ("citation_lastpage", meta.lastpage),
        ("citation_doi", meta.doi),
        ("citation_issn", meta.issn),
        ("citation_publisher", meta.publisher and meta.publisher.text),
        ("citation_language", meta.lang),
    ):
        if value:
            tags.append((name, value))
    if meta.keywords:
        tags.append(("citation_keywords", "; ".join(meta.keywords)))
    if with_pdf:
        # The PDF edition sits beside the page in build/<slug>/.
        tags.append(("citation_pdf_url", f"{doc.slug}.pdf"))
    if meta.abstract:
        tags.append(("citation_abstract", meta.abstract.text))
    return tags


def _inverted(author: Author) -> str:
    return author.file_as


def works_cited(doc: Document) -> list[str]:
    """The bibliography's entries as plain text, in its order."""
    return [
        " ".join(html.unescape(TAG_RE.sub("", inner)).split())
        for _, inner in ENTRY_RE.findall(doc.body)
    ]


def enrich_json_ld(article: dict[str, object], doc: Document) -> None:
    """The DOI as a PropertyValue and ``sameAs``; the licence's address; the works cited."""
    meta = doc.meta
    if meta.doi:
        article["identifier"] = {
            "@type": "PropertyValue",
            "propertyID": "DOI",
            "value": meta.doi,
            "url": doi_url(meta.doi),
        }
        article["sameAs"] = doi_url(meta.doi)
    if meta.license_url:
        article["license"] = meta.license_url
    if meta.firstpage:
        article["pageStart"] = meta.firstpage
    if meta.lastpage:
        article["pageEnd"] = meta.lastpage
    cited = works_cited(doc)
    if cited:
        article["citation"] = [{"@type": "CreativeWork", "name": text} for text in cited]
    people = article.get("author", [])
    for person, author in zip(
        people if isinstance(people, list) else [], meta.authors, strict=False
    ):
        if author.given and author.family:
            person["givenName"] = author.given
            person["familyName"] = author.family
        if author.orcid:
            person["identifier"] = {
                "@type": "PropertyValue",
                "propertyID": "ORCID",
                "value": author.orcid,
            }
            person["sameAs"] = orcid_url(author.orcid)
        if author.affiliations:
            person["affiliation"] = [
                {"@type": "Organization", "name": a.name.text}
                | ({"sameAs": a.ror} if a.ror else {})
                for a in author.affiliations
            ]


def with_xmp(pdf_bytes: bytes, meta: Metadata) -> bytes:
    """The PDF with every creator, the DOI and the periodical in its XMP (Dublin Core and
    PRISM 2.0, the fields Crossref's and publishers' tools read)."""
    if not (meta.doi or meta.publication or len(meta.authors) > 1 or meta.issn or meta.rights):
        return pdf_bytes
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
            # After pikepdf's own registrations, which it makes on the first open of a
            # process and which call PRISM 2.0 "prism2": the prefix must not depend on
            # whether this is the process's first PDF.
            etree.register_namespace("prism", PRISM)
            if meta.authors:
                xmp["dc:creator"] = [a.name.text for a in meta.authors]
            if meta.doi:
                xmp["dc:identifier"] = "doi:" + meta.doi
                xmp[f"{{{PRISM}}}doi"] = meta.doi
                xmp[f"{{{PRISM}}}url"] = doi_url(meta.doi)
            if meta.publication:
                xmp[f"{{{PRISM}}}publicationName"] = meta.publication.text
            for name, value in (
                ("volume", meta.volume),
                ("number", meta.issue),
                ("issn", meta.issn),
                ("startingPage", meta.firstpage),
                ("endingPage", meta.lastpage),
            ):
                if value:
                    xmp[f"{{{PRISM}}}{name}"] = value
            if meta.date:
                xmp[f"{{{PRISM}}}publicationDate"] = meta.date
            # The licence, machine-readable (Plan S): XMP Rights Management's own fields.
            if meta.rights_text:
                xmp["dc:rights"] = meta.rights_text
                xmp["xmpRights:Marked"] = "True"
            if meta.copyright and meta.copyright.holder:
                xmp["xmpRights:Owner"] = [meta.copyright.holder]
            if meta.license_url:
                xmp["xmpRights:WebStatement"] = meta.license_url
        # Properties outside PDF/A's own schemas need theirs: written again with these.
        weasyprint_pdfa.reidentify(pdf)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
    return out.getvalue()
