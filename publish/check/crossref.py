"""A Crossref deposit against Crossref's metadata deposit schema 5.3.1, offline."""

from __future__ import annotations

import time
from pathlib import Path

from . import xsd
from .result import CheckResult, finding


def check(path: Path) -> CheckResult:
    """``path`` (``<slug>.crossref.xml``) validated against the vendored schema."""
    started = time.perf_counter()
    result = CheckResult(path, "Crossref")
    for line, message in xsd.errors("crossref", path.read_bytes()):
        result.findings.append(finding("error", message, f"line {line}"))
    result.seconds = time.perf_counter() - started
    return result


def is_deposit(path: Path) -> bool:
    return path.name.endswith(".crossref.xml")
