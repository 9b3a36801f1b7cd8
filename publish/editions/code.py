"""Code blocks as the stylesheets expect them: one block-level span a line.

pandoc writes a highlighted block (```` ```python ````) one ``<span id="cbN-M">`` a line,
which is what lets a long line wrap with a hanging indent and a continuation mark in the
gutter (see the "issue 11: code" block of each stylesheet). A block with no language
comes out as bare text; this gives it the same shape, so both wrap alike.
"""

from __future__ import annotations

import base64
import re
from functools import lru_cache

from fontTools.pens.svgPathPen import SVGPathPen
from fontTools.ttLib import TTFont

from ..fonts import FONTS_DIR

PLAIN_BLOCK_RE = re.compile(r"<pre><code>(.*?)</code></pre>", re.S)
# pandoc 3.9 gives each numbered line an empty link to itself; with no text, a screen
# reader announces it as a bare link and axe fails it (link-name): keep it out of both
# the accessibility tree and the tab order, as earlier pandoc versions did.
LINE_ANCHOR_RE = re.compile(r'<a href="#(cb\d+-\d+)"></a>')


def line_spans(html: str) -> str:
    """``html`` with each plain ``<pre><code>`` block's lines in spans of their own, and
    the line anchors of numbered blocks hidden from screen readers."""
    html = LINE_ANCHOR_RE.sub(r'<a href="#\1" aria-hidden="true" tabindex="-1"></a>', html)
    return PLAIN_BLOCK_RE.sub(_wrap, html)


def _wrap(match: re.Match[str]) -> str:
    text = match.group(1)
    if "<span" in text:  # already split (highlighted), leave as it is
        return match.group(0)
    lines = "\n".join(f"<span>{line}</span>" for line in text.split("\n"))
    return f"<pre><code>{lines}</code></pre>"


# --- line numbers in the PDF -----------------------------------------------------------
# In a browser, generated content (the CSS counter) is not copied with the code; in a
# PDF it is text like any other, and would be. So in the print edition each line number
# is drawn, as outlines of the code face's digits in a background image.

NUMBERED_LINE_RE = re.compile(r'<a href="#(cb\d+-(\d+))" aria-hidden="true" tabindex="-1"></a>')
ROW_UNITS = 1500
"""A code row (12 pt) in font units of the 8 pt code face (1000 units an em)."""
BOX_UNITS = 2000
"""The number's box: 2 em wide, digits set flush right."""


def drawn_line_numbers(html: str) -> str:
    """``html`` with each numbered code line's number as a drawing (print only)."""
    return NUMBERED_LINE_RE.sub(
        lambda m: (
            f'<a href="#{m.group(1)}" aria-hidden="true" tabindex="-1" class="line-number" '
            f"style=\"background-image:url('{_number_uri(m.group(2))}')\"></a>"
        ),
        html,
    )


@lru_cache(maxsize=4096)
def _number_uri(number: str) -> str:
    font = _mono()
    glyphs = font.getGlyphSet()
    cmap = font.getBestCmap()
    advance = font["hmtx"][cmap[ord("0")]][0]
    baseline = (ROW_UNITS - (font["hhea"].ascent - font["hhea"].descent)) / 2 + font["hhea"].ascent
    paths = []
    for index, digit in enumerate(number):
        pen = SVGPathPen(glyphs)
        glyphs[cmap[ord(digit)]].draw(pen)
        x = BOX_UNITS - advance * (len(number) - index)
        paths.append(f'<path transform="translate({x} 0)" d="{pen.getCommands()}"/>')
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 {-baseline:.0f} {BOX_UNITS} '
        f'{ROW_UNITS}"><g transform="scale(1 -1)" fill="#6b665e">'
        f'<g transform="translate(0 0)">{"".join(paths)}</g></g></svg>'
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


@lru_cache(maxsize=1)
def _mono() -> TTFont:
    return TTFont(FONTS_DIR / "jetbrains-mono" / "JetBrainsMono-Regular.ttf")
