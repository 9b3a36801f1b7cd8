"""A PDF's text runs through pdfminer.six, which interprets the content streams
(graphics state, text matrices, fonts and their ToUnicode maps). We keep only the stack
of marked-content sequences it reports, to tell for each run whether it is tagged
content (inside a sequence with an MCID), an artifact, or neither."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pdfminer.converter import PDFLayoutAnalyzer
from pdfminer.layout import LTChar, LTPage
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage

Run = tuple[int, float, float, str, str, int | None]
"""(page, x, y, text, status, MCID): the fields of ``pdfcontent.TextRun``, which is
made of them there (this module, the one that needs pdfminer, imports nothing of ours)."""


def read_runs(path: Path) -> list[Run]:
    device = _Runs(PDFResourceManager())
    interpreter = PDFPageInterpreter(device.rsrcmgr, device)
    with path.open("rb") as file:
        for number, page in enumerate(PDFPage.get_pages(file), 1):
            device.number = number
            interpreter.process_page(page)
    return device.runs


class _Runs(PDFLayoutAnalyzer):
    """One run per text-showing operator, without layout analysis."""

    def __init__(self, manager: PDFResourceManager) -> None:
        super().__init__(manager, laparams=None)
        self.number = 0
        self.runs: list[Run] = []
        self.marks: list[tuple[str, int | None]] = []
        self.forms = 0

    def begin_tag(self, tag: Any, props: Any = None) -> None:
        self.marks.append(_mark(tag.name, props))

    def end_tag(self) -> None:
        if self.marks:
            self.marks.pop()

    def begin_figure(self, name: str, bbox: Any, matrix: Any) -> None:
        self.forms += 1
        super().begin_figure(name, bbox, matrix)

    def end_figure(self, name: str) -> None:
        self.forms -= 1
        super().end_figure(name)

    def render_string(self, textstate: Any, seq: Any, ncs: Any, graphicstate: Any) -> None:
        before = len(self.cur_item._objs)
        super().render_string(textstate, seq, ncs, graphicstate)
        chars = [c for c in self.cur_item._objs[before:] if isinstance(c, LTChar)]
        text = "".join(c.get_text() for c in chars)
        if self.forms or not text.strip():
            return  # Form XObjects are not entered, as a reader's tagged view would not.
        x, y = chars[0].matrix[4:6]
        self.runs.append((self.number, x, y, text, *_status(self.marks)))

    def receive_layout(self, ltpage: LTPage) -> None:
        pass  # The runs are all we keep.


def _mark(tag: str, properties: Any) -> tuple[str, int | None]:
    if tag == "Artifact":
        return "artifact", None
    if isinstance(properties, dict) and isinstance(properties.get("MCID"), int):
        return "content", properties["MCID"]
    return "other", None


def _status(marks: list[tuple[str, int | None]]) -> tuple[str, int | None]:
    # The innermost artifact or MCID decides; "other" marks (spans without an
    # MCID) say nothing about tagging.
    for status, mcid in reversed(marks):
        if status in ("artifact", "content"):
            return status, mcid
    return "untagged", None
