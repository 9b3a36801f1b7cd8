"""Raw HTML in a manuscript may format text; it may not run code in a reader's browser or
e-reader, nor pull in files. nh3 (ammonia) does the cleaning; we only say what went."""

from __future__ import annotations

import re

import nh3

from .diagnostics import Collector
from .resources import line_of

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
    "math",
    "u",
    "s",
    "del",
    "ins",
}
GENERIC = {"id", "class", "title", "lang", "dir", "role"}
ATTRIBUTES = {
    "*": GENERIC,
    "a": GENERIC | {"href"},
    "img": GENERIC | {"src", "alt", "width", "height"},
    "td": GENERIC | {"colspan", "rowspan", "style"},
    "th": GENERIC | {"colspan", "rowspan", "scope", "style"},
    "col": GENERIC | {"span", "style"},
    "ol": GENERIC | {"start", "type", "reversed"},
    "li": GENERIC | {"value"},
    "code": GENERIC | {"data-line-number"},
}
DANGER = [
    (
        re.compile(
            r"<(script|iframe|object|embed|frame|frameset|base|form|link|meta|style)\b", re.I
        ),
        "<{}> element",
    ),
    (re.compile(r"\s(on[a-z]+)\s*=", re.I), "'{}' event handler"),
    (re.compile(r"(javascript|vbscript):", re.I), "'{}:' address"),
    (re.compile(r"\s(style)\s*=\s*[\"'][^\"']*url\(", re.I), "{} with url()"),
]


REMOTE_RE = re.compile(
    r"""<(link|script|iframe|object|embed|audio|video|source)\b[^>]*?\s(?:href|src|data)"""
    r"""\s*=\s*["']?((?:https?:)?//[^"'\s>]+)""",
    re.I,
)
NETWORK = (
    "a build never touches the network: save the file beside the manuscript and refer "
    "to it by its name"
)


def sanitize(fragment: str, text: str, report: Collector) -> str:
    """``fragment`` without anything that could run or fetch; a warning for each removal,
    an error for a file asked from the network (the edition would silently lack it)."""
    remote = set()
    for match in REMOTE_RE.finditer(fragment):
        remote.add(match.start())
        what = "stylesheet" if _is_stylesheet(match.group(0)) else f"<{match.group(1)}>"
        report.error(line_of(text, match.group(2)), f"{what} '{match.group(2)}': {NETWORK}")
    for pattern, what in DANGER:
        for match in pattern.finditer(fragment):
            if match.start() in remote:
                continue
            report.warning(
                line_of(text, match.group(0).strip()),
                f"raw HTML {what.format(match.group(1).lower())} removed: "
                "manuscripts may not run code or load files",
            )
    return nh3.clean(
        fragment,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        strip_comments=False,
        link_rel=None,
        filter_style_properties={"text-align", "width"},
    )


def _is_stylesheet(tag: str) -> bool:
    return bool(re.search(r"""rel\s*=\s*["']?stylesheet""", tag, re.I))
