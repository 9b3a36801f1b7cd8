"""Issue 23 end to end, as a journal runs it: a publication (tests/manuscripts/updates)
with an issue of two articles, a correction of one, a retraction of the other (named by
its DOI) and a versioned article, built with one command; then what a reader and a
machine get: the notice in each edition, "Retracted" on every page, the deposits and
JATS valid, the archive's pages showing each status, and version 1 kept byte for byte
after version 2 is built, and again after ``--force``."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, run_publish
from lxml import etree

PUBLICATION = ROOT / "tests" / "manuscripts" / "updates"
BASE = "https://journal.example.org/"
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
CROSSREF = "http://www.crossref.org/schema/5.3.1"


def build(folder: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return run_publish("build", "--base-url", BASE, *extra, cwd=folder, env=ENV)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("journal") / "journal"
    shutil.copytree(PUBLICATION, folder)
    result = build(folder)
    assert result.returncode == 0, result.stderr
    return folder / "build"


def pdf_pages(pdf: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [page for page in text.split("\f") if page.strip()]


def epub_text(epub: Path) -> str:
    with zipfile.ZipFile(epub) as z:
        return "\n".join(
            z.read(n).decode("utf-8") for n in z.namelist() if n.endswith((".xhtml", ".opf"))
        )


def visible(html_text: str) -> str:
    tree = etree.HTML(html_text)
    for bad in tree.xpath("//script|//style"):
        bad.getparent().remove(bad)
    return " ".join("".join(tree.itertext()).split())


def test_the_corrected_article_carries_its_notice_in_every_edition(built: Path) -> None:
    folder = built / "marginalia"
    page = (folder / "marginalia.html").read_text(encoding="utf-8")
    text = visible(page)
    assert "Correction" in text and "May 2, 2025" in text
    tree = etree.HTML(page)
    links = tree.xpath("//a/@href")
    assert any("marginalia-correction" in href for href in links), links
    assert "Correction" in pdf_pages(folder / "marginalia.pdf")[0]
    assert "Correction" in epub_text(folder / "marginalia.epub")
    # The notice itself says what it corrects, with a link back.
    notice = (built / "marginalia-correction" / "marginalia-correction.html").read_text("utf-8")
    assert any("marginalia" in h for h in etree.HTML(notice).xpath("//a/@href"))


def test_the_retracted_article_is_marked_on_every_page_and_in_its_titles(built: Path) -> None:
    folder = built / "ink-recipes"
    pages = pdf_pages(folder / "ink-recipes.pdf")
    assert pages and all("Retracted" in p or "RETRACTED" in p for p in pages)
    # The text is still there to read.
    assert "lampblack" in " ".join(pages)
    page = etree.HTML((folder / "ink-recipes.html").read_bytes())
    assert "Retracted" in page.findtext(".//title")
    assert "Retracted" in "".join(page.xpath("//h1")[0].itertext())
    assert "Retracted" in epub_text(folder / "ink-recipes.epub")


def test_the_retracted_article_still_passes_check(built: Path) -> None:
    from publish.check import check_paths

    assert check_paths([built / "ink-recipes"], None) == 0


def test_the_notices_deposits_and_jats_say_what_they_update(built: Path) -> None:
    from publish.check.xsd import errors

    for slug, kind, doi, date in (
        ("marginalia-correction", "correction", "10.5555/jpc.2025.0007", "2025-05-02"),
        ("ink-recipes-retraction", "retraction", "10.5555/jpc.2025.0008", "2025-06-10"),
    ):
        data = (built / slug / f"{slug}.crossref.xml").read_bytes()
        assert errors("crossref", data) == []
        deposit = etree.fromstring(data)
        updates = deposit.findall(f".//{{{CROSSREF}}}crossmark/{{{CROSSREF}}}updates/*")
        assert [(u.get("type"), u.get("date"), u.text) for u in updates] == [(kind, date, doi)]
        data = (built / slug / f"{slug}.xml").read_bytes()
        assert errors("jats", data) == []
        jats = etree.fromstring(data)
        related = jats.findall(".//related-article")
        assert related and all(doi in r.get("{http://www.w3.org/1999/xlink}href") for r in related)


def test_the_archive_shows_each_status(built: Path) -> None:
    # The home page counts each issue's statuses, and shows a loose notice as a notice.
    index = visible((built / "index.html").read_text(encoding="utf-8"))
    assert "1 corrected, 1 retracted" in index and "Correction notice" in index
    contents = visible((built / "jpc-7-3" / "index.html").read_text(encoding="utf-8"))
    assert "Retracted" in contents and "Corrected" in contents
    feed = (built / "feed.xml").read_text(encoding="utf-8")
    assert "Retracted" in feed or "retracted" in feed


def test_a_new_notice_rebuilds_the_article_it_updates(built: Path, tmp_path: Path) -> None:
    folder = tmp_path / "journal"
    shutil.copytree(built.parent, folder)
    (folder / "source" / "paper-stocks-concern.md").write_text(
        "---\ntitle: 'Expression of concern: Paper Stocks'\nnotice: expression-of-concern\n"
        "updates: paper-stocks\ndate: 2025-07-01\n---\n\nThe editors have concerns.\n",
        encoding="utf-8",
    )
    result = build(folder)
    assert result.returncode == 0, result.stderr
    assert "paper-stocks/paper-stocks.html" in result.stdout
    assert "marginalia/marginalia.html" not in result.stdout
    page = visible((folder / "build" / "paper-stocks" / "paper-stocks.html").read_text("utf-8"))
    assert "Expression of concern" in page


def test_version_one_is_kept_byte_for_byte(built: Path, tmp_path: Path) -> None:
    folder = tmp_path / "journal"
    shutil.copytree(built.parent, folder)
    out = folder / "build" / "paper-stocks"
    first = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and p.suffix != ".json"}
    source = folder / "source" / "paper-stocks.md"
    text = source.read_text(encoding="utf-8")
    text = text.replace(
        "version: 1\n",
        "version: 2\nversion-date: 2025-08-01\nversion-note: The chain lines re-measured.\n",
    )
    source.write_text(text.replace("identifies the mould.", "identifies the mould, twice."))
    result = build(folder)
    assert result.returncode == 0, result.stderr
    kept = out / "v1"
    for name, data in first.items():
        if not name.startswith("."):
            assert (kept / name).read_bytes() == data, name
    page = (out / "paper-stocks.html").read_text(encoding="utf-8")
    assert "v1/paper-stocks.html" in page and "The chain lines re-measured." in page
    assert "Version 1" in " ".join(pdf_pages(out / "paper-stocks.pdf"))
    # Not even --force changes what was kept.
    before = {p.name: p.read_bytes() for p in kept.iterdir()}
    assert build(folder, "--force").returncode == 0
    assert {p.name: p.read_bytes() for p in kept.iterdir()} == before
    # A version that goes down is an error at its line; nothing changes.
    current = (out / "paper-stocks.pdf").read_bytes()
    source.write_text(source.read_text(encoding="utf-8").replace("version: 2", "version: 1"))
    result = build(folder)
    assert result.returncode == 1
    assert "paper-stocks.md:" in result.stderr and "version" in result.stderr
    assert (out / "paper-stocks.pdf").read_bytes() == current


def test_a_notice_of_nothing_is_a_located_error(built: Path, tmp_path: Path) -> None:
    folder = tmp_path / "journal"
    shutil.copytree(built.parent, folder)
    (folder / "source" / "stray.md").write_text(
        "---\ntitle: 'Correction'\nnotice: correction\nupdates: no-such-article\n"
        "date: 2025-07-01\n---\n\nText.\n",
        encoding="utf-8",
    )
    result = build(folder)
    assert result.returncode == 1
    assert "stray.md:4:" in result.stderr, result.stderr
    assert not (folder / "build" / "stray").exists() or not any(
        (folder / "build" / "stray").glob("stray.*")
    )


def test_the_archive_pages_are_valid_json_ld(built: Path) -> None:
    page = etree.HTML((built / "marginalia" / "marginalia.html").read_bytes())
    (script,) = page.xpath("//script[@type='application/ld+json']/text()")
    data = json.loads(script)
    assert "correction" in json.dumps(data)


def test_a_kept_version_of_an_updated_article_still_passes_check(
    built: Path, tmp_path: Path
) -> None:
    """The corrected article's version 1 links to its correction as it was written, from
    build/marginalia/; kept in v1/, byte for byte, it is checked from there."""
    from publish.check import check_paths

    folder = tmp_path / "journal"
    shutil.copytree(built.parent, folder)
    source = folder / "source" / "jpc-7-3" / "marginalia.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("date: 2025-03-14\n", "date: 2025-03-14\nversion: 2\n"))
    assert build(folder).returncode == 0
    kept = folder / "build" / "marginalia" / "v1" / "marginalia.html"
    assert kept.read_bytes() == (built / "marginalia" / "marginalia.html").read_bytes()
    assert "../marginalia-correction/marginalia-correction.html" in kept.read_text("utf-8")
    assert check_paths([folder / "build" / "marginalia"]) == 0


def test_a_notice_that_fails_to_build_marks_nothing(built: Path, tmp_path: Path) -> None:
    """A retraction whose own build fails (its deposit needs a date) was never published:
    the article it names must not say "Retracted" nor link to a page that is not there.
    Once the notice builds, the article carries it."""
    folder = tmp_path / "journal"
    shutil.copytree(built.parent, folder)
    shutil.rmtree(folder / "build" / "ink-recipes-retraction")
    notice = folder / "source" / "ink-recipes-retraction.md"
    text = notice.read_text(encoding="utf-8")
    notice.write_text(text.replace("date: 2025-06-10\n", ""), encoding="utf-8")
    result = build(folder)
    assert result.returncode == 1
    assert "ink-recipes-retraction.md" in result.stderr and "date" in result.stderr
    article = folder / "build" / "ink-recipes"
    page = (article / "ink-recipes.html").read_text(encoding="utf-8")
    assert "Retracted" not in page and "ink-recipes-retraction.html" not in page
    assert not any("RETRACTED" in p for p in pdf_pages(article / "ink-recipes.pdf"))
    notice.write_text(text, encoding="utf-8")
    assert build(folder).returncode == 0
    page = (article / "ink-recipes.html").read_text(encoding="utf-8")
    assert "Retracted" in page and "ink-recipes-retraction.html" in page
