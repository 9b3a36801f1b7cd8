"""Small tools for tests that build manuscripts written on the spot: run the real command
in a scratch folder, and take a snapshot of what build/ holds."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"

GOOD = """---
title: A good article
author: Ada Writer
date: 2020-05-01
---

A paragraph with a note.[^1]

[^1]: The note.
"""


def publish(
    *args: str | Path, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -m publish ARGS`` in ``cwd``, as an editor would run it there."""
    environment = dict(os.environ)
    environment.pop("SOURCE_DATE_EPOCH", None)
    environment.update(env or {})
    # The checkout, not whatever copy of publish the interpreter would find first.
    environment["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT), *filter(None, [environment.get("PYTHONPATH")])]
    )
    return subprocess.run(
        [sys.executable, "-m", "publish", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=environment,
        stdin=subprocess.DEVNULL,
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` by relative path, with its bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def stderr_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    return result.stderr.splitlines()


def reader_editions(source: Path, out: Path) -> Path:
    """``out/<slug>/`` with the reader editions of ``source`` (HTML, PDF, EPUB), rendered
    in process as ``publish build`` writes them (JATS and the deposit: test_jats,
    test_crossref)."""
    from publish.editions import EDITIONS
    from publish.options import Options
    from publish.read import read

    doc = read(source)
    folder = out / source.stem
    folder.mkdir(parents=True, exist_ok=True)
    for fmt, render in EDITIONS.items():
        if render.reader:
            (folder / f"{source.stem}.{fmt}").write_bytes(render(doc, Options()))
    return folder
