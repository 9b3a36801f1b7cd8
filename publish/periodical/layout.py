"""Reading a laid-out issue back: on which page each article begins and ends, and
where in each article's text every page begins.

The issue's print HTML marks each article (``data-article``) and each block of its
body (``data-pb``, see ``blocks``); this walks WeasyPrint's boxes page by page in
reading order, leaving out page furniture, notes at the foot (they are numbered and
placed per article, not part of the running text) and generated text.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from weasyprint.document import Document as LaidOut
from weasyprint.formatting_structure import boxes

from ..compat.weasyprint_internals import page_box
from .blocks import END, START, Break, visible


@dataclass
class Placement:
    """Where one article sits in the issue."""

    first: int
    last: int
    breaks: list[Break] = field(default_factory=list)
    """One per page of the article, in order: where that page begins in its body."""


@dataclass
class Pages:
    total: int
    articles: list[Placement]
    trailing: dict[int, int] = field(default_factory=dict)
    """Pages after an article's last page and before the next one (blank versos), by
    folio: the article they follow."""
    misplaced: list[tuple[int, int]] = field(default_factory=list)
    """(article, block) of each note call whose note was set on a later page."""


def read_back(document: LaidOut, count: int) -> Pages:
    """Where the ``count`` articles of ``document`` fall (folios are page indexes + 1)."""
    walk = _Walk()
    for index, page in enumerate(document.pages):
        walk.folio = index + 1
        walk.visit(page_box(page), None, None)
    present, found = walk.present, walk.found
    placements = []
    for article in range(count):
        folios = present.get(article) or {0}
        first, last = min(folios), max(folios)
        breaks = []
        for folio in range(first, last + 1):
            brk = found.get((article, folio))
            if brk is None:
                brk = Break(folio, START if folio == first else END)
            elif folio == first:
                brk = Break(folio, START)
            breaks.append(brk)
        placements.append(Placement(first, last, breaks))
    trailing = {}
    for i, placement in enumerate(placements):
        following = placements[i + 1].first if i + 1 < len(placements) else len(document.pages) + 1
        for folio in range(placement.last + 1, following):
            trailing[folio] = i
    misplaced = [
        (article, block)
        for note, (folio, article, block) in sorted(walk.calls.items())
        if walk.notes.get(note, folio) != folio
    ]
    return Pages(len(document.pages), placements, trailing, misplaced)


class _Walk:
    """The boxes of the pages in reading order, counting each block's visible text."""

    def __init__(self) -> None:
        self.folio = 0
        self.present: dict[int, set[int]] = defaultdict(set)
        self.found: dict[tuple[int, int], Break] = {}
        self.chars: dict[tuple[int, int], int] = defaultdict(int)
        self.calls: dict[str, tuple[int, int, int]] = {}
        """Note id -> (folio, article, block) of its call."""
        self.notes: dict[str, int] = {}
        """Note id -> folio it is set on."""

    def visit(self, box: boxes.Box, article: int | None, block: int | None) -> None:
        if isinstance(box, boxes.MarginBox):
            return
        if isinstance(box, boxes.FootnoteAreaBox):
            for note in box.children:
                if getattr(note, "element", None) is not None and note.element.get("id"):
                    self.notes.setdefault(note.element.get("id"), self.folio)
            return
        if "::" in (getattr(box, "element_tag", "") or ""):
            return  # list markers, the stars of a section break: not in the text
        element = getattr(box, "element", None)
        if element is not None:
            classes = (element.get("class") or "").split()
            if "noteref" in classes:
                href = (element.get("href") or "").lstrip("#")
                if article is not None and block is not None and href:
                    self.calls.setdefault(href, (self.folio, article, block))
                return
            if "footnote" in classes:
                return
            if element.get("data-article") is not None:
                article = int(element.get("data-article"))
            if element.get("data-pb") is not None:
                block = int(element.get("data-pb"))
        if article is not None and isinstance(box, (boxes.TextBox, boxes.ReplacedBox)):
            n = visible(box.text) if isinstance(box, boxes.TextBox) else 0
            if isinstance(box, boxes.TextBox) and not n:
                return
            self.present[article].add(self.folio)
            if block is not None:
                # The first body text of this article on this page: the page begins here.
                key = (article, self.folio)
                self.found.setdefault(key, Break(self.folio, block, self.chars[article, block]))
                self.chars[article, block] += n
            return
        for child in getattr(box, "children", ()):
            self.visit(child, article, block)
