"""Tables as every reader can take them (issue 11).

- An empty header cell (a corner cell over a column of row labels) has nothing for a
  screen reader to announce; Ace and axe fail it (``empty-table-header``). It becomes
  a data cell, which it is.
- A table of many columns is marked ``wide``; the print stylesheet sets it smaller.
"""

from __future__ import annotations

import re

EMPTY_TH_RE = re.compile(r"<th\b([^>]*)>\s*</th>")
TABLE_RE = re.compile(r"<table\b([^>]*)>(.*?)</table>", re.S)
ROW_RE = re.compile(r"<tr\b[^>]*>(.*?)</tr>", re.S)
CELL_RE = re.compile(r"<t[hd]\b")
WIDE_COLUMNS = 6


def readable_tables(html: str) -> str:
    if "<table" not in html:
        return html
    return TABLE_RE.sub(_table, html)


def _table(match: re.Match[str]) -> str:
    attributes, inner = match.group(1), match.group(2)
    inner = EMPTY_TH_RE.sub(lambda m: f"<td{m.group(1)}></td>", inner)
    first_row = ROW_RE.search(inner)
    columns = len(CELL_RE.findall(first_row.group(1))) if first_row else 0
    if columns > WIDE_COLUMNS:
        if 'class="' in attributes:
            attributes = attributes.replace('class="', 'class="wide ', 1)
        else:
            attributes += ' class="wide"'
    return f"<table{attributes}>{inner}</table>"
