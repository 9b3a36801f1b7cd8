"""Front matter written for other tools, read as their authors meant it: Open Journals
(JOSS, JOSE), R Markdown's rticles, Jekyll and Hugo journal themes and CSL-style names
become the Quarto shape that ``people`` and ``metadata`` read.

Done on the YAML data, before pandoc renders the Markdown in it, so that every value
ends up in the field where the other tool would have printed it; each moved value keeps
the line it was written on, so that messages still point there."""

from __future__ import annotations

from typing import Any

from ..diagnostics import Collector
from . import affiliation_codes, journal_keys
from .notes_in_names import add_notes, lift

# Name parts and the aliases Open Journals accepts (inara's docs/names.md), as CSL names.
NAME_PARTS = {
    "given-names": "given",
    "given": "given",
    "given_name": "given",
    "first": "given",
    "firstname": "given",
    "surname": "family",
    "family": "family",
    "family_name": "family",
    "last": "family",
    "lastname": "family",
    "dropping-particle": "dropping-particle",
    "non-dropping-particle": "non-dropping-particle",
    "suffix": "suffix",
    "literal": "literal",
}
EQUAL = ("equal-contrib", "equal-contributor", "equal_contrib", "equalcontrib")
CORRESPONDING = ("corresponding", "correspondingauthor", "corresponding-author")


def normalise(data: dict[str, Any], lines: dict[str, int], report: Collector) -> None:
    """Rewrite ``data`` (and ``lines``) in place into the shape the schema reads."""
    _title(data, lines)
    if "keywords" not in data and isinstance(data.get("tags"), (list, str)):
        _move(data, lines, "tags", "keywords", keep=True)
    pool = affiliation_codes.shared(data, lines)
    codes = affiliation_codes.note_codes(data)
    key = "author" if "author" in data else "authors"
    authors = data.get(key)
    if isinstance(authors, (list, dict, str)):
        items = authors if isinstance(authors, list) else [authors]
        for i, item in enumerate(items):
            path = f"{key}.{i}" if isinstance(authors, list) else key
            items[i] = _author(item, path, lines, pool, codes)
        data[key] = items if isinstance(authors, list) else items[0]
        _equal_pairs(items)
        _quarto_notes(items, key if isinstance(authors, list) else None, data, lines)
    _left_out(data, "", lines, report)


def _title(data: dict[str, Any], lines: dict[str, int]) -> None:
    """``title: {long: ..., short: ...}``: the title and the running heads' short one;
    rticles' and Jekyll themes' other names for the short title."""
    title = data.get("title")
    if isinstance(title, dict) and set(title) & {"long", "full", "short"}:
        data["title"] = title.get("long", title.get("full", title.get("short")))
        lines["title"] = lines.get("title.long", lines.get("title.full", lines.get("title", 1)))
        if title.get("short") is not None and "short-title" not in data:
            data["short-title"] = title["short"]
            lines["short-title"] = lines.get("title.short", lines["title"])
    for short in journal_keys.SHORT_TITLES:
        if short in data and "short-title" not in data:
            _move(data, lines, short, "short-title")


def _move(data: dict, lines: dict[str, int], old: str, new: str, keep: bool = False) -> None:
    data[new] = data[old] if keep else data.pop(old)
    for path in [p for p in lines if p == old or p.startswith(old + ".")]:
        lines.setdefault(new + path[len(old) :], lines[path])


def _author(
    item: Any,
    path: str,
    lines: dict[str, int],
    pool: dict[str, list[str]],
    codes: dict[str, tuple[str, str | None]],
) -> Any:
    if isinstance(item, str):
        text, notes = lift(item)
        if not notes:
            return item
        item = {"name": text}
        add_notes(item, notes, path, lines)
        return item
    if not isinstance(item, dict):
        return item
    _name_parts(item, path, lines)
    name = item.get("name")
    if isinstance(name, str):
        item["name"], notes = lift(name)
        add_notes(item, notes, path, lines)
    elif isinstance(name, dict) and isinstance(name.get("literal"), str):
        name["literal"], notes = lift(name["literal"])
        add_notes(item, notes, path, lines)
    _flags(item, path, lines)
    affiliation_codes.footnote(item, path, lines, codes)
    affiliation_codes.author_affiliations(item, path, lines, pool, codes)
    return item


def _name_parts(item: dict[str, Any], path: str, lines: dict[str, int]) -> None:
    """Name parts beside ``name`` or under it, in any of their aliases, as CSL's."""
    parts = {k: item.pop(k) for k in list(item) if k in NAME_PARTS}
    name = item.get("name")
    if isinstance(name, dict):
        for key in [k for k in name if k in NAME_PARTS and NAME_PARTS[k] != k]:
            name.setdefault(NAME_PARTS[key], name.pop(key))
            lines.setdefault(f"{path}.name.{NAME_PARTS[key]}", lines.get(f"{path}.name.{key}", 1))
    if not parts:
        return
    mapped: dict[str, Any] = {}
    for key, value in parts.items():
        mapped.setdefault(NAME_PARTS[key], value)
        lines.setdefault(f"{path}.name.{NAME_PARTS[key]}", lines.get(f"{path}.{key}", 1))
    if isinstance(name, str):
        # A display name and its parts: the name as written, the parts for catalogues.
        mapped.setdefault("literal", name)
    elif isinstance(name, dict):
        mapped = {**mapped, **name}
    item["name"] = mapped
    lines.setdefault(f"{path}.name", min(lines.get(f"{path}.{k}", 1) for k in parts))


def _flags(item: dict[str, Any], path: str, lines: dict[str, int]) -> None:
    given = item.get("attributes")
    attributes: dict[str, Any] = given if isinstance(given, dict) else {}
    equal = any(item.get(k) is True or attributes.get(k) is True for k in EQUAL)
    for key in EQUAL:
        if key in item and key != "equal-contrib":
            lines.setdefault(f"{path}.equal-contrib", lines.get(f"{path}.{key}", 1))
            item.pop(key)
    item["equal-contrib"] = equal or item.get("equal-contrib") is True
    corresponding = item.get("corresponding")
    if isinstance(corresponding, str) and "@" in corresponding:
        # rticles' PLOS template: 'corresponding: alice@example.com'.
        item.setdefault("email", corresponding)
        item["corresponding"] = True
    for key in CORRESPONDING[1:]:
        if key in item:
            item["corresponding"] = item.pop(key) is True or item.get("corresponding") is True
    for key in ("footnote", "thanks"):
        value = item.get(key)
        if isinstance(value, str) and not value.strip().isdigit():
            # A note given as text (rticles' 'footnote: Corresponding Author').
            item.pop(key)
            add_notes(item, [value], path, lines, line_key=f"{path}.{key}")


def _equal_pairs(items: list[Any]) -> None:
    """One author marked as an equal contributor means the first two contributed
    equally (Open Journals' reading: a mark on one name alone says nothing)."""
    marked = [a for a in items if isinstance(a, dict) and a.get("equal-contrib")]
    if len(marked) == 1 and len(items) > 1 and isinstance(items[1], dict):
        if items[0] is marked[0]:
            items[1]["equal-contrib"] = True


def _quarto_notes(
    items: list[Any], key: str | None, data: dict[str, Any], lines: dict[str, int]
) -> None:
    """Quarto's journal templates (PLOS): ``current-address`` and ``deceased`` on an
    author are notes on the name, ``deceased`` in the words of ``author-notes``; a group
    author (``group: true``) takes the note ``author-notes.group`` (where its members
    are listed)."""
    shared = data.get("author-notes")
    words = shared.get("deceased") if isinstance(shared, dict) else None
    group = shared.get("group") if isinstance(shared, dict) else None
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        path = f"{key}.{i}" if key else "author"
        notes = []
        if item.get("deceased") is True:
            notes.append(str(words) if isinstance(words, str) and words.strip() else "Deceased")
        if isinstance(item.get("current-address"), str):
            notes.append(item["current-address"])
        if item.get("group") is True and isinstance(group, str) and group.strip():
            notes.append(group)
        add_notes(item, notes, path, lines, line_key=f"{path}.name")


NOT_TEXT = {"bibliography", "csl", "references", "nocite", "resource-path", "citation-style"}
"""Keys whose values pandoc does not set as text: their brackets are not notes."""


def _left_out(value: Any, path: str, lines: dict[str, int], report: Collector) -> Any:
    """Notes left in any other field (a title, an abstract): no edition has a place
    to call them from, so they are taken out here, with a warning at their line (left
    to pandoc, each became a note that nothing calls, which EPUBCheck refuses)."""
    if isinstance(value, dict):
        for key in value:
            if path or (key not in NOT_TEXT and key not in journal_keys.TOP_LEVEL):
                value[key] = _left_out(value[key], f"{path}.{key}" if path else key, lines, report)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            value[i] = _left_out(item, f"{path}.{i}", lines, report)
    elif isinstance(value, str) and "^[" in value:
        text, notes = lift(value)
        if notes:
            where = path
            while where and where not in lines:
                where = where.rpartition(".")[0]
            shown = path.replace("authors.", "author.", 1) if path.startswith("authors.") else path
            report.warning(
                lines.get(where, 1),
                f"a note in '{shown}' is left out: a metadata field holds no notes; put "
                "the note in the text, or its words in the field",
            )
            return text
    return value
