"""The Crossref deposit: ``build/<slug>/<slug>.crossref.xml`` registers an article's DOI,
and an issue's deposit registers the issue and all its articles (schema 5.3.1).

The batch's head names the depositor and registrant from ``publish.yaml``; its id and
timestamp come from the sources (SOURCE_DATE_EPOCH, else the publication date), so the
same sources give the same deposit. Crossref orders deposits of one DOI by timestamp:
set SOURCE_DATE_EPOCH to the time of a corrected deposit.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from ..diagnostics import Diagnostic, ManuscriptError, Severity
from ..document import Document
from ..options import Options
from ..settings import Settings, find, load
from .common import build_time
from .crossref_article import (
    CR,
    NSMAP,
    el,
    full_date,
    journal_article,
    publication_date,
    sub,
)

VERSION = "5.3.1"
SCHEMA_LOCATION = f"{CR} https://www.crossref.org/schemas/crossref{VERSION}.xsd"
SUFFIX = ".crossref.xml"
MEDIA_TYPE = "application/vnd.crossref.deposit+xml"
"""What Crossref's deposit API takes the file as."""


def applies(doc: Document) -> bool:
    """Whether ``doc`` gets a deposit: only an article with a DOI is registered."""
    return bool(doc.meta.doi)


@dataclass(frozen=True)
class IssueData:
    """What the deposit says of an issue (``publish.periodical``'s ``Issue`` has these)."""

    publication: str
    volume: str | None = None
    issue: str | None = None
    date: str | None = None
    issn: str | None = None
    doi: str | None = None
    url: str | None = None

    @classmethod
    def of(cls, issue: Any, url: str | None = None) -> IssueData:
        """From ``publish.periodical``'s ``Issue`` (its DOI when its identifier is one)."""
        identifier = getattr(issue, "identifier", "") or ""
        doi = identifier[4:] if identifier.startswith("doi:") else None
        return cls(issue.publication, issue.volume, issue.issue, issue.date, issue.issn, doi, url)


def render(doc: Document, options: Options) -> bytes:
    """The deposit of one article; its settings from the ``publish.yaml`` beside its
    ``source/`` folder (``Options.settings`` when the build carries them)."""
    settings = getattr(options, "settings", None) or load(find(doc.source))
    pages = (str(options.pages.first), str(options.pages.last)) if options.pages else (None, None)
    return deposit([doc], settings, pages=[pages])


def deposit(
    docs: Sequence[Document],
    settings: Settings,
    issue: IssueData | None = None,
    pages: Sequence[tuple[str | None, str | None]] = (),
) -> bytes:
    """One batch: ``docs`` (each with a DOI) in one journal, in ``issue`` when given
    (else in the issue their own metadata names). ``pages``: each article's pages in
    its issue, when its metadata lacks them."""
    problems = _missing(docs, settings, issue)
    if problems:
        raise ManuscriptError(problems)
    first = docs[0].meta
    root = etree.Element(f"{{{CR}}}doi_batch", nsmap=NSMAP, version=VERSION)
    root.set("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation", SCHEMA_LOCATION)
    root.append(head(docs, settings))
    journal = sub(sub(root, "body"), "journal")
    metadata = sub(journal, "journal_metadata", language=first.lang.split("-")[0].lower())
    sub(metadata, "full_title", issue.publication if issue else _publication(first))
    issn = (issue and issue.issn) or first.issn
    if issn:
        sub(metadata, "issn", issn, media_type="electronic")
    issue_element = journal_issue(issue or _own_issue(first))
    if issue_element is not None:
        journal.append(issue_element)
    for n, doc in enumerate(docs):
        url = article_url(doc, settings)
        at = pages[n] if n < len(pages) else (None, None)
        date = issue.date if issue else None
        journal.append(journal_article(doc, url, at, date, settings.crossmark_policy))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def issue_deposit(
    docs: Sequence[Document],
    issue: IssueData,
    settings: Settings,
    pages: Sequence[tuple[str | None, str | None]] = (),
) -> bytes:
    """The issue's deposit: its ``journal_issue`` and every article of it with a DOI."""
    padded = [*pages, *[(None, None)] * len(docs)][: len(docs)]
    with_doi = [(d, p) for d, p in zip(docs, padded, strict=True) if d.meta.doi]
    return deposit([d for d, _ in with_doi], settings, issue, [p for _, p in with_doi])


def warnings(doc: Document, options: Options) -> list[Diagnostic]:
    """What the deposit of ``doc`` leaves out that its user should know (an edition
    returns bytes only: the build reports these beside the manuscript's own warnings)."""
    if not applies(doc):
        return []
    settings = getattr(options, "settings", None) or load(find(doc.source))
    return notice_warnings(doc, settings, strict=options.strict)


def issue_warnings(
    docs: Sequence[Document], issue: IssueData, settings: Settings, strict: bool = False
) -> list[Diagnostic]:
    """``warnings`` for each article of an issue's deposit."""
    return [w for d in docs if applies(d) for w in notice_warnings(d, settings, issue.date, strict)]


def notice_warnings(
    doc: Document, settings: Settings, date: str | None = None, strict: bool = False
) -> list[Diagnostic]:
    """A notice whose deposit cannot say what it updates: no Crossmark policy in
    publish.yaml (the deposit goes without Crossmark), an updated article without a DOI
    (Crossmark knows works by DOI only), or a date without its day (Crossmark takes a
    full date: the update is dated the first of the month or year). With ``strict``
    (``--strict``), errors, as every warning is."""
    kind = doc.updates.notice
    if kind is None or not doc.meta.doi:
        return []
    name = kind.label.lower()
    severity: Severity = "error" if strict else "warning"
    found = []
    if not settings.crossmark_policy:
        found.append(
            Diagnostic(
                doc.source,
                1,
                f"this {name}'s Crossref deposit says nothing of the articles it updates: "
                "Crossmark needs your policy page's DOI as 'crossmark-policy' in "
                "publish.yaml; the deposit is written without Crossmark",
                severity,
            )
        )
        return found
    for target in doc.updates.targets:
        if not target.doi:
            found.append(
                Diagnostic(
                    doc.source,
                    1,
                    f"the {name}'s Crossmark record leaves out '{target.slug}', which has "
                    "no 'doi': give it its DOI for Crossref to link the two",
                    severity,
                )
            )
    when = doc.meta.date or date
    if when and len(when) < len("YYYY-MM-DD") and any(t.doi for t in doc.updates.targets):
        found.append(
            Diagnostic(
                doc.source,
                1,
                f"the {name}'s date '{when}' has no day: Crossmark dates the update "
                f"{full_date(when)}; give the full date (YYYY-MM-DD)",
                severity,
            )
        )
    return found


def head(docs: Sequence[Document], settings: Settings) -> etree._Element:
    assert settings.depositor is not None  # checked by _missing
    stamp = max(build_time(d.meta) for d in docs)
    seed = "\n".join(d.meta.doi or "" for d in docs) + stamp.isoformat()
    out = el("head")
    sub(out, "doi_batch_id", "publish-" + hashlib.sha256(seed.encode()).hexdigest()[:24])
    sub(out, "timestamp", stamp.strftime("%Y%m%d%H%M%S"))
    depositor = sub(out, "depositor")
    sub(depositor, "depositor_name", settings.depositor.name)
    sub(depositor, "email_address", settings.depositor.email)
    sub(out, "registrant", settings.registrant or settings.depositor.name)
    return out


def journal_issue(issue: IssueData) -> etree._Element | None:
    if not (issue.volume or issue.issue):
        return None
    out = el("journal_issue")
    if issue.date:
        out.append(publication_date(issue.date))
    if issue.volume:
        sub(sub(out, "journal_volume"), "volume", issue.volume)
    if issue.issue:
        sub(out, "issue", issue.issue)
    if issue.doi and issue.url:
        data = sub(out, "doi_data")
        sub(data, "doi", issue.doi)
        sub(data, "resource", issue.url)
    return out


def article_url(doc: Document, settings: Settings) -> str:
    """The article's page under ``base-url``, where ``build/`` is published:
    ``<base-url>/<slug>/<slug>.html``."""
    base = doc.meta.base_url or str(settings.defaults.get("base-url") or "")
    return f"{base.rstrip('/')}/{doc.slug}/{doc.slug}.html"


def _own_issue(meta) -> IssueData:  # type: ignore[no-untyped-def]
    return IssueData(_publication(meta), meta.volume, meta.issue, meta.date, meta.issn)


def _publication(meta) -> str:  # type: ignore[no-untyped-def]
    return meta.publication.text if meta.publication else ""


def _missing(
    docs: Sequence[Document], settings: Settings, issue: IssueData | None = None
) -> list[Diagnostic]:
    """What a deposit cannot do without, each said at the file where it belongs."""
    where = settings.path or Path("publish.yaml")
    found: list[Diagnostic] = []
    if not docs:
        found.append(Diagnostic(where, None, "no article with a DOI to deposit"))
    if settings.depositor is None:
        found.append(
            Diagnostic(
                where,
                None,
                "a Crossref deposit needs 'crossref: {depositor: {name, email}}' in publish.yaml",
            )
        )
    for doc in docs:
        if not doc.meta.doi:
            found.append(Diagnostic(doc.source, 1, "a Crossref deposit needs the article's 'doi'"))
        if not (doc.meta.publication or issue):
            found.append(
                Diagnostic(doc.source, 1, "a Crossref deposit needs the journal: set 'publication'")
            )
        if not (doc.meta.base_url or settings.defaults.get("base-url")):
            found.append(
                Diagnostic(
                    doc.source, 1, "a Crossref deposit needs the article's address: set 'base-url'"
                )
            )
        if not (doc.meta.date or (issue and issue.date)):
            found.append(
                Diagnostic(doc.source, 1, "a Crossref deposit needs the publication 'date'")
            )
    return found
