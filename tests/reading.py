"""What a reader gets from each edition, as text and as links (helpers for the tests)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from lxml import etree, html

from publish.opf import read_package

WORD_RE = re.compile(r"\w+", re.UNICODE)
XHTML = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}


def words(text: str) -> list[str]:
    # Line-end hyphens that WeasyPrint inserts (U+2010) are not part of the word.
    text = re.sub("\u2010\\s*\n", "", text)
    return [w.lower() for w in WORD_RE.findall(text)]


def is_subsequence(needle: list[str], haystack: list[str]) -> tuple[bool, int]:
    """Whether every word of ``needle`` occurs in ``haystack`` in order; and how far it got."""
    it = iter(haystack)
    for index, word in enumerate(needle):
        if not any(word == w for w in it):
            return False, index
    return True, len(needle)


def html_tree(path: Path) -> html.HtmlElement:
    return html.fromstring(path.read_bytes())


def html_reading_text(tree: html.HtmlElement) -> str:
    body = tree.find("body")
    return " ".join(t for t in body.itertext() if t.strip())


def epub_documents(path: Path) -> list[etree._Element]:
    """The spine's XHTML documents, in reading order."""
    with zipfile.ZipFile(path) as z:
        package = read_package(z)
        return [etree.fromstring(z.read(item.path)) for item, _ in package.spine]


def xml_reading_text(doc: etree._Element) -> str:
    body = doc.find("x:body", XHTML)
    return " ".join(t for t in body.itertext() if t.strip())


def follow_notes(root: etree._Element, noteref_xpath: str, backlink_xpath: str) -> list[str]:
    """Follow every note call to its note and the note's back-link home; return problems."""
    problems = []
    by_id = {e.get("id"): e for e in root.iter() if isinstance(e.tag, str) and e.get("id")}
    calls = root.xpath(noteref_xpath, namespaces=XHTML)
    if not calls:
        problems.append("no note calls found")
    for call in calls:
        target = by_id.get(call.get("href", "").lstrip("#"))
        if target is None:
            problems.append(f"call {call.get('id')} leads nowhere")
            continue
        backs = target.xpath(backlink_xpath, namespaces=XHTML)
        if not backs or backs[0].get("href") != f"#{call.get('id')}":
            problems.append(f"note {target.get('id')} does not link back to {call.get('id')}")
    return problems


def formula_alts(pdf: Path) -> list[str]:
    """The alternative text (TeX) of every structure element tagged Formula in a PDF."""
    import pikepdf

    found = []
    with pikepdf.open(pdf) as document:
        stack = [document.Root.StructTreeRoot.K]
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Array):
                stack.extend(node)
            elif isinstance(node, pikepdf.Dictionary):
                if node.get("/S") == "/Formula":
                    found.append(str(node.Alt))
                if node.get("/K") is not None:
                    stack.append(node.K)
    return found
