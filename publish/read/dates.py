"""Dates written with numbers only, in the forms Quarto reads (``07/12/2024``,
``07-12-2024``, ``07/12/24``, ``12 07 2024``, ``07 12, 2024``): which number is the
month is told by the form, by a number above 12, or else by the text's language."""

from __future__ import annotations

import re
from datetime import date

SLASHED_RE = re.compile(r"^(\d{1,2})([/-])(\d{1,2})\2(\d{4}|\d{2})$")
SPACED_RE = re.compile(r"^(\d{1,2}) (\d{1,2})(,?) (\d{4})$")
MONTH_FIRST = ("en", "en-us", "en-ph", "en-ca")
"""Languages whose readers write the month first (``en`` alone as Quarto reads it)."""


def numeric(text: str, lang: str) -> tuple[str, str | None] | None:
    """``(YYYY-MM-DD, warning or None)`` for a numeric date; None for any other form,
    or for numbers that are no day of any month."""
    slashed = SLASHED_RE.match(text.strip())
    spaced = SPACED_RE.match(text.strip())
    if slashed:
        first, second, year = int(slashed.group(1)), int(slashed.group(3)), slashed.group(4)
        month_first = _month_first(first, second, lang)
    elif spaced:
        # Quarto's "dd MM yyyy" and "MM dd, yyyy": the comma says which.
        first, second, year = int(spaced.group(1)), int(spaced.group(2)), spaced.group(4)
        month_first = bool(spaced.group(3))
    else:
        return None
    month, day = (first, second) if month_first else (second, first)
    full = int(year) if len(year) == 4 else int(year) + (1900 if int(year) > 68 else 2000)
    try:
        iso = date(full, month, day).isoformat()
    except ValueError:
        return None
    warning = None
    if slashed and first != second and first <= 12 and second <= 12:
        order = "month first" if month_first else "day first"
        warning = (
            f"'date: {text.strip()}' could name two days: read as {iso} ({order}, as "
            f"'lang: {lang}' writes dates); write {iso} to say which"
        )
    return iso, warning


def _month_first(first: int, second: int, lang: str) -> bool:
    if first > 12:
        return False
    if second > 12:
        return True
    return lang.lower() in MONTH_FIRST
