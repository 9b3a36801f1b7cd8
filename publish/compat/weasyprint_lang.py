"""Passages in another language keep it in the tagged PDF.

WeasyPrint 70 builds the structure tree without the HTML ``lang`` attributes, so
a Persian passage in an English article reaches a screen reader as English;
PDF/UA-1 (7.2) wants every change of language declared. We wrap its tree
builder and copy each element's ``lang`` onto the structure element it yields.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pydyf
from weasyprint.pdf import tags

from . import require

require("weasyprint_lang")

_MARK = "_publish_keeps_lang"


def keep_lang_in_tags() -> None:
    """Install the wrapper once per process (the builder recurses through it)."""
    original = tags._build_box_tree
    if getattr(original, _MARK, False):
        return

    def build_box_tree(box: Any, parent: Any, pdf: Any, *args: Any) -> Iterator[Any]:
        element = getattr(getattr(box, "_box", box), "element", None)
        lang = element.get("lang") if element is not None else None
        for struct in original(box, parent, pdf, *args):
            # The innermost element's language wins: a child yielded through its
            # parent's call has already been given its own.
            if lang and "Lang" not in struct:
                struct["Lang"] = pydyf.String(lang)
            yield struct

    setattr(build_box_tree, _MARK, True)
    tags._build_box_tree = build_box_tree
