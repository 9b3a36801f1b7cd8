"""The converted text as a tree: parsed once, looked at and rewritten there, and written
back in pandoc's own style (polyglot XHTML), so that an untouched text keeps its bytes."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import tinyhtml5
from lxml import etree

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
VOID |= {"track", "wbr"}
WRAP_ID = "publish-markup-wrap"
XMLNS = "{http://www.w3.org/2000/xmlns/}"


class Unreadable(ValueError):
    """Markup that cannot be parsed into a tree (nested beyond the parser's limit)."""


def _parser() -> etree.XMLParser:
    # No entities, no DTD, no network, and libxml2's own limits on depth and size.
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)


def parse(fragment: str) -> etree._Element:
    """A ``<div>`` holding ``fragment``: read as XML when it is (pandoc's output is), else
    as a browser reads HTML (raw HTML such as ``<br>``)."""
    try:
        return etree.fromstring(f"<div>{fragment}</div>", _parser())
    except etree.XMLSyntaxError:
        pass
    try:
        document = tinyhtml5.parse(
            f'<!DOCTYPE html><body><div id="{WRAP_ID}">{fragment}</div>',
            namespace_html_elements=False,
        )
        wrap = next(e for e in document.iter("div") if e.get("id") == WRAP_ID)
        del wrap.attrib["id"]
        for element in wrap.iter():
            # The HTML parser keeps MathML's xmlns="..." as an attribute besides the
            # element's namespace, which XML forbids: the namespace alone says it.
            for name in [n for n in element.attrib if n.startswith(XMLNS)]:
                del element.attrib[name]
        return etree.fromstring(ET.tostring(wrap, encoding="unicode"), _parser())
    except (etree.XMLSyntaxError, RecursionError, ValueError) as exc:
        raise Unreadable(str(exc)) from None


def serialize(root: etree._Element) -> str:
    """What ``root`` holds, written as pandoc writes HTML: ``<br />``, every attribute in
    double quotes, the five XML characters escaped."""
    out: list[str] = []
    _text(root.text, out)
    for child in root:
        _write(child, out)
    return "".join(out)


def _write(element: etree._Element, out: list[str]) -> None:
    if element.tag is etree.Comment:
        out.append(f"<!--{element.text or ''}-->")
    elif isinstance(element.tag, str):
        # MathML (pandoc's --mathml) is read in its namespace: written back as pandoc
        # writes it, the local name with xmlns="..." where the namespace begins.
        qname = etree.QName(element)
        tag = qname.localname
        attrs = "".join(
            f' {etree.QName(k).localname}="{_escape(v)}"' for k, v in element.attrib.items()
        )
        parent = element.getparent()
        outer = etree.QName(parent).namespace if parent is not None else None
        if qname.namespace and qname.namespace != outer:
            attrs += f' xmlns="{_escape(qname.namespace)}"'
        if tag in VOID and not len(element) and not element.text:
            out.append(f"<{tag}{attrs} />")
        else:
            out.append(f"<{tag}{attrs}>")
            _text(element.text, out)
            for child in element:
                _write(child, out)
            out.append(f"</{tag}>")
    _text(element.tail, out)


def _text(text: str | None, out: list[str]) -> None:
    if text:
        out.append(_escape(text))


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
    )


def unwrap(element: etree._Element) -> None:
    """Take ``element`` out of the tree, keeping its text and children in its place."""
    parent = element.getparent()
    assert parent is not None
    at = parent.index(element)
    previous = element.getprevious()
    if element.text:
        if previous is not None:
            previous.tail = (previous.tail or "") + element.text
        else:
            parent.text = (parent.text or "") + element.text
    children = list(element)
    for offset, child in enumerate(children):
        parent.insert(at + offset, child)
    last = children[-1] if children else element.getprevious()
    tail = element.tail or ""
    parent.remove(element)
    if tail:
        if last is not None:
            last.tail = (last.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail


def text_of(element: etree._Element) -> str:
    """The words of ``element``, without markup or comments."""
    return etree.tostring(element, method="text", encoding="unicode", with_tail=False)


def depth(root: etree._Element) -> int:
    """How many elements deep the tree goes."""
    deepest = 0
    stack = [(root, 0)]
    while stack:
        element, level = stack.pop()
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in element)
    return deepest
