"""One policy for all active content. The text, every note and every Markdown field of the
metadata pass through it after pandoc, whether written as raw HTML or with pandoc's
attribute syntax: an allow-list of elements, attributes and URL schemes, nothing that can
run code in a reader's browser or e-reader or fetch a file. nh3 (ammonia) does the
cleaning; the warnings say what it actually removed, found by comparing its output with
its input."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import lxml.html
import nh3
from lxml import etree

from .accents import spacing_accents

TAGS = nh3.ALLOWED_TAGS | {
    "section",
    "figure",
    "figcaption",
    "span",
    "div",
    "sup",
    "sub",
    "mark",
    "small",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    "caption",
    "colgroup",
    "col",
    "pre",
    "code",
    "kbd",
    "samp",
    "var",
    "dl",
    "dt",
    "dd",
    "hr",
    "br",
    "img",
    "header",
    "footer",
    "aside",
    "nav",
    "details",
    "summary",
    "u",
    "s",
    "del",
    "ins",
    "q",
}
"""Elements kept (nh3's defaults plus these); any other loses its tag and keeps its text."""
# pandoc's MathML (--mathml, issue 11): must survive the cleaning every fragment goes
# through, or the formulas would lose their structure.
MATHML_TAGS = {
    "math", "semantics", "annotation", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace",
    "msup", "msub", "msubsup", "mfrac", "msqrt", "mroot", "mover", "munder", "munderover",
    "mtable", "mtr", "mtd", "mstyle", "mpadded", "mphantom", "menclose", "merror",
}  # fmt: skip
MATHML_ATTRIBUTES = {
    "display", "xmlns", "encoding", "mathvariant", "stretchy", "form", "fence", "separator",
    "accent", "accentunder", "lspace", "rspace", "width", "height", "depth", "linethickness",
    "columnalign", "rowalign", "columnspacing", "rowspacing", "displaystyle", "scriptlevel",
    "largeop", "movablelimits", "symmetric", "maxsize", "minsize", "notation", "alttext",
}  # fmt: skip
TAGS = TAGS | MATHML_TAGS
DROPPED_WITH_CONTENT = {"script", "style", "template", "textarea", "noscript", "title"}
"""Elements removed together with what they hold (their content is code, not text)."""
GENERIC = {"id", "class", "title", "lang", "dir", "role", "aria-hidden", "aria-label"}
GENERIC |= {"aria-labelledby", "aria-describedby"}
ATTRIBUTES = {
    "*": GENERIC,
    # pandoc's per-line anchors in code blocks are empty links; aria-hidden and
    # tabindex="-1" are what keep them out of screen readers and the tab order.
    "a": GENERIC | {"href", "aria-hidden", "tabindex"},
    # pandoc writes ![x](a.png){width=2cm} and {width=50%} as a style: the author's size.
    "img": GENERIC | {"src", "alt", "width", "height", "style"},
    "td": GENERIC | {"colspan", "rowspan", "style"},
    "th": GENERIC | {"colspan", "rowspan", "scope", "style"},
    "col": GENERIC | {"span", "style"},
    # pandoc writes style="width:100%;" on a table whose many columns it sizes itself.
    "table": GENERIC | {"style"},
    "ol": GENERIC | {"start", "type", "reversed"},
    "li": GENERIC | {"value"},
    "code": GENERIC | {"data-line-number"},
    **{tag: GENERIC | MATHML_ATTRIBUTES for tag in MATHML_TAGS},
    # pandoc aligns a matrix's cells with text-align (\begin{pmatrix})
    "mtd": GENERIC | MATHML_ATTRIBUTES | {"style"},
}
"""Attributes kept, by element (``*``: on every element), besides ``data-*``."""
URL_SCHEMES = {"http", "https", "mailto"}
"""Schemes an address may have; a relative address and ``#id`` are kept too."""
STYLE_PROPERTIES = {
    "text-align": re.compile(r"(?:left|right|center|justify|start|end)"),
    "width": re.compile(r"\d{1,4}(?:\.\d{1,4})?(?:%|px|em|rem|ch|cm|mm|in|pt|pc)?"),
    "height": re.compile(r"\d{1,4}(?:\.\d{1,4})?(?:%|px|em|rem|ch|cm|mm|in|pt|pc)?"),
}
"""The only CSS a ``style`` attribute keeps (on table cells and columns, images, and
MathML's ``mtd``, where pandoc writes them): a fixed set of values, so never a ``url()``."""


@dataclass(frozen=True)
class Removal:
    """One thing the policy took out, said so that an editor finds it in the text."""

    message: str
    needle: str
    """What to look for in the manuscript to give the line."""
    error: bool = False
    also: str = ""
    """A second thing to look for, when the first is not in the text as written
    (``&#106;avascript:`` for ``javascript:``)."""
    image: str | None = None
    """The address of an image the policy refused: an error, not a warning, since the
    picture would be missing from every edition."""


def sanitize(fragment: str, images: tuple[str, ...] = ()) -> tuple[str, list[Removal]]:
    """``fragment`` made safe, and what went; the fragment itself, unchanged in its
    bytes, when nothing had to go. ``images``: the addresses of Markdown images.
    Accents alone in a formula's ``<mo>`` become their spacing forms first (accents.py):
    every fragment passes here, so no edition holds a text run that starts combining."""
    fragment = spacing_accents(fragment)
    clean = nh3.clean(
        fragment,
        tags=TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ATTRIBUTES,
        generic_attribute_prefixes={"data-"},
        url_schemes=URL_SCHEMES,
        strip_comments=False,
        link_rel=None,
        attribute_filter=_attribute_filter,
    )
    removals = _compare(fragment, clean, set(images))
    return (clean, removals) if removals else (fragment, [])


def _attribute_filter(element: str, attribute: str, value: str) -> str | None:
    return _safe_style(value) if attribute == "style" else value


def _safe_style(value: str) -> str | None:
    kept = []
    for declaration in value.split(";"):
        name, colon, setting = declaration.partition(":")
        pattern = STYLE_PROPERTIES.get(name.strip().lower())
        if not colon or pattern is None or not pattern.fullmatch(setting.strip()):
            if declaration.strip():
                return None
            continue
        kept.append(declaration)
    return value if kept else None


Element = tuple[str, tuple[tuple[str, str], ...]]


def _compare(before: str, after: str, images: set[str]) -> list[Removal]:
    """What is in ``before`` and not in ``after``: elements, then attributes of elements
    that stayed, in the order they came."""
    old, new = _elements(before), _elements(after)
    gone_tags = Counter(tag for tag, _ in old) - Counter(tag for tag, _ in new)
    found: list[Removal] = []
    seen_tags: Counter[str] = Counter()
    for tag, attrs in old:
        if gone_tags[tag] > seen_tags[tag]:
            seen_tags[tag] += 1
            found.append(_element_removed(tag, dict(attrs), images))
    kept_attrs = Counter(
        (tag, name, value) for tag, attrs in new for name, value in attrs if tag not in gone_tags
    )
    for tag, attrs in old:
        if tag in gone_tags:
            continue
        for name, value in attrs:
            if kept_attrs[(tag, name, value)] > 0:
                kept_attrs[(tag, name, value)] -= 1
            else:
                found.append(_attribute_removed(tag, name, value))
    return found


def _elements(fragment: str) -> list[Element]:
    if not fragment.strip():
        return []
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return []
    return [
        (str(e.tag).lower(), tuple((str(k).lower(), v) for k, v in e.attrib.items()))
        for e in root.iter()
        if isinstance(e.tag, str) and e is not root
    ]


ACTIVE = "manuscripts may not run code or load files"


NETWORK = (
    "a build never touches the network: save the file beside the manuscript and refer "
    "to it by its name"
)


def _element_removed(tag: str, attrs: dict[str, str], images: set[str]) -> Removal:
    if tag == "embed" and attrs.get("src") in images:
        # pandoc writes an image whose name is not a picture's as <embed>.
        return Removal("", attrs["src"][:40], image=attrs["src"])
    href = attrs.get("href", "")
    remote = href.lower().startswith(("http:", "https:", "//"))
    if tag == "link" and "stylesheet" in attrs.get("rel", "").lower() and remote:
        return Removal(f"stylesheet '{href}': {NETWORK}", href, error=True)
    return Removal(f"<{tag}> element removed: {ACTIVE}", f"<{tag}")


def _attribute_removed(tag: str, name: str, value: str) -> Removal:
    if name.startswith("on"):
        return Removal(f"'{name}' event handler removed: {ACTIVE}", name)
    if name == "rel" and "attachment" in value.lower():
        return Removal(
            "rel=attachment removed from a link: editions embed no files; put the "
            "file on a web site and link to it there",
            "attachment",
        )
    if name == "style":
        return Removal(
            f"style '{_short(value)}' removed: only text-align, width and height are kept, "
            "so that no style loads a file; use a class instead",
            "style",
        )
    if tag == "img" and name == "src":
        return Removal("", value.strip()[:40] or name, image=value)
    if name in ("href", "src", "action", "formaction", "data", "poster", "xlink:href"):
        scheme = value.split(":", 1)[0].strip().lower() if ":" in value else ""
        what = f"'{scheme}:' address" if scheme else f"address '{_short(value)}'"
        rest = value.split(":", 1)[-1].strip()[:40]
        return Removal(
            f"{what} removed from <{tag}>: {ACTIVE}", value.strip()[:40] or name, also=rest
        )
    return Removal(
        f"attribute '{name}' removed from <{tag}>: it is not one the editions keep", name
    )


def _short(text: str, limit: int = 50) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."
