"""``publish.yaml``: the publication's settings, beside ``source/`` and ``templates/``.

It holds what every manuscript and issue of the publication shares (the defaults,
merged under each one's own front matter, which wins), what a Crossref deposit needs,
and which formats a plain ``publish build`` writes::

    publication: Journal of Print Culture
    issn: 2049-3630
    publisher: Example Press
    license: {type: CC BY 4.0, link: https://creativecommons.org/licenses/by/4.0/}
    base-url: https://journal.example.org/
    lang: en
    doi-prefix: "10.5555"
    crossref:
      depositor: {name: Example Press, email: deposits@example.org}
      registrant: Example Press
    crossmark-policy: 10.5555/crossmark-policy
    formats: [pdf, epub, html, jats, crossref]

It is read with the manuscripts' own bounded YAML reader, so its errors are located
(``publish.yaml:3: error: ...``) and its size and depth are limited the same way.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .diagnostics import Collector, Diagnostic
from .editions.registry import ALL_FORMATS
from .editions.registry import FORMATS as READER
from .read.frontmatter import FrontMatter, split

NAME = "publish.yaml"
DEFAULT_KEYS = ("publication", "issn", "publisher", "license", "copyright", "base-url", "lang")
"""Keys merged under every manuscript's and issue's own metadata."""
DEPOSIT_KEYS = ("doi-prefix", "crossref", "crossmark-policy")
KNOWN = (*DEFAULT_KEYS, *DEPOSIT_KEYS, "formats")
FORMATS = ALL_FORMATS
READER_FORMATS = READER
ALIASES = {"rights": "license", "container-title": "publication", "base_url": "base-url"}
"""The manuscript's other names for a default key: a manuscript giving one overrides it."""
DOI_PREFIX_RE = re.compile(r"^10\.\d{4,9}$")
EMAIL_RE = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"'.]+(?:\.[^@\s<>\"'.]+)+$")


@dataclass(frozen=True)
class Depositor:
    name: str
    email: str


@dataclass(frozen=True)
class Settings:
    """What ``publish.yaml`` says; empty when there is none."""

    path: Path | None = None
    defaults: dict[str, Any] = field(default_factory=dict)
    """The defaults as written (``publication``, ``issn``, ...), merged by ``under``."""
    lines: dict[str, int] = field(default_factory=dict)
    """Line of each key in publish.yaml, by dotted path."""
    doi_prefix: str | None = None
    depositor: Depositor | None = None
    registrant: str | None = None
    crossmark_policy: str | None = None
    formats: tuple[str, ...] = READER_FORMATS
    """What a plain ``publish build`` writes."""

    def __hash__(self) -> int:
        # Carried in Options, which is frozen and so hashable: by what it says.
        return hash(repr(self))


def find(start: Path) -> Path | None:
    """The ``publish.yaml`` for a manuscript or folder: in its folder or the folder
    above (a manuscript lives in ``source/``, the settings beside it)."""
    folder = start if start.is_dir() else start.parent
    for place in (folder, folder.parent):
        if (place / NAME).is_file():
            return place / NAME
    return None


def load(path: Path | None, report: Collector | None = None) -> Settings:
    """``path`` read and checked; errors and warnings go to ``report`` (a Collector for
    ``path``), or raise ``ManuscriptError`` when none is given."""
    if path is None:
        return Settings()
    own = report or Collector(path)
    settings = parse(path.read_text(encoding="utf-8", errors="replace"), path, own)
    if report is None:
        own.raise_if_errors()
    return settings


def parse(text: str, path: Path, report: Collector) -> Settings:
    shifted = _Shifted(report)
    # The manuscripts' reader reads a front matter between '---' lines: publish.yaml is
    # one without them, so its lines are one less than the reader counts.
    fm = split("---\n" + text + "\n---\n", shifted)
    if fm is None:
        return Settings(path=path)
    lines = {key: line - 1 for key, line in fm.lines.items()}
    return _checked(fm.data, lines, path, report)


def _checked(
    data: dict[str, Any], lines: dict[str, int], path: Path, report: Collector
) -> Settings:
    def at(key: str) -> int:
        return lines.get(key, 1)

    for key in data:
        if key not in KNOWN:
            hint = difflib.get_close_matches(key, KNOWN, n=1)
            advice = f"did you mean '{hint[0]}'?" if hint else f"the keys are: {', '.join(KNOWN)}"
            report.warning(at(key), f"unknown key '{key}' in {NAME}: {advice}")
    defaults = {k: data[k] for k in DEFAULT_KEYS if k in data and data[k] is not None}
    prefix = _text(data, "doi-prefix", at, report)
    if prefix and not DOI_PREFIX_RE.match(prefix):
        report.error(
            at("doi-prefix"), f"'doi-prefix: {prefix}' is not a DOI prefix such as '10.5555'"
        )
        prefix = None
    depositor, registrant = _crossref(data.get("crossref"), lines, report)
    return Settings(
        path=path,
        defaults=defaults,
        lines={k: v for k, v in lines.items() if k},
        doi_prefix=prefix,
        depositor=depositor,
        registrant=registrant,
        crossmark_policy=_text(data, "crossmark-policy", at, report),
        formats=_formats(data.get("formats"), at, report),
    )


def _text(data: dict[str, Any], key: str, at: Any, report: Collector) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        report.error(at(key), f"'{key}' must be a single value, not a list or mapping")
        return None
    return str(value).strip() or None


def _crossref(
    value: Any, lines: dict[str, int], report: Collector
) -> tuple[Depositor | None, str | None]:
    if value is None:
        return None, None
    if not isinstance(value, dict):
        report.error(
            lines.get("crossref", 1),
            "'crossref' must be a mapping: depositor: {name, email}, registrant",
        )
        return None, None
    for key in value:
        if key not in ("depositor", "registrant"):
            hint = difflib.get_close_matches(str(key), ["depositor", "registrant"], n=1)
            advice = f"did you mean '{hint[0]}'?" if hint else "the keys are: depositor, registrant"
            report.warning(
                lines.get(f"crossref.{key}", 1), f"unknown key 'crossref.{key}': {advice}"
            )
    depositor = None
    raw = value.get("depositor")
    if raw is not None:
        name = raw.get("name") if isinstance(raw, dict) else None
        email = raw.get("email") if isinstance(raw, dict) else None
        where = lines.get("crossref.depositor", 1)
        if not (isinstance(name, str) and name.strip()):
            report.error(where, "'crossref.depositor' needs a 'name' (the depositing organisation)")
        elif not (isinstance(email, str) and EMAIL_RE.match(email)):
            report.error(
                lines.get("crossref.depositor.email", where),
                "'crossref.depositor' needs an 'email' address, where Crossref sends its reports",
            )
        else:
            depositor = Depositor(name.strip(), email.strip())
    registrant = value.get("registrant")
    if registrant is not None and not isinstance(registrant, str):
        report.error(lines.get("crossref.registrant", 1), "'crossref.registrant' must be a name")
        registrant = None
    return depositor, registrant


def _formats(value: Any, at: Any, report: Collector) -> tuple[str, ...]:
    if value is None:
        return READER_FORMATS
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
        report.error(at("formats"), f"'formats' must be a list such as [{', '.join(FORMATS)}]")
        return READER_FORMATS
    wanted = []
    for item in items:
        if item not in FORMATS:
            hint = difflib.get_close_matches(item, FORMATS, n=1)
            advice = (
                f"did you mean '{hint[0]}'?" if hint else f"the formats are: {', '.join(FORMATS)}"
            )
            report.error(at("formats"), f"unknown format '{item}' in 'formats': {advice}")
        elif item not in wanted:
            wanted.append(item)
    return tuple(wanted) or READER_FORMATS


def merged(defaults: dict[str, Any], own: dict[str, Any]) -> dict[str, Any]:
    """``own`` (a manuscript's or issue's metadata) over ``defaults``: every key it gives,
    under any of its names (``rights`` for ``license``), wins."""
    given = {ALIASES.get(k, k) for k in own}
    return {**{k: v for k, v in defaults.items() if k not in given}, **own}


def under(fm: FrontMatter, settings: Settings) -> FrontMatter:
    """The front matter with the publication's defaults merged under it. A default's
    problem is reported at the manuscript's first line (its own key is not there)."""
    if not settings.defaults:
        return fm
    return replace(fm, data=merged(settings.defaults, fm.data))


def formats_for_build(settings: Settings, asked: tuple[str, ...] | None) -> tuple[str, ...]:
    """What a build writes: the formats asked for on the command line, else the three
    reader editions plus what publish.yaml's ``formats`` adds."""
    if asked:
        return asked
    return tuple(dict.fromkeys((*READER_FORMATS, *settings.formats)))


class _Shifted(Collector):
    """Passes the reader's messages on to ``report`` with publish.yaml's own line
    numbers, and publish.yaml's name where the reader says "front matter"."""

    def __init__(self, report: Collector) -> None:
        super().__init__(report.path, report.strict)
        self.report = report

    def _add(self, diagnostic: Diagnostic) -> None:
        message = diagnostic.message.replace("the front matter", NAME).replace("front matter", NAME)
        line = max(diagnostic.line - 1, 1) if diagnostic.line else diagnostic.line
        self.report._add(replace(diagnostic, line=line, message=message))
        self.items.append(diagnostic)
