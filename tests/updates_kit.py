"""Builds of notices and versioned articles written on the spot, in process (one worker,
HTML only: the relations and the versions are the same for every edition)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from publish.build import build
from publish.document import Document
from publish.options import Options
from publish.pipeline import units
from publish.pipeline.outcome import Plan
from publish.pipeline.reading import read_manuscript
from publish.settings import Settings
from publish.updates.prepare import prepare

OPTIONS = Options(out=Path("build"), formats=("html",), settings=Settings())


def article(title: str, date: str = "2024-01-10", **keys: object) -> str:
    """A manuscript with these keys in its front matter (``version_date`` for
    ``version-date``)."""
    lines = [f"title: {title}", f"date: {date}"]
    for key, value in keys.items():
        key = key.replace("_", "-")
        if isinstance(value, list):
            lines.append(f"{key}:")
            lines += [f"  - {v}" for v in value]
        else:
            lines.append(f"{key}: {value}")
    return "---\n" + "\n".join(lines) + f"\n---\n\nThe text of {title}.\n"


def write(root: Path, name: str, text: str) -> Path:
    path = root / "source" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


class Built:
    """What one build did: its exit status, and what it printed."""

    def __init__(self, status: int, out: str, err: str) -> None:
        self.status = status
        self.out = out
        self.err = err

    @property
    def wrote(self) -> set[str]:
        return {
            line.removeprefix("wrote ")
            for line in self.out.splitlines()
            if line.startswith("wrote ")
        }


def run_build(
    capsys: pytest.CaptureFixture[str],
    *paths: str,
    force: bool = False,
    options: Options = OPTIONS,
    jobs: int = 1,
) -> Built:
    """``publish build PATHS`` in the working folder (a test's tmp_path), in this process
    (or in ``jobs`` worker processes)."""
    capsys.readouterr()
    status = build([Path(p) for p in paths], options, Plan(jobs=jobs, force=force))
    captured = capsys.readouterr()
    return Built(status, captured.out, captured.err)


def read_in_build(source: Path, options: Options = OPTIONS) -> Document:
    """The manuscript read as a build of ``source/`` reads it: with the build's relations."""
    found = units.find([Path("source")])
    prepared = prepare(found.work, options.out)
    relations = prepared.for_building(prepared.units, options.out)
    return read_manuscript(source, replace(options, relations=relations))
