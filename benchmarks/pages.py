"""Seconds per page of a long document: publish's PDF edition against plain WeasyPrint
on pandoc's standalone HTML of the same text, and the same document with each
paragraph's parenthetical made a page-foot note against it without notes.

Everything runs in this one warm process, side by side, and is timed in CPU time (the
machine may be busy): the ratios are the figures to read."""

from __future__ import annotations

import random
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "source" / "mojahedin-e-khalq-in-post-saddam-iraq.md"
NOTE_CALL = re.compile(r"\[\^\d+\]")


def _prose() -> tuple[str, list[str]]:
    text = SAMPLE.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    blocks = [b.strip() for b in body.split("\n\n") if b.strip()]
    prose = [
        NOTE_CALL.sub("", b)
        for b in blocks
        if not b.startswith(("#", "*", "[^")) and len(b.split()) > 40
    ]
    return front, prose


def long_text(paragraphs: int, notes: bool) -> str:
    """``paragraphs`` paragraphs of the sample's prose, a heading every twelve, each
    ending with a parenthetical: in the text, or (``notes``) as a page-foot note."""
    front, prose = _prose()
    rng = random.Random(0)
    blocks, definitions = [], []
    for k in range(1, paragraphs + 1):
        if k % 12 == 1:
            blocks.append(f"## Part {k // 12 + 1}")
        aside = f"Source {k}, an interview held in the camp." + (
            " Quoted in a report to the council on the camp." * rng.randint(0, 2)
        )
        paragraph = rng.choice(prose)
        if notes:
            blocks.append(f"{paragraph}[^n{k}]")
            definitions.append(f"[^n{k}]: {aside}")
        else:
            blocks.append(f"{paragraph} ({aside})")
    front = re.sub(r"(?m)^title: .*$", 'title: "The Long Text"', front, count=1)
    return f"---\n{front}---\n\n" + "\n\n".join(blocks + definitions) + "\n"


def cpu() -> float:
    return time.process_time()


def publish_pdf(path: Path) -> tuple[float, int, bytes]:
    """CPU seconds of the PDF edition (reading excluded), pages, bytes."""
    from publish.editions import pdf
    from publish.options import Options
    from publish.read import read

    doc = read(path)
    pdf.render(read(SAMPLE), Options(out=path.parent / "build"))  # warm: house style, fonts
    started = cpu()
    data = pdf.render(doc, Options(out=path.parent / "build"))
    return cpu() - started, _pages(data), data


def plain_weasyprint(path: Path) -> tuple[float, int]:
    """CPU seconds of plain WeasyPrint on ``pandoc -s`` HTML of the same text."""
    import pypandoc
    from weasyprint import HTML

    html = subprocess.run(
        [pypandoc.get_pandoc_path(), "-s", str(path), "--to=html5"],
        capture_output=True,
        check=True,
    ).stdout.decode()
    HTML(string=html[:2000] + "</body></html>").write_pdf()  # warm
    started = cpu()
    data = HTML(string=html, base_url=str(path.parent)).write_pdf()
    return cpu() - started, _pages(data)


def _pages(data: bytes) -> int:
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages)


def measure(work: Path, paragraphs: int) -> dict[str, object]:
    """Per page: publish and plain WeasyPrint without notes; publish with notes."""
    sys.path.insert(0, str(ROOT))
    work.mkdir(parents=True, exist_ok=True)
    without = work / "long-text.md"
    without.write_text(long_text(paragraphs, notes=False), encoding="utf-8")
    noted = work / "long-notes.md"
    noted.write_text(long_text(paragraphs, notes=True), encoding="utf-8")
    ours, ours_pages, _ = publish_pdf(without)
    plain, plain_pages = plain_weasyprint(without)
    with_notes, notes_pages, _ = publish_pdf(noted)
    return {
        "paragraphs": paragraphs,
        "publish": {"cpu_seconds": ours, "pages": ours_pages},
        "plain_weasyprint": {"cpu_seconds": plain, "pages": plain_pages},
        "publish_notes": {"cpu_seconds": with_notes, "pages": notes_pages, "notes": paragraphs},
        "per_page_ratio": (ours / ours_pages) / (plain / plain_pages),
        "notes_ratio": with_notes / ours,
    }


if __name__ == "__main__":
    import json
    import tempfile

    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1500
    with tempfile.TemporaryDirectory() as tmp:
        print(json.dumps(measure(Path(tmp), count), indent=2))
