"""An article's versions: when ``version:`` goes up, the editions of the one before are
kept, byte for byte, in ``build/<slug>/v<N>/``, and no later build changes them."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from manuscripts_kit import snapshot
from updates_kit import OPTIONS, article, read_in_build, run_build, write

from publish.updates.model import Version
from publish.updates.versions import MANIFEST

FORMATS = ("html", "epub")


@pytest.fixture
def first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Path:
    """An article built once, as its first version (no ``version:``)."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "paper.md", article("A paper"))
    assert run_build(capsys, "source").status == 0
    return tmp_path


def second_version(root: Path) -> None:
    write(
        root,
        "paper.md",
        article("A paper", version=2, version_date="2024-05-01", version_note="Table 2 corrected")
        + "\nTable 2, corrected.\n",
    )


def test_version_2_keeps_version_1_byte_for_byte_even_after_force(
    first: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    v1 = (first / "build/paper/paper.html").read_bytes()
    second_version(first)
    built = run_build(capsys, "source")
    assert built.status == 0
    assert built.wrote == {"build/paper/paper.html", "build/paper/v1/paper.html"}
    assert (first / "build/paper/v1/paper.html").read_bytes() == v1
    assert (first / "build/paper/paper.html").read_bytes() != v1
    manifest = json.loads((first / "build/paper" / MANIFEST).read_text())
    assert manifest["current"] == {
        "number": 2,
        "date": "2024-05-01",
        "note": "Table 2 corrected",
        "files": ["paper.html"],
    }
    assert manifest["kept"] == [
        {"number": 1, "date": "2024-01-10", "note": "", "files": ["paper.html"]}
    ]
    kept = snapshot(first / "build/paper/v1")
    for force in (False, True):
        assert run_build(capsys, "source", force=force).status == 0
        assert snapshot(first / "build/paper/v1") == kept
    assert json.loads((first / "build/paper" / MANIFEST).read_text()) == manifest


def test_the_current_version_is_told_the_earlier_ones(
    first: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    second_version(first)
    # What the build about to write version 2 tells its editions...
    updates = read_in_build(Path("source/paper.md")).updates
    assert updates.version == Version(2, "2024-05-01", "Table 2 corrected")
    assert updates.earlier == (Version(1, "2024-01-10", "", "v1/paper.html"),)
    assert run_build(capsys, "source").status == 0
    # ...and what a later build tells them.
    assert read_in_build(Path("source/paper.md")).updates.earlier == updates.earlier
    write(first, "paper.md", article("A paper", version=3))
    assert run_build(capsys, "source").status == 0
    assert [v.href for v in read_in_build(Path("source/paper.md")).updates.earlier] == [
        "v1/paper.html",
        "v2/paper.html",
    ]


def test_every_edition_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    options = replace(OPTIONS, formats=FORMATS)
    write(tmp_path, "paper.md", article("A paper"))
    assert run_build(capsys, "source", options=options).status == 0
    editions = snapshot(tmp_path / "build/paper")
    second_version(tmp_path)
    assert run_build(capsys, "source", options=options).status == 0
    kept = snapshot(tmp_path / "build/paper/v1")
    assert kept == {k: v for k, v in editions.items() if not k.startswith(".")}
    assert set(kept) == {"paper.html", "paper.epub"}


def test_a_version_going_down_is_an_error_and_writes_nothing(
    first: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    second_version(first)
    assert run_build(capsys, "source").status == 0
    before = snapshot(first / "build")
    write(first, "paper.md", article("A paper, changed", version=1))
    built = run_build(capsys, "source")
    assert built.status == 1
    assert (
        "source/paper.md:4: error: 'version: 1' is lower than version 2, which is built in "
        "build/paper/" in built.err
    )
    after = snapshot(first / "build")
    assert {k: v for k, v in after.items() if "register" not in k} == {
        k: v for k, v in before.items() if "register" not in k
    }


def test_a_kept_version_that_would_change_is_an_error(
    first: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A v1/ already there, with other bytes than version 1's editions.
    (first / "build/paper/v1").mkdir()
    (first / "build/paper/v1/paper.html").write_text("<p>another version 1</p>")
    before = snapshot(first / "build/paper")
    second_version(first)
    built = run_build(capsys, "source")
    assert built.status == 1
    assert "source/paper.md:4: error: a kept version would change: paper/v1/paper.html" in built.err
    assert snapshot(first / "build/paper") == before


ISSUE = """publication: Test Monitor
volume: 1
issue: 2
date: 2024-01
title: Two papers
articles:
  - alpha.md
  - beta.md
"""


def test_an_issue_article_keeps_its_versions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "issue-1/issue.yaml", ISSUE)
    write(tmp_path, "issue-1/alpha.md", article("Alpha"))
    write(tmp_path, "issue-1/beta.md", article("Beta"))
    built = run_build(capsys, "source")
    assert built.status == 0, built.err
    alpha = (tmp_path / "build/alpha/alpha.html").read_bytes()
    write(tmp_path, "issue-1/alpha.md", article("Alpha", version=2, version_note="Typo"))
    built = run_build(capsys, "source")
    assert built.status == 0, built.err
    assert (tmp_path / "build/alpha/v1/alpha.html").read_bytes() == alpha
    assert not (tmp_path / "build/beta/v1").exists()
    assert run_build(capsys, "source", force=True).status == 0
    assert (tmp_path / "build/alpha/v1/alpha.html").read_bytes() == alpha
