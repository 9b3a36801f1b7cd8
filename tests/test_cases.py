"""Error and warning cases as files: ``tests/cases/<name>/in.md`` is a manuscript, and
``expected.txt`` every message the reader gives about it, one a line, as the command
prints them. Run in process through ``publish.read.read``, so a case costs one pandoc
run; ``tests/test_errors.py`` keeps a few end-to-end runs of the command.

A case that only warns must build, and under ``--strict`` fail with the same messages
as errors. Add a case by adding a folder with its in.md; ``pytest --regen-golden``
writes its expected.txt, which you then review.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from publish.diagnostics import Diagnostic, ManuscriptError
from publish.read import read

CASES = Path(__file__).parent / "cases"


def messages(path: Path, strict: bool = False) -> tuple[bool, list[str]]:
    """Whether the manuscript reads (builds), and every message, in order."""
    diagnostics: tuple[Diagnostic, ...] | list[Diagnostic]
    try:
        diagnostics, ok = read(path, strict=strict).diagnostics, True
    except ManuscriptError as error:
        diagnostics, ok = error.diagnostics, False
    return ok, [str(d) for d in diagnostics]


@pytest.mark.parametrize("name", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_case(name: str, regen_golden: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = CASES / name
    monkeypatch.chdir(folder)  # Messages name the file as the user typed it: in.md.
    ok, got = messages(Path("in.md"))
    expected = folder / "expected.txt"
    if regen_golden:
        expected.write_text("".join(f"{line}\n" for line in got), encoding="utf-8")
    assert expected.exists(), f"{expected} is missing: write it with pytest --regen-golden"
    assert got == expected.read_text(encoding="utf-8").splitlines()
    assert got, "a case must give at least one message"
    errors = [line for line in got if ": error: " in line]
    assert ok == (not errors)
    if ok:  # Only warnings: --strict turns each into an error and the build fails.
        strict_ok, strict = messages(Path("in.md"), strict=True)
        assert not strict_ok
        assert strict == [line.replace(": warning: ", ": error: ", 1) for line in got]
