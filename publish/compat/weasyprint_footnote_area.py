"""The page-foot note area in linear time in WeasyPrint 70: each note is laid out once
per page, not once more for every note added after it.

What we would file upstream (Kozea/WeasyPrint, layout/__init__.py):

    Title: Footnote layout is quadratic in the notes of a page: the whole footnote area
    is laid out again for every note added

    WeasyPrint 70.0, ``LayoutContext._update_footnote_area``, called by
    ``layout_footnote``, ``report_footnote`` and ``unlayout_footnote``, deep-copies the
    page's footnote area and lays out every note in it again, only to learn the area's
    new height (and whether its last note overflows). A page with n notes lays out
    n(n+1)/2 notes; a line that is broken again or a block that is aborted lays its
    notes out again on top. On a 230-page text with 1,500 short notes this is 35 of
    64 s, and notes double the time of the same text without them.

    A note laid out at the same place, after the same margins, on the same page, gives
    the same boxes: the notes already in the area need not be laid out again.

The fix here keeps WeasyPrint's own code and remembers, for the page being made, each
note's layout as a child of the footnote area, keyed by everything that layout reads
(where it starts, the margins it collapses with, whether it is the area's first
child, the area's width, the page, the floats around it). ``_update_footnote_area``
runs as shipped; when it lays out a note under the same key again, the boxes laid out
before are returned instead, and so when ``make_page``, the page done, lays the area
out to be drawn. The area's height, its overflow, the page breaks and the boxes drawn
are therefore the same as before, and the PDFs the same bytes; each note is laid out
once per page made (60 notes: 62 layouts, against 270 as shipped).

Guarded like publish/compat/weasyprint_footnotes.py: the version, and the exact source
of the functions whose behaviour the memo relies on (the area update, the in-flow
layout that calls ``block_level_layout`` for each note and uses what it returns, and
``block_level_layout``'s signature). When either differs, ``apply`` returns False and
changes nothing: WeasyPrint lays the area out as shipped, slower and the same pages.
"""

from __future__ import annotations

import hashlib
import inspect
from collections.abc import Callable
from math import inf
from typing import Any

import weasyprint
from weasyprint.formatting_structure.boxes import FootnoteAreaBox
from weasyprint.layout import LayoutContext, block

from . import BY_NAME

VERSION = BY_NAME["weasyprint_footnote_area"].written_for
# sha256 over the sources of SOURCES below, in order, in WeasyPrint 70.0.
SOURCE_SHA256 = "88f93a1a117ee0307eed088f5a4b92f4da7e529980c1290331207c2b2b33e0ad"
_MARK = "_publish_footnote_area_memo"


def sources() -> list[str]:
    """The code the memo relies on, as installed (the originals when it is applied)."""
    return [
        inspect.getsource(_original(LayoutContext._update_footnote_area)),
        inspect.getsource(block._in_flow_layout),
        inspect.getsource(block.block_container_layout),
        inspect.getsource(_original(block.block_level_layout)),
    ]


def check(version: str, code: list[str]) -> str | None:
    """Why the memo cannot be applied to this WeasyPrint, or None when it can."""
    if version != VERSION:
        return f"written for WeasyPrint {VERSION}, this is {version}"
    digest = hashlib.sha256("\n".join(code).encode()).hexdigest()
    if digest != SOURCE_SHA256:
        return "WeasyPrint's footnote area code is not the code the memo was written for"
    return None


_applied: bool | None = None


def apply() -> bool:
    """Install the memo once per process; False (and nothing changed) when this
    WeasyPrint is not the one it was written for."""
    global _applied
    if _applied is None:
        _applied = _install() is None
    return _applied


def _original(function: Callable[..., Any]) -> Callable[..., Any]:
    return (
        getattr(function, "__wrapped__", function) if getattr(function, _MARK, False) else function
    )


def _install() -> str | None:
    if getattr(LayoutContext._update_footnote_area, _MARK, False):
        return None
    try:
        code = sources()
    except (OSError, TypeError):  # installed without its .py files
        return "the source of WeasyPrint's footnote area code cannot be read"
    problem = check(weasyprint.__version__, code)
    if problem:
        return problem
    update = _memoizing_update(LayoutContext._update_footnote_area)
    layout = _memoizing_layout(block.block_level_layout)
    # _in_flow_layout looks block_level_layout up in its module when it lays out each
    # child of a block, the area's notes included.
    block.block_level_layout = layout
    LayoutContext._update_footnote_area = update
    return None


class _Memo:
    """The notes laid out in one page's footnote area, while that page is made."""

    def __init__(self, area: FootnoteAreaBox) -> None:
        self.area = area  # kept: the key compares ids of the page's own objects
        self.entries: dict[tuple[Any, ...], tuple[Any, ...]] = {}


_memo: _Memo | None = None
"""The page whose footnote area is being updated, if one is (WeasyPrint lays pages out
one at a time, in one thread)."""
_page_memo: _Memo | None = None


def _memoizing_update(update: Callable[[LayoutContext], bool]) -> Callable[..., bool]:
    def _update_footnote_area(self: LayoutContext) -> bool:
        global _memo, _page_memo
        area = self.current_footnote_area
        if _page_memo is None or _page_memo.area is not area:
            _page_memo = _Memo(area)  # a new page (or the same page made again)
        _memo = _page_memo
        try:
            return update(self)
        finally:
            _memo = None

    setattr(_update_footnote_area, _MARK, True)
    _update_footnote_area.__wrapped__ = update  # type: ignore[attr-defined]
    return _update_footnote_area


def _memoizing_layout(layout: Callable[..., Any]) -> Callable[..., Any]:
    def block_level_layout(
        context: Any,
        box: Any,
        bottom_space: float,
        skip_stack: Any,
        containing_block: Any,
        page_is_empty: bool = True,
        absolute_boxes: list[Any] | None = None,
        fixed_boxes: list[Any] | None = None,
        adjoining_margins: list[float] | None = None,
        first_letter_style: Any = None,
        first_line_style: Any = None,
        discard: bool = False,
        max_lines: int | None = None,
    ) -> Any:
        args = (
            context, box, bottom_space, skip_stack, containing_block, page_is_empty,
            absolute_boxes, fixed_boxes, adjoining_margins, first_letter_style,
            first_line_style, discard, max_lines,
        )  # fmt: skip
        # While a page's area is updated; and when the page, done, lays its area out
        # to be drawn (the same notes at the same places: given back, not laid out).
        memo = _memo
        if memo is None and _page_memo is not None:
            if getattr(context, "current_footnote_area", None) is _page_memo.area:
                memo = _page_memo
        if (
            memo is None
            or type(containing_block) is not FootnoteAreaBox
            or bottom_space != -inf
            or skip_stack is not None
            or absolute_boxes
            or fixed_boxes
            or first_letter_style is not None
            or first_line_style is not None
            or discard
            or max_lines is not None
            or adjoining_margins is None
        ):
            return layout(*args)
        key = _key(context, box, containing_block, page_is_empty, adjoining_margins)
        found = memo.entries.get(key)
        if found is not None:
            result, margins_after, same_list, shape = found
            new_child = result[0]
            if new_child is None or _shape(new_child) == shape:
                # As the call would have left them: the margins list it was given
                # (block_container_layout appends to it) and the one it returns.
                adjoining_margins[:] = margins_after
                returned = adjoining_margins if same_list else list(result[3])
                return (*result[:3], returned, *result[4:])
        absolute = [] if absolute_boxes is None else absolute_boxes
        fixed = [] if fixed_boxes is None else fixed_boxes
        result = layout(
            context, box, bottom_space, skip_stack, containing_block, page_is_empty,
            absolute, fixed, adjoining_margins, first_letter_style, first_line_style,
            discard, max_lines,
        )  # fmt: skip
        if absolute or fixed:  # the note placed positioned boxes: not a pure layout
            return result
        same_list = result[3] is adjoining_margins
        new_child = result[0]
        shape = None if new_child is None else _shape(new_child)
        memo.entries[key] = (
            (*result[:3], list(result[3]), *result[4:]),
            list(adjoining_margins),
            same_list,
            shape,
        )
        return result

    setattr(block_level_layout, _MARK, True)
    block_level_layout.__wrapped__ = layout  # type: ignore[attr-defined]
    return block_level_layout


def _key(
    context: Any, box: Any, area: Any, page_is_empty: bool, margins: list[float]
) -> tuple[Any, ...]:
    """Everything a note's layout as the area's child reads that may differ between two
    updates of one page's area. The note: its style, shared by every copy of its box."""
    try:
        floats = tuple(map(id, context.excluded_shapes))
    except (IndexError, KeyError):  # outside any formatting context (not in 70.0's calls)
        floats = None
    return (
        id(box.style),
        box.element_tag,
        box.position_x,
        box.position_y,
        tuple(margins),
        page_is_empty,
        area.width,
        area.position_x,
        area.position_y,
        context.current_page,
        context.forced_break,
        context.in_column,
        floats,
    )


def _shape(box: Any) -> tuple[float, float, float, float]:
    """Where a laid-out note is: checked before it is given again, so that a caller
    that moved the boxes it was given gets a fresh layout instead."""
    return (box.position_x, box.position_y, box.height, box.margin_bottom)
