"""Tiny manuscripts for the tests of whole builds: many short articles, fast to build."""

from __future__ import annotations

import base64
import re
import shutil
from pathlib import Path

# A 1×1 PNG: the smallest image a manuscript can use.
DOT = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def manuscript(title: str, image: bool = False) -> str:
    figure = "\n![A dot](dot.png)\n" if image else ""
    return (
        f"---\ntitle: {title}\nlang: en\n---\n\n"
        f"The text of {title.lower()}, with a note.[^1]\n{figure}\n[^1]: The note.\n"
    )


def write_articles(folder: Path, count: int) -> list[Path]:
    """``count`` manuscripts in ``folder``; the first one uses an image."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "dot.png").write_bytes(DOT)
    paths = []
    for n in range(1, count + 1):
        path = folder / f"article-{n}.md"
        path.write_text(manuscript(f"Article {n}", image=n == 1), encoding="utf-8")
        paths.append(path)
    return paths


def counts(stdout: str) -> tuple[int, int, int]:
    """(built, up to date, failed) from the summary line."""
    found = re.search(r"built (\d+), up to date (\d+), failed (\d+)", stdout)
    assert found, f"no summary in:\n{stdout}"
    built, skipped, failed = (int(g) for g in found.groups())
    return built, skipped, failed


def snapshot(root: Path, into: Path) -> Path:
    """A copy of the code and templates at ``root`` to run ``publish`` from.

    A build's stamps include a digest of the code, so an edit saved in the checkout
    while these tests run would rebuild everything and fail them; the copy holds still.
    """
    for part in ("publish",):
        shutil.copytree(root / part, into / part, ignore=shutil.ignore_patterns("__pycache__"))
    return into
