"""The front matter's keys of notices and versions (``notice``, ``updates``, ``version``,
``version-date``, ``version-note``), checked at their lines: the same reading for the
schema (``read.metadata``) and for the build's register of every manuscript
(``register``), which reads front matters without pandoc."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from ..read.identifiers import IdentifierError, doi, looks_like_doi
from .model import KINDS, NOTICE_KINDS, Updates, Version

KEYS = frozenset({"notice", "updates", "version", "version-date", "version-note"})
"""The keys this module reads (known to the schema)."""
NOTE_CHARS = 300
"""A version note is a line in a list of versions, not a changelog."""
SLUG_CHARS = 200


class Checker(Protocol):
    """What ``read.metadata``'s checker gives: a key's line, a report, a date's check."""

    def at(self, path: str) -> int: ...
    def error(self, path: str, message: str) -> None: ...
    def warning(self, path: str, message: str) -> None: ...
    def date(self, value: Any, path: str = "date") -> str | None: ...


@dataclass(frozen=True)
class Own:
    """What a manuscript says of itself with these keys, as checked."""

    notice: str | None = None
    """The kind of notice it is (a name in ``model.KINDS``)."""
    updates: tuple[str, ...] = ()
    """The articles it updates: a slug, or ``doi:10.x/y`` for a DOI."""
    updates_line: int | None = None
    updates_lines: tuple[int, ...] = ()
    """The line of each of ``updates`` (the key's own for one value)."""
    version: int | None = None
    version_line: int | None = None
    version_date: str | None = None
    version_note: str = ""


def read_own(data: dict[str, Any], check: Checker) -> Own:
    """The keys' values, each error reported at its line."""
    notice = _notice(data, check)
    updates, lines = _updates(data, check)
    if "notice" in data and "updates" not in data:
        check.error(
            "notice",
            "a notice names the articles it updates: add 'updates: <slug or DOI>' "
            "(a list for several)",
        )
    if "updates" in data and "notice" not in data:
        check.error(
            "updates",
            "'updates' belongs to a notice: add 'notice: correction' (or "
            f"{', '.join(NOTICE_KINDS[1:])}), or remove 'updates'",
        )
    version = _version(data, check)
    version_date = None
    if "version-date" in data:
        version_date = check.date(data["version-date"], "version-date")
    elif version is not None and version > 1:
        check.warning(
            "version",
            f"version {version} has no 'version-date': it is dated by 'date', as version 1 "
            "was; add 'version-date: YYYY-MM-DD' (the day this version appears)",
        )
    return Own(
        notice=notice,
        updates=updates,
        updates_line=check.at("updates") if "updates" in data else None,
        updates_lines=lines,
        version=version,
        version_line=check.at("version") if "version" in data else None,
        version_date=version_date,
        version_note=_note(data, check),
    )


def _notice(data: dict[str, Any], check: Checker) -> str | None:
    if "notice" not in data:
        return None
    value = data["notice"]
    name = value.strip().lower() if isinstance(value, str) else None
    if name not in KINDS:
        check.error(
            "notice",
            f"'notice: {value}' is not a kind of notice: write one of {', '.join(NOTICE_KINDS)}",
        )
        return None
    return name


def _updates(data: dict[str, Any], check: Checker) -> tuple[tuple[str, ...], tuple[int, ...]]:
    if "updates" not in data:
        return (), ()
    value = data["updates"]
    items = value if isinstance(value, list) else [value]
    found: list[str] = []
    lines: list[int] = []
    for i, item in enumerate(items):
        where = f"updates.{i}" if isinstance(value, list) else "updates"
        ref = _reference(item)
        if ref is None:
            check.error(
                where,
                f"'updates' names an article by its file name without '.md' (its slug) or by "
                f"its DOI (10.xxxx/suffix): '{item}' is neither",
            )
        elif ref not in found:
            found.append(ref)
            lines.append(check.at(where))
    if not items:
        check.error("updates", "'updates' is empty: name the article this notice updates")
    return tuple(found), tuple(lines)


def _reference(item: Any) -> str | None:
    """A slug, or ``doi:10...`` for a DOI in any of its forms; None for neither."""
    if isinstance(item, bool) or not isinstance(item, (str, int)):
        return None
    text = str(item).strip()
    if looks_like_doi(text):
        try:
            return "doi:" + doi(text)
        except IdentifierError:
            return None
    slug = text.removesuffix(".md")
    # A slug is a file's stem: no folder, nothing a link would read otherwise.
    if (
        not slug
        or len(slug) > SLUG_CHARS
        or any(c in slug for c in "/\\<>\"'#?% ")
        or slug[0] == "."
    ):
        return None
    return slug


def _version(data: dict[str, Any], check: Checker) -> int | None:
    if "version" not in data:
        return None
    value = data["version"]
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        # Shown as typed: a quoted "3" is text, and 'version: 3' would read as if 3 were wrong.
        quoted = isinstance(value, str) and value.strip().isdigit()
        typed = f'"{value}"' if quoted else str(value).lower() if isinstance(value, bool) else value
        unquote = " without quotes" if quoted else ""
        check.error(
            "version",
            f"'version: {typed}' is not a version number: write a whole number from 1"
            f"{unquote} (version: 2 for the article's second version)",
        )
        return None
    if value > 10_000:
        check.error("version", f"'version: {value}' is too high: number versions 1, 2, 3...")
        return None
    return value


def _note(data: dict[str, Any], check: Checker) -> str:
    if "version-note" not in data:
        return ""
    value = data["version-note"]
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        check.error(
            "version-note",
            "'version-note' is one line of text saying what changed in this version",
        )
        return ""
    text = " ".join(str(value).split())
    if len(text) > NOTE_CHARS:
        check.error(
            "version-note",
            f"'version-note' has {len(text)} characters, above {NOTE_CHARS}: say in a line "
            "what changed (a longer account belongs in the text, or in a notice)",
        )
        return ""
    return text


def own_updates(own: Own, date: str | None) -> Updates:
    """What a manuscript alone says of itself: its kind of notice, its version (dated by
    ``version-date``, else its ``date``). The build's relations add the rest."""
    version = None
    if own.version is not None:
        version = Version(own.version, own.version_date or date, own.version_note)
    return Updates(notice=KINDS.get(own.notice or ""), version=version)
