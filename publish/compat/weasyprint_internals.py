"""The two private attributes of WeasyPrint's objects that publish reads, in one place:
the box tree of a laid-out page (to measure where figures and notes fell, and which
article a page belongs to) and the temporary folder of a ``FontConfiguration`` (to remove
it when a worker process exits). WeasyPrint has no public way to either, checked against
https://github.com/Kozea/WeasyPrint/blob/v70.0/weasyprint/document.py (``Page._page_box``)
and .../v70.0/weasyprint/text/fonts.py (``FontConfiguration._folder``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def page_box(page: Any) -> Any:
    """The ``PageBox`` at the root of a laid-out page's box tree."""
    return page._page_box


def font_folder(fonts: Any) -> Path | str | None:
    """The folder WeasyPrint copies a ``FontConfiguration``'s faces into, if any."""
    return getattr(fonts, "_folder", None)
