"""Text runs of a PDF page with their position and marked-content status.

Enough of a content-stream interpreter to tell, for each piece of text, where it
sits on the page and whether it is tagged content (inside a sequence with an
MCID), an artifact, or neither. pikepdf parses; we keep the graphics state.
"""

from __future__ import annotations

from dataclasses import dataclass

import pikepdf

from .tounicode import decode, decoders

TEXT_SHOWING = {"Tj", "TJ", "'", '"'}


@dataclass(frozen=True)
class TextRun:
    """One text-showing operator's output."""

    page: int
    """Page number, from 1."""
    x: float
    y: float
    """Baseline origin in PDF user space (points, origin at the bottom left)."""
    text: str
    status: str
    """``"content"`` (has an MCID), ``"artifact"`` or ``"untagged"``."""
    mcid: int | None = None
    """The marked-content id of tagged content."""


def text_runs(page: pikepdf.Page, number: int) -> list[TextRun]:
    """Every non-blank text run on the page (form XObjects are not entered)."""
    fonts = decoders(page)
    ctm, stack = _identity(), []
    marks: list[tuple[str, int | None]] = []
    tm = line = _identity()
    leading, font = 0.0, None
    runs: list[TextRun] = []
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op == "q":
            stack.append(ctm)
        elif op == "Q" and stack:
            ctm = stack.pop()
        elif op == "cm":
            ctm = _multiply([float(v) for v in operands], ctm)
        elif op in ("BMC", "BDC"):
            marks.append(_mark(operands))
        elif op == "EMC" and marks:
            marks.pop()
        elif op == "BT":
            tm = line = _identity()
        elif op == "Tf":
            font = fonts.get(str(operands[0]))
        elif op == "TL":
            leading = float(operands[0])
        elif op == "Tm":
            tm = line = [float(v) for v in operands]
        elif op in ("Td", "TD"):
            if op == "TD":
                leading = -float(operands[1])
            tm = line = _multiply([1, 0, 0, 1, float(operands[0]), float(operands[1])], line)
        elif op in ("T*", "'", '"'):
            tm = line = _multiply([1, 0, 0, 1, 0, -leading], line)
        if op in TEXT_SHOWING:
            text = decode(font, operands[-1])
            if text.strip():
                x, y = _apply(_multiply(tm, ctm), 0, 0)
                runs.append(TextRun(number, x, y, text, *_status(marks)))
    return runs


def _mark(operands) -> tuple[str, int | None]:
    if str(operands[0]) == "/Artifact":
        return "artifact", None
    properties = operands[1] if len(operands) > 1 else None
    if isinstance(properties, pikepdf.Dictionary) and "/MCID" in properties:
        return "content", int(properties.MCID)
    return "other", None


def _status(marks: list[tuple[str, int | None]]) -> tuple[str, int | None]:
    # The innermost artifact or MCID decides; "other" marks (spans without an
    # MCID) say nothing about tagging.
    for status, mcid in reversed(marks):
        if status in ("artifact", "content"):
            return status, mcid
    return "untagged", None


def tagged_content(pdf: pikepdf.Pdf) -> dict[tuple[tuple[int, int], int], str]:
    """(page object id, MCID) of every marked-content sequence the structure tree
    reaches, in its logical (reading) order, with the language its structure
    elements declare ("" for none)."""
    reached: dict[tuple[tuple[int, int], int], str] = {}
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return reached
    stack, seen = [(root.get("/K"), None, "")], set()
    while stack:
        kid, page, lang = stack.pop()
        if isinstance(kid, pikepdf.Array):
            stack += [(k, page, lang) for k in reversed(kid)]  # Popped in order.
        elif isinstance(kid, int) and page is not None:
            reached[(page, int(kid))] = lang
        elif isinstance(kid, pikepdf.Dictionary):
            if kid.is_indirect and kid.objgen in seen:
                continue
            seen.add(kid.objgen)
            page = kid.Pg.objgen if "/Pg" in kid else page
            lang = str(kid.get("/Lang", lang))
            if kid.get("/Type") == "/MCR":
                reached[(page, int(kid.MCID))] = lang
            elif "/K" in kid:
                stack.append((kid.K, page, lang))
    return reached
    stack, seen = [(root.get("/K"), None)], set()
    while stack:
        kid, page = stack.pop()
        if isinstance(kid, pikepdf.Array):
            stack += [(k, page) for k in kid]
        elif isinstance(kid, int) and page is not None:
            reached.add((page, int(kid)))
        elif isinstance(kid, pikepdf.Dictionary):
            if kid.is_indirect and kid.objgen in seen:
                continue
            seen.add(kid.objgen)
            page = kid.Pg.objgen if "/Pg" in kid else page
            if kid.get("/Type") == "/MCR":
                reached.add((page, int(kid.MCID)))
            elif "/K" in kid:
                stack.append((kid.K, page))
    return reached


def _identity() -> list[float]:
    return [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]


def _multiply(m: list[float], n: list[float]) -> list[float]:
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return [
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    ]


def _apply(m: list[float], x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]
