"""Affiliations named by number or code, as Open Journals, rticles and Jekyll themes
write them, made Quarto's ``{ref: id}`` into the top-level ``affiliations`` list; and
rticles' codes that stand for notes (PNAS's corresponding author and equal
contributors, Elsevier's footnotes)."""

from __future__ import annotations

import re
from typing import Any

from .notes_in_names import add_notes, lift

ROR_RE = re.compile(r"^0[a-z0-9]{6}\d{2}$")


def shared(data: dict[str, Any], lines: dict[str, int]) -> dict[str, list[str]]:
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


def note_codes(data: dict[str, Any]) -> dict[str, tuple[str, str | None]]:
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


def footnote(
    item: dict[str, Any], path: str, lines: dict[str, int], codes: dict[str, tuple[str, str | None]]
) -> None:
    """rticles' Elsevier shape: ``footnote: 1`` names an entry of the top-level
    ``footnote`` list, whose text is the author's note."""
    value = item.get("footnote")
    if isinstance(value, (int, str)) and "footnote:" + str(value).strip() in codes:
        note = codes["footnote:" + str(item.pop("footnote")).strip()][1]
        if note:
            add_notes(item, [note], path, lines, line_key=f"{path}.footnote")


def author_affiliations(
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
                add_notes(item, [note], path, lines, line_key=f"{path}.affiliation")
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
        add_notes(item, notes, path, lines, line_key=f"{path}.{key}")
    if isinstance(value, list):
        item[key] = entries
    elif value is not None:
        item[key] = entries[0]
