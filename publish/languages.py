"""What publish knows about languages and their scripts, in one table: which languages
are written right to left, which in Arabic script, and where that script sits in Unicode.

The editions take the text's direction from here, the fonts which characters go to the
Arabic face, and ``publish check`` which language may hold Arabic-script text.
"""

from __future__ import annotations

import re

RIGHT_TO_LEFT = frozenset({"ar", "fa", "he", "ur", "ps", "yi", "dv", "ckb", "sd", "ug"})
"""Primary language subtags (BCP 47) of languages written right to left."""

ARABIC_SCRIPT_LANGUAGES = frozenset(
    {"ar", "fa", "ur", "ps", "ckb", "ku", "sd", "ug", "prs", "pnb", "bal", "ks"}
)
"""Primary subtags of languages written in Arabic script (Kurdish: in one of its two)."""

ARABIC_BLOCKS: tuple[tuple[int, int], ...] = (
    (0x0600, 0x06FF),  # Arabic
    (0x0750, 0x077F),  # Arabic Supplement
    (0x08A0, 0x08FF),  # Arabic Extended-A
    (0xFB50, 0xFDFF),  # Arabic Presentation Forms-A
    (0xFE70, 0xFEFF),  # Arabic Presentation Forms-B
)
"""The Unicode blocks of the Arabic script."""

ARABIC_TEXT = re.compile("[" + "".join(f"\\u{a:04x}-\\u{b:04x}" for a, b in ARABIC_BLOCKS) + "]+")
"""A run of Arabic-script letters."""


def _subtags(lang: str) -> list[str]:
    return lang.strip().lower().replace("_", "-").split("-")


def is_rtl(lang: str) -> bool:
    """Whether a BCP 47 tag names a language written right to left."""
    return _subtags(lang)[0] in RIGHT_TO_LEFT


def is_arabic_script(lang: str) -> bool:
    """Whether a BCP 47 tag names a language written in Arabic script (``fa``, ``ar``,
    or any tag with the script subtag ``Arab``)."""
    parts = _subtags(lang)
    return parts[0] in ARABIC_SCRIPT_LANGUAGES or "arab" in parts[1:]
