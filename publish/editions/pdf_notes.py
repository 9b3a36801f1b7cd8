"""A note's blocks made ready for WeasyPrint's footnote area.

A note is set inside the paragraph of its call, so its blocks are spans
(``<span class="fn-ul">``, see ``read.rewrite.inline``). WeasyPrint 70 gives the line
breaks between such spans a blank line of their own in a footnote: a list or a
quotation in a note came out with a blank line around every item. The whitespace
between two block spans says nothing (HTML collapses it between blocks), so it goes;
the text of code, which holds no such span, is left as it is.
"""

from __future__ import annotations

import re

# Whitespace before a block of the note, and between the ends of two blocks.
BEFORE_BLOCK_RE = re.compile(r"\s+(?=<span class=\"fn-)")
BETWEEN_ENDS_RE = re.compile(r"(?<=</span>)\s+(?=</span>|$)")


def tight(fragment: str) -> str:
    if 'class="fn-' not in fragment:
        return fragment
    return BETWEEN_ENDS_RE.sub("", BEFORE_BLOCK_RE.sub("", fragment))
