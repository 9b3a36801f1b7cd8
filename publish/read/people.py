"""Authors and affiliations in pandoc's and Quarto's schema: a name, a list of names, or
mappings with ``name`` (text or ``{given, family, literal}``), ``affiliations`` (text,
mappings, or ``{ref: id}`` into a top-level ``affiliations:`` list), ``email``, ``url``,
``orcid``, ``corresponding``, ``note``; the older ``affiliation:`` keeps working."""

from __future__ import annotations

import copy
import difflib
import html as htmllib
from typing import Any, Protocol

from ..diagnostics import Collector
from ..document import Affiliation, Author, Rich
from . import journal_keys
from .identifiers import IdentifierError, orcid

AUTHOR_KEYS = {
    "name",
    "affiliation",
    "affiliations",
    "note",
    "email",
    "orcid",
    "url",
    "corresponding",
    "attributes",
    "id",
    "roles",
    "role",
} | journal_keys.AUTHOR
NAME_KEYS = {"given", "family", "literal", "dropping-particle", "non-dropping-particle", "suffix"}
AFFILIATION_KEYS = {
    "id",
    "name",
    "department",
    "address",
    "city",
    "region",
    "state",
    "country",
    "postal-code",
    "url",
    "ror",
    "ref",
} | journal_keys.AFFILIATION
PLACE_KEYS = ("department", "name", "city", "region", "state", "country")


class Checker(Protocol):
    report: Collector

    def rich(self, path: str, inline: bool = False) -> Rich | None: ...
    def at(self, path: str) -> int: ...
    def scalar(self, path: str, value: Any) -> str | None: ...
    def url(self, path: str, value: Any) -> str | None: ...
    def pattern(self, path: str, value: Any, regex: Any, what: str) -> str | None: ...


def authors(
    check: Checker, value: Any, shared: Any, email_re: Any
) -> tuple[tuple[Author, ...], tuple[Affiliation, ...], bool]:
    """The authors, every affiliation once in order of first mention, and whether the
    authors' affiliations differ (then names carry the affiliations' numbers)."""
    pool = _shared_affiliations(check, shared)
    if value is None:
        return (), (), False
    items = value if isinstance(value, list) else [value]
    _inline_affiliations(check, items, pool, single=not isinstance(value, list))
    found = []
    for i, item in enumerate(items):
        path = f"author.{i}" if isinstance(value, list) else "author"
        author = _author(check, item, path, pool, email_re)
        if author:
            found.append(author)
    listed: dict[str, Affiliation] = {}
    for author in found:
        for affiliation in author.affiliations:
            listed.setdefault(_key(affiliation), affiliation)
    differ = len({tuple(_key(a) for a in author.affiliations) for author in found}) > 1
    return tuple(found), tuple(listed.values()), differ


def _inline_affiliations(
    check: Checker, items: list, pool: dict[str, Affiliation], single: bool
) -> None:
    """Affiliations given in full under one author with an ``id``, added to ``pool``:
    Quarto lets every author ``ref`` them, before or after the one that gives them.
    Read quietly here; their messages come when their own author is read."""
    quiet = copy.copy(check)
    quiet.report = Collector(check.report.path)
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        for key in ("affiliations", "affiliation"):
            value = item.get(key)
            entries = value if isinstance(value, list) else [value]
            for j, entry in enumerate(entries):
                if not isinstance(entry, dict) or "ref" in entry or not entry.get("id"):
                    continue
                author = "author" if single else f"author.{i}"
                where = f"{author}.{key}" + (f".{j}" if isinstance(value, list) else "")
                affiliation = _affiliation(quiet, entry, where, {})
                if affiliation is not None:
                    pool.setdefault(str(entry["id"]), affiliation)


def _key(affiliation: Affiliation) -> str:
    # What the reader sees: the same line given once by 'ref' and once as text is one.
    return affiliation.name.text


def _shared_affiliations(check: Checker, value: Any) -> dict[str, Affiliation]:
    """The top-level ``affiliations:`` list, by id, for ``{ref: id}`` to point into."""
    if value is None:
        return {}
    if not isinstance(value, list):
        check.report.error(check.at("affiliations"), "'affiliations' must be a list")
        return {}
    pool = {}
    for i, item in enumerate(value):
        affiliation = _affiliation(check, item, f"affiliations.{i}", {})
        if affiliation is not None:
            pool[affiliation.id or str(i + 1)] = affiliation
    return pool


def _author(
    check: Checker, item: Any, path: str, pool: dict[str, Affiliation], email_re: Any
) -> Author | None:
    if isinstance(item, (str, int)):
        name = check.rich(path, inline=True)
        if not name:
            return None
        given, family = _split_name(name.text)
        return Author(name=name, given=given, family=family)
    if not isinstance(item, dict) or "name" not in item:
        check.report.error(
            check.at(path),
            "each author must be a name or a mapping with 'name:' (and optionally "
            "affiliations, note, email, orcid, url, corresponding)",
        )
        return None
    for key in item:
        if key not in AUTHOR_KEYS:
            hint = difflib.get_close_matches(str(key), sorted(AUTHOR_KEYS), n=1)
            advice = f"did you mean '{hint[0]}'?" if hint else "it is ignored"
            check.report.warning(check.at(f"{path}.{key}"), f"unknown author key '{key}': {advice}")
    name, given, family = _name(check, item["name"], f"{path}.name")
    if name is None:
        return None
    affiliations = _author_affiliations(check, item, path, pool)
    line = "; ".join(a.name.html for a in affiliations)
    attributes = item["attributes"] if isinstance(item.get("attributes"), dict) else {}
    return Author(
        name=name,
        affiliation=Rich(html=line, text="; ".join(a.name.text for a in affiliations))
        if affiliations
        else None,
        note=check.rich(f"{path}.note"),
        email=check.pattern(f"{path}.email", item.get("email"), email_re, "an email address"),
        orcid=_orcid(check, f"{path}.orcid", item.get("orcid")),
        url=check.url(f"{path}.url", item.get("url")),
        given=given,
        family=family,
        affiliations=affiliations,
        corresponding=item.get("corresponding") is True or attributes.get("corresponding") is True,
        equal_contrib=item.get("equal-contrib") is True,
        byline_note=check.rich(f"{path}.byline-note", inline=True),
    )


def _name(check: Checker, value: Any, path: str) -> tuple[Rich | None, str | None, str | None]:
    if isinstance(value, dict):
        for key in value:
            if key not in NAME_KEYS:
                check.report.warning(
                    check.at(f"{path}.{key}"),
                    f"unknown name key '{key}': use given, family, literal, suffix or a particle",
                )
        parts = {k: str(v).strip() for k, v in value.items() if k in NAME_KEYS and v}
        if "literal" in parts:
            # The name as printed; its parts, when given, for catalogues ("Family, Given").
            text = parts["literal"]
            given, family = _split_name(text)
            if parts.get("family"):
                given, family = parts.get("given"), _family(parts)
        elif parts.get("family"):
            given, family = parts.get("given"), _family(parts)
            text = " ".join(
                p for p in (given, parts.get("dropping-particle"), family, parts.get("suffix")) if p
            )
        else:
            check.report.error(check.at(path), f"'{path}' needs 'family' (or 'literal')")
            return None, None, None
        return Rich(html=htmllib.escape(text, quote=False), text=text), given, family
    name = check.rich(path, inline=True)
    if name is None:
        return None, None, None
    given, family = _split_name(name.text)
    return name, given, family


def _family(parts: dict[str, str]) -> str:
    """The family name with the particle that is filed with it ("van Gogh")."""
    return " ".join(p for p in (parts.get("non-dropping-particle"), parts["family"]) if p)


def _split_name(text: str) -> tuple[str | None, str | None]:
    """'Jane Q. Smith' as ('Jane Q.', 'Smith'): the last word is the family name, the
    convention pandoc and Quarto follow for a name given as text."""
    words = text.split()
    if len(words) < 2:
        return None, text or None
    return " ".join(words[:-1]), words[-1]


def _author_affiliations(
    check: Checker, item: dict, path: str, pool: dict[str, Affiliation]
) -> tuple[Affiliation, ...]:
    found: list[Affiliation] = []
    for key in ("affiliations", "affiliation"):
        value = item.get(key)
        if value is None:
            continue
        entries = value if isinstance(value, list) else [value]
        for i, entry in enumerate(entries):
            where = f"{path}.{key}.{i}" if isinstance(value, list) else f"{path}.{key}"
            affiliation = _affiliation(check, entry, where, pool)
            if affiliation is not None:
                found.append(affiliation)
                # Quarto: an affiliation given in full with an 'id' under one author
                # may be named by 'ref' under the authors after it.
                if affiliation.id and isinstance(entry, dict) and "ref" not in entry:
                    pool.setdefault(affiliation.id, affiliation)
    return tuple(found)


def _affiliation(
    check: Checker, entry: Any, path: str, pool: dict[str, Affiliation]
) -> Affiliation | None:
    if isinstance(entry, (str, int, float)):
        if str(entry) in pool:
            return pool[str(entry)]
        name = check.rich(path, inline=True)
        return Affiliation(name=name, institution=name.text) if name else None
    if not isinstance(entry, dict):
        check.report.error(check.at(path), f"'{path}' must be a name or a mapping")
        return None
    for key in entry:
        if key not in AFFILIATION_KEYS:
            hint = difflib.get_close_matches(str(key), sorted(AFFILIATION_KEYS), n=1)
            advice = f"did you mean '{hint[0]}'?" if hint else "it is ignored"
            check.report.warning(
                check.at(f"{path}.{key}"), f"unknown affiliation key '{key}': {advice}"
            )
    if "ref" in entry:
        ref = str(entry["ref"])
        if ref not in pool:
            check.report.error(
                check.at(f"{path}.ref"),
                f"affiliation 'ref: {ref}' names no affiliation: give one of them 'id: {ref}' "
                "(in the top-level 'affiliations' list or under an author)",
            )
            return None
        return pool[ref]
    parts = []
    for key in PLACE_KEYS:
        if entry.get(key) is None:
            continue
        rich = check.rich(f"{path}.{key}", inline=True)
        if rich is None and str(entry[key]).strip():
            text = str(entry[key]).strip()
            rich = Rich(html=htmllib.escape(text, quote=False), text=text)
        if rich is not None:
            parts.append(rich)
    if not parts:
        check.report.error(check.at(path), f"'{path}' needs a 'name'")
        return None
    institution = check.rich(f"{path}.name", inline=True)
    return Affiliation(
        name=Rich(html=", ".join(p.html for p in parts), text=", ".join(p.text for p in parts)),
        id=str(entry.get("id") or ""),
        url=check.url(f"{path}.url", entry.get("url")),
        ror=check.scalar(f"{path}.ror", entry.get("ror")),
        institution=institution.text if institution else parts[0].text,
    )


def _orcid(check: Checker, path: str, value: Any) -> str | None:
    text = check.scalar(path, value)
    if text is None:
        return None
    try:
        return orcid(text)
    except IdentifierError as exc:
        check.report.error(check.at(path), f"'{path}': {exc}")
        return None
