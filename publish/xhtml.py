"""HTML fragments as well-formed XHTML, which EPUB content documents must be."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import tinyhtml5
from lxml import etree

XHTML = "http://www.w3.org/1999/xhtml"
WRAP_ID = "publish-xhtml-wrap"


def to_xhtml(fragment: str) -> str:
    """``fragment`` unchanged when it is already XML (pandoc's own output is), else parsed
    as HTML5 would be and written out again as XML (raw HTML such as ``<br>``)."""
    try:
        etree.fromstring(f'<div xmlns="{XHTML}">{fragment}</div>'.encode())
        return fragment
    except etree.XMLSyntaxError:
        pass
    document = tinyhtml5.parse(
        f'<!DOCTYPE html><body><div id="{WRAP_ID}">{fragment}</div>', namespace_html_elements=False
    )
    wrap = next(e for e in document.iter("div") if e.get("id") == WRAP_ID)
    text = ET.tostring(wrap, encoding="unicode", short_empty_elements=True)
    start = text.index(">") + 1
    return text[start : text.rindex("</div>")]
