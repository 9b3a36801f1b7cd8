"""What a reader gets from an edition, as plain data for the lint to compare."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Reading:
    """One edition as a reader meets it."""

    path: Path
    kind: str
    """``html``, ``epub`` or ``pdf``."""
    text: str = ""
    """The reading text of every document, in order."""
    languages: dict[str, str] = field(default_factory=dict)
    """Language of each document (``""`` when none is declared)."""
    authors: list[str] = field(default_factory=list)
    author_notes: list[str] = field(default_factory=list)
    notes: dict[tuple[str, str], str] = field(default_factory=dict)
    """(document, id) of each note -> its text without the back-link."""
    calls: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    """(document, id) of each note call -> (document, id) it links to."""
    backlinks: dict[tuple[str, str], set[tuple[str, str]]] = field(default_factory=dict)
    """(document, id) of each note -> the targets of the links inside it."""
    links: list[tuple[str, str, str]] = field(default_factory=list)
    """Internal links: (document it is in, target document, target id or "")."""
    ids: set[tuple[str, str]] = field(default_factory=set)
    images: list[tuple[str, str | None]] = field(default_factory=list)
    """(document, alt text or None) of each image."""
    features: set[str] = field(default_factory=set)
    """schema.org accessibilityFeature values claimed (EPUB)."""
    access_modes: set[str] = field(default_factory=set)
    """schema.org accessMode values claimed (EPUB)."""
    toc_entries: int = 0
    """Links in the navigation document's ``toc`` nav (EPUB)."""
    script_mismatches: list[tuple[str, str, str]] = field(default_factory=list)
    """(document, declared language, text) of Arabic-script text not declared as such."""
