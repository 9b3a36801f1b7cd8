"""What the contents pages, the archive's home, its sitemap and its feed say of notices
(issue 23): an article's status ("Retracted") with the notices that gave it, a notice
shown as a notice, with what it updates.

An issue's articles carry it in the issue's summary (``.publish-issue.json``); an
article built on its own, in its web page's JSON-LD (``editions/notices.py``), which
the archive reads back. Nothing is added for an article that nothing updates, so that
those pages and files keep their bytes."""

from __future__ import annotations

import json
import re
from typing import Any

from ..document import Document, human_date
from ..editions.notices import kind_label, status_label
from ..updates.model import KINDS

JSON_LD_RE = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def of_document(doc: Document) -> dict[str, Any]:
    """An article's entry in its issue's summary: ``status`` (its words, in its
    language), ``mark``, ``notices`` (kind, date, title, link), and for a notice its
    ``notice`` kind and the ``targets`` it updates; empty when there are none."""
    updates = doc.updates
    lang = doc.meta.lang
    found: dict[str, Any] = {}
    status = updates.status
    if status is not None:
        found["status"] = status_label(status, lang)
        found["mark"] = updates.mark
        found["notices"] = [
            {
                "kind": kind_label(n.kind, lang),
                "date": n.date or "",
                "date_text": human_date(n.date, lang) if n.date else "",
                "title_text": n.link.title_text,
                "href": n.link.url or "",
            }
            for n in updates.notices
        ]
    if updates.notice is not None:
        found["notice"] = kind_label(updates.notice, lang)
        found["targets"] = [
            {"title_text": t.title_text or (t.doi or ""), "href": t.url or ""}
            for t in updates.targets
        ]
    return found


def of_page_head(head: str) -> dict[str, Any]:
    """What an article's web page says of its status in its JSON-LD: ``status``
    (creativeWorkStatus), ``notice`` (genre, for a notice), ``headline`` and ``updated``
    (the latest notice or version date); empty for a page that says none of these."""
    match = JSON_LD_RE.search(head)
    if match is None:
        return {}
    try:
        data = json.loads(match.group(1))
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    found: dict[str, Any] = {}
    if isinstance(data.get("creativeWorkStatus"), str):
        found["status"] = data["creativeWorkStatus"]
    if isinstance(data.get("genre"), str):
        found["notice"] = data["genre"]
    dates: list[str] = [
        c["datePublished"]
        for c in data.get("correction") or []
        if isinstance(c, dict) and isinstance(c.get("datePublished"), str)
    ]
    if isinstance(data.get("dateModified"), str):
        dates.append(data["dateModified"])
    if dates:
        found["updated"] = max(dates)
    if found and isinstance(data.get("headline"), str):
        found["headline"] = data["headline"]
    return found


def latest(article: dict[str, Any]) -> str:
    """The date of the latest notice that updates an article of an issue's summary, or ""."""
    return max((n["date"] for n in article.get("notices", []) if n["date"]), default="")


def counts(articles: list[dict[str, Any]]) -> str:
    """ "1 retracted, 2 corrected" for an issue's list on the archive's home; "" if none."""
    tally: dict[str, int] = {}
    for a in articles:
        if a.get("status"):
            tally[a["status"]] = tally.get(a["status"], 0) + 1
    return ", ".join(f"{n} {status.lower()}" for status, n in tally.items())


MARKED = {k.status for k in KINDS.values() if k.mark == "retracted"}


def title_marked(title: str, article: dict[str, Any]) -> str:
    """A feed entry's title: "Retracted: …" for a retracted or withdrawn article."""
    status = article.get("status", "")
    if article.get("mark") == "retracted" or ("mark" not in article and status in MARKED):
        return f"{status}: {title}"
    return title
