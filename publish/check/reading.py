"""What a reader gets from an edition, as plain data for the lint to compare.

HTML and EPUB are read as documents (text, notes, links, ids, images); a PDF as
its page text, named destinations and link annotations.
"""

from __future__ import annotations

import json
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pikepdf
from lxml import etree, html

from .pdfcontent import tagged_content, text_runs

OPS = "{http://www.idpf.org/2007/ops}type"
NOTE_TYPES = {"footnote", "endnote", "rearnote", "note"}
NOTE_ROLES = {"doc-footnote", "doc-endnote"}
SKIPPED = {"script", "style", "template", "head", "title"}
ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]+")
ARABIC_LANGS = {"ar", "fa", "ur", "ps", "ckb", "ku", "sd", "ug", "prs", "pnb", "bal", "ks"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass
class Reading:
    """One edition as a reader meets it."""

    path: Path
    kind: str
    """``html``, ``epub`` or ``pdf``."""
    text: str = ""
    """The reading text of every document, in order."""
    languages: dict[str, str] = field(default_factory=dict)
    """Language of each document (``""`` when none is declared)."""
    authors: list[str] = field(default_factory=list)
    author_notes: list[str] = field(default_factory=list)
    notes: dict[tuple[str, str], str] = field(default_factory=dict)
    """(document, id) of each note -> its text without the back-link."""
    calls: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    """(document, id) of each note call -> (document, id) it links to."""
    backlinks: dict[tuple[str, str], set[tuple[str, str]]] = field(default_factory=dict)
    """(document, id) of each note -> the targets of the links inside it."""
    links: list[tuple[str, str, str]] = field(default_factory=list)
    """Internal links: (document it is in, target document, target id or "")."""
    ids: set[tuple[str, str]] = field(default_factory=set)
    images: list[tuple[str, str | None]] = field(default_factory=list)
    """(document, alt text or None) of each image."""
    features: set[str] = field(default_factory=set)
    """schema.org accessibilityFeature values claimed (EPUB)."""
    access_modes: set[str] = field(default_factory=set)
    """schema.org accessMode values claimed (EPUB)."""
    toc_entries: int = 0
    """Links in the navigation document's ``toc`` nav (EPUB)."""
    script_mismatches: list[tuple[str, str, str]] = field(default_factory=list)
    """(document, declared language, text) of Arabic-script text not declared as such."""


def local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def read(path: Path) -> Reading:
    return {".html": _read_html, ".epub": _read_epub, ".pdf": _read_pdf}[path.suffix](path)


def _read_html(path: Path) -> Reading:
    reading = Reading(path, "html")
    root = html.fromstring(path.read_bytes())
    _read_document(reading, path.name, root)
    for meta in root.iter("meta"):
        if meta.get("name") == "author" and meta.get("content"):
            reading.authors.append(meta.get("content").strip())
    for script in root.iter("script"):
        if script.get("type") == "application/ld+json":
            reading.author_notes += _ld_author_notes(script.text or "")
    return reading


def _ld_author_notes(text: str) -> list[str]:
    try:
        data = json.loads(text)
    except ValueError:
        return []
    authors = data.get("author", []) if isinstance(data, dict) else []
    authors = authors if isinstance(authors, list) else [authors]
    return [a["description"] for a in authors if isinstance(a, dict) and a.get("description")]


def _read_epub(path: Path) -> Reading:
    reading = Reading(path, "epub")
    with zipfile.ZipFile(path) as book:
        container = etree.fromstring(book.read("META-INF/container.xml"))
        opf_path = next(e.get("full-path") for e in container.iter() if local(e.tag) == "rootfile")
        opf = etree.fromstring(book.read(opf_path))
        base = posixpath.dirname(opf_path)
        _read_package(reading, opf)
        manifest = {e.get("id"): e for e in opf.iter() if local(e.tag) == "item"}
        spine = [e.get("idref") for e in opf.iter() if local(e.tag) == "itemref"]
        documents = [
            i for i in manifest if manifest[i].get("media-type") == "application/xhtml+xml"
        ]
        # Spine documents first, in reading order; then the rest (the nav, if outside it).
        for item in [
            *[i for i in spine if i in documents],
            *[i for i in documents if i not in spine],
        ]:
            name = posixpath.normpath(posixpath.join(base, unquote(manifest[item].get("href"))))
            root = etree.fromstring(book.read(name))
            _read_document(reading, name, root, in_text=item in spine)
        reading.ids |= {(n, "") for n in book.namelist()}
    return reading


def _read_package(reading: Reading, opf: etree._Element) -> None:
    for element in opf.iter():
        if local(element.tag) == "language" and (element.text or "").strip():
            reading.languages["package (dc:language)"] = element.text.strip()
        elif local(element.tag) == "creator" and (element.text or "").strip():
            reading.authors.append(element.text.strip())
        elif local(element.tag) == "meta":
            claims = {
                "schema:accessibilityFeature": reading.features,
                "schema:accessMode": reading.access_modes,
            }.get(element.get("property", ""))
            if claims is not None:
                claims.add((element.text or "").strip())
    reading.languages.setdefault("package (dc:language)", "")


def _read_document(reading: Reading, name: str, root, in_text: bool = True) -> None:
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


def arabic_language(lang: str) -> bool:
    """Whether a BCP 47 tag names a language written in Arabic script."""
    parts = lang.lower().split("-")
    return parts[0] in ARABIC_LANGS or "arab" in parts[1:]


def _script_languages(reading: Reading, name: str, element, lang: str) -> None:
    """Arabic-script text whose nearest declared language is not one written so."""
    if local(element.tag) in SKIPPED:
        return
    lang = element.get("lang") or element.get(XML_LANG) or lang
    texts = [element.text or ""]
    for child in element:
        _script_languages(reading, name, child, lang)
        texts.append(child.tail or "")
    if not arabic_language(lang):
        for match in ARABIC_SCRIPT.finditer(" ".join(texts)):
            reading.script_mismatches.append((name, lang, match.group()))


def _read_note(reading: Reading, name: str, note) -> None:
    # Internal links in a note lead back to the text; their words ("↩", "Back to
    # note 1") are not the note's, unlike those of a link out of the edition.
    internal = [
        a
        for a in note.iter()
        if local(a.tag) == "a" and a.get("href") and _target(name, a.get("href")) is not None
    ]
    reading.backlinks[(name, note.get("id") or "")] = {
        _target(name, a.get("href")) for a in internal
    }
    text = _text(note, skip=internal)
    reading.notes[(name, note.get("id") or "")] = text


def _is_call(a) -> bool:
    return (
        a.get("role") == "doc-noteref"
        or "noteref" in (a.get(OPS) or "").split()
        or "footnote-ref" in (a.get("class") or "").split()
    )


def _is_note(element) -> bool:
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


def _text(element, skip: list | None = None) -> str:
    skipped = set(map(id, skip or []))
    pieces: list[str] = []

    def walk(node) -> None:
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


def _read_pdf(path: Path) -> Reading:
    reading = Reading(path, "pdf")
    with pikepdf.open(path) as pdf:
        reading.languages["catalog (/Lang)"] = str(pdf.Root.get("/Lang", "")).strip()
        author = str(pdf.docinfo.get("/Author", "")).strip()
        reading.authors = [a.strip() for a in re.split(r";|,| and | & ", author) if a.strip()]
        runs = [r for n, page in enumerate(pdf.pages, 1) for r in text_runs(page, n)]
        langs, pages = tagged_content(pdf), [page.obj.objgen for page in pdf.pages]
        reading.text = _logical_text(runs, langs, pages)
        for run in runs:
            lang = (
                langs.get((pages[run.page - 1], run.mcid)) or reading.languages["catalog (/Lang)"]
            )
            if run.status == "content" and not arabic_language(lang):
                for match in ARABIC_SCRIPT.finditer(run.text):
                    reading.script_mismatches.append((f"page {run.page}", lang, match.group()))
        names = (
            pikepdf.NameTree(pdf.Root.Names.Dests)
            if "/Names" in pdf.Root and "/Dests" in pdf.Root.Names
            else {}
        )
        reading.ids = {(path.name, str(k)) for k in names.keys()}
        if "/Dests" in pdf.Root:
            reading.ids |= {(path.name, str(k).lstrip("/")) for k in pdf.Root.Dests.keys()}
        for page in pdf.pages:
            for annot in page.obj.get("/Annots", []):
                destination = _pdf_destination(annot)
                if destination is not None:
                    reading.links.append((path.name, path.name, destination))
    return reading


def _logical_text(runs: list, langs: dict, pages: list) -> str:
    """The text in the structure tree's order, as a screen reader reads it: a note
    that runs on to the next page stays whole, and artifacts are left out. An
    untagged PDF has only its drawing order."""
    if not langs:
        return " ".join(run.text for run in runs)
    texts: dict = {key: [] for key in langs}
    for run in runs:
        key = (pages[run.page - 1], run.mcid)
        if run.status == "content" and key in texts:
            texts[key].append(run.text)
    return " ".join(text for parts in texts.values() for text in parts)


def _pdf_destination(annot: pikepdf.Dictionary) -> str | None:
    """The named destination of an internal link; None for other annotations."""
    if annot.get("/Subtype") != "/Link":
        return None
    action = annot.get("/A", {})
    dest = annot.get("/Dest", action.get("/D") if action.get("/S") == "/GoTo" else None)
    if isinstance(dest, pikepdf.String | pikepdf.Name):
        return str(dest).lstrip("/")
    return None  # Explicit (page, position) destinations always resolve.
