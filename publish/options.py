"""The choices a build is made with; part of what decides whether an edition is up to date."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .editions.registry import ALL_FORMATS, FORMATS
from .settings import Settings

if TYPE_CHECKING:
    from .updates.relations import Relations

__all__ = ["ALL_FORMATS", "FORMATS", "PAPERS", "Options", "Pagination", "Settings"]
PAPERS = ("a4", "letter")


@dataclass(frozen=True)
class Pagination:
    """Where an article is printed in its issue (``publish.periodical``): its editions
    then carry these pages. Outside an issue ``Options.pages`` is None and nothing changes."""

    first: int
    last: int
    source: str
    """The print edition the page numbers come from (the EPUB's ``pageBreakSource``)."""
    citation: str
    """ "Terrorism Monitor 3(2): 3–6"."""
    lang: str | None = None
    """The issue's language, when the article is in another: the publication's name in
    its title block is marked with it (a Persian journal's name in an English article)."""


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
    pages: Pagination | None = None
    """The article's pages in its printed issue, when it is built as part of one."""
    resource_path: tuple[Path, ...] = ()
    """Folders besides each manuscript's own that its images may come from."""
    max_image_px: int = 1600
    """HTML and EPUB images: at most this many pixels on the long side (issue 11)."""
    settings: Settings | None = None
    """The publication's ``publish.yaml`` (``settings.py``), read once where publish
    runs; None: each manuscript's own, found beside its ``source/`` folder."""
    relations: Relations | None = None
    """What the build's other manuscripts say of each (notices, what they update) and
    the versions kept in the build folder (``publish.updates``), found before any unit
    is built; None outside a build (a manuscript read alone knows only itself). Not part
    of the digest all manuscripts share: each unit's stamp records its own part."""
