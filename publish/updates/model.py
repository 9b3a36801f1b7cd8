"""The plain data an edition reads to say what updated an article and which versions of
it came before: ``Document.updates``. Nothing here reads files; ``publish.updates`` fills
it in from the whole build (a notice is another manuscript) and from the build folder
(the versions kept there)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Mark = Literal["retracted", "concern", ""]


@dataclass(frozen=True)
class Kind:
    """One kind of notice (``notice:``), as the updated article shows it."""

    name: str
    """What ``notice:`` says: ``correction``, ``retraction``..."""
    label: str
    """The notice's kind as a heading says it: "Correction"."""
    status: str
    """What the updated article has become: "Corrected", "Retracted"."""
    mark: Mark
    """How loudly the updated article is marked: ``retracted`` (every PDF page, the
    title of the HTML and EPUB), ``concern`` (quieter), or only its notice box."""
    rank: int
    """Which status an article shows when several notices update it: the highest."""


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("correction", "Correction", "Corrected", "", 1),
        Kind("erratum", "Erratum", "Corrected", "", 1),
        Kind("addendum", "Addendum", "Addendum added", "", 1),
        Kind(
            "expression-of-concern", "Expression of concern", "Expression of concern", "concern", 2
        ),
        Kind("withdrawal", "Withdrawal", "Withdrawn", "retracted", 3),
        Kind("retraction", "Retraction", "Retracted", "retracted", 3),
    )
}
"""Every kind ``notice:`` may name, by that name."""
NOTICE_KINDS = tuple(KINDS)


@dataclass(frozen=True)
class Link:
    """Another article of the build (or, outside it, a DOI) as an edition links to it."""

    slug: str | None
    """Its ``build/<slug>/``; None for an article outside the build (known by DOI only)."""
    title_html: str = ""
    title_text: str = ""
    doi: str | None = None
    """Bare DOI (``10.5555/x``)."""
    date: str | None = None
    """Its date, ``YYYY[-MM[-DD]]``."""
    href: str | None = None
    """Its HTML edition relative to this article's folder (``../x/x.html``), or None
    outside the build (then ``https://doi.org/<doi>``, when it has one)."""

    @property
    def url(self) -> str | None:
        """Where a link to it goes: its HTML edition, else its DOI."""
        if self.href:
            return self.href
        return f"https://doi.org/{self.doi}" if self.doi else None


@dataclass(frozen=True)
class Notice:
    """A notice of the build that updates this article."""

    kind: Kind
    date: str | None
    """The notice's date (``YYYY[-MM[-DD]]``), which is the update's date."""
    link: Link
    """The notice itself."""


@dataclass(frozen=True)
class Version:
    """One version of an article (``version:``, ``version-date:``, ``version-note:``)."""

    number: int
    date: str | None = None
    """``version-date``, else the article's ``date``."""
    note: str = ""
    """``version-note``, plain text: what changed."""
    href: str | None = None
    """A kept version's HTML edition relative to the article's folder
    (``v1/<slug>.html``); None for the current version (or a version kept without HTML)."""


@dataclass(frozen=True)
class Updates:
    """What the editions of one manuscript say of notices and versions."""

    notice: Kind | None = None
    """This manuscript's own kind when it is a notice (``notice:``)."""
    targets: tuple[Link, ...] = ()
    """The articles this notice updates (``updates:``), in its order."""
    notices: tuple[Notice, ...] = ()
    """The notices of the build that update this article, oldest first."""
    version: Version | None = None
    """This version, when the manuscript numbers its versions or earlier ones are kept."""
    earlier: tuple[Version, ...] = ()
    """The versions kept before this one (``build/<slug>/v<N>/``), oldest first."""

    @property
    def status(self) -> Kind | None:
        """The kind the article is shown as (the highest ranked, the latest among equals),
        or None when no notice updates it."""
        if not self.notices:
            return None
        return max(enumerate(self.notices), key=lambda n: (n[1].kind.rank, n[0]))[1].kind

    @property
    def mark(self) -> Mark:
        """How loudly the article is marked (``Kind.mark`` of its status)."""
        status = self.status
        return status.mark if status else ""
