"""Text that is neither content nor artifact, and page furniture tagged as content.

Running heads and page numbers must be artifacts (PDF/UA-1 7.8): a screen
reader would otherwise read them in the middle of the text on every page.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import pikepdf

from .pdfcontent import TextRun, tagged_content, text_runs
from .result import CheckResult


def check_artifacts(pdf: pikepdf.Pdf, result: CheckResult) -> None:
    runs = text_runs(Path(pdf.filename))
    untagged = sorted({run.page for run in runs if run.status == "untagged"})
    if untagged:
        count = sum(run.status == "untagged" for run in runs)
        result.error(
            f"{count} text runs are neither tagged content nor artifacts", pages_label(untagged)
        )
    _orphans(pdf, runs, result)
    heights = {n: float(p.mediabox[3]) for n, p in enumerate(pdf.pages, 1)}
    for label, pages in _furniture_as_content(runs, heights).items():
        result.error(f"{label} is tagged as content, not marked as an artifact", pages_label(pages))


def _orphans(pdf: pikepdf.Pdf, runs: Sequence[TextRun], result: CheckResult) -> None:
    """Text marked as content whose MCID the structure tree never reaches.

    WeasyPrint gives margin boxes (running heads, page numbers) MCIDs but leaves
    their structure elements out of the tree: to a screen reader that text is
    neither content nor artifact.
    """
    if "/StructTreeRoot" not in pdf.Root:
        return  # Already reported as untagged.
    reached = tagged_content(pdf)
    pages = [page.obj.objgen for page in pdf.pages]
    orphans: dict[str, list[int]] = defaultdict(list)
    for run in runs:
        if run.status == "content" and (pages[run.page - 1], run.mcid) not in reached:
            orphans[" ".join(run.text.split())[:40]].append(run.page)
    for text, on in orphans.items():
        result.error(f"text “{text}” has an MCID outside the structure tree", pages_label(on))


def _furniture_as_content(
    runs: Sequence[TextRun], heights: dict[int, float]
) -> dict[str, list[int]]:
    """Running heads and page numbers (found where they repeat) that are not artifacts.

    Page furniture is the outermost line at the top or the foot of a
    page, in its outer 15%, whose text sits at the same height on two or more
    pages (a running head) or which shows that page's own number there (a folio).
    """
    lines = _outer_lines(runs, heights)
    texts = {key: " ".join(" ".join(r.text for r in line).split()) for key, line in lines.items()}
    by_text: dict[tuple[int, str], set[int]] = defaultdict(set)
    folios: dict[int, set[int]] = defaultdict(set)
    for (page, y), text in texts.items():
        by_text[(y, text)].add(page)
        if _is_folio(text, page):
            folios[y].add(page)
    # Where the document's own furniture is drawn (lines that are artifacts): a line
    # lower than every artifact head, or higher than every artifact foot, is in the
    # text area, such as the first line of a title block that opens several pages
    # of an issue, one article each.
    heads = [y for (p, y), line in lines.items() if y / heights[p] > 0.5 and _artifact(line)]
    feet = [y for (p, y), line in lines.items() if y / heights[p] < 0.5 and _artifact(line)]
    found: dict[str, list[int]] = defaultdict(list)
    for (page, y), text in sorted(texts.items()):
        top = y / heights[page] > 0.5
        if (heads and top and y < min(heads) - 2) or (feet and not top and y > max(feet) + 2):
            continue
        folio = len(folios[y]) > 1 and _is_folio(text, page)
        repeated = len(by_text[(y, text)]) > 1
        if (repeated or folio) and any(r.status == "content" for r in lines[(page, y)]):
            found["page number" if folio else f"running head “{text[:60]}”"].append(page)
    return found


def _artifact(line: list[TextRun]) -> bool:
    return all(r.status == "artifact" for r in line)


def _outer_lines(
    runs: Sequence[TextRun], heights: dict[int, float]
) -> dict[tuple[int, int], list[TextRun]]:
    """The outermost line at the top and at the foot of every page, runs in reading order."""
    pages: dict[int, dict[int, list[TextRun]]] = defaultdict(lambda: defaultdict(list))
    for run in runs:
        pages[run.page][round(run.y)].append(run)
    outer: dict[tuple[int, int], list[TextRun]] = {}
    for page, lines in pages.items():
        ys = sorted(lines)
        for y in {ys[0], ys[-1]}:
            if not 0.15 < y / heights[page] < 0.85:
                outer[(page, y)] = sorted(lines[y], key=lambda r: r.x)
    return outer


def _is_folio(text: str, page: int) -> bool:
    numbers = re.findall(r"\d+", text)
    return len(text) <= 24 and bool(numbers) and str(page) in numbers


def pages_label(pages: list[int]) -> str:
    shown = ", ".join(map(str, pages[:8]))
    return f"page {shown}" if len(pages) == 1 else f"pages {shown}{'…' if len(pages) > 8 else ''}"
