"""`publish check` on deliberately broken copies of real editions: each failure named.

The copies are broken on purpose: an EPUB without dc:language (and claiming
alternativeText with no image in it), an HTML page with an image lacking alt
text, a note without its back-link, a link to no target and Persian declared as
English, and a PDF stripped of its tags.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pikepdf
import pytest
from conftest import run_publish

PIXEL = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
    "+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def _without_language(source: Path, target: Path) -> None:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename.endswith(".opf"):
                data = re.sub(rb"\s*<dc:language>[^<]*</dc:language>", b"", data)
                data = data.replace(b' xml:lang="en"', b"")
                # And a claim the book cannot keep: it has no images.
                claim = b'<meta property="schema:accessibilityFeature">alternativeText</meta>'
                data = data.replace(b"</metadata>", claim + b"</metadata>", 1)
            new.writestr(info, data)


def _broken_page(source: Path, target: Path) -> None:
    page = source.read_text(encoding="utf-8")
    page = page.replace("<main>", f'<main><p><img src="{PIXEL}" width="1" height="1"></p>', 1)
    page = re.sub(
        r'(<li id="fn1">.*?)\s*<a href="#fnref1" role="doc-backlink"[^>]*>.*?</a>',
        r"\1",
        page,
        count=1,
        flags=re.S,
    )
    page = page.replace(
        "</main>",
        '<p><a href="#nowhere">A link to nothing.</a></p><p>کلیله و دمنه</p></main>',
        1,
    )
    target.write_text(page, encoding="utf-8")


def _untagged(source: Path, target: Path) -> None:
    with pikepdf.open(source) as pdf:
        del pdf.Root["/StructTreeRoot"]
        del pdf.Root["/MarkInfo"]
        pdf.save(target)


@pytest.fixture(scope="session")
def broken(sample_build: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str, dict]:
    """The broken editions checked once, through the command a user types."""
    folder = tmp_path_factory.mktemp("broken") / sample_build.name
    folder.mkdir()
    name = sample_build.name
    _without_language(sample_build / f"{name}.epub", folder / f"{name}.epub")
    _broken_page(sample_build / f"{name}.html", folder / f"{name}.html")
    _untagged(sample_build / f"{name}.pdf", folder / f"{name}.pdf")
    report = folder.parent / "report.json"
    result = run_publish("check", folder, "--json", report)
    return result.returncode, result.stdout, json.loads(report.read_text(encoding="utf-8"))


def _messages(report: dict, suffix: str, check: str) -> str:
    for edition in report["editions"]:
        if edition["path"].endswith(suffix):
            for each in edition["checks"]:
                if each["check"] == check:
                    assert not each["passed"], f"{check} passed on the broken {suffix}"
                    return "\n".join(f["message"] for f in each["findings"])
    raise AssertionError(f"{check} did not run on the {suffix}")


def test_exit_code_is_non_zero(broken: tuple[int, str, dict]) -> None:
    code, table, report = broken
    assert code == 1, table
    assert report["passed"] is False
    assert "FAIL" in table


def test_epub_without_language(broken: tuple[int, str, dict]) -> None:
    report = broken[2]
    assert "dc:language" in _messages(report, ".epub", "EPUBCheck")
    assert "epub-lang" in _messages(report, ".epub", "Ace")
    assert "no language declared" in _messages(report, ".epub", "lint")


def test_alternative_text_claimed_without_images(broken: tuple[int, str, dict]) -> None:
    lint = _messages(broken[2], ".epub", "lint")
    assert "accessibilityFeature alternativeText is claimed, but there are no images" in lint


def test_image_without_alt(broken: tuple[int, str, dict]) -> None:
    report = broken[2]
    assert "image-alt" in _messages(report, ".html", "axe")
    assert "alt" in _messages(report, ".html", "Nu")
    assert "image without alt text" in _messages(report, ".html", "lint")


def test_note_without_back_link_and_link_without_target(broken: tuple[int, str, dict]) -> None:
    lint = _messages(broken[2], ".html", "lint")
    assert "note #fn1 has no back-link to its call #fnref1" in lint
    assert "internal link to #nowhere has no target" in lint


def test_persian_without_its_language(broken: tuple[int, str, dict]) -> None:
    lint = _messages(broken[2], ".html", "lint")
    assert "3 Arabic-script words (“کلیله”…) declared as “en”" in lint


def test_untagged_pdf(broken: tuple[int, str, dict]) -> None:
    structure = _messages(broken[2], ".pdf", "PDF")
    assert "not tagged: /MarkInfo /Marked is not true" in structure
    assert "not tagged: no /StructTreeRoot" in structure


def test_table_shows_the_first_messages(broken: tuple[int, str, dict]) -> None:
    table = broken[1]
    assert "image-alt" in table
    assert "not tagged" in table
    assert "checks failed" in table


def test_no_editions_is_an_error(tmp_path: Path) -> None:
    result = run_publish("check", tmp_path)
    assert result.returncode == 1
    assert "no editions (.html, .pdf, .epub, .xml, .crossref.xml) found to check" in result.stdout
