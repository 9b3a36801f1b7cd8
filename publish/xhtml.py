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
    _foreign_unprefixed(wrap)
    text = ET.tostring(wrap, encoding="unicode", short_empty_elements=True)
    start = text.index(">") + 1
    return text[start : text.rindex("</div>")]


XMLNS = "{http://www.w3.org/2000/xmlns/}"


def _foreign_unprefixed(root: ET.Element, inherited: str = "") -> None:
    """MathML (and SVG) as ``<math xmlns="…">`` with unprefixed children: the HTML parser
    puts them in their namespace, which ElementTree would write as ``ns0:math``, a
    prefix no EPUB reading system knows (issue 11: pandoc's --mathml beside raw HTML)."""
    for element in root:
        namespace = ""
        if isinstance(element.tag, str) and element.tag.startswith("{"):
            namespace, _, local = element.tag[1:].partition("}")
            element.tag = local
            for name in [a for a in element.attrib if a.startswith(XMLNS)]:
                del element.attrib[name]
            if namespace != inherited:
                element.set("xmlns", namespace)
        _foreign_unprefixed(element, namespace)
