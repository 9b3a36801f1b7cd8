"""The sample article's three editions, read as a reader gets them: every word of the
published text, in order; byline, author note and periodical data; every note present
and linked both ways; page-bottom notes on the page of their call."""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
import pytest
from conftest import SAMPLE, pdftotext
from reading import (
    epub_documents,
    follow_notes,
    html_reading_text,
    html_tree,
    is_subsequence,
    words,
    xml_reading_text,
)

SLUG = SAMPLE.stem


def parse_seed(text: str) -> dict[str, object]:
    """The published article's parts: title, publication line, body, author note, notes."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    notes = [p for p in paragraphs if re.match(r"^\d+\. ", p)]
    rest = [p for p in paragraphs if p not in notes]
    return {
        "title": rest[0],
        "publication": rest[1],
        "body": rest[2:-1],
        "author_note": rest[-1],
        "notes": [re.sub(r"^\d+\. ", "", n) for n in notes],
    }


@pytest.fixture(scope="module")
def seed(seed_text: str) -> dict[str, object]:
    return parse_seed(seed_text)


def published_words(seed: dict[str, object], with_notes: bool = True) -> list[str]:
    body = re.sub(r"\[\d+\]", "", "\n".join(seed["body"]))  # the markers become calls
    parts = [seed["title"], body, seed["author_note"]]
    if with_notes:
        parts += seed["notes"]
    return words("\n".join(parts))


def assert_in_order(expected: list[str], got: list[str], edition: str) -> None:
    ok, reached = is_subsequence(expected, got)
    context = " ".join(expected[max(0, reached - 8) : reached + 3])
    assert ok, f"{edition}: published text lost or reordered near word {reached}: {context!r}"


def edition(build: Path, ext: str) -> Path:
    return build / f"{SLUG}.{ext}"


def test_html_has_every_published_word_in_order(sample_build: Path, seed: dict) -> None:
    text = html_reading_text(html_tree(edition(sample_build, "html")))
    assert_in_order(published_words(seed), words(text), "HTML")


def test_epub_spine_has_every_published_word_in_order(sample_build: Path, seed: dict) -> None:
    docs = epub_documents(edition(sample_build, "epub"))
    text = " ".join(xml_reading_text(d) for d in docs)
    assert_in_order(published_words(seed), words(text), "EPUB")


def test_pdf_has_every_published_word_in_order(sample_build: Path, seed: dict) -> None:
    got = words(pdftotext(edition(sample_build, "pdf"), raw=True))
    assert_in_order(published_words(seed, with_notes=False), got, "PDF")
    for note in seed["notes"]:
        assert_in_order(words(note), got, "PDF note")


@pytest.mark.parametrize("ext", ["html", "epub", "pdf"])
def test_byline_author_note_and_periodical_data(sample_build: Path, seed: dict, ext: str) -> None:
    path = edition(sample_build, ext)
    if ext == "html":
        text = html_reading_text(html_tree(path))
    elif ext == "epub":
        text = " ".join(xml_reading_text(d) for d in epub_documents(path))
    else:
        text = pdftotext(path)
    flat = " ".join(text.split())
    assert "By Massoud Khodabandeh" in flat
    assert " ".join(words(seed["author_note"])) in " ".join(words(text))
    assert re.search(r"Terrorism Monitor\s*·\s*Volume 3\s*·\s*Issue 2", flat, re.I)


def test_html_notes_linked_both_ways(sample_build: Path) -> None:
    tree = html_tree(edition(sample_build, "html"))
    calls = tree.xpath("//a[@role='doc-noteref']")
    assert len(calls) == 3
    assert len(tree.xpath("//section[@role='doc-endnotes']//li")) == 3
    assert follow_notes(tree, "//a[@role='doc-noteref']", ".//a[@role='doc-backlink']") == []
    assert len(tree.xpath("//h1")) == 1
    assert tree.xpath("//main")
    assert tree.get("lang") == "en"


def test_epub_notes_are_popup_footnotes_linked_both_ways(sample_build: Path) -> None:
    (doc,) = epub_documents(edition(sample_build, "epub"))
    calls = doc.xpath(
        "//x:a[@epub:type='noteref']",
        namespaces={"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"},
    )
    assert len(calls) == 3
    notes = doc.xpath(
        "//x:aside[@epub:type='footnote'][@role='doc-footnote']",
        namespaces={"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"},
    )
    assert len(notes) == 3
    problems = follow_notes(doc, "//x:a[@epub:type='noteref']", ".//x:a[@role='doc-backlink']")
    assert problems == []


def test_html_is_self_contained(sample_build: Path) -> None:
    page = edition(sample_build, "html").read_text(encoding="utf-8")
    tree = html_tree(edition(sample_build, "html"))
    assert not tree.xpath("//script[not(@type='application/ld+json')]")
    assert not tree.xpath("//link[@rel='stylesheet'] | //img[not(starts-with(@src, 'data:'))]")
    assert not re.search(r"url\((?!\"?data:)", page)


def test_pdf_notes_at_the_foot_of_the_page_of_their_call(sample_build: Path) -> None:
    # Read from the PDF's named destinations: each call's anchor (fnrefN) and its
    # note's (fnN) are on a page. Text matching cannot tell where a call is when
    # the words before it cross a page break.
    with pikepdf.open(edition(sample_build, "pdf")) as pdf:
        page_of = {page.objgen: n for n, page in enumerate(pdf.pages, start=1)}
        dests = {
            str(name): page_of[dest[0].objgen]
            for name, dest in pikepdf.NameTree(pdf.Root.Names.Dests).items()
        }
    notes = sorted(k for k in dests if re.fullmatch(r"fn\d+", k))
    assert len(notes) == 3
    for note in notes:
        call = dests[f"fnref{note[2:]}"]
        assert call == dests[note], f"{note}: call on page {call}, note on page {dests[note]}"


def _contains_run(haystack: list[str], run: list[str]) -> bool:
    n = len(run)
    return any(haystack[i : i + n] == run for i in range(len(haystack) - n + 1))


def test_pdf_notes_linked_both_ways(sample_build: Path) -> None:
    with pikepdf.open(edition(sample_build, "pdf")) as pdf:
        links = [
            a for page in pdf.pages for a in page.get("/Annots", []) if a.get("/Subtype") == "/Link"
        ]
        internal = [a for a in links if "/Dest" in a or ("/A" in a and a.A.get("/S") == "/GoTo")]
    assert len(internal) >= 6  # three calls to their notes, three notes back


def test_pdf_metadata_and_tagging(sample_build: Path) -> None:
    with pikepdf.open(edition(sample_build, "pdf")) as pdf:
        info = pdf.docinfo
        assert str(info["/Title"]).startswith("The Disintegration of Mojahedin-e Khalq")
        assert str(info["/Author"]) == "Massoud Khodabandeh"
        assert "Terrorism Monitor" in str(info["/Subject"])
        assert "MKO" in str(info["/Keywords"])
        assert str(pdf.Root.Lang) == "en"
        assert "/StructTreeRoot" in pdf.Root
        with pdf.open_outline() as outline:
            titles = [item.title for item in outline.root]
        assert any("Still Terrorists" in t for t in titles) or any(
            "Still Terrorists" in c.title for item in outline.root for c in item.children
        )
