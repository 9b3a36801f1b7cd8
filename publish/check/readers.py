"""One reader per kind of edition, each returning the same plain :class:`Reading`.

HTML and EPUB are read as (X)HTML documents (see :mod:`markup`); a PDF as its
tagged text in reading order, named destinations and link annotations.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

import pikepdf
from lxml import etree, html

from ..languages import ARABIC_TEXT, is_arabic_script
from ..opf import read_package
from .markup import local, read_document
from .pdfcontent import TextRun, tagged_content, text_runs
from .reading import Reading


def _read_html(path: Path) -> Reading:
    reading = Reading(path, "html")
    root = html.fromstring(path.read_bytes())
    read_document(reading, path.name, root)
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
        package = read_package(book)
        _read_package(reading, package.root)
        in_spine = [item for item, _ in package.spine]
        for item in package.documents:
            root = etree.fromstring(book.read(item.path))
            read_document(reading, item.path, root, in_text=item in in_spine)
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


def _read_pdf(path: Path) -> Reading:
    reading = Reading(path, "pdf")
    with pikepdf.open(path) as pdf:
        reading.languages["catalog (/Lang)"] = str(pdf.Root.get("/Lang", "")).strip()
        author = str(pdf.docinfo.get("/Author", "")).strip()
        reading.authors = [a.strip() for a in re.split(r";|,| and | & ", author) if a.strip()]
        runs = text_runs(path)
        langs, pages = tagged_content(pdf), [page.obj.objgen for page in pdf.pages]
        reading.text = _logical_text(runs, langs, pages)
        for run in runs:
            if run.status != "content" or run.mcid is None:
                continue
            lang = (
                langs.get((pages[run.page - 1], run.mcid)) or reading.languages["catalog (/Lang)"]
            )
            if not is_arabic_script(lang):
                for match in ARABIC_TEXT.finditer(run.text):
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


def _logical_text(runs: Sequence[TextRun], langs: dict, pages: list) -> str:
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


def _pdf_destination(annot: pikepdf.Object) -> str | None:
    """The named destination of an internal link; None for other annotations."""
    if annot.get("/Subtype") != "/Link":
        return None
    action: pikepdf.Object | dict = annot.get("/A", {})
    dest = annot.get("/Dest", action.get("/D") if action.get("/S") == "/GoTo" else None)
    if isinstance(dest, pikepdf.String | pikepdf.Name):
        return str(dest).lstrip("/")
    return None  # Explicit (page, position) destinations always resolve.


READERS: dict[str, Callable[[Path], Reading]] = {
    ".html": _read_html,
    ".epub": _read_epub,
    ".pdf": _read_pdf,
}


def read(path: Path) -> Reading:
    return READERS[path.suffix](path)
