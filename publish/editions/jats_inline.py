"""Inline HTML as JATS: emphasis, links and cross-references, note calls, math.

The edition writes JATS from the ``Document`` the other editions render, so the body is
pandoc's HTML (as well-formed XHTML); these functions map its phrase-level elements to
JATS's, and drop the wrappers JATS has no name for while keeping their text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree
from lxml.builder import ElementMaker

from ..xhtml import XHTML, to_xhtml

XLINK = "http://www.w3.org/1999/xlink"
MML = "http://www.w3.org/1998/Math/MathML"
NSMAP = {"xlink": XLINK, "mml": MML, "ali": "http://www.niso.org/schemas/ali/1.0/"}
E = ElementMaker()
"""Builds JATS elements (no namespace)."""

PHRASE = {
    "em": "italic",
    "i": "italic",
    "cite": "italic",
    "dfn": "italic",
    "var": "italic",
    "strong": "bold",
    "b": "bold",
    "sup": "sup",
    "sub": "sub",
    "code": "monospace",
    "kbd": "monospace",
    "samp": "monospace",
    "tt": "monospace",
    "s": "strike",
    "del": "strike",
    "strike": "strike",
    "u": "underline",
    "ins": "underline",
    "abbr": "abbrev",
}
REF_TYPES = (("ref-", "bibr"), ("fig-", "fig"), ("tbl-", "table"), ("eq-", "disp-formula"))
NCNAME_RE = re.compile(r"^[A-Za-z_][\w.-]*$")
DOI_LINK_RE = re.compile(r"^https?://(?:dx\.)?doi\.org/(10\.\d{4,9}/\S+)$", re.I)


@dataclass
class Context:
    """What the conversion of one document needs beyond the HTML: each local image's
    file name in the package, by its marker; and the note calls' marker."""

    images: dict[str, str] = field(default_factory=dict)


def html_tree(html: str) -> etree._Element:
    """``html`` (a fragment) as an XHTML ``<div>`` whose children are its nodes."""
    return etree.fromstring(f'<div xmlns="{XHTML}">{to_xhtml(html)}</div>'.encode())


def local(element: etree._Element) -> str:
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def classes(element: etree._Element) -> set[str]:
    return set((element.get("class") or "").split())


def ncname(ident: str) -> str:
    """An HTML id as an XML ID (pandoc's ids almost always are one already)."""
    if NCNAME_RE.match(ident):
        return ident
    return "id-" + re.sub(r"[^\w.-]", "-", ident)


def inline_from_html(tag: str, html: str, ctx: Context | None = None) -> etree._Element:
    out = E(tag)
    inline_into(out, html_tree(html), ctx or Context())
    return out


def add_text(out: etree._Element, text: str | None) -> None:
    if not text:
        return
    if len(out):
        out[-1].tail = (out[-1].tail or "") + text
    else:
        out.text = (out.text or "") + text


def inline_into(out: etree._Element, source: etree._Element, ctx: Context) -> None:
    """``source``'s text and children, as JATS inline content, appended to ``out``."""
    add_text(out, source.text)
    for child in source:
        if isinstance(child.tag, str):
            converted = inline(child, ctx)
            if converted is None:
                inline_into(out, child, ctx)  # unwrapped: its content stays
            else:
                out.append(converted)
        add_text(out, child.tail)


def inline(element: etree._Element, ctx: Context) -> etree._Element | None:
    """One inline element as JATS, or None to keep only its content."""
    name, cls = local(element), classes(element)
    if element.tag == f"{{{MML}}}math":
        return formula(element)
    if name == "span" and "equation" in cls:
        return display_formula(element)
    if name in PHRASE:
        out = E(PHRASE[name])
    elif name == "span" and "smallcaps" in cls:
        out = E("sc")
    elif name == "a":
        return link(element, ctx)
    elif name == "img":
        return image(element, ctx, "inline-graphic")
    elif name == "br":
        # JATS has no line break inside a paragraph: a space keeps the words apart.
        element.tail = " " + (element.tail or "")
        return None
    else:
        return None
    inline_into(out, element, ctx)
    return out


def link(element: etree._Element, ctx: Context) -> etree._Element | None:
    href = element.get("href") or ""
    if "jats-fnref" in classes(element):
        n = element.get("data-n", "")
        return E("xref", n, rid=f"fn{n}", **{"ref-type": "fn"})
    if href.startswith("#"):
        target = href[1:]
        kind = next((t for prefix, t in REF_TYPES if target.startswith(prefix)), "sec")
        out = E("xref", rid=ncname(target), **{"ref-type": kind})
    elif href.startswith("mailto:"):
        return E("email", href[len("mailto:") :])
    elif DOI_LINK_RE.match(href):
        out = E("ext-link", **{"ext-link-type": "doi", f"{{{XLINK}}}href": href})
    elif href:
        out = E("ext-link", **{"ext-link-type": "uri", f"{{{XLINK}}}href": href})
    else:
        return None
    inline_into(out, element, ctx)
    return out


def image(element: etree._Element, ctx: Context, tag: str) -> etree._Element:
    src = element.get("src") or ""
    out = E(tag, **{f"{{{XLINK}}}href": ctx.images.get(src, src)})
    if element.get("alt"):
        out.append(E("alt-text", element.get("alt")))
    return out


def formula(math: etree._Element) -> etree._Element:
    tag = "disp-formula" if math.get("display") == "block" else "inline-formula"
    return E(tag, alternatives(math))


def display_formula(span: etree._Element) -> etree._Element:
    """pandoc-crossref's numbered equation: ``<span class="equation" id>`` around the
    math and its number."""
    out = E("disp-formula")
    if span.get("id"):
        out.set("id", ncname(span.get("id", "")))
    number = next((c for c in span if "equation-number" in classes(c)), None)
    if number is not None:
        out.append(E("label", "".join(number.itertext()).strip()))
    math = next(span.iter(f"{{{MML}}}math"), None)
    if math is not None:
        out.append(alternatives(math))
    return out


def alternatives(math: etree._Element) -> etree._Element:
    """The MathML (its presentation form) and the TeX it was written in."""
    tex = next(
        (
            a.text or ""
            for a in math.iter(f"{{{MML}}}annotation")
            if a.get("encoding") == "application/x-tex"
        ),
        None,
    )
    copy = etree.Element(f"{{{MML}}}math", nsmap={"mml": MML})
    for key in ("display", "alttext"):
        if math.get(key):
            copy.set(key, math.get(key, ""))
    semantics = next((c for c in math if c.tag == f"{{{MML}}}semantics"), None)
    content = [semantics[0]] if semantics is not None and len(semantics) else list(math)
    for node in content:
        if node.tag != f"{{{MML}}}annotation":
            copy.append(_mml(node))
    out = E("alternatives", copy)
    if tex is not None:
        out.append(E("tex-math", tex.strip()))
    return out


def _mml(node: etree._Element) -> etree._Element:
    """A deep copy of MathML written with the ``mml:`` prefix JATS uses."""
    copy = etree.Element(node.tag, dict(node.attrib), nsmap={"mml": MML})
    copy.text = node.text
    for child in node:
        if isinstance(child.tag, str) and child.tag.startswith(f"{{{MML}}}"):
            copy.append(_mml(child))
            copy[-1].tail = child.tail
    return copy
