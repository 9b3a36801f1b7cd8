"""Figures placed as LaTeX places floats, for WeasyPrint, which has no page floats.

A figure never parts from its caption (print.css: ``break-inside: avoid``), so one that
does not fit in the room left on its page goes whole to the next page and leaves a gap.
Here the document is laid out, each such figure is found from the laid-out pages, and
it is moved in the HTML after the blocks that follow it, enough of them to fill the gap;
then the document is laid out again. The text that follows the figure fills the page,
and the figure goes to the top of the next one. A few passes at most (a move can push
a later figure), keeping a pass only if it leaves less empty room than before.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from lxml import html as lxml_html
from weasyprint import HTML
from weasyprint.document import Document as Laid
from weasyprint.text.fonts import FontConfiguration

from ..compat.weasyprint_internals import page_box

MAX_PASSES = 3
GAP = 0.12
"""A page more than this fraction empty at its foot (about six lines) is worth a move."""
FIGURE_RE = re.compile(r"<figure\b")
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


@dataclass(frozen=True)
class Gap:
    page: int
    """Index of the page left short."""
    empty: float
    """Empty height at its foot, in CSS px."""
    figure: int
    """``data-figure`` number of the figure that went to the next page."""
    following: list[float]
    """Heights of the blocks after the figure on that next page, in order, up to the
    next figure or heading: a figure is not moved past another (floats keep their
    order, as in LaTeX), nor into the next section."""


def numbered(page_html: str) -> str:
    """Each figure numbered (``data-figure``) so that its boxes can be named."""
    counter = iter(range(1, 1_000_000))
    return FIGURE_RE.sub(lambda _: f'<figure data-figure="{next(counter)}"', page_html)


def lay_out(
    page_html: str, make: Callable[[str], HTML], fonts: FontConfiguration, **options: object
) -> Laid:
    """The laid-out document with figures moved to fill the gaps they would leave.
    ``fonts`` and ``options`` (stylesheets, PDF variant): as given to every pass."""
    if "<figure" not in page_html:
        return make(page_html).render(font_config=fonts, **options)
    text = numbered(page_html)
    laid = make(text).render(font_config=fonts, **options)
    score = _empty(laid)
    for _ in range(MAX_PASSES):
        gaps = find_gaps(laid)
        if not gaps:
            break
        moved = move(text, gaps)
        if moved == text:
            break
        candidate = make(moved).render(font_config=fonts, **options)
        candidate_score = _empty(candidate)
        if candidate_score >= score:
            break
        text, laid, score = moved, candidate, candidate_score
    return laid


def find_gaps(laid: Laid) -> list[Gap]:
    """Pages left more than GAP empty because the next one opens with a figure."""
    gaps = []
    for index in range(len(laid.pages) - 1):
        page, after = page_box(laid.pages[index]), page_box(laid.pages[index + 1])
        height = page.height
        empty = page.content_box_y() + height - _content_bottom(page)
        if empty <= GAP * height:
            continue
        first = _first_figure_on_top(after)
        if first is None:
            continue
        figure, following = first
        gaps.append(Gap(index, empty, figure, following))
    return gaps


def move(page_html: str, gaps: list[Gap]) -> str:
    """The HTML with each gap's figure after the blocks that fill the gap."""
    tree = lxml_html.document_fromstring(page_html)
    changed = False
    for gap in gaps:
        found = tree.xpath(f'//figure[@data-figure="{gap.figure}"]')
        if not found:
            continue
        figure = found[0]
        filled, count = 0.0, 0
        for height in gap.following:
            count += 1
            filled += height
            if filled >= gap.empty:
                break
        target = figure
        for _ in range(count):
            nxt = target.getnext()
            if nxt is None:
                break
            target = nxt
        if target is figure:
            continue
        figure.getparent().remove(figure)
        target.addnext(figure)
        changed = True
    if not changed:
        return page_html
    doctype = "<!DOCTYPE html>\n" if page_html.lstrip().lower().startswith("<!doctype") else ""
    return doctype + lxml_html.tostring(tree, encoding="unicode")


def _empty(laid: Laid) -> float:
    """Empty room at the foot of every page but the last: what moves try to lessen."""
    total = 0.0
    for page in laid.pages[:-1]:
        box = page_box(page)
        total += max(0.0, box.content_box_y() + box.height - _content_bottom(box))
    return total


def _content_bottom(page: object) -> float:
    """Where the page's content would end if its notes sat right under the text: the
    lowest edge of the text and figures, plus the height of the footnote area (CSS px)."""
    bottom = page.content_box_y()  # type: ignore[attr-defined]
    notes = 0.0
    stack = [c for c in page.children if type(c).__name__ != "MarginBox"]  # type: ignore[attr-defined]
    while stack:
        box = stack.pop()
        kind = type(box).__name__
        if kind == "FootnoteAreaBox":
            notes = box.margin_height()
        elif kind == "LineBox" or getattr(box, "element_tag", None) in ("img", "figure", "tr"):
            bottom = max(bottom, box.position_y + box.margin_height())
        else:
            stack.extend(getattr(box, "children", ()))
    return bottom + notes


def _first_figure_on_top(page: object) -> tuple[int, list[float]] | None:
    """The figure that opens a page, and the heights of the blocks after it there."""
    box = next(c for c in page.children if type(c).__name__ == "BlockBox")  # type: ignore[attr-defined]
    top = page.content_box_y()  # type: ignore[attr-defined]
    while True:
        children = [c for c in getattr(box, "children", ()) if type(c).__name__ != "LineBox"]
        if not children:
            return None
        first = children[0]
        if first.element_tag == "figure":
            if first.position_y - top > 2:  # something above it on this page
                return None
            number = first.element.get("data-figure")
            if number is None:
                return None
            following = []
            for block in children[1:]:
                if block.element_tag == "figure" or block.element_tag in HEADINGS:
                    break
                following.append(block.margin_height())
            return int(number), following
        box = first
