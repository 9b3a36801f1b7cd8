"""Finding issues among the manuscripts of a build: a manuscript whose folder holds an
``issue.yaml`` is an article of that issue, built with it (its pages depend on the
articles before it)."""

from __future__ import annotations

from pathlib import Path

from .schema import ISSUE_FILE


def issue_folder(source: Path) -> Path | None:
    folder = source.parent
    return folder if (folder / ISSUE_FILE).is_file() else None


def split_issues(sources: list[Path], paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """(manuscripts outside any issue, issue folders) among ``sources``; a folder named
    in ``paths`` with an ``issue.yaml`` but no manuscript yet is an issue too (its
    ``issue.yaml`` then says what is missing)."""
    loose, issues = [], []
    for source in sources:
        folder = issue_folder(source)
        if folder is None:
            loose.append(source)
        elif folder not in issues:
            issues.append(folder)
    for path in paths:
        for found in sorted(path.rglob(ISSUE_FILE)) if path.is_dir() else []:
            if found.parent not in issues:
                issues.append(found.parent)
    return loose, issues
