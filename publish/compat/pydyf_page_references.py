"""A tagged PDF's structure tree in time linear in its pages with pydyf 0.13.

What we would file upstream (CourtBouillon/pydyf, pydyf/__init__.py):

    Title: PDF.page_references builds the whole tuple on every access

    pydyf 0.13.0, ``PDF.page_references`` is a property that formats one
    ``b'N 0 R'`` per page each time it is read. WeasyPrint 70's tagging
    (``weasyprint/pdf/tags.py``, ``_build_box_tree``) reads it once per structure
    element, to take one page's reference (``pdf.page_references[page_number]``), so a
    tagged PDF (PDF/UA) costs elements × pages: 34,709 elements × 380 pages are 13
    million formatted strings, 55 of 250 profiled seconds of a long document with
    notes, more than all of its line breaking.

The fix here remembers the tuple with the page list it was made from, and gives it
again while that list is unchanged (compared whole, so a page added or replaced in any
way makes a new tuple): the same values, once per page added instead of once per read.
Guarded by pydyf's version and the exact source of the property; with another pydyf
``apply`` returns False and changes nothing (the PDFs are the same, only slower).
"""

from __future__ import annotations

import hashlib
import inspect
from importlib import metadata
from typing import Any

import pydyf

from . import BY_NAME

VERSION = BY_NAME["pydyf_page_references"].written_for
# sha256 of inspect.getsource(pydyf.PDF.page_references.fget) in 0.13.0.
SOURCE_SHA256 = "060bf90aad55931bc24c3575a52af9478a89916aa307e5323142663841cb7798"
_MARK = "_publish_remembers_page_references"


def source() -> str:
    getter = pydyf.PDF.page_references.fget
    return inspect.getsource(getattr(getter, "__wrapped__", getter))


def check(version: str, code: str) -> str | None:
    """Why the fix cannot be applied to this pydyf, or None when it can."""
    if version != VERSION:
        return f"written for pydyf {VERSION}, this is {version}"
    if hashlib.sha256(code.encode()).hexdigest() != SOURCE_SHA256:
        return "pydyf's PDF.page_references is not the code the fix was written for"
    return None


_applied: bool | None = None


def apply() -> bool:
    """Install the fix once per process; False (and nothing changed) with another
    pydyf."""
    global _applied
    if _applied is None:
        _applied = _install() is None
    return _applied


def _install() -> str | None:
    getter = pydyf.PDF.page_references.fget
    if getattr(getter, _MARK, False):
        return None
    try:
        code = source()
    except (OSError, TypeError):
        return "the source of pydyf's PDF.page_references cannot be read"
    problem = check(metadata.version("pydyf"), code)
    if problem:
        return problem

    def page_references(self: Any) -> tuple[bytes, ...]:
        kids = self.pages["Kids"]
        found = self.__dict__.get(_MARK)
        if found is None or found[0] != kids:
            found = (list(kids), getter(self))
            self.__dict__[_MARK] = found
        return found[1]

    setattr(page_references, _MARK, True)
    page_references.__wrapped__ = getter  # type: ignore[attr-defined]
    pydyf.PDF.page_references = property(page_references)
    return None
