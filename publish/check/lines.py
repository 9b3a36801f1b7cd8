"""Findings at the manuscript's lines (issue 25): ``scholarly.md:56: warning: …``.

A validator names a place in an edition: a line of the HTML page (Nu), a line of an EPUB
document (EPUBCheck), an element's HTML (Ace, axe), or quotes text (our lint, the PDF
checks). Each is traced back by its words: the text of that place is looked for in the
manuscript, a run of three words first, then two, then one word found on one line only.
This needs no mark in the editions (their bytes stay as they are, and a PDF has no
elements to mark), and it survives what the editions add around the text: numbers,
labels, links; Markdown's own marks (``*``, ``[]()``, ``$``) are no words. A finding
whose words are not the manuscript's (the page's own furniture) keeps its edition place.

The manuscript is the ``<slug>.md`` beside the ``build/`` folder (or below it) whose
digest the build stamp recorded; else the only file of that name there."""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import lxml.html
from lxml import etree

from ..diagnostics import display_path
from .result import CheckResult, Finding

WORD_RE = re.compile(r"[^\W_]{2,}")
"""A word: two letters or digits at least (markup and one-letter variables are none)."""
QUOTED_RE = re.compile(r"“([^”]{4,})”")
"""Text a message quotes (lint and the PDF checks quote the words they mean)."""
LINE_RE = re.compile(r"^line (\d+)$")
ID_RE = re.compile(r"#([A-Za-z][\w.:-]{0,80})\b")
"""An element an edition message names by its id (``note #fn1``, ``link to #fnref1``)."""
LOCATION_RE = re.compile(r"^([^,:]+):(\d+)")
STAMP = ".publish-stamp.json"
SEARCH_DEPTH = 3
"""Folders below the one that holds ``build/`` searched for the manuscript."""


def locate(results: list[CheckResult]) -> None:
    """Give every finding that comes from the manuscript's text its ``source``
    (``path:line``), in place; a finding located before is left as it is."""
    for result in results:
        if not result.findings:
            continue
        manuscript = manuscript_for(result.edition.absolute())
        if manuscript is None:
            continue
        index = _index(manuscript)
        result.findings = [
            _located(found, result.edition, index, manuscript) for found in result.findings
        ]


def _located(found: Finding, edition: Path, index: Words, manuscript: Path) -> Finding:
    if found.source:
        return found
    line = index.line_of(_text_of(found, edition))
    return replace(found, source=f"{display_path(manuscript)}:{line}") if line else found


def _text_of(found: Finding, edition: Path) -> str:
    """The words of the place a finding names: its element, its line, or its quote."""
    if found.snippet:
        return html_text(found.snippet)
    quoted = QUOTED_RE.findall(found.message)
    if quoted:
        return " ".join(quoted)
    where = found.where.split(", ")[0].strip()
    named = ID_RE.search(found.message)
    if named and (edition.suffix == ".html" or where.endswith((".xhtml", ".html"))):
        member = "" if edition.suffix == ".html" else where
        text = text_of_id(_document(str(edition), member), named.group(1))
        if text:
            return text
    line = LINE_RE.match(where)
    if line and edition.suffix == ".html":
        return text_at(_document(str(edition), ""), int(line.group(1)))
    located = LOCATION_RE.match(where)
    if located and edition.suffix == ".epub":
        return text_at(_document(str(edition), located.group(1)), int(located.group(2)))
    return ""


@lru_cache(maxsize=32)
def _document(edition: str, member: str) -> str:
    """An edition's text, or one document of an EPUB; empty when unreadable."""
    try:
        if not member:
            return Path(edition).read_text(encoding="utf-8")
        with zipfile.ZipFile(edition) as archive:
            return archive.read(member).decode("utf-8")
    except (OSError, KeyError, UnicodeDecodeError, zipfile.BadZipFile):
        return ""


def text_at(document: str, line: int) -> str:
    """The words on ``line`` of an HTML or XHTML document (its tags left out)."""
    lines = document.split("\n")
    if not 0 < line <= len(lines):
        return ""
    return html_text(lines[line - 1])


def text_of_id(document: str, ident: str) -> str:
    """The words of the element with id ``ident``; else of the element holding a link to
    it (a link whose target is missing is where the reader meets the problem)."""
    if not document:
        return ""
    try:
        root = lxml.html.document_fromstring(document.encode("utf-8"))
    except (etree.ParserError, ValueError):
        return ""
    for element in root.iter():
        if element.get("id") == ident:
            return str(element.text_content())
    for link in root.iter("a"):
        if (link.get("href") or "").endswith(f"#{ident}") and link.getparent() is not None:
            return str(link.getparent().text_content())
    return ""


def html_text(fragment: str) -> str:
    """The text of an HTML fragment, which may open or close elements it does not hold."""
    if "<" not in fragment:
        return fragment
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return ""
    for style in root.xpath(".//style|.//script"):
        style.drop_tree()
    return str(root.text_content())


class Words:
    """Where each run of words of a manuscript first occurs, by line."""

    def __init__(self, text: str) -> None:
        self.runs: dict[tuple[str, ...], int] = {}
        self.lines_of: dict[str, set[int]] = {}
        words: list[tuple[str, int]] = []
        for number, line in enumerate(text.split("\n"), start=1):
            words += [(w.casefold(), number) for w in WORD_RE.findall(line)]
        for size in (3, 2):
            for at in range(len(words) - size + 1):
                run = tuple(w for w, _ in words[at : at + size])
                self.runs.setdefault(run, words[at][1])
        for word, number in words:
            self.lines_of.setdefault(word, set()).add(number)

    def line_of(self, text: str) -> int | None:
        """The manuscript line where ``text`` starts, found by its words; None if its
        words are not the manuscript's."""
        words = [w.casefold() for w in WORD_RE.findall(text)][:200]
        for size in (3, 2):
            for at in range(len(words) - size + 1):
                line = self.runs.get(tuple(words[at : at + size]))
                if line is not None:
                    return line
        for word in words:
            if len(self.lines_of.get(word, ())) == 1:
                return next(iter(self.lines_of[word]))
        return None


@lru_cache(maxsize=32)
def _index(manuscript: Path) -> Words:
    try:
        return Words(manuscript.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return Words("")


@lru_cache(maxsize=256)
def manuscript_for(edition: Path) -> Path | None:
    """The manuscript an edition was built from: ``<slug>.md`` near its ``build/``."""
    folder = edition.parent
    slug = folder.name
    if edition.stem != slug and not edition.name.startswith(slug + "."):
        return None  # not a manuscript's edition (an issue's contents page, a file alone)
    digest = _stamped_digest(folder / STAMP)
    project = folder.parent.parent
    try:
        candidates = [
            p
            for depth in range(SEARCH_DEPTH + 1)
            for p in sorted(project.glob("/".join(["*"] * depth + [f"{slug}.md"])))
            if p.is_file() and folder.parent not in p.parents
        ]
        for candidate in candidates:
            if digest and hashlib.sha256(candidate.read_bytes()).hexdigest() == digest:
                return candidate
    except OSError:  # a folder or file we may not read: no line, never a failure
        return None
    return candidates[0] if len(candidates) == 1 else None


def _stamped_digest(stamp: Path) -> str:
    try:
        return str(json.loads(stamp.read_text(encoding="utf-8")).get("source", ""))
    except (OSError, ValueError, AttributeError):
        return ""
