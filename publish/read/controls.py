"""Control characters out of every value read from YAML, before anything is built from it.

XML (so every EPUB document, and the HTML edition's metadata) cannot hold U+0001-U+0008,
U+000B, U+000C, U+000E-U+001F, U+007F, U+FFFE or U+FFFF at all. The manuscript's text
loses them as it is decoded, but YAML writes them as escapes (``title: "a\\x01b"``) that
only become characters once parsed: the values pandoc renders were cleaned after it, the
plain ones (``keywords``, ``volume``, an affiliation's name, every value of
``issue.yaml``) reached the editions as they were, and the EPUB was not well-formed. So
the parsed values are cleaned here, at once, each removal a warning at its key's line."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import jinja2

from ..diagnostics import Collector
from .frontmatter import FrontMatter

CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
"""Characters no XML document may hold (tab, line feed and carriage return may)."""
WARNINGS = 10
"""Values reported one by one; the rest in one message."""


def front_matter(fm: FrontMatter, report: Collector) -> FrontMatter:
    """``fm`` with no control character in any key or value."""

    def at(path: str) -> int:
        while path and path not in fm.lines:
            path = path.rpartition(".")[0]
        return fm.lines.get(path, 1)

    data = values(fm.data, at, report)
    return fm if data is fm.data else replace(fm, data=data)


def values(data: Any, at: Callable[[str], int], report: Collector) -> Any:
    """``data`` (what YAML gave: mappings, lists, text, numbers) with no control character
    in any text, and a warning at ``at(key path)`` for each value that had some; the same
    object when none had any."""
    found: list[tuple[str, int]] = []
    clean = _clean(data, "", found)
    for count, (path, code) in enumerate(found):
        if count == WARNINGS:
            report.warning(
                at(path),
                f"{len(found) - WARNINGS:,} more values hold control characters, removed: "
                'no edition can show them; look for escapes such as "\\x01" in the YAML',
            )
            break
        report.warning(
            at(path),
            f"control character U+{code:04X} removed from '{text(path)}': no edition can show it; "
            'look for an escape such as "\\x01" in the value',
        )
    return data if not found else clean


def _clean(value: Any, path: str, found: list[tuple[str, int]]) -> Any:
    if isinstance(value, str):
        match = CONTROL_RE.search(value)
        if match is None:
            return value
        found.append((path or "(key)", ord(match.group())))
        return CONTROL_RE.sub("", value)
    if isinstance(value, dict):
        return {
            _clean(k, f"{path}.{k}".lstrip("."), found): _clean(v, f"{path}.{k}".lstrip("."), found)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_clean(v, f"{path}.{i}".lstrip("."), found) for i, v in enumerate(value)]
    return value


def text(value: str) -> str:
    """``value`` without control characters (for text that has no line of its own)."""
    return CONTROL_RE.sub("", value)


def template_source(source: str, name: str, filename: str | None) -> str:
    """A template's text, refused at the line of its first control character: what a
    template writes goes into every edition as it is, and no XML may hold one. An
    error, not a warning, since the template's author (not the manuscript's) can fix it;
    ``jinja2.TemplateSyntaxError`` carries the template's name and line to the message."""
    match = CONTROL_RE.search(source)
    if match is None:
        return source
    line = source.count("\n", 0, match.start()) + 1
    raise jinja2.TemplateSyntaxError(
        f"control character U+{ord(match.group()):04X}: no edition can show it; delete it",
        line,
        name,
        filename,
    )
