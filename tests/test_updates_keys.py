"""The keys of notices and versions, checked at their lines like every other key."""

from __future__ import annotations

from pathlib import Path

import pytest

from publish.diagnostics import ManuscriptError
from publish.read import read
from publish.updates.model import KINDS, Version


def errors(path: Path) -> list[str]:
    with pytest.raises(ManuscriptError) as caught:
        read(path)
    return [f"{d.line}: {d.message}" for d in caught.value.diagnostics if d.severity == "error"]


def manuscript(tmp_path: Path, front: str) -> Path:
    path = tmp_path / "notice.md"
    path.write_text(f"---\ntitle: A notice\ndate: 2024-03-01\n{front}---\n\nText.\n")
    return path


def test_a_notice_is_read_with_its_kind_and_no_warning(tmp_path: Path) -> None:
    doc = read(manuscript(tmp_path, "notice: Retraction\nupdates: [first, doi:10.5555/x.1]\n"))
    assert doc.updates.notice is KINDS["retraction"]
    assert not [d for d in doc.diagnostics if "unknown metadata key" in d.message]


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        ("notice: apology\nupdates: first\n", "4: 'notice: apology' is not a kind of notice"),
        ("updates: first\n", "4: 'updates' belongs to a notice"),
        ("notice: correction\n", "4: a notice names the articles it updates"),
        (
            "notice: correction\nupdates:\n  - first\n  - ../other\n",
            "7: 'updates' names an article by its file name",
        ),
        ("notice: correction\nupdates: 10.5555/\n", "5: 'updates' names an article"),
        ("notice: correction\nupdates: []\n", "5: 'updates' is empty"),
        ("version: 0\n", "4: 'version: 0' is not a version number"),
        ("version: two\n", "4: 'version: two' is not a version number"),
        ("version: 1.5\n", "4: 'version: 1.5' is not a version number"),
        (
            "version: 2\nversion-date: 2024-02-30\n",
            "5: 'version-date: 2024-02-30' is not a real date",
        ),
        ("version-note: [a, b]\n", "4: 'version-note' is one line of text"),
    ],
)
def test_a_wrong_key_is_an_error_at_its_line(tmp_path: Path, front: str, expected: str) -> None:
    found = errors(manuscript(tmp_path, front))
    assert any(e.startswith(expected) for e in found), found


def test_a_version_is_dated_by_its_version_date_else_the_date(tmp_path: Path) -> None:
    dated = read(
        manuscript(tmp_path, "version: 2\nversion-date: 2024-05-01\nversion-note: Fig. 2\n")
    )
    assert dated.updates.version == Version(2, "2024-05-01", "Fig. 2")
    plain = read(manuscript(tmp_path, "version: 3\n"))
    assert plain.updates.version == Version(3, "2024-03-01", "")
    assert read(manuscript(tmp_path, "")).updates.version is None


def test_a_later_version_without_its_date_is_a_warning_at_its_line(tmp_path: Path) -> None:
    doc = read(manuscript(tmp_path, "version: 2\n"))
    assert [(d.line, d.severity) for d in doc.diagnostics if "version-date" in d.message] == [
        (4, "warning")
    ]
    assert not [
        d for d in read(manuscript(tmp_path, "version: 1\n")).diagnostics if "version" in d.message
    ]
