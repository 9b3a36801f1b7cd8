"""Tables as every reader can take them (issue 11).

- An empty header cell (a corner cell over a column of row labels) has nothing for a
  screen reader to announce; Ace and axe fail it (``empty-table-header``). It becomes
  a data cell, which it is.
- A table of many columns is marked ``wide``; the print stylesheet sets it smaller.
  On screen (``scroll=True``, the HTML page) it scrolls sideways in a box of its own
  on a narrow screen: wrapped to a phone's width its cells broke every word and number
  into one letter a line. The box takes keyboard focus and is named after the table's
  caption, as a scrolling region must be to be reachable (axe
  ``scrollable-region-focusable``).
"""

from __future__ import annotations

import html as htmllib
import re

EMPTY_TH_RE = re.compile(r"<th\b([^>]*)>\s*</th>")
TABLE_RE = re.compile(r"<table\b([^>]*)>(.*?)</table>", re.S)
ROW_RE = re.compile(r"<tr\b[^>]*>(.*?)</tr>", re.S)
CELL_RE = re.compile(r"<t[hd]\b")
CAPTION_RE = re.compile(r"<caption\b[^>]*>(.*?)</caption>", re.S)
TAG_RE = re.compile(r"<[^>]+>")
WIDE_COLUMNS = 6


def readable_tables(html: str, scroll: bool = False) -> str:
    if "<table" not in html:
        return html
    return TABLE_RE.sub(lambda m: _table(m, scroll), html)


def _table(match: re.Match[str], scroll: bool = False) -> str:
    attributes, inner = match.group(1), match.group(2)
    inner = EMPTY_TH_RE.sub(lambda m: f"<td{m.group(1)}></td>", inner)
    first_row = ROW_RE.search(inner)
    columns = len(CELL_RE.findall(first_row.group(1))) if first_row else 0
    if columns > WIDE_COLUMNS:
        if 'class="' in attributes:
            attributes = attributes.replace('class="', 'class="wide ', 1)
        else:
            attributes += ' class="wide"'
        if scroll:
            caption = CAPTION_RE.search(inner)
            name = " ".join(TAG_RE.sub("", caption.group(1)).split()) if caption else ""
            label = htmllib.escape(htmllib.unescape(name) or "Table", quote=True)
            return (
                f'<div class="table-scroll" tabindex="0" role="region" aria-label="{label}">'
                f"<table{attributes}>{inner}</table></div>"
            )
    return f"<table{attributes}>{inner}</table>"
