"""What a build is asked to do beside its options, and what becomes of each unit."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostic


@dataclass(frozen=True)
class Plan:
    """How to run a build, beside what it builds (``Options`` shape the editions)."""

    jobs: int | None = None
    """Manuscripts built at once (default: one per CPU)."""
    force: bool = False
    quiet: bool = False
    proof: bool = False
    check: bool = False
    scheduler: str | None = None
    """A Dask scheduler's address: build there instead of in local processes."""


Rendered = dict[str, bytes]
"""Editions as bytes, by path in the output folder (``slug/slug.pdf``)."""


@dataclass
class Outcome:
    """What became of one manuscript (or one issue: its source is the ``issue.yaml``)."""

    source: Path
    written: list[Path] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    uses: list[Path] = field(default_factory=list)
    """Files besides the manuscript that shaped the editions (its images, bibliography)."""

    @property
    def failed(self) -> bool:
        return any(d.severity == "error" for d in self.diagnostics)
