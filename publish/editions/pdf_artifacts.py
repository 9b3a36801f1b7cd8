"""Running heads and page numbers as artifacts in WeasyPrint's tagged PDF.

WeasyPrint 70 gives the text of margin boxes marked-content ids but keeps their
structure elements out of the tree (it could only list them as artifacts there
in PDF 2.0). Assistive technology then meets text that is neither content nor
artifact; PDF/UA-1 wants page furniture marked ``/Artifact`` in the content
stream. This rewrites exactly the sequences the structure tree does not reach.
"""

from __future__ import annotations

import io
from typing import Any

import pikepdf


def mark_furniture_as_artifacts(pdf_bytes: bytes) -> bytes:
    """The same PDF, with every unreachable tagged sequence turned into an artifact."""
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        reached = _reached(pdf)
        changed = False
        for index, page in enumerate(pdf.pages):
            orphans = _artifact_page(pdf, page, reached)
            if orphans:
                changed = True
                _forget(pdf, index, orphans)
        if not changed:
            return pdf_bytes
        out = io.BytesIO()
        # deterministic_id keeps the first /ID element and derives the second
        # from the content, so rebuilds stay byte-identical.
        pdf.save(out, deterministic_id=True)
        return out.getvalue()


def _reached(pdf: pikepdf.Pdf) -> set[tuple[tuple[int, int], int]]:
    """(page object id, MCID) of every marked-content sequence in the structure tree."""
    reached: set[tuple[tuple[int, int], int]] = set()
    root = pdf.Root.get("/StructTreeRoot")
    stack: list[tuple[Any, Any]] = [(root.get("/K"), None)] if root is not None else []
    while stack:
        kid, page = stack.pop()
        if isinstance(kid, pikepdf.Array):
            stack += [(k, page) for k in kid]
        elif isinstance(kid, int) and page is not None:
            reached.add((page, int(kid)))
        elif isinstance(kid, pikepdf.Dictionary):
            page = kid.Pg.objgen if "/Pg" in kid else page
            if kid.get("/Type") == "/MCR":
                reached.add((page, int(kid.MCID)))
            elif "/K" in kid:
                stack.append((kid.K, page))
    return reached


def _artifact_page(pdf: pikepdf.Pdf, page: pikepdf.Page, reached: set) -> list[int]:
    instructions, orphans = [], []
    # pikepdf's stubs do not say that an instruction unpacks to (operands, operator).
    for operands, operator in pikepdf.parse_content_stream(page):  # type: ignore[misc]
        properties = operands[1] if len(operands) == 2 else None
        if (
            str(operator) == "BDC"
            and isinstance(properties, pikepdf.Dictionary)
            and "/MCID" in properties
            and (page.obj.objgen, int(properties.MCID)) not in reached
        ):
            orphans.append(int(properties.MCID))
            operands, operator = [pikepdf.Name.Artifact], pikepdf.Operator("BMC")
        instructions.append(pikepdf.ContentStreamInstruction(operands, operator))
    if orphans:
        page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))
    return orphans


def _forget(pdf: pikepdf.Pdf, page_index: int, mcids: list[int]) -> None:
    """Drop the artifacts' structure elements from the parent tree, so nothing points at them."""
    nums = pdf.Root.StructTreeRoot.ParentTree.get("/Nums", pikepdf.Array())
    for key, value in zip(nums[::2], nums[1::2], strict=True):
        if int(key) == page_index and isinstance(value, pikepdf.Array):
            for mcid in mcids:
                if mcid < len(value):
                    value[mcid] = None
