"""What machines read of notices and versions (``Document.updates``, issue 23): the web
page's ``<link>`` relations and the schema.org terms of its JSON-LD. Each term is one
schema.org or IANA defines; nothing is added for an article with no updates."""

from __future__ import annotations

from ..document import Document
from ..updates.model import Link, Updates
from .notices import VERSIONS_HEADING


def head_links(doc: Document) -> list[dict[str, str]]:
    """The web page's ``<link>`` relations (IANA's registry): ``predecessor-version`` and
    ``version-history`` (RFC 5829) for a version with earlier ones, ``related`` (RFC
    4287) for every notice that updates the article and every article a notice updates."""
    updates = doc.updates
    links = []
    kept = [v for v in updates.earlier if v.href]
    if kept:
        links.append({"rel": "predecessor-version", "href": kept[-1].href or "", "title": ""})
    if updates.earlier:
        links.append({"rel": "version-history", "href": f"#{VERSIONS_HEADING}", "title": ""})
    for link in [n.link for n in updates.notices] + list(updates.targets):
        if link.url:
            links.append({"rel": "related", "href": link.url, "title": link.title_text})
    return links


def json_ld(article: dict[str, object], doc: Document) -> None:
    """schema.org of notices and versions added to the article's JSON-LD: ``correction``
    (a CorrectionComment for every notice that updates it), ``creativeWorkStatus`` (its
    status: "Retracted", "Corrected"...), ``version`` with ``dateModified``, and its
    earlier versions as what it ``isBasedOn``; for a notice, its kind as ``genre`` and
    the articles it updates as what it is ``about``."""
    updates = doc.updates
    if updates == Updates():
        return
    if updates.notices:
        article["correction"] = [
            {
                "@type": "CorrectionComment",
                "name": n.link.title_text,
                "text": n.kind.label,
                **({"datePublished": n.date} if n.date else {}),
                **({"url": n.link.url} if n.link.url else {}),
                **({"identifier": f"https://doi.org/{n.link.doi}"} if n.link.doi else {}),
            }
            for n in updates.notices
        ]
    if updates.status is not None:
        article["creativeWorkStatus"] = updates.status.status
    if updates.notice is not None:
        article["genre"] = updates.notice.label
        article["about"] = [_work(t) for t in updates.targets]
    if updates.version is not None:
        article["version"] = updates.version.number
        if updates.earlier and updates.version.date:
            article["dateModified"] = updates.version.date
        if updates.earlier:
            article["isBasedOn"] = [
                {
                    "@type": article["@type"],
                    "version": v.number,
                    **({"datePublished": v.date} if v.date else {}),
                    **({"description": v.note} if v.note else {}),
                    **({"url": v.href} if v.href else {}),
                }
                for v in updates.earlier
            ]


def _work(link: Link) -> dict[str, object]:
    work: dict[str, object] = {"@type": "CreativeWork"}
    if link.title_text:
        work["headline"] = link.title_text
    if link.url:
        work["url"] = link.url
    if link.doi:
        work["identifier"] = f"https://doi.org/{link.doi}"
    return work
