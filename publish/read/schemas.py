"""Front matter written for other tools, read as their authors meant it: Open Journals
(JOSS, JOSE), R Markdown's rticles, Jekyll and Hugo journal themes and CSL-style names
become the Quarto shape that ``people`` and ``metadata`` read.

Done on the YAML data, before pandoc renders the Markdown in it, so that every value
ends up in the field where the other tool would have printed it; each moved value keeps
the line it was written on, so that messages still point there."""

from __future__ import annotations

import re
from typing import Any

from ..diagnostics import Collector
from . import journal_keys
from .notes_in_names import lift

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
ROR_RE = re.compile(r"^0[a-z0-9]{6}\d{2}$")


def normalise(data: dict[str, Any], lines: dict[str, int], report: Collector) -> None:
    """Rewrite ``data`` (and ``lines``) in place into the shape the schema reads."""
    _title(data, lines)
    if "keywords" not in data and isinstance(data.get("tags"), (list, str)):
        _move(data, lines, "tags", "keywords", keep=True)
    pool = _affiliation_pool(data, lines)
    codes = _note_codes(data)
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


def _affiliation_pool(data: dict[str, Any], lines: dict[str, int]) -> dict[str, list[str]]:
    """The ids authors may point to: Open Journals' ``index``, rticles' ``address``
    codes, and a Jekyll theme's ``affils`` list, all made Quarto ``affiliations``; by
    id, the notes lifted from each one's name (they become its authors' notes)."""
    shared = data.get("affiliations")
    entries = shared if isinstance(shared, list) else []
    for i, entry in enumerate(entries):
        if isinstance(entry, dict):
            if "index" in entry and "id" not in entry:
                entry["id"] = str(entry.pop("index"))
                lines[f"affiliations.{i}.id"] = lines.get(f"affiliations.{i}.index", 1)
            _ror(entry)
    address = data.get("address")
    if isinstance(address, list) and all(isinstance(a, dict) and "code" in a for a in address):
        start = len(entries)
        for j, item in enumerate(address):
            entries.append(_address(item))
            for path in [p for p in lines if p.startswith(f"address.{j}")]:
                lines[f"affiliations.{start + j}" + path[len(f"address.{j}") :]] = lines[path]
        data.pop("address")
    affils = data.get("affils")
    if isinstance(affils, list) and not entries:
        for j, name in enumerate(affils):
            entries.append({"id": str(j + 1), "name": name})
            lines[f"affiliations.{j}"] = lines.get(f"affils.{j}", 1)
    if entries:
        data["affiliations"] = entries
        lines.setdefault("affiliations", lines.get("address", lines.get("affils", 1)))
    pool: dict[str, list[str]] = {}
    for i, entry in enumerate(entries):
        if isinstance(entry, dict):
            notes: list[str] = []
            if isinstance(entry.get("name"), str):
                entry["name"], notes = lift(entry["name"])
            pool[str(entry.get("id", i + 1))] = notes
    return pool


def _ror(entry: dict[str, Any]) -> None:
    # Open Journals writes the bare ROR id; schema.org and Crossref want its address.
    ror = entry.get("ror")
    if isinstance(ror, str) and ROR_RE.match(ror.strip()):
        entry["ror"] = "https://ror.org/" + ror.strip()


def _address(item: dict[str, Any]) -> dict[str, Any]:
    """An rticles ``address`` entry, ``{code, address}`` or ``{code, organization,
    addressline, city, state, postcode, country}``, as a Quarto affiliation."""
    out: dict[str, Any] = {"id": str(item["code"])}
    given = item.get("address")
    parts: dict[str, Any] = given if isinstance(given, dict) else item
    if isinstance(item.get("address"), str):
        out["name"] = item["address"]
    for source, target in (
        ("organization", "name"),
        ("addressline", "address"),
        ("city", "city"),
        ("state", "region"),
        ("postcode", "postal-code"),
        ("country", "country"),
    ):
        if parts.get(source) is not None:
            out.setdefault(target, parts[source])
    return out


def _note_codes(data: dict[str, Any]) -> dict[str, tuple[str, str | None]]:
    """rticles' codes that stand for notes, not affiliations: PNAS's
    ``corresponding_author`` and ``equal_authors``, Elsevier's ``footnote`` list."""
    codes: dict[str, tuple[str, str | None]] = {}
    kinds = (
        ("corresponding_author", "corresponding", "corresponding"),
        ("equal_authors", "equal", "equal-contributor"),
    )
    for key, kind, note_key in kinds:
        value = data.get(key)
        if isinstance(value, dict) and "code" in value:
            codes[str(value["code"])] = (kind, None)
            text = _text(value.get("text"))
            notes = data.setdefault("author-notes", {})
            if text and isinstance(notes, dict):
                # Quarto's name for the words of these lines (its PLOS template).
                notes.setdefault(note_key, text)
    footnotes = data.get("footnote")
    if isinstance(footnotes, list):
        for note in footnotes:
            if isinstance(note, dict) and "code" in note:
                codes["footnote:" + str(note["code"])] = ("note", _text(note.get("text")))
    return codes


def _text(value: Any) -> str | None:
    return str(value) if isinstance(value, (str, int, float)) and str(value).strip() else None


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
        _add_notes(item, notes, path, lines)
        return item
    if not isinstance(item, dict):
        return item
    _name_parts(item, path, lines)
    name = item.get("name")
    if isinstance(name, str):
        item["name"], notes = lift(name)
        _add_notes(item, notes, path, lines)
    elif isinstance(name, dict) and isinstance(name.get("literal"), str):
        name["literal"], notes = lift(name["literal"])
        _add_notes(item, notes, path, lines)
    _flags(item, path, lines)
    _footnote(item, path, lines, codes)
    _author_affiliations(item, path, lines, pool, codes)
    return item


def _footnote(
    item: dict[str, Any], path: str, lines: dict[str, int], codes: dict[str, tuple[str, str | None]]
) -> None:
    """rticles' Elsevier shape: ``footnote: 1`` names an entry of the top-level
    ``footnote`` list, whose text is the author's note."""
    value = item.get("footnote")
    if isinstance(value, (int, str)) and "footnote:" + str(value).strip() in codes:
        note = codes["footnote:" + str(item.pop("footnote")).strip()][1]
        if note:
            _add_notes(item, [note], path, lines, line_key=f"{path}.footnote")


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
            _add_notes(item, [value], path, lines, line_key=f"{path}.{key}")


def _add_notes(
    item: dict[str, Any],
    notes: list[str],
    path: str,
    lines: dict[str, int],
    line_key: str | None = None,
) -> None:
    """Notes lifted from a name or an affiliation: one about correspondence or equal
    contribution sets that flag (its words kept), any other is the author's byline note."""
    if not notes:
        return
    existing = item.get("byline-note")
    found = [existing] if isinstance(existing, str) else []
    for note in notes:
        # As Open Journals reads them: these two are marks with the journal's words.
        lowered = note.lower()
        if "correspond" in lowered:
            item["corresponding"] = True
        elif "equal" in lowered and "contrib" in lowered:
            item["equal-contrib"] = True
        else:
            found.append(note)
    if not found:
        return
    item["byline-note"] = "; ".join(found)
    lines.setdefault(f"{path}.byline-note", lines.get(line_key or f"{path}.name", 1))


def _author_affiliations(
    item: dict[str, Any],
    path: str,
    lines: dict[str, int],
    pool: dict[str, list[str]],
    codes: dict[str, tuple[str, str | None]],
) -> None:
    """``affiliation: 1``, ``"1, 2"``, ``[1, 2]``, ``a,1,2`` or an rticles code, as
    Quarto's ``{ref: id}``; text that names no entry stays the affiliation's name."""
    key = next((k for k in ("affiliation", "affil") if k in item), None)
    if key is None:
        _affiliation_notes(item, "affiliations", path, lines, pool)
        return
    value = item.pop(key)
    line = lines.get(f"{path}.{key}", lines.get(path, 1))
    values = value if isinstance(value, list) else [value]
    found: list[Any] = []
    for entry in values:
        if isinstance(entry, bool):
            found.append(entry)
        elif isinstance(entry, (int, float)) and float(entry).is_integer():
            found.append({"ref": str(int(entry))})
        elif isinstance(entry, str):
            found += _codes(entry, item, path, lines, pool, codes)
        else:
            found.append(entry)
    places = {k: item[k] for k in ("department", "location") if isinstance(item.get(k), str)}
    if places and len(found) == 1 and isinstance(found[0], str):
        # rticles' shape for some journals: department and place beside the institution.
        whole = {
            "department": places.get("department"),
            "name": found[0],
            "city": places.get("location"),
        }
        found[0] = {k: v for k, v in whole.items() if v}
        for place in places:
            item.pop(place)
    earlier = item.get("affiliations")
    merged = (earlier if isinstance(earlier, list) else [earlier] if earlier else []) + found
    item["affiliations"] = merged
    start = len(merged) - len(found)
    for j in range(len(merged)):
        lines.setdefault(f"{path}.affiliations.{j + start}", line)
    lines.setdefault(f"{path}.affiliations", line)
    _affiliation_notes(item, "affiliations", path, lines, pool)


def _codes(
    text: str,
    item: dict[str, Any],
    path: str,
    lines: dict[str, int],
    pool: dict[str, list[str]],
    codes: dict[str, tuple[str, str | None]],
) -> list[Any]:
    tokens = [t.strip() for t in text.split(",") if t.strip()]
    known = set(pool) | set(codes)
    if text.strip() in pool:
        return [{"ref": text.strip()}]
    if not tokens or not all(t in known or t.isdigit() for t in tokens):
        return [text]
    found: list[Any] = []
    for token in tokens:
        if token in codes and token not in pool:
            kind, note = codes[token]
            if kind == "corresponding":
                item["corresponding"] = True
            elif kind == "equal":
                item["equal-contrib"] = True
            elif note:
                _add_notes(item, [note], path, lines, line_key=f"{path}.affiliation")
        else:
            found.append({"ref": token})
    return found


def _affiliation_notes(
    item: dict[str, Any], key: str, path: str, lines: dict[str, int], pool: dict[str, list[str]]
) -> None:
    """A note in one of the author's affiliations (written under the author, or in the
    shared entry the author names) is the author's note too."""
    value = item.get(key)
    entries = value if isinstance(value, list) else [value]
    for j, entry in enumerate(entries):
        notes: list[str] = []
        if isinstance(entry, str):
            entries[j], notes = lift(entry)
        elif isinstance(entry, dict) and isinstance(entry.get("name"), str):
            entry["name"], notes = lift(entry["name"])
        elif isinstance(entry, dict) and "ref" in entry:
            notes = pool.get(str(entry["ref"]), [])
        _add_notes(item, notes, path, lines, line_key=f"{path}.{key}")
    if isinstance(value, list):
        item[key] = entries
    elif value is not None:
        item[key] = entries[0]


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
    author are notes on the name, ``deceased`` in the words of ``author-notes``."""
    shared = data.get("author-notes")
    words = shared.get("deceased") if isinstance(shared, dict) else None
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        path = f"{key}.{i}" if key else "author"
        notes = []
        if item.get("deceased") is True:
            notes.append(str(words) if isinstance(words, str) and words.strip() else "Deceased")
        if isinstance(item.get("current-address"), str):
            notes.append(item["current-address"])
        _add_notes(item, notes, path, lines, line_key=f"{path}.name")


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
