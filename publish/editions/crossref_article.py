"""One ``journal_article`` of a Crossref 5.3.1 deposit, from a ``Document``: titles,
contributors with ORCID and affiliations (ROR), the abstract in JATS, the date, pages,
Crossmark (with a notice's updates), licence (AccessIndicators), funding, the DOI with
the article's address, and the works it cites (by DOI where the bibliography has one,
as text otherwise)."""

from __future__ import annotations

from lxml import etree

from ..document import Author, Document, Metadata
from ..read.identifiers import doi_url, orcid_url
from .jats_back import dois

CR = "http://www.crossref.org/schema/5.3.1"
JATS = "http://www.ncbi.nlm.nih.gov/JATS1"
AI = "http://www.crossref.org/AccessIndicators.xsd"
FR = "http://www.crossref.org/fundref.xsd"
NSMAP = {
    None: CR,
    "jats": JATS,
    "ai": AI,
    "fr": FR,
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
UPDATE_TYPES = {
    "correction": "correction",
    "erratum": "erratum",
    "addendum": "addendum",
    "expression-of-concern": "expression_of_concern",
    "retraction": "retraction",
    "withdrawal": "withdrawal",
}
"""Crossmark's update type (schema 5.3.1's ``cm_update_type``) for each kind of notice."""


def el(tag: str, text: str | None = None, ns: str = CR, **attrs: str) -> etree._Element:
    out = etree.Element(f"{{{ns}}}{tag}", attrs)
    if text is not None:
        out.text = text
    return out


def sub(
    parent: etree._Element, tag: str, text: str | None = None, ns: str = CR, **attrs: str
) -> etree._Element:
    child = el(tag, text, ns, **attrs)
    parent.append(child)
    return child


def publication_date(date: str, media_type: str = "online") -> etree._Element:
    out = el("publication_date", media_type=media_type)
    year, _, rest = date.partition("-")
    month, _, day = rest.partition("-")
    if month:
        sub(out, "month", month)
    if day:
        sub(out, "day", day)
    sub(out, "year", year)
    return out


def journal_article(
    doc: Document,
    url: str,
    pages: tuple[str | None, str | None] = (None, None),
    date: str | None = None,
    crossmark_policy: str | None = None,
) -> etree._Element:
    """``pages`` and ``date``: the article's pages in its issue and the issue's date,
    where its own metadata does not give them."""
    meta = doc.meta
    article = el(
        "journal_article", publication_type="full_text", language=meta.lang.split("-")[0].lower()
    )
    titles = sub(article, "titles")
    sub(titles, "title", meta.title.text)
    if meta.subtitle:
        sub(titles, "subtitle", meta.subtitle.text)
    if meta.authors:
        article.append(contributors(meta))
    if meta.abstract:
        abstract = sub(article, "abstract", ns=JATS)
        for paragraph in meta.abstract.text.split("\n\n"):
            if paragraph.strip():
                sub(abstract, "p", " ".join(paragraph.split()), ns=JATS)
    if meta.date or date:
        article.append(publication_date(meta.date or date or ""))
    first, last = pages[0] or meta.firstpage, pages[1] or meta.lastpage
    if first:
        numbers = sub(article, "pages")
        sub(numbers, "first_page", first)
        if last:
            sub(numbers, "last_page", last)
    # With Crossmark, funding and licence belong in its custom metadata (schema 5.3.1).
    programs = [p for p in (_funding(meta), _licence(meta)) if p is not None]
    holder = article
    if crossmark_policy:
        crossmark = sub(article, "crossmark")
        sub(crossmark, "crossmark_policy", crossmark_policy)
        sub(crossmark, "crossmark_domain_exclusive", "false")
        updates = crossmark_updates(doc, date)
        if updates is not None:
            crossmark.append(updates)
        holder = sub(crossmark, "custom_metadata") if programs else crossmark
    holder.extend(programs)
    data = sub(article, "doi_data")
    sub(data, "doi", meta.doi)
    sub(data, "resource", url)
    cited = citation_list(doc)
    if cited is not None:
        article.append(cited)
    return article


def crossmark_updates(doc: Document, date: str | None = None) -> etree._Element | None:
    """A notice's Crossmark ``updates``: one ``update`` for each article it updates that
    has a DOI (Crossmark knows works by DOI only), typed by the notice's kind and dated
    by the notice's date (``date``, the issue's, when it has none), as a full date: a
    month or a year alone counts from its first day. None for an article that is no
    notice."""
    kind = doc.updates.notice
    when = doc.meta.date or date
    dois = [t.doi for t in doc.updates.targets if t.doi]
    if kind is None or not dois or not when:
        return None
    out = el("updates")
    for doi in dict.fromkeys(dois):  # one update per DOI, though named twice
        sub(out, "update", doi, type=UPDATE_TYPES[kind.name], date=full_date(when))
    return out


def contributors(meta: Metadata) -> etree._Element:
    out = el("contributors")
    for n, author in enumerate(meta.authors):
        out.append(person(author, "first" if n == 0 else "additional"))
    return out


def person(author: Author, sequence: str) -> etree._Element:
    out = el("person_name", sequence=sequence, contributor_role="author")
    if author.family:
        if author.given:
            sub(out, "given_name", author.given)
        sub(out, "surname", author.family)
    else:  # a name not given in parts (a mononym, a collective): the whole as surname
        sub(out, "surname", author.name.text)
    if author.affiliations:
        affiliations = sub(out, "affiliations")
        for affiliation in author.affiliations:
            institution = sub(affiliations, "institution")
            sub(institution, "institution_name", affiliation.institution or affiliation.name.text)
            if affiliation.ror:
                sub(institution, "institution_id", affiliation.ror, type="ror")
    if author.orcid:
        sub(out, "ORCID", orcid_url(author.orcid), authenticated="false")
    return out


def _licence(meta: Metadata) -> etree._Element | None:
    if not meta.license_url:
        return None
    program = el("program", ns=AI, name="AccessIndicators")
    if meta.date:
        sub(
            program,
            "license_ref",
            meta.license_url,
            ns=AI,
            applies_to="vor",
            start_date=full_date(meta.date),
        )
    else:
        sub(program, "license_ref", meta.license_url, ns=AI, applies_to="vor")
    return program


def full_date(date: str) -> str:
    """A date as YYYY-MM-DD, which ``start_date`` and Crossmark's ``update`` take (the
    first of the month or year)."""
    parts = date.split("-") + ["01", "01"]
    return "-".join(parts[:3])


def _funding(meta: Metadata) -> etree._Element | None:
    """Quarto's ``funding`` as FundRef: each funder's name (with its Funder Registry
    DOI, the identifier FundRef takes) and its award numbers."""
    awards = [a for f in meta.funding for a in f.awards if a.funder]
    if not awards:
        return None
    program = el("program", ns=FR, name="fundref")
    for award in awards:
        group = sub(program, "assertion", ns=FR, name="fundgroup")
        name = sub(group, "assertion", award.funder, ns=FR, name="funder_name")
        if award.funder_id and "10.13039/" in award.funder_id:
            ident = award.funder_id[award.funder_id.index("10.13039/") :]
            sub(name, "assertion", doi_url(ident), ns=FR, name="funder_identifier")
        if award.number:
            sub(group, "assertion", award.number, ns=FR, name="award_number")
    return program


def citation_list(doc: Document) -> etree._Element | None:
    found = dois(doc.body)
    if not found:
        return None
    out = el("citation_list")
    for n, (text, doi) in enumerate(found, 1):
        citation = sub(out, "citation", key=f"ref{n}")
        if doi:
            sub(citation, "doi", doi)
        sub(citation, "unstructured_citation", text)
    return out
