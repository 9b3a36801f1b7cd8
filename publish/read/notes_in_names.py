"""Notes written inside a metadata value, as Open Journals asks for a corresponding
author (``name: Jane Doe^[corresponding author]``): lifted out of the text, so that
the name stays a name and the note becomes the author's, never an orphan."""

from __future__ import annotations

from typing import Any

OPENING = "^["


def lift(text: str) -> tuple[str, list[str]]:
    """``text`` without its inline notes, and the notes' words in order. An opening
    ``^[`` that is never closed is left as it was written (pandoc shows it as text)."""
    notes: list[str] = []
    out: list[str] = []
    i = 0
    while True:
        start = text.find(OPENING, i)
        if start < 0 or (start > 0 and text[start - 1] == "\\"):
            out.append(text[i:])
            break
        end = _closing(text, start + len(OPENING))
        if end < 0:
            out.append(text[i:])
            break
        out.append(text[i:start])
        note = text[start + len(OPENING) : end].strip()
        if note:
            notes.append(note)
        i = end + 1
    if not notes:
        return text, []
    return " ".join("".join(out).split()), notes


def _closing(text: str, i: int) -> int:
    """Index of the ``]`` that closes the bracket opened before ``i``, or -1."""
    depth = 1
    while i < len(text):
        char = text[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def add_notes(
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
