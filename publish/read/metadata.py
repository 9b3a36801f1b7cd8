"""The metadata schema: what a manuscript may say about itself, checked before rendering.

Names follow pandoc and Quarto so that a manuscript written for them works here.
"""

from __future__ import annotations

import difflib
import html as htmllib
import os
import re
import unicodedata
import uuid
from dataclasses import fields
from datetime import UTC, datetime
from datetime import date as Date
from typing import Any

from ..diagnostics import Collector
from ..document import DATE_RE, Metadata, Rich
from ..updates import keys as update_keys
from . import dates, journal_keys, rights, scholarly
from .frontmatter import FrontMatter
from .identifiers import looks_like_doi

ALIASES = {
    "authors": "author",
    "container-title": "publication",
    "license": "rights",
    "base-url": "base_url",
}
KNOWN = (
    {f.name for f in fields(Metadata)} - {"authors", "base_url"} | {"author", "base-url"}
) - scholarly.DERIVED | scholarly.KEYS
KNOWN |= {"resource-path"}  # read by publish.read itself
KNOWN |= update_keys.KEYS  # notices and versions (publish.updates)
KNOWN |= journal_keys.TOP_LEVEL  # other tools' keys: known, read or left alone quietly
# Dates as other publications write them, in English, when no reading is ambiguous:
# what each means to a reader is the same day (or month) in ISO form.
DATE_FORMATS: tuple[tuple[str, str], ...] = (
    ("%d %B %Y", "%Y-%m-%d"),  # 12 March 2024
    ("%d %b %Y", "%Y-%m-%d"),  # 12 Mar 2024
    ("%B %d, %Y", "%Y-%m-%d"),  # March 12, 2024
    ("%b %d, %Y", "%Y-%m-%d"),  # Mar 12, 2024
    ("%B %d %Y", "%Y-%m-%d"),  # March 12 2024
    ("%B %Y", "%Y-%m"),  # March 2024
    ("%b %Y", "%Y-%m"),  # Mar 2024
    ("%Y/%m/%d", "%Y-%m-%d"),  # 2024/03/12
    ("%Y.%m.%d", "%Y-%m-%d"),  # 2024.03.12
)
# An ISO 8601 date and time (YAML's timestamp, Quarto's `date: 2024-03-12T10:00:00Z`):
# the editions show the day.
DATETIME_RE = re.compile(
    r"^(\d{4}-\d{2}-\d{2})[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?$"
)
QUARTO_NOW = {"today", "now", "last-modified"}
LANG_RE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
IDENTIFIER_RE = re.compile(r"^(?:10\.\d{4,9}/\S+|doi:\S+|urn:\S+|(?:97[89])?[\d-]{9,16}[\dXx])$")
# Possessive: linear however long the value (a plain '+' backtracks on many dots).
EMAIL_RE = re.compile(r"^[^@\s<>\"']++@[^@\s<>\"'.]++(?:\.[^@\s<>\"'.]++)++$")


def validate(
    fm: FrontMatter, rich: dict[str, dict[str, str]], slug: str, report: Collector
) -> Metadata | None:
    """Check every key at once; return the metadata, or None when there were errors."""
    data = {ALIASES.get(k, k): v for k, v in fm.data.items()}
    keypath = {ALIASES.get(k, k): k for k in fm.data}
    at = _Locator(fm, keypath)
    for key in fm.data:
        if ALIASES.get(key, key) not in KNOWN | {"base_url"}:
            hint = difflib.get_close_matches(key, sorted(KNOWN | set(ALIASES)), n=1)
            advice = f"did you mean '{hint[0]}'?" if hint else "it is ignored"
            report.warning(at(key), f"unknown metadata key '{key}': {advice}")
    check = _Checker(rich, at, keypath, report, fm.data)
    title = check.rich("title", inline=True)
    if "title" not in data:
        report.error(1, "missing 'title': add a line 'title: ...' to the front matter")
    elif title is None or not _visible(title.text):
        if not report.errors:
            report.error(at("title"), "'title' is empty: write the title after 'title:'")
        title = None
    values: dict[str, Any] = {
        "title": title,
        "subtitle": check.rich("subtitle", inline=True),
        "short_title": check.rich("short-title", inline=True),
        "authors": (),  # people.authors, in scholarly.values below
        "date": check.date(data.get("date")),
        "lang": check.lang(data.get("lang", "en")),
        "publication": check.rich("publication", inline=True),
        "volume": check.scalar("volume", data.get("volume")),
        "issue": check.scalar("issue", data.get("issue")),
        "publisher": check.rich("publisher", inline=True),
        "issn": scholarly.issn(check, data.get("issn")),
        "abstract": check.rich("abstract"),
        "keywords": check.keywords(data.get("keywords")),
        "rights": scholarly.rights(check, data.get("rights")),
        "copyright": rights.copyright_of(check, data.get("copyright")),
        "funding": rights.funding_of(check, data.get("funding")),
        "identifier": check.identifier(data.get("identifier"), slug, data.get("publication")),
        "base_url": check.url("base_url", data.get("base_url")),
    }
    values.update(scholarly.values(check, data, values, EMAIL_RE))
    if report.errors or title is None:
        return None
    return Metadata(**values)


def checker(fm: FrontMatter, report: Collector) -> _Checker:
    """A checker of the front matter's plain values (no rendered text: titles are read
    as typed), for readers other than ``validate``."""
    keypath = {ALIASES.get(k, k): k for k in fm.data}
    return _Checker({}, _Locator(fm, keypath), keypath, report, fm.data)


def own_updates(fm: FrontMatter, report: Collector) -> update_keys.Own:
    """The keys of notices and versions (``publish.updates.keys``), checked at their lines."""
    return update_keys.read_own(fm.data, checker(fm, report))


class _Locator:
    """Finds the line of a (canonical) key path in the front matter."""

    def __init__(self, fm: FrontMatter, keypath: dict[str, str]) -> None:
        self.fm = fm
        self.keypath = keypath

    def __call__(self, path: str) -> int:
        head, _, rest = path.partition(".")
        real = self.keypath.get(head, head) + ("." + rest if rest else "")
        while real and real not in self.fm.lines:
            real = real.rpartition(".")[0]
        return self.fm.lines.get(real, 1)


class _Checker:
    def __init__(
        self,
        rich: dict[str, dict[str, str]],
        at: _Locator,
        keypath: dict[str, str],
        report: Collector,
        data: dict[str, Any] | None = None,
    ) -> None:
        self.rich_values = rich
        self.data = data or {}
        self.at = at
        self.keypath = keypath
        self.report = report

    def _real(self, path: str) -> str:
        head, _, rest = path.partition(".")
        return self.keypath.get(head, head) + ("." + rest if rest else "")

    def rich(self, path: str, inline: bool = False) -> Rich | None:
        """The rendered value at ``path``; ``inline`` for values set inside a heading or a
        line (a title written as a YAML block, ``title: |``, arrives as a paragraph)."""
        value = self.rich_values.get(self._real(path))
        raw = _lookup(self.data, self._real(path))
        if isinstance(raw, bool):
            # YAML 1.1 reads yes, no, on and off as true and false: the text is lost.
            self.report.error(
                self.at(path),
                f"'{path}' is read as {str(raw).lower()}, not as text (YAML reads yes, no, "
                "on and off so): put the text in quotes",
            )
            return None
        if value is None:
            if any(k.startswith(self._real(path) + ".") for k in self.rich_values):
                self.report.error(
                    self.at(path),
                    f"'{path}' must be text, not a list or mapping: write the text after "
                    f"'{path.rpartition('.')[2]}:' (or after '|' on the lines below)",
                )
            elif isinstance(raw, str) and raw.strip():
                # pandoc's YAML reads 'N' or 'off' as true/false and renders nothing;
                # PyYAML kept the text, which is what the editor typed.
                return Rich(html=htmllib.escape(raw.strip(), quote=False), text=raw.strip())
            return None
        if isinstance(raw, str) and RAW_TAG_RE.search(raw):
            # pandoc reads markup in metadata as raw HTML and breaks lines around block
            # tags; the text as typed is what an editor meant: show it literally.
            text = " ".join(raw.split())
            return Rich(html=htmllib.escape(text, quote=False), text=text)
        html = value["html"].strip()
        if inline:
            html = _unwrap(html)
        return Rich(html=html, text=value["text"].strip())

    def scalar(self, path: str, value: Any) -> str | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.report.error(
                self.at(path),
                f"'{self._real(path)}' must be a single value such as '{self._real(path)}: "
                f"{EXAMPLES.get(path, '3')}', not {_kind(value)}",
            )
            return None
        return str(value)

    def url(self, path: str, value: Any) -> str | None:
        text = self.scalar(path, value)
        if text and not re.match(r"^https?://", text):
            self.report.error(
                self.at(path),
                f"'{self._real(path)}' must be an http(s) address, such as https://example.org/",
            )
            return None
        return text

    def date(self, value: Any, path: str = "date") -> str | None:
        """A date at ``path`` (``date``, ``version-date``) as YYYY[-MM[-DD]]."""
        text = self.scalar(path, value)
        if text is None:
            return None
        if text.strip().lower() in QUARTO_NOW:
            return self._build_date(text, path)
        lang = self.data.get("lang")
        found = dates.numeric(text, lang if isinstance(lang, str) else "en")
        if found is not None:
            iso, warning = found
            if warning:
                self.report.warning(self.at(path), warning)
            return iso
        text = _iso_date(text)
        match = DATE_RE.match(text)
        try:
            if not match:
                raise ValueError
            year, month, day = match.groups()
            Date(int(year), int(month or 1), int(day or 1))
        except ValueError:
            self.report.error(
                self.at(path),
                f"'{path}: {text}' is not a real date: write YYYY, YYYY-MM or YYYY-MM-DD",
            )
            return None
        return text

    def _build_date(self, text: str, path: str = "date") -> str | None:
        # Quarto's words for the day of rendering: here the day SOURCE_DATE_EPOCH names,
        # never the clock's, so that two builds of one text stay the same bytes.
        epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
        if epoch.isdigit():
            return datetime.fromtimestamp(int(epoch), tz=UTC).strftime("%Y-%m-%d")
        self.report.warning(
            self.at(path),
            f"'{path}: {text}' would change with every build: the editions carry no date; "
            "write the date as YYYY-MM-DD (or set SOURCE_DATE_EPOCH)",
        )
        return None

    def error(self, path: str, message: str) -> None:
        """An error at the line of ``path``."""
        self.report.error(self.at(path), message)

    def warning(self, path: str, message: str) -> None:
        """A warning at the line of ``path``."""
        self.report.warning(self.at(path), message)

    def lang(self, value: Any) -> str:
        text = self.scalar("lang", value) or "en"
        if not LANG_RE.match(text):
            self.report.error(
                self.at("lang"),
                f"'lang: {text}' is not a BCP 47 language tag such as 'en', 'en-GB' or 'fa'",
            )
        return text

    def keywords(self, value: Any) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, str):
            return tuple(k.strip() for k in value.split(",") if k.strip())
        if isinstance(value, list) and all(isinstance(k, (str, int, float)) for k in value):
            return tuple(str(k) for k in value)
        self.report.error(
            self.at("keywords"),
            "'keywords' must be a list of words or a comma-separated line, such as "
            "'keywords: [maps, history]'",
        )
        return ()

    def identifier(self, value: Any, slug: str, publication: Any) -> str:
        text = self.scalar("identifier", value)
        if text is not None and looks_like_doi(text):
            return scholarly.identifier_doi(self, text)
        if text is None:
            seed = f"publish:{publication or ''}:{slug}"
            return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, seed)}"
        if not IDENTIFIER_RE.match(text):
            self.report.error(
                self.at("identifier"),
                f"'identifier: {text}' is not a DOI, URN or ISBN (e.g. '10.1234/abc', 'urn:...')",
            )
        return text

    def pattern(self, path: str, value: Any, regex: re.Pattern[str], what: str) -> str | None:
        """A value that ends up in a link: only the expected form, never a script address."""
        text = self.scalar(path, value)
        if text is not None and not regex.match(text):
            self.report.error(
                self.at(path), f"'{path}: {text}' is not {what}: correct it, or delete the line"
            )
            return None
        return text


EXAMPLES = {
    "date": "2024-05-01",
    "version-date": "2024-05-01",
    "lang": "en",
    "base_url": "https://example.org/",
}
"""What ``_Checker.scalar`` shows as the form of a key other than a number."""

RAW_TAG_RE = re.compile(r"</?[A-Za-z!][^<>]*>")


def _lookup(data: Any, path: str) -> Any:
    """The YAML value at a dotted path (``author.0.name``), or None."""
    for part in path.split("."):
        if isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        elif isinstance(data, dict) and part in data:
            data = data[part]
        else:
            return None
    return data


PARAGRAPH_RE = re.compile(r"^<p>((?:(?!</?p>).)*)</p>$", re.S)


def _unwrap(html: str) -> str:
    """The content of a lone ``<p>``, which would be invalid inside ``<h1>``."""
    match = PARAGRAPH_RE.match(html)
    return match.group(1).strip() if match else html


def _visible(text: str) -> bool:
    """Whether ``text`` shows anything: not only spaces and invisible format characters
    (zero-width spaces and joiners, direction marks)."""
    return any(not c.isspace() and unicodedata.category(c) != "Cf" for c in text)


def _kind(value: Any) -> str:
    return {list: "a list", dict: "a mapping", bool: "true/false"}.get(type(value), "that")


def _iso_date(text: str) -> str:
    """``text`` as YYYY[-MM[-DD]] when it is an unambiguous English or ISO date and time;
    else unchanged (the caller says what to write)."""
    if DATE_RE.match(text):
        return text
    stamp = DATETIME_RE.match(text)
    if stamp:
        return stamp.group(1)
    cleaned = " ".join(text.replace(",", ", ").split()).replace(" ,", ",")
    for pattern, iso in DATE_FORMATS:
        try:
            return datetime.strptime(cleaned, pattern).strftime(iso)
        except ValueError:
            continue
    return text
