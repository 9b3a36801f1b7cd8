"""The EPUB package document declares its language on ``<package>``.

Ace by DAISY requires ``xml:lang`` on the package element (its rule ``epub-lang``);
EbookLib 0.20 builds that root itself in ``EpubWriter._write_opf_file`` and has no
option for it. We set the attribute on the root before EbookLib serialises it.
"""

from __future__ import annotations

from typing import Any

from ebooklib import epub

from . import require

require("ebooklib_lang")


class LangWriter(epub.EpubWriter):
    """EbookLib's writer, plus ``xml:lang`` on ``<package>``."""

    def _write_opf_file(self, root: Any) -> None:
        root.set("{http://www.w3.org/XML/1998/namespace}lang", self.book.language)
        super()._write_opf_file(root)
