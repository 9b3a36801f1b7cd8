"""Accents in formulas as characters that stand alone (issue 25).

pandoc's MathML writes ``\\hat{x}`` as ``<mover><mi>x</mi><mo accent="true">&#x302;</mo>
</mover>``: a combining mark alone in its element, with nothing to combine with. The Nu
checker reports "Text run starts with a composing character" and EPUB reading systems may
draw a dotted circle; MathML's own operator dictionary lists the spacing forms (U+02C6 for
the circumflex) as the accents to use, and every reader draws them above the base."""

from __future__ import annotations

import re

SPACING = {
    "\u0300": "\u0060",  # grave: \grave
    "\u0301": "\u00b4",  # acute: \acute
    "\u0302": "\u02c6",  # circumflex: \hat, \widehat
    "\u0303": "\u02dc",  # tilde: \tilde, \widetilde
    "\u0304": "\u00af",  # macron
    "\u0305": "\u00af",  # overline
    "\u0306": "\u02d8",  # breve: \breve
    "\u0307": "\u02d9",  # dot above: \dot
    "\u0308": "\u00a8",  # diaeresis: \ddot
    "\u030a": "\u02da",  # ring above: \mathring
    "\u030b": "\u02dd",  # double acute
    "\u030c": "\u02c7",  # caron: \check
    "\u0331": "\u02cd",  # macron below
    "\u0332": "\u005f",  # low line
    "\u0333": "\u2017",  # double low line
    "\u20d0": "\u21bc",  # left harpoon above
    "\u20d1": "\u21c0",  # right harpoon above
    "\u20d6": "\u2190",  # left arrow above: \overleftarrow
    "\u20d7": "\u2192",  # right arrow above: \vec in some writers
    "\u20db": "\u22ef",  # three dots above: \dddot
    "\u20e1": "\u2194",  # left right arrow above: \overleftrightarrow
    "\u20ec": "\u21c1",  # right harpoon below
    "\u20ed": "\u21bd",  # left harpoon below
    "\u20ee": "\u2190",  # left arrow below: \underleftarrow
    "\u20ef": "\u2192",  # right arrow below: \underrightarrow
}
"""Each combining mark pandoc writes alone in ``<mo>``, and its spacing form."""

# An <mo> holding exactly one combining mark (and maybe spaces): pandoc's own output, one
# element with no child, so a pattern over its tag is enough; any other text is untouched.
LONE_MARK_RE = re.compile(
    r"(<mo\b[^<>]*>)\s*([" + "".join(SPACING) + r"])\s*(</mo>)",
)


def spacing_accents(fragment: str) -> str:
    """``fragment`` with each combining mark that stands alone in an ``<mo>`` replaced by
    its spacing form; the same string when there is none."""
    if "<mo" not in fragment:
        return fragment
    return LONE_MARK_RE.sub(lambda m: m.group(1) + SPACING[m.group(2)] + m.group(3), fragment)
