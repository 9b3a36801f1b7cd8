"""The choices a build is made with; part of what decides whether an edition is up to date."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

FORMATS = ("pdf", "epub", "html")
PAPERS = ("a4", "letter")


@dataclass(frozen=True)
class Options:
    out: Path = Path("build")
    formats: tuple[str, ...] = FORMATS
    paper: str = "a4"
    strict: bool = False
    base_url: str | None = None
    print_marks: bool = False
    templates: Path | None = None
    """A user's own templates folder, searched before ours."""
    max_image_px: int = 1600
    """HTML and EPUB images: at most this many pixels on the long side (issue 11)."""
