"""The plain data every edition renders from: one manuscript, read once.

Nothing here reads files or runs tools; ``publish.read`` fills these in.
"""

from __future__ import annotations

import base64
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from .diagnostics import Diagnostic
from .labels import labels_for
from .updates.model import Updates

DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
# What the byline sets right after a name: the name's wrappers, its affiliation numbers.
AFTER_NAME_RE = re.compile(r'(?:</bdi>|</span>)*(?:<sup class="affiliation-ref">[^<]*</sup>)?')
ORCID_WORD = ">ORCID</a>"
"""How the byline's ORCID link reads before the templates give it the iD mark."""
MONTHS = (
    "January February March April May June July August September October November December"
).split()


def human_date(value: str, lang: str = "en") -> str:
    """``2021-06-15`` as a reader of ``lang`` writes it: "June 15, 2021", "15 juin 2021",
    "2021年6月15日" (CLDR's long form, by Babel); English for a language CLDR lacks."""
    year, month, day = DATE_RE.match(value).groups()  # type: ignore[union-attr]
    if not month:
        return year
    # US English as it always was ("June 15, 2021"); British and every other English
    # and every other language from CLDR ("15 June 2021").
    if lang.lower() not in ("en", "en-us"):
        localised = _cldr_date(int(year), int(month), int(day) if day else None, lang)
        if localised:
            return localised
    text = f"{MONTHS[int(month) - 1]} {year}"
    return f"{MONTHS[int(month) - 1]} {int(day)}, {year}" if day else text


def _cldr_date(year: int, month: int, day: int | None, lang: str) -> str | None:
    # Imported here: an up-to-date build reads no document and needs no locale data.
    from datetime import date

    from babel import Locale, UnknownLocaleError
    from babel.dates import format_date, format_skeleton

    try:
        locale = Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return None
    if day is None:
        return format_skeleton("yMMMM", date(year, month, 1), locale=locale)
    return format_date(date(year, month, day), format="long", locale=locale)


@dataclass(frozen=True)
class Ids:
    """The ids the editions give, one scheme for the editions, their templates (a Jinja
    global ``ids``) and the reader, which keeps a manuscript from taking one of them."""

    title: str = "title"
    notes_heading: str = "notes-heading"
    about_author_heading: str = "about-author-heading"
    notices_heading: str = "notices-heading"
    """The notice box of an article that notices update (``editions/notices.py``)."""
    notice_of_heading: str = "notice-of-heading"
    """A notice's own box: what it updates."""
    versions_heading: str = "versions-heading"
    note_prefix: str = "fn"
    noteref_prefix: str = "fnref"

    def note(self, n: int) -> str:
        return f"{self.note_prefix}{n}"

    def noteref(self, n: int) -> str:
        return f"{self.noteref_prefix}{n}"

    def taken(self, ident: str) -> bool:
        """An id the editions give themselves, so that a manuscript may not use it."""
        own = (self.notices_heading, self.notice_of_heading, self.versions_heading)
        if ident in (self.title, self.notes_heading, self.about_author_heading, *own):
            return True
        for prefix in (self.noteref_prefix, self.note_prefix):
            if ident.startswith(prefix) and ident[len(prefix) :].isdigit():
                return True
        return False


IDS = Ids()


@dataclass(frozen=True)
class Markers:
    """The internal markers between the Lua filter and the editions. Each carries a token
    drawn afresh for every reading, so that no manuscript can write one: a comment in the
    text that looks like a marker stays a comment."""

    token: str = field(default_factory=lambda: secrets.token_hex(12))

    @property
    def prefix(self) -> str:
        """What every marker begins with (passed to the Lua filter)."""
        return f"publish-{self.token}"

    def noteref(self, n: int) -> str:
        return f"<!--{self.prefix} noteref {n}-->"

    def image(self, n: int) -> str:
        """What stands in an ``<img src>`` for local image ``n`` until an edition puts its
        own address there (a ``data:`` URI, a file inside the EPUB)."""
        return f"{self.prefix}-image-{n}.x"

    @property
    def noteref_re(self) -> re.Pattern[str]:
        return re.compile(rf"<!--{re.escape(self.prefix)} noteref (\d+)-->")


@dataclass(frozen=True)
class Heading:
    """A section heading of the text, as the editions set it (level 2 to 6)."""

    level: int
    id: str
    text: str


@dataclass(frozen=True)
class Rich:
    """A metadata value written in Markdown: its HTML, and its plain text for places
    that take no markup (``<title>``, the OPF, PDF properties)."""

    html: str
    text: str


@dataclass(frozen=True)
class Affiliation:
    """An institution, printed once however many authors share it (Quarto's schema)."""

    name: Rich
    """The whole line as printed: department, institution, city, country."""
    id: str = ""
    url: str | None = None
    ror: str | None = None
    institution: str = ""
    """The institution alone, for ``citation_author_institution``."""


@dataclass(frozen=True)
class BylineNote:
    """A line under the byline, after the mark that the names it concerns carry."""

    mark: str
    words: Rich
    kind: str = "note"
    """``corresponding``, ``equal`` or ``note``."""


@dataclass(frozen=True)
class Author:
    name: Rich
    """The name as printed in the byline."""
    affiliation: Rich | None = None
    """All the author's affiliations on one line (``affiliations`` joined)."""
    note: Rich | None = None
    """The author note ("X is a former member of ..."), set after the text."""
    email: str | None = None
    orcid: str | None = None
    """Bare ORCID iD, checked: ``0000-0002-1825-0097``."""
    url: str | None = None
    given: str | None = None
    family: str | None = None
    affiliations: tuple[Affiliation, ...] = ()
    corresponding: bool = False
    equal_contrib: bool = False
    """Open Journals' ``equal-contrib`` (Quarto's ``equal-contributor``)."""
    byline_note: Rich | None = None
    """A note on the name under the byline ("Now at ..."): ``byline-note``, or a note
    written in the name or an affiliation (``name: Jane Doe^[Now at ...]``)."""
    marks: str = ""
    """The marks after the name that point to its lines under the byline: "*" for the
    corresponding author, "†" for equal contribution, "‡", "§"... for other notes."""

    @property
    def file_as(self) -> str:
        """ "Family, Given" for catalogues (OPF ``file-as``), else the name."""
        if self.family and self.given:
            return f"{self.family}, {self.given}"
        return self.name.text


@dataclass(frozen=True)
class Copyright:
    """Quarto's ``copyright``: who holds it and since when, or a statement as written."""

    holder: str | None = None
    year: str | None = None
    statement: str | None = None

    @property
    def text(self) -> str:
        """ "© 2025 Jane Castillo", or the statement as written."""
        if self.statement:
            return self.statement
        return " ".join(p for p in ("©", self.year, self.holder) if p)


@dataclass(frozen=True)
class Award:
    """One grant: who gave it (``funder_id``: its ROR or Open Funder Registry id)."""

    funder: str | None = None
    funder_id: str | None = None
    number: str | None = None
    name: str | None = None

    @property
    def text(self) -> str:
        """ "Estonian Research Council (PRG1234)"."""
        what = self.funder or self.name or ""
        if self.number:
            return f"{what} ({self.number})" if what else self.number
        return what


@dataclass(frozen=True)
class Funding:
    """Quarto's ``funding``: a statement, and the awards it names."""

    statement: str | None = None
    awards: tuple[Award, ...] = ()

    @property
    def text(self) -> str:
        """The statement, else the awards one after another."""
        return self.statement or "; ".join(a.text for a in self.awards if a.text)


@dataclass(frozen=True)
class Metadata:
    title: Rich
    """Required."""
    subtitle: Rich | None = None
    short_title: Rich | None = None
    """``title: {long, short}``'s short title (or ``short-title``, rticles'
    ``shorttitle``/``runninghead``): the running heads' title."""
    authors: tuple[Author, ...] = ()
    """``author`` (or ``authors``): a name, a list of names, or a list of mappings."""
    date: str | None = None
    """Publication date: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    lang: str = "en"
    """BCP 47 language tag of the text."""
    publication: Rich | None = None
    """The periodical or series (alias ``container-title``)."""
    volume: str | None = None
    issue: str | None = None
    publisher: Rich | None = None
    issn: str | None = None
    abstract: Rich | None = None
    keywords: tuple[str, ...] = ()
    rights: Rich | None = None
    """Licence or copyright statement (alias ``license``)."""
    identifier: str = ""
    """DOI, URN or ISBN; default: a ``urn:uuid`` derived from the manuscript's file name
    and publication, the same in every build."""
    base_url: str | None = None
    """``base-url``: the site the text was first published on; links to its sibling pages
    become absolute links there."""
    doi: str | None = None
    """Bare DOI (``10.5555/x``); given, it is also the identifier."""
    license_url: str | None = None
    """The licence's address (``license: {link: ...}`` or a licence given as a URL)."""
    affiliations: tuple[Affiliation, ...] = ()
    """Every author's affiliations, each once, in order of first mention."""
    numbered_affiliations: bool = False
    """Whether authors' affiliations differ, so names carry the affiliations' numbers."""
    byline_notes: tuple[BylineNote, ...] = ()
    """The lines under the byline that the authors' marks point to."""
    firstpage: str | None = None
    lastpage: str | None = None
    copyright: Copyright | None = None
    """Quarto's ``copyright``: ``{holder, year, statement}`` or a statement."""
    funding: tuple[Funding, ...] = ()
    """Quarto's ``funding``: a statement, or ``{statement, awards: [{id, source}]}``."""

    def dressed_byline(self, byline: str, orcid_icon: str = "") -> str:
        """``byline`` (HTML, one name after another in the authors' order) with each
        author's marks after the name and its affiliation numbers, and the ORCID links
        showing ``orcid_icon`` (the iD mark) instead of the word."""
        cursor = 0
        for author in self.authors:
            at = byline.find(author.name.html, cursor)
            if at < 0:
                continue
            end = AFTER_NAME_RE.match(byline, at + len(author.name.html))
            cursor = end.end() if end else at + len(author.name.html)
            if author.marks:
                marks = f'<sup class="author-mark">{escape(author.marks)}</sup>'
                byline = byline[:cursor] + marks + byline[cursor:]
                cursor += len(marks)
        if orcid_icon:
            byline = byline.replace(ORCID_WORD, f">{orcid_icon}</a>")
        # The mark stays on the line of the name it belongs to.
        return byline.replace(' <a class="orcid"', '\u00a0<a class="orcid"')

    @property
    def rights_text(self) -> str:
        """The copyright and the licence on one line, as plain text (EPUB's
        ``dc:rights``, the PDF's XMP): "© 2025 Jane Castillo. CC BY 4.0"."""
        parts = [
            self.copyright.text if self.copyright else "",
            self.rights.text if self.rights else "",
        ]
        return ". ".join(p.strip().rstrip(".") for p in parts if p.strip())

    @property
    def publication_line(self) -> tuple[str, ...]:
        """ "Terrorism Monitor · Volume 3 · Issue 2 · January 2005", as parts."""
        labels = labels_for(self.lang)
        parts = [self.publication.text] if self.publication else []
        if self.volume:
            parts.append(labels.volume.format(self.volume))
        if self.issue:
            parts.append(labels.issue.format(self.issue))
        if self.date:
            parts.append(human_date(self.date, self.lang))
        return tuple(parts)


@dataclass(frozen=True)
class Resource:
    """A local file the text uses, checked to lie inside the manuscript's folder."""

    src: str
    """The address as written in the manuscript."""
    path: Path
    media_type: str
    alt: str
    content: bytes = b""
    """The file's bytes as checked (an SVG as sanitised): editions use these, never the
    file again, so that what was checked is what is published."""
    key: str = ""
    """The marker that stands for it in ``<img src>`` (``Markers.image``)."""

    @property
    def data(self) -> bytes:
        """The bytes to publish (read from the file only for a Resource made by hand)."""
        return self.content or self.path.read_bytes()

    def data_uri(self) -> str:
        return f"data:{self.media_type};base64,{base64.b64encode(self.data).decode()}"


@dataclass(frozen=True)
class Note:
    number: int
    html: str
    """The note's block HTML, as pandoc wrote it."""
    inline_html: str = ""
    """The same with its blocks as ``<span class="fn-p">``, to set inside a paragraph."""


@dataclass(frozen=True)
class Document:
    """One manuscript, parsed once."""

    source: Path
    slug: str
    meta: Metadata
    body: str
    """Body HTML; note calls are markers that each edition fills with ``with_noterefs``."""
    notes: tuple[Note, ...]
    resources: dict[str, Resource]
    """Local files the text uses (images), by the address written in the text."""
    diagnostics: tuple[Diagnostic, ...] = ()
    """Warnings found while reading."""
    inputs: tuple[Path, ...] = ()
    """Other files the text was read with (bibliographies, a CSL style): a change to
    one of them makes the editions out of date."""
    headings: tuple[Heading, ...] = ()
    markers: Markers = field(default_factory=Markers)
    updates: Updates = field(default_factory=Updates)
    """The notices that update this article (or, for a notice, what it updates) and its
    earlier versions: ``publish.updates`` fills it in from the whole build."""

    @property
    def folder(self) -> Path:
        return self.source.parent

    @property
    def has_images(self) -> bool:
        return bool(self.resources)

    def with_images(self, html: str, address: Callable[[Resource], str]) -> str:
        """``html`` with each local image's ``src`` replaced by this edition's address
        for it (a ``data:`` URI, a path inside the EPUB)."""
        for resource in self.resources.values():
            html = html.replace(resource.key, escape(address(resource)))
        return html

    def with_noterefs(self, html: str, call: Callable[[int], str]) -> str:
        """``html`` with each note call marker replaced by this edition's markup for it.
        In a script written without spaces a line may break between any two characters,
        so a call would be left alone at the start of a line: a word joiner (U+2060, not
        seen, not read aloud) keeps it with the character before it."""
        from .labels import labels_for

        glue = "" if labels_for(self.meta.lang).spaced else "\u2060"
        return self.markers.noteref_re.sub(lambda m: glue + call(int(m.group(1))), html)
