"""Places in an article's body HTML, named so that the print layout and the other
editions agree on them: the n-th block element, and the k-th visible character in it.

The issue's print HTML gives every block of each body a ``data-pb`` number; the
layout reports where each page begins as (block, characters before it in that block).
Only non-space characters count, so that the layout's line breaking, whitespace
collapsing and hyphenation do not move the place.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

BLOCK_TAGS = "p|div|blockquote|pre|ul|ol|li|dl|dt|dd|h[1-6]|figure|figcaption|table|tr|td|th"
OPEN_RE = re.compile(rf"<({BLOCK_TAGS})\b([^>]*)>")
TOKEN_RE = re.compile(
    r"<!--.*?-->|<(/?)([A-Za-z][A-Za-z0-9]*)\b[^>]*>|&[#A-Za-z0-9]+;|[^<&]+", re.S
)
BLOCK_NAME_RE = re.compile(rf"^(?:{BLOCK_TAGS})$")
# Inside these the marker goes after the opening tag: nothing but their items may
# stand between a list or table row and its parent.
INSIDE = {"li", "dt", "dd", "tr", "td", "th", "figcaption"}
UNCOUNTED = str.maketrans("", "", "\u00ad\u2010")
"""Soft hyphens vanish in layout; U+2010 is the hyphen the layout adds at a break."""

START = -1
"""A page that begins at the start of the body (the article's first page)."""
END = -2
"""A page that begins after the body (author notes only, or a blank verso)."""


@dataclass(frozen=True)
class Break:
    page: int
    """The printed folio."""
    block: int
    """The ``data-pb`` number, or START / END."""
    offset: int = 0
    """Visible characters of the block before the page begins."""


def visible(text: str) -> int:
    """How many characters of ``text`` a place counts."""
    return sum(1 for c in text.translate(UNCOUNTED) if not c.isspace())


def number(body: str) -> str:
    """``body`` with ``data-pb="n"`` on each block element, in document order."""
    counter = iter(range(1_000_000))
    body = _lines_split(body)
    return OPEN_RE.sub(lambda m: f'<{m.group(1)} data-pb="{next(counter)}"{m.group(2)}>', body)


def styled(body: str, styles: dict[int, str]) -> str:
    """``body`` with a ``style`` attribute on the blocks numbered in ``styles``."""
    if not styles:
        return body
    counter = iter(range(1_000_000))
    body = _lines_split(body)

    def add(match: re.Match[str]) -> str:
        style = styles.get(next(counter))
        return (
            match.group(0)
            if style is None
            else f'<{match.group(1)} style="{style}"{match.group(2)}>'
        )

    return OPEN_RE.sub(add, body)


def _lines_split(body: str) -> str:
    """Plain code blocks with their lines in spans, as the print edition sets them
    (editions/code.py, which finds them as a bare ``<pre><code>``: once a block has an
    attribute here it would not, and the issue and the article's own PDF would set the
    code differently). Spans are not blocks: the numbering stays the body's."""
    from ..editions.code import line_spans

    return line_spans(body)


def insert_breaks(body: str, breaks: list[Break], marker: Callable[[int], str]) -> str:
    """``body`` with ``marker(page)`` where each page begins."""
    opens = list(OPEN_RE.finditer(body))
    places = sorted(
        ((_position(body, opens, b), i, b.page) for i, b in enumerate(breaks)), reverse=True
    )
    for position, _, page in places:
        body = body[:position] + marker(page) + body[position:]
    return body


def _position(body: str, opens: list[re.Match[str]], brk: Break) -> int:
    if brk.block == START or not opens:
        return 0 if brk.block != END else len(body)
    if brk.block == END or brk.block >= len(opens):
        return len(body)
    tag = opens[brk.block]
    if brk.offset == 0:
        return tag.end() if tag.group(1) in INSIDE else tag.start()
    count, depth = 0, 0
    for token in TOKEN_RE.finditer(body, tag.end()):
        text = token.group(0)
        name = token.group(2)
        if name is not None:
            if BLOCK_NAME_RE.match(name.lower()):
                depth += -1 if token.group(1) else 1
                if depth < 0:
                    return token.start()
            continue
        if text.startswith("<!--") or depth > 0:
            continue
        if text.startswith("&"):
            if count >= brk.offset and visible(html.unescape(text)):
                return token.start()
            count += visible(html.unescape(text))
            continue
        for i, char in enumerate(text):
            if count >= brk.offset and visible(char):
                # At the start of the word: a word broken across pages belongs to the
                # page it starts on, and a marker inside a word would split it.
                while i > 0 and not text[i - 1].isspace():
                    i -= 1
                return token.start() + i
            count += visible(char)
    return len(body)
