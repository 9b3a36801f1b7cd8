"""The one WeasyPrint write sequence, for an article's PDF and an issue's: lay out with
the running heads and folios drawn as artifacts (``compat/weasyprint_artifacts.py``, else
rewritten afterwards), write PDF/UA-1 with an ``/ID`` from the text's identifier (so that
rebuilds keep it), and refuse a build that tried to read a file it may not."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ..compat import weasyprint_artifacts
from ..diagnostics import Diagnostic, ManuscriptError
from .pdf_artifacts import mark_furniture_as_artifacts

VARIANT = "pdf/ua-1"


def pdf_identifier(identifier: str) -> bytes:
    """The PDF's /ID: from the manuscript's (or issue's) identifier, so rebuilds keep it."""
    return hashlib.md5(identifier.encode(), usedforsecurity=False).hexdigest().encode()


def write(lay_out: Callable[[], Any], identifier: str, **options: Any) -> bytes:
    """The PDF of the document ``lay_out`` lays out (a WeasyPrint ``Document``), written
    with ``options`` (stylesheets, say) besides the variant and the identifier."""
    with weasyprint_artifacts.furniture_as_artifacts() as furniture_done:
        laid = lay_out()
        pdf = bytes(
            laid.write_pdf(
                pdf_variant=VARIANT, pdf_identifier=pdf_identifier(identifier), **options
            )
        )
    return pdf if furniture_done else mark_furniture_as_artifacts(pdf)


def refuse(refused: Iterable[tuple[str, str]], source: Path, hint: str = "") -> None:
    """A ManuscriptError at ``source`` for every file the build was refused, if any."""
    found = [Diagnostic(source, None, f"refused to read {why}{hint}") for _, why in refused]
    if found:
        raise ManuscriptError(found)
