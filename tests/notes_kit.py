"""Manuscripts dense with notes, and where their notes land in the PDF.

Used by tests/test_footnote_placement.py and by benchmarks/run.py, so that both count
the same thing: a note is placed right when it is on the page of its call."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pikepdf

WORDS = (
    "the council met in the river city after the election and the envoy read a long "
    "report on the border treaty while the press waited for the minister to speak about "
    "archives letters volumes printers readers history and the terms of the settlement"
).split()


def _sentence(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high))).capitalize() + "."


def dense_notes(seed: int, paragraphs: int = 40) -> tuple[str, int]:
    """A manuscript with a note in every paragraph, notes from one line to several,
    calls anywhere in the paragraph; the same text for the same ``seed``."""
    rng = random.Random(seed)
    lines = ["---", f"title: Dense notes {seed}", "author: Ada Writer", "date: 2021-03-04", "---"]
    notes = []
    for n in range(1, paragraphs + 1):
        if n % 9 == 1:
            lines.append(f"\n## Section {n // 9 + 1}")
        sentences = [_sentence(rng, 8, 22) for _ in range(rng.randint(2, 9))]
        at = rng.randrange(len(sentences))
        sentences[at] += f"[^{n}]"
        lines.append("\n" + " ".join(sentences))
        # Mostly short notes, some of several lines, a few long ones.
        size = rng.choice((1, 1, 1, 2, 2, 3, 5, 8))
        notes.append(f"[^{n}]: " + " ".join(_sentence(rng, 6, 14) for _ in range(size)))
    return "\n".join(lines + [""] + notes) + "\n", paragraphs


def note_pages(pdf_path: Path) -> dict[str, tuple[int, int]]:
    """Each note's (call page, note page), read from the PDF's named destinations:
    the call's anchor (fnrefN) and the note's (fnN). Text matching cannot tell where a
    call is when the words before it cross a page break."""
    with pikepdf.open(pdf_path) as pdf:
        page_of = {page.objgen: n for n, page in enumerate(pdf.pages, start=1)}
        dests = {
            str(name): page_of[dest[0].objgen]
            for name, dest in pikepdf.NameTree(pdf.Root.Names.Dests).items()
        }
    notes = sorted((k for k in dests if re.fullmatch(r"fn\d+", k)), key=lambda k: int(k[2:]))
    return {note: (dests[f"fnref{note[2:]}"], dests[note]) for note in notes}


def misplaced(pdf_path: Path) -> tuple[list[str], int]:
    """The notes not on the page of their call (with both pages), and the number of notes."""
    pages = note_pages(pdf_path)
    wrong = [f"{n}: call p.{c}, note p.{p}" for n, (c, p) in pages.items() if c != p]
    return wrong, len(pages)
