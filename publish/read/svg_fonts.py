"""Text in SVG figures set in the shipped faces, so that no edition depends on the fonts
of the machine that builds it or shows it.

A chart names the faces of the machine that drew it (``Arial``, ``DejaVu Sans``,
``Helvetica``): WeasyPrint would take whatever fontconfig gives for the name, so the
PDF's bytes would change with the fonts installed. Every family list an SVG gives (the
``font-family`` attribute, ``style`` attributes and ``<style>`` sheets) becomes ours:
code faces the monospaced one, every other (serif and sans alike: we ship no sans
face) the text face. The PDF edition knows them by their CSS names (publish.fonts),
a browser or reading system showing the SVG as an image by their own names.
"""

from __future__ import annotations

import re

from lxml import etree

SVG = "http://www.w3.org/2000/svg"
TEXT = '"Publish Text", "Charis SIL", serif'
MONO = '"Publish Mono", "JetBrains Mono", monospace'
OURS = {"publish text", "publish mono", "publish arabic", "charis sil", "jetbrains mono"}
MONOSPACED = {
    "monospace",
    "courier",
    "courier new",
    "dejavu sans mono",
    "liberation mono",
    "consolas",
    "menlo",
    "monaco",
    "jetbrains mono",
    "source code pro",
    "fira mono",
    "fira code",
    "lucida console",
    "ubuntu mono",
}
DECLARATION_RE = re.compile(r"(font-family\s*:\s*)([^;}\"']*(?:(?:\"[^\"]*\"|'[^']*')[^;}\"']*)*)")


def ours(families: str) -> str:
    """The family list ``families`` in our faces (unchanged when it already is)."""
    names = [n.strip().strip("\"'").strip().lower() for n in families.split(",")]
    names = [n for n in names if n]
    if not names or names[0] in OURS:
        return families
    mono = any(n in MONOSPACED for n in names)
    return MONO if mono else TEXT


def _declarations(css: str) -> str:
    def one(match: re.Match[str]) -> str:
        trailing = match.group(2)[len(match.group(2).rstrip()) :]
        important = " !important" if "!important" in match.group(2) else ""
        value = match.group(2).replace("!important", "").strip()
        return match.group(1) + ours(value) + important + trailing

    return DECLARATION_RE.sub(one, css)


def in_our_faces(root: etree._Element) -> bool:
    """Rewrite every family ``root`` names, in place; True when anything changed."""
    changed = False
    if root.get("font-family") is None and next(root.iter(f"{{{SVG}}}text"), None) is not None:
        # text with no family at all would be set in the machine's default face
        root.set("font-family", TEXT)
        changed = True
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        family = element.get("font-family")
        if family is not None and ours(family) != family:
            element.set("font-family", ours(family))
            changed = True
        style = element.get("style")
        if style and "font-family" in style:
            new = _declarations(style)
            if new != style:
                element.set("style", new)
                changed = True
        if etree.QName(element).localname == "style" and element.text:
            if "font-family" in element.text:
                new = _declarations(element.text)
                if new != element.text:
                    element.text = new
                    changed = True
    return changed
