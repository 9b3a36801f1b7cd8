"""Running heads and page numbers written as artifacts by WeasyPrint itself.

WeasyPrint 70 gives the text of margin boxes marked-content ids but keeps their
structure elements out of the tree (``pdf/tags.py``: "It could be included in tree as
Artifact, but that's only allowed in PDF 2.0"). Assistive technology then meets text
that is neither content nor artifact; PDF/UA-1 (7.8) wants page furniture marked
``/Artifact`` in the content stream. Upstream has no issue for it that we know of;
what we would file: "tagged PDF/UA-1: margin-box content should be drawn inside
``/Artifact BMC … EMC`` with no MCID, rather than given MCIDs the structure tree
never reaches".

Until then, when WeasyPrint is the version this was written for, each margin box is
drawn as one artifact sequence with tagging off inside it, and the tree builder skips
margin boxes (it would look for their MCIDs). This replaces re-opening every PDF with
pikepdf to rewrite those sequences afterwards (``editions/pdf_artifacts.py``, still
used with any other WeasyPrint), which cost about 0.05 s an article and a second on a
long manuscript.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import weasyprint
from weasyprint import draw
from weasyprint.formatting_structure import boxes
from weasyprint.pdf import tags

from . import BY_NAME

VERSION = BY_NAME["weasyprint_artifacts"].written_for
_MARK = "_publish_furniture_as_artifacts"
_applied: bool | None = None
_active: ContextVar[bool] = ContextVar("publish_furniture_as_artifacts", default=False)


@contextmanager
def furniture_as_artifacts() -> Iterator[bool]:
    """Within this block, WeasyPrint draws margin boxes as artifacts; outside it (a
    check, a test laying out HTML of its own) WeasyPrint behaves as shipped. Yields
    False when the fix cannot be installed: the caller rewrites the PDF instead."""
    if not apply():
        yield False
        return
    token = _active.set(True)
    try:
        yield True
    finally:
        _active.reset(token)


def apply() -> bool:
    """Install once per process (inactive outside ``furniture_as_artifacts``); False
    (nothing installed) with another WeasyPrint."""
    global _applied
    if _applied is None:
        _applied = weasyprint.__version__ == VERSION
        if _applied and not getattr(draw.draw_stacking_context, _MARK, False):
            _install()
    return _applied


def _install() -> None:
    draw_context = draw.draw_stacking_context
    build_tree = tags._build_box_tree

    @functools.wraps(draw_context)
    def draw_stacking_context(stream: Any, stacking_context: Any) -> Any:
        # Page children are always stacking contexts of their own: a margin box's
        # whole content passes through here, and nothing else's does.
        if (
            not _active.get()
            or stream._tags is None
            or not isinstance(stacking_context.box, boxes.MarginBox)
        ):
            return draw_context(stream, stacking_context)
        with stream.artifact():
            marked, stream._tags = stream._tags, None
            try:
                return draw_context(stream, stacking_context)
            finally:
                stream._tags = marked

    # wraps: copies the marks other wrappers (compat.weasyprint_lang) leave on theirs.
    @functools.wraps(build_tree)
    def build_box_tree(box: Any, *args: object) -> Iterator[object]:
        # WeasyPrint builds a detached tree for margin boxes to consume their MCIDs;
        # they have none now.
        if _active.get() and isinstance(box, boxes.MarginBox):
            return
        yield from build_tree(box, *args)

    for function in (draw_stacking_context, build_box_tree):
        setattr(function, _MARK, True)
    # Both are looked up by name in their modules, by their callers and recursively.
    draw.draw_stacking_context = draw_stacking_context
    tags._build_box_tree = build_box_tree
