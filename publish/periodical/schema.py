"""``issue.yaml``: what an issue says about itself, checked like a manuscript's front
matter (located errors, "did you mean", ``--strict``)."""

from __future__ import annotations

import difflib
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date as Date
from pathlib import Path
from typing import Any

import yaml

from .. import settings
from ..diagnostics import Collector, PublishError
from ..document import DATE_RE, Resource, human_date
from ..images import ImageError, open_checked
from ..labels import labels_for
from ..read import controls
from ..read.frontmatter import Loader, bounded, record_lines

ISSUE_FILE = "issue.yaml"
KEYS = (
    "publication",
    "volume",
    "issue",
    "date",
    "issn",
    "publisher",
    "title",
    "editors",
    "cover",
    "lang",
    "articles",
    "recto",
    "identifier",
)
REQUIRED = ("publication", "date")
"""A special issue may have no volume or number; every issue has a publication and a date."""
PERIODICAL_KEYS = ("publication", "volume", "issue", "date", "issn", "publisher")
"""The keys an article takes from its issue unless it sets its own."""
LANG_RE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
ISSN_RE = re.compile(r"^\d{4}-\d{3}[\dX]$")
Locate = Callable[[str], int]
"""The line of a key path in issue.yaml."""
COVER_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}


@dataclass(frozen=True)
class Issue:
    folder: Path
    publication: str
    volume: str
    issue: str
    date: str
    articles: tuple[Path, ...]
    issn: str | None = None
    publisher: str | None = None
    title: str | None = None
    """The issue's theme, if it has one."""
    editors: tuple[str, ...] = ()
    cover: Path | None = None
    lang: str = "en"
    recto: bool = False
    """Each article starts on a right-hand page."""
    identifier: str = ""
    cover_bytes: bytes = b""
    """The cover's bytes as checked: the editions use these, never the file again."""

    @property
    def cover_image(self) -> Resource | None:
        """The cover as an image of the text, for the editions' image sizing (which also
        drops its camera metadata, as it does an article's images')."""
        if self.cover is None:
            return None
        media_type = COVER_TYPES[self.cover.suffix.lower()]
        alt = f"Cover of {self.label}, {self.date_text}"
        return Resource(self.cover.name, self.cover, media_type, alt, self.cover_bytes)

    @property
    def name(self) -> str:
        """The folder's name: the issue's editions are ``build/<name>/<name>.*``."""
        return self.folder.name

    @property
    def numbering(self) -> tuple[str, ...]:
        """ "Volume 3", "Issue 2": those of them the issue has (a special issue may have
        neither)."""
        labels = labels_for(self.lang)
        found = [labels.volume.format(self.volume)] if self.volume else []
        return (*found, *([labels.issue.format(self.issue)] if self.issue else []))

    @property
    def label(self) -> str:
        """ "Terrorism Monitor, Volume 3, Issue 2"; an issue without numbers is named by
        its title, or its date."""
        if self.numbering:
            return ", ".join([self.publication, *self.numbering])
        return (
            f"{self.publication}: {self.title}"
            if self.title
            else (f"{self.publication}, {self.date_text}")
        )

    @property
    def date_text(self) -> str:
        return human_date(self.date, self.lang)

    @property
    def citation(self) -> str:
        """ "Terrorism Monitor 3(2)", as a reference cites an issue ("3" without a
        number, "no. 2" without a volume, "(November 2024)" without either)."""
        if self.volume and self.issue:
            return f"{self.publication} {self.volume}({self.issue})"
        if self.volume or self.issue:
            return f"{self.publication} {self.volume or f'no. {self.issue}'}"
        return f"{self.publication} ({self.date_text})"  # cited by its date, as is usual

    def value(self, key: str) -> str | None:
        return getattr(self, key) or None


def load(folder: Path, report: Collector) -> Issue | None:
    """The issue described by ``folder/issue.yaml``; None (with errors) when unusable."""
    path = folder / ISSUE_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        report.error(None, f"cannot read {ISSUE_FILE}: {exc}; save it as UTF-8 text")
        return None
    try:
        node = yaml.compose(text, Loader=Loader)
        # The front matter's limits (aliases that expand without end, depth, keys given
        # twice) before anything is built from the nodes.
        if not bounded(node, _FileLines(path, report)):
            return None
        data = yaml.load(text, Loader=Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        report.error(
            mark.line + 1 if mark else 1,
            f"malformed YAML: {exc.problem or exc.context}; check the quoting and indentation",
            mark.column + 1 if mark else None,
        )
        return None
    if not isinstance(data, dict):
        report.error(1, "issue.yaml must be 'key: value' lines (publication, volume, issue, ...)")
        return None
    lines: dict[str, int] = {}
    record_lines(node, "", lines)
    # record_lines counts lines as a front matter does, one below its opening '---'.
    lines = {k: v - 1 for k, v in lines.items()}

    def at(key: str) -> int:
        while key and key not in lines:
            key = key.rpartition(".")[0]
        return lines.get(key, 1)

    data = controls.values(data, at, report)
    data = _with_publication_defaults(folder, data)
    for key in data:
        if key not in KEYS:
            hint = difflib.get_close_matches(str(key), KEYS, n=1)
            advice = f"did you mean '{hint[0]}'?" if hint else "it is ignored"
            report.warning(at(str(key)), f"unknown issue key '{key}': {advice}")

    def scalar(key: str) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            report.error(at(key), f"'{key}' must be a single value such as '{key}: 3'")
            return None
        return str(value).strip() or None

    publication, volume, number = scalar("publication"), scalar("volume"), scalar("issue")
    title, publisher = scalar("title"), scalar("publisher")
    for key in REQUIRED:
        if data.get(key) in (None, ""):
            report.error(1, f"missing '{key}': add a line '{key}: ...' to {ISSUE_FILE}")
    date = scalar("date")
    if date and not _real_date(date):
        report.error(
            at("date"), f"'date: {date}' is not a real date: write YYYY, YYYY-MM or YYYY-MM-DD"
        )
    issn = scalar("issn")
    if issn and not ISSN_RE.match(issn):
        report.error(at("issn"), f"'issn: {issn}' is not an ISSN such as 1234-5679")
    lang = scalar("lang") or "en"
    if not LANG_RE.match(lang):
        report.error(at("lang"), f"'lang: {lang}' is not a BCP 47 language tag such as 'en'")
    recto = data.get("recto", False)
    if not isinstance(recto, bool):
        report.error(at("recto"), "'recto' must be true or false")
    editors = _editors(data.get("editors"), at, report)
    cover = _cover(folder, scalar("cover"), at, report)
    articles = _articles(folder, data.get("articles"), at, report)
    if report.errors:
        return None
    assert date is not None
    seed = f"publish-issue:{publication}:{volume}:{number}"
    return Issue(
        folder=folder,
        publication=publication or "",
        volume=volume or "",
        issue=number or "",
        date=date,
        articles=articles,
        issn=issn,
        publisher=publisher,
        title=title,
        editors=editors,
        cover=cover,
        cover_bytes=cover.read_bytes() if cover else b"",
        lang=lang,
        recto=bool(recto),
        identifier=scalar("identifier") or f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, seed)}",
    )


class _FileLines(Collector):
    """A report that takes lines counted as in a front matter (one below its opening
    '---') as lines of issue.yaml."""

    def __init__(self, path: Path, report: Collector) -> None:
        super().__init__(path, report.strict)
        self.report = report

    def error(self, line: int | None, message: str, column: int | None = None) -> None:
        self.report.error(line - 1 if line else line, message, column)

    def warning(self, line: int | None, message: str, column: int | None = None) -> None:
        self.report.warning(line - 1 if line else line, message, column)


def _with_publication_defaults(folder: Path, data: dict[str, Any]) -> dict[str, Any]:
    """The publication's ``publish.yaml`` defaults an issue knows (publication, ISSN,
    publisher, language) under its own keys, as under every manuscript's. A broken
    ``publish.yaml`` is said by the articles' reading, at its line."""
    found = settings.find(folder)
    if found is None:
        return data
    try:
        defaults = settings.load(found).defaults
    except PublishError:
        return data
    return settings.merged({k: v for k, v in defaults.items() if k in KEYS}, data)


def _real_date(text: str) -> bool:
    match = DATE_RE.match(text)
    if not match:
        return False
    year, month, day = match.groups()
    try:
        Date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return False
    return True


def _editors(value: Any, at: Locate, report: Collector) -> tuple[str, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    names = []
    for i, item in enumerate(items):
        if isinstance(item, dict) and isinstance(item.get("name"), str):
            item = item["name"]
        if not isinstance(item, str) or not item.strip():
            report.error(
                at(f"editors.{i}"), "each editor must be a name, or a mapping with 'name:'"
            )
            continue
        names.append(item.strip())
    return tuple(names)


def _cover(folder: Path, name: str | None, at: Locate, report: Collector) -> Path | None:
    if name is None:
        return None
    path = (folder / name).resolve()
    if not path.is_relative_to(folder.resolve()):
        report.error(
            at("cover"), f"cover '{name}' is outside the issue's folder: put it beside issue.yaml"
        )
        return None
    if path.suffix.lower() not in COVER_TYPES:
        report.error(at("cover"), f"cover '{name}' must be a JPEG or PNG image")
        return None
    if not path.is_file():
        report.error(at("cover"), f"cover '{name}' does not exist in {folder.name}/")
        return None
    try:
        open_checked(path.read_bytes(), COVER_TYPES[path.suffix.lower()])
    except (OSError, ImageError) as exc:
        report.error(at("cover"), f"cover '{name}' cannot be used: {exc}")
        return None
    return path


def _articles(folder: Path, value: Any, at: Locate, report: Collector) -> tuple[Path, ...]:
    """The manuscripts in reading order: as listed, or every ``*.md`` in name order. A listed
    file that is missing is an error; a manuscript of the folder left out is a warning."""
    present = sorted(p.name for p in folder.glob("*.md"))
    if value is None:
        if not present:
            report.error(1, f"the issue has no articles: put manuscripts (*.md) in {folder.name}/")
        return tuple(folder / name for name in present)
    if not isinstance(value, list) or not value:
        report.error(
            at("articles"), "'articles' must be a list of manuscript files, in reading order"
        )
        return ()
    listed: list[Path] = []
    for i, item in enumerate(value):
        where = at(f"articles.{i}")
        if not isinstance(item, str) or not item.strip():
            report.error(where, "each article must be a file name such as 'my-article.md'")
            continue
        name = item.strip()
        path = folder / name
        if "/" in name or "\\" in name or not name.endswith(".md"):
            report.error(where, f"article '{name}' must be a manuscript (*.md) of this folder")
        elif not path.is_file():
            hint = difflib.get_close_matches(name, present, n=1)
            advice = f"did you mean '{hint[0]}'?" if hint else f"add {name} to {folder.name}/"
            report.error(where, f"article '{name}' does not exist: {advice}")
        elif path in listed:
            report.error(where, f"article '{name}' is listed twice")
        else:
            listed.append(path)
    for name in present:
        if folder / name not in listed:
            report.warning(
                at("articles"),
                f"{name} is in the issue's folder but not in 'articles': list it, or move it out",
            )
    return tuple(listed)
