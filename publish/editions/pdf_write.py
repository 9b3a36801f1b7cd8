"""The one WeasyPrint write sequence, for an article's PDF and an issue's: lay out with
the running heads and folios drawn as artifacts (``compat/weasyprint_artifacts.py``, else
rewritten afterwards), write PDF/UA-1 with an ``/ID`` from the text's identifier (so that
rebuilds keep it), make it PDF/A-3a as well (``compat/weasyprint_pdfa.py``) with the
files it carries, and refuse a build that tried to read a file it may not."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..compat import weasyprint_artifacts, weasyprint_pdfa
from ..diagnostics import Diagnostic, ManuscriptError
from .pdf_artifacts import mark_furniture_as_artifacts

Carried = tuple[Callable[[], Sequence[weasyprint_pdfa.Attachment]], datetime]
_carried: ContextVar[Carried | None] = ContextVar("carried", default=None)
NO_DATE = datetime(1980, 1, 1, tzinfo=UTC)


@contextmanager
def carrying(
    attachments: Callable[[], Sequence[weasyprint_pdfa.Attachment]], when: datetime
) -> Iterator[None]:
    """PDFs written inside carry ``attachments()`` (made only when a PDF is written),
    dated ``when``: the registry sets this around an article's editions, so that the
    print edition embeds its manuscript and JATS without knowing of either."""
    token = _carried.set((attachments, when))
    try:
        yield
    finally:
        _carried.reset(token)


VARIANT = "pdf/ua-1"


def pdf_identifier(identifier: str) -> bytes:
    """The PDF's /ID: from the manuscript's (or issue's) identifier, so rebuilds keep it."""
    return hashlib.md5(identifier.encode(), usedforsecurity=False).hexdigest().encode()


def write(
    lay_out: Callable[[], Any],
    identifier: str,
    attachments: Sequence[weasyprint_pdfa.Attachment] | None = None,
    when: datetime | None = None,
    **options: Any,
) -> bytes:
    """The PDF of the document ``lay_out`` lays out (a WeasyPrint ``Document``), written
    with ``options`` (stylesheets, say) besides the variant and the identifier, PDF/A-3a
    as well as PDF/UA-1, carrying ``attachments`` (else those of ``carrying``)."""
    with weasyprint_artifacts.furniture_as_artifacts() as furniture_done:
        laid = lay_out()
        pdf = bytes(
            laid.write_pdf(
                pdf_variant=VARIANT, pdf_identifier=pdf_identifier(identifier), **options
            )
        )
    pdf = pdf if furniture_done else mark_furniture_as_artifacts(pdf)
    if not weasyprint_pdfa.applies():
        return pdf
    carried = _carried.get()
    if attachments is None and carried is not None:
        attachments, when = carried[0](), carried[1]
    return weasyprint_pdfa.archival(pdf, when or NO_DATE, attachments or ())


def refuse(refused: Iterable[tuple[str, str]], source: Path, hint: str = "") -> None:
    """A ManuscriptError at ``source`` for every file the build was refused, if any."""
    found = [Diagnostic(source, None, f"refused to read {why}{hint}") for _, why in refused]
    if found:
        raise ManuscriptError(found)
