"""A notice and the articles it updates, as a build finds them: located errors, the
updated articles' ``Document.updates``, and stamps that rebuild exactly what a notice
changes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from updates_kit import OPTIONS, article, read_in_build, run_build, write

from publish.pipeline.reading import read_manuscript
from publish.updates.model import KINDS, Link


@pytest.fixture
def archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Three articles, the first with a DOI, in the working folder."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "first.md", article("The first article", doi="10.5555/first"))
    write(tmp_path, "second.md", article("The *second* article", date="2024-02-01"))
    write(tmp_path, "third.md", article("The third article"))
    return tmp_path


def test_the_updated_article_carries_its_notices_oldest_first(archive: Path) -> None:
    write(
        archive, "fix.md", article("Correction", "2024-03-01", notice="correction", updates="first")
    )
    write(
        archive,
        "gone.md",
        article(
            "Retraction", "2024-06-01", notice="retraction", updates=["10.5555/first", "second"]
        ),
    )
    write(
        archive,
        "worry.md",
        article("Concern", "2024-04-01", notice="expression-of-concern", updates="first"),
    )
    first = read_in_build(Path("source/first.md")).updates
    assert [(n.kind.name, n.date, n.link.href) for n in first.notices] == [
        ("correction", "2024-03-01", "../fix/fix.html"),
        ("expression-of-concern", "2024-04-01", "../worry/worry.html"),
        ("retraction", "2024-06-01", "../gone/gone.html"),
    ]
    assert first.status is KINDS["retraction"] and first.mark == "retracted"
    assert first.notices[0].link.title_text == "Correction"
    gone = read_in_build(Path("source/gone.md")).updates
    assert gone.notice is KINDS["retraction"]
    assert gone.targets == (
        Link(
            "first",
            "The first article",
            "The first article",
            "10.5555/first",
            "2024-01-10",
            "../first/first.html",
        ),
        Link(
            "second",
            "The second article",
            "The second article",
            None,
            "2024-02-01",
            "../second/second.html",
        ),
    )
    assert read_in_build(Path("source/third.md")).updates.notices == ()


def test_a_notice_naming_no_article_fails_at_its_line_and_keeps_the_editions(
    archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        archive, "fix.md", article("Correction", "2024-03-01", notice="correction", updates="first")
    )
    assert run_build(capsys, "source").status == 0
    before = (archive / "build/fix/fix.html").read_bytes()
    write(
        archive,
        "fix.md",
        article("Correction", "2024-03-01", notice="correction", updates=["first", "frist"]),
    )
    built = run_build(capsys, "source")
    assert built.status == 1
    assert (
        "source/fix.md:7: error: 'updates: frist' names no article of this build: "
        "did you mean 'first'?" in built.err
    )
    assert (archive / "build/fix/fix.html").read_bytes() == before


def test_a_doi_outside_the_build_is_a_warning_and_a_link_to_the_doi(
    archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        archive,
        "fix.md",
        article(
            "Correction",
            "2024-03-01",
            notice="correction",
            updates="https://doi.org/10.1234/ELSEWHERE",
        ),
    )
    built = run_build(capsys, "source")
    assert built.status == 0
    assert (
        "source/fix.md:5: warning: 'updates: 10.1234/ELSEWHERE' is no article of this build"
        in built.err
    )
    (target,) = read_in_build(Path("source/fix.md")).updates.targets
    assert (target.slug, target.doi, target.url) == (
        None,
        "10.1234/ELSEWHERE",
        "https://doi.org/10.1234/ELSEWHERE",
    )


def test_worker_processes_are_told_the_relations_of_their_units(
    archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(archive, "fix.md", article("Correction", notice="correction", updates="fourth"))
    write(archive, "fix2.md", article("Correction", notice="correction", updates="third"))
    built = run_build(capsys, "source", jobs=2)
    assert built.status == 1
    assert "source/fix.md:5: error: 'updates: fourth' names no article" in built.err
    assert "build/fix2/fix2.html" in built.wrote and "build/third/third.html" in built.wrote


def test_a_notice_cannot_update_itself(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(archive, "fix.md", article("Correction", notice="correction", updates="fix"))
    built = run_build(capsys, "source/fix.md")
    assert built.status == 1
    assert "source/fix.md:5: error: a notice cannot update itself" in built.err


def test_a_new_notice_rebuilds_the_article_it_updates_and_only_it(
    archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_build(capsys, "source").status == 0
    assert run_build(capsys, "source").wrote == set()
    write(
        archive,
        "fix.md",
        article("Correction", "2024-03-01", notice="correction", updates="second"),
    )
    assert run_build(capsys, "source").wrote == {"build/fix/fix.html", "build/second/second.html"}
    assert run_build(capsys, "source").wrote == set()
    # A changed notice (its title) rebuilds it and the article, not the others.
    write(
        archive,
        "fix.md",
        article("Correction to the second", "2024-03-01", notice="correction", updates="second"),
    )
    assert run_build(capsys, "source").wrote == {"build/fix/fix.html", "build/second/second.html"}
    # A changed title of the updated article rebuilds its notice too.
    write(archive, "second.md", article("The second article, revised", date="2024-02-01"))
    assert run_build(capsys, "source").wrote == {"build/fix/fix.html", "build/second/second.html"}
    # A removed notice rebuilds the article, which no longer carries it.
    (archive / "source/fix.md").unlink()
    assert run_build(capsys, "source").wrote == {"build/second/second.html"}
    assert read_in_build(Path("source/second.md")).updates.notices == ()


def test_a_notice_built_alone_brings_the_article_it_updates(
    archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_build(capsys, "source").status == 0
    write(
        archive, "fix.md", article("Correction", "2024-03-01", notice="correction", updates="third")
    )
    built = run_build(capsys, "source/fix.md")
    assert built.wrote == {"build/fix/fix.html", "build/third/third.html"}
    # And an article built alone is told of the notices the build folder knows.
    stamp = json.loads((archive / "build/third/.publish-stamp.json").read_text())
    assert stamp["relations"]
    write(archive, "third.md", article("The third article, again"))
    assert run_build(capsys, "source/third.md").wrote == {
        "build/third/third.html",
        "build/fix/fix.html",
    }


def test_outside_a_build_a_notice_knows_only_itself(archive: Path) -> None:
    write(archive, "fix.md", article("Correction", notice="correction", updates="first"))
    updates = read_manuscript(Path("source/fix.md"), OPTIONS).updates
    assert updates.notice is KINDS["correction"] and updates.targets == ()


def test_an_unchanged_archive_with_notices_loads_neither_the_renderers_nor_the_relations(
    archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        archive, "fix.md", article("Correction", "2024-03-01", notice="correction", updates="first")
    )
    for source in (archive / "source").glob("*.md"):  # saved well before the build
        os.utime(source, ns=(source.stat().st_mtime_ns - 10**10,) * 2)
    args = ["build", "source", "--format", "html"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-m", "publish", *args],
            cwd=archive,
            capture_output=True,
            text=True,
            env=env,
        )
        assert done.returncode == 0, done.stderr
    script = (
        "import sys\nfrom publish.cli import main\nimported = set(sys.modules)\n"
        f"main({args!r})\n"
        "print(' '.join(sorted(sys.modules)))\n"
        "print(' '.join(sorted(set(sys.modules) - imported)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=archive,
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    assert "built 0, up to date 4" in done.stdout
    loaded, deciding = (set(line.split()) for line in done.stdout.splitlines()[-2:])
    assert loaded & {"weasyprint", "ebooklib", "pypandoc", "lxml", "pikepdf"} == set()
    assert deciding & {"yaml", "jinja2", "publish.read", "publish.periodical"} == set()
    assert (
        deciding & {"publish.updates.relations", "publish.updates.model", "publish.updates.facts"}
        == set()
    )


ISSUE = """publication: Test Monitor
volume: 1
issue: 2
date: {date}
title: Corrections
articles:
  - fix.md
"""


def test_a_notice_in_an_issue_is_dated_by_its_issue(
    archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(archive, "issue-2/issue.yaml", ISSUE.format(date="2024-07"))
    fix = "---\ntitle: Correction\nnotice: correction\nupdates: first\n---\n\nA correction.\n"
    write(archive, "issue-2/fix.md", fix)
    built = run_build(capsys, "source")
    assert built.status == 0, built.err
    (notice,) = read_in_build(Path("source/first.md")).updates.notices
    assert (notice.date, notice.link.href) == ("2024-07", "../fix/fix.html")
    # The issue's date changed: the article is told, and built again.
    write(archive, "issue-2/issue.yaml", ISSUE.format(date="2024-08"))
    assert "build/first/first.html" in run_build(capsys, "source").wrote
    assert read_in_build(Path("source/first.md")).updates.notices[0].date == "2024-08"


def test_a_notice_built_before_its_article_says_to_build_it(
    archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(archive, "fix.md", article("Correction", notice="correction", updates="third"))
    built = run_build(capsys, "source/fix.md")
    assert built.status == 1
    assert (
        "source/fix.md:5: error: 'updates: third' names no article of this build: "
        "source/third.md was never built here; build it too" in built.err
    )
