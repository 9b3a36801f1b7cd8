"""Raw HTML in a manuscript may format text; it may not run code in a reader's browser or
e-reader, nor pull in files. nh3 (ammonia) does the cleaning; we only say what went."""

from __future__ import annotations

import re

import nh3

from ..diagnostics import Collector
from .boundary import line_of

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
}
# pandoc's MathML (--mathml, issue 11): kept when a manuscript with raw HTML is cleaned.
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
GENERIC = {"id", "class", "title", "lang", "dir", "role"}
ATTRIBUTES = {
    "*": GENERIC,
    # pandoc's per-line anchors in code blocks are empty links; aria-hidden and
    # tabindex="-1" are what keep them out of screen readers and the tab order.
    "a": GENERIC | {"href", "aria-hidden", "tabindex"},
    "img": GENERIC | {"src", "alt", "width", "height"},
    "td": GENERIC | {"colspan", "rowspan", "style"},
    "th": GENERIC | {"colspan", "rowspan", "scope", "style"},
    "col": GENERIC | {"span", "style"},
    "ol": GENERIC | {"start", "type", "reversed"},
    "li": GENERIC | {"value"},
    "code": GENERIC | {"data-line-number"},
    **{tag: GENERIC | MATHML_ATTRIBUTES for tag in MATHML_TAGS},
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
    r"""<link\b(?=[^>]*\srel\s*=\s*["']?stylesheet)[^>]*?\shref\s*=\s*["']?"""
    r"""((?:https?:)?//[^"'\s>]+)""",
    re.I,
)
IMG_WITHOUT_SRC_RE = re.compile(r"<img\b(?![^>]*\ssrc=)[^>]*>", re.I)
STYLE_URL_RE = re.compile(r'\sstyle="[^"]*url\([^"]*"', re.I)
NETWORK = (
    "a build never touches the network: save the file beside the manuscript and refer "
    "to it by its name"
)


def sanitize(fragment: str, text: str, report: Collector) -> str:
    """``fragment`` without anything that could run or fetch; a warning for each removal,
    an error for a stylesheet asked from the network (the edition would silently lack it)."""
    line = _Lines(text)
    remote = set()
    for match in REMOTE_RE.finditer(fragment):
        remote.add(match.start())
        report.error(line(match.group(1)), f"stylesheet '{match.group(1)}': {NETWORK}")
    for pattern, what in DANGER:
        for match in pattern.finditer(fragment):
            if match.start() in remote:
                continue
            report.warning(
                line(match.group(0).strip()),
                f"raw HTML {what.format(match.group(1).lower())} removed: "
                "manuscripts may not run code or load files",
            )
    clean = nh3.clean(
        fragment,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        strip_comments=False,
        link_rel=None,
        filter_style_properties={"text-align", "width"},
    )
    # nh3 keeps an allowed property whatever its value: 'width: url(...)' would still
    # name a file for WeasyPrint to consider.
    # An <img> without src (nh3 dropped an address it refused, or there was none) is
    # invalid in an EPUB.
    return IMG_WITHOUT_SRC_RE.sub("", STYLE_URL_RE.sub("", clean))


class _Lines:
    """Line numbers of successive occurrences: the second ``javascript:`` removed is
    reported at the second one in the text, not again at the first."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.after: dict[str, int] = {}

    def __call__(self, needle: str) -> int:
        at = self.text.find(needle, self.after.get(needle, 0))
        if at < 0:
            return line_of(self.text, needle)
        self.after[needle] = at + len(needle)
        return self.text.count("\n", 0, at) + 1
