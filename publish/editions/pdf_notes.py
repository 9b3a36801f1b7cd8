"""Notes in print, where WeasyPrint's footnotes need help: a note's blocks made ready
for the footnote area (``tight``), headings with a call bookmarked without its number
(``clean_bookmarks``), and the notes too long for any page found (``overflowing_notes``).

A note is set inside the paragraph of its call, so its blocks are spans
(``<span class="fn-ul">``, see ``read.rewrite.inline``). WeasyPrint 70 gives the line
breaks between such spans a blank line of their own in a footnote: a list or a
quotation in a note came out with a blank line around every item. The whitespace
between two block spans says nothing (HTML collapses it between blocks), so it goes;
the text of code, which holds no such span, is left as it is.
"""

from __future__ import annotations

import html
import re
from typing import Any

from lxml import html as lxml_html

from ..compat.weasyprint_internals import page_box
from ..document import IDS

# Whitespace before a block of the note, and between the ends of two blocks.
BEFORE_BLOCK_RE = re.compile(r"\s+(?=<span class=\"fn-)")
BETWEEN_ENDS_RE = re.compile(r"(?<=</span>)\s+(?=</span>|$)")


def tight(fragment: str) -> str:
    if 'class="fn-' not in fragment:
        return fragment
    return BETWEEN_ENDS_RE.sub("", BEFORE_BLOCK_RE.sub("", fragment))


HEADING_RE = re.compile(r"<h([1-6])\b([^>]*)>(.*?)</h\1>", re.S)


def clean_bookmarks(body: str) -> str:
    """A heading with a note call gets its bookmark label without the call's number:
    WeasyPrint's label is the heading's text, which made "Introduction1" in the PDF's
    outline. The label is an attribute the print stylesheet reads."""
    if 'class="noteref"' not in body:
        return body

    def one(match: re.Match[str]) -> str:
        level, attributes, inner = match.groups()
        if 'class="noteref"' not in inner or "data-bookmark" in attributes:
            return match.group(0)
        heading = lxml_html.fragment_fromstring(inner, create_parent="div")
        for call in heading.xpath('.//*[@class="noteref" or @class="footnote"]'):
            call.drop_tree()
        label = html.escape(" ".join(heading.text_content().split()), quote=True)
        return f'<h{level}{attributes} data-bookmark="{label}">{inner}</h{level}>'

    return HEADING_RE.sub(one, body)


def overflowing_notes(document: Any, prefix: str = "") -> frozenset[int]:
    """The numbers of the notes in a footnote area that starts above its page's text
    block: a note longer than a page, which WeasyPrint set anyway, its start cut off.
    ``prefix``: that of the ids of one article of an issue."""
    found: set[int] = set()
    start = prefix + IDS.note_prefix
    for page in document.pages:
        box = page_box(page)
        for area in box.children:
            if type(area).__name__ != "FootnoteAreaBox" or area.position_y >= box.content_box_y():
                continue
            for child in area.children:
                ident = child.element.get("id", "") if child.element is not None else ""
                if ident.startswith(start) and ident[len(start) :].isdigit():
                    found.add(int(ident[len(start) :]))
    return frozenset(found)
