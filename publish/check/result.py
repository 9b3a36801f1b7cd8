"""What one check found about one edition: plain data shared by every validator."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Finding:
    """One message from a validator."""

    severity: str
    """``"error"`` or ``"warning"``; both fail the check (the bar is zero of each)."""
    message: str
    """The validator's own words, without the file name."""
    where: str = ""
    """Location inside the edition (document, line, page, selector), when known."""
    snippet: str = ""
    """The HTML of the element concerned, as the validator gives it (Ace, axe): its words
    find the manuscript line (lines.py)."""
    source: str = ""
    """``manuscript.md:LINE`` when the finding comes from the manuscript's text."""


@dataclass
class CheckResult:
    """The outcome of one check on one edition."""

    edition: Path
    """The edition file checked."""
    check: str
    """Short name of the check, such as ``EPUBCheck``, ``axe``, ``PDF`` or ``lint``."""
    findings: list[Finding] = field(default_factory=list)
    seconds: float = 0.0
    """Wall time spent on this check (shared start-up is split over the editions)."""

    @property
    def passed(self) -> bool:
        return not self.findings

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def error(self, message: str, where: str = "") -> None:
        self.findings.append(Finding("error", message, where))

    def warning(self, message: str, where: str = "") -> None:
        self.findings.append(Finding("warning", message, where))


def not_installed(edition: Path, check: str, what: str, install: str) -> CheckResult:
    """A failure for a validator that is missing: never a silent skip."""
    result = CheckResult(edition, check)
    result.error(f"{what} is not installed; install it with: {install}")
    return result


def finding(severity: str, message: str, where: str = "", snippet: str = "") -> Finding:
    """A finding with the validator's message folded onto one line."""
    return Finding(severity, " ".join(message.split()), where, snippet)
