"""The marks after authors' names and the lines under the byline they point to, as
journals set them: * for the corresponding author, † for authors who contributed
equally, then ‡, §, ¶, ‖ (doubled after that) for each other note on a name."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..document import Author, BylineNote, Rich
from ..labels import labels_for

CORRESPONDING = "*"
EQUAL = "†"
OTHERS = ("‡", "§", "¶", "‖")


def marked(
    check: Any, authors: tuple[Author, ...], lang: str
) -> tuple[tuple[Author, ...], tuple[BylineNote, ...]]:
    """``authors`` with their marks, and the notes under the byline in order of mark."""
    labels = labels_for(lang)
    notes: list[BylineNote] = []
    if any(a.corresponding and not a.email for a in authors):
        words = check.rich("author-notes.corresponding", inline=True) or _plain(
            labels.corresponding_author
        )
        notes.append(BylineNote(CORRESPONDING, words, "corresponding"))
    if any(a.equal_contrib for a in authors):
        words = check.rich("author-notes.equal-contributor", inline=True) or _plain(
            labels.equal_contribution
        )
        notes.append(BylineNote(EQUAL, words, "equal"))
    others: dict[str, BylineNote] = {}
    out = []
    for author in authors:
        marks = (CORRESPONDING if author.corresponding else "") + (
            EQUAL if author.equal_contrib else ""
        )
        if author.byline_note is not None:
            key = author.byline_note.html
            if key not in others:
                others[key] = BylineNote(_nth(len(others)), author.byline_note, "note")
            marks += others[key].mark
        out.append(replace(author, marks=marks))
    return tuple(out), (*notes, *others.values())


def _nth(n: int) -> str:
    return OTHERS[n % len(OTHERS)] * (n // len(OTHERS) + 1)


def _plain(text: str) -> Rich:
    return Rich(html=text, text=text)
