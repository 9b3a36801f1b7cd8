"""Where page-foot notes land: notes on the page of their call, out of all notes, for
the sample article, the dense-note documents of the tests (a note in every paragraph)
and the long manuscript."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import ours

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from notes_kit import dense_notes, misplaced  # noqa: E402 - after the path above

SAMPLE = ROOT / "source" / "mojahedin-e-khalq-in-post-saddam-iraq.md"
DENSE_SEEDS = range(1, 7)


def placement(work: Path, long_pdf: Path, jobs: int) -> dict[str, dict[str, object]]:
    """{set: {placed, total, misplaced}} for the sample, the dense documents and the long
    manuscript (whose PDF is already built)."""
    folder = work / "notes"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(SAMPLE, folder / SAMPLE.name)
    for seed in DENSE_SEEDS:
        (folder / f"dense-{seed}.md").write_text(dense_notes(seed)[0], encoding="utf-8")
    out = work / "notes-build"
    ours.publish_build([folder], out, "--format", "pdf", "--jobs", str(jobs))
    sets = {
        "sample": [out / SAMPLE.stem / f"{SAMPLE.stem}.pdf"],
        "dense-note documents": [out / f"dense-{s}" / f"dense-{s}.pdf" for s in DENSE_SEEDS],
        "long manuscript": [long_pdf],
    }
    results = {}
    for name, pdfs in sets.items():
        wrong: list[str] = []
        total = 0
        for pdf in pdfs:
            found, count = misplaced(pdf)
            wrong += [f"{pdf.stem} {w}" for w in found]
            total += count
        results[name] = {"placed": total - len(wrong), "total": total, "misplaced": wrong}
    return results
