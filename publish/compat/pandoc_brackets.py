"""Brackets that would keep pandoc's Markdown reader busy for minutes are refused first.

pandoc's Markdown reader (3.9, as in every version since 1.x) tries each ``[`` as the
start of a link, a span and a citation, and backtracks: its time about doubles with each
bracket that nests inside another or is never closed in the same paragraph. Seven nested
take seconds, twenty ``[x`` left open in one paragraph take more than a minute, and the
memory cap does not stop it (jgm/pandoc#1735, open since 2014). So the text is scanned
before pandoc runs, and a paragraph whose brackets go deeper than ``LIMIT`` is an error at
its line. Code (fenced blocks and backtick spans) is skipped: pandoc reads no link there.
"""

from __future__ import annotations

import bisect
import re

from . import require

require("pandoc_brackets")

LIMIT = 6
"""Brackets open at once in one paragraph (a link in a span in a note is 3; 7 take pandoc
seconds, and each more doubles that)."""

FENCE_RE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})")
TOKEN_RE = re.compile(r"`+|\\.|[\[\]]", re.S)
"""A run of backticks, an escaped character or a bracket: what the scan looks at."""


def too_deep(text: str, first_line: int = 1) -> tuple[int, int] | None:
    """``(line, depth)`` of the first paragraph, from ``first_line`` on, whose brackets
    are open more than ``LIMIT`` deep at once, or None."""
    lines = text.split("\n")
    fence = ""
    paragraph: list[str] = []
    start = first_line
    for number, line in enumerate(lines[first_line - 1 :], start=first_line):
        opened = FENCE_RE.match(line)
        if fence:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = ""
                start = number + 1
            continue
        if opened:
            fence = opened.group(1)
        if opened or not line.strip():
            found = _deepest("\n".join(paragraph))
            if found > LIMIT:
                return start, found
            paragraph = []
            start = number + 1
            continue
        paragraph.append(line)
    found = _deepest("\n".join(paragraph))
    return (start, found) if found > LIMIT else None


def _deepest(paragraph: str) -> int:
    """How many brackets are open at once at most, outside backtick spans; linear in
    the paragraph's length (a lone backtick does not make it look ahead each time)."""
    tokens = [(m.start(), m.group()) for m in TOKEN_RE.finditer(paragraph)]
    runs: dict[int, list[int]] = {}  # backtick runs by length: their token indexes
    for index, (_, token) in enumerate(tokens):
        if token[0] == "`":
            runs.setdefault(len(token), []).append(index)
    depth = deepest = 0
    index = 0
    while index < len(tokens):
        token = tokens[index][1]
        if token[0] == "`":
            same = runs[len(token)]
            after = bisect.bisect_right(same, index)
            if after < len(same):
                index = same[after]  # the span's closing run; its content is code
        elif token == "[":
            depth += 1
            deepest = max(deepest, depth)
        elif token == "]":
            depth = max(depth - 1, 0)
        index += 1
    return deepest
