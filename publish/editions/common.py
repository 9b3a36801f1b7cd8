"""Pieces every edition needs from the same document: the byline, the note back-link,
machine-readable metadata, the dates of a reproducible build."""

from __future__ import annotations

import json
import os
import re
import unicodedata
from datetime import UTC, datetime

from ..document import Author, Document, Metadata
from ..labels import labels_for
from ..languages import is_rtl as is_rtl  # The editions take it from here with the rest.
from . import notices_ld
from .scholarly import author_html, enrich_json_ld


def byline(meta: Metadata) -> str:
    """'A', 'A and B', 'A, B and C' as HTML, in the text's language."""
    names = [author_html(a, meta) for a in meta.authors]
    labels = labels_for(meta.lang)
    conjunction = labels.conjunction()
    if len(names) <= 2:
        return conjunction.join(names)
    return labels.separator.join(names[:-1]) + conjunction + names[-1]


TAG_RE = re.compile(r"<[^>]*>")


def note_direction(note_html: str, lang: str) -> str | None:
    """``"ltr"`` or ``"rtl"`` for a note whose first letter is written in the other
    direction than the text's (an English reference in an Arabic article), so that it
    is set in its own direction (HTML's ``dir=auto`` rule, which WeasyPrint lacks);
    None when it goes the text's way."""
    for char in TAG_RE.sub("", note_html):
        kind = unicodedata.bidirectional(char)
        if kind in ("L", "R", "AL"):
            own = "ltr" if kind == "L" else "rtl"
            return own if own != ("rtl" if is_rtl(lang) else "ltr") else None
    return None


def with_backlink(note_html: str, link: str) -> str:
    """The note with ``link`` at the end of its last paragraph, where readers look for it."""
    if note_html.endswith("</p>"):
        return note_html[: -len("</p>")] + " " + link + "</p>"
    return note_html + f"<p>{link}</p>"


def build_time(meta: Metadata) -> datetime:
    """When the edition was 'made': SOURCE_DATE_EPOCH, else the manuscript's date, never the
    clock, so that the same sources give the same bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    if meta.date:
        parts = [int(p) for p in meta.date.split("-")] + [1, 1]
        return datetime(parts[0], parts[1], parts[2], tzinfo=UTC)
    return datetime(1980, 1, 1, tzinfo=UTC)


def dublin_core(meta: Metadata) -> list[tuple[str, str]]:
    pairs = [
        ("DC.title", meta.title.text),
        ("DC.language", meta.lang),
        ("DC.identifier", meta.identifier),
        ("DC.type", "Text"),
    ]
    pairs += [("DC.creator", a.name.text) for a in meta.authors]
    if meta.date:
        pairs.append(("DC.date", meta.date))
    if meta.publisher:
        pairs.append(("DC.publisher", meta.publisher.text))
    if meta.abstract:
        pairs.append(("DC.description", meta.abstract.text))
    pairs += [("DC.subject", k) for k in meta.keywords]
    if meta.rights:
        pairs.append(("DC.rights", meta.rights.text))
    if meta.publication:
        pairs.append(("DC.source", ", ".join(meta.publication_line)))
    return pairs


def json_ld(doc: Document) -> str:
    """schema.org description of the article, safe to put inside a <script> element."""
    meta = doc.meta
    article: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle" if meta.abstract else "Article",
        "headline": meta.title.text,
        "inLanguage": meta.lang,
        "identifier": meta.identifier,
        "author": [_person(a) for a in meta.authors],
    }
    if meta.subtitle:
        article["alternativeHeadline"] = meta.subtitle.text
    if meta.date:
        article["datePublished"] = meta.date
    if meta.abstract:
        article["abstract"] = meta.abstract.text
    if meta.keywords:
        article["keywords"] = list(meta.keywords)
    if meta.rights:
        article["license"] = meta.rights.text
    if meta.publisher:
        article["publisher"] = {"@type": "Organization", "name": meta.publisher.text}
    part_of = _periodical(meta)
    if part_of:
        article["isPartOf"] = part_of
    enrich_json_ld(article, doc)
    notices_ld.json_ld(article, doc)
    text = json.dumps(article, ensure_ascii=False, indent=2, sort_keys=False)
    # "</script>" in a title must not end the data block; "<" only occurs inside strings.
    return text.replace("<", "\\u003c")


def _person(author: Author) -> dict[str, object]:
    person: dict[str, object] = {"@type": "Person", "name": author.name.text}
    if author.affiliation:
        person["affiliation"] = {"@type": "Organization", "name": author.affiliation.text}
    if author.note:
        person["description"] = author.note.text
    if author.email:
        person["email"] = author.email
    if author.orcid:
        person["identifier"] = author.orcid
    if author.url:
        person["url"] = author.url
    return person


def _periodical(meta: Metadata) -> dict[str, object] | None:
    if not meta.publication:
        return None
    node: dict[str, object] = {"@type": "Periodical", "name": meta.publication.text}
    if meta.issn:
        node["issn"] = meta.issn
    if meta.publisher:
        node["publisher"] = {"@type": "Organization", "name": meta.publisher.text}
    if meta.volume:
        node = {"@type": "PublicationVolume", "volumeNumber": meta.volume, "isPartOf": node}
    if meta.issue:
        node = {"@type": "PublicationIssue", "issueNumber": meta.issue, "isPartOf": node}
        if meta.date:
            node["datePublished"] = meta.date
    return node
