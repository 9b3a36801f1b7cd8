"""What the editions of an updated article show (issue 23), read as a reader gets them:
the notice box after the title in the web page, the EPUB and the PDF; a retracted
article's title and its mark on every PDF page, its text still there; a notice's box
naming what it updates; the versions; the JSON-LD and the ``<link>`` relations; and
``publish check`` clean on all of it.

Until the build fills ``Document.updates`` itself, the documents are read with the real
reader and given their updates with ``dataclasses.replace``; the editions are rendered
in process."""

from __future__ import annotations

import json
import shutil
import zipfile
from dataclasses import replace
from pathlib import Path

import pikepdf
import pytest
from conftest import copy_manuscript, pdftotext
from lxml import etree, html
from reading import XHTML, epub_documents, is_subsequence, words

from publish.check import lint, run_checks
from publish.check.pdfcontent import text_runs
from publish.document import Document
from publish.editions.registry import EDITIONS
from publish.options import Options
from publish.read import read
from publish.updates.model import KINDS, Link, Notice, Updates, Version

BASE = "https://journal.example/archive/"
PARAGRAPHS = [
    f"Paragraph {n} reports measurement {n} of the sample, which we took on day {n} "
    + "with the instruments described above and the care the method asks for. " * 8
    for n in range(1, 19)
]
ARTICLE = """---
title: On the Reliability of Small Samples
author:
  - name: Ada Example
date: 2026-03-01
doi: 10.5555/small-samples
abstract: We measure things with small samples and find them wanting.
---

# Method

""" + "\n\n".join(PARAGRAPHS)
NOTICE = """---
title: "Retraction of: On the Reliability of Small Samples"
author:
  - name: The Editors
date: 2026-06-10
---

The editors retract this article: its measurements could not be repeated.
"""

CORRECTION = Link(
    "corr",
    "Correction to: <em>On the Reliability</em>",
    "Correction to: On the Reliability",
    "10.5555/corr",
    "2026-04-02",
    "../corr/corr.html",
)
RETRACTION = Link(
    "retr",
    "Retraction of: On the Reliability of Small Samples",
    "Retraction of: On the Reliability of Small Samples",
    None,
    "2026-06-10",
    "../retr/retr.html",
)
TARGET = Link(
    "article",
    "On the Reliability of Small Samples",
    "On the Reliability of Small Samples",
    "10.5555/small-samples",
    "2026-03-01",
    "../article/article.html",
)
OUTSIDE = Link(None, "", "", "10.9999/elsewhere")


def retracted(kind: str = "retraction") -> Updates:
    return Updates(
        notices=(
            Notice(KINDS["correction"], "2026-04-02", CORRECTION),
            Notice(KINDS[kind], "2026-06-10", RETRACTION),
        ),
        version=Version(2, "2026-05-01", "Figure 2 redrawn"),
        earlier=(Version(1, "2026-03-01", "First version", "v1/article.html"),),
    )


def render(doc: Document, folder: Path, options: Options | None = None) -> dict[str, Path]:
    """The three editions of ``doc`` in ``folder``/<slug>.<ext>, rendered in process."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for fmt in ("html", "epub", "pdf"):
        paths[fmt] = folder / f"{doc.slug}{EDITIONS[fmt].suffix}"
        paths[fmt].write_bytes(EDITIONS[fmt](doc, options or Options()))
    return paths


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build folder: the retracted article (version 2, its version 1 kept), the
    retraction notice and the correction, and a notice with an article outside."""
    out = tmp_path_factory.mktemp("notices")
    source = tmp_path_factory.mktemp("source")
    article = read(copy_manuscript(ARTICLE, source / "a", "article.md"))
    render(replace(article, updates=retracted()), out / "article")
    render(article, out / "article" / "v1")  # what core keeps of version 1
    for slug, targets in (("retr", (TARGET,)), ("corr", (TARGET, OUTSIDE))):
        notice = read(copy_manuscript(NOTICE, source / slug, f"{slug}.md"))
        kind = KINDS["retraction" if slug == "retr" else "correction"]
        render(replace(notice, updates=Updates(notice=kind, targets=targets)), out / slug)
    return out


@pytest.fixture(scope="module")
def page(build: Path) -> html.HtmlElement:
    return html.fromstring((build / "article" / "article.html").read_bytes())


def _text(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


# The web page.


def test_html_notice_box_after_the_title(page: html.HtmlElement) -> None:
    (box,) = page.xpath("//aside[contains(@class, 'notices')]")
    assert box.get("role") == "note"
    heading = page.get_element_by_id(box.get("aria-labelledby"))
    assert heading.tag == "h2" and _text(heading) == "This article was retracted"
    assert box.getprevious().tag == "header"  # right after the title block
    items = box.findall(".//li")
    assert [_text(i) for i in items] == [
        "Correction, April 2, 2026: Correction to: On the Reliability",
        "Retraction, June 10, 2026: Retraction of: On the Reliability of Small Samples",
    ]
    assert [i.find(".//time").get("datetime") for i in items] == ["2026-04-02", "2026-06-10"]
    assert [i.find(".//a").get("href") for i in items] == ["../corr/corr.html", "../retr/retr.html"]


def test_html_title_says_retracted(page: html.HtmlElement) -> None:
    assert page.findtext(".//title") == "Retracted: On the Reliability of Small Samples"
    assert _text(page.get_element_by_id("title")) == (
        "Retracted: On the Reliability of Small Samples"
    )


def test_html_lists_and_links_the_versions(page: html.HtmlElement) -> None:
    line = page.xpath("//p[@class='version-line']")[0]
    assert _text(line).startswith("Version 2, May 1, 2026")
    (section,) = page.xpath("//section[@class='versions']")
    items = section.findall(".//li")
    assert [_text(i) for i in items] == [
        "Version 1, March 1, 2026: First version",
        "Version 2 (this version), May 1, 2026: Figure 2 redrawn",
    ]
    assert items[0].find("a").get("href") == "v1/article.html"
    assert items[1].find("a") is None


def test_html_link_relations(page: html.HtmlElement) -> None:
    links = [(e.get("rel"), e.get("href")) for e in page.findall(".//head/link")]
    assert links == [
        ("predecessor-version", "v1/article.html"),
        ("version-history", "#versions-heading"),
        ("related", "../corr/corr.html"),
        ("related", "../retr/retr.html"),
    ]


def test_json_ld_says_corrections_status_and_versions(page: html.HtmlElement) -> None:
    data = json.loads(page.xpath("//script[@type='application/ld+json']")[0].text)
    assert data["creativeWorkStatus"] == "Retracted"
    assert [c["@type"] for c in data["correction"]] == ["CorrectionComment"] * 2
    assert data["correction"][0] == {
        "@type": "CorrectionComment",
        "name": "Correction to: On the Reliability",
        "text": "Correction",
        "datePublished": "2026-04-02",
        "url": "../corr/corr.html",
        "identifier": "https://doi.org/10.5555/corr",
    }
    assert data["version"] == 2 and data["dateModified"] == "2026-05-01"
    assert data["isBasedOn"][0]["version"] == 1
    assert data["isBasedOn"][0]["url"] == "v1/article.html"
    assert data["headline"] == "On the Reliability of Small Samples"  # not the status


def test_notice_names_what_it_updates(build: Path) -> None:
    page = html.fromstring((build / "corr" / "corr.html").read_bytes())
    (box,) = page.xpath("//aside[@class='notice-of']")
    assert box.get("role") == "note"
    assert _text(page.get_element_by_id(box.get("aria-labelledby"))) == "Correction notice"
    assert "This notice corrects:" in _text(box)
    hrefs = [a.get("href") for a in box.findall(".//a")]
    assert hrefs == ["../article/article.html", "https://doi.org/10.9999/elsewhere"]
    data = json.loads(page.xpath("//script[@type='application/ld+json']")[0].text)
    assert data["genre"] == "Correction"
    assert data["about"][0]["url"] == "../article/article.html"
    assert not page.xpath("//aside[@class='notices']")  # nothing updates the notice


# The EPUB.


def test_epub_notice_box_links_to_dois_or_names_the_notice(build: Path) -> None:
    (doc,) = epub_documents(build / "article" / "article.epub")
    (box,) = doc.xpath("//x:aside[@role='note']", namespaces=XHTML)
    text = _text(box)
    assert text.startswith("This article was retracted")
    assert "Correction, April 2, 2026" in text and "Retraction, June 10, 2026" in text
    # No link into the build folder (the book is read apart from it): the correction by
    # its DOI, the retraction (no DOI, no base URL) named only.
    assert [a.get("href") for a in box.iterfind(".//x:a", XHTML)] == [
        "https://doi.org/10.5555/corr"
    ]
    assert _text(box.find(".//x:cite", XHTML)).startswith("Retraction of:")
    title = doc.find(".//x:title", XHTML).text
    assert title == "Retracted: On the Reliability of Small Samples"
    versions = doc.xpath("//x:section[@class='versions']//x:li", namespaces=XHTML)
    assert [_text(v) for v in versions][0] == "Version 1, March 1, 2026: First version"
    with zipfile.ZipFile(build / "article" / "article.epub") as book:
        opf = book.read("EPUB/content.opf").decode()
        nav = etree.fromstring(book.read("EPUB/nav.xhtml"))
    assert "<dc:title>Retracted: On the Reliability of Small Samples</dc:title>" in opf
    first = nav.xpath("//x:nav[@epub:type='toc']//x:a", namespaces=XHTML)[0]
    assert first.text == "Retracted: On the Reliability of Small Samples"


def test_epub_and_pdf_link_to_the_archive_with_a_base_url(tmp_path: Path) -> None:
    source = copy_manuscript(ARTICLE, tmp_path / "a", "article.md")
    updated = replace(read(source), updates=retracted())
    paths = render(updated, tmp_path / "out", Options(base_url=BASE))
    (doc,) = epub_documents(paths["epub"])
    hrefs = [a.get("href") for a in doc.iterfind(".//x:a", XHTML)]
    assert f"{BASE}retr/retr.html" in hrefs
    assert f"{BASE}article/v1/article.html" in hrefs
    assert "https://doi.org/10.5555/corr" in hrefs
    with pikepdf.open(paths["pdf"]) as pdf:
        uris = {str(a.A.URI) for p in pdf.pages for a in p.get("/Annots", []) if "/A" in a}
    assert {f"{BASE}retr/retr.html", "https://doi.org/10.5555/corr"} <= uris


# The PDF.


def test_pdf_notice_box_and_retracted_on_every_page(build: Path) -> None:
    pdf = build / "article" / "article.pdf"
    first = " ".join(pdftotext(pdf, 1, 1).split())
    assert "This article was retracted" in first
    assert "Correction, April 2, 2026: Correction to: On the Reliability" in first
    assert "Retracted: On the Reliability of Small Samples" in first
    with pikepdf.open(pdf) as document:
        count = len(document.pages)
        uris = {str(a.A.URI) for p in document.pages for a in p.get("/Annots", []) if "/A" in a}
    assert count >= 3
    for n in range(1, count + 1):
        assert "RETRACTED" in pdftotext(pdf, n, n), f"page {n} is not marked"
    assert "https://doi.org/10.5555/corr" in uris
    assert not any("corr.html" in u or "file:" in u for u in uris)  # no path into the build


def test_pdf_mark_is_an_artifact_and_hides_no_text(build: Path) -> None:
    pdf = build / "article" / "article.pdf"
    runs = text_runs(pdf)
    marks = [r for r in runs if r.text.strip() == "RETRACTED"]
    assert {r.page for r in marks} == {r.page for r in runs}
    assert {r.status for r in marks} == {"artifact"}
    # Every word of the text is still there, in order, and the mark sits beside it.
    got = words(pdftotext(pdf, raw=True))
    ok, reached = is_subsequence(words(" ".join(PARAGRAPHS)), got)
    assert ok, f"text lost near word {reached}"
    text_left = min(r.x for r in runs if r.status == "content")
    assert all(r.x + 80 < text_left for r in marks)


def test_expression_of_concern_is_marked_quietly(tmp_path: Path) -> None:
    source = copy_manuscript(ARTICLE, tmp_path / "a", "article.md")
    updated = replace(read(source), updates=retracted("expression-of-concern"))
    paths = render(updated, tmp_path / "out")
    page = html.fromstring(paths["html"].read_bytes())
    assert page.findtext(".//title") == "On the Reliability of Small Samples"
    box = page.xpath("//aside[@role='note']")[0]
    assert "notices-concern" in box.get("class")
    assert "An expression of concern about this article was published" in _text(box)
    with pikepdf.open(paths["pdf"]) as pdf:
        count = len(pdf.pages)
    for n in range(1, count + 1):
        text = pdftotext(paths["pdf"], n, n)
        assert "Expression of concern" in text and "RETRACTED" not in text


def test_withdrawn_says_withdrawn(tmp_path: Path) -> None:
    source = copy_manuscript(ARTICLE, tmp_path / "a", "article.md")
    updated = replace(read(source), updates=retracted("withdrawal"))
    paths = render(updated, tmp_path / "out")
    assert b"<title>Withdrawn: On the Reliability" in paths["html"].read_bytes()
    assert "WITHDRAWN" in pdftotext(paths["pdf"], 2, 2)


def test_an_article_with_no_updates_shows_none_of_it(build: Path) -> None:
    page = (build / "article" / "v1" / "article.html").read_text(encoding="utf-8")
    for absent in ("notices", "version-line", 'rel="related"', "creativeWorkStatus"):
        assert absent not in page
    assert "RETRACTED" not in pdftotext(build / "article" / "v1" / "article.pdf")


def test_publish_check_is_clean_on_the_retracted_article(build: Path) -> None:
    """Nu, axe, EPUBCheck, Ace, the PDF structure checks, qpdf, veraPDF and the lint."""
    editions = [build / "article" / f"article{s}" for s in (".html", ".epub", ".pdf")]
    editions += [build / "corr" / "corr.html"]
    failed = [
        f"{r.edition.name} {r.check}: {[f.message for f in r.findings]}"
        for r in run_checks(editions)
        if not r.passed
    ]
    assert failed == []


def test_lint_reports_a_link_to_a_missing_page(build: Path, tmp_path: Path) -> None:
    folder = tmp_path / "article"
    shutil.copytree(build / "article", folder, ignore=shutil.ignore_patterns("v1"))
    (result,) = lint.check([folder / "article.html"])
    messages = [f.message for f in result.findings]
    assert "link to v1/article.html: no such file beside the page" in messages
    assert "link to ../retr/retr.html: no such file beside the page" in messages


def test_the_box_speaks_the_text_s_language(tmp_path: Path) -> None:
    text = ARTICLE.replace("date: 2026-03-01", "date: 2026-03-01\nlang: fr")
    doc = read(copy_manuscript(text, tmp_path / "a", "article.md"))
    page = EDITIONS["html"](replace(doc, updates=retracted()), Options()).decode()
    box = html.fromstring(page).xpath("//aside[@role='note']")[0]
    assert _text(box).startswith("Cet article a été rétracté")
    assert "Rétractation, 10 juin 2026" in _text(box)
    assert "<title>Rétracté\u00a0: On the Reliability" in page
