"""Notes written inside a metadata value, as Open Journals asks for a corresponding
author (``name: Jane Doe^[corresponding author]``): lifted out of the text, so that
the name stays a name and the note becomes the author's, never an orphan."""

from __future__ import annotations

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
