"""One (X)HTML document as a reader meets it: text, languages, notes, links, images.

Notes are found by their semantics, whichever edition wrote them: DPUB-ARIA
roles, ``epub:type``, or pandoc's list of endnotes.
"""

from __future__ import annotations

import posixpath
import re
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from ..languages import ARABIC_TEXT, is_arabic_script
from .reading import Reading

if TYPE_CHECKING:
    from lxml.etree import _Element

OPS = "{http://www.idpf.org/2007/ops}type"
NOTE_TYPES = {"footnote", "endnote", "rearnote", "note"}
NOTE_ROLES = {"doc-footnote", "doc-endnote"}
SKIPPED = {"script", "style", "template", "head", "title"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def read_document(reading: Reading, name: str, root: _Element, in_text: bool = True) -> None:
    reading.languages[name] = root.get("lang") or root.get(XML_LANG) or ""
    _script_languages(reading, name, root, reading.languages[name])
    body = next((e for e in root.iter() if local(e.tag) == "body"), root)
    if in_text:
        reading.text += " " + _text(body)
    for element in root.iter():
        tag = local(element.tag)
        if element.get("id"):
            reading.ids.add((name, element.get("id")))
        if tag == "img":
            reading.images.append((name, element.get("alt")))
        elif tag == "a" and element.get("href"):
            target = _target(name, element.get("href"))
            if target is not None:
                reading.links.append((name, *target))
                if _is_call(element):
                    call = element.get("id") or (element.getparent().get("id") or "")
                    reading.calls[(name, call)] = target
        if _is_note(element):
            _read_note(reading, name, element)
        if tag == "nav" and "toc" in (element.get(OPS) or "").split():
            reading.toc_entries += sum(1 for a in element.iter() if local(a.tag) == "a")


def _script_languages(reading: Reading, name: str, element: _Element, lang: str) -> None:
    """Arabic-script text whose nearest declared language is not one written so."""
    if local(element.tag) in SKIPPED:
        return
    lang = element.get("lang") or element.get(XML_LANG) or lang
    texts = [element.text or ""]
    for child in element:
        _script_languages(reading, name, child, lang)
        texts.append(child.tail or "")
    if not is_arabic_script(lang):
        for match in ARABIC_TEXT.finditer(" ".join(texts)):
            reading.script_mismatches.append((name, lang, match.group()))


def _read_note(reading: Reading, name: str, note: _Element) -> None:
    # Internal links in a note lead back to the text; their words ("↩", "Back to
    # note 1") are not the note's, unlike those of a link out of the edition.
    internal = [
        a
        for a in note.iter()
        if local(a.tag) == "a" and a.get("href") and _target(name, a.get("href")) is not None
    ]
    targets = (_target(name, a.get("href")) for a in internal)
    reading.backlinks[(name, note.get("id") or "")] = {t for t in targets if t is not None}
    # A citation or cross-reference in a note links inside the edition too, but its
    # words ("Lee 2019", "Figure 1") are the note's own.
    back = [
        a
        for a in internal
        if a.get("role") != "doc-biblioref"
        and not REF_RE.search(a.get("href") or "")
        and not _crossref(a)
    ]
    # The EPUB's note number is not the note's text (the web page's has none).
    numbers = [p for p in note.iter() if "note-number" in (p.get("class") or "").split()]
    text = _text(note, skip=back + numbers)
    reading.notes[(name, note.get("id") or "")] = text


# An article in an issue's EPUB has its ids prefixed "a<n>-" (periodical/pdf.py).
REF_RE = re.compile(r"#(?:a\d+-)?ref-")
CROSSREF_RE = re.compile(r"#(?:a\d+-)?(?:fig|tbl|eq|sec)-")


def _crossref(a: _Element) -> bool:
    return CROSSREF_RE.search(a.get("href") or "") is not None


def _is_call(a: _Element) -> bool:
    return (
        a.get("role") == "doc-noteref"
        or "noteref" in (a.get(OPS) or "").split()
        or "footnote-ref" in (a.get("class") or "").split()
    )


def _is_note(element: _Element) -> bool:
    if element.get("role") in NOTE_ROLES or NOTE_TYPES & set((element.get(OPS) or "").split()):
        return True
    # Pandoc's list of notes: each <li> in a doc-endnotes section.
    parent = element.getparent()
    holder = parent.getparent() if parent is not None else None
    return (
        local(element.tag) == "li"
        and holder is not None
        and (holder.get("role") == "doc-endnotes" or "endnotes" in (holder.get(OPS) or ""))
        and not any(_is_note(a) for a in element.iterancestors() if a is not holder)
    )


def _target(name: str, href: str) -> tuple[str, str] | None:
    """(document, id) an internal link points to; None for links out of the edition."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith("//"):
        return None
    document = name
    if parts.path:
        document = posixpath.normpath(posixpath.join(posixpath.dirname(name), unquote(parts.path)))
    return document, unquote(parts.fragment)


def _text(element: _Element, skip: list[_Element] | None = None) -> str:
    skipped = set(map(id, skip or []))
    pieces: list[str] = []

    def walk(node: _Element) -> None:
        if id(node) in skipped or local(node.tag) in SKIPPED:
            pieces.append(node.tail or "")
            return
        pieces.append(node.text or "")
        for child in node:
            walk(child)
        pieces.append(node.tail or "")

    walk(element)
    pieces[-1] = ""  # The element's own tail is not part of it.
    return " ".join("".join(pieces).split())
