"""The units of work of a build, found the same way by ``publish build`` and ``publish
serve``: each manuscript outside an issue, and each issue (its ``issue.yaml``, standing for
every article of its folder: an article's pages depend on the articles before it)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ISSUE_FILE = "issue.yaml"
"""The file that makes a folder an issue (``periodical.schema`` reads it)."""


@dataclass(frozen=True)
class Units:
    named: list[Path]
    """The paths the user named (``source/`` when none)."""
    manuscripts: list[Path]
    """Every manuscript found, an issue's articles included."""
    loose: list[Path]
    """The manuscripts outside any issue."""
    issues: list[Path]
    """The issue folders."""

    @property
    def work(self) -> list[Path]:
        """What is built, one task each: the loose manuscripts, then each ``issue.yaml``."""
        return self.loose + [folder / ISSUE_FILE for folder in self.issues]

    def clash(self) -> list[Path]:
        """Two units whose editions would go to the same folder, if any."""
        return same_slug(self.manuscripts) or issue_clash(self.manuscripts, self.issues)


def find(paths: list[Path]) -> Units:
    """The units below the paths named (``source/`` when none)."""
    named = paths or [Path("source")]
    every = discover(named)
    if not _any_issue(every, named):
        # Reading issues is the periodical package's business, and costs its imports:
        # an archive of loose manuscripts does without them.
        return Units(named, every, every, [])
    from ..periodical.discover import split_issues

    loose, issues = split_issues(every, named)
    # An issue is named by its folder: `publish build .` or `..` from inside it names it
    # '' or '..', which as build/<name>/ would leave the output folder. Its real name.
    issues = [i.resolve() if i.parent.name in ("", "..") else i for i in issues]
    return Units(named, every, loose, issues)


def _any_issue(manuscripts: list[Path], named: list[Path]) -> bool:
    """Whether a folder of the manuscripts, or one below a folder named, holds an
    ``issue.yaml``: one stat per folder of manuscripts, not per manuscript."""
    folders = {m.parent for m in manuscripts}
    if any((folder / ISSUE_FILE).is_file() for folder in folders):
        return True
    return any(path.is_dir() and any(path.rglob(ISSUE_FILE)) for path in named)


def is_issue(unit: Path) -> bool:
    """Whether a unit of work is an issue (its ``issue.yaml``) rather than a manuscript."""
    return unit.name == ISSUE_FILE


def name_of(unit: Path) -> str:
    """The folder a unit is built into, ``build/<name>/``: an issue is named by its
    folder, a manuscript by its file name."""
    return unit.parent.name if is_issue(unit) else unit.stem


def discover(paths: list[Path]) -> list[Path]:
    """The manuscripts named, with folders standing for every ``*.md`` below them."""
    found: list[Path] = []
    for path in paths:
        found.extend(sorted(path.rglob("*.md")) if path.is_dir() else [path])
    return list(dict.fromkeys(found))


def same_slug(sources: list[Path]) -> list[Path]:
    """Two manuscripts whose editions would go to the same folder, if any: in parallel
    they would overwrite each other's editions and stamps."""
    seen: dict[str, Path] = {}
    for source in sources:
        if source.stem in seen:
            return [seen[source.stem], source]
        seen[source.stem] = source
    return []


def issue_clash(manuscripts: list[Path], issues: list[Path]) -> list[Path]:
    """An issue folder and another issue folder, or a manuscript outside it, whose
    editions would go to the same folder (``build/<name>/``), if any. (An issue's own
    article named like its folder is the issue's error, at its issue.yaml.)"""
    seen: dict[str, Path] = {}
    for folder in issues:
        if folder.name in seen:
            return [seen[folder.name], folder]
        seen[folder.name] = folder
    for source in manuscripts:
        issue = seen.get(source.stem)
        if issue is not None and source.parent != issue:
            return [issue, source]
    return []
