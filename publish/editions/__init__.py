"""Each edition is a function from the parsed document to the bytes of one file; the
table of them is ``registry.EDITIONS`` (an entry is also callable as its render).

Nothing heavy is imported here: ``options`` reads the table, and an up-to-date build
never needs WeasyPrint or EbookLib."""

from __future__ import annotations

from .registry import EDITIONS, FORMATS, Edition, Render

__all__ = ["EDITIONS", "FORMATS", "Edition", "Render"]
