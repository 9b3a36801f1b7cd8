"""The JATS edition against the official NISO JATS 1.3 schema (Journal Publishing, MathML
3), offline: the vendored XSD, compiled by lxml."""

from __future__ import annotations

import time
from pathlib import Path

from . import xsd
from .result import CheckResult, finding

# What the schema's words mean for the manuscript, where the fix is in its metadata.
ADVICE = {
    "issn": "the JATS Journal Publishing tag set needs the journal's ISSN: "
    "set 'issn' in publish.yaml or in the manuscript's front matter",
    "journal-id": "the journal needs an id: set 'publication' in publish.yaml",
}


def check(path: Path) -> CheckResult:
    """``path`` (``build/<slug>/<slug>.xml``) validated against JATS 1.3."""
    started = time.perf_counter()
    result = CheckResult(path, "JATS")
    for line, message, words in xsd.located("jats", path.read_bytes()):
        advice = next(
            (a for key, a in ADVICE.items() if f"( {key}" in message or f", {key} )" in message), ""
        )
        text = f"{message} ({advice})" if advice else message
        # The element's words find the manuscript's line (check/lines.py); metadata
        # the manuscript does not hold (the journal's) keeps the edition's line.
        result.findings.append(finding("error", text, f"line {line}", words))
    result.seconds = time.perf_counter() - started
    return result


def is_jats(path: Path) -> bool:
    """Whether ``path`` is a JATS edition (``<slug>.xml``, not a Crossref deposit)."""
    return path.suffix == ".xml" and not path.name.endswith(".crossref.xml")
