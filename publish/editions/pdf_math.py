"""Formulas for the print edition: each MathML formula drawn as an SVG image.

WeasyPrint lays out no MathML, so pandoc's MathML (``--mathml``) is drawn here with
ziamath in STIX Two Math (the OFL font ziamath ships, pinned with it) and put back as
an ``<img>`` whose ``alt`` is the formula's TeX, which is what a screen reader and
the tagged PDF's ``Alt`` give. Sizes are in em, so a formula takes the size of the
text around it: inline formulas sit on the baseline, display formulas are centred, and
a labelled equation keeps its "(N)" at the right margin (print.css).
"""

from __future__ import annotations

import base64
import html
import io
import re
import xml.etree.ElementTree as ET
from functools import lru_cache

import pikepdf
import ziamath

MATH_RE = re.compile(r"<math\b[^>]*>.*?</math>", re.S)
TEX_RE = re.compile(r'<annotation encoding="application/x-tex">(.*?)</annotation>', re.S)
MATHML = "{http://www.w3.org/1998/Math/MathML}"
# The size formulas are drawn at; only the ratio to it matters, since the image's
# size is then given in em.
DRAWN_AT = 20.0
# Marks a formula's alt text, so that its structure element (WeasyPrint tags every image
# /Figure) can be found and retagged /Formula after layout; removed there.
FORMULA_MARK = "\u2063"


def draw_formulas(fragment: str) -> str:
    """``fragment`` with every ``<math>`` element replaced by its drawing."""
    if "<math" not in fragment:
        return fragment
    return MATH_RE.sub(lambda m: _image(m.group(0)), fragment)


def _image(mathml: str) -> str:
    display = 'display="block"' in mathml[: mathml.find(">")]
    tex_match = TEX_RE.search(mathml)
    tex = html.unescape(tex_match.group(1)).strip() if tex_match else ""
    try:
        svg, width, height, depth = _draw(mathml)
    except Exception:  # noqa: BLE001 - a formula ziamath cannot draw is shown as its TeX
        return f'<code class="math-source">{html.escape(tex)}</code>'
    uri = "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
    kind = "display" if display else "inline"
    style = f"width:{width:.3f}em;height:{height:.3f}em"
    if not display:
        style += f";vertical-align:{depth:.3f}em"
    alt = html.escape(FORMULA_MARK + (tex or "formula"), quote=True)
    image = f'<img class="formula" src="{uri}" alt="{alt}" style="{style}">'
    return f'<span class="math {kind}">{image}</span>'


@lru_cache(maxsize=512)
def _draw(mathml: str) -> tuple[str, float, float, float]:
    """SVG text, width, height and baseline offset (in em) of one formula."""
    root = ET.fromstring(mathml)
    # pandoc wraps the formula in <semantics> with the TeX as an <annotation>: for
    # readers, not for drawing (ziamath knows neither element).
    for semantics in root.findall(f"{MATHML}semantics"):
        index = list(root).index(semantics)
        root.remove(semantics)
        drawn = [c for c in semantics if c.tag != f"{MATHML}annotation"]
        for offset, child in enumerate(drawn):
            root.insert(index + offset, child)
    ziamath.config.svg2 = False  # plain paths: no <symbol>/<use> for the SVG reader
    # No margin: ziamath's default (1 unit round the drawing) is not in getsize(), so the
    # drawing was shrunk into the box given in em (to 84% for one letter, which set
    # formulas smaller than the text and above its baseline) and ended in a blank that
    # read as a space before the next punctuation mark. The box is then the formula's
    # own: its glyphs' advance widths, its ascent and depth (STIX Two's x-height, 0.473
    # em, is Charis SIL's, 0.482 em, so the same em size looks the same size).
    formula = ziamath.Math(root, size=DRAWN_AT, margin=0)
    svg = formula.svg()
    width, height = formula.getsize()
    return svg, width / DRAWN_AT, height / DRAWN_AT, formula.getyofst() / DRAWN_AT


def tag_formulas(pdf_bytes: bytes) -> bytes:
    """The tagged PDF with each drawn formula a ``Formula`` element whose ``Alt`` is its
    TeX (PDF/UA: a formula needs a text alternative; screen readers read the TeX)."""
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        root = pdf.Root.get("/StructTreeRoot")
        if root is None:
            return pdf_bytes
        changed = False
        stack = [root.get("/K")]
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Array):
                stack.extend(node)
                continue
            if not isinstance(node, pikepdf.Dictionary):
                continue
            alt = node.get("/Alt")
            if node.get("/S") == "/Figure" and alt is not None:
                text = str(alt)
                if text.startswith(FORMULA_MARK):
                    node.S = pikepdf.Name.Formula
                    node.Alt = pikepdf.String(text[len(FORMULA_MARK) :])
                    changed = True
            kids = node.get("/K")
            if kids is not None:
                stack.append(kids)
        if not changed:
            return pdf_bytes
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
        return out.getvalue()
