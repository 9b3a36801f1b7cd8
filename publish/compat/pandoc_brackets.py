"""Brackets that would keep pandoc's Markdown reader busy for minutes are refused first.

pandoc's Markdown reader (3.9, as in every version since 1.x) tries each ``[`` as the
start of a link, a span and a citation, and backtracks: its time about doubles with each
bracket that nests inside another or is never closed in the same paragraph. Seven nested
take seconds, twenty ``[x`` left open in one paragraph take more than a minute, and the
memory cap does not stop it (jgm/pandoc#1735, open since 2014). So the text is scanned
before pandoc runs, and a paragraph whose brackets go deeper than ``LIMIT`` is an error at
its line. Code (fenced blocks and backtick spans) is skipped: pandoc reads no link there.

The same doubling comes with each bracketed passage holding an emphasis mark that pairs
with nothing, such as ``[a.__b__]`` or ``[a _b c]`` (jgm/pandoc#11687, open): sixteen in
one paragraph take a minute. More than ``LONE_MARKS`` of them in a paragraph is an error
too; marks that pair as emphasis does (``[a _b_ c]``) and a ``_`` inside a word are fine.
"""

from __future__ import annotations

import bisect
import re

from . import require

require("pandoc_brackets")

LIMIT = 6
"""Brackets open at once in one paragraph (a link in a span in a note is 3; 7 take pandoc
seconds, and each more doubles that)."""
LONE_MARKS = 10
"""Bracketed passages with an emphasis mark that pairs with nothing, in one paragraph
(twelve take pandoc seconds)."""

MARK_RE = re.compile(r"(?<!\\)(_+|\*+)")

FENCE_RE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})")
TOKEN_RE = re.compile(r"`+|\\.|[\[\]]", re.S)
"""A run of backticks, an escaped character or a bracket: what the scan looks at."""


def too_deep(text: str, first_line: int = 1) -> tuple[int, int, int] | None:
    """``(line, depth, lone)`` of the first paragraph, from ``first_line`` on, whose
    brackets are open more than ``LIMIT`` deep at once, or which has more than
    ``LONE_MARKS`` bracketed passages with a lone emphasis mark; or None."""
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
            found = _scan("\n".join(paragraph))
            if found[0] > LIMIT or found[1] > LONE_MARKS:
                return start, *found
            paragraph = []
            start = number + 1
            continue
        paragraph.append(line)
    found = _scan("\n".join(paragraph))
    return (start, *found) if found[0] > LIMIT or found[1] > LONE_MARKS else None


def _scan(paragraph: str) -> tuple[int, int]:
    """How many brackets are open at once at most, outside backtick spans, and how many
    bracketed passages hold a lone emphasis mark; linear in the paragraph's length (a
    lone backtick does not make it look ahead each time)."""
    tokens = [(m.start(), m.group()) for m in TOKEN_RE.finditer(paragraph)]
    runs: dict[int, list[int]] = {}  # backtick runs by length: their token indexes
    for index, (_, token) in enumerate(tokens):
        if token[0] == "`":
            runs.setdefault(len(token), []).append(index)
    opened: list[int] = []
    deepest = lone = 0
    index = 0
    while index < len(tokens):
        at, token = tokens[index]
        if token[0] == "`":
            same = runs[len(token)]
            after = bisect.bisect_right(same, index)
            if after < len(same):
                index = same[after]  # the span's closing run; its content is code
        elif token == "[":
            opened.append(at)
            deepest = max(deepest, len(opened))
        elif token == "]" and opened:
            begin = opened.pop()
            if not opened and _lone_mark(paragraph[begin + 1 : at]):
                lone += 1
        index += 1
    return deepest, lone


def _lone_mark(passage: str) -> bool:
    """Whether an emphasis mark in ``passage`` pairs with nothing: one that can neither
    open (after a space) nor close (before a space or punctuation), or more of one kind
    opened than closed. A ``_`` inside a word is no mark."""
    if "_" not in passage and "*" not in passage:
        return False
    balance = {"_": 0, "*": 0}
    for match in MARK_RE.finditer(passage):
        run = match.group()
        begin, end = match.span()
        before = passage[begin - 1] if begin else " "
        after = passage[end] if end < len(passage) else " "
        if run[0] == "_" and before.isalnum() and after.isalnum():
            continue
        opens = before.isspace() or before in "[("
        closes = after.isspace() or after in "])" or after in ".,;:!?"
        if opens == closes:
            return True  # both or neither: pandoc must try every way
        balance[run[0]] += len(run) if opens else -len(run)
    return any(balance.values())
