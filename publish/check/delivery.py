"""``publish check`` for what a journal delivers: each ``.xml`` file found is a JATS
edition or a Crossref deposit (``.crossref.xml``), validated against its schema; PDFs go
to veraPDF's engine for PDF/A-3a and PDF/UA-1, all in one JVM."""

from __future__ import annotations

from pathlib import Path

from . import crossref, jats, verapdf
from .result import CheckResult

SUFFIXES = (".xml",)
CHECKS = ("JATS", "Crossref", "veraPDF")
"""Their names, for the order of the check table."""


def check_xml(paths: list[Path]) -> list[CheckResult]:
    """JATS and Crossref validation of every ``.xml`` edition in ``paths``."""
    results = []
    for path in paths:
        if crossref.is_deposit(path):
            results.append(crossref.check(path))
        elif jats.is_jats(path):
            results.append(jats.check(path))
    return results


def check_pdfs(pdfs: list[Path]) -> list[CheckResult]:
    """veraPDF's PDF/A-3a and PDF/UA-1 profiles on every PDF, in one JVM."""
    return verapdf.verapdf(pdfs)
