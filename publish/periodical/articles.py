"""The articles of an issue, each read once and given the issue's periodical keys."""

from __future__ import annotations

import html
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..diagnostics import Collector, Diagnostic
from ..document import Document, Metadata, Rich
from ..labels import labels_for
from ..read import frontmatter
from .schema import PERIODICAL_KEYS, Issue

RICH_KEYS = {"publication", "publisher"}
ALIASES = {"container-title": "publication"}


def read_articles(issue: Issue, strict: bool, base_url: str | None) -> list[Document]:
    """Every article, in reading order; raises ManuscriptError for the first that fails."""
    from ..read import read  # not at import: an up-to-date build never reads

    return [
        with_issue(read(p, strict=strict, base_url=base_url), issue, strict) for p in issue.articles
    ]


def with_issue(doc: Document, issue: Issue, strict: bool) -> Document:
    """The article with the issue's publication, volume, issue, date, ISSN and publisher
    where it sets none; a value it sets that contradicts the issue's is a warning at its
    line (the article's own value is kept: it may be a reprint)."""
    meta = doc.meta
    changes: dict[str, Any] = {}
    report = Collector(doc.source, strict)
    lines = key_lines(doc.source)
    for key in PERIODICAL_KEYS:
        theirs = issue.value(key)
        mine = getattr(meta, key)
        if theirs is None:
            continue
        if mine is None:
            changes[key] = (
                Rich(html.escape(theirs, quote=False), theirs) if key in RICH_KEYS else theirs
            )
            continue
        text = mine.text if isinstance(mine, Rich) else mine
        if text != theirs and not (key == "date" and _same_date(text, theirs)):
            report.warning(
                lines.get(key),
                f"'{key}: {text}' contradicts the issue's '{key}: {theirs}' "
                f"({issue.name}/issue.yaml): remove it to take the issue's",
            )
    if meta.lang == "en" and issue.lang != "en" and "lang" not in lines:
        changes["lang"] = issue.lang
    diagnostics: tuple[Diagnostic, ...] = doc.diagnostics + tuple(report.items)
    return replace(doc, meta=replace(meta, **changes), diagnostics=diagnostics)


def _same_date(one: str, other: str) -> bool:
    """2025-06-30 is in 2025-06: an article may date itself more precisely than its
    issue without contradicting it."""
    short, long = sorted((one, other), key=len)
    return long.startswith(short + "-")


def key_lines(source: Path) -> dict[str, int]:
    """Line of each top-level key of the article's front matter."""
    return {ALIASES.get(k, k): v for k, v in frontmatter.key_lines(source).items()}


def names(meta: Metadata) -> str:
    """The authors' names as HTML, 'A, B and C', for the issue's contents and cover:
    without the byline's affiliation numbers (their list is not there) and ORCID links
    (the contents entry is itself a link, and a link may hold no other)."""
    found = [a.name.html for a in meta.authors]
    conjunction = f" {labels_for(meta.lang).and_} "
    if len(found) <= 2:
        return conjunction.join(found)
    return ", ".join(found[:-1]) + conjunction + found[-1]


def running_names(meta: Metadata) -> str:
    """The authors in a running head: one or two names, or the first 'et al.'."""
    found = [a.name.text for a in meta.authors]
    if len(found) > 2:
        return f"{found[0]} et al."
    return f" {labels_for(meta.lang).and_} ".join(found)
