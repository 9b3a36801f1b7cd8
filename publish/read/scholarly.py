"""The scholarly keys of the front matter: DOI, ISSN, licence, pages, and the keys
pandoc's citeproc reads itself (bibliography, csl...), which the schema must know."""

from __future__ import annotations

import html as htmllib
import re
from typing import Any

from ..document import Rich
from . import bylines, people
from .identifiers import IdentifierError, doi
from .identifiers import issn as check_issn

KEYS = {
    "doi",
    "affiliations",
    "firstpage",
    "lastpage",
    "bibliography",
    "references",
    "csl",
    "citation-style",
    "nocite",
    "link-citations",
    "link-bibliography",
    "citation-abbreviations",
}
"""Keys the schema accepts besides the Metadata fields."""
DERIVED = {"license_url", "numbered_affiliations", "byline_notes"}
"""Metadata fields computed here, not written by the author."""
URL_RE = re.compile(r"^https?://\S+$")


def values(check: Any, data: dict[str, Any], known: dict[str, Any], email_re: Any) -> dict:
    """The fields of Metadata this module fills in, from the front matter."""
    authors, affiliations, differ = people.authors(
        check, data.get("author"), data.get("affiliations"), email_re
    )
    lang = data.get("lang")
    authors, notes = bylines.marked(check, authors, lang if isinstance(lang, str) else "en")
    found: dict[str, Any] = {
        "authors": authors,
        "byline_notes": notes,
        "affiliations": affiliations,
        "numbered_affiliations": differ,
        "firstpage": check.scalar("firstpage", data.get("firstpage")),
        "lastpage": check.scalar("lastpage", data.get("lastpage")),
        "license_url": _license_url(data.get("rights")),
    }
    identifier = known.get("identifier") or ""
    if data.get("doi") is not None:
        text = check.scalar("doi", data.get("doi"))
        bare = _doi(check, "doi", text) if text else None
        found["doi"] = bare
        if bare:
            # A DOI is the article's one lasting name: the EPUB's unique identifier too.
            found["identifier"] = "doi:" + bare
    elif identifier.startswith("doi:"):
        found["doi"] = identifier.removeprefix("doi:")
    return found


def identifier_doi(check: Any, text: str) -> str:
    """``identifier:`` given as a DOI in any of its forms, kept as ``doi:10...``."""
    bare = _doi(check, "identifier", text)
    return "doi:" + bare if bare else text


def _doi(check: Any, path: str, text: str) -> str | None:
    try:
        return doi(text)
    except IdentifierError as exc:
        check.report.error(check.at(path), f"'{path}': {exc}")
        return None


def issn(check: Any, value: Any) -> str | None:
    text = check.scalar("issn", value)
    if text is None:
        return None
    try:
        return check_issn(text)
    except IdentifierError as exc:
        check.report.error(check.at("issn"), f"'issn': {exc}")
        return None


def rights(check: Any, value: Any) -> Rich | None:
    """``license``/``rights`` as text, or Quarto's ``{type, link, text}``."""
    if not isinstance(value, dict):
        rich = check.rich("rights")
        return rich
    for key in value:
        if key not in ("type", "link", "text", "url"):
            check.report.warning(
                check.at(f"rights.{key}"), f"unknown licence key '{key}': use type, link or text"
            )
    rich = check.rich("rights.text") or check.rich("rights.type", inline=True)
    if rich is None:
        link = _license_url(value)
        if not link:
            check.report.error(check.at("rights"), "'license' needs 'text', 'type' or 'link'")
            return None
        return Rich(html=htmllib.escape(link, quote=False), text=link)
    return rich


def _license_url(value: Any) -> str | None:
    if isinstance(value, dict):
        link = value.get("link") or value.get("url")
        return str(link) if link and URL_RE.match(str(link)) else None
    if isinstance(value, str) and URL_RE.match(value.strip()):
        return value.strip()
    return None
