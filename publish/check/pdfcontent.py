"""What a PDF's pages show and what its structure tree reaches: text runs with their
position and marked-content status (read by pdfminer.six, see ``pdftext``), and the
marked content of the tagged structure (read with pikepdf)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pikepdf

from ..diagnostics import ToolMissing
from . import tools


@dataclass(frozen=True)
class TextRun:
    """One text-showing operator's output."""

    page: int
    """Page number, from 1."""
    x: float
    y: float
    """Origin of its first glyph in PDF user space (points, origin at the bottom left)."""
    text: str
    status: str
    """``"content"`` (has an MCID), ``"artifact"`` or ``"untagged"``."""
    mcid: int | None = None
    """The marked-content id of tagged content."""


def text_runs(path: Path) -> tuple[TextRun, ...]:
    """Every non-blank text run of every page (text inside form XObjects is left out)."""
    stat = path.stat()
    return _text_runs(path.resolve(), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4)
def _text_runs(path: Path, mtime_ns: int, size: int) -> tuple[TextRun, ...]:
    # pdfminer reads content streams in pure Python, seconds for a long PDF; the PDF
    # check and the lint both need the runs of the same file, so it is read once.
    try:
        from .pdftext import read_runs
    except ImportError:  # pdfminer.six comes with the [check] extra.
        raise ToolMissing("pdfminer.six", tools.INSTALL_CHECK) from None
    return tuple(TextRun(*run) for run in read_runs(path))


def tagged_content(pdf: pikepdf.Pdf) -> dict[tuple[tuple[int, int], int], str]:
    """(page object id, MCID) of every marked-content sequence the structure tree
    reaches, in its logical (reading) order, with the language its structure
    elements declare ("" for none)."""
    reached: dict[tuple[tuple[int, int], int], str] = {}
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return reached
    stack: list[tuple[Any, tuple[int, int] | None, str]] = [(root.get("/K"), None, "")]
    seen: set[tuple[int, int]] = set()
    while stack:
        kid, page, lang = stack.pop()
        if isinstance(kid, pikepdf.Array):
            stack += [(k, page, lang) for k in reversed(kid)]  # Popped in order.
        elif isinstance(kid, int) and page is not None:
            reached[(page, int(kid))] = lang
        elif isinstance(kid, pikepdf.Dictionary):
            if kid.is_indirect and kid.objgen in seen:
                continue
            seen.add(kid.objgen)
            page = kid.Pg.objgen if "/Pg" in kid else page
            lang = str(kid.get("/Lang", lang))
            if kid.get("/Type") == "/MCR" and page is not None:
                reached[(page, int(kid.MCID))] = lang
            elif "/K" in kid:
                stack.append((kid.K, page, lang))
    return reached
