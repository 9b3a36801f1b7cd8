"""How big a manuscript may be: a long report with hundreds of notes builds; a file that
no one would write by hand (above 5 MB) is refused at once with a message saying so."""

from __future__ import annotations

import random
import re
import time
import zipfile
from pathlib import Path

import pikepdf
from manuscripts_kit import publish
from notes_kit import misplaced

WORDS = (
    "archive edition manuscript footnote reader printer history volume issue letter page "
    "press city river council treaty border election minister envoy report"
).split()


def long_report(words: int = 40_000, notes: int = 300) -> tuple[str, int]:
    """A manuscript of ``words`` words with ``notes`` notes; the same text every time."""
    rng = random.Random(4)
    lines = ["---", "title: A Long Report", "author: Ada Writer", "date: 2021-03-04", "---", ""]
    count = called = 0
    while count < words:
        if count % 2000 == 0:
            lines.append(f"## Section {count // 2000 + 1}\n")
        sentences = [
            " ".join(rng.choice(WORDS) for _ in range(12)).capitalize() + "." for _ in range(8)
        ]
        count += 96
        if called < notes and count % 120 < 100:
            called += 1
            sentences[-1] += f"[^{called}]"
        lines.append(" ".join(sentences) + "\n")
    for n in range(1, called + 1):
        lines.append(f"[^{n}]: Note {n}: " + " ".join(rng.choice(WORDS) for _ in range(15)) + ".\n")
    return "\n".join(lines), called


def test_forty_thousand_words_and_three_hundred_notes(tmp_path: Path) -> None:
    text, notes = long_report()
    assert notes == 300
    assert len(re.findall(r"[a-z]+", text.split("---", 2)[2])) >= 40_000
    (tmp_path / "long.md").write_text(text)
    started = time.perf_counter()
    result = publish("build", "long.md", cwd=tmp_path)
    seconds = time.perf_counter() - started
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    out = tmp_path / "build" / "long"
    with zipfile.ZipFile(out / "long.epub") as epub:
        assert epub.read("EPUB/article.xhtml").decode().count('epub:type="footnote"') == 300
    assert len(re.findall(r"<li id=\"fn\d+\"", (out / "long.html").read_text())) == 300
    with pikepdf.open(out / "long.pdf") as pdf:
        assert len(pdf.pages) > 60
    assert misplaced(out / "long.pdf") == ([], 300)  # every note on the page of its call
    print(f"40,000 words, 300 notes: {seconds:.1f} s")


def test_a_file_above_five_megabytes_is_refused_at_once(tmp_path: Path) -> None:
    with (tmp_path / "huge.md").open("w") as handle:
        handle.write("---\ntitle: Huge\n---\n\n")
        handle.write("word " * int(5.5 * 1024 * 1024 / 5))
    started = time.perf_counter()
    result = publish("build", "huge.md", "--format", "html", cwd=tmp_path)
    assert result.returncode == 1
    assert (
        "huge.md: error: the file is 5.5 MB, above the limit of 5 MB: split it into several "
        "manuscripts"
    ) in result.stderr.splitlines()
    assert time.perf_counter() - started < 30
    assert not (tmp_path / "build" / "huge").exists()


def test_a_bibliography_written_inline_is_within_the_front_matter_limits(tmp_path: Path) -> None:
    """120 references as CSL YAML in the front matter (2,300 values) are a real article's,
    not an attack: they build, and every cited one is in the bibliography."""
    from publish.read import read

    lines = ["---", "title: Inline references", "author: A. Writer", "references:"]
    for i in range(120):
        lines += [
            f"  - id: ref{i}",
            "    type: article-journal",
            f"    title: A study of harbours, part {i}",
            "    author: [{family: Smith, given: Jane}, {family: Doe, given: John}]",
            "    container-title: Journal of Studies",
            "    volume: 12",
            "    page: 1-20",
            "    issued: {date-parts: [[2020, 5]]}",
            f"    DOI: 10.5555/{i}",
        ]
    cited = range(0, 120, 7)
    lines += ["---", "", "As " + "; ".join(f"@ref{i}" for i in cited) + " show.", ""]
    source = tmp_path / "inline.md"
    source.write_text("\n".join(lines), encoding="utf-8")
    doc = read(source)
    assert [d for d in doc.diagnostics if d.severity == "error"] == []
    found = {int(n) for n in re.findall(r"harbours, part (\d+)", doc.body, re.I)}
    assert found == set(cited)
