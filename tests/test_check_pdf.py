"""The PDF structure checks on PDFs WeasyPrint lays out here, and the artifact fix.

WeasyPrint tags running heads and page numbers as content outside the structure
tree; the check must see that, and the PDF edition's fix must satisfy it.
"""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest
from weasyprint import HTML

from publish.check import lint, pdf
from publish.compat.weasyprint_lang import keep_lang_in_tags
from publish.editions.pdf_artifacts import mark_furniture_as_artifacts

PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Furniture</title>
<style>@page { size: A5; margin: 20mm;
  @top-center { content: "The Running Head" } @bottom-center { content: counter(page) } }
p { break-after: page; }</style></head>
<body><h1>Furniture</h1><p>One.</p><p>Two.</p><p>Three.</p></body></html>"""


@pytest.fixture(scope="module")
def tagged(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return HTML(string=PAGE).write_pdf(pdf_variant="pdf/ua-1")


def _messages(path: Path) -> list[str]:
    return [f.message for f in pdf.structure(path).findings]


def test_margin_boxes_are_flagged(tagged: bytes, tmp_path: Path) -> None:
    path = tmp_path / "as-laid-out.pdf"
    path.write_bytes(tagged)
    messages = _messages(path)
    assert "page number is tagged as content, not marked as an artifact" in messages
    assert any("running head “The Running Head”" in m for m in messages)
    assert "text “The Running Head” has an MCID outside the structure tree" in messages


def test_artifact_fix_passes_and_keeps_the_text(tagged: bytes, tmp_path: Path) -> None:
    path = tmp_path / "fixed.pdf"
    path.write_bytes(mark_furniture_as_artifacts(tagged))
    assert _messages(path) == []
    assert pdf.qpdf(path).passed
    assert mark_furniture_as_artifacts(tagged) == path.read_bytes()  # Reproducible.


def test_untagged_pdf_fails_every_tagging_check(tmp_path: Path) -> None:
    path = tmp_path / "plain.pdf"
    path.write_bytes(HTML(string=PAGE).write_pdf())
    messages = "\n".join(_messages(path))
    for expected in (
        "not tagged: /MarkInfo /Marked is not true",
        "no PDF/UA identifier",
        "DisplayDocTitle is not true",
        "text runs are neither tagged content nor artifacts",
    ):
        assert expected in messages


PERSIAN = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Two scripts</title>
</head><body><p>In English.</p>
<p lang="fa" dir="rtl">کلیله و دمنه از کتاب‌های کهن است.</p></body></html>"""


def _strip_lang(pdf_file: pikepdf.Pdf) -> None:
    stack = [pdf_file.Root.StructTreeRoot.K]
    while stack:
        kid = stack.pop()
        if isinstance(kid, pikepdf.Array):
            stack += list(kid)
        elif isinstance(kid, pikepdf.Dictionary):
            if "/Lang" in kid:
                del kid["/Lang"]
            if "/K" in kid:
                stack.append(kid.K)


def test_passage_language_reaches_the_pdf_tags(tmp_path: Path) -> None:
    keep_lang_in_tags()
    declared = tmp_path / "declared.pdf"
    declared.write_bytes(HTML(string=PERSIAN).write_pdf(pdf_variant="pdf/ua-1"))
    assert lint.check([declared])[0].findings == []

    undeclared = tmp_path / "undeclared.pdf"
    with pikepdf.open(declared) as document:
        _strip_lang(document)
        document.save(undeclared)
    messages = [f.message for f in lint.check([undeclared])[0].findings]
    assert len(messages) == 1
    assert messages[0].endswith("declared as “en”")
    assert "Arabic-script words" in messages[0]
