"""Real manuscripts nobody on this project wrote: every Programming Historian lesson in the
shared corpus, and pandoc's test suite with a front matter added, build into three editions
whose EPUB passes EPUBCheck, keeping every note the text calls; what the toolchain cannot
interpret is named in a warning."""

from __future__ import annotations

import html
import json
import re
import shutil
import time
import zipfile
from pathlib import Path

import pypandoc
import pytest
from manuscripts_kit import CORPUS, publish
from notes_kit import misplaced

LESSONS = CORPUS / "programming-historian"
TESTSUITE = CORPUS / "pandoc" / "testsuite.txt"
TESTSUITE_FRONT = """---
title: Pandoc Test Suite
author: [John MacFarlane, Anonymous]
date: 2006-07-17
---

"""
SLUGS = sorted(p.stem for p in LESSONS.glob("*.md")) + ["testsuite"]
TAG_RE = re.compile(r"<[^>]+>")

pytestmark = pytest.mark.skipif(not LESSONS.is_dir(), reason="shared/corpus is not beside")


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, float]:
    """The whole corpus copied into a scratch folder and built once, all three editions;
    returns the folder, stderr and the seconds the build took."""
    from PIL import Image

    folder = tmp_path_factory.mktemp("corpus")
    shutil.copytree(LESSONS, folder, dirs_exist_ok=True)
    (folder / "testsuite.md").write_text(
        TESTSUITE_FRONT + TESTSUITE.read_text(encoding="utf-8"), encoding="utf-8"
    )
    # The images the test suite shows, which pandoc's repository keeps beside it.
    for name in ("lalune.jpg", "movie.jpg"):
        Image.new("RGB", (8, 8), "gray").save(folder / name)
    started = time.perf_counter()
    result = publish("build", *(f"{slug}.md" for slug in SLUGS), cwd=folder)
    seconds = time.perf_counter() - started
    assert result.returncode == 0, result.stderr
    return folder, result.stderr, seconds


def test_builds_without_errors(corpus: tuple[Path, str, float]) -> None:
    _, stderr, seconds = corpus
    assert "Traceback" not in stderr
    assert ": error: " not in stderr
    warnings = [line for line in stderr.splitlines() if ": warning: " in line]
    print(f"corpus: {len(SLUGS)} manuscripts, {len(warnings)} warnings, {seconds:.1f} s")


@pytest.mark.parametrize("slug", SLUGS)
def test_three_editions(corpus: tuple[Path, str, float], slug: str) -> None:
    out = corpus[0] / "build" / slug
    assert (out / f"{slug}.pdf").read_bytes().startswith(b"%PDF-")
    assert zipfile.is_zipfile(out / f"{slug}.epub")
    assert (out / f"{slug}.html").read_text().startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("slug", SLUGS)
def test_pdf_notes_on_the_page_of_their_call(corpus: tuple[Path, str, float], slug: str) -> None:
    wrong, total = misplaced(corpus[0] / "build" / slug / f"{slug}.pdf")
    assert wrong == [], f"{len(wrong)} of {total} notes off their call's page"


@pytest.fixture(scope="session")
def epubcheck(corpus: tuple[Path, str, float]) -> dict[str, list[str]]:
    """EPUBCheck's errors for every EPUB of the corpus, all checked in one JVM."""
    from publish.check.epub import epubcheck

    epubs = [corpus[0] / "build" / slug / f"{slug}.epub" for slug in SLUGS]
    results = epubcheck(epubs)
    return {
        slug: [f"{f.message} ({f.where})" for f in result.findings if f.severity == "error"]
        for slug, result in zip(SLUGS, results, strict=True)
    }


@pytest.mark.parametrize("slug", SLUGS)
def test_epub_passes_epubcheck(epubcheck: dict[str, list[str]], slug: str) -> None:
    assert epubcheck[slug] == []


def pandoc_notes(source: Path) -> list[str]:
    """The plain text of each note that pandoc, read on its own, finds called in the text."""
    ast = json.loads(pypandoc.convert_file(str(source), "json", format="markdown+smart"))
    notes: list[str] = []

    def text(node: object) -> str:
        if isinstance(node, list):
            return "".join(text(n) for n in node)
        if not isinstance(node, dict):
            return ""
        kind, content = node.get("t"), node.get("c")
        if kind == "Str":
            return content  # type: ignore[return-value]
        if kind in ("Space", "SoftBreak", "LineBreak"):
            return " "
        if kind in ("Code", "Math"):
            return content[1]  # type: ignore[index]
        if kind in ("RawInline", "RawBlock"):
            return ""
        return " " + text(content) + " "

    def walk(node: object) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            if node.get("t") == "Note":
                notes.append(" ".join(text(node["c"]).split()))
            else:
                walk(node.get("c"))

    walk(ast["blocks"])
    return notes


def letters(text: str) -> str:
    return re.sub(r"\W+", "", text)


def plain(markup: str) -> str:
    return " ".join(html.unescape(TAG_RE.sub(" ", markup)).split())


@pytest.mark.parametrize("slug", SLUGS)
def test_every_called_note_is_kept(corpus: tuple[Path, str, float], slug: str) -> None:
    folder = corpus[0]
    expected = pandoc_notes(folder / f"{slug}.md")
    out = folder / "build" / slug
    with zipfile.ZipFile(out / f"{slug}.epub") as epub:
        article = epub.read("EPUB/article.xhtml").decode()
    page = (out / f"{slug}.html").read_text()
    assert article.count('epub:type="footnote"') == len(expected)
    assert article.count('epub:type="noteref"') == len(expected)
    assert len(re.findall(r'<li id="fn\d+"', page)) == len(expected)
    for n in range(1, len(expected) + 1):
        assert f'href="#fn{n}"' in article and f'id="fnref{n}"' in article
        assert f'href="#fnref{n}"' in page
    # Letters and digits only: quotes, spaces and punctuation differ between pandoc's
    # tree and the editions' markup.
    notes_text = letters(plain(article.split('epub:type="endnotes"', 1)[-1]))
    for note in expected:
        assert letters(note)[:40] in notes_text, note


@pytest.mark.parametrize("slug", sorted(p.stem for p in LESSONS.glob("*.md")))
def test_warnings_name_what_could_not_be_interpreted(
    corpus: tuple[Path, str, float], slug: str
) -> None:
    lines = [line for line in corpus[1].splitlines() if line.startswith(f"{slug}.md:")]
    assert any(
        ": warning: Jekyll include '{% include toc.html %}' is left out" in line for line in lines
    )
    assert not any("template tag '{% include figure.html" in line for line in lines)


def test_lesson_figures_show_where_their_pictures_are(corpus: tuple[Path, str, float]) -> None:
    """figure.html's pictures are under images/<lesson>/ (as on the site): the one lesson
    whose pictures the corpus keeps shows them as figures; the others say, at each
    include's line, that the picture is missing."""
    slug = "sustainable-authorship-in-plain-text-using-pandoc-and-markdown"
    page = (corpus[0] / "build" / slug / f"{slug}.html").read_text()
    assert "<figcaption" in page and "Screen shot of PDF rendered by Pandoc</figcaption>" in page
    assert page.count("<img") == 1  # lexoriter.jpg has neither caption nor alt: left out
    lines = [line for line in corpus[1].splitlines() if line.startswith("fetch-and-parse")]
    assert any(
        line.startswith(
            "fetch-and-parse-data-with-openrefine.md:51: warning: include "
            "'figure.html' shows 'openrefine.png'"
        )
        for line in lines
    ), lines


def test_testsuite_warnings_name_raw_tex_and_math(corpus: tuple[Path, str, float]) -> None:
    lines = [line for line in corpus[1].splitlines() if line.startswith("testsuite.md:")]
    assert any("'\\cite[22-23]{smith.1899}' is left out" in x for x in lines)
    # pandoc's MathML writer sets this one (issue 11): no "could not be converted".
    assert not any("warning: TeX math '\\frac{d}{dx}" in x for x in lines)
    assert any("warning: <script> element removed" in x for x in lines)


def test_publish_check_passes_on_every_lesson(corpus: tuple[Path, str, float]) -> None:
    """What builds, validates: every edition of every lesson passes EPUBCheck, Ace, Nu,
    axe and the PDF checks (about two minutes: one JVM, one browser for them all)."""
    import io

    from publish.check import check_paths

    lessons = sorted(p.stem for p in LESSONS.glob("*.md"))
    report = io.StringIO()
    status = check_paths([corpus[0] / "build" / slug for slug in lessons], None, report)
    assert status == 0, report.getvalue()
