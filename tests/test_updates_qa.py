"""Issue 23 as a production team would try it: what broke when notices were written the
ways people write them (a notice that fails, an article named twice, a quoted version
number). Real builds in tmp_path, HTML only, in process."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import ROOT, run_publish
from updates_kit import OPTIONS, article, run_build, write


@pytest.fixture
def archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "first.md", article("The first article", doi="10.5555/first"))
    write(
        tmp_path,
        "fix.md",
        article("Correction", "2024-03-01", notice="correction", updates="first"),
    )
    return tmp_path


def test_a_notice_with_an_error_in_updates_leaves_the_good_article_untouched(
    archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_build(capsys, "source").status == 0
    page = archive / "build" / "first" / "first.html"
    before = page.read_bytes()
    # One good target and one typo: the notice fails, so nothing may link to it.
    write(
        archive,
        "bad.md",
        article("Bad notice", "2024-04-01", notice="correction", updates=["first", "frist"]),
    )
    built = run_build(capsys, "source")
    assert built.status == 1
    assert "source/bad.md:7: error: 'updates: frist' names no article" in built.err
    assert not (archive / "build" / "bad").exists()
    assert page.read_bytes() == before
    assert "../bad/bad.html" not in page.read_text(encoding="utf-8")


def test_an_article_named_by_slug_and_by_doi_is_updated_once(
    archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        archive,
        "fix.md",
        article(
            "Correction",
            "2024-03-01",
            notice="correction",
            updates=["first", "10.5555/FIRST", "doi:10.9999/x", "https://doi.org/10.9999/X"],
        ),
    )
    built = run_build(capsys, "source")
    assert built.status == 0, built.err
    article_page = (archive / "build" / "first" / "first.html").read_text(encoding="utf-8")
    assert article_page.count('href="../fix/fix.html"') == 2  # the box and one <link>
    notice_page = (archive / "build" / "fix" / "fix.html").read_text(encoding="utf-8")
    assert notice_page.count('<li><a href="../first/first.html">') == 1
    assert notice_page.lower().count('<li><a href="https://doi.org/10.9999/x">') == 1


def test_a_quoted_version_number_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "paper.md", article("Paper", version='"3"'))
    built = run_build(capsys, "source")
    assert built.status == 1
    assert "source/paper.md:4: error: 'version: \"3\"' is not a version number" in built.err
    assert "without quotes" in built.err


def test_the_build_warns_of_what_a_notice_deposit_leaves_out(tmp_path: Path) -> None:
    # The warnings depend on the notice's targets, which the build's relations give.
    shutil.copy(ROOT / "tests" / "manuscripts" / "updates" / "publish.yaml", tmp_path)
    write(tmp_path, "first.md", article("The first article", doi="10.5555/first"))
    write(tmp_path, "nodoi.md", article("An article without a DOI"))
    write(
        tmp_path,
        "fix.md",
        article(
            "Correction",
            "2024-03",
            doi="10.5555/fix",
            notice="correction",
            updates=["first", "nodoi"],
        ),
    )
    result = run_publish(
        "build", "--base-url", "https://j.example.org/", "--format", "html,crossref", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "source/fix.md:5: warning: the correction's Crossmark record leaves out 'nodoi'" in (
        result.stderr
    )
    assert "source/fix.md:5: warning: the correction's date '2024-03' has no day" in result.stderr


def test_english_words_in_a_page_of_a_language_without_them_are_marked_english(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Persian has no words for notices yet: the English ones say so, and read left to right.
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "maqale.md", article("مقاله", lang="fa", version=2, version_date="2024-05-01"))
    write(
        tmp_path,
        "pasgiri.md",
        article("بازپس‌گیری", "2024-06-01", lang="fa", notice="retraction", updates="maqale"),
    )
    write(tmp_path, "english.md", article("English", notice="correction", updates="maqale"))
    assert run_build(capsys, "source").status == 0
    page = (tmp_path / "build" / "maqale" / "maqale.html").read_text(encoding="utf-8")
    marked = ' lang="en" dir="ltr">'
    assert f'<span class="title-status"{marked}Retracted:</span>' in page
    assert f'id="notices-heading"{marked}This article was retracted</h2>' in page
    assert f'<span class="notice-kind"{marked}Retraction</span>' in page
    assert f"<span{marked}Version 2</span>" in page
    notice = (tmp_path / "build" / "pasgiri" / "pasgiri.html").read_text(encoding="utf-8")
    assert f"<p{marked}This notice retracts:</p>" in notice
    # An English page's words are its own: nothing added.
    english = (tmp_path / "build" / "english" / "english.html").read_text(encoding="utf-8")
    assert "<p>This notice corrects:</p>" in english and 'lang="en" dir' not in english


def test_a_version_note_of_one_long_word_stays_on_the_pdf_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import pdfplumber

    monkeypatch.chdir(tmp_path)
    options = replace(OPTIONS, formats=("pdf",))
    write(tmp_path, "paper.md", article("Paper", version=1))
    assert run_build(capsys, "source", options=options).status == 0
    note = "Supercalifragilistic" * 15  # 300 characters, the most a note may have
    write(
        tmp_path,
        "paper.md",
        article("Paper", version=2, version_date="2024-05-01", version_note=note),
    )
    assert run_build(capsys, "source", options=options).status == 0
    with pdfplumber.open(tmp_path / "build" / "paper" / "paper.pdf") as pdf:
        for page in pdf.pages:
            assert all(c["x1"] <= page.width for c in page.chars), "text runs off the page"


def test_the_feed_says_page_of_an_article_on_one_page(tmp_path: Path) -> None:
    folder = tmp_path / "journal"
    shutil.copytree(ROOT / "tests" / "manuscripts" / "updates", folder)
    # The retracted article of the issue, with no abstract, is summed up by its pages.
    result = run_publish(
        "build", "--base-url", "https://j.example.org/", "--format", "html,pdf", cwd=folder
    )
    assert result.returncode == 0, result.stderr
    feed = (folder / "build" / "feed.xml").read_text(encoding="utf-8")
    assert "<summary>Journal of Print Culture, Volume 7, Issue 3, March 2025, page 4</summary>" in (
        feed
    )


def test_a_new_version_dated_as_the_one_before_is_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # 'version:' raised, 'version-date:' left as it was: the list would date both alike.
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "paper.md", article("Paper", version=2, version_date="2024-05-01"))
    assert run_build(capsys, "source").status == 0
    write(tmp_path, "paper.md", article("Paper", version=3, version_date="2024-05-01"))
    built = run_build(capsys, "source")
    assert built.status == 0
    assert (
        "source/paper.md:4: warning: version 3 is dated 2024-05-01, the same day as version 2"
        in built.err
    )
    assert (tmp_path / "build" / "paper" / "v2" / "paper.html").is_file()
    # Without 'version-date' the reading of the manuscript says so, once.
    write(tmp_path, "paper.md", article("Paper", version=4))
    built = run_build(capsys, "source")
    assert built.err.count("warning") == 1 and "has no 'version-date'" in built.err


def test_a_notice_dated_by_its_issue_month_is_told_of_its_crossmark_date(tmp_path: Path) -> None:
    shutil.copy(ROOT / "tests" / "manuscripts" / "updates" / "publish.yaml", tmp_path)
    write(tmp_path, "first.md", article("The first article", doi="10.5555/first"))
    (tmp_path / "source" / "no-1").mkdir()
    (tmp_path / "source" / "no-1" / "issue.yaml").write_text(
        "publication: Journal of Print Culture\nvolume: 1\nissue: 1\ndate: 2025-03\n"
        "articles: [fix.md]\n",
        encoding="utf-8",
    )
    (tmp_path / "source" / "no-1" / "fix.md").write_text(
        "---\ntitle: Correction\ndoi: 10.5555/fix\nnotice: correction\nupdates: first\n---\n\n"
        "The figure is 2,100.\n",
        encoding="utf-8",
    )
    result = run_publish(
        "build", "--base-url", "https://j.example.org/", "--format", "html,crossref", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert (
        "source/no-1/fix.md:4: warning: the correction's date '2025-03' has no day" in result.stderr
    )
    deposit = (tmp_path / "build" / "no-1" / "no-1.crossref.xml").read_text(encoding="utf-8")
    assert 'date="2025-03-01">10.5555/first</update>' in deposit


def test_an_old_dx_doi_address_names_the_article(
    archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Older notices and reference managers still write http://dx.doi.org/.
    write(
        archive,
        "fix.md",
        article(
            "Correction",
            "2024-03-01",
            notice="correction",
            updates="http://dx.doi.org/10.5555/first",
        ),
    )
    built = run_build(capsys, "source")
    assert built.status == 0, built.err
    page = (archive / "build" / "first" / "first.html").read_text(encoding="utf-8")
    assert 'href="../fix/fix.html"' in page
