"""`publish check` at manuscript lines (issue 25): each finding that comes from the text
names the manuscript's line, found by the words of the place the validator names.

The editions of a small manuscript are broken on purpose at known paragraphs: a lone
combining mark in a formula (Nu), a colour too faint to read (axe, Ace), an attribute
EPUB does not allow (EPUBCheck); every validator runs for real."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import run_publish

from publish.check.lines import Words, manuscript_for, text_at

ARTICLE = """\
---
title: Rivers and mountains
author: Ann Writer
---

The first paragraph is about the sea and its long tides.

## A section on rivers

The second paragraph speaks of rivers that run to the sea,
wrapped over two lines of the manuscript.

- A list item about valleys and their farms.

The last paragraph names mountains and passes.[^1]

[^1]: A note about snowy peaks in winter.
"""
FAINT = '<span style="color:#f6f6f6">'


def _break(folder: Path) -> None:
    page = folder / "article.html"
    text = page.read_text(encoding="utf-8")
    text = text.replace("about valleys and their", f"about {FAINT}valleys and their</span>")
    text = text.replace("of rivers that", "of rivers <math><mo>\u0302</mo></math> that")
    page.write_text(text, encoding="utf-8")
    epub = folder / "article.epub"
    broken = folder / "broken.epub"
    with zipfile.ZipFile(epub) as old, zipfile.ZipFile(broken, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename.endswith("article.xhtml"):
                data = data.replace(b"<p>A note about snowy", b'<p foo="x">A note about snowy')
                data = data.replace(
                    b"<p>The second paragraph speaks",
                    f"<p>The second {FAINT}paragraph speaks</span>".encode(),
                )
            new.writestr(info, data)
    shutil.move(broken, epub)


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str, dict]:
    project = tmp_path_factory.mktemp("lines")
    (project / "source").mkdir()
    (project / "source" / "article.md").write_text(ARTICLE, encoding="utf-8")
    built = run_publish("build", "source/article.md", "--format", "html,epub", cwd=project)
    assert built.returncode == 0, built.stderr
    _break(project / "build" / "article")
    result = run_publish("check", "build", "--json", "report.json", cwd=project)
    return result.returncode, result.stdout, json.loads((project / "report.json").read_text())


def _sources(report: dict, check: str) -> list[str]:
    return [
        finding["source"]
        for edition in report["editions"]
        for each in edition["checks"]
        if each["check"] == check
        for finding in each["findings"]
    ]


@pytest.mark.parametrize(
    ("check", "line"), [("Nu", 10), ("axe", 13), ("EPUBCheck", 17), ("Ace", 10)]
)
def test_each_validator_names_the_manuscript_line(
    checked: tuple[int, str, dict], check: str, line: int
) -> None:
    code, table, report = checked
    assert code == 1, table
    assert _sources(report, check) == [f"source/article.md:{line}"], table
    assert f"- source/article.md:{line}: " in table
    assert "Traceback" not in table


def test_words_find_the_line_through_markdown_marks() -> None:
    words = Words("---\ntitle: T\n---\n\nSome *very* [important](https://x.org) words.\n\nOther.")
    assert words.line_of("Some very important words. 3") == 5
    assert words.line_of("Nothing of the manuscript here") is None
    assert text_at("<p>a</p>\n<li>Some <em>very</em></li>", 2) == "Some very"


def test_no_manuscript_no_line(tmp_path: Path) -> None:
    """An edition alone (sent by someone, its manuscript elsewhere) keeps its own places."""
    (tmp_path / "build" / "a").mkdir(parents=True)
    page = tmp_path / "build" / "a" / "a.html"
    page.write_text("<p>x</p>", encoding="utf-8")
    assert manuscript_for(page) is None
    (tmp_path / "a.md").write_text("x", encoding="utf-8")
    manuscript_for.cache_clear()
    assert manuscript_for(page) == tmp_path / "a.md"


def test_an_element_named_by_its_id_gives_its_words() -> None:
    from publish.check.lines import text_of_id

    page = '<p id="fn1">A note <a href="#gone">back</a></p><p>Other</p>'
    assert text_of_id(page, "fn1") == "A note back"
    assert text_of_id(page, "gone") == "A note back"  # the link to it, where it is met
    assert text_of_id(page, "nothing") == ""
