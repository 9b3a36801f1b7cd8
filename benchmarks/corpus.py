"""Synthetic manuscripts shaped like the sample article, for the benchmark.

Each article keeps the sample's front matter, headings and notes, with its own title and
its paragraphs in its own order, so that no two articles are the same text. The long
manuscript repeats the sample's paragraphs to about 43,000 words, in sections, with 300
notes of one to three sentences."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "source" / "mojahedin-e-khalq-in-post-saddam-iraq.md"
NOTE_DEF = re.compile(r"^\[\^\d+\]:")
NOTE_CALL = re.compile(r"\[\^\d+\]")


def _parts() -> tuple[str, list[str], list[str]]:
    """The sample's front matter, body paragraphs and note definitions."""
    text = SAMPLE.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    blocks = [b.strip() for b in body.split("\n\n") if b.strip()]
    notes = [b for b in blocks if NOTE_DEF.match(b)]
    paragraphs = [b for b in blocks if not NOTE_DEF.match(b)]
    return front, paragraphs, notes


def _with_title(front: str, title: str) -> str:
    # JSON strings are YAML strings: the title may hold a colon.
    return re.sub(r"(?m)^title: .*$", f"title: {json.dumps(title)}", front, count=1)


def article(n: int) -> str:
    """Article ``n``: the sample with its own title and paragraph order."""
    front, paragraphs, notes = _parts()
    order = paragraphs[:]
    random.Random(n).shuffle(order)
    title = f"Dispatch {n}: The Disintegration of an Exile Movement"
    return f"---\n{_with_title(front, title)}---\n\n" + "\n\n".join(order + notes) + "\n"


def long_manuscript(words: int = 43_000, note_count: int = 300) -> str:
    """About ``words`` words of the sample's paragraphs, in sections, with ``note_count``
    notes spread evenly through the text."""
    front, paragraphs, _ = _parts()
    prose = [NOTE_CALL.sub("", p) for p in paragraphs if not p.startswith(("#", "*"))]
    rng = random.Random(0)
    blocks: list[str] = []
    total = 0
    while total < words:
        paragraph = rng.choice(prose)
        if len(blocks) % 12 == 0:
            blocks.append(f"## Part {len(blocks) // 12 + 1}")
        blocks.append(paragraph)
        total += len(paragraph.split())
    text_blocks = [i for i, b in enumerate(blocks) if not b.startswith("#")]
    step = len(text_blocks) / note_count
    definitions = []
    for k in range(note_count):
        i = text_blocks[int(k * step)]
        blocks[i] += f"[^n{k + 1}]"
        extra = " Quoted in a report to the council on the camp." * rng.randint(0, 2)
        definitions.append(f"[^n{k + 1}]: Source {k + 1}, an interview held in the camp.{extra}")
    title = "The Long Report: Twenty Years of an Exile Movement"
    return f"---\n{_with_title(front, title)}---\n\n" + "\n\n".join(blocks + definitions) + "\n"


def write(folder: Path, articles: int) -> tuple[list[Path], Path]:
    """``articles`` short manuscripts in ``folder/articles`` and the long one in
    ``folder/long``."""
    short = folder / "articles"
    short.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(1, articles + 1):
        path = short / f"dispatch-{n:04d}.md"
        path.write_text(article(n), encoding="utf-8")
        paths.append(path)
    long_path = folder / "long" / "long-report.md"
    long_path.parent.mkdir(parents=True, exist_ok=True)
    long_path.write_text(long_manuscript(), encoding="utf-8")
    return paths, long_path
